"""Linked Data: every IRI the project mints dereferences here.

``/study/…``, ``/trial/…``, ``/ontology/…`` and the rest answer with an HTML page for browsers
and Turtle, JSON-LD, N-Triples or RDF/XML by Accept or by extension (``.ttl``, ``.jsonld``,
``.nt``, ``.rdf``).
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request
from werkzeug.routing import PathConverter

from ..formats import Format, by_extension, formats_of
from ..namespaces import BASE
from .api import searcher
from .entity import PageBuilder, curie, local_path
from .negotiation import negotiate
from .responses import graph_response
from .schemaorg import json_ld
from .state import service

bp = Blueprint("resources", __name__)


class MintedPath(PathConverter):
    """A path a minted IRI may have: any but the API's (``api/…``) and the dry run's
    (``shacl``), whose own routes alone say which methods they take (``OPTIONS``, and the
    ``Allow`` of a 405)."""

    regex = r"(?!api/|shacl$)[^/].*?"


bp.record_once(lambda state: state.app.url_map.converters.setdefault("minted", MintedPath))

KINDS = ("graph", "html")


def _minted(path: str) -> ox.NamedNode | None:
    """The IRI a path names, or None when the path holds what no IRI can (``<``, a space…)."""
    try:
        return ox.NamedNode(BASE + path)
    except ValueError:
        return None


def _resolve(path: str) -> tuple[ox.NamedNode, Format | None]:
    """The resource a path names, and the format its extension asks for (if any)."""
    store = service().store
    node = _minted(path)
    if node is not None and store.contains(node):
        return node, None
    stem, dot, ext = path.rpartition(".")
    fmt = by_extension(ext, *KINDS) if dot else None
    if fmt is not None:
        node = _minted(stem)
        if node is not None and store.contains(node):
            return node, fmt
    abort(404, description=f"{BASE}{path} is not a resource of this dataset.")


def _builder() -> PageBuilder:
    svc = service()
    if "pages" not in svc.cache:
        svc.cache["pages"] = PageBuilder(svc.store)
    return svc.cache["pages"]


def _alternates(path: str) -> list[tuple[str, Format]]:
    return [(f"/{path}.{fmt.extensions[0]}", fmt) for fmt in formats_of("graph")
            if fmt.name != "trig"]


@bp.route("/<minted:path>")
def resource(path: str) -> Response:
    node, fmt = _resolve(path)
    chosen = fmt or negotiate(request, KINDS)
    stem = node.value[len(BASE):]
    if chosen.kind == "html":
        entity = _builder().build(node.value)
        page = render_template("entity.html", entity=entity, curie=curie, local_path=local_path,
                               alternates=_alternates(stem), json_ld=json_ld(entity),
                               summary=searcher().summary(node.value))
        response = Response(page, content_type="text/html; charset=utf-8")
    else:
        response = graph_response(service().store.describe(node), chosen)
    if fmt is None:
        response.vary.add("Accept")
        ext = chosen.extensions[0]
        response.headers["Content-Location"] = f"/{stem}.{ext}"
    links = [f'<{href}>; rel="alternate"; type="{f.media_type}"'
             for href, f in _alternates(stem)]
    response.headers["Link"] = ", ".join(links)
    return response
