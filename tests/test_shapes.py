"""SHACL shapes: the valid fixture conforms; each way of breaking it (a mutation applied in code)
is caught and reported."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from bclm_kg.namespaces import BCLM, BIBO, SH, kg
from bclm_kg.shapes import (
    SHAPES_FILE,
    Report,
    Result,
    curie,
    load_shapes,
    read_rdf,
    render_path,
    validate_file,
    validate_graph,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
VALID = FIXTURES / "valid.ttl"

XU = kg("study/xu-2017")
RFA_CTX = kg("study/xu-2017/arm/rfa-ctx")
HR_CTX = kg("study/xu-2017/arm/hr-ctx")
TRIAL = kg("trial/NCT04079049")


@dataclass(frozen=True)
class Case:
    """One way of breaking ``valid.ttl``: the triples taken out (``None`` matches any object),
    the triples put in, and the violation the report must show (``path`` is empty for a
    constraint on the node as a whole)."""

    name: str
    remove: tuple[tuple[URIRef, URIRef, Node | None], ...]
    add: tuple[tuple[URIRef, URIRef, Node], ...]
    focus: str
    path: str
    words: str


def replace(subject: URIRef, prop: URIRef, value: Node) -> dict:
    return {"remove": ((subject, prop, None),), "add": ((subject, prop, value),)}


# One case per family of constraints.
CASES = [
    Case("negative-sample-size", **replace(RFA_CTX, BCLM.sampleSize, Literal(-44)),
         focus="kg:study/xu-2017/arm/rfa-ctx", path="bclm:sampleSize",
         words="bclm:sampleSize is the number of patients"),
    Case("os-rate-120", **replace(kg("study/xu-2017/arm/rfa-ctx/os-5y"), BCLM.value,
                                  Literal(Decimal("120.0"))),
         focus="kg:study/xu-2017/arm/rfa-ctx/os-5y", path="bclm:value",
         words="A percentage (unit/percent) must lie between 0 and 100"),
    Case("arm-without-intervention", remove=((HR_CTX, BCLM.receivesIntervention, None),),
         add=(), focus="kg:study/xu-2017/arm/hr-ctx", path="",
         words="An arm must say what its patients receive"),
    Case("bad-nct-id", **replace(TRIAL, BCLM.registryId, Literal("NCT0407904")),
         focus="kg:trial/NCT04079049", path="bclm:registryId", words="NCT followed by 8 digits"),
    Case("bad-doi", **replace(kg("reference/54"), BIBO.doi,
                              Literal("11969/j.issn.1673-548X.2017.01.017")),
         focus="kg:reference/54", path="bibo:doi",
         words="bibo:doi must be one plain string shaped like a DOI"),
    Case("arm-sizes-mismatch", **replace(XU, BCLM.sampleSize, Literal(90)),
         focus="kg:study/xu-2017", path="",
         words="Study sample size 90 differs from the sum of its arms' sample sizes (89)"),
    Case("study-without-statedin", remove=((XU, BCLM.statedIn, None),), add=(),
         focus="kg:study/xu-2017", path="",
         words="A study must say where it comes from, and has neither: where the review "
               "states it (bclm:statedIn: its printed table row) or, for a study added after "
               "the review, its own source (dcterms:source"),
    Case("missing-zh-label",
         remove=((kg("intervention/rfa"), RDFS.label, Literal("射频消融术", lang="zh")),),
         add=(), focus="kg:intervention/rfa", path="rdfs:label",
         words="An intervention needs a Chinese label"),
    Case("year-1850", **replace(XU, BCLM.year, Literal(1850)), focus="kg:study/xu-2017",
         path="bclm:year", words="bclm:year must be one plausible year"),
    Case("os-timepoint-4", **replace(kg("study/xu-2017/arm/rfa-ctx/os-3y"),
                                     BCLM.timepointYears, Literal(4)),
         focus="kg:study/xu-2017/arm/rfa-ctx/os-3y", path="bclm:timepointYears",
         words="An OS rate is given at 3 or 5 years"),
    Case("tabulated-arm-without-size", remove=((HR_CTX, BCLM.sampleSize, None),), add=(),
         focus="kg:study/xu-2017/arm/hr-ctx", path="bclm:sampleSize",
         words="An arm of a study in Table 1 or 2"),
    Case("planned-size-zero", **replace(TRIAL, BCLM.plannedSampleSize, Literal(0)),
         focus="kg:trial/NCT04079049", path="bclm:plannedSampleSize",
         words="bclm:plannedSampleSize is the planned enrolment"),
    Case("lower-case-iso-code", **replace(kg("place/cn"), BCLM.iso3166Alpha2, Literal("cn")),
         focus="kg:place/cn", path="bclm:iso3166Alpha2", words="two capital letters"),
]
BY_NAME = {case.name: case for case in CASES}


def broken(case: Case) -> Graph:
    """``valid.ttl`` with ``case`` applied; every triple to remove must be there."""
    data = read_rdf(VALID)
    for pattern in case.remove:
        found = list(data.triples(pattern))
        assert found, f"{case.name}: valid.ttl has no {pattern}"
        for triple in found:
            data.remove(triple)
    for triple in case.add:
        data.add(triple)
    return data


@pytest.fixture(scope="module")
def ontology() -> Graph:
    from bclm_kg.ontology import load_ontology

    return load_ontology()


def blocks(text: str) -> list[str]:
    return text.strip().split("\n\n")


def has_result(text: str, severity: str, focus: str, words: str) -> bool:
    return any(block.startswith(f"{severity}: {focus}\n") and words in block
               for block in blocks(text))


def test_shapes_file_parses_and_every_shape_has_a_message() -> None:
    shapes = load_shapes()
    assert SHAPES_FILE.is_file()
    constraints = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    for node in constraints:
        owner = node if (node, SH.message, None) in shapes else None
        if owner is None:
            owner = next(shapes.subjects(SH.property, node), None) or next(
                shapes.subjects(SH.sparql, node), None)
            assert owner is not None and (owner, SH.message, None) in shapes, node


def test_valid_fixture_conforms() -> None:
    conforms, text = validate_file(VALID)
    assert conforms, text
    assert text.startswith("Conforms: yes — 0 violations, 0 warnings")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_graph_is_reported(case: Case, ontology: Graph) -> None:
    report = validate_graph(broken(case), ontology)
    text = report.text()
    assert not report.conforms, text
    assert text.startswith("Conforms: no — ")
    assert has_result(text, "Violation", case.focus, case.words), text
    assert any(r.focus_node == case.focus and r.path == case.path and case.words in r.message
               for r in report.violations), text


def test_valid_fixture_is_the_only_fixture_file() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir()) == ["valid.ttl"]


def test_report_block_names_path_value_and_shape(ontology: Graph) -> None:
    text = validate_graph(broken(BY_NAME["year-1850"]), ontology).text()
    assert text.splitlines()[0] == "Conforms: no — 1 violation, 0 warnings"
    block = blocks(text)[1]
    assert block.splitlines() == [
        "Violation: kg:study/xu-2017",
        "  path:    bclm:year",
        '  value:   "1850"^^xsd:integer',
        "  message: bclm:year must be one plausible year: an xsd:integer from 1900 to 2030.",
        "  shape:   shape:YearValue",
    ]


def test_report_is_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "bad-nct-id.ttl"
    broken(BY_NAME["bad-nct-id"]).serialize(path, format="turtle", encoding="utf-8")
    assert validate_file(path) == validate_file(path)


def test_warnings_do_not_fail_validation(ontology: Graph) -> None:
    data = read_rdf(VALID)
    outcomes = set(data.objects(None, BCLM.hasOutcome)) | set(data.objects(None, BCLM.hasResult))
    for node in outcomes:
        data.remove((node, None, None))
        data.remove((None, None, node))
    report = validate_graph(data, ontology)
    assert report.conforms, report.text()
    assert [w.focus_node for w in report.warnings] == ["kg:study/xu-2017"]
    assert "reports no outcome" in report.warnings[0].message
    assert report.summary() == "Conforms: yes — 0 violations, 1 warning"


def test_arm_may_be_linked_by_arm_of_only(ontology: Graph) -> None:
    data = read_rdf(VALID)
    for study, arm in list(data.subject_objects(BCLM.hasArm)):
        data.remove((study, BCLM.hasArm, arm))
        data.add((arm, BCLM.armOf, study))
    report = validate_graph(data, ontology)
    assert report.conforms, report.text()


def test_arm_sizes_with_arm_of_and_has_arm_are_counted_once(ontology: Graph) -> None:
    data = read_rdf(VALID)
    for study, arm in list(data.subject_objects(BCLM.hasArm)):
        data.add((arm, BCLM.armOf, study))
    assert validate_graph(data, ontology).conforms


def test_arm_with_two_studies_is_reported(ontology: Graph) -> None:
    data = read_rdf(VALID)
    data.add((kg("trial/NCT04079049"), BCLM.hasArm, kg("study/xu-2017/arm/hr-ctx")))
    report = validate_graph(data, ontology)
    assert any(r.focus_node == "kg:study/xu-2017/arm/hr-ctx"
               and "belongs to exactly one study" in r.message for r in report.violations)


def test_chictr_trial_must_not_have_a_clinicaltrials_gov_record(ontology: Graph) -> None:
    text = VALID.read_text(encoding="utf-8").replace("NCT04079049", "ChiCTR2100041979")
    data = Graph().parse(data=text, format="turtle")
    report = validate_graph(data, ontology)
    focus = "kg:trial/ChiCTR2100041979"
    messages = [r.message for r in report.violations if r.focus_node == focus]
    assert any("only NCT trials have one" in m for m in messages), report.text()
    assert any("registered in registry/chictr" in m for m in messages), report.text()


@pytest.mark.parametrize(("suffix", "fmt"),
                         [(".nt", "nt"), (".jsonld", "json-ld"), (".rdf", "xml")])
def test_other_syntaxes_are_read(tmp_path: Path, suffix: str, fmt: str) -> None:
    path = tmp_path / f"valid{suffix}"
    Graph().parse(VALID).serialize(path, format=fmt, encoding="utf-8")
    conforms, text = validate_file(path)
    assert conforms, text


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own TriG serializer
def test_trig_is_read_as_the_union_of_its_graphs(tmp_path: Path) -> None:
    source = Graph().parse(VALID)
    dataset = Dataset()
    half = dataset.graph(URIRef("https://w3id.org/bclm-kg/graph/asserted"))
    rest = dataset.graph(URIRef("https://w3id.org/bclm-kg/graph/provenance"))
    for i, triple in enumerate(sorted(source)):
        (half if i % 2 else rest).add(triple)
    path = tmp_path / "valid.trig"
    dataset.serialize(path, format="trig", encoding="utf-8")
    assert len(read_rdf(path)) == len(source)
    conforms, text = validate_file(path)
    assert conforms, text


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix bclm: <https://w3id.org/bclm-kg/ontology/> .\n\n"
                    "<https://w3id.org/bclm-kg/study/x> bclm:year 2017\n"
                    "<https://w3id.org/bclm-kg/study/y> bclm:year 2018 .\n", encoding="utf-8")
    conforms, text = validate_file(path)
    assert not conforms
    assert f"{path}:4" in text or f"{path}:3" in text, text


def test_unknown_extension_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "graph.data"
    path.write_text("", encoding="utf-8")
    conforms, text = validate_file(path)
    assert not conforms
    assert str(path) in text and "RDF syntax" in text


def test_remote_jsonld_context_is_refused_not_fetched(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://x/a",'
                    ' "name": "b"}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"remote.jsonld: .*'http://127.0.0.1:9/ctx.jsonld'"):
        read_rdf(path)


def test_rdfxml_doctype_is_refused_before_any_entity_expands(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
                    encoding="utf-8")
    conforms, text = validate_file(path)
    assert not conforms
    assert f"{path}: RDF/XML with a DOCTYPE (line 2) is refused" in text, text


def test_curie_and_path_rendering() -> None:
    assert curie(kg("study/ruiz-2017")) == "kg:study/ruiz-2017"
    assert curie(BCLM.hasArm) == "bclm:hasArm"
    assert curie(URIRef("http://example.org/x")) == "<http://example.org/x>"
    shapes = load_shapes()
    rendered = {render_path(shapes, path) for path in shapes.objects(None, SH.path)}
    assert "(bclm:armOf|^bclm:hasArm)" in rendered
    assert "^bclm:hasOutcome" in rendered


def test_report_sorts_violations_before_warnings() -> None:
    warning = Result("kg:a", "", "", "soft", "Warning", "shape:X")
    violation = Result("kg:b", "", "", "hard", "Violation", "shape:Y")
    text = Report(violations=[violation], warnings=[warning]).text()
    assert text.index("Violation: kg:b") < text.index("Warning: kg:a")
    assert not Report(violations=[violation]).conforms
    assert Report(warnings=[warning]).conforms


def test_curated_data_conforms(data_dir: Path, ontology: Graph) -> None:
    from bclm_kg.pipeline import ingest

    report = validate_graph(ingest(data_dir).asserted, ontology)
    assert report.conforms, report.text()


CLI = [sys.executable, "-m", "bclm_kg.cli", "validate"]


def test_cli_validate_rejects_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "arm-sizes-mismatch.ttl"
    broken(BY_NAME["arm-sizes-mismatch"]).serialize(path, format="turtle", encoding="utf-8")
    result = subprocess.run([*CLI, str(path)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "kg:study/xu-2017" in result.stdout
    assert "Conforms: no — 1 violation, 0 warnings" in result.stdout


def test_cli_validate_accepts_valid_file() -> None:
    result = subprocess.run([*CLI, str(VALID)], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Conforms: yes")
