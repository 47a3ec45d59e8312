"""The ontology quality report (``bclm-kg report``), modelled on the OBO community's reports.

Each check is a named SPARQL query (``bclm_kg/queries/report/*.rq``) run over the union of the
graphs; the rows become problems with a severity. ERROR blocks a release, WARN and INFO do not.
External IRIs are compared with the verified cross-references (``ontology/sources/xrefs.tsv``)
and the OBO annotation properties the ontology uses
(``ontology/sources/obo-annotation-properties.tsv``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import resources
from .queries import load_query

XREFS_FILE = resources.xrefs_file()
ANNOTATION_PROPERTIES_FILE = resources.bundled("ontology", "sources",
                                               "obo-annotation-properties.tsv")

ERROR, WARN, INFO = "ERROR", "WARN", "INFO"
SEVERITIES = (ERROR, WARN, INFO)


@dataclass(frozen=True, order=True)
class Problem:
    """One row of the report: severity, rule, the IRI at fault, and the value that shows it."""

    severity: str
    rule: str
    subject: str
    value: str

    def line(self) -> str:
        return f"{self.severity}\t{self.rule}\t{self.subject}\t{self.value}"


@dataclass(frozen=True)
class Report:
    problems: tuple[Problem, ...]

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == ERROR)

    def rules(self, severity: str | None = None) -> set[str]:
        return {p.rule for p in self.problems if severity is None or p.severity == severity}

    def text(self, levels: Iterable[str] = SEVERITIES) -> str:
        """TSV (level, rule, subject, value), errors first, then a one-line summary."""
        wanted = set(levels)
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        rows = sorted((p for p in self.problems if p.severity in wanted),
                      key=lambda p: (rank[p.severity], p.rule, p.subject, p.value))
        lines = ["level\trule\tsubject\tvalue", *(p.line() for p in rows)]
        summary = ", ".join(f"{self.count(s)} {s}" for s in SEVERITIES)
        return "\n".join(lines) + f"\n# {summary}\n"


def verified_iris(xrefs: Path = XREFS_FILE,
                  annotation_properties: Path = ANNOTATION_PROPERTIES_FILE) -> set[str]:
    """The external IRIs the graph may use: verified cross-references and OBO annotations."""
    iris: set[str] = set()
    for path, column in ((xrefs, "object_iri"), (annotation_properties, "iri")):
        with path.open(encoding="utf-8") as handle:
            rows = csv.DictReader((line for line in handle if not line.startswith("#")),
                                  delimiter="\t")
            iris.update(row[column] for row in rows)
    return iris


def _term(node: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ox.Literal):
        return f'"{node.value}"@{node.language}' if node.language else f'"{node.value}"'
    return node.value


def _rows(store: ox.Store, name: str) -> list[dict[str, str]]:
    result = store.query(load_query(f"report/{name}"), use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: _term(solution[n]) for n in names} for solution in result]


def check(store: ox.Store, verified: set[str] | None = None) -> Report:
    """Run every check on ``store`` (the default graph is the union of its graphs)."""
    verified = verified_iris() if verified is None else verified
    problems: list[Problem] = []
    for row in _rows(store, "duplicate-label"):
        severity = ERROR if row["declared"] == '"true"' else INFO
        problems.append(Problem(severity, "duplicate_label", row["subject"],
                                f"{row['label']} also on {row['other']}"))
    for row in _rows(store, "multiple-labels"):
        problems.append(Problem(ERROR, "multiple_labels", row["subject"],
                                f"{row['label']} and {row['other']}"))
    for row in _rows(store, "missing-definition"):
        problems.append(Problem(ERROR, "missing_definition", row["subject"],
                                "no obo:IAO_0000115@en"))
    for row in _rows(store, "unsourced-definition"):
        value = (f"dcterms:source is a string, not an IRI: {row['source']}" if row["source"]
                 else "definition without dcterms:source")
        problems.append(Problem(ERROR, "unsourced_definition", row["subject"], value))
    for row in _rows(store, "missing-domain-range"):
        missing = row["missing"].strip('"')
        problems.append(Problem(WARN, f"missing_{missing}", row["subject"], f"no rdfs:{missing}"))
    for row in _rows(store, "external-iris"):
        if row["iri"] not in verified:
            problems.append(Problem(ERROR, "unverified_external_iri", row["iri"],
                                    f"used by {row['subject']} {row['predicate']}"))
    for row in _rows(store, "class-individual-match"):
        problems.append(Problem(ERROR, "class_individual_match", row["external"],
                                f"matched from class {row['class']} and from {row['individual']}"))
    return Report(tuple(sorted(set(problems))))


def store_from_graphs(graphs: Iterable[Graph]) -> ox.Store:
    """An in-memory Oxigraph store holding the union of rdflib ``graphs``."""
    store = ox.Store()
    for graph in graphs:
        data = graph.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def check_graphs(graphs: Iterable[Graph], verified: set[str] | None = None) -> Report:
    return check(store_from_graphs(graphs), verified)


def require_clean(report: Report, shown: int = 20) -> None:
    """Raise QualityError when the report has errors (a release condition)."""
    from .errors import QualityError

    errors = report.errors
    if errors:
        lines = "\n".join(p.line() for p in errors[:shown])
        more = f"\n… and {len(errors) - shown} more" if len(errors) > shown else ""
        raise QualityError(f"{lines}{more}", len(errors))


def check_file(path: Path, verified: set[str] | None = None) -> Report:
    """Report on an RDF file (TriG, Turtle, N-Triples, RDF/XML, JSON-LD — by its extension)."""
    from .errors import SourceError

    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").replace("owl", "rdf"))
    if fmt is None:
        raise SourceError(path, None, f"unknown RDF file extension '{path.suffix}'")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as exc:
        raise SourceError(path, None, f"cannot parse: {exc}") from exc
    return check(store, verified)
