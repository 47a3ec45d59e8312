"""Validating only what changed gives the report a full run gives, for changes of every kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from bclm_kg.revalidation import changed_nodes, neighbourhood, revalidate
from bclm_kg.shapes import Report, _from_rust, _report
from bclm_kg.shapes_rust import validate_ntriples

KG = "https://w3id.org/bclm-kg/"
BCLM = KG + "ontology/"
ASSERTED = ox.NamedNode(KG + "graph/asserted")
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def node(path: str) -> ox.NamedNode:
    return ox.NamedNode(KG + path)


def prop(name: str) -> ox.NamedNode:
    return ox.NamedNode(BCLM + name)


def full(store: ox.Store) -> Report:
    text = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in store)
    return _report(_from_rust(validate_ntriples(text)))


@pytest.fixture(scope="module")
def trig(release_dir: Path) -> Path:
    return release_dir / "bclm.trig"


@pytest.fixture
def store(trig: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    return store


def ontology_nt(store: ox.Store) -> str:
    graph = node("graph/ontology")
    return "".join(f"{q.subject} {q.predicate} {q.object} ."
                   "\n" for q in store.quads_for_pattern(None, None, None, graph))


Change = Callable[[ox.Store], tuple[list[ox.Quad], list[ox.Quad]]]


def arm_size(store: ox.Store):
    arm = node("study/ruiz-2017/arm/hr")
    old = next(store.quads_for_pattern(arm, prop("sampleSize"), None, None))
    seven = ox.Literal("7", datatype=INTEGER)
    return [old], [ox.Quad(arm, prop("sampleSize"), seven, old.graph_name)]


def drop_stated_in(store: ox.Store):
    return list(store.quads_for_pattern(node("study/ruiz-2017"), prop("statedIn"), None, None)), []


def duplicate_reference_number(store: ox.Store):
    number = next(store.quads_for_pattern(node("reference/37"), prop("referenceNumber"), None,
                                          None))
    return [], [ox.Quad(node("reference/38"), prop("referenceNumber"), number.object, ASSERTED)]


def drop_outcomes(store: ox.Store):
    removed = []
    for arm in store.quads_for_pattern(node("study/ruiz-2017"), prop("hasArm"), None, None):
        removed += store.quads_for_pattern(arm.object, prop("hasOutcome"), None, None)
    return removed, []


def move_country(store: ox.Store):
    removed = list(store.quads_for_pattern(node("study/ruiz-2017"), prop("leadCountry"), None,
                                           None))
    added = [ox.Quad(q.subject, q.predicate, node("place/nowhere"), q.graph_name) for q in removed]
    return removed, added


CHANGES: dict[str, Change] = {
    "arm-size": arm_size, "drop-stated-in": drop_stated_in,
    "duplicate-reference-number": duplicate_reference_number,
    "drop-outcomes": drop_outcomes, "move-country": move_country,
}


def test_the_release_conforms_with_eleven_warnings(store: ox.Store) -> None:
    report = full(store)
    assert report.conforms and len(report.warnings) == 11


@pytest.mark.parametrize("change", CHANGES)
def test_incremental_equals_full(store: ox.Store, change: str) -> None:
    before = full(store)
    removed, added = CHANGES[change](store)
    assert removed or added
    for quad in removed:
        store.remove(quad)
    for quad in added:
        store.add(quad)
    after = full(store)
    assert after != before  # every change here alters the verdicts
    incremental = revalidate(store, changed_nodes(removed, added), before, ontology_nt(store))
    assert incremental.violations == after.violations
    assert incremental.warnings == after.warnings


def test_hubs_are_not_walked_through(store: ox.Store) -> None:
    # Germany leads several studies; from one study the walk reaches the country but stops there
    study = node("study/ruiz-2017")
    reached = neighbourhood(store, [study], 2)
    assert study in reached and node("study/ruiz-2017/arm/hr") in reached
    assert len(reached) < len(list(store.quads_for_pattern(None, None, None, None))) // 20
