"""The dry run of a graph: any RDF graph checked against the project's shapes, alone or
together with a release's graphs, as a :class:`GateReport` (nothing is written)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..formats import by_name
from ..ontology import load_ontology
from ..release import Release
from ..shapes import validate_graph
from .report import GateReport

NTRIPLES = by_name("ntriples", "graph")


def check_graph(graph: Graph, release: Path | None = None) -> GateReport:
    """SHACL results of ``graph`` (with the ontology's class hierarchy); with ``release``, of
    ``graph`` added to that release's graphs (the asserted, inferred and provenance triples).
    The posted triples are not reasoned over: types the reasoner would infer must be stated."""
    data = Graph()
    for triple in graph:
        data.add(triple)
    if release is not None:
        data.parse(Release(release).file(NTRIPLES), format=NTRIPLES.rdflib)
    report = validate_graph(data, load_ontology())
    return GateReport(results=[*report.violations, *report.warnings])

