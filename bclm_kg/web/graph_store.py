"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graph-store``, read side.

``GET``/``HEAD ?graph=IRI`` gives one of the release's named graphs, ``?default`` the default
graph (the union of the named graphs, as for queries), in any RDF format of the registry by
``Accept`` or ``format=``; graphs are identified indirectly only. The data change only through
curation, so ``PUT``, ``POST``, ``DELETE`` and ``PATCH`` answer 405 and point to
``POST /api/submissions``.
"""

from __future__ import annotations

import hashlib
import json

import pyoxigraph as ox
from flask import Blueprint, Response, request, url_for
from werkzeug.exceptions import BadRequest, NotFound

from .negotiation import negotiate
from .responses import graph_response
from .state import service

bp = Blueprint("graph_store", __name__)

ROUTE = "/rdf-graph-store"
READ = ("GET", "HEAD")
WRITE = ("PUT", "POST", "DELETE", "PATCH")
SPEC = "https://www.w3.org/TR/sparql11-http-rdf-update/"


def graph_name() -> ox.NamedNode | None:
    """The graph the request names: an IRI (``graph=``), or None for ``default``.

    Both parameters, neither, more than one ``graph`` or a value that is not an absolute IRI
    are a bad request, as the protocol says.
    """
    args = request.args
    graphs = args.getlist("graph")
    if graphs and "default" in args:
        raise BadRequest("Give either graph=IRI or default, not both.")
    if not graphs and "default" not in args:
        raise BadRequest("Name the graph: graph=IRI (one of the release's named graphs, listed "
                         "in the service description at /sparql) or default (their union).")
    if len(graphs) > 1:
        raise BadRequest(f"Exactly one 'graph' parameter is allowed; got {len(graphs)}.")
    if not graphs:
        return None
    try:
        node = ox.NamedNode(graphs[0])
    except ValueError as exc:
        raise BadRequest(f"graph={graphs[0]!r} is not an absolute IRI: {exc}.") from exc
    if ":" not in graphs[0]:
        raise BadRequest(f"graph={graphs[0]!r} is not an absolute IRI.")
    return node


@bp.route(ROUTE, methods=[*READ, "OPTIONS"], provide_automatic_options=False)
def read() -> Response:
    if request.method == "OPTIONS":  # only the read methods: the write ones answer 405
        response = Response(status=200)
        response.headers["Allow"] = ", ".join((*READ, "OPTIONS"))
        return response
    name = graph_name()
    fmt = negotiate(request, ["graph"])
    svc = service()
    triples = svc.store.graph_triples(name)
    if triples is None:
        raise NotFound(f"There is no graph <{name.value}> in this release; its named graphs "
                       "are listed in the service description at /sparql.")
    response = graph_response(triples, fmt)
    tag = f"{svc.version}\n{name.value if name else ''}\n{fmt.name}"
    response.set_etag(hashlib.sha256(tag.encode("utf-8")).hexdigest()[:32])
    return response.make_conditional(request)


@bp.route(ROUTE, methods=WRITE, provide_automatic_options=False)
def write() -> Response:
    """The write side is not offered: changes go through curation."""
    submissions = url_for("graph_store.read", _external=True).removesuffix(ROUTE) \
        + "/api/submissions"
    body = {"status": 405, "error": "Method Not Allowed",
            "message": f"The graph store is read-only: {request.method} is not accepted. "
                       "Changes to the data are submitted as curation: POST /api/submissions "
                       "(see the README's curation section).",
            "allow": list(READ), "submit": {"method": "POST", "href": submissions}}
    response = Response(json.dumps(body), status=405, content_type="application/json")
    response.headers["Allow"] = ", ".join(READ)
    response.headers["Link"] = f'<{submissions}>; rel="alternate"'
    return response
