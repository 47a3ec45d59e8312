"""Classify ontology + data with HermiT (owlready2) and materialise what it entails.

The inferred graph holds only triples that are not asserted: types in defined classes that
HermiT finds, property values it derives (property chains), and the closure of both under the
classified class hierarchy, super-properties and inverse properties — so that plain SPARQL
(without a reasoner) sees ``?s a bclm:Study`` for every published study and ``armOf`` for
every ``hasArm``.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .errors import InconsistencyError
from .namespaces import BASE, bind_prefixes
from .rules import IGNORED_TYPES, OBO_PREFIX, Row, Rules, all_ancestors


@dataclass(frozen=True)
class ReasoningResult:
    inferred: Graph
    seconds: float


def _object_properties(ontology: Graph) -> set[URIRef]:
    return {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)}


def _named_classes(ontology: Graph) -> set[URIRef]:
    return {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}


def _closure_classes(ontology: Graph) -> set[URIRef]:
    """The classes whose members are materialised: all but the OBO classes the ontology is
    aligned to (OBI, ...), which SPARQL reaches through ``rdfs:subClassOf*`` in the ontology
    graph, so that the inferred graph keeps holding the project's own classification."""
    return {c for c in _named_classes(ontology) if not str(c).startswith(OBO_PREFIX)}


def reasoner_input(ontology: Graph, data: Graph) -> Graph:
    """The ontology plus the part of the data HermiT needs: individuals' types in ontology
    classes and object-property assertions between individuals (no literals)."""
    classes, properties = _named_classes(ontology), _object_properties(ontology)
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    individuals: set[URIRef] = set()
    for s, p, o in data:
        if not isinstance(s, URIRef) or not str(s).startswith(BASE):
            continue
        if (p == RDF.type and o in classes) or (p in properties and isinstance(o, URIRef)):
            graph.add((s, p, o))
            individuals.add(s)
            if p != RDF.type:
                individuals.add(o)
    for individual in individuals:
        graph.add((individual, RDF.type, OWL.NamedIndividual))
    return graph


def _run_hermit(graph: Graph) -> tuple[Graph, Graph]:
    """Load ``graph`` into a fresh owlready2 world, run HermiT; return (before, after)."""
    from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = World()
        world.get_ontology(path.as_uri()).load()
        before = Graph()
        for triple in world.as_rdflib_graph():
            before.add(triple)
        try:
            sync_reasoner(world, infer_property_values=True, debug=0)
        except OwlReadyInconsistentOntologyError as exc:
            raise InconsistencyError(
                "HermiT found the ontology and data inconsistent (a typical cause: an "
                "individual in two disjoint classes, e.g. a study with both the prospective "
                "and the retrospective design)"
            ) from exc
        after = Graph()
        for triple in world.as_rdflib_graph():
            after.add(triple)
        world.close()
    return before, after


