"""IRIs minted by the project and the external vocabularies it reuses."""

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/bclm-kg/"

BCLM = Namespace(BASE + "ontology/")  # classes and properties
KG = Namespace(BASE)  # data individuals: KG["study/ruiz-2017"]
GRAPH = Namespace(BASE + "graph/")

ONTOLOGY_IRI = URIRef(BASE + "ontology")
GRAPH_ONTOLOGY = GRAPH["ontology"]
GRAPH_ASSERTED = GRAPH["asserted"]
GRAPH_INFERRED = GRAPH["inferred"]
GRAPH_PROVENANCE = GRAPH["provenance"]
GRAPH_EXTERNAL = GRAPH["external"]  # labels of the external terms the graph maps to
NAMED_GRAPHS = (GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE, GRAPH_EXTERNAL)

BIBO = Namespace("http://purl.org/ontology/bibo/")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
MP = Namespace("http://purl.org/mp/")
SCHEMA = Namespace("https://schema.org/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
WD = Namespace("http://www.wikidata.org/entity/")
DOI = Namespace("https://doi.org/")
CTGOV = Namespace("https://clinicaltrials.gov/study/")
CELLOSAURUS = Namespace("https://www.cellosaurus.org/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
IAO = Namespace("http://purl.obolibrary.org/obo/IAO_")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SH = Namespace("http://www.w3.org/ns/shacl#")

# Prefixes written into every serialisation, in this order.
PREFIXES: dict[str, str] = {
    "bclm": str(BCLM),
    "kg": str(KG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "bibo": str(BIBO),
    "fabio": str(FABIO),
    "cito": str(CITO),
    "mp": str(MP),
    "schema": str(SCHEMA),
    "obo": str(OBO),
    "oboInOwl": str(OBOINOWL),
    "mesh": str(MESH),
    "wd": str(WD),
    "doi": str(DOI),
    "ctgov": str(CTGOV),
    "cellosaurus": str(CELLOSAURUS),
}


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset (replacing defaults)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)


def kg(path: str) -> URIRef:
    """A data IRI from its path below the base, e.g. ``kg("study/ruiz-2017")``."""
    return URIRef(BASE + path.lstrip("/"))


def compact_iri(iri: str, prefixes: dict[str, str] = PREFIXES) -> str | None:
    """``prefix:local`` for ``iri`` under the longest matching namespace, or None."""
    best: tuple[str, str] | None = None
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and (
                best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else None


SIMPLE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _iris(term) -> Iterator[str]:
    if isinstance(term, ox.NamedNode):
        yield term.value
    elif isinstance(term, ox.Literal):
        yield term.datatype.value
    elif isinstance(term, ox.Triple):
        for part in (term.subject, term.predicate, term.object):
            yield from _iris(part)


def used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    r"""The project's prefixes that shorten IRIs of ``triples`` into plain prefixed names.

    A prefix is left out when some IRI under it would need escapes (``kg:study\/x``), so the
    output stays readable: such IRIs are written in full.
    """
    used: set[str] = set()
    awkward: set[str] = set()
    iris = {iri for triple in triples for iri in _iris(triple)}  # each IRI once
    for iri in iris:
        for ns in PREFIXES.values():
            if iri.startswith(ns):
                (used if SIMPLE_LOCAL.fullmatch(iri[len(ns):]) else awkward).add(ns)
    return {p: ns for p, ns in PREFIXES.items() if ns in used and ns not in awkward}
