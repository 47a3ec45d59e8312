"""SHACL validation against ``shapes/bclm.shacl.ttl`` and a readable report of the results."""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax import SAXParseException

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node
from rdflib.util import guess_format

from . import resources
from .errors import parse_error_line
from .namespaces import PREFIXES, SH, compact_iri
from .safe_rdf import UploadError, refuse_doctype, refuse_remote_contexts

SHAPES_FILE = resources.shapes_file()
SHAPES_NS = "https://w3id.org/bclm-kg/shapes/"
QUAD_FORMATS = {"trig", "nquads", "json-ld", "trix"}  # may hold named graphs

_DISPLAY_PREFIXES = {**PREFIXES, "sh": str(SH), "shape": SHAPES_NS}
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, order=True)
class Result:
    """One SHACL validation result, with every node already rendered as text."""

    focus_node: str
    path: str
    value: str
    message: str
    severity: str
    shape: str


@dataclass
class Report:
    """Violations (errors) and warnings (soft checks, including sh:Info) of one validation."""

    violations: list[Result] = field(default_factory=list)
    warnings: list[Result] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when there is no violation; warnings never fail validation."""
        return not self.violations

    def summary(self) -> str:
        """One line, e.g. ``Conforms: no — 3 violations, 1 warning``."""
        return (f"Conforms: {'yes' if self.conforms else 'no'} — "
                f"{_plural(len(self.violations), 'violation')}, "
                f"{_plural(len(self.warnings), 'warning')}")

    def text(self) -> str:
        """The summary line, then one block per result (violations first)."""
        blocks = [self.summary()]
        for result in [*self.violations, *self.warnings]:
            lines = [f"{result.severity}: {result.focus_node}"]
            if result.path:
                lines.append(f"  path:    {result.path}")
            if result.value and result.value != result.focus_node:
                lines.append(f"  value:   {result.value}")
            lines.append(f"  message: {result.message}")
            lines.append(f"  shape:   {result.shape}")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def curie(term: Node | None) -> str:
    """A term as text: IRIs shortened with the project's prefixes, literals in Turtle form."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term), _DISPLAY_PREFIXES) or f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{term}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^{curie(term.datatype)}"
        return text
    return "[]"


