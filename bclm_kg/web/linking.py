"""Linking routes: ``/api/lookup``, the published mappings, JSON-LD context and prefix map,
and the SPARQL examples as RDF at ``/.well-known/sparql-examples``."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request, send_file, url_for

from ..linking import publish
from ..linking.examples import example_triples
from ..linking.identifiers import UnknownIdentifier
from ..linking.lookup import lookup as run_lookup
from ..linking.prefixes import PREFIX_MAP_FILE, load_converter
from . import queries
from .negotiation import negotiate
from .responses import graph_response
from .state import service

bp = Blueprint("linking", __name__)

FILES = {
    publish.SSSOM_TSV: "text/tab-separated-values",
    publish.SSSOM_TTL: "text/turtle",
    publish.CONTEXT: "application/ld+json",
    PREFIX_MAP_FILE: "application/json",
}


def converter():
    svc = service()
    if "converter" not in svc.cache:
        svc.cache["converter"] = load_converter(svc.release_dir)
    return svc.cache["converter"]


@bp.route("/api/lookup")
def lookup() -> Response:
    """``?id=`` a CURIE or IRI → the entities it maps to, with their studies and arms."""
    try:
        result = run_lookup(service().store, converter(), request.args.get("id", ""))
    except UnknownIdentifier as exc:
        response = jsonify(status=400, error="Bad Request", message=str(exc), id=exc.text,
                           reason=exc.reason, known_prefixes=exc.known)
        response.status_code = 400
        return response
    return jsonify(result.to_dict())


@bp.route("/<any(\"mappings.sssom.tsv\", \"mappings.sssom.ttl\", \"context.jsonld\", "
          "\"prefixes.json\"):name>")
def published(name: str) -> Response:
    path = (service().release_dir / name).resolve()
    if not path.is_file():
        abort(404, description=f"{name} is not in this release; rebuild it with bclm-kg build.")
    return send_file(path, mimetype=FILES[name], conditional=True, etag=True, max_age=0)


def _examples_base() -> str:
    return url_for("linking.sparql_examples", _external=True) + "/"


@bp.route("/.well-known/sparql-examples")
def sparql_examples() -> Response:
    triples = example_triples(queries.examples(), url_for("sparql.endpoint", _external=True),
                              _examples_base())
    return graph_response(triples, negotiate(request, ["graph"]))


@bp.route("/.well-known/sparql-examples/<name>")
def sparql_example(name: str) -> Response:
    found = queries.example(name)
    if found is None:
        abort(404, description=f"No example query named {name}.")
    triples = example_triples([found], url_for("sparql.endpoint", _external=True),
                              _examples_base())
    return graph_response(triples, negotiate(request, ["graph"]))
