"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (read-only, bounded)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template, request
from werkzeug.exceptions import BadRequest, InternalServerError
from werkzeug.exceptions import NotAcceptable as NotAcceptableError

from ..formats import Format, formats_of
from ..linking import federation
from ..linking.allowlist import FederationFailed, FederationRefused
from ..query.execute import Outcome
from ..query.pool import PoolBusy, QueryTimeout, WorkerFailed
from ..query.sparql_text import query_hash
from . import answer_cache, description, fast_query, metrics, protocol
from .negotiation import negotiate
from .responses import error_response
from .state import service

bp = Blueprint("sparql", __name__)


def run_query(req: protocol.QueryRequest, bindings: tuple = ()) -> Response:
    """Run a query from the protocol (or a named query, with its parameters' ``bindings``) in
    the pool and answer it."""
    config = current_app.config
    g.query_hash = query_hash(req.query)
    try:
        resolved = federation.resolve(req.query, config["FEDERATION"])
    except FederationRefused as exc:
        raise BadRequest(str(exc)) from exc
    except FederationFailed as exc:
        return error_response(502, "Bad Gateway", f"A federated endpoint failed: {exc}")
    overall = negotiate(request, ["results", "graph", "html"])  # 406 if nothing fits
    if overall.kind == "html":
        return Response(render_template("query.html", query=req.query, autorun=True,
                                        inference=req.inference),
                        content_type="text/html; charset=utf-8")
    job, results_fmt, graph_fmt = protocol.query_job(request, config, req, resolved.query,
                                                     bindings)
    timeout = job.time_limit
    limits = protocol.limit_headers(job)
    if resolved.calls:
        limits["X-Query-Federated"] = ", ".join(
            f"{c.endpoint}={c.rows}{' truncated' if c.truncated else ''}"
            f"{' failed' if c.error else ''}" for c in resolved.calls)
    svc = service()
    version = svc.release_key
    # A federated answer depends on other endpoints' data, which may change: never kept. A GET
    # answer is kept whole by the answer cache (web/answer_cache.py), so only other requests'
    # outcomes are kept here: each answer is held (and counted) once.
    keep = not resolved.calls
    try:
        ran = fast_query.ran_before(request.environ, job)  # a fast-path run that did not succeed
        outcome, hit = ran if ran is not None else svc.run(
            job, cache=keep and request.method != "GET")
        if keep:  # a GET reaching here missed the answer cache
            metrics.cache_lookup(hit)
    except QueryTimeout:
        return _timeout(timeout, limits)
    except PoolBusy:
        return error_response(503, "Service Unavailable",
                              "Every query worker is busy; try again shortly.",
                              {**limits, "Retry-After": "5"})
    except WorkerFailed:
        return error_response(503, "Query Worker Failed",
                              "The process running this query stopped unexpectedly; it is being "
                              "replaced. Try again.", {**limits, "Retry-After": "1"})
    if outcome.status == "ok" and keep and request.method == "GET":
        answer_cache.mark(request.environ, version,
                          request.url_rule.rule if request.url_rule else None, g.query_hash)
    return _answer(outcome, results_fmt, graph_fmt,
                   {**limits, "X-Query-Cache": "hit" if hit else "miss"}, timeout)


def _timeout(timeout: float, limits: dict[str, str]) -> Response:
    metrics.query_timeout()
    return error_response(
        503, "Query Timeout",
        f"The query was stopped after the time limit of {timeout:g} s. "
        "Narrow it down (more specific patterns, LIMIT) and try again.",
        {**limits, "X-Query-Timeout-Hit": "true"})


def _answer(outcome: Outcome, results_fmt: Format | None, graph_fmt: Format | None,
            limits: dict[str, str], timeout: float) -> Response:
    if outcome.status == "syntax":
        raise BadRequest(f"Syntax error: {outcome.message}")
    if outcome.status == "invalid":
        raise BadRequest(f"The query cannot be evaluated: {outcome.message}")
    if outcome.status == "not_acceptable":
        kind = "SELECT/ASK results" if outcome.kind == "results" else "RDF (CONSTRUCT/DESCRIBE)"
        raise NotAcceptableError(
            f"No acceptable format for {kind}; available: "
            + ", ".join(f.media_type for f in _offered(outcome.kind)))
    if outcome.status == "timeout":
        return _timeout(timeout, limits)
    if outcome.status == "unavailable":
        return error_response(503, "Store Unavailable", outcome.message,
                              {**limits, "Retry-After": "5"})
    if outcome.status != "ok":
        raise InternalServerError(outcome.message)
    fmt = results_fmt if outcome.kind == "results" else graph_fmt
    assert fmt is not None
    response = Response(outcome.body, content_type=fmt.content_type)
    response.vary.add("Accept")
    response.headers.update(limits)
    response.headers["X-Query-Rows"] = str(outcome.rows)
    response.headers["X-Query-Time"] = f"{outcome.elapsed:.4f}"
    if outcome.truncated:
        response.headers["X-Query-Truncated"] = "true"
    return response


def _offered(kind: str | None) -> list[Format]:
    return formats_of(kind or "results")


@bp.route("/sparql/", methods=["GET", "POST"])
@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    req = protocol.parse(request, int(current_app.config["MAX_QUERY_BYTES"]))
    if req is None:
        return description.service_description()
    return run_query(req)