def materialise(ontology: Graph, asserted: Graph, hermit: Iterable[tuple],
                hierarchy: Graph) -> Graph:
    """Close asserted + derived facts under the class hierarchy, super- and inverse properties;
    return what is not asserted. (Python sets, not graphs, while closing: linear and quick.)"""
    classes, properties = _closure_classes(ontology), _object_properties(ontology)
    class_parents: dict[URIRef, set[URIRef]] = {}
    for sub, sup in hierarchy.subject_objects(RDFS.subClassOf):
        if sub in classes and sup in classes and sub != sup:
            class_parents.setdefault(sub, set()).add(sup)
    prop_parents: dict[URIRef, set[URIRef]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        if sub in properties and sup in properties:
            prop_parents.setdefault(sub, set()).add(sup)
    inverses: dict[URIRef, set[URIRef]] = {}
    for a, b in ontology.subject_objects(OWL.inverseOf):
        inverses.setdefault(a, set()).add(b)
        inverses.setdefault(b, set()).add(a)
    ancestors = {c: all_ancestors(c, class_parents) for c in classes}
    super_properties = {p: {p} | all_ancestors(p, prop_parents) for p in properties}

    facts: set[tuple] = set()
    for source in (asserted, hermit):
        for s, p, o in source:
            if not (isinstance(s, URIRef) and str(s).startswith(BASE)):
                continue
            if (p == RDF.type and o in classes) or (p in properties and isinstance(o, URIRef)):
                facts.add((s, p, o))
    closure: set[tuple] = set()
    for s, p, o in facts:
        if p == RDF.type:
            closure.add((s, p, o))
            closure.update((s, RDF.type, ancestor) for ancestor in ancestors[o])
            continue
        for prop in super_properties[p]:
            closure.add((s, prop, o))
            closure.update((o, inverse, s) for inverse in inverses.get(prop, ()))
    inferred = Graph()
    bind_prefixes(inferred)
    for triple in closure:
        if triple[2] not in IGNORED_TYPES and triple not in asserted:
            inferred.add(triple)
    return inferred


def _hierarchy(ontology: Graph, hermit: Graph) -> Graph:
    """The class hierarchy: the ontology's subclass axioms, HermiT's, and equivalent named
    classes as parents of each other."""
    hierarchy = Graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        hierarchy.add(triple)
    for triple in hermit.triples((None, RDFS.subClassOf, None)):
        hierarchy.add(triple)
    for a, b in ontology.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            hierarchy.add((a, RDFS.subClassOf, b))
            hierarchy.add((b, RDFS.subClassOf, a))
    return hierarchy


def _hermit_additions(graph: Graph) -> Graph:
    before, after = _run_hermit(graph)
    added = Graph()
    for triple in after:
        if triple not in before:
            added.add(triple)
    return added


@functools.cache
def _hermit_version() -> str:
    """owlready2's version and the SHA-256 of the HermiT it runs."""
    import importlib.metadata
    import importlib.util

    spec = importlib.util.find_spec("owlready2")
    folder = Path(next(iter(spec.submodule_search_locations or []))) if spec else None
    jar = folder / "hermit" / "HermiT.jar" if folder else None
    digest = hashlib.sha256(jar.read_bytes()).hexdigest() if jar and jar.is_file() else "?"
    return f"owlready2 {importlib.metadata.version('owlready2')}; HermiT.jar {digest}"


def _classification(graph: Graph) -> Graph:
    """HermiT's additions to ``graph`` (the ontology alone), kept in the build cache under the
    digest of exactly what HermiT reads: the graph (blank nodes labelled canonically) and
    HermiT's version. The ontology changes seldom; the data, which it does not read, often."""
    from . import cache
    from .release import canonical_triples

    name = cache.key("hermit-classification", _hermit_version(),
                     ox.serialize(canonical_triples(graph), format=ox.RdfFormat.N_TRIPLES))
    kept = cache.get("hermit", name)
    if kept is not None:
        return Graph().parse(data=kept, format="nt")
    added = _hermit_additions(graph)
    cache.put("hermit", name, ox.serialize(canonical_triples(added),
                                           format=ox.RdfFormat.N_TRIPLES))
    return added


def classify(ontology: Graph) -> Graph:
    """The class hierarchy HermiT computes from the ontology alone (no individuals but the
    ontology's own), which the rules then use."""
    return _hierarchy(ontology, _classification(reasoner_input(ontology, Graph())))


ENGINES = ("rules", "hermit")


def reason(ontology: Graph, asserted: Graph, engine: str = "rules") -> ReasoningResult:
    """The inferred graph of ontology + asserted data.

    ``rules`` (default): HermiT classifies the ontology, then the rules of ``rules.py`` derive
    the individuals' types and property values — linear in the data. ``hermit``: HermiT
    reasons over ontology and data together (the reference; it stalls past a few hundred
    studies). Both give the same graph on the real data (tested).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown reasoning engine {engine!r}; choose one of "
                         f"{', '.join(ENGINES)}")
    started = time.perf_counter()
    if engine == "hermit":
        derived = _hermit_additions(reasoner_input(ontology, asserted))
        inferred = materialise(ontology, asserted, derived, _hierarchy(ontology, derived))
    else:
        inferred = Graph()
        bind_prefixes(inferred)
        for s, p, o in infer(ontology, graph_rows(asserted)):
            inferred.add((URIRef(s), URIRef(p), URIRef(o)))
    return ReasoningResult(inferred, time.perf_counter() - started)


def infer(ontology: Graph, asserted: Iterable[Row]) -> list[tuple[str, str, str]]:
    """The inferred graph by the rules, as IRI strings, of asserted triples given as rows of
    strings (``graph_rows``, ``oxigraph_rows``): no rdflib term is made for the data, so that
    millions of triples take seconds."""
    return Rules(ontology, classify(ontology)).infer(asserted)


def graph_rows(graph: Graph) -> Iterator[Row]:
    """An rdflib graph's triples as the rules read them."""
    for s, p, o in graph:
        yield (str(s) if isinstance(s, URIRef) else None, str(p),
               str(o) if isinstance(o, URIRef) else None)


def oxigraph_rows(triples: Iterable[ox.Triple | ox.Quad]) -> Iterator[Row]:
    """pyoxigraph triples or quads (their graph ignored) as the rules read them."""
    iri = ox.NamedNode
    for t in triples:
        s, o = t.subject, t.object
        yield (s.value if type(s) is iri else None, t.predicate.value,
               o.value if type(o) is iri else None)
