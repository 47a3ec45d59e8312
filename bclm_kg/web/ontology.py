"""The ontology IRI (``/ontology``): its documentation for browsers, the OWL (the ontology
graph, whole) for RDF clients, by content negotiation or by extension (``/ontology.ttl``,
``.jsonld``, ``.nt``, ``.rdf``)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from .. import ontology_docs
from ..formats import Format, by_extension, formats_of
from ..queries import load_query
from ..release import Release
from .negotiation import negotiate
from .responses import graph_response
from .state import service

bp = Blueprint("ontology", __name__)
KINDS = ("graph", "html")


def _alternates() -> list[tuple[str, Format]]:
    return [(f"/ontology.{fmt.extensions[0]}", fmt) for fmt in formats_of("graph")
            if fmt.name != "trig"]


def _docs() -> ontology_docs.OntologyDocs:
    """The documentation the build wrote into the release; read from the store if absent."""
    svc = service()
    written = Release(svc.release_dir).ontology_docs_file
    if written.is_file():
        return ontology_docs.from_json(written.read_bytes())
    return ontology_docs.build(svc.store)


def _owl(fmt: Format) -> Response:
    triples = list(service().store.query(load_query("ontology/graph")))
    return graph_response(triples, fmt)


def _linked(response: Response) -> Response:
    response.headers["Link"] = ", ".join(f'<{href}>; rel="alternate"; type="{f.media_type}"'
                                         for href, f in _alternates())
    return response


@bp.route("/ontology")
def ontology() -> Response:
    chosen = negotiate(request, KINDS)
    svc = service()
    if chosen.kind == "html":
        if "ontology-docs" not in svc.cache:
            svc.cache["ontology-docs"] = _docs()
        page = render_template("ontology.html", docs=svc.cache["ontology-docs"],
                               alternates=_alternates())
        response = Response(page, content_type="text/html; charset=utf-8")
    else:
        response = _owl(chosen)
        response.headers["Content-Location"] = f"/ontology.{chosen.extensions[0]}"
    response.vary.add("Accept")
    return _linked(response)


@bp.route("/ontology.<ext>")
def ontology_file(ext: str) -> Response:
    fmt = by_extension(ext, "graph")
    if fmt is None or fmt.name == "trig":
        abort(404, description=f"The ontology is not offered as .{ext}; try "
                               + ", ".join(href for href, _ in _alternates()) + ".")
    return _linked(_owl(fmt))
