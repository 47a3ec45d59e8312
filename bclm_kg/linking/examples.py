"""The named queries as SPARQL examples in RDF, the way the SIB Swiss Institute of
Bioinformatics example collections publish theirs: one ``sh:SPARQLExecutable`` per query with
``rdfs:comment``, the query text (``sh:select`` / ``sh:ask`` / ``sh:construct`` /
``spex:describe``), ``sh:prefixes``, ``schema:target`` (the endpoint) and ``schema:keywords``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Protocol

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SH = "http://www.w3.org/ns/shacl#"
SCHEMA = "https://schema.org/"
SPEX = "https://purl.expasy.org/sparql-examples/ontology#"
XSD_ANYURI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")

FORMS = {  # query form → (executable class, property holding the text)
    "SelectQuery": (SH + "SPARQLSelectExecutable", SH + "select"),
    "AskQuery": (SH + "SPARQLAskExecutable", SH + "ask"),
    "ConstructQuery": (SH + "SPARQLConstructExecutable", SH + "construct"),
    "DescribeQuery": (SPEX + "DescribeSPARQLExecutable", SPEX + "describe"),
}
_PREFIX = re.compile(r"^\s*PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


class Example(Protocol):
    name: str
    title: str
    description: str
    keywords: tuple[str, ...]
    text: str


@cache
def query_form(text: str) -> str:
    """``SelectQuery``, ``AskQuery``, ``ConstructQuery`` or ``DescribeQuery`` (rdflib's parser)."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text).algebra.name


def example_triples(examples: Iterable[Example], endpoint: str, base: str) -> list[ox.Triple]:
    """The examples as triples; ``base`` + name is each example's IRI."""
    triples: list[ox.Triple] = []

    def add(s, p: str, o) -> None:
        triples.append(ox.Triple(s, ox.NamedNode(p), o))

    prefixes = ox.NamedNode(base + "prefixes")
    declared: set[tuple[str, str]] = set()
    for ex in examples:
        node = ox.NamedNode(base + ex.name)
        cls, prop = FORMS[query_form(ex.text)]
        add(node, RDF + "type", ox.NamedNode(SH + "SPARQLExecutable"))
        add(node, RDF + "type", ox.NamedNode(cls))
        add(node, RDFS + "label", ox.Literal(ex.title, language="en"))
        add(node, RDFS + "comment", ox.Literal(ex.description or ex.title, language="en"))
        add(node, prop, ox.Literal(ex.text))
        add(node, SCHEMA + "target", ox.NamedNode(endpoint))
        add(node, SH + "prefixes", prefixes)
        for keyword in ex.keywords:
            add(node, SCHEMA + "keywords", ox.Literal(keyword))
        declared.update(_PREFIX.findall(ex.text))
    add(prefixes, RDF + "type", ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology"))
    for prefix, namespace in sorted(declared):
        declaration = ox.BlankNode()
        add(prefixes, SH + "declare", declaration)
        add(declaration, SH + "prefix", ox.Literal(prefix))
        add(declaration, SH + "namespace", ox.Literal(namespace, datatype=XSD_ANYURI))
    return triples
