"""Blank-node labels of the release: RDFC-1.0 over all named graphs together, so a label names
one blank node in every file, whatever labels the graphs came with."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from bclm_kg.release import canonical_graphs, canonical_triples

A, B = URIRef("https://example.org/graph/a"), URIRef("https://example.org/graph/b")
TERM = URIRef("https://example.org/term")


def restriction_graph(label: str = "x") -> Graph:
    """A term with one anonymous node, as Turtle gives it: a fresh blank node each parse."""
    return Graph().parse(data=f'<{TERM}> <{RDFS.seeAlso}> [ <{RDFS.label}> "{label}" ] .',
                         format="turtle")


def labels(triples) -> set[str]:
    return {t.object.value for t in triples if type(t.object).__name__ == "BlankNode"}


def test_labels_do_not_depend_on_the_labels_given() -> None:
    first, second = restriction_graph(), restriction_graph()
    assert set(first) != set(second)  # the parser gave each its own blank node
    assert canonical_triples(first) == canonical_triples(second)
    assert canonical_graphs({A: first, B: Graph()}) == canonical_graphs({A: second, B: Graph()})


def test_blank_nodes_of_two_graphs_never_share_a_label() -> None:
    found = canonical_graphs({A: restriction_graph(), B: restriction_graph()})
    assert len(labels(found[A])) == len(labels(found[B])) == 1
    assert labels(found[A]) != labels(found[B])


def test_a_blank_node_in_two_graphs_keeps_one_label() -> None:
    shared = BNode()
    a, b = Graph(), Graph()
    a.add((TERM, RDFS.seeAlso, shared))
    b.add((shared, RDFS.label, Literal("x")))
    found = canonical_graphs({A: a, B: b})
    assert found[A][0].object == found[B][0].subject


def test_graphs_without_blank_nodes_are_left_as_they_are() -> None:
    graph = Graph()
    graph.add((TERM, RDFS.label, Literal("x")))
    assert [str(t) for t in canonical_graphs({A: graph})[A]] == [
        f'<{TERM}> <{RDFS.label}> "x"']
