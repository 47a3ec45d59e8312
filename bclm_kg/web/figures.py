"""The review's figures (``/figures``) and the map of studies by country (``/map``).

Views only: the figures and the map are computed by :mod:`bclm_kg.figures`."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, abort, g, render_template, request, url_for

from .. import figures
from ..figures import world
from ..queries import load_query
from . import assets
from .state import service

TOPOLOGY = "countries-110m.json"

bp = Blueprint("figures", __name__)


def _svg(figure: figures.Figure, lang: str) -> str:
    """The figure's SVG, drawn once per figure, language and data."""
    key = hashlib.sha256(json.dumps([figure.spec.id, lang, figure.rows], default=str)
                         .encode()).hexdigest()
    cache = service().cache.setdefault("figure-svg", {})
    if key not in cache:
        cache[key] = figures.svg(figure, lang)
    return cache[key]


def _figure(figure_id: str) -> figures.Figure:
    spec = figures.spec(figure_id)
    if spec is None:
        ids = ", ".join(f.id for f in figures.CATALOGUE)
        abort(404, description=f"No figure {figure_id!r}; the figures are {ids}.")
    return figures.compute(service().store, spec)


def query_link(text: str) -> str:
    return url_for("ui.home", query=text, run=1)


@bp.route("/figures")
def index() -> Response:
    shown = []
    for figure in figures.compute_all(service().store):
        svg = _svg(figure, g.lang)
        shown.append((figure, svg[svg.index("<svg"):]))
    page = render_template("figures.html", figures=shown, query_link=query_link)
    return Response(page, content_type="text/html; charset=utf-8")


@bp.route("/figures/<figure_id>.svg")
def figure_svg(figure_id: str) -> Response:
    figure = _figure(figure_id)
    response = Response(_svg(figure, g.lang), content_type="image/svg+xml; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="figure-{figure.spec.id}.svg"'
    return response


@bp.route("/figures/<figure_id>.csv")
def figure_csv(figure_id: str) -> Response:
    figure = _figure(figure_id)
    response = Response(figures.to_csv(figure), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="figure-{figure.spec.id}.csv"')
    return response


def _topology() -> dict | None:
    """The world-atlas geometry installed by ``npm run build``, or None when it is missing."""
    cache = service().cache
    if "topology" not in cache:
        path = assets.path(TOPOLOGY)
        cache["topology"] = json.loads(path.read_text("utf-8")) if path.is_file() else None
    return cache["topology"]


@bp.route("/map")
def world_map() -> Response:
    found = world.countries(service().store)
    topology = _topology()
    svg = None
    if topology is not None:
        base = request.host_url.rstrip("/")
        key = hashlib.sha256(json.dumps([g.lang, base, [c.__dict__ for c in found]])
                             .encode()).hexdigest()
        cache = service().cache.setdefault("map-svg", {})
        if key not in cache:
            drawn = world.map_svg(found, topology, g.lang, base)
            cache[key] = drawn[drawn.index("<svg"):]
        svg = cache[key]
    page = render_template("map.html", countries=found, svg=svg,
                           query_link=query_link(load_query(world.QUERY)))
    return Response(page, content_type="text/html; charset=utf-8")
