"""``studies`` (with their arms and outcomes) and ``study_designs`` of
``data/narrative/evidence.yaml``: the studies the review's text describes beyond its tables."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ...namespaces import BCLM, kg
from ..yaml_source import Item
from .context import Context
from .outcomes import OUTCOME_KEYS, measurement, outcome_suffix

STUDY_KINDS = {"published": BCLM.PublishedStudy, "unpublished": BCLM.UnpublishedStudy}
ROLES = {"experimental", "comparator"}


def load_study(ctx: Context, item: Item) -> None:
    """``study/{id}`` and its ``arms``."""
    item.check({"id", "kind", "label", "stated_in"},
               {"first_author", "year", "reference", "lead_country", "sample_size", "sponsor",
                "designs", "comment", "arms"})
    sid = item.slug("id")
    iri = kg(f"study/{sid}")
    ctx.sink.describe(item, iri, STUDY_KINDS[item.code("kind", STUDY_KINDS, "study kind")])
    study_facts(ctx, item, iri)
    names = item.lang("label")
    for index, arm in enumerate(item.items("arms"), start=1):
        _arm(ctx, arm, sid, index, names, ctx.sink.locations(item))


def study_facts(ctx: Context, item: Item, iri: URIRef) -> None:
    """Properties shared by narrative studies and meta-analyses."""
    sink = ctx.sink
    if item.has("first_author"):
        sink.add(iri, BCLM.firstAuthor, Literal(item.text("first_author")))
    if item.has("year"):
        sink.integer(iri, BCLM.year, item.integer("year"))
    sink.cited(item, iri, BCLM.reportedIn)
    if item.has("lead_country"):
        place = item.code("lead_country", ctx.places, "place")
        sink.add(iri, BCLM.leadCountry, kg(f"place/{place}"))
    for key, prop in (("sample_size", BCLM.sampleSize),
                      ("number_of_studies", BCLM.numberOfStudies)):
        if item.has(key):
            sink.integer(iri, prop, item.integer(key))
    sink.lang_text(item, "sponsor", iri, BCLM.sponsor)
    ctx.designs(item, iri)


def _arm(ctx: Context, item: Item, sid: str, index: int, names: tuple[str, str],
         locations: list[URIRef]) -> None:
    item.check({"slug", "label", "interventions"},
               {"role", "sample_size", "comment", "outcomes"})
    slug = item.slug("slug")
    iri = kg(f"study/{sid}/arm/{slug}")
    sink = ctx.sink
    sink.add(iri, RDF.type, BCLM.Arm)
    sink.add(kg(f"study/{sid}"), BCLM.hasArm, iri)
    sink.integer(iri, BCLM.armIndex, index)
    en, zh = item.lang("label")
    arm_names = (f"{names[0]}, {en} arm", f"{names[1]} {zh}组")
    sink.labels(iri, *arm_names)
    sink.lang_text(item, "comment", iri, RDFS.comment)
    codes = item.codes("interventions", ctx.interventions, "intervention")
    for code in codes:
        sink.add(iri, BCLM.receivesIntervention, kg(f"intervention/{code}"))
    shown = ("not specified" if code == "unspecified" else code.upper() for code in codes)
    sink.add(iri, BCLM.interventionText, Literal("+".join(shown)))
    if item.has("role"):
        sink.add(iri, BCLM.armRole, kg(f"role/{item.code('role', ROLES, 'arm role')}"))
    if item.has("sample_size"):
        sink.integer(iri, BCLM.sampleSize, item.integer("sample_size"))
    sink.located(item, iri, locations)
    for out in item.items("outcomes"):
        out.check({"measure"}, OUTCOME_KEYS)
        out_iri = kg(f"study/{sid}/arm/{slug}/{outcome_suffix(out)}")
        measurement(sink, out, out_iri, iri, arm_names)
        sink.located(out, out_iri, locations)


def load_study_design(ctx: Context, item: Item) -> None:
    """The design of a study (``study``) that the text states (``evidence``: the words)."""
    item.check({"study", "design", "stated_in"}, {"evidence"})
    iri = kg(f"study/{item.slug('study')}")
    design = item.code("design", ctx.known("design"), "design")
    ctx.sink.add(iri, BCLM.hasDesign, kg(f"design/{design}"))
    ctx.sink.located(item, iri)
