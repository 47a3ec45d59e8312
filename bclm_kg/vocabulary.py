"""What the query editor completes and how results are named: the prefixes, the ontology's
classes and properties with their English and Chinese labels, and the label of any IRI."""

from __future__ import annotations

from collections.abc import Iterable

from .namespaces import PREFIXES, compact_iri
from .queries import load_query
from .query.store import KnowledgeStore


def terms(store: KnowledgeStore) -> dict:
    """``{"prefixes": {prefix: iri}, "terms": [{curie, iri, kind, en, zh}]}``."""
    seen: dict[str, dict] = {}
    for row in store.query(load_query("web/vocabulary")):
        iri = row["term"].value
        entry = seen.setdefault(iri, {"curie": compact_iri(iri) or iri, "iri": iri,
                                      "kind": row["kind"].value, "en": None, "zh": None})
        for lang in ("en", "zh"):
            if row[f"label_{lang}"] is not None and not entry[lang]:
                entry[lang] = row[f"label_{lang}"].value
    return {"prefixes": dict(PREFIXES), "terms": list(seen.values())}


def all_labels(store: KnowledgeStore) -> dict[str, dict[str, str]]:
    """``{iri: {"en": …, "zh": …}}`` for every labelled IRI (first label per language)."""
    labels: dict[str, dict[str, str]] = {}
    for row in store.query(load_query("web/labels")):
        literal = row["label"]
        lang = (literal.language or "en").split("-")[0]
        labels.setdefault(row["term"].value, {}).setdefault(lang, literal.value)
    return labels


def labels_for(index: dict[str, dict[str, str]], iris: Iterable[str]) -> dict[str, dict]:
    """The labels of ``iris`` found in ``index`` (from :func:`all_labels`), with their CURIEs."""
    out = {}
    for iri in iris:
        entry = dict(index.get(iri, {}))
        curie = compact_iri(iri)
        if curie:
            entry["curie"] = curie
        if entry:
            out[iri] = entry
    return out
