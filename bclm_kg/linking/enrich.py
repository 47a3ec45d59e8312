"""``bclm-kg enrich``: fetch labels, definitions and parents of the mapped external terms from
an allowlisted SPARQL endpoint (e.g. a mirror of an ontology), and save them as Turtle under
``data/external/`` for the next build to put into ``graph/external``.

Every fetched statement is asserted and also described by an ``owl:Axiom`` naming the endpoint,
the fetch and its time (``prov:wasDerivedFrom``, ``prov:wasGeneratedBy``), so each one says
where it came from. A parent is kept only when it is itself a verified, mapped term: no new
external identifier enters the graph this way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from ..namespaces import BASE, bind_prefixes
from ..queries import load_query
from ..query.store import KnowledgeStore
from .allowlist import Allowlist
from .client import select
from .external import ENRICHED_DIR

BATCH = 50  # terms per request


@dataclass
class EnrichResult:
    path: Path
    terms: int  # terms asked for
    labels: int
    definitions: int
    parents: int


def mapped_terms(store: KnowledgeStore) -> list[str]:
    return [row["term"].value for row in store.query(load_query("linking/mapped-external-terms"))]


def _literal(binding: dict) -> Literal:
    if "xml:lang" in binding:
        return Literal(binding["value"], lang=binding["xml:lang"])
    if "datatype" in binding:
        return Literal(binding["value"], datatype=URIRef(binding["datatype"]))
    return Literal(binding["value"])


def fetch(endpoint_name: str, allowlist: Allowlist, terms: list[str],
          now: datetime | None = None) -> Graph:
    """The fetched statements with their provenance, as an rdflib graph."""
    endpoint = allowlist.named(endpoint_name)
    stamp = (now or datetime.now(UTC)).replace(microsecond=0)
    activity = URIRef(f"{BASE}enrichment/{endpoint.name}/{stamp.strftime('%Y%m%dT%H%M%SZ')}")
    source = URIRef(endpoint.url)
    graph = Graph()
    bind_prefixes(graph)
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(f"bclm-kg enrich from {endpoint.name}", lang="en")))
    graph.add((activity, PROV.used, source))
    graph.add((activity, PROV.endedAtTime, Literal(stamp.isoformat(), datatype=XSD.dateTime)))
    wanted = set(terms)
    template = load_query("linking/enrich-terms")
    for start in range(0, len(terms), BATCH):
        batch = terms[start:start + BATCH]
        values = " ".join(str(ox.NamedNode(t)) for t in batch)
        query = f"{template}VALUES ?term {{ {values} }}\n"
        _, bindings, _ = select(endpoint, allowlist, query)
        for row in bindings:
            term = URIRef(row["term"]["value"])
            if str(term) not in wanted:
                continue
            for var, prop in (("label", RDFS.label), ("definition", SKOS.definition)):
                if var in row and row[var]["type"] == "literal":
                    _assert(graph, term, prop, _literal(row[var]), source, activity)
            parent = row.get("parent")
            if parent and parent["type"] == "uri" and parent["value"] in wanted:
                _assert(graph, term, RDFS.subClassOf, URIRef(parent["value"]), source, activity)
    return graph


def _assert(graph: Graph, s: URIRef, p: URIRef, o, source: URIRef, activity: URIRef) -> None:
    graph.add((s, p, o))
    axiom = BNode()
    graph.add((axiom, RDF.type, OWL.Axiom))
    graph.add((axiom, OWL.annotatedSource, s))
    graph.add((axiom, OWL.annotatedProperty, p))
    graph.add((axiom, OWL.annotatedTarget, o))
    graph.add((axiom, PROV.wasDerivedFrom, source))
    graph.add((axiom, PROV.wasGeneratedBy, activity))


def enrich(store: KnowledgeStore, endpoint_name: str, allowlist: Allowlist, data_dir: Path,
           now: datetime | None = None) -> EnrichResult:
    """Fetch from the endpoint and write ``data/external/{endpoint}.ttl`` (replaced whole)."""
    terms = mapped_terms(store)
    graph = fetch(endpoint_name, allowlist, terms, now)
    folder = data_dir / ENRICHED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{endpoint_name}.ttl"
    path.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    count = {p: len(set(graph.subjects(OWL.annotatedProperty, p)))
             for p in (RDFS.label, SKOS.definition, RDFS.subClassOf)}
    return EnrichResult(path, len(terms), count[RDFS.label], count[SKOS.definition],
                        count[RDFS.subClassOf])
