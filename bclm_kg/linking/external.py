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


def source_iri(path: Path, root: Path) -> URIRef:
    """The provenance IRI of an input file (as the build names its inputs)."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.name
    return URIRef(BASE + "source/" + rel)


def verified_terms(mapped: set[str], root: Path, path: Path = XREFS_FILE) -> Graph:
    """Label and CURIE of each mapped external term whose label the verified list gives (a
    label the list marks as the paper's own, not the registry's, stays out)."""
    graph = Graph()
    bind_prefixes(graph)
    source = source_iri(path, root)
    for row in xrefs(path):
        if row.iri not in mapped or not row.label_verified:
            continue
        term = URIRef(row.iri)
        graph.add((term, RDFS.label, Literal(row.label)))
        graph.add((term, SKOS.notation, Literal(row.curie)))
        graph.add((term, PROV.wasDerivedFrom, source))
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


def external_graph(facts: Iterable[Graph], data_dir: Path, root: Path) -> Graph:
    """The ``graph/external`` named graph for a build."""
    graph = verified_terms(mapped_iris(facts), root)
    graph += enriched_terms(data_dir)
    bind_prefixes(graph)
    return graph
