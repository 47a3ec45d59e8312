"""Outcomes of arms, groups and pooled estimates: ``measure``, ``years``, ``value`` (or a
printed range ``value_min``/``value_max``) and ``printed`` of an item in evidence.yaml."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ...namespaces import BCLM, kg
from ..sink import Sink
from ..yaml_source import Item

# measure -> (class, unit, IRI suffix, English name, Chinese name); "{y}" is the timepoint.
MEASURES = {
    "median-os": (BCLM.MedianOverallSurvival, "months", "median-os", "median OS", "中位OS"),
    "os-rate": (BCLM.OverallSurvivalRate, "percent", "os-{y}y", "{y}-year OS rate", "{y}年OS率"),
    "mean-survival": (BCLM.MeanSurvival, "months", "mean-survival", "mean survival", "平均生存期"),
}
OUTCOME_KEYS = {"measure", "years", "value", "value_min", "value_max", "printed"}


def outcome_suffix(item: Item) -> str:
    """The last part of the outcome's IRI: 'median-os', 'os-5y', ..."""
    measure = item.code("measure", MEASURES, "measure")
    return MEASURES[measure][2].format(y=item.node.get("years"))


def measurement(sink: Sink, item: Item, iri: URIRef, owner: URIRef,
                names: tuple[str, str] | None, classes: tuple[URIRef, ...] = ()) -> None:
    """An outcome of ``owner``: value (or printed range), unit, endpoint, timepoint; labels are
    made from ``names`` (the owner's labels) unless it is None."""
    measure = item.code("measure", MEASURES, "measure")
    cls, unit, _, en, zh = MEASURES[measure]
    years = _timepoint(item, measure)
    percent = unit == "percent"
    if item.has("value"):
        sink.decimal(iri, BCLM.value, item.number("value", percent))
    elif item.has("value_min") and item.has("value_max"):
        sink.decimal(iri, BCLM.valueMin, item.number("value_min", percent))
        sink.decimal(iri, BCLM.valueMax, item.number("value_max", percent))
    else:
        item.fail("an outcome needs 'value' or both 'value_min' and 'value_max'")
    for c in (cls, *classes):
        sink.add(iri, RDF.type, c)
    sink.add(owner, BCLM.hasOutcome, iri)
    sink.add(iri, BCLM.endpoint, kg("endpoint/overall-survival"))
    sink.add(iri, BCLM.unit, kg(f"unit/{unit}"))
    if years is not None:
        sink.integer(iri, BCLM.timepointYears, years)
    if item.has("printed"):
        sink.add(iri, BCLM.printedValue, Literal(item.text("printed")))
    if names is not None:
        y = str(years)
        sink.labels(iri, f"{names[0]}: {en.format(y=y)}", f"{names[1]} {zh.format(y=y)}")


def _timepoint(item: Item, measure: str) -> int | None:
    if measure == "os-rate":
        return item.integer("years")
    if item.has("years"):
        item.fail(f"'years' applies to os-rate, not {measure}", "years")
    return None
