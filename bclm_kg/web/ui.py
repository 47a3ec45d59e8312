"""Pages for people: the home/query page, and the example (named) queries."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from . import queries
from .protocol import QueryRequest, wants_inference
from .sparql import run_query

bp = Blueprint("ui", __name__)


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
         "url": url_for("ui.named_query", name=q.name)}
        for q in queries.examples()
    ])


@bp.route("/query/<name>")
def named_query(name: str) -> Response:
    """Run an example query by name; results by content negotiation like ``/sparql``."""
    found = queries.example(name)
    if found is None:
        abort(404, description=f"No example query named {name}.")
    return run_query(QueryRequest(found.text, inference=wants_inference(
        request.args.get("inference"))))
