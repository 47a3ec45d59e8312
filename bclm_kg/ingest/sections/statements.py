"""``statements`` of ``data/narrative/evidence.yaml``: single figures the review's text states
about a study or one of its arms (a sample size, a rate, a survival time)."""

from __future__ import annotations

from rdflib import URIRef

from ...namespaces import BCLM, kg
from ..yaml_source import Item
from .context import Context

UNITS = ("percent", "months")


def load_statement(ctx: Context, item: Item) -> None:
    """``study/{study}/statement/{slug}``, optionally about one ``arm``."""
    item.check({"study", "slug", "label", "stated_in"},
               {"arm", "sample_size", "value", "unit", "years", "printed", "comment"})
    sid = item.slug("study")
    iri = kg(f"study/{sid}/statement/{item.slug('slug')}")
    sink = ctx.sink
    sink.describe(item, iri, BCLM.ReviewStatement)
    sink.add(kg(f"study/{sid}"), BCLM.hasStatement, iri)
    if item.has("arm"):
        sink.add(iri, BCLM.aboutArm, kg(f"study/{sid}/arm/{item.slug('arm')}"))
    _value(ctx, item, iri)
    if item.has("printed"):
        sink.texts(iri, BCLM.printedText, None, item.text("printed"))


def _value(ctx: Context, item: Item, iri: URIRef) -> None:
    sink = ctx.sink
    for key, prop in (("sample_size", BCLM.sampleSize), ("years", BCLM.timepointYears)):
        if item.has(key):
            sink.integer(iri, prop, item.integer(key))
    if item.has("value"):
        if not item.has("unit"):
            item.fail("a statement 'value' needs a 'unit' (percent or months)", "value")
        unit = item.code("unit", UNITS, "unit")
        sink.decimal(iri, BCLM.value, item.number("value", percent=unit == "percent"))
        sink.add(iri, BCLM.unit, kg(f"unit/{unit}"))
