"""One structured (JSON) log line per request: route, status, duration, query hash."""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, Response, g, request

log = logging.getLogger("bclm_kg.access")


def write(method: str, path: str, route: str | None, status: int, started: float | None,
          query_hash: str | None, size: int | None, cache: str | None = None) -> None:
    """Log one request; ``started`` is its ``time.perf_counter()`` at arrival."""
    record = {
        "method": method,
        "path": path,
        "route": route,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
        "query_hash": query_hash,
        "bytes": size,
    }
    if cache:
        record["cache"] = cache
    log.info(json.dumps(record, separators=(",", ":")))


def init_app(app: Flask) -> None:
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        write(request.method, request.path, request.url_rule.rule if request.url_rule else None,
              response.status_code, g.get("started"), g.get("query_hash"),
              response.calculate_content_length(), response.headers.get("X-Query-Cache"))
        return response
