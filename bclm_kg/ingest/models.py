"""Animal models of BCLM (``data/narrative/animal_models.yaml``, section 5 of the review)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ..namespaces import BCLM, OBO, kg
from .narrative import Item
from .notes import add_cited_works, add_mappings, add_text, review_locations
from .sink import Sink
from .sources import read_yaml

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
    path = sink.data_dir / MODELS
    root = Item(path, 1, read_yaml(path)).check(set(SECTIONS))
    sections = {key: root.items(key) for key in SECTIONS}
    ids = {key: _ids(items) for key, items in sections.items()}
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


def _ids(items: list[Item]) -> set[str]:
    seen: set[str] = set()
    for item in items:
        item.check({"id"}, set(item.node) if isinstance(item.node, dict) else set())
        slug = item.slug("id")
        if slug in seen:
            item.fail(f"duplicate id '{slug}'", "id")
        seen.add(slug)
    return seen


def _common(sink: Sink, item: Item, iri: URIRef, cls: URIRef | None) -> None:
    if cls is not None:
        sink.add(iri, RDF.type, cls)
    sink.labels(iri, *item.lang("label"))
    add_text(sink, item, "description", iri, DCTERMS.description)
    if item.has("printed"):
        sink.add(iri, BCLM.printedValue, Literal(item.text("printed")))
    add_mappings(sink, item, iri)
    add_cited_works(sink, item, iri)
    for location in review_locations(sink, item):
        sink.stated_in(iri, location)
    sink.curated_at(iri, item.path, item.line)


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
    if _flag(item, "liver_metastasis"):
        sink.add(iri, BCLM.metastasisSite, LIVER)
    for key, predicate in FLAGS.items():
        if item.has(key):
            sink.add(iri, predicate, Literal(_flag(item, key), datatype=XSD.boolean))
    add_text(sink, item, "strengths", iri, BCLM.strength)
    add_text(sink, item, "limitations", iri, BCLM.limitation)


def _flag(item: Item, key: str) -> bool:
    value = item.node.get(key, False)
    if not isinstance(value, bool):
        item.fail(f"'{key}' must be true or false, found {value!r}", key)
    return value
