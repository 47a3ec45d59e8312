"""The fast SHACL engine: the Rust ``shacl`` package, its results in the project's own form.

It reads N-Triples text or a file, so a large graph never passes through rdflib. pySHACL
stays the reference: ``tests/test_shacl_engines.py`` checks that both give the same results
on every fixture and on the real release.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from . import resources

_NT_SUBJECT = "<urn:x-bclm:s> <urn:x-bclm:p> "
_IRI_IN_PATH = re.compile(r"<([^<>\s]*)>")


@cache
def compiled_shapes(path: Path | None = None):
    """The project's shapes compiled once per process (immutable, safe to share)."""
    import shacl

    return shacl.Shapes.from_file(str(path or resources.shapes_file()))


@cache
def parse_term(text: str | None) -> Node | None:
    """A term given in N-Triples syntax (``<iri>``, ``"v"^^<dt>``, ``_:b``) as an rdflib term."""
    if not text:
        return None
    if text.startswith("<") and text.endswith(">") and " " not in text:
        return URIRef(text[1:-1])
    graph = Graph()
    graph.parse(data=f"{_NT_SUBJECT}{text} .\n", format="nt")
    return next(iter(graph.objects()))


def render_path(text: str | None, curie) -> str:
    """The engine's SPARQL-syntax path with every IRI shortened like the rest of the report."""
    if not text:
        return ""
    rendered = _IRI_IN_PATH.sub(lambda m: curie(URIRef(m.group(1))), text)
    if rendered.startswith("(") and rendered.endswith(")") and "|" not in rendered:
        rendered = rendered[1:-1]
    return rendered


def validate_ntriples(text: str | None = None, path: Path | None = None) -> Iterable:
    """Run the engine over N-Triples text or an N-Triples/Turtle file; the raw results."""
    shapes = compiled_shapes()
    if path is not None:
        report = shapes.validate_file(str(path), allow_warnings=True)
    else:
        report = shapes.validate_text(text or "", format="ntriples", allow_warnings=True)
    return report.results
