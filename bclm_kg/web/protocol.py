"""Read a SPARQL 1.1 Protocol query request (GET, URL-encoded POST, direct POST).

Every way a request can be wrong raises the Werkzeug exception whose status the protocol asks
for; nothing here runs a query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Request
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    RequestEntityTooLarge,
    UnsupportedMediaType,
)

from ..formats import Format
from ..query.execute import Job
from ..query.sparql_text import looks_like_update
from .negotiation import NotAcceptable, negotiate

FORM = "application/x-www-form-urlencoded"
DIRECT_QUERY = "application/sparql-query"
DIRECT_UPDATE = "application/sparql-update"
READ_ONLY = "This endpoint is read-only: SPARQL Update requests are not accepted."


@dataclass(frozen=True)
class QueryRequest:
    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    inference: bool = True


def wants_inference(value: str | None) -> bool:
    """``inference=none`` (or false/0/off) runs the query without the inferred graph."""
    return (value or "").strip().lower() not in ("none", "false", "0", "off", "no")


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"Exactly one '{name}' parameter is allowed; got {len(values)}.")
    return values[0] if values else None


def _check_size(query: str, max_bytes: int) -> None:
    size = len(query.encode("utf-8"))
    if size > max_bytes:
        raise RequestEntityTooLarge(
            f"The query is {size} bytes; this endpoint accepts at most {max_bytes} bytes.")


def _direct_body(request: Request) -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(
            f"A direct POST query must be UTF-8 encoded; got charset={charset}.")
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"The request body is not valid UTF-8: {exc}.") from exc


def parse(request: Request, max_bytes: int) -> QueryRequest | None:
    """The query request, or None for a GET without a query (a service description request)."""
    args = request.args
    if request.method in ("GET", "HEAD"):
        if "update" in args:
            raise Forbidden(READ_ONLY)
        query = _one(args.getlist("query"), "query")
        if query is None:
            return None
        params = args
    elif request.method == "POST":
        mimetype = request.mimetype
        if mimetype == FORM:
            form = request.form
            if "update" in form or "update" in args:
                raise Forbidden(READ_ONLY)
            query = _one(form.getlist("query") + args.getlist("query"), "query")
            if query is None:
                raise BadRequest("A URL-encoded POST must carry a 'query' parameter.")
            params = form.copy()
            for key in ("default-graph-uri", "named-graph-uri", "inference"):
                params.setlist(key, form.getlist(key) + args.getlist(key))
        elif mimetype == DIRECT_QUERY:
            if "query" in args:
                raise BadRequest("A direct POST carries the query in the body, not in 'query='.")
            query = _direct_body(request)
            params = args
        elif mimetype == DIRECT_UPDATE:
            raise Forbidden(READ_ONLY)
        else:
            shown = mimetype or "none"
            raise UnsupportedMediaType(
                f"POST a query as {FORM} or {DIRECT_QUERY}; the request's media type was {shown}.")
    else:  # routing allows only GET, HEAD and POST
        raise BadRequest(f"Method {request.method} is not a SPARQL query method.")
    _check_size(query, max_bytes)
    if not query.strip():
        raise BadRequest("The query is empty.")
    if looks_like_update(query):
        raise Forbidden(READ_ONLY)
    return QueryRequest(
        query=query,
        default_graphs=tuple(params.getlist("default-graph-uri")),
        named_graphs=tuple(params.getlist("named-graph-uri")),
        inference=wants_inference(params.get("inference")),
    )


def _format_or_none(request: Request, kinds: list[str]) -> Format | None:
    try:
        return negotiate(request, kinds)
    except NotAcceptable:
        return None


def query_job(request: Request, config: Mapping[str, Any], req: QueryRequest, query: str,
              bindings: tuple = ()) -> tuple[Job, Format | None, Format | None]:
    """The job for ``query`` (``req``'s text, federation resolved) under the service's limits,
    and the result and graph formats the request accepts (None where none fits)."""
    results_fmt = _format_or_none(request, ["results"])
    graph_fmt = _format_or_none(request, ["graph"])
    job = Job(
        query=query,
        results_format=results_fmt.name if results_fmt else None,
        graph_format=graph_fmt.name if graph_fmt else None,
        inference=req.inference,
        default_graphs=req.default_graphs,
        named_graphs=req.named_graphs,
        max_rows=int(config["MAX_ROWS"]),
        time_limit=float(config["QUERY_TIMEOUT"]),
        base_iri=request.base_url,
        bindings=bindings,
    )
    return job, results_fmt, graph_fmt


def limit_headers(job: Job) -> dict[str, str]:
    """The headers every answer to ``job`` carries: its time and row limits."""
    return {"X-Query-Timeout": f"{job.time_limit:g}", "X-Query-Row-Limit": str(job.max_rows)}
