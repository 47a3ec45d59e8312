"""``meta_analyses`` of ``data/narrative/evidence.yaml``: the meta-analyses the review cites,
with their conclusion and pooled estimates per intervention."""

from __future__ import annotations

from rdflib.namespace import RDFS

from ...namespaces import BCLM, kg
from ..yaml_source import Item
from .context import Context
from .outcomes import OUTCOME_KEYS, measurement
from .studies import study_facts


def load_meta_analysis(ctx: Context, item: Item) -> None:
    """``meta-analysis/{id}`` and its ``estimates`` (``.../estimate/{slug}``)."""
    item.check({"id", "label", "reference", "conclusion", "stated_in"},
               {"first_author", "year", "number_of_studies", "study_types", "estimates"})
    mid = item.slug("id")
    iri = kg(f"meta-analysis/{mid}")
    sink = ctx.sink
    sink.describe(item, iri, BCLM.MetaAnalysis)
    sink.lang_text(item, "conclusion", iri, RDFS.comment)
    study_facts(ctx, item, iri)
    ctx.designs(item, iri)
    locations, names = sink.locations(item), item.lang("label")
    for est in item.items("estimates"):
        est.check({"slug", "intervention", "measure"}, OUTCOME_KEYS | {"number_of_studies"})
        est_iri = kg(f"meta-analysis/{mid}/estimate/{est.slug('slug')}")
        code = est.code("intervention", ctx.interventions, "intervention")
        label = (f"{names[0]}, {code.upper()}", f"{names[1]} {code.upper()}")
        measurement(sink, est, est_iri, iri, label, (BCLM.PooledEstimate,))
        sink.add(est_iri, BCLM.forIntervention, kg(f"intervention/{code}"))
        if est.has("number_of_studies"):
            sink.integer(est_iri, BCLM.numberOfStudies, est.integer("number_of_studies"))
        sink.located(est, est_iri, locations)
