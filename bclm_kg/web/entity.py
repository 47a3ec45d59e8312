"""What an entity's HTML page shows: its facts with labels, where the review states them,
its parts (arms, outcomes), inbound links, studies using it, and links out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import BASE, compact_iri
from ..query.store import INFERRED, KnowledgeStore
from . import queries

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
BCLM = BASE + "ontology/"
STATED_IN = BCLM + "statedIn"
HIDDEN = {RDFS_LABEL}  # shown as the title instead
MAX_PART_DEPTH = 2


def local_path(iri: str) -> str | None:
    """The server path of a minted IRI, or None for an external one."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else None


def curie(iri: str) -> str:
    return compact_iri(iri) or iri


def external_link(prop: str, value: str) -> tuple[str, str] | None:
    """A link out for identifier literals: DOI, ClinicalTrials.gov, ChiCTR (via WHO ICTRP)."""
    v = value.strip()
    if prop.endswith(("/doi", "#doi")) or v.startswith("10."):
        return (f"https://doi.org/{v}", "DOI") if v.startswith("10.") else None
    if v.startswith("NCT") and v[3:].isdigit() and len(v) == 11:
        return f"https://clinicaltrials.gov/study/{v}", "ClinicalTrials.gov"
    if v.startswith("ChiCTR") and v[6:].replace("-", "").isalnum():
        return f"https://trialsearch.who.int/Trial2.aspx?TrialID={v}", "ChiCTR (WHO ICTRP)"
    return None


@dataclass
class Labels:
    en: str | None = None
    zh: str | None = None
    other: str | None = None

    def add(self, literal: ox.Literal) -> None:
        lang = (literal.language or "").lower()
        if lang.startswith("en") and not self.en:
            self.en = literal.value
        elif lang.startswith("zh") and not self.zh:
            self.zh = literal.value
        elif not lang and not self.other:
            self.other = literal.value

    @property
    def main(self) -> str | None:
        return self.en or self.other or self.zh


@dataclass
class Value:
    text: str
    href: str | None = None  # local path or external URL
    external: bool = False
    zh: str | None = None  # Chinese label of a linked resource
    lang: str | None = None  # language of a literal
    datatype: str | None = None
    inferred: bool = False
    link_text: str | None = None  # e.g. "DOI" for an identifier literal


@dataclass
class Fact:
    prop: str
    label: str
    values: list[Value] = field(default_factory=list)
    label_zh: str | None = None


@dataclass
class Entity:
    iri: str
    labels: Labels
    types: list[Value]
    facts: list[Fact]
    stated_in: list[Value]
    parts: list[Entity] = field(default_factory=list)
    inbound: list[Fact] = field(default_factory=list)
    studies: list[Value] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.labels.main or curie(self.iri)


