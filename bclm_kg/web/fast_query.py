"""Plain SPARQL GETs answered before Flask: the query still runs in the worker pool (so it keeps
its hard time limit), but without Flask's request machinery, which costs more than a short query.

A GET of ``/sparql`` whose only parameter is ``query=`` (no dataset, no ``format=``, no
federation), or of a named query ``/query/<name>`` with its parameters (and ``inference``, but
no ``format=``), with an Accept header that picks a result or graph format, is a *plain query*.
Its answer's headers depend only on the request's route, Accept, Origin, Host and scheme and
on the kind of result, apart from the per-answer ones (size, rows, time, cache, truncation).
So the first plain query of each such shape is answered by Flask, and the headers of its
successful answer are kept as that shape's template; later plain queries of the shape are run
here and answered with the template and their own per-answer headers. Only successes are
answered here: any other outcome (a syntax error, a timeout, a busy pool) goes to Flask with
the outcome already in hand (:func:`ran_before`), so its error page comes from the one place
that makes them and the query does not run twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask
from werkzeug import Request
from werkzeug.exceptions import HTTPException

from ..queries.params import ParameterError, bind
from ..query.execute import Job, Outcome
from ..query.pool import PoolBusy, QueryTimeout, WorkerFailed
from ..query.sparql_text import query_hash
from . import access_log, answer_cache, protocol, queries, state
from .negotiation import NotAcceptable, negotiate

SPARQL_ROUTES = ("/sparql", "/sparql/")
NAMED_PREFIX = "/query/"
NAMED_RULE = "/query/<name>"  # the named queries' route, as metrics and logs name it
RAN = "bclm.fast_query.ran"  # environ: (job, outcome or exception) of a run that did not succeed
PER_ANSWER = frozenset(("content-length", "x-query-rows", "x-query-time", "x-query-cache",
                        "x-query-truncated"))
MAX_TEMPLATES = 256  # request shapes remembered per process (clients repeat theirs)

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]
Headers = tuple[tuple[str, str], ...]


def ran_before(environ: dict, job: Job) -> tuple[Outcome, bool] | None:
    """The outcome of ``job`` if the fast path already ran it for this request (re-raising the
    pool's exception if that is how it ended), else None; as ``Service.run`` returns it."""
    found = environ.pop(RAN, None)
    if found is None or found[0] != job:
        return None
    if isinstance(found[1], Exception):
        raise found[1]
    return found[1], False


def shape(environ: dict, kind: str) -> tuple:
    """What a plain query's answer headers can depend on, besides the answer itself."""
    return (environ.get("PATH_INFO", ""), environ.get("HTTP_ACCEPT", ""),
            environ.get("HTTP_ORIGIN", ""), environ.get("HTTP_HOST", ""),
            environ.get("wsgi.url_scheme", ""), kind)


class FastQuery:
    """WSGI middleware in front of the Flask app (inside the answer cache)."""

    def __init__(self, app: Flask, wsgi_app: WsgiApp) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.config: Mapping[str, Any] = app.config
        self.log = bool(app.config["ACCESS_LOG"])
        self.templates: dict[tuple, Headers] = {}
        self._lock = threading.Lock()
        from . import metrics  # once the app is built: PROMETHEUS_MULTIPROC_DIR is set by then

        self.metrics = metrics

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "GET" or not (
                path in SPARQL_ROUTES or path.startswith(NAMED_PREFIX)):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        plain = self._plain(environ, path)
        if plain is None:
            return self.wsgi_app(environ, start_response)
        job, kinds, route = plain
        if not any(shape(environ, kind) in self.templates for kind in kinds):
            return self._learn(environ, start_response, kinds)
        return self._run(environ, start_response, job, kinds, route, started)

    def _plain(self, environ: dict, path: str) -> tuple[Job, tuple[str, ...], str] | None:
        """The job of a plain query, the kinds of result it may give and its route's rule;
        None when the request is not one."""
        request = Request(environ)
        args = request.args
        try:
            if path in SPARQL_ROUTES:
                if len(args) != 1 or "query" not in args:
                    return None
                req = protocol.parse(request, int(self.config["MAX_QUERY_BYTES"]))
                if req is None:
                    return None
                bindings: tuple = ()
                route = path
            else:
                found = queries.example(path[len(NAMED_PREFIX):])
                if found is None or "format" in args or "output" in args:
                    return None
                bindings = bind(found.params, args.to_dict(), ignore=("inference",))
                req = protocol.QueryRequest(found.text, inference=protocol.wants_inference(
                    args.get("inference")))
                route = NAMED_RULE
            if "service" in req.query.lower():
                return None
            if negotiate(request, ["results", "graph", "html"]).kind == "html":
                return None
        except (HTTPException, NotAcceptable, ParameterError):
            return None  # Flask gives the error
        job, results_fmt, graph_fmt = protocol.query_job(request, self.config, req, req.query,
                                                         bindings)
        kinds = tuple(kind for kind, fmt in (("results", results_fmt), ("graph", graph_fmt))
                      if fmt is not None)
        return job, kinds, route

    def _learn(self, environ: dict, start_response: Callable,
               kinds: tuple[str, ...]) -> Iterable[bytes]:
        """Let Flask answer; keep its successful answer's headers as the template."""
        def capture(status: str, headers: list, exc_info=None):
            if status.startswith("200") and environ.get(answer_cache.MARK) is not None:
                kind = self._kind_of(headers, kinds)
                if kind is not None and len(self.templates) < MAX_TEMPLATES:
                    kept = tuple((n, v) for n, v in headers if n.lower() not in PER_ANSWER)
                    with self._lock:
                        self.templates[shape(environ, kind)] = kept
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, capture)

    @staticmethod
    def _kind_of(headers: list, kinds: tuple[str, ...]) -> str | None:
        """The kind of result an answer's content type is, among the request's ``kinds``."""
        from ..formats import formats_of

        content_type = next((v for n, v in headers if n.lower() == "content-type"), "")
        media = content_type.split(";", 1)[0].strip().lower()
        for kind in kinds:
            if any(fmt.media_type == media for fmt in formats_of(kind)):
                return kind
        return None

    def _run(self, environ: dict, start_response: Callable, job: Job, kinds: tuple[str, ...],
             route: str, started: float) -> Iterable[bytes]:
        releases = state.releases_of(self.app)
        svc = releases.acquire()
        try:
            outcome, _hit = svc.run(job, cache=False)  # GET answers are kept whole, above
        except (QueryTimeout, PoolBusy, WorkerFailed) as exc:
            environ[RAN] = (job, exc)
            return self.wsgi_app(environ, start_response)
        finally:
            releases.release(svc)
        template = self.templates.get(shape(environ, outcome.kind or ""))
        if outcome.status != "ok" or template is None:
            environ[RAN] = (job, outcome)
            return self._learn(environ, start_response, kinds)
        headers = [*template, ("Content-Length", str(len(outcome.body))),
                   ("X-Query-Cache", "miss"), ("X-Query-Rows", str(outcome.rows)),
                   ("X-Query-Time", f"{outcome.elapsed:.4f}")]
        if outcome.truncated:
            headers.append(("X-Query-Truncated", "true"))
        digest = query_hash(job.query)
        answer_cache.mark(environ, svc.release_key, route, digest)
        start_response("200 OK", headers)
        self.metrics.answered_before_flask("GET", route, "200", started, hit=False)
        if self.log:
            access_log.write("GET", environ["PATH_INFO"], route, 200, started, digest,
                             len(outcome.body), "miss")
        return [outcome.body]


def init_app(app: Flask) -> None:
    """Answer plain queries before Flask (only where no rate limit must count them)."""
    app.wsgi_app = FastQuery(app, app.wsgi_app)  # type: ignore[method-assign]
