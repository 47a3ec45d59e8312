"""Pages for people: the home/query page, and the example (named) queries."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from ..queries.params import ParameterError, bind
from . import queries
from .protocol import QueryRequest, wants_inference
from .responses import error_response
from .sparql import run_query

bp = Blueprint("ui", __name__)


@bp.route("/")
def home() -> Response:
    return Response(render_template("query.html", query=request.args.get("query"),
                                    autorun=False, inference=True),
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
