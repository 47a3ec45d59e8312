"""Mappings as data: the ontology's SKOS mapping triples and ``ontology/mappings.sssom.tsv``
must say the same thing (the build stops when they differ), and the SSSOM file is published
as TSV and as RDF."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from ..errors import SourceError
from ..ingest.curies import expand
from ..namespaces import bind_prefixes
from ..ontology import MAPPINGS_FILE, ONTOLOGY_FILE, class_mappings
from .sources import read_sssom_table, sssom_rows

SSSOM = Namespace("https://w3id.org/sssom/")


def check_mappings(ontology: Graph, path: Path = MAPPINGS_FILE) -> None:
    """Raise :class:`SourceError` naming the first mapping found on one side only."""
    rows = sssom_rows(path)
    in_sssom = {(r.subject, r.predicate, r.object): n for n, r in enumerate(rows)}
    in_ontology = {tuple(map(str, t)) for t in class_mappings(ontology)}
    header = sum(1 for line in path.read_text("utf-8").splitlines() if line.startswith("#"))
    for triple, n in sorted(in_sssom.items(), key=lambda item: item[1]):
        if triple not in in_ontology:
            raise SourceError(path, header + 2 + n,
                              f"mapping {' '.join(triple)} is not in {ONTOLOGY_FILE.name}")
    for triple in sorted(in_ontology - set(in_sssom)):
        raise SourceError(ONTOLOGY_FILE, None,
                          f"mapping {' '.join(triple)} has no row in {path.name}")


def sssom_graph(path: Path = MAPPINGS_FILE) -> Graph:
    """The SSSOM mapping set in the RDF form the SSSOM specification gives (and the ``sssom``
    package writes; the tests check that both are the same graph): one ``owl:Axiom`` per row
    under the ``sssom:MappingSet``."""
    meta, rows = read_sssom_table(path)
    curie_map = dict(meta.get("curie_map") or {})
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("sssom", SSSOM)
    mapping_set = URIRef(meta["mapping_set_id"])
    graph.add((mapping_set, RDF.type, SSSOM.MappingSet))
    for key, prop in (("mapping_set_title", DCTERMS.title),
                      ("mapping_set_version", OWL.versionInfo)):
        if meta.get(key):
            graph.add((mapping_set, prop, Literal(str(meta[key]))))
    if meta.get("license"):
        graph.add((mapping_set, DCTERMS.license, URIRef(meta["license"])))
    for row in rows:
        axiom = BNode()
        graph.add((mapping_set, SSSOM.mappings, axiom))
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, expand(row["subject_id"], curie_map)))
        graph.add((axiom, OWL.annotatedProperty, expand(row["predicate_id"], curie_map)))
        graph.add((axiom, OWL.annotatedTarget, expand(row["object_id"], curie_map)))
        graph.add((axiom, SSSOM.mapping_justification,
                   expand(row["mapping_justification"], curie_map)))
        for column in ("subject_label", "object_label"):
            if row.get(column):
                graph.add((axiom, SSSOM[column], Literal(row[column])))
        if row.get("confidence"):
            graph.add((axiom, SSSOM.confidence, Literal(row["confidence"], datatype=XSD.double)))
        if row.get("comment"):
            graph.add((axiom, RDFS.comment, Literal(row["comment"])))
        if meta.get("mapping_provider"):
            graph.add((axiom, SSSOM.mapping_provider, URIRef(meta["mapping_provider"])))
    return graph


def sssom_turtle(path: Path = MAPPINGS_FILE) -> bytes:
    """:func:`sssom_graph` as Turtle (the same bytes for the same file)."""
    from ..release import turtle_bytes

    return turtle_bytes(sssom_graph(path))
