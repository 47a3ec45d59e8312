"""Indications for surgical treatment of BCLM and its advantages
(``data/narrative/indications.yaml``; sections 4, 6 and 7 of the review)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef

from ..namespaces import BCLM, kg
from .sink import Sink
from .vocab import vocabulary_ids
from .yaml_source import Item, unique_ids

INDICATIONS = Path("narrative/indications.yaml")
KINDS = frozenset({"requirement", "patient-group", "assessment-factor", "profile"})
COMMON = {"id", "label", "printed", "applies_to", "stated_in"}
OPTIONAL = {"comment", "mappings", "reference"}
INDICATION_KEYS = {"kind", "max_lesions", "min_disease_free_interval_months", "all_of", "rationale"}
ADVANTAGE_KEYS = {"for_indication", "caveat"}


def load(sink: Sink) -> None:
    """``indication/{id}`` (bclm:IndicationCriterion) and ``advantage/{id}`` (bclm:Advantage)."""
    root = Item.read(sink.data_dir / INDICATIONS, {"indications", "advantages"})
    interventions = vocabulary_ids(sink.data_dir, "interventions")
    indications = root.items("indications")
    advantages = root.items("advantages")
    known = unique_ids(indications)
    unique_ids(advantages)
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
        sink.lang_text(item, "caveat", iri, BCLM.caveat)


def _codes(item: Item, key: str, allowed: set[str]) -> list[str]:
    return item.codes(key, allowed, key.replace("_", " ")) if item.has(key) else []


def _common(sink: Sink, item: Item, iri: URIRef, cls: URIRef, interventions: set[str]) -> None:
    sink.describe(item, iri, cls)
    sink.add(iri, BCLM.printedText, Literal(item.text("printed"), lang="zh"))
    for code in item.codes("applies_to", interventions, "intervention"):
        sink.add(iri, BCLM.appliesTo, kg(f"intervention/{code}"))
    sink.cited(item, iri)


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
    sink.lang_text(item, "rationale", iri, BCLM.rationale)
