"""The project ontology (``ontology/bclm.ttl``): loading, version and completeness report."""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from . import resources
from .errors import SourceError, parse_error_line
from .namespaces import BCLM, ONTOLOGY_IRI, bind_prefixes

ONTOLOGY_FILE = resources.ontology_file()
MAPPINGS_FILE = resources.mappings_file()

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
MAPPING_PREDICATES = (
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
)


def load_ontology(path: Path | str = ONTOLOGY_FILE) -> Graph:
    """Parse the ontology source; a syntax error names the file and line."""
    path = Path(path)
    graph = Graph()
    bind_prefixes(graph)
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as exc:
        reason = getattr(exc, "_why", None) or str(exc)
        raise SourceError(path, parse_error_line(exc), f"Turtle syntax error: {reason}") from exc
    except FileNotFoundError as exc:
        raise SourceError(path, None, "ontology file not found") from exc
    return graph


def ontology_version(graph: Graph) -> str:
    """The ``owl:versionInfo`` of the ontology."""
    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    if version is None:
        raise ValueError(f"<{ONTOLOGY_IRI}> has no owl:versionInfo")
    return str(version)


def project_terms(graph: Graph) -> list[URIRef]:
    """Every class and property declared in the ``bclm:`` namespace, sorted."""
    terms = {
        s
        for kind in TERM_TYPES
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(BCLM))
    }
    return sorted(terms)


def _has_lang(graph: Graph, term: URIRef, predicate: URIRef, lang: str) -> bool:
    return any(
        isinstance(o, Literal) and o.language == lang and str(o).strip()
        for o in graph.objects(term, predicate)
    )


def term_report(graph: Graph) -> list[str]:
    """One line per ``bclm:`` term lacking an @en label, a @zh label or an @en definition."""
    problems: list[str] = []
    for term in project_terms(graph):
        name = "bclm:" + term[len(BCLM) :]
        if not _has_lang(graph, term, RDFS.label, "en"):
            problems.append(f"{name}: no rdfs:label@en")
        if not _has_lang(graph, term, RDFS.label, "zh"):
            problems.append(f"{name}: no rdfs:label@zh")
        if not _has_lang(graph, term, SKOS.definition, "en"):
            problems.append(f"{name}: no skos:definition@en")
    return problems


def class_mappings(graph: Graph) -> set[tuple[URIRef, URIRef, URIRef]]:
    """(class, SKOS mapping predicate, external IRI) asserted on ``bclm:`` classes."""
    return {
        (cls, predicate, obj)
        for cls in graph.subjects(RDF.type, OWL.Class)
        if isinstance(cls, URIRef) and str(cls).startswith(str(BCLM))
        for predicate in MAPPING_PREDICATES
        for obj in graph.objects(cls, predicate)
        if isinstance(obj, URIRef)
    }


def read_sssom(path: Path | str = MAPPINGS_FILE) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The curie map and the rows of an SSSOM TSV file with a ``#`` YAML header."""
    from ruamel.yaml import YAML

    header: list[str] = []
    body: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            (header if line.startswith("#") else body).append(line)
    meta = YAML(typ="safe").load("".join(line[1:] for line in header)) or {}
    rows = list(csv.DictReader(body, delimiter="\t"))
    return dict(meta.get("curie_map") or {}), rows


