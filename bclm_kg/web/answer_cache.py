"""Repeated queries answered before Flask: finished answers kept by release and request.

A GET whose answer was a successful query result (``/sparql``, ``/query/<name>``) is kept as its
status, headers and body, keyed by the release version, the path, the raw query string and the
request headers the answer can depend on (``Accept``, ``Host``, ``Origin``, the URL scheme).
The same request again is answered here — a dict lookup and a write — with
``X-Query-Cache: hit``. A new release changes the version in the key and a different Accept
header or ``format=`` is a different key, so an answer never crosses releases or formats.
The view decides what may be kept: it marks the request with :data:`MARK`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, g, request

from ..query.cache import ResultCache, size_of
from . import access_log, state

MARK = "bclm.answer_cache"  # environ: (release version, route, query hash) of a keepable answer
CACHE_HEADER = "X-Query-Cache"

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


def mark(environ: dict, version: str, route: str | None, query_hash: str | None) -> None:
    """Let this request's answer be kept (the view calls it for a successful query result)."""
    environ[MARK] = (version, route, query_hash)


def request_key(version: str, environ: dict) -> tuple:
    """Everything of a GET request its answer can depend on, with the release."""
    return ("http", version, environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT", ""), environ.get("HTTP_HOST", ""),
            environ.get("HTTP_ORIGIN", ""), environ.get("wsgi.url_scheme", ""))


class AnswerCache:
    """WSGI middleware in front of the Flask app, sharing the service's byte-bounded cache.

    With ``early`` it answers hits itself; without (when queries are rate-limited, so that a
    hit still counts), :func:`answer_after_limits` answers them inside Flask instead.
    """

    def __init__(self, app: Flask, wsgi_app: WsgiApp, log: bool, early: bool = True) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.log = log
        self.early = early
        # imported once the app is built: PROMETHEUS_MULTIPROC_DIR must be set before
        from . import metrics

        self.metrics = metrics

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        service = state.releases_of(self.app).latest()
        cache: ResultCache | None = service.results
        if cache is None or not cache.enabled:
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        k = request_key(service.release_key, environ)
        found = cache.get(k) if self.early else None
        if found is not None:
            status, headers, body, route, query_hash = found  # type: ignore[misc]
            start_response(status, list(headers))
            self.metrics.answered_before_flask("GET", route, status[:3], started, hit=True)
            if self.log:
                access_log.write("GET", k[2], route, int(status[:3]), started, query_hash,
                                 len(body), "hit")
            return [body]
        return self._answer_and_keep(environ, start_response, cache, k)

    def _answer_and_keep(self, environ: dict, start_response: Callable, cache: ResultCache,
                         k: tuple) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        answer = self.wsgi_app(environ, capture)
        marked = environ.get(MARK)
        if marked is None or marked[0] != k[1] or not seen.get("status", "").startswith("200"):
            return answer
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        headers = tuple((name, "hit" if name == CACHE_HEADER else value)
                        for name, value in seen["headers"])
        _version, route, query_hash = marked
        cache.put_sized(k, (seen["status"], headers, body, route, query_hash),
                        size_of((k, headers, body, route, query_hash)))
        return [body]


def init_app(app: Flask, early: bool = True) -> None:
    """Keep answers; with ``early``, answer hits before Flask."""
    app.wsgi_app = AnswerCache(app, app.wsgi_app, bool(app.config["ACCESS_LOG"]), early)  # type: ignore[method-assign]


def answer_after_limits(app: Flask) -> None:
    """Answer hits from a ``before_request`` hook; registered after the rate limiter's, so a
    hit is counted like any query."""
    @app.before_request
    def _kept_answer() -> Response | None:
        if request.method != "GET":
            return None
        service = state.service()
        if service.results is None or not service.results.enabled:
            return None
        found = service.results.get(request_key(service.release_key, request.environ))
        if found is None:
            return None
        from . import metrics

        metrics.cache_lookup(True)
        status, headers, body, _route, query_hash = found  # type: ignore[misc]
        g.query_hash = query_hash
        return Response(body, status=int(status[:3]), headers=list(headers))