def render_path(graph: Graph, path: Node | None) -> str:
    """A SHACL property path as SPARQL-like text (``^bclm:hasArm``, ``a|b``, ``a/b``)."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return curie(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + render_path(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(render_path(graph, p) for p in Collection(graph, alternatives)) + ")"
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                              (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return render_path(graph, inner) + suffix
    if graph.value(path, RDF.first) is not None:
        return "/".join(render_path(graph, p) for p in Collection(graph, path))
    return curie(path)


def load_shapes() -> Graph:
    """Parse the project's shapes graph."""
    graph = Graph()
    graph.parse(SHAPES_FILE, format="turtle")
    return graph


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """The named shape a result comes from (a blank property shape gives its node shape)."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(shapes.subjects(SH.property, shape), None)
        if parent is None:
            parent = next(shapes.subjects(SH.sparql, shape), None)
        if parent is None:
            break
        shape = parent
    return curie(shape)


def _message(results: Graph, node: Node) -> str:
    messages = list(results.objects(node, SH.resultMessage))
    english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    return str(sorted(english or messages)[0]) if messages else ""


def _results(results: Graph, shapes: Graph) -> list[Result]:
    found: set[Result] = set()
    for node in results.subjects(RDF.type, SH.ValidationResult):
        source = results.value(node, SH.sourceShape)
        path = results.value(node, SH.resultPath)
        if isinstance(path, BNode) and source is not None:
            path = shapes.value(source, SH.path, default=path)
            rendered = render_path(shapes, path)
        else:
            rendered = render_path(results, path)
        severity = results.value(node, SH.resultSeverity)
        found.add(Result(
            focus_node=curie(results.value(node, SH.focusNode)),
            path=rendered,
            value=curie(results.value(node, SH.value)),
            message=_message(results, node),
            severity=_SEVERITY.get(severity, curie(severity)),
            shape=_shape_name(shapes, source),
        ))
    return sorted(found)


ENGINES = ("rust", "pyshacl")
ENV_ENGINE = "BCLM_SHACL_ENGINE"


def default_engine() -> str:
    """``BCLM_SHACL_ENGINE`` if set, else the Rust engine (checked against pySHACL in tests)."""
    return os.environ.get(ENV_ENGINE) or ENGINES[0]


def _check_engine(engine: str | None) -> str:
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}; choose one of {', '.join(ENGINES)}")
    return engine


def _pyshacl_results(data: Graph, ontology: Graph | None) -> list[Result]:
    from pyshacl import validate

    shapes = load_shapes()
    _conforms, results, _text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    return _results(results, shapes)


def _from_rust(raw) -> list[Result]:
    """The Rust engine's results in the project's form (the same text pySHACL's give)."""
    from .shapes_rust import parse_term
    from .shapes_rust import render_path as rust_path

    found: set[Result] = set()
    for result in raw:
        messages = sorted(result.messages)
        found.add(Result(
            focus_node=curie(parse_term(result.focus_node)),
            path=rust_path(result.path, curie),
            value=curie(parse_term(result.value)),
            message=messages[0] if messages else "",
            severity=result.severity,
            shape=curie(parse_term(result.root_shape)),
        ))
    return sorted(found)


def _ntriples(*graphs: Graph | None) -> str:
    return "".join(g.serialize(format="nt") for g in graphs if g is not None)


def _report(results: list[Result]) -> Report:
    report = Report()
    for result in results:
        (report.violations if result.severity == "Violation" else report.warnings).append(result)
    return report


def validate_graph(data: Graph, ontology: Graph | None = None,
                   engine: str | None = None) -> Report:
    """Validate ``data`` (inferred types already materialised) against the shapes, the
    ontology's class hierarchy included; ``engine`` is ``rust`` (default) or ``pyshacl``."""
    from .shapes_rust import validate_ntriples

    if _check_engine(engine) == "pyshacl":
        return _report(_pyshacl_results(data, ontology))
    return _report(_from_rust(validate_ntriples(_ntriples(data, ontology))))


def validate_ntriples_file(path: Path) -> Report:
    """Validate an N-Triples file that already holds the ontology, with the Rust engine (for
    graphs too large to pass through rdflib)."""
    from .shapes_rust import validate_ntriples

    return _report(_from_rust(validate_ntriples(path=Path(path))))


def _ontology() -> Graph:
    """The project ontology (``ontology/bclm.ttl``)."""
    from .ontology import load_ontology

    return load_ontology()


def _error_reason(exc: Exception) -> str:
    if isinstance(exc, BadSyntax):
        return getattr(exc, "_why", None) or str(exc)
    if isinstance(exc, SAXParseException):
        return exc.getMessage()
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    return str(exc) or type(exc).__name__


def read_rdf(path: Path | str) -> Graph:
    """Parse an RDF file of any common syntax into one graph (the union of its named graphs).

    Raises ValueError naming the file (and the line, where the parser says) when it cannot.
    """
    path = Path(path)
    fmt = guess_format(str(path))
    if fmt is None:
        raise ValueError(f"{path}: cannot tell the RDF syntax from the file name; use .ttl, .nt, "
                         ".jsonld, .trig, .nq or .rdf")
    _refuse_unsafe(path, fmt)
    target: Graph | Dataset = Dataset() if fmt in QUAD_FORMATS else Graph()
    try:
        with warnings.catch_warnings():
            # rdflib's own Dataset.parse calls its deprecated default_context
            warnings.simplefilter("ignore", DeprecationWarning)
            target.parse(path, format=fmt)
    except IndexError as exc:  # rdflib's Turtle parser runs off the end of a truncated file
        lines = path.read_bytes().count(b"\n") + 1
        raise ValueError(f"{path}:{lines}: cannot parse as {fmt}: unexpected end of file "
                         "(a statement is not finished)") from exc
    except Exception as exc:  # parsers raise many unrelated types
        line = parse_error_line(exc)
        where = f"{path}:{line}" if line else str(path)
        raise ValueError(f"{where}: cannot parse as {fmt}: {_error_reason(exc)}") from exc
    if isinstance(target, Dataset):
        graph = Graph()
        for s, p, o, _g in target.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return target


def _refuse_unsafe(path: Path, fmt: str) -> None:
    """Refuse, before rdflib reads it, a JSON-LD file that would load a remote context and an
    RDF/XML file with a DOCTYPE (entity declarations): the same rules as uploads."""
    check = {"json-ld": refuse_remote_contexts, "xml": refuse_doctype}.get(fmt)
    if check is None:
        return
    try:
        check(path.read_bytes())
    except UploadError as exc:
        raise ValueError(f"{path}: {exc}") from exc


def _ontology_ntriples() -> str:
    """The ontology as N-Triples, its blank nodes labelled ``_:bclm-ontology-…``."""
    from .shapes_rust import ONTOLOGY_BLANK

    ontology = _ontology()
    renamed = Graph()
    for triple in ontology:
        renamed.add(tuple(BNode(ONTOLOGY_BLANK + t) if isinstance(t, BNode) else t
                          for t in triple))
    return renamed.serialize(format="nt")


def _validate_ntriples_as_written(path: Path) -> Report | None:
    """The Rust engine's report on an N-Triples file read straight from its text, without rdflib
    (seconds instead of minutes for a million triples); None when rdflib would read other terms
    than the text spells or the engine cannot parse it (then rdflib reads it, as for any file)."""
    from .shapes_rust import validate_ntriples_with

    raw = validate_ntriples_with(path, _ontology_ntriples())
    return None if raw is None else _report(_from_rust(raw))


def validate_file(path: Path | str, engine: str | None = None) -> tuple[bool, str]:
    """Validate an RDF file (with the ontology) and return (conforms, report text)."""
    engine = _check_engine(engine)
    if engine == "rust" and guess_format(str(path)) == "nt":
        report = _validate_ntriples_as_written(Path(path))
        if report is not None:
            return report.conforms, report.text()
    try:
        data = read_rdf(path)
    except ValueError as exc:
        return False, f"Conforms: no — the file could not be read\n{exc}\n"
    report = validate_graph(data, _ontology(), engine)
    return report.conforms, report.text()
