"""``/evidence``: Tables 1 and 2 regenerated from the graph as one table (a row per arm, grouped
by study), with the facet sidebar and its counts, the question box, sorting, a column chooser
and a CSV download of the selection. Rendered on the server; the script only enhances it."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, render_template, request, url_for

from ..search import SORTS, SearchError
from ..search.ask import parser
from ..search.engine import group_rows
from ..search.facets import RANGE_FACETS, TERM_FACETS
from .api import searcher

bp = Blueprint("evidence", __name__)

COLUMNS = (("country", "Country"), ("year", "Year"), ("status", "Status"),
           ("n", "n"), ("interventions", "Interventions"), ("median_os", "Median OS (months)"),
           ("os3", "3-year OS (%)"), ("os5", "5-year OS (%)"),
           ("factors", "Favourable factors"), ("reference", "Reference"),
           ("notes", "Curation notes"))
EXTRA = ("col", "question", "asked")


@bp.route("/evidence")
def table() -> Response:
    engine = searcher()
    args = request.args.to_dict(flat=False)
    question = request.args.get("question", "").strip()
    if question and not (set(args) - set(EXTRA)):
        return redirect(_from_question(question), code=303)
    try:
        parsed = engine.parse(args, allow=EXTRA)
    except SearchError as exc:
        page = render_template("evidence_error.html", error=exc)
        return Response(page, status=400, content_type="text/html; charset=utf-8")
    selection = parsed.selection
    items = engine.all_items("arms", selection, parsed.paging.sort)
    counts = engine.facet_counts("arms", selection)
    columns = parsed.extra.get("col") or [c for c, _ in COLUMNS]
    unknown = [c for c in columns if c not in dict(COLUMNS)]
    if unknown:
        error = SearchError("col", f"unknown column {unknown[0]!r}", dict(COLUMNS))
        page = render_template("evidence_error.html", error=error)
        return Response(page, status=400, content_type="text/html; charset=utf-8")
    params = selection.params()
    query = urlencode(params + ([("sort", parsed.paging.sort)]
                                if parsed.paging.sort != "paper" else []))
    page = render_template(
        "evidence.html", groups=group_rows(items), total=len(items),
        studies=len({i["study"]["iri"] for i in items}), counts=counts,
        term_facets=TERM_FACETS, range_facets=RANGE_FACETS, ranges=selection.range_map(),
        text=selection.text, sort=parsed.paging.sort, sorts=SORTS, columns=COLUMNS,
        shown=set(columns), asked=request.args.get("asked"),
        csv_url=f"{url_for('api.search', kind='arms', suffix='csv')}?{query}",
        api_url=f"{url_for('api.search', kind='arms')}?{query}")
    return Response(page, content_type="text/html; charset=utf-8")


def _from_question(question: str) -> str:
    parsed = parser(searcher()).parse(question)
    params = parsed.selection.params()
    if parsed.kind == "trials":
        params.append(("type", "trial"))
    if parsed.intent == "compare":
        params += [("intervention", c.given) for c in parsed.groups]
        params.append(("sort", f"-{parsed.measure}"))
    params.append(("asked", question))
    return f"{url_for('evidence.table')}?{urlencode(params)}"
