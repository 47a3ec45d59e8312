"""Mappings as data: the ontology's SKOS mapping triples and ``ontology/mappings.sssom.tsv``
must say the same thing (the build stops when they differ), and the SSSOM file is published
as TSV and, through the ``sssom`` package, as RDF."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..errors import SourceError
from ..ontology import MAPPINGS_FILE, ONTOLOGY_FILE, class_mappings
from .sources import sssom_rows


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


def sssom_turtle(path: Path = MAPPINGS_FILE) -> bytes:
    """The SSSOM mapping set as RDF (the ``sssom`` package's own RDF form), in Turtle."""
    from sssom.parsers import parse_sssom_table
    from sssom.writers import to_rdf_graph

    graph = to_rdf_graph(parse_sssom_table(path))
    return graph.serialize(format="turtle", encoding="utf-8")
