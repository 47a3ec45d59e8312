"""The Rust SHACL engine gives exactly pySHACL's results (the reference) on the valid fixture,
on every broken copy of it the shapes tests make, on further edits, and on the real release."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from bclm_kg.namespaces import BCLM, kg
from bclm_kg.shapes import ENGINES, Report, read_rdf, validate_file, validate_graph
from tests.test_shapes import CASES, VALID, Case, broken


@pytest.fixture(scope="module")
def ontology() -> Graph:
    from bclm_kg.ontology import load_ontology

    return load_ontology()


def same(data: Graph, ontology: Graph) -> Report:
    reference = validate_graph(data, ontology, engine="pyshacl")
    fast = validate_graph(data, ontology, engine="rust")
    assert fast.violations == reference.violations
    assert fast.warnings == reference.warnings
    return reference


def test_valid_fixture_results_are_identical(ontology: Graph) -> None:
    assert same(read_rdf(VALID), ontology).conforms


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_fixture_results_are_identical(case: Case, ontology: Graph) -> None:
    assert not same(broken(case), ontology).conforms


def _arms_by_arm_of(data: Graph) -> None:
    for study, arm in list(data.subject_objects(BCLM.hasArm)):
        data.remove((study, BCLM.hasArm, arm))
        data.add((arm, BCLM.armOf, study))


def _no_outcomes(data: Graph) -> None:
    for node in set(data.objects(None, BCLM.hasOutcome)) | set(data.objects(None, BCLM.hasResult)):
        data.remove((node, None, None))
        data.remove((None, None, node))


def _arm_in_two_studies(data: Graph) -> None:
    data.add((kg("trial/NCT04079049"), BCLM.hasArm, kg("study/xu-2017/arm/hr-ctx")))


def _duplicate_reference_number(data: Graph) -> None:
    number = next(data.objects(None, BCLM.referenceNumber))
    data.add((kg("reference/999"), BCLM.referenceNumber, number))


EDITS: dict[str, Callable[[Graph], None]] = {
    "arms-by-arm-of": _arms_by_arm_of,
    "no-outcomes": _no_outcomes,
    "arm-in-two-studies": _arm_in_two_studies,
    "duplicate-reference-number": _duplicate_reference_number,
}


@pytest.mark.parametrize("edit", EDITS)
def test_edited_fixture_results_are_identical(edit: str, ontology: Graph) -> None:
    data = read_rdf(VALID)
    EDITS[edit](data)
    same(data, ontology)


def test_real_release_results_are_identical(release_dir: Path, ontology: Graph) -> None:
    report = same(read_rdf(release_dir / "bclm.trig"), ontology)
    assert report.conforms
    # the studies with no outcome printed anywhere (a soft check), as in the release manifest
    assert len(report.warnings) == 11


def test_file_engine_choice_and_unknown_engine(tmp_path: Path) -> None:
    path = tmp_path / "os-rate-120.ttl"
    broken(next(c for c in CASES if c.name == "os-rate-120")).serialize(path, format="turtle")
    rust, reference = validate_file(path, "rust"), validate_file(path, "pyshacl")
    assert rust == reference and not rust[0]
    with pytest.raises(ValueError, match="unknown SHACL engine 'fast'"):
        validate_file(path, "fast")
    assert ENGINES == ("rust", "pyshacl")