class PageBuilder:
    """Builds :class:`Entity` pages from the in-process store."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store
        self._term_labels: dict[str, Labels] | None = None

    def term_labels(self) -> dict[str, Labels]:
        if self._term_labels is None:
            labels: dict[str, Labels] = defaultdict(Labels)
            for row in self.store.query(queries.load("term-labels")):
                labels[row["term"].value].add(row["label"])
            self._term_labels = dict(labels)
        return self._term_labels

    def prop_label(self, iri: str) -> str:
        labels = self.term_labels().get(iri)
        return (labels.main if labels and labels.main else None) or curie(iri)

    def prop_label_zh(self, iri: str) -> str | None:
        labels = self.term_labels().get(iri)
        return labels.zh if labels else None

    def _resource_value(self, term, labels: Labels | None, inferred: bool = False) -> Value:
        if isinstance(term, ox.BlankNode):
            return Value(text="(anonymous node)", inferred=inferred)
        iri = term.value
        path = local_path(iri)
        labels = labels or self.term_labels().get(iri) or Labels()
        return Value(text=labels.main or curie(iri), href=path or iri, external=path is None,
                     zh=labels.zh if labels.main != labels.zh else None, inferred=inferred)

    def build(self, iri: str, depth: int = 0) -> Entity:
        this = ox.NamedNode(iri)
        rows = list(self.store.query(queries.load("entity-facts"), substitutions={"this": this}))
        labels = Labels()
        objects: dict[tuple[str, object], dict] = {}
        if depth == 0 and self.store.store.contains_named_graph(this):
            for triple in self.store.graph_summary(this):
                objects[(triple.predicate.value, triple.object)] = {"graphs": set()}
        obj_labels: dict[object, Labels] = defaultdict(Labels)
        for row in rows:
            p, o, g = row["p"].value, row["o"], row["g"]
            if p == RDFS_LABEL and isinstance(o, ox.Literal):
                labels.add(o)
            entry = objects.setdefault((p, o), {"graphs": set()})
            entry["graphs"].add(g)
            if row["olabel"] is not None:
                obj_labels[o].add(row["olabel"])
        facts: dict[str, Fact] = {}
        types: list[Value] = []
        stated: list[Value] = []
        part_iris: list[str] = []
        for (p, o), entry in objects.items():
            inferred = entry["graphs"] == {INFERRED}
            if isinstance(o, ox.Literal):
                link = external_link(p, o.value)
                dt = o.datatype.value if not o.language else None
                value = Value(text=o.value, lang=o.language, inferred=inferred,
                              datatype=curie(dt) if dt and not dt.endswith("#string") else None,
                              href=link[0] if link else None, external=bool(link),
                              link_text=link[1] if link else None)
            else:
                value = self._resource_value(o, obj_labels.get(o), inferred)
                if isinstance(o, ox.NamedNode) and o.value.startswith(iri + "/"):
                    part_iris.append(o.value)
            if p == RDFS_LABEL:
                continue
            if p == RDF_TYPE:
                types.append(value)
            elif p == STATED_IN:
                stated.append(value)
            else:
                facts.setdefault(p, Fact(p, self.prop_label(p), label_zh=self.prop_label_zh(p))
                                ).values.append(value)
        ordered = sorted(facts.values(), key=lambda f: f.label.lower())
        for fact in ordered:
            fact.values.sort(key=lambda v: v.text)
        entity = Entity(iri, labels, sorted(types, key=lambda v: v.text), ordered,
                        sorted(stated, key=lambda v: v.text))
        if depth < MAX_PART_DEPTH:
            entity.parts = [self.build(p, depth + 1) for p in sorted(set(part_iris))]
        if depth == 0:
            entity.inbound = self._inbound(this, iri)
            entity.studies = self._studies(this)
        return entity

    def _inbound(self, this: ox.NamedNode, iri: str) -> list[Fact]:
        groups: dict[str, Fact] = {}
        seen: dict[tuple[str, str], Value] = {}
        labels: dict[str, Labels] = defaultdict(Labels)
        rows = list(self.store.query(queries.load("entity-inbound"),
                                     substitutions={"this": this}))
        for row in rows:
            if row["slabel"] is not None:
                labels[row["s"].value].add(row["slabel"])
        for row in rows:
            s, p = row["s"].value, row["p"].value
            if s.startswith(iri + "/") or (s, p) in seen:
                continue  # parts are shown inline
            value = self._resource_value(row["s"], labels.get(s))
            seen[(s, p)] = value
            label = "instances (rdf:type)" if p == RDF_TYPE else self.prop_label(p)
            label_zh = "实例 (rdf:type)" if p == RDF_TYPE else self.prop_label_zh(p)
            groups.setdefault(p, Fact(p, label, label_zh=label_zh)).values.append(value)
        for fact in groups.values():
            fact.values.sort(key=lambda v: v.text)
        return sorted(groups.values(), key=lambda f: f.label.lower())

    def _studies(self, this: ox.NamedNode) -> list[Value]:
        labels: dict[str, Labels] = defaultdict(Labels)
        terms: dict[str, ox.NamedNode] = {}
        for row in self.store.query(queries.load("entity-studies"),
                                    substitutions={"this": this}):
            terms[row["study"].value] = row["study"]
            if row["label"] is not None:
                labels[row["study"].value].add(row["label"])
        values = [self._resource_value(t, labels.get(s)) for s, t in terms.items()]
        return sorted(values, key=lambda v: v.text)
