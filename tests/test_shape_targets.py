"""The shapes whose SPARQL targets are written for the Rust engine's speed select exactly the
nodes of their plain formulations (``tests/fixtures/plain-targets/``): on the valid
fixture, on edits that make each rule fire (or not) in every way it can, and on the real release,
with rdflib's engine (pySHACL's) and Oxigraph's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef

from bclm_kg.namespaces import BCLM, SH
from bclm_kg.shapes import SHAPES_NS, load_shapes, read_rdf
from tests.test_shapes import FIXTURES, HR_CTX, RFA_CTX, TRIAL, VALID, XU

PLAIN = FIXTURES.parent / "plain-targets"
SHAPES = {"ArmSizesAddUp": "arm-sizes-add-up", "StudyWithoutOutcome": "study-without-outcome"}


def target_query(shapes: Graph, name: str) -> str:
    """The sh:select of the shape's SPARQL target, with the PREFIX lines it declares."""
    declarations = shapes.objects(URIRef(SHAPES_NS.rstrip("/")), SH.declare)
    header = "".join(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
                     for d in declarations)
    target = shapes.value(URIRef(SHAPES_NS + name), SH.target)
    return header + str(shapes.value(target, SH.select))


def by_rdflib(data: Graph, query: str) -> set[str]:
    return {str(row[0]) for row in data.query(query)}


def by_oxigraph(data: Graph, query: str) -> set[str]:
    store = ox.Store()
    store.load(data.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    return {row["this"].value for row in store.query(query)}


def _size(graph: Graph, node: URIRef, size: int | None) -> None:
    graph.remove((node, BCLM.sampleSize, None))
    if size is not None:
        graph.add((node, BCLM.sampleSize, Literal(size)))


def _arms_by_arm_of(graph: Graph) -> None:
    for study, arm in list(graph.subject_objects(BCLM.hasArm)):
        graph.remove((study, BCLM.hasArm, arm))
        graph.add((arm, BCLM.armOf, study))


def mismatch(graph: Graph) -> None:
    _size(graph, XU, 90)


def mismatch_arms_by_arm_of(graph: Graph) -> None:
    mismatch(graph)
    _arms_by_arm_of(graph)


def second_size(graph: Graph) -> None:
    graph.add((XU, BCLM.sampleSize, Literal(90)))


def mismatch_with_unsized_arm(graph: Graph) -> None:
    mismatch(graph)
    _size(graph, HR_CTX, None)


def sizes_add_up_again(graph: Graph) -> None:
    _size(graph, XU, 90)
    _size(graph, RFA_CTX, 45)


def no_outcomes(graph: Graph) -> None:
    for arm in (RFA_CTX, HR_CTX):
        graph.remove((arm, BCLM.hasOutcome, None))
    graph.remove((XU, BCLM.hasResult, None))


def arm_outcomes_only(graph: Graph) -> None:
    graph.remove((XU, BCLM.hasResult, None))


def arm_outcomes_only_by_arm_of(graph: Graph) -> None:
    arm_outcomes_only(graph)
    _arms_by_arm_of(graph)


def one_arm_outcome_by_arm_of(graph: Graph) -> None:
    arm_outcomes_only_by_arm_of(graph)
    graph.remove((RFA_CTX, BCLM.hasOutcome, None))


def unpublished_trial(graph: Graph) -> None:
    graph.add((TRIAL, RDF.type, BCLM.UnpublishedStudy))


def unpublished_trial_with_outcome(graph: Graph) -> None:
    unpublished_trial(graph)
    graph.add((TRIAL, BCLM.hasOutcome, URIRef(str(TRIAL) + "/os")))


# Each edit of valid.ttl, and the nodes each rule must select after it.
EDITS: dict[str, tuple[Callable[[Graph], None], dict[str, set[URIRef]]]] = {
    "valid": (lambda graph: None, {}),
    "mismatch": (mismatch, {"ArmSizesAddUp": {XU}}),
    "mismatch-arms-by-arm-of": (mismatch_arms_by_arm_of, {"ArmSizesAddUp": {XU}}),
    "second-size": (second_size, {"ArmSizesAddUp": {XU}}),
    "mismatch-with-unsized-arm": (mismatch_with_unsized_arm, {}),
    "sizes-add-up-again": (sizes_add_up_again, {}),
    "no-outcomes": (no_outcomes, {"StudyWithoutOutcome": {XU}}),
    "arm-outcomes-only": (arm_outcomes_only, {}),
    "arm-outcomes-only-by-arm-of": (arm_outcomes_only_by_arm_of, {}),
    "one-arm-outcome-by-arm-of": (one_arm_outcome_by_arm_of, {}),
    "unpublished-trial": (unpublished_trial, {"StudyWithoutOutcome": {TRIAL}}),
    "unpublished-trial-with-outcome": (unpublished_trial_with_outcome, {}),
}


@pytest.fixture(scope="module")
def queries() -> dict[str, tuple[str, str]]:
    """Per shape: (its target as written in the shapes, its plain formulation)."""
    shapes = load_shapes()
    return {name: (target_query(shapes, name), (PLAIN / f"{stem}.rq").read_text())
            for name, stem in SHAPES.items()}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("engine", [by_rdflib, by_oxigraph], ids=["rdflib", "oxigraph"])
def test_targets_select_the_plain_formulations_nodes(edit: str, engine, queries) -> None:
    change, expected = EDITS[edit]
    data = read_rdf(VALID)
    change(data)
    for name, (written, plain) in queries.items():
        selected = engine(data, written)
        assert selected == engine(data, plain), name
        assert selected == {str(node) for node in expected.get(name, set())}, name


def test_targets_on_the_real_release(release_dir: Path, queries) -> None:
    data = read_rdf(release_dir / "bclm.trig")
    selected = {name: by_oxigraph(data, written) for name, (written, _) in queries.items()}
    for name, (_, plain) in queries.items():
        assert selected[name] == by_oxigraph(data, plain) == by_rdflib(data, plain), name
    # the 11 studies with no outcome printed anywhere (the release's 11 warnings); sizes add up
    assert len(selected["StudyWithoutOutcome"]) == 11
    assert selected["ArmSizesAddUp"] == set()
