"""The search: a selection of facet values → the matching studies, arms or trials, with why each
matched, where the paper states it, its curation notes, facet counts and the SPARQL that ran."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache

from . import catalogue as catalogue_module
from . import vocabulary as vocabulary_module
from .catalogue import CERTAINTY, Catalogue
from .compose import Query, compose
from .facets import KINDS, RANGE_FACETS, TERM_FACETS, RangeFacet, TermFacet
from .fragments import run
from .selection import Paging, Parsed, Selection, parse
from .vocabulary import Vocabulary


def paper_position(study: dict) -> tuple[bool, int, int]:
    """Where a study stands in the paper's order: by table and row; studies without a table
    row (added after the review) after them."""
    table, row = study.get("table"), study.get("row")
    return (table is None, table or 0, row or 0)

SORTS = ("paper", "year", "size", "median_os", "os3", "os5", "country", "author", "label")


class Search:
    """Faceted search over one store; vocabularies and the catalogue are read once."""

    def __init__(self, store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._vocabularies: dict[str, Vocabulary] | None = None
        self._catalogue: Catalogue | None = None
        # The store of a release never changes, so answers are kept per selection.
        self._counts = lru_cache(maxsize=512)(self._facet_counts)
        self._matches = lru_cache(maxsize=512)(self._matching)

    @property
    def vocabularies(self) -> dict[str, Vocabulary]:
        with self._lock:
            if self._vocabularies is None:
                self._vocabularies = {f.name: vocabulary_module.load(self.store, f)
                                      for f in TERM_FACETS}
        return self._vocabularies

    @property
    def catalogue(self) -> Catalogue:
        with self._lock:
            if self._catalogue is None:
                self._catalogue = catalogue_module.load(self.store)
        return self._catalogue

    def parse(self, params: Mapping[str, Iterable[str]], allow: Iterable[str] = ()) -> Parsed:
        """Request parameters → selection and paging (:class:`SearchError` if wrong)."""
        return parse(params, self.vocabularies, SORTS, allow)

    def matching(self, kind: str, selection: Selection) -> tuple[Query, dict[str, dict]]:
        """Run the selection's query: item IRI → what each facet matched (do not modify)."""
        return self._matches(kind, selection)

    def _matching(self, kind: str, selection: Selection) -> tuple[Query, dict[str, dict]]:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
        query = compose(kind, selection)
        rows = run(self.store, query.text, query.bindings)
        matched: dict[str, dict] = {}
        for row in rows:
            entry = matched.setdefault(row["item"], {"_arms": set()})
            entry["_arms"].add(row["arm"])
            for facet, value in self._matched_values(row, selection):
                bucket = entry.setdefault(facet, [])
                if value not in bucket:
                    bucket.append(value)
        return query, matched

    def _matched_values(self, row: dict, selection: Selection):
        cat = self.catalogue
        active = selection.active()
        given = {t.iri: c.given for _, chosen in selection.terms for c in chosen for t in c.terms}
        if "intervention" in row and ({"intervention", "certainty"} & active):
            yield "intervention", {
                "intervention": cat.term(row["intervention"]),
                "certainty": CERTAINTY.get(row.get("intervention_link")),
                "value": given.get(row.get("intervention_value")),
                "arm": row["arm"]}
        if "region" in active and "region" in row:
            yield "region", {"region": cat.term(row["region"]),
                             "country": cat.term(row.get("region_country")),
                             "basis": row.get("region_basis")}
        if "country" in active and "country" in row:
            yield "country", {"country": cat.term(row["country"]),
                              "via": row.get("country_link", "").rsplit("/", 1)[-1]}
        for facet in TERM_FACETS:
            if facet.name in active and not facet.shows and not facet.needs:
                yield facet.name, cat.term(row.get(facet.var))
        for facet in RANGE_FACETS:
            if facet.name in active and facet.var in row:
                yield facet.name, {"value": row[facet.var], "unit": facet.unit,
                                   "arm": row["arm"] if facet.var.startswith(("os", "med"))
                                   else None}
        if "q" in active and "q_text" in row:
            yield "q", {"text": row["q_text"]}

    def search(self, kind: str, selection: Selection, paging: Paging | None = None,
               facets: bool = True) -> dict:
        """The page of results, with total, facet counts and the SPARQL."""
        paging = paging or Paging()
        query, matched = self.matching(kind, selection)
        order = self._order(kind, list(matched), paging.sort)
        page = [self._item(kind, iri, matched[iri])
                for iri in order[paging.offset:paging.offset + paging.limit]]
        result = {
            "kind": kind,
            "total": len(order),
            "limit": paging.limit,
            "offset": paging.offset,
            "sort": paging.sort,
            "selection": selection.as_dict(),
            "items": page,
            "sparql": query.as_dict(),
        }
        if facets:
            result["facets"] = self.facet_counts(kind, selection)
        return result

    def all_items(self, kind: str, selection: Selection, sort: str = "paper") -> list[dict]:
        """Every matching item, sorted (for CSV downloads and the evidence table)."""
        _, matched = self.matching(kind, selection)
        return [self._item(kind, iri, matched[iri])
                for iri in self._order(kind, list(matched), sort)]

    def _order(self, kind: str, iris: list[str], sort: str) -> list[str]:
        """Stable order: by the key (missing values last in either direction), then the
        paper's order (table, row, arm)."""
        cat = self.catalogue
        key = sort.lstrip("-")

        def value(iri: str):
            arm = cat.arms.get(iri) if kind == "arms" else None
            study = cat.studies[arm["study"] if arm else iri]
            arms = [arm] if arm else [cat.arms[a] for a in cat.arms_of[iri]]
            if key == "paper":
                return (*paper_position(study), (arm or {}).get("arm_index") or 0)
            if key == "year":
                return study.get("year")
            if key == "size":
                return arm.get("sample_size") if arm else (
                    study.get("sample_size") or study.get("planned_sample_size"))
            if key in ("median_os", "os3", "os5"):
                values = [a[key] for a in arms if a.get(key) is not None]
                return max(values) if values else None
            if key == "country":
                return (cat.terms.get(study.get("country"), {}).get("label_en"))
            if key == "author":
                return (study.get("first_author") or "").casefold() or None
            return ((arm or study).get("label_en") or "").casefold() or None

        iris = sorted(iris, key=lambda i: (
            *paper_position(cat.studies[cat.arms[i]["study"] if kind == "arms" else i]),
            (cat.arms.get(i) or {}).get("arm_index") or 0, i))
        if key == "paper":
            return iris[::-1] if sort.startswith("-") else iris
        present = [i for i in iris if value(i) is not None]
        missing = [i for i in iris if value(i) is None]
        present.sort(key=value, reverse=sort.startswith("-"))
        return present + missing

    def _item(self, kind: str, iri: str, matched: dict) -> dict:
        cat = self.catalogue
        arms = sorted(matched["_arms"], key=lambda a: (cat.arms[a].get("arm_index") or 0, a))
        matched = {k: v for k, v in matched.items() if k != "_arms"}
        if kind == "arms":
            arm = cat.arm_record(iri)
            study_iri = cat.arms[iri]["study"]
            item = {**arm, "kind": "arm", "study": cat.study_record(study_iri)}
            item["curation_notes"] = item["study"]["curation_notes"]
        else:
            item = {**cat.study_record(iri), "kind": "trial" if kind == "trials" else "study",
                    "arms": [cat.arm_record(a) for a in cat.arms_of[iri]],
                    "matching_arms": arms}
        item["matched"] = matched
        return item

    def summary(self, iri: str) -> dict | None:
        """What a clinician reads first on a study's or trial's page: the row of the tables
        with its arms side by side, or None for anything not in Tables 1 and 2."""
        cat = self.catalogue
        if iri not in cat.studies or cat.studies[iri].get("table") is None:
            return None
        return {**cat.study_record(iri), "arms": [cat.arm_record(a) for a in cat.arms_of[iri]]}

    def facet_counts(self, kind: str, selection: Selection) -> dict:
        return self._counts(kind, selection)

    def _facet_counts(self, kind: str, selection: Selection) -> dict:
        """For every term facet: how many items each value gives, with the other facets' current
        selection applied (a value's own facet is left out: OR within the facet)."""
        out: dict = {}
        chosen = selection.term_map()
        for facet in TERM_FACETS:
            query = compose(kind, selection.without(facet.name), count=facet)
            counter: Counter = Counter()
            seen: set[tuple[str, str]] = set()
            for row in run(self.store, query.text, query.bindings):
                key = (row.get(facet.var), row["item"])
                if key[0] is not None and key not in seen:
                    seen.add(key)
                    counter[key[0]] += 1
            selected = {t.iri for c in chosen.get(facet.name, ()) for t in c.terms}
            values = []
            for iri in set(counter) | selected:
                term = self._facet_term(facet, iri)
                values.append({**term, "count": counter.get(iri, 0),
                               "selected": iri in selected})
            values.sort(key=lambda v: (-v["count"], v["value"].casefold()))
            out[facet.name] = values
        for facet in RANGE_FACETS:
            out[facet.name] = {"params": list(facet.params), "unit": facet.unit,
                               "min": selection.range_map().get(facet.low),
                               "max": selection.range_map().get(facet.high)}
        return out

    def _facet_term(self, facet: TermFacet, iri: str) -> dict:
        vocab = self.vocabularies[facet.name]
        if iri in vocab.terms:
            return vocab.terms[iri].as_dict()
        return self.catalogue.term(iri)

    def accepted(self) -> dict[str, list[str]]:
        """Accepted short values of every term facet (for documentation and errors)."""
        return {name: vocab.accepted() for name, vocab in self.vocabularies.items()}


def group_rows(items: list[dict]) -> dict[str, list[dict]]:
    """Arm items grouped by study IRI, in order."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        groups[item["study"]["iri"]].append(item)
    return groups


__all__ = ["Search", "SORTS", "RangeFacet"]
