"""The external-terms graph (``graph/external``): labels of every external term this graph
maps to, from the verified list only, plus what ``bclm-kg enrich`` fetched (with its
provenance), so that queries written with NCIt, MeSH … IRIs or labels work offline."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from ..errors import SourceError, parse_error_line
from ..namespaces import BASE, bind_prefixes
from .sources import XREFS_FILE, xrefs

ENRICHED_DIR = "external"  # under data/: Turtle files written by `bclm-kg enrich`


def mapped_iris(graphs: Iterable[Graph]) -> set[str]:
    """Every IRI that is the object of a triple in ``graphs``."""
    return {str(o) for graph in graphs for o in graph.objects() if isinstance(o, URIRef)}


XREFS_SOURCE = URIRef(BASE + "source/ontology/sources/xrefs.tsv")  # as the build names it


def verified_terms(mapped: set[str], path: Path = XREFS_FILE) -> Graph:
    """Label and CURIE of each mapped external term whose label the verified list gives (a
    label the list marks as the paper's own, not the registry's, stays out)."""
    graph = Graph()
    bind_prefixes(graph)
    for row in xrefs(path):
        if row.iri not in mapped or not row.label_verified:
            continue
        term = URIRef(row.iri)
        graph.add((term, RDFS.label, Literal(row.label)))
        graph.add((term, SKOS.notation, Literal(row.curie)))
        graph.add((term, PROV.wasDerivedFrom, XREFS_SOURCE))
    return graph


def enriched_terms(data_dir: Path) -> Graph:
    """What ``bclm-kg enrich`` saved under ``data/external/`` (Turtle, with provenance)."""
    graph = Graph()
    folder = data_dir / ENRICHED_DIR
    for path in sorted(folder.glob("*.ttl")) if folder.is_dir() else []:
        try:
            graph.parse(path, format="turtle")
        except BadSyntax as exc:
            raise SourceError(path, parse_error_line(exc), f"Turtle syntax error: {exc}") from exc
    return graph


def external_graph(facts: Iterable[Graph], data_dir: Path) -> Graph:
    """The ``graph/external`` named graph for a build."""
    graph = verified_terms(mapped_iris(facts))
    graph += enriched_terms(data_dir)
    bind_prefixes(graph)
    return graph
