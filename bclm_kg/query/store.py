"""The query store: the release's named graphs in an embedded Oxigraph store.

rdflib builds, serialises and validates; this module is what answers SPARQL. The default graph
of every query is the union of the named graphs; ``inference=False`` leaves out the graph the
reasoner wrote.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import GRAPH_INFERRED, NAMED_GRAPHS, PREFIXES

LOADED_MARKER = ".bclm-loaded"

INFERRED = ox.NamedNode(str(GRAPH_INFERRED))
RELEASE_GRAPHS = tuple(ox.NamedNode(str(iri)) for iri in NAMED_GRAPHS)
ASSERTED_ONLY = tuple(g for g in RELEASE_GRAPHS if g != INFERRED)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
VOID_DATASET = "http://rdfs.org/ns/void#Dataset"
VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class StoreSpec:
    """Where a store comes from: a TriG file, and optionally an on-disk store directory.

    It is small and picklable, so query worker processes can open their own copy.
    """

    trig: Path
    path: Path | None = None
    extra: tuple[tuple[str, Path], ...] = ()  # (graph IRI, N-Triples/Turtle file) to add
    remote: str | None = None  # a SPARQL endpoint holding the release, instead of either
    timeout: float = 30.0  # seconds a remote store may take to answer

    def open(self) -> KnowledgeStore:
        return KnowledgeStore(self)

    @property
    def kind(self) -> str:
        """``memory``, ``oxigraph`` (on disk) or ``sparql`` (a remote store)."""
        return "sparql" if self.remote else "oxigraph" if self.path else "memory"


def _load_memory(spec: StoreSpec) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(spec.trig), format=ox.RdfFormat.TRIG)
    for graph, file in spec.extra:
        fmt = ox.RdfFormat.from_extension(file.suffix.lstrip(".")) or ox.RdfFormat.N_TRIPLES
        store.bulk_load(path=str(file), format=fmt, to_graph=ox.NamedNode(graph))
    return store


def _identity(path: Path) -> list:
    """What tells a file from its replacement: its path, inode, size and modification time."""
    info = path.stat()
    return [str(path.resolve()), info.st_ino, info.st_size, info.st_mtime_ns]


def _loaded(spec: StoreSpec) -> dict:
    """What the on-disk store must have been loaded from (the marker's content, less the count
    of quads)."""
    return {"source": _identity(spec.trig),
            "extra": [[graph, *_identity(file)] for graph, file in spec.extra]}


def _marker(spec: StoreSpec) -> dict | None:
    """The marker of the on-disk store: what it was loaded from and how many quads it holds;
    None when it is missing, unreadable, or from another source."""
    assert spec.path is not None
    try:
        marker = json.loads((spec.path / LOADED_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or not isinstance(marker.get("quads"), int):
        return None
    return marker if {k: marker.get(k) for k in ("source", "extra")} == _loaded(spec) else None


def _load_disk(spec: StoreSpec) -> tuple[ox.Store, int]:
    """Load the TriG into the on-disk store once (under a file lock), then open it read-only;
    the store and its number of quads, counted once at loading and kept in its marker (a
    count of a large store reads all of it). A store loaded from another file, or from the
    same path since replaced, is loaded again."""
    assert spec.path is not None
    spec.path.mkdir(parents=True, exist_ok=True)
    with open(spec.path.parent / f".{spec.path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = _marker(spec)
        if marker is None:
            (spec.path / LOADED_MARKER).unlink(missing_ok=True)
            writable = ox.Store(str(spec.path))
            writable.clear()
            writable.bulk_load(path=str(spec.trig.resolve()), format=ox.RdfFormat.TRIG)
            for graph, file in spec.extra:
                fmt = ox.RdfFormat.from_extension(file.suffix.lstrip(".")) or ox.RdfFormat.N_TRIPLES
                writable.bulk_load(path=str(file), format=fmt, to_graph=ox.NamedNode(graph))
            writable.flush()
            writable.optimize()
            marker = {**_loaded(spec), "quads": len(writable)}
            del writable
            (spec.path / LOADED_MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return ox.Store.read_only(str(spec.path)), marker["quads"]


class KnowledgeStore:
    """A read-only view of the release for SPARQL queries and resource lookups."""

    def __init__(self, spec: StoreSpec) -> None:
        self.spec = spec
        self._size: int | None = None  # a local store is read-only: counted once
        if spec.remote:
            from .remote import RemoteStore

            self.store = RemoteStore(spec.remote, spec.timeout)
        elif spec.path:
            self.store, self._size = _load_disk(spec)
        else:
            self.store = _load_memory(spec)

    def query(
        self,
        sparql: str,
        *,
        inference: bool = True,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        substitutions: dict[str, Term] | None = None,
        base_iri: str | None = None,
    ):
        """Run a query; the dataset is the union of the release graphs unless given.

        ``default_graphs``/``named_graphs`` are the SPARQL Protocol's ``default-graph-uri`` and
        ``named-graph-uri``; they replace any dataset in the query. Without inference the
        inferred graph is left out of every part of the dataset. Relative IRIs in the query
        resolve against ``base_iri`` (the endpoint's URL for protocol requests).
        """
        kwargs: dict = {"prefixes": PREFIXES, "base_iri": base_iri}
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        keep = (lambda g: g != INFERRED) if not inference else (lambda g: True)
        if default_graphs or named_graphs:
            kwargs["default_graph"] = [g for g in map(ox.NamedNode, default_graphs) if keep(g)]
            kwargs["named_graphs"] = [g for g in map(ox.NamedNode, named_graphs) if keep(g)]
        elif inference:
            kwargs["use_default_graph_as_union"] = True
        else:
            graphs = [g for g in self.store.named_graphs() if keep(g)]
            kwargs["default_graph"] = graphs
            kwargs["named_graphs"] = graphs
        return self.store.query(sparql, **kwargs)

    def size(self) -> int:
        """The number of triples in the store, every named graph counted: asked of a remote
        store every time (which tells whether it answers), counted once for a local one."""
        if self.spec.remote:
            return len(self.store)
        if self._size is None:
            self._size = len(self.store)
        return self._size

    def graph_triples(self, graph: ox.NamedNode | None) -> list[ox.Triple] | None:
        """The triples of a named graph (None when the store has no such graph), or with
        ``graph=None`` of the default graph: the union of the named graphs, each triple once."""
        if graph is None:
            return list(dict.fromkeys(q.triple for q in self.quads()))
        if not self.store.contains_named_graph(graph):
            return None
        return [q.triple for q in self.store.quads_for_pattern(None, None, None, graph)]

    def quads(self, subject=None, predicate=None, obj=None) -> Iterator[ox.Quad]:
        """Quads matching a pattern in any graph."""
        return self.store.quads_for_pattern(subject, predicate, obj, None)

    def contains(self, term: ox.NamedNode) -> bool:
        """Whether the term is a subject or an object of any triple, or a graph name."""
        for _ in self.quads(subject=term):
            return True
        return any(True for _ in self.quads(obj=term)) or self.store.contains_named_graph(term)

    def graph_summary(self, graph: ox.NamedNode) -> list[ox.Triple]:
        """A named graph described as a VoID dataset with its size."""
        size = sum(1 for _ in self.store.quads_for_pattern(None, None, None, graph))
        return [
            ox.Triple(graph, ox.NamedNode(RDF_TYPE), ox.NamedNode(VOID_DATASET)),
            ox.Triple(graph, ox.NamedNode(VOID_TRIPLES),
                      ox.Literal(str(size), datatype=ox.NamedNode(XSD_INTEGER))),
        ]

    def describe(self, term: ox.NamedNode, inbound_limit: int = 2000) -> list[ox.Triple]:
        """The term's triples out (with blank-node closure) and in, across all graphs."""
        seen: set[ox.Triple] = set()
        out: list[ox.Triple] = []
        if self.store.contains_named_graph(term):
            out.extend(self.graph_summary(term))
            seen.update(out)
        todo: list[ox.NamedNode | ox.BlankNode] = [term]
        visited: set = set()
        while todo:
            node = todo.pop()
            if node in visited:
                continue
            visited.add(node)
            for quad in self.quads(subject=node):
                triple = quad.triple
                if triple not in seen:
                    seen.add(triple)
                    out.append(triple)
                if isinstance(quad.object, ox.BlankNode):
                    todo.append(quad.object)
        for n, quad in enumerate(self.quads(obj=term)):
            if n >= inbound_limit:
                break
            if quad.triple not in seen:
                seen.add(quad.triple)
                out.append(quad.triple)
        return out
