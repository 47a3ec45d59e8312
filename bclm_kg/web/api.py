"""The search API: ``/api/studies``, ``/api/arms``, ``/api/trials``, ``/api/ask`` and the
OpenAPI description. Views parse the request, call the search library and render."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from ..search import KINDS, Paging, Search, SearchError
from ..search.ask import ask as answer_question
from ..search.export import to_csv, to_jsonld
from . import openapi
from .state import service

bp = Blueprint("api", __name__)

MEDIA = {"json": "application/json", "csv": "text/csv", "jsonld": "application/ld+json"}


def searcher() -> Search:
    """The app's search (vocabularies and catalogue read once from the store)."""
    cache = service().cache
    if "search" not in cache:
        cache["search"] = Search(service().store)
    return cache["search"]


def _format(suffix: str | None) -> str:
    if suffix:
        if suffix not in MEDIA:
            raise SearchError("format", f"unknown suffix .{suffix}", list(MEDIA))
        return suffix
    best = request.accept_mimetypes.best_match(
        ["application/json", "text/csv", "application/ld+json"], default="application/json")
    return {v: k for k, v in MEDIA.items()}[best]


def bad_request(exc: SearchError) -> Response:
    return Response(json.dumps(exc.as_dict(), ensure_ascii=False), status=400,
                    content_type="application/json")


def query_page_link(standalone: str) -> str:
    """A link that opens a query on the query page."""
    return url_for("ui.home", query=standalone)


def with_links(result: dict) -> dict:
    sparql = result.get("sparql")
    if sparql:
        sparql["query_page"] = query_page_link(sparql["standalone"])
    for group in result.get("groups", []):
        group["sparql"]["query_page"] = query_page_link(group["sparql"]["standalone"])
    return result


# Only the search kinds: the API's other paths (/api/submissions, …) are their routes' alone,
# so that OPTIONS and a 405's Allow list only the methods they take.
KIND = f"any({', '.join(KINDS)}):kind"


@bp.route(f"/api/<{KIND}>", defaults={"suffix": None})
@bp.route(f"/api/<{KIND}>.<suffix>")
def search(kind: str, suffix: str | None) -> Response:
    engine = searcher()
    try:
        fmt = _format(suffix)
        parsed = engine.parse(request.args.to_dict(flat=False))
    except SearchError as exc:
        return bad_request(exc)
    if fmt == "csv":
        items = engine.all_items(kind, parsed.selection, parsed.paging.sort)
        items = items[parsed.paging.offset:] if "limit" not in request.args else \
            items[parsed.paging.offset:parsed.paging.offset + parsed.paging.limit]
        response = Response(to_csv(kind, items), content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="bclm-{kind}.csv"'
    else:
        result = with_links(engine.search(kind, parsed.selection, parsed.paging))
        result["links"] = {"evidence": url_for("evidence.table", **_multi(parsed)),
                           "csv": url_for("api.search", kind=kind, suffix="csv",
                                          **_multi(parsed))}
        if fmt == "jsonld":
            body = to_jsonld(kind, result["items"], result["total"])
            response = Response(json.dumps(body, ensure_ascii=False),
                                content_type="application/ld+json")
        else:
            response = Response(json.dumps(result, ensure_ascii=False),
                                content_type="application/json")
    if suffix is None:
        response.vary.add("Accept")
    return response


def _multi(parsed) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in parsed.selection.params():
        out.setdefault(key, []).append(value)
    return out


@bp.route("/api/ask")
def ask() -> Response:
    question = request.args.get("q", "").strip()
    if not question:
        return bad_request(SearchError("q", "give a question, e.g. q=how many ongoing trials"))
    try:
        paging = searcher().parse({k: v for k, v in request.args.to_dict(flat=False).items()
                                   if k in ("limit", "offset", "sort")}).paging
    except SearchError as exc:
        return bad_request(exc)
    result = with_links(answer_question(searcher(), question, paging))
    if result.get("params") is not None:
        kind = result["kind"]
        query = urlencode(result["params"])
        result["links"] = {"api": f"{url_for('api.search', kind=kind)}?{query}",
                           "evidence": f"{url_for('evidence.table')}?{query}"}
    return Response(json.dumps(result, ensure_ascii=False), content_type="application/json")


@bp.route("/api/openapi.json")
def openapi_document() -> Response:
    doc = openapi.document(searcher(), request.host_url.rstrip("/"),
                           current_app.config.get("API_VERSION", "1.0.0"))
    return Response(json.dumps(doc, ensure_ascii=False, indent=1),
                    content_type="application/json")


@bp.route("/api/docs")
def docs() -> Response:
    doc = openapi.document(searcher(), request.host_url.rstrip("/"), "1.0.0")
    return Response(render_template("api_docs.html", doc=doc, examples=openapi.examples(doc)),
                    content_type="text/html; charset=utf-8")


__all__ = ["bp", "Paging"]
