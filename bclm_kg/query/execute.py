"""Run one SPARQL query against a store and serialise its result, within a row cap.

This is what a query worker process does; it holds no Flask state, so it can run anywhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from ..queries.params import term
from . import results
from .remote import StoreUnavailable
from .sparql_text import uses_service
from .store import KnowledgeStore


@dataclass(frozen=True)
class Job:
    query: str
    results_format: str | None  # format name for SELECT/ASK, None if not acceptable
    graph_format: str | None  # format name for CONSTRUCT/DESCRIBE, None if not acceptable
    inference: bool = True
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    time_limit: float = 10.0  # seconds; checked between rows (the pool enforces it hard)
    base_iri: str | None = None  # for relative IRIs in the query
    bindings: tuple = ()  # (variable, bound value) of a named query's parameters


@dataclass
class Outcome:
    status: str  # ok | syntax | invalid | not_acceptable | timeout | unavailable | error
    body: bytes = b""
    format: str | None = None
    kind: str | None = None  # results | graph
    rows: int = 0
    truncated: bool = False
    message: str = ""
    elapsed: float = field(default=0.0)


def _take(iterator, limit: int, deadline: float) -> tuple[list, bool, bool]:
    """Up to ``limit`` items; whether more were left; whether the deadline passed."""
    items = []
    for item in islice(iterator, limit + 1):
        if time.monotonic() > deadline:
            return items, False, True
        items.append(item)
    more = len(items) > limit
    return items[:limit], more, False


def execute(store: KnowledgeStore, job: Job) -> Outcome:
    """Run ``job`` on ``store``; every failure becomes an :class:`Outcome`, never an exception."""
    start = time.monotonic()
    deadline = start + job.time_limit
    if uses_service(job.query):  # federation is resolved before a job is made; never here
        return Outcome("invalid", message="SERVICE must be resolved through the allowlist")
    try:
        result = store.query(job.query, inference=job.inference,
                             default_graphs=job.default_graphs, named_graphs=job.named_graphs,
                             base_iri=job.base_iri,
                             substitutions={name: term(value) for name, value in job.bindings})
        if isinstance(result, ox.QueryBoolean):
            if job.results_format is None:
                return Outcome("not_acceptable", kind="results")
            body = results.boolean(bool(result), job.results_format)
            return Outcome("ok", body, job.results_format, "results", 1,
                           elapsed=time.monotonic() - start)
        if isinstance(result, ox.QuerySolutions):
            if job.results_format is None:
                return Outcome("not_acceptable", kind="results")
            variables = [v.value for v in result.variables]
            rows, more, late = _take(result, job.max_rows, deadline)
            if late:
                return Outcome("timeout", kind="results")
            table = [[solution[v] for v in variables] for solution in rows]
            body = results.solutions(variables, table, job.results_format)
            return Outcome("ok", body, job.results_format, "results", len(rows), more,
                           elapsed=time.monotonic() - start)
        if job.graph_format is None:
            return Outcome("not_acceptable", kind="graph")
        triples, more, late = _take(result, job.max_rows, deadline)
        if late:
            return Outcome("timeout", kind="graph")
        body = results.graph(triples, job.graph_format)
        return Outcome("ok", body, job.graph_format, "graph", len(triples), more,
                       elapsed=time.monotonic() - start)
    except SyntaxError as exc:
        return Outcome("syntax", message=str(exc))
    except StoreUnavailable as exc:
        return Outcome("unavailable", message=str(exc))
    except (RuntimeError, ValueError) as exc:
        return Outcome("invalid", message=str(exc))
    except OSError as exc:
        return Outcome("error", message=str(exc))
