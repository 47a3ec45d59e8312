"""Operations and dataset metadata: ``/healthz``, ``/metrics`` and ``/.well-known/void``."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, current_app, jsonify

from ..query.remote import StoreUnavailable
from . import description, metrics
from .state import Service, releases_of, service

bp = Blueprint("meta", __name__)


def accepts_curation(app: Flask) -> bool:
    """Whether the service takes submissions (``--tokens`` given), or is read-only."""
    return bool(app.config.get("TOKENS"))


def record_release(app: Flask) -> None:
    """Publish the served version and the store's size as metrics."""
    svc: Service = app.extensions["bclm"]
    try:
        triples = svc.store.size()
    except (StoreUnavailable, OSError):  # a remote store that is down: /healthz says so
        triples = 0
    metrics.release_served(svc.version, triples)


@bp.route("/healthz")
def healthz() -> Response:
    """The store (kind, triples, when it was loaded), the version served, and whether the
    service accepts curation (and a newer release refused because it failed to load); 503 with
    the reason when the store cannot answer."""
    svc = service()
    store = {"kind": svc.store.spec.kind,
             "loaded_at": datetime.fromtimestamp(svc.loaded_at, UTC).isoformat()}
    mode = "curation" if accepts_curation(current_app) else "read-only"
    try:
        store["triples"] = svc.store.size()
    except (StoreUnavailable, OSError) as exc:
        response = jsonify(status="unavailable", reason=f"the store cannot answer: {exc}",
                           version=svc.version, store=store, mode=mode)
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response
    refused = releases_of(current_app).refused  # a newer release that failed to load
    return jsonify(status="ok", version=svc.version, store=store, quads=store["triples"],
                   mode=mode, workers_idle=svc.pool.idle, worker_restarts=svc.pool.restarts,
                   pid=os.getpid(),
                   **({"refused_release": refused} if refused else {}))


@bp.route("/metrics")
def prometheus() -> Response:
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type)


@bp.route("/.well-known/void")
def void() -> Response:
    return description.void_description()
