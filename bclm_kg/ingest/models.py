"""Animal models of BCLM (``data/narrative/animal_models.yaml``, section 5 of the review)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ..namespaces import BCLM, OBO, kg
from .sink import Sink
from .yaml_source import Item, unique_ids

MODELS = Path("narrative/animal_models.yaml")
LIVER = OBO["UBERON_0002107"]
COMMON = {"id", "label", "description", "stated_in"}
OPTIONAL = {"printed", "mappings", "reference"}
MODEL_KINDS = frozenset({
    "GeneticallyEngineeredMouseModel", "XenograftModel", "SpontaneousMetastasisModel",
    "HaematogenousMetastasisModel",
})
IMMUNE_STATUS = frozenset({"immunocompetent", "immunodeficient"})
FLAGS = {  # YAML key -> boolean property of a model
    "spontaneous": BCLM.spontaneousMetastasis,
    "other_organs": BCLM.metastasizesToOtherOrgans,
    "most_common": BCLM.mostCommonForBCLM,
}

# section of the YAML file -> (IRI kind, class, extra required keys, extra optional keys)
# (a model is typed by its `kind`, a subclass of bclm:AnimalModel)
SECTIONS: dict[str, tuple[str, URIRef | None, set[str], set[str]]] = {
    "species": ("species", BCLM.Species, set(), set()),
    "strains": ("strain", BCLM.MouseStrain, {"species"}, set()),
    "routes": ("route", BCLM.InjectionRoute, set(), set()),
    "cell_lines": ("cell-line", BCLM.CellLine, {"species"}, {"origin_strain", "derived_from"}),
    "models": ("animal-model", None, {"kind", "species"},
               {"cell_lines", "route", "host_strain", "host_immunity", "liver_metastasis",
                "strengths", "limitations", *FLAGS}),
}


def load(sink: Sink) -> None:
    """Species, strains, injection routes, cell lines and the models built from them."""
    root = Item.read(sink.data_dir / MODELS, set(SECTIONS))
    sections = {key: root.items(key) for key in SECTIONS}
    ids = {key: unique_ids(items) for key, items in sections.items()}
    extras: dict[str, Callable[[Sink, Item, URIRef, dict[str, set[str]]], None]] = {
        "strains": _strain, "cell_lines": _cell_line, "models": _model,
    }
    for key, items in sections.items():
        kind, cls, required, optional = SECTIONS[key]
        for item in items:
            item.check(COMMON | required, OPTIONAL | optional)
            iri = kg(f"{kind}/{item.text('id')}")
            _common(sink, item, iri, cls)
            if key in extras:
                extras[key](sink, item, iri, ids)


def _common(sink: Sink, item: Item, iri: URIRef, cls: URIRef | None) -> None:
    sink.describe(item, iri, cls)
    sink.lang_text(item, "description", iri, DCTERMS.description)
    if item.has("printed"):
        sink.add(iri, BCLM.printedValue, Literal(item.text("printed")))
    sink.cited(item, iri)


def _ref(sink: Sink, item: Item, key: str, iri: URIRef, predicate: URIRef,
         known: set[str], kind: str) -> None:
    """Link ``iri`` to the ``kind/{id}`` nodes named under ``key`` (one id or a list)."""
    if not item.has(key):
        return
    for code in item.codes(key, known, kind.replace("-", " ")):
        sink.add(iri, predicate, kg(f"{kind}/{code}"))


def _strain(sink: Sink, item: Item, iri: URIRef, ids: dict[str, set[str]]) -> None:
    _ref(sink, item, "species", iri, BCLM.species, ids["species"], "species")


def _cell_line(sink: Sink, item: Item, iri: URIRef, ids: dict[str, set[str]]) -> None:
    _ref(sink, item, "species", iri, BCLM.species, ids["species"], "species")
    _ref(sink, item, "origin_strain", iri, BCLM.originStrain, ids["strains"], "strain")
    _ref(sink, item, "derived_from", iri, BCLM.derivedFrom, ids["cell_lines"], "cell-line")
    if item.node.get("derived_from") == item.node.get("id"):
        item.fail("a cell line cannot derive from itself", "derived_from")


def _model(sink: Sink, item: Item, iri: URIRef, ids: dict[str, set[str]]) -> None:
    kind = item.codes("kind", MODEL_KINDS, "model kind")[0]
    sink.add(iri, RDF.type, BCLM[kind])
    _ref(sink, item, "species", iri, BCLM.species, ids["species"], "species")
    _ref(sink, item, "cell_lines", iri, BCLM.usesCellLine, ids["cell_lines"], "cell-line")
    _ref(sink, item, "route", iri, BCLM.injectionRoute, ids["routes"], "route")
    _ref(sink, item, "host_strain", iri, BCLM.hostStrain, ids["strains"], "strain")
    if item.has("host_immunity"):
        status = item.codes("host_immunity", IMMUNE_STATUS, "immune status")[0]
        sink.add(iri, BCLM.hostImmuneStatus, Literal(status))
    if item.flag("liver_metastasis"):
        sink.add(iri, BCLM.metastasisSite, LIVER)
    for key, predicate in FLAGS.items():
        if item.has(key):
            sink.add(iri, predicate, Literal(item.flag(key), datatype=XSD.boolean))
    sink.lang_text(item, "strengths", iri, BCLM.strength)
    sink.lang_text(item, "limitations", iri, BCLM.limitation)

