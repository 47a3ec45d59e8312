"""The fast SHACL engine: the Rust ``shacl`` package, its results in the project's own form.

It reads N-Triples text or a file, so a large graph never passes through rdflib. pySHACL
stays the reference: ``tests/test_shacl_engines.py`` checks that both give the same results
on every fixture and on the real release.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
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


_TYPED_LITERAL_END = re.compile(rb'"\^\^<')
_CAPITALISED_LANGUAGE = re.compile(rb'"@[a-zA-Z0-9-]*[A-Z]')
ONTOLOGY_BLANK = "bclm-ontology-"


def _canonical(lexical: bytes, datatype: bytes) -> bool:
    """True when rdflib keeps this typed literal's text as it is (``"01"^^xsd:integer`` it
    reads as ``"1"``)."""
    if b"\\" in lexical:
        return False
    text = lexical.decode("utf-8")
    rdflib_log = logging.getLogger("rdflib.term")
    level = rdflib_log.level
    rdflib_log.setLevel(logging.ERROR)  # an ill-typed value is the shapes' to report, not a log's
    try:
        return str(Literal(text, datatype=URIRef(datatype.decode("utf-8")))) == text
    finally:
        rdflib_log.setLevel(level)


def read_as_written(data: bytes) -> bool:
    """True when rdflib reads this N-Triples text into the terms it spells: every typed literal
    in rdflib's canonical form and every language tag in lower case (rdflib keeps capitals, the
    engine lowers them), so the engine reading the text sees the graph pySHACL sees."""
    if _CAPITALISED_LANGUAGE.search(data):
        return False
    forms: set[tuple[bytes, bytes]] = set()
    for match in _TYPED_LITERAL_END.finditer(data):
        end = match.start()
        start = data.rfind(b'"', 0, end)
        if data[start - 1:start] == b"\\":
            return False
        forms.add((data[start + 1:end], data[match.end():data.find(b">", match.end())]))
    return all(_canonical(lexical, datatype) for lexical, datatype in forms)


def validate_ntriples_with(path: Path, extra: str) -> Iterable | None:
    """The engine's raw results for the N-Triples file at ``path`` followed by ``extra`` (N-Triples
    whose blank nodes are labelled ``_:bclm-ontology-…``), read straight from the file's text; None
    when that would not be the graph rdflib reads (see ``read_as_written``, or a blank-node label
    shared with ``extra``) or when the text is not N-Triples the engine can parse."""
    try:
        data = Path(path).read_bytes()
        if f"_:{ONTOLOGY_BLANK}".encode() in data or not read_as_written(data):
            return None
        text = data.decode("utf-8") + extra
        del data  # a million triples are some 150 MB of text: keep one copy
        return validate_ntriples(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
