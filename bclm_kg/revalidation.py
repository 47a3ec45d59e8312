"""Validate only what a change touched: the focus nodes near the changed nodes, checked in their
neighbourhood, merged with the previous report.

A shape here reads at most two steps from its focus node (``hasArm|^armOf`` then
``sampleSize``; ``hasFactorMention/mentionOf``), and the two uniqueness rules compare one
property's value across nodes. So the focus nodes whose results can change are those within
two steps of a changed node — following links both ways, and between nodes that share a value of
the same property — and their results only depend on what lies two steps further. Nodes with
more than ``HUB_DEGREE`` (16) links in (an intervention, a country, a year used by many
studies) are included but not walked through: no shape reads across them. Types are not
walked either; the ontology is always included, and so is everything a focus node reaches
along outgoing links (what its own shapes read, even from a hub).
``tests/test_revalidation.py`` checks that the merged report equals a full run for changes of
every kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

import pyoxigraph as ox

from .shapes import Report, Result, _from_rust, _report, curie
from .shapes_rust import parse_term, validate_ntriples

HUB_DEGREE = 16
FOCUS_STEPS = 2
READ_STEPS = 2
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

Node = ox.NamedNode | ox.BlankNode


def _bounded(quads: Iterable[ox.Quad]) -> list[ox.Quad] | None:
    """The quads, or None when there are more than HUB_DEGREE of them."""
    found = list(islice(quads, HUB_DEGREE + 1))
    return None if len(found) > HUB_DEGREE else found


def _neighbours(store: ox.Store, node: Node) -> set[Node] | None:
    """Nodes one step from ``node`` (out, in, and through a shared property value), or None
    when ``node`` is a hub."""
    incoming = _bounded(store.quads_for_pattern(None, None, node, None))
    if incoming is None:
        return None
    found: set[Node] = {q.subject for q in incoming if q.predicate != RDF_TYPE}
    for quad in store.quads_for_pattern(node, None, None, None):
        if quad.predicate == RDF_TYPE:
            continue
        if isinstance(quad.object, ox.Literal):
            sharing = _bounded(store.quads_for_pattern(None, quad.predicate, quad.object, None))
            found.update(q.subject for q in sharing or ())
        else:
            found.add(quad.object)
    return found


def neighbourhood(store: ox.Store, seeds: Iterable[Node], steps: int) -> set[Node]:
    """Every node within ``steps`` of a seed, hubs included but not walked through."""
    seen = set(seeds)
    frontier = set(seen)
    for _ in range(steps):
        reached: set[Node] = set()
        for node in frontier:
            reached |= _neighbours(store, node) or set()
        frontier = reached - seen
        seen |= reached
    return seen


def outgoing(store: ox.Store, seeds: Iterable[Node], steps: int) -> set[Node]:
    """Every node reached from a seed along at most ``steps`` outgoing links (types aside)."""
    seen = set(seeds)
    frontier = set(seen)
    for _ in range(steps):
        reached = {q.object for node in frontier
                   for q in store.quads_for_pattern(node, None, None, None)
                   if q.predicate != RDF_TYPE and not isinstance(q.object, ox.Literal)}
        frontier = reached - seen
        seen |= reached
    return seen


def _ntriples(store: ox.Store, nodes: Iterable[Node]) -> str:
    lines = []
    for node in nodes:
        for quad in store.quads_for_pattern(node, None, None, None):
            lines.append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
    return "".join(lines)


def revalidate(store: ox.Store, changed: Iterable[Node], previous: Report,
               ontology_ntriples: str) -> Report:
    """The report a full validation of ``store`` would give, computed from ``previous`` (the
    report before the change) and the nodes the change touched (subjects and objects of every
    added or removed triple)."""
    changed = [n for n in changed if not isinstance(n, ox.Literal)]
    focus = neighbourhood(store, changed, FOCUS_STEPS)
    read = neighbourhood(store, focus, READ_STEPS) | outgoing(store, focus, READ_STEPS)
    focus_names = {curie(parse_term(str(n))) for n in focus}
    focus_terms = {str(n) for n in focus}
    raw = validate_ntriples(_ntriples(store, read) + ontology_ntriples)
    fresh = _from_rust(r for r in raw if r.focus_node in focus_terms
                       or r.focus_node.startswith("_:"))
    kept: list[Result] = [r for r in [*previous.violations, *previous.warnings]
                          if r.focus_node not in focus_names]
    kept += [r for r in fresh if r.focus_node in focus_names]
    return _report(sorted(set(kept)))


def changed_nodes(removed: Iterable[ox.Quad | ox.Triple],
                  added: Iterable[ox.Quad | ox.Triple]) -> set[Node]:
    """The subjects and (non-literal) objects of the triples a change removed or added."""
    nodes: set[Node] = set()
    for triple in [*removed, *added]:
        nodes.add(triple.subject)
        if not isinstance(triple.object, ox.Literal):
            nodes.add(triple.object)
    return nodes
