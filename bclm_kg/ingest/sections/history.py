"""``data/narrative/history.yaml`` (section 1 of the review): ``periods``, when each technique
was ``introduced``, and the ``milestones`` of the surgical treatment of BCLM."""

from __future__ import annotations

from rdflib.namespace import RDFS

from ...namespaces import BCLM, kg
from ..yaml_source import Item
from .context import Context


def load_period(ctx: Context, item: Item) -> None:
    """``period/{id}``, with the years it spans where the review gives them."""
    item.check({"id", "label", "printed", "stated_in"}, {"start_year", "end_year"})
    pid = item.slug("id")
    iri = kg(f"period/{pid}")
    ctx.sink.describe(item, iri, BCLM.Period)
    ctx.sink.texts(iri, BCLM.printedText, None, item.text("printed"))
    for key, prop in (("start_year", BCLM.startYear), ("end_year", BCLM.endYear)):
        if item.has(key):
            ctx.sink.integer(iri, prop, item.integer(key))
    ctx.define("period", pid)


def load_introduced(ctx: Context, item: Item) -> None:
    """The period in which an intervention entered the treatment of BCLM."""
    item.check({"intervention", "period", "printed", "stated_in"})
    code = item.code("intervention", ctx.interventions, "intervention")
    period = item.code("period", ctx.known("period"), "period")
    iri = kg(f"intervention/{code}")
    ctx.sink.add(iri, BCLM.enteredBCLMTreatmentIn, kg(f"period/{period}"))
    ctx.sink.located(item, iri)


def load_milestone(ctx: Context, item: Item) -> None:
    """``milestone/{id}``: a year, a place, the interventions and the study it concerns."""
    item.check({"id", "year", "place", "interventions", "label", "description", "stated_in"},
               {"reference", "study", "designs", "phase"})
    iri = kg(f"milestone/{item.slug('id')}")
    sink = ctx.sink
    sink.describe(item, iri, BCLM.HistoricalMilestone)
    sink.lang_text(item, "description", iri, RDFS.comment)
    sink.integer(iri, BCLM.year, item.integer("year"))
    sink.add(iri, BCLM.atPlace, kg(f"place/{item.code('place', ctx.places, 'place')}"))
    for code in item.codes("interventions", ctx.interventions, "intervention"):
        sink.add(iri, BCLM.concernsIntervention, kg(f"intervention/{code}"))
    sink.cited(item, iri)
    if item.has("study"):
        sink.add(iri, BCLM.aboutStudy, ctx.subject(item, item.text("study"), "study"))
    ctx.designs(item, iri)
