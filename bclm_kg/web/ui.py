"""Pages for people: the home/query page, and the example (named) queries."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from .. import vocabulary
from ..queries.params import ParameterError, bind
from . import assets, queries
from .protocol import QueryRequest, wants_inference
from .responses import error_response
from .sparql import run_query
from .state import service

bp = Blueprint("ui", __name__)


@bp.app_context_processor
def _assets() -> dict:
    """Whether the bundled browser assets (``npm run build``) are installed."""
    return {"editor": assets.installed("editor.js")}


@bp.route("/")
def home() -> Response:
    """The query page; ``?query=…&run=1&view=chart`` reopens a shared query and its view."""
    query = request.args.get("query") or None
    autorun = bool(query) and request.args.get("run") in ("1", "true")
    return Response(render_template("query.html", query=query, autorun=autorun,
                                    inference=request.args.get("inference") != "none",
                                    view=request.args.get("view", "table")),
                    content_type="text/html; charset=utf-8")


@bp.route("/api/examples")
def examples() -> Response:
    return jsonify([
        {"name": q.name, "title": q.title, "description": q.description, "query": q.text,
         "url": url_for("ui.named_query", name=q.name),
         "parameters": [p.as_dict() for p in q.params]}
        for q in queries.examples()
    ])


@bp.route("/query/<name>")
def named_query(name: str) -> Response:
    """Run an example query by name; results by content negotiation like ``/sparql``. Declared
    parameters are bound as values (``?min_os5=50``); a value of the wrong type is a 400."""
    found = queries.example(name)
    if found is None:
        abort(404, description=f"No example query named {name}.")
    try:
        bindings = bind(found.params, request.args.to_dict(),
                        ignore=("inference", "format", "output"))
    except ParameterError as exc:
        return error_response(400, "Bad Request", str(exc))
    return run_query(QueryRequest(found.text, inference=wants_inference(
        request.args.get("inference"))), bindings)


MAX_LABEL_IRIS = 5000


@bp.route("/api/vocabulary")
def vocabulary_terms() -> Response:
    """Prefixes, classes and properties with labels, for the editor's completion."""
    svc = service()
    if "vocabulary" not in svc.cache:
        svc.cache["vocabulary"] = vocabulary.terms(svc.store)
    return jsonify(svc.cache["vocabulary"])


@bp.route("/api/labels", methods=["POST"])
def labels() -> Response:
    """The labels of the IRIs posted as a JSON list (results tables show names)."""
    iris = request.get_json(silent=True)
    if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
        abort(400, description="POST a JSON list of IRI strings to /api/labels.")
    if len(iris) > MAX_LABEL_IRIS:
        abort(413, description=f"At most {MAX_LABEL_IRIS} IRIs per request ({len(iris)} sent).")
    svc = service()
    if "labels" not in svc.cache:
        svc.cache["labels"] = vocabulary.all_labels(svc.store)
    return jsonify(vocabulary.labels_for(svc.cache["labels"], iris))
