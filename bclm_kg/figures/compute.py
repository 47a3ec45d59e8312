"""Run a figure's named query on the store and shape its rows for charts, tables and CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from ..namespaces import BASE
from ..queries import load_query
from ..query.store import KnowledgeStore
from .catalogue import CATALOGUE, FigureSpec

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger")}
DECIMALS = {XSD + t for t in ("decimal", "double", "float")}

Value = str | int | float | None


@dataclass(frozen=True)
class Note:
    """A curation note that bears on a figure's counts."""

    id: str
    category: str
    about: str
    printed: str
    suggested: str
    evidence: str

    @property
    def path(self) -> str:
        return f"/note/{self.id}"


@dataclass
class Figure:
    spec: FigureSpec
    query: str  # the SPARQL text that produced the rows
    rows: list[dict[str, Value]]
    notes: list[Note] = field(default_factory=list)

    @property
    def table(self) -> list[list[Value]]:
        return [[row.get(c) for c in self.spec.columns] for row in self.rows]


def python_value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Value:
    """A result term as a plain value: numbers for numeric literals, text otherwise."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in INTEGERS:
            return int(term.value)
        if datatype in DECIMALS:
            number = Decimal(term.value)
            return int(number) if number == number.to_integral_value() else float(number)
    return term.value


def _rows(store: KnowledgeStore, query: str, **bindings: ox.NamedNode) -> list[dict[str, Value]]:
    result = store.query(query, substitutions=bindings or None)
    names = [v.value for v in result.variables]
    return [{n: python_value(solution[n]) for n in names} for solution in result]


def _notes(store: KnowledgeStore, ids: tuple[str, ...]) -> list[Note]:
    query = load_query("figures/notes")
    notes = []
    for note_id in ids:
        for row in _rows(store, query, note=ox.NamedNode(f"{BASE}note/{note_id}")):
            notes.append(Note(note_id, str(row["category"]), str(row["about"] or ""),
                              str(row["printed"] or ""), str(row["suggested"] or ""),
                              str(row["evidence"])))
    return notes


def _with_shares(rows: list[dict[str, Value]]) -> list[dict[str, Value]]:
    """Figure 3A: each treatment's share (%) of all study-treatment pairs."""
    total = sum(int(r["studies"] or 0) for r in rows)
    for row in rows:
        row["share"] = round(100 * int(row["studies"] or 0) / total, 1) if total else 0.0
    return rows


def compute(store: KnowledgeStore, spec: FigureSpec) -> Figure:
    """The figure's rows from the graph as it is now, with the notes that concern it."""
    query = load_query(f"figures/{spec.query}")
    rows = _rows(store, query)
    if spec.id == "3a":
        rows = _with_shares(rows)
    return Figure(spec, query, rows, _notes(store, spec.notes))


def compute_all(store: KnowledgeStore) -> list[Figure]:
    return [compute(store, s) for s in CATALOGUE]


def to_csv(figure: Figure) -> str:
    """The data table as CSV (header = the query's variable names)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(figure.spec.columns)
    writer.writerows(["" if v is None else v for v in row] for row in figure.table)
    return out.getvalue()
