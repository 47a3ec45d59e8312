"""A remote SPARQL 1.1 endpoint (an existing triple store) behind the embedded store's API.

:class:`RemoteStore` offers the part of ``pyoxigraph.Store`` the query layer uses — ``query``
with prefixes, base IRI, substitutions and a dataset; ``quads_for_pattern``;
``contains_named_graph``; ``named_graphs``; ``len`` — by sending SPARQL through SPARQLWrapper,
and parses the answers with pyoxigraph, so everything above it (worker pool, serialisers,
pages) works unchanged. The store must hold the release's named graphs under their IRIs;
the default graph of a query is their union, named in the request (``default-graph-uri``), so a
store's own system graphs never leak in.
"""

from __future__ import annotations

import urllib.error
from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from ..errors import BclmError
from ..namespaces import NAMED_GRAPHS

RELEASE_GRAPHS = tuple(ox.NamedNode(str(g)) for g in NAMED_GRAPHS)
RESULTS_XML = "application/sparql-results+xml"
TURTLE = "text/turtle"


class StoreUnavailable(BclmError):
    """The remote store did not answer (down, unreachable, or an error on its side)."""


def _term(node) -> str:
    return f"<{node.value}>" if isinstance(node, ox.NamedNode) else str(node)


class RemoteStore:
    """A SPARQL endpoint at ``url`` used like a read-only pyoxigraph store."""

    def __init__(self, url: str, timeout: float = 30.0,
                 graphs: Sequence[ox.NamedNode] = RELEASE_GRAPHS) -> None:
        self.url = url
        self.timeout = timeout
        self.graphs = tuple(graphs)

    def _send(self, text: str, default_graph: Iterable[ox.NamedNode],
              named_graphs: Iterable[ox.NamedNode]):
        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setTimeout(int(max(1, self.timeout)))
        client.setQuery(text)
        for graph in default_graph:
            client.addParameter("default-graph-uri", graph.value)
        for graph in named_graphs:
            client.addParameter("named-graph-uri", graph.value)
        form = client.queryType
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        client.addCustomHttpHeader("Accept", TURTLE if graph_form else RESULTS_XML)
        try:
            response = client.query().response
            body = response.read()
        except QueryBadFormed as exc:
            raise SyntaxError(str(exc).split("Response:", 1)[-1].strip()) from exc
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as exc:
            raise StoreUnavailable(f"the SPARQL store at {self.url} did not answer: "
                                   f"{getattr(exc, 'reason', exc)}") from exc
        if graph_form:
            return list(ox.parse(body, format=ox.RdfFormat.TURTLE))
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)

    def query(self, sparql: str, *, prefixes: dict[str, str] | None = None,
              base_iri: str | None = None, substitutions: dict | None = None,
              use_default_graph_as_union: bool = False,
              default_graph: Sequence[ox.NamedNode] | None = None,
              named_graphs: Sequence[ox.NamedNode] | None = None):
        """Run ``sparql`` remotely with the same options as ``pyoxigraph.Store.query``."""
        head = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items()
                       if f"{name}:" not in sparql.split("{", 1)[0])
        if base_iri:
            head = f"BASE <{base_iri}>\n" + head
        text = head + sparql
        if substitutions:
            names = " ".join(f"?{v.value}" for v in substitutions)
            values = " ".join(_term(t) for t in substitutions.values())
            text += f"\nVALUES ({names}) {{ ({values}) }}"
        if default_graph is None:
            default_graph = self.graphs
        if named_graphs is None:
            named_graphs = self.graphs
        return self._send(text, default_graph, named_graphs)

    def quads_for_pattern(self, subject=None, predicate=None, obj=None,
                          graph=None) -> Iterator[ox.Quad]:
        """Quads matching a pattern in the release's graphs."""
        s, p, o = (_term(t) if t is not None else v
                   for t, v in ((subject, "?s"), (predicate, "?p"), (obj, "?o")))
        g = _term(graph) if graph is not None else "?g"
        rows = self.query(f"SELECT * WHERE {{ GRAPH {g} {{ {s} {p} {o} }} }}")
        for row in rows:
            yield ox.Quad(row["s"] if subject is None else subject,
                          row["p"] if predicate is None else predicate,
                          row["o"] if obj is None else obj,
                          row["g"] if graph is None else graph)

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return graph in self.graphs and bool(self.query(f"ASK {{ GRAPH {_term(graph)} "
                                                        "{ ?s ?p ?o } }"))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return iter(self.graphs)

    def __len__(self) -> int:
        row = next(iter(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))
        return int(row["n"].value)
