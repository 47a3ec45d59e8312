"""``results`` of ``data/narrative/evidence.yaml``: comparisons, hazard ratios and tests that the
review reports for a study, with the advantages and indications they support."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF

from ...namespaces import BCLM, kg
from ..yaml_source import Item
from .context import Context

RESULT_KINDS = {
    "survival-comparison": BCLM.SurvivalComparison,
    "hazard-ratio": BCLM.HazardRatioResult,
    "chi-squared": BCLM.ChiSquaredTestResult,
}
NUMBERS = (  # key, property, upper bound
    ("statistic", BCLM.statisticValue, None),
    ("ci_lower", BCLM.ciLower, None),
    ("ci_upper", BCLM.ciUpper, None),
    ("confidence_level", BCLM.confidenceLevel, 100),
    ("p_value", BCLM.pValue, 1),
)
CLAIMS = (  # key, property, class of the target, IRI kind of the target
    ("advantages", BCLM.claimsAdvantage, BCLM.Advantage, "advantage"),
    ("suited_for", BCLM.suitedFor, BCLM.IndicationCriterion, "indication"),
)


def load_result(ctx: Context, item: Item) -> None:
    """``study/{study}/result/{slug}``."""
    item.check({"study", "slug", "kind", "label", "stated_in"},
               {"compares", "against", "statistic", "ci_lower", "ci_upper", "confidence_level",
                "p_value", "p_value_text", "printed", "comment", "advantages", "suited_for"})
    sid = item.slug("study")
    iri = kg(f"study/{sid}/result/{item.slug('slug')}")
    sink = ctx.sink
    sink.describe(item, iri, RESULT_KINDS[item.code("kind", RESULT_KINDS, "result kind")])
    sink.add(kg(f"study/{sid}"), BCLM.hasResult, iri)
    for key, prop in (("compares", BCLM.comparesArm), ("against", BCLM.againstArm)):
        if item.has(key):
            sink.add(iri, prop, kg(f"study/{sid}/arm/{item.slug(key)}"))
    for key, prop, upper in NUMBERS:
        if item.has(key):
            sink.decimal(iri, prop, item.number(key, upper=upper))
    if item.has("p_value_text"):
        sink.add(iri, BCLM.pValueText, Literal(item.text("p_value_text")))
    if item.has("printed"):
        sink.texts(iri, BCLM.printedText, None, item.text("printed"))
    locations = sink.locations(item)
    for key, prop, cls, kind in CLAIMS:
        for sub in item.items(key):
            sub.check({"id", "label"})
            target = kg(f"{kind}/{sub.slug('id')}")
            sink.add(iri, prop, target)
            sink.add(target, RDF.type, cls)
            sink.labels(target, *sub.lang("label"))
            sink.located(sub, target, locations)
