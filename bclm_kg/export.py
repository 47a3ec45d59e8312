"""``bclm-kg export``: the release in one RDF format, or the per-arm CSV table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rdflib import Graph

from .build import ensure_release
from .errors import BclmError
from .queries import load_query
from .release import JSONLD, NTRIPLES, TRIG, TURTLE
from .store import KnowledgeStore, StoreSpec

COPIED = {"ttl": TURTLE, "jsonld": JSONLD, "nt": NTRIPLES}


def load_store(release_dir: Path) -> KnowledgeStore:
    """The release's named graphs in an in-memory Oxigraph store (queries see their union)."""
    return StoreSpec(release_dir / TRIG).open()


def _term(term: object) -> str:
    if term is None:
        return ""
    return term.value  # NamedNode and Literal both expose .value


def arms_csv(store: KnowledgeStore) -> bytes:
    """Run export_arms.rq over the union of the graphs and write its rows as CSV."""
    solutions = store.query(load_query("export_arms"))
    names = [variable.value for variable in solutions.variables]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for solution in solutions:
        writer.writerow([_term(solution[name]) for name in names])
    return out.getvalue().encode("utf-8")


def export_release(release_dir: Path, fmt: str) -> bytes:
    """The bytes of the export in ``fmt`` (ttl, jsonld, nt, rdfxml or csv)."""
    release_dir = ensure_release(release_dir)
    if fmt in COPIED:
        return (release_dir / COPIED[fmt]).read_bytes()
    if fmt == "rdfxml":
        graph = Graph().parse(release_dir / NTRIPLES, format="nt")
        return graph.serialize(format="xml", encoding="utf-8")
    if fmt == "csv":
        return arms_csv(load_store(release_dir))
    raise BclmError(f"unknown export format '{fmt}'")
