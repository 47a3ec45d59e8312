"""Indications for surgical treatment of BCLM and its advantages
(``data/narrative/indications.yaml``; sections 4, 6 and 7 of the review)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespaces import BCLM, kg
from .narrative import Item
from .notes import add_cited_works, add_mappings, add_text, review_locations
from .sink import Sink
from .sources import read_yaml
from .vocab import vocabulary_ids

INDICATIONS = Path("narrative/indications.yaml")
KINDS = frozenset({"requirement", "patient-group", "assessment-factor", "profile"})
COMMON = {"id", "label", "printed", "applies_to", "stated_in"}
OPTIONAL = {"comment", "mappings", "reference"}
INDICATION_KEYS = {"kind", "max_lesions", "min_disease_free_interval_months", "all_of", "rationale"}
ADVANTAGE_KEYS = {"for_indication", "caveat"}


def load(sink: Sink) -> None:
    """``indication/{id}`` (bclm:IndicationCriterion) and ``advantage/{id}`` (bclm:Advantage)."""
    path = sink.data_dir / INDICATIONS
    root = Item(path, 1, read_yaml(path)).check({"indications", "advantages"})
    interventions = vocabulary_ids(sink.data_dir, "interventions")
    indications = root.items("indications")
    advantages = root.items("advantages")
    known = _ids(indications)
    _ids(advantages)
    for item in indications:
        item.check(COMMON | {"kind"}, OPTIONAL | INDICATION_KEYS)
        iri = kg(f"indication/{item.text('id')}")
        _common(sink, item, iri, BCLM.IndicationCriterion, interventions)
        _indication(sink, item, iri, known)
    for item in advantages:
        item.check(COMMON, OPTIONAL | ADVANTAGE_KEYS)
        iri = kg(f"advantage/{item.text('id')}")
        _common(sink, item, iri, BCLM.Advantage, interventions)
        for target in _codes(item, "for_indication", known):
            sink.add(iri, BCLM.forIndication, kg(f"indication/{target}"))
        add_text(sink, item, "caveat", iri, BCLM.caveat)


def _ids(items: list[Item]) -> set[str]:
    seen: set[str] = set()
    for item in items:
        slug = item.slug("id")
        if slug in seen:
            item.fail(f"duplicate id '{slug}'", "id")
        seen.add(slug)
    return seen


def _codes(item: Item, key: str, allowed: set[str]) -> list[str]:
    return item.codes(key, allowed, key.replace("_", " ")) if item.has(key) else []


def _common(sink: Sink, item: Item, iri: URIRef, cls: URIRef, interventions: set[str]) -> None:
    sink.add(iri, RDF.type, cls)
    sink.labels(iri, *item.lang("label"))
    sink.add(iri, BCLM.printedText, Literal(item.text("printed"), lang="zh"))
    for code in item.codes("applies_to", interventions, "intervention"):
        sink.add(iri, BCLM.appliesTo, kg(f"intervention/{code}"))
    add_text(sink, item, "comment", iri, RDFS.comment)
    add_mappings(sink, item, iri)
    add_cited_works(sink, item, iri)
    for location in review_locations(sink, item):
        sink.stated_in(iri, location)
    sink.curated_at(iri, item.path, item.line)


def _indication(sink: Sink, item: Item, iri: URIRef, known: set[str]) -> None:
    kind = item.codes("kind", KINDS, "indication kind")[0]
    sink.add(iri, BCLM.criterionKind, Literal(kind))
    for key, predicate in (("max_lesions", BCLM.maxLesions),
                           ("min_disease_free_interval_months",
                            BCLM.minDiseaseFreeIntervalMonths)):
        if item.has(key):
            value = item.integer(key)
            if value < 1:
                item.fail(f"'{key}' must be at least 1, found {value}", key)
            sink.integer(iri, predicate, value)
    parts = _codes(item, "all_of", known)
    if (kind == "profile") != bool(parts):
        item.fail("a 'profile' lists its criteria in 'all_of', and only a profile does", "kind")
    if item.node.get("id") in parts:
        item.fail("a profile cannot contain itself", "all_of")
    for part in parts:
        sink.add(iri, BCLM.hasComponentCriterion, kg(f"indication/{part}"))
    add_text(sink, item, "rationale", iri, BCLM.rationale)
