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


# -- N-Triples files: the Rust engine reads the text itself, without rdflib ------------------------

INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
ROW_25 = f'<https://w3id.org/bclm-kg/ontology/rowNumber> "25"^^{INTEGER}'


def ntriples_file(tmp_path: Path, data: Graph, name: str, edit=lambda text: text) -> Path:
    path = tmp_path / f"{name}.nt"
    text = data.serialize(format="nt")
    path.write_text(edit(text), encoding="utf-8")
    assert edit(text) != text or edit("x") == "x"
    return path


@pytest.mark.parametrize("case", ["valid", "arm-sizes-mismatch", "os-rate-120", "missing-zh-label",
                                  "lower-case-iso-code", "tabulated-arm-without-size"])
def test_ntriples_file_read_as_written_gives_pyshacls_report(case: str, tmp_path: Path) -> None:
    from bclm_kg.shapes import _validate_ntriples_as_written

    data = read_rdf(VALID) if case == "valid" else broken(next(c for c in CASES if c.name == case))
    path = ntriples_file(tmp_path, data, case)
    fast = _validate_ntriples_as_written(path)
    assert fast is not None  # the file's text went to the engine as it is
    assert validate_file(path, "rust") == validate_file(path, "pyshacl")
    assert (fast.conforms, fast.text()) == validate_file(path, "pyshacl")
    assert fast.conforms == (case == "valid")


@pytest.mark.parametrize("name, edit", [
    # rdflib reads "025" as 25, so pySHACL finds the row IRI (row-25) matching its number
    ("non-canonical-integer", lambda text: text.replace(ROW_25, ROW_25.replace('"25"', '"025"'))),
    # rdflib keeps the capitals, the engine lowers them (sh:languageIn matches either)
    ("capitalised-language", lambda text: text.replace('"Table 2, row 11"@en',
                                                        '"Table 2, row 11"@EN')),
    ("ontology-blank-label", lambda text: text + "_:bclm-ontology-x <urn:x:p> <urn:x:o> .\n"),
    ("not-ntriples", lambda text: text + "<urn:x:s> <urn:x:p> .\n"),
])
def test_ntriples_file_rdflib_would_read_otherwise_goes_through_rdflib(
        name: str, edit, tmp_path: Path) -> None:
    from bclm_kg.shapes import _validate_ntriples_as_written

    path = ntriples_file(tmp_path, read_rdf(VALID), name, edit)
    assert _validate_ntriples_as_written(path) is None
    rust, reference = validate_file(path, "rust"), validate_file(path, "pyshacl")
    assert rust == reference
    if name == "not-ntriples":
        assert not rust[0] and f"{path}:" in rust[1] and "cannot parse as nt" in rust[1]
    else:
        assert rust[0]
