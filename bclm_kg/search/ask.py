"""Answering a question: parse it into facets, run the search, and answer a counting question
with the number, a comparing question with a summary per group — with the rows behind it."""

from __future__ import annotations

import statistics

from .engine import Search
from .question import Parsed, QuestionParser
from .selection import Paging

MEASURES = {"median_os": ("median OS", "months"), "os3": ("3-year OS", "%"),
            "os5": ("5-year OS", "%")}


def parser(search: Search) -> QuestionParser:
    """The question parser of a search (built once from its vocabularies)."""
    if not hasattr(search, "_question_parser"):
        studies = search.catalogue.studies.values()
        names = frozenset(str(s[k]).casefold() for s in studies
                          for k in ("first_author", "registry_id") if s.get(k))
        search._question_parser = QuestionParser(search.vocabularies, names)
    return search._question_parser


def ask(search: Search, question: str, paging: Paging | None = None) -> dict:
    """The answer to ``question``: what was understood and ignored, the answer, the rows."""
    parsed = parser(search).parse(question)
    if parsed.intent == "compare":
        return _compare(search, parsed)
    result = search.search(parsed.kind, parsed.selection, paging, facets=False)
    answer = {"count": result["total"]} if parsed.intent == "count" else None
    return {**parsed.as_dict(), "answer": answer, "params": parsed.selection.params(),
            **{k: result[k] for k in ("total", "limit", "offset", "sort", "items", "sparql")}}


def _compare(search: Search, parsed: Parsed) -> dict:
    measure = parsed.measure or "median_os"
    name, unit = MEASURES[measure]
    groups = []
    for chosen in parsed.groups:
        selection = parsed.selection.with_terms("intervention", (chosen,)).with_range(
            f"{measure}_min", parsed.selection.range_map().get(f"{measure}_min", 0))
        items = search.all_items("arms", selection)
        values = [i[measure]["value"] for i in items if i.get(measure)]
        query, _ = search.matching("arms", selection)
        groups.append({
            "value": chosen.terms[0].code or chosen.terms[0].slug,
            "words": chosen.given,
            "label": {"en": chosen.terms[0].label_en, "zh": chosen.terms[0].label_zh},
            "params": selection.params(),
            "arms": len(values),
            "min": min(values) if values else None,
            "median": statistics.median(values) if values else None,
            "max": max(values) if values else None,
            "items": items,
            "sparql": query.as_dict(),
        })
    return {**parsed.as_dict(), "measure": measure,
            "answer": {"measure": name, "unit": unit,
                       "groups": [{k: g[k] for k in ("value", "label", "arms", "min", "median",
                                                     "max")} for g in groups]},
            "groups": groups, "total": sum(g["arms"] for g in groups)}
