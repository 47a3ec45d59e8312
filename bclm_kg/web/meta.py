"""Operations and dataset metadata: ``/healthz`` and ``/.well-known/void``."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from . import description
from .state import service

bp = Blueprint("meta", __name__)


@bp.route("/healthz")
def healthz() -> Response:
    svc = service()
    return jsonify(status="ok", version=svc.version, quads=len(svc.store.store),
                   workers_idle=svc.pool.idle, worker_restarts=svc.pool.restarts)


@bp.route("/.well-known/void")
def void() -> Response:
    return description.void_description()
