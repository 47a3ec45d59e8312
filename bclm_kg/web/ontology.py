"""The ontology IRI (``/ontology``): its documentation for browsers, the OWL (the ontology
graph, whole) for RDF clients, by content negotiation."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from .. import ontology_docs
from ..queries import load_query
from .negotiation import negotiate
from .responses import graph_response
from .state import service

bp = Blueprint("ontology", __name__)
KINDS = ("graph", "html")


@bp.route("/ontology")
def ontology() -> Response:
    chosen = negotiate(request, KINDS)
    svc = service()
    if chosen.kind == "html":
        if "ontology-docs" not in svc.cache:
            svc.cache["ontology-docs"] = ontology_docs.build(svc.store)
        page = render_template("ontology.html", docs=svc.cache["ontology-docs"])
        response = Response(page, content_type="text/html; charset=utf-8")
    else:
        triples = [t for t in svc.store.query(load_query("ontology/graph"))]
        response = graph_response(triples, chosen)
    response.vary.add("Accept")
    return response
