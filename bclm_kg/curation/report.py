"""The gate's report: the change's own problems (file, row, line, column) and the SHACL
results (focus node, path, message), as JSON, text and an ``sh:ValidationReport`` graph."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from ..errors import BclmError
from ..namespaces import KG, PREFIXES, SH, bind_prefixes
from ..shapes import SHAPES_NS
from ..shapes import Result as ShaclResult

_EXPAND = {**PREFIXES, "sh": str(SH), "shape": SHAPES_NS}
_SEVERITY = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a submission or with the data it would make.

    ``file`` is relative to the data directory; ``row`` names the row (its ``id``, or
    ``rows[2]`` for the third new row of the submission); ``line`` is the line of the file."""

    file: str | None
    message: str
    row: str | None = None
    line: int | None = None
    column: str | None = None

    def text(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p) or "submission"
        parts = [where]
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return f"{', '.join(parts)}: {self.message}"


@dataclass
class GateReport:
    """Whether a change passes the gate, and why not."""

    problems: list[Problem] = field(default_factory=list)
    results: list[ShaclResult] = field(default_factory=list)  # SHACL violations (and warnings)

    @property
    def conforms(self) -> bool:
        return not self.problems and not any(r.severity == "Violation" for r in self.results)

    def to_json(self) -> dict[str, Any]:
        return {"conforms": self.conforms,
                "problems": [asdict(p) for p in self.problems],
                "results": [asdict(r) for r in self.results]}

    def text(self) -> str:
        """One line per problem, then one block per SHACL result."""
        lines = [f"Conforms: {'yes' if self.conforms else 'no'}"]
        lines += [p.text() for p in self.problems]
        for r in self.results:
            lines.append(f"{r.severity}: {r.focus_node}" + (f" ({r.path})" if r.path else "")
                         + f": {r.message} [{r.shape}]")
        return "\n".join(lines) + "\n"

    def graph(self) -> Graph:
        """The report as an ``sh:ValidationReport``: one ``sh:ValidationResult`` per SHACL
        result and per problem (a problem's focus node is the curated file, as the graph's
        provenance names it, ``source/data/<file>``; its line, row and column are in the
        message)."""
        graph = Graph()
        bind_prefixes(graph)
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for r in self.results:
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.resultSeverity, _SEVERITY.get(r.severity, SH.Violation)))
            graph.add((node, SH.resultMessage, Literal(r.message)))
            if (focus := _term(r.focus_node)) is not None:
                graph.add((node, SH.focusNode, focus))
            if (path := _term(r.path)) is not None:
                graph.add((node, SH.resultPath, path))
            if (shape := _term(r.shape)) is not None:
                graph.add((node, SH.sourceShape, shape))
            if r.value and r.value != r.focus_node:
                graph.add((node, SH.value, _term(r.value) or Literal(r.value)))
        for p in self.problems:
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.resultSeverity, SH.Violation))
            graph.add((node, SH.resultMessage, Literal(p.text())))
            if p.file:
                graph.add((node, SH.focusNode, KG["source/data/" + p.file]))
        return graph


def _term(text: str) -> URIRef | Literal | None:
    """A rendered term back to RDF: ``<iri>``, ``prefix:local`` or a quoted literal; None for
    what cannot be read back (complex paths, blank nodes)."""
    if not text or text == "[]":
        return None
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith('"'):
        lexical, _, suffix = text[1:].rpartition('"')
        if suffix.startswith("^^") and (datatype := _term(suffix[2:])) is not None:
            return Literal(lexical, datatype=datatype)
        if suffix.startswith("@"):
            return Literal(lexical, lang=suffix[1:])
        return Literal(lexical)
    prefix, colon, local = text.partition(":")
    if colon and prefix in _EXPAND and ":" not in local and \
            not any(c in local for c in "|^()*+? "):  # a complex path stays text
        return URIRef(_EXPAND[prefix] + local)
    return None


class InvalidSubmission(BclmError):
    """A submission the gate refuses; ``report`` says why (nothing was changed)."""

    def __init__(self, report: GateReport, submission_id: str | None = None) -> None:
        self.report = report
        self.submission_id = submission_id
        first = (report.problems[0].text() if report.problems else
                 f"{report.results[0].focus_node}: {report.results[0].message}"
                 if report.results else "refused")
        count = len(report.problems) + len(report.results)
        super().__init__(f"invalid submission ({count} problem(s)): {first}")


class SubmissionStateError(BclmError):
    """The submission is not in a state that allows this (e.g. approving a committed one)."""
