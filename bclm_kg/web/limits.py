"""Rate limits (429 with ``Retry-After``) and request body limits (413), for every route.

Two budgets per client address, counted by flask-limiter:

* writes — any POST, PUT, PATCH or DELETE except a SPARQL query (``/sparql``) and the label
  lookup the query page posts (``/api/labels``);
* expensive reads — SPARQL queries (``/sparql``, ``/query/{name}``), questions (``/api/ask``),
  the figures and the map, and search pages of more than :data:`LARGE_PAGE` items or CSV.

Limits are set by ``RATE_LIMIT_WRITES`` / ``RATE_LIMIT_READS`` (``BCLM_*`` variables; "off"
disables one) and counted in ``RATE_LIMIT_STORAGE``: ``memory://`` keeps the counters in each
process, so under gunicorn with N workers a client may get up to N times the limit (requests
are spread over the workers); ``redis://host:6379`` (or any storage of the ``limits`` library)
shares them. Behind reverse proxies every client has the last proxy's address unless
``TRUSTED_PROXIES`` says how many there are: the client is then read from ``X-Forwarded-For``
(Werkzeug's ``ProxyFix``; never trusted otherwise, as any client can send it).

Bodies: ``MAX_CONTENT_LENGTH`` bounds every request (the query size limit, with room for form
encoding); a route marked with :func:`accepts_upload` takes up to ``MAX_UPLOAD_BYTES``. A body
over the limit is refused before the view runs. Every 413 and 429 is answered by the app's
error handler (JSON, HTML or text by ``Accept``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import Limit, Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from .responses import error_response

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_POSTS = frozenset({"sparql.endpoint", "ui.labels"})  # POSTs that change nothing
EXPENSIVE = frozenset({"sparql.endpoint", "ui.named_query", "api.ask", "figures.index",
                       "figures.figure_svg", "figures.world_map"})
LARGE_PAGE = 100  # search API pages of more items than this count as expensive reads
OFF = ("", "off", "none", "0")


def is_write() -> bool:
    return request.method in WRITE_METHODS and request.endpoint not in READ_POSTS


def is_expensive_read() -> bool:
    if request.method in WRITE_METHODS and request.endpoint != "sparql.endpoint":
        return False
    if request.endpoint in EXPENSIVE:
        return True
    if request.endpoint == "api.search":  # every item as CSV, or a large page
        limit = request.args.get("limit", "")
        csv = (request.view_args or {}).get("suffix") == "csv" or request.accept_mimetypes \
            .best_match(["application/json", "text/csv", "application/ld+json"]) == "text/csv"
        return csv or (limit.isdigit() and int(limit) > LARGE_PAGE)
    return False


def _limit(setting: str, scope: str, applies: Callable[[], bool], what: str) -> Limit | None:
    value = str(current_app.config[setting] or "").strip()
    if value.lower() in OFF:
        return None
    return Limit(value, scope=scope, shared=True, exempt_when=lambda: not applies(),
                 error_message=f"Too many {what} from this address (at most {value}); try "
                               "again after the number of seconds in Retry-After.")


def reads_limited(app: Flask) -> bool:
    """Whether ``app`` rate-limits queries and other expensive reads."""
    return str(app.config["RATE_LIMIT_READS"] or "").strip().lower() not in OFF


def init_app(app: Flask) -> Limiter:
    """Body size limits and the two rate limits for ``app``."""
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_QUERY_BYTES"]) * 4 + 4096
    app.before_request(_body_limit)
    hops = int(app.config["TRUSTED_PROXIES"] or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    with app.app_context():
        budgets = [(limit, applies) for limit, applies in (
            (_limit("RATE_LIMIT_WRITES", "writes", is_write, "writes"), is_write),
            (_limit("RATE_LIMIT_READS", "expensive-reads", is_expensive_read,
                    "queries and other expensive reads"), is_expensive_read),
        ) if limit is not None]
    limits = [limit for limit, _applies in budgets]
    limiter = Limiter(get_remote_address, app=app, default_limits=limits,
                      storage_uri=app.config["RATE_LIMIT_STORAGE"],
                      swallow_errors=True,  # a storage outage must not take the service down
                      enabled=bool(limits))

    @limiter.request_filter
    def _no_budget_applies() -> bool:
        """A request no limit counts skips the limiter's per-limit machinery (e.g. every GET
        query when only writes are limited)."""
        return not any(applies() for _limit, applies in budgets)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded) -> Response:
        # Retry-After is the end of the breached window (flask-limiter's own headers would also
        # rewrite the Retry-After of a 503 answer on a limited route)
        counted = limiter.current_limits
        breached = [limit for limit in counted if limit.breached] or counted
        reset = max((limit.reset_at for limit in breached), default=time.time())
        wait = max(1, math.ceil(reset - time.time()))
        return error_response(429, "Too Many Requests", exc.description or "",
                              {"Retry-After": str(wait)})

    return limiter


def accepts_upload(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark ``view`` as taking uploads: its body may be up to ``MAX_UPLOAD_BYTES`` (413 above).
    The mark survives decorators made with :func:`functools.wraps`."""
    view.accepts_upload = True  # type: ignore[attr-defined]
    return view


def _body_limit() -> None:
    """Refuse a body over the route's limit before any view runs (whether it reads it or not);
    a body without Content-Length is cut at the same limit when read."""
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "accepts_upload", False):
        request.max_content_length = int(current_app.config["MAX_UPLOAD_BYTES"])
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
