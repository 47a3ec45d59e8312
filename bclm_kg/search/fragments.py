"""The search's SPARQL: fragments and templates in ``bclm_kg/queries/search/``, and running a
SELECT with values bound through the store's substitutions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyoxigraph as ox

ROOT = resources.files("bclm_kg.queries").joinpath("search")


@cache
def text(name: str) -> str:
    """The text of ``bclm_kg/queries/search/{name}.rq``."""
    return ROOT.joinpath(f"{name}.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Fragment:
    """A facet's fragment: its comment, the pattern binding the facet's variable, the lines
    that select values (``#select``), the per-value expression of a text facet (``#any``), and
    the lines of a range facet used only when their bound is given (``#if {parameter}``)."""

    comment: tuple[str, ...]
    pattern: tuple[str, ...]
    select: tuple[str, ...]
    any: str | None
    bounds: tuple[tuple[str, str], ...]  # (parameter, line used when it is given)
    last: tuple[str, ...]  # lines placed at the end of the query's body (``#last``)


@cache
def fragment(name: str) -> Fragment:
    comment, pattern, select, any_, bounds, last = [], [], [], None, [], []
    for line in text(name).splitlines():
        if line.startswith("#last "):
            last.append(line[len("#last "):])
        elif line.startswith("#if "):
            param, _, sparql = line[len("#if "):].partition(" ")
            bounds.append((param, sparql))
        elif line.startswith("#select "):
            select.append(line[len("#select "):])
        elif line.startswith("#any "):
            any_ = line[len("#any "):]
        elif line.startswith("#"):
            comment.append(line)
        elif line.strip():
            pattern.append(line)
    return Fragment(tuple(comment), tuple(pattern), tuple(select), any_, tuple(bounds),
                    tuple(last))


def value(term) -> object:
    """A result term as a Python value: IRIs and strings as str, numbers as int/float,
    booleans as bool."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        if dt in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
        if dt in ("decimal", "double", "float"):
            number = float(term.value)
            return int(number) if number.is_integer() and "." not in term.value else number
        if dt == "boolean":
            return term.value == "true"
    return term.value


def run(store, query: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None
        ) -> list[dict[str, object]]:
    """Rows of a SELECT as dicts of Python values (unbound variables left out)."""
    solutions = store.query(query, substitutions=bindings or None)
    names = [v.value for v in solutions.variables]
    return [{n: value(s[n]) for n in names if s[n] is not None} for s in solutions]


def run_select(store, name: str) -> list[dict[str, object]]:
    """Run the named query (with the search prefixes)."""
    return run(store, text("prefixes") + text(name))
