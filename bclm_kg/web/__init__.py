"""The web service: SPARQL 1.1 endpoint, Linked Data pages, dumps and query page.

``create_app(config)`` builds the Flask app; configuration comes from
:mod:`bclm_kg.web.config` (defaults, ``BCLM_*`` environment variables, then ``config``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_cors import CORS

from ..errors import BclmError
from . import access_log, answer_cache, config, fast_query, i18n, limits, security, state
from .responses import register_error_handlers


class CurationRefused(BclmError):
    """A token file was given but the data cannot be curated."""


EXPOSED_HEADERS = ["X-Query-Timeout", "X-Query-Row-Limit", "X-Query-Rows", "X-Query-Truncated",
                   "X-Query-Time", "X-Query-Timeout-Hit", "X-Query-Federated", "X-Query-Cache",
                   "Content-Location", "Link", "ETag", "Retry-After", "X-RateLimit-Limit",
                   "X-RateLimit-Remaining", "X-RateLimit-Reset", "Location", "WWW-Authenticate"]


def open_curation(app: Flask) -> None:
    """With a token file, open the curated data for writing (its history started if needed,
    a commit a crash interrupted finished or rolled back)."""
    if not app.config["TOKENS"]:
        return
    from ..curation import Curation
    from ..project import Project

    project = Project(app.config["DATA_DIR"], app.config["RELEASE_DIR"])
    if project.bundled_data:
        raise CurationRefused(f"{project.data_dir}: the data shipped inside the package cannot "
                              "be curated; give a data directory of your own (--data DIR)")
    app.extensions["bclm-curation"] = Curation.open(project)


def create_app(settings: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: open the release's store, start the query pool, register blueprints."""
    app = Flask(__name__)
    app.config.update(config.resolve(settings))
    app.json.ensure_ascii = False
    state.init_app(app)
    open_curation(app)
    CORS(app, origins="*", send_wildcard=True, methods=["GET", "HEAD", "POST", "OPTIONS"],
         allow_headers=["Authorization", "Content-Type", "Accept"],
         expose_headers=EXPOSED_HEADERS, max_age=86400)
    if app.config["ACCESS_LOG"]:
        access_log.init_app(app)
    register_error_handlers(app)
    # Inside the middleware security and limits add (raw query encoding, trusted proxies), so
    # its keys see the request as the app does. When queries are rate-limited, kept answers are
    # given after the limiter has counted them; otherwise before Flask runs at all, and so are
    # plain queries' answers.
    limited = limits.reads_limited(app)
    if not limited:
        fast_query.init_app(app)
    answer_cache.init_app(app, early=not limited)
    security.init_app(app)
    limits.init_app(app)
    if limited:
        answer_cache.answer_after_limits(app)
    i18n.init_app(app)

    from . import (
        api,
        curating,
        dumps,
        evidence,
        figures,
        graph_store,
        linking,
        meta,
        metrics,  # imported here, not above: PROMETHEUS_MULTIPROC_DIR must be set first
        ontology,
        resources,
        sparql,
        ui,
    )

    metrics.init_app(app)
    meta.record_release(app)
    state.releases_of(app).on_swap(lambda _svc: meta.record_release(app))
    app.register_blueprint(sparql.bp)
    app.register_blueprint(meta.bp)
    app.register_blueprint(dumps.bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(figures.bp)
    app.register_blueprint(ontology.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(evidence.bp)
    app.register_blueprint(linking.bp)
    app.register_blueprint(graph_store.bp)
    app.register_blueprint(curating.bp)
    app.register_blueprint(resources.bp)  # last: its catch-all route is the least specific
    return app
