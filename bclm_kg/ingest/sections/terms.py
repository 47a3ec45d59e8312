"""Small vocabularies of ``data/narrative/evidence.yaml``: ``schemes``, ``designs``,
``phases``, ``study_types``, ``registries`` and ``drugs`` (the later sections refer to them by
id)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS, XSD

from ...namespaces import BCLM, kg
from ..yaml_source import Item
from .context import Context, Loader

# Designs, phases and study types are three separate SKOS concept schemes.
SCHEMES = {"design": "study-designs", "phase": "trial-phases", "study-type": "study-types"}


def term_loader(kind: str, cls: URIRef) -> Loader:
    """A loader of ``kind/{id}`` terms of class ``cls`` (a study design, a trial phase, a
    registry with the base of its record IRIs)."""
    def load(ctx: Context, item: Item) -> None:
        item.check({"id", "label"}, {"mappings", "record_base"})
        code = item.slug("id")
        iri = kg(f"{kind}/{code}")
        ctx.sink.describe(item, iri, cls)
        if kind in SCHEMES:
            ctx.sink.add(iri, SKOS.inScheme, kg(f"scheme/{SCHEMES[kind]}"))
        if item.has("record_base"):
            base = Literal(item.text("record_base"), datatype=XSD.anyURI)
            ctx.sink.add(iri, BCLM.recordIriBase, base)
        ctx.define(kind, code)
    return load


def load_drug(ctx: Context, item: Item) -> None:
    """``drug/{id}``, a drug of one therapy (``therapy``: an intervention id)."""
    item.check({"id", "label", "therapy", "stated_in"}, {"mappings", "reference", "comment"})
    code = item.slug("id")
    iri = kg(f"drug/{code}")
    ctx.sink.describe(item, iri, BCLM.Drug)
    therapy = item.code("therapy", ctx.interventions, "intervention")
    ctx.sink.add(iri, BCLM.belongsToTherapy, kg(f"intervention/{therapy}"))
    ctx.sink.cited(item, iri)
    ctx.define("drug", code)
