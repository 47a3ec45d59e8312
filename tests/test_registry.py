"""Registry updates: reading ClinicalTrials.gov (API v2) study records, comparing them with the
graph, and the registry facts' ingest and shapes. The records are the test records of
``tests/fixtures/registry`` (made-up values in the registry's format, see its README)."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from bclm_kg.errors import SourceError
from bclm_kg.ingest import narrative
from bclm_kg.ingest.sections.registry_snapshot import STATUSES
from bclm_kg.ingest.sink import Sink
from bclm_kg.namespaces import BCLM, SH, kg
from bclm_kg.registry import (
    RecordError,
    StaleRecord,
    UnknownTrial,
    parse_record,
    propose,
    read_record,
)
from bclm_kg.shapes import load_shapes, read_rdf, validate_graph

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RECORDS = ROOT / "tests" / "fixtures" / "registry"
EVIDENCE = "narrative/evidence.yaml"
GRAPH_CTGOV_TRIALS = ["NCT02251353", "NCT02364557", "NCT04079049", "NCT04817813",
                      "NCT05303038", "NCT06093022", "NCT06135714"]


def record_json(name: str) -> dict[str, Any]:
    return json.loads((RECORDS / f"{name}.json").read_text(encoding="utf-8"))


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def add_registry_keys(data: Path, trial: str, keys: str) -> None:
    """Append ``keys`` (YAML lines, indented as a trial's keys) to the trial's item."""
    path = data / EVIDENCE
    text = path.read_text(encoding="utf-8")
    anchor = f"  - id: {trial}\n"
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + keys, 1), encoding="utf-8")


RECRUITING_KEYS = """\
    registry_last_update: '2025-04-22'
    registry_status: RECRUITING
    registry_enrolment: 340
    registry_enrolment_type: ESTIMATED
    registry_start: '2023-12'
    registry_start_type: ACTUAL
    registry_primary_completion: '2026-03'
    registry_primary_completion_type: ESTIMATED
    registry_completion: '2028-03'
    registry_completion_type: ESTIMATED
    registry_results_posted: false
"""


# -- reading a record --------------------------------------------------------------------------

def test_reads_the_facts_of_a_record() -> None:
    record = read_record(RECORDS / "NCT06135714-completed-results.json")
    assert record.nct_id == "NCT06135714"
    assert record.last_update == "2026-08-12"
    assert record.url == "https://clinicaltrials.gov/study/NCT06135714"
    assert record.facts == {
        "registry_status": "COMPLETED",
        "registry_enrolment": 331,
        "registry_enrolment_type": "ACTUAL",
        "registry_start": "2023-12",
        "registry_start_type": "ACTUAL",
        "registry_primary_completion": "2026-03-31",
        "registry_primary_completion_type": "ACTUAL",
        "registry_completion": "2026-06-30",
        "registry_completion_type": "ACTUAL",
        "registry_results_posted": True,
        "registry_results_first_posted": "2026-08-12",
    }


def test_a_search_answer_with_one_study_is_read_too() -> None:
    record = parse_record({"studies": [record_json("NCT04079049")]}, "search.json")
    assert record.nct_id == "NCT04079049"
    assert record.facts["registry_status"] == "ACTIVE_NOT_RECRUITING"
    with pytest.raises(RecordError) as info:
        parse_record({"studies": [record_json("NCT04079049")] * 2}, "search.json")
    assert info.value.path == "studies" and "exactly one study record, found 2" in str(info.value)


def broken(mutate) -> RecordError:
    data = copy.deepcopy(record_json("NCT04079049"))
    mutate(data)
    with pytest.raises(RecordError) as info:
        parse_record(data, "NCT04079049.json")
    return info.value


def test_missing_nct_id_names_its_path() -> None:
    error = broken(lambda d: d["protocolSection"]["identificationModule"].pop("nctId"))
    assert error.path == "protocolSection.identificationModule.nctId"
    assert str(error) == "NCT04079049.json: protocolSection.identificationModule.nctId: missing"


def test_malformed_date_names_its_path() -> None:
    def month_13(d: dict) -> None:
        d["protocolSection"]["statusModule"]["startDateStruct"]["date"] = "2019-13-01"
    error = broken(month_13)
    assert error.path == "protocolSection.statusModule.startDateStruct.date"
    assert "'2019-13-01' is not a date YYYY-MM-DD or a month YYYY-MM" in error.message

    def no_such_day(d: dict) -> None:
        d["protocolSection"]["statusModule"]["primaryCompletionDateStruct"]["date"] = "2027-02-30"
    error = broken(no_such_day)
    assert error.path == "protocolSection.statusModule.primaryCompletionDateStruct.date"


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda d: d["protocolSection"]["identificationModule"].update(nctId="NCT0407904"),
         "protocolSection.identificationModule.nctId", "is not an NCT number"),
        (lambda d: d["protocolSection"]["statusModule"].update(overallStatus="FINISHED"),
         "protocolSection.statusModule.overallStatus",
         "'FINISHED' is not a valid ClinicalTrials.gov overall status"),
        (lambda d: d["protocolSection"]["statusModule"].pop("lastUpdatePostDateStruct"),
         "protocolSection.statusModule.lastUpdatePostDateStruct.date", "missing"),
        (lambda d: d["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"].update(
            date="2025-09"),
         "protocolSection.statusModule.lastUpdatePostDateStruct.date", "not a full date"),
        (lambda d: d["protocolSection"]["designModule"]["enrollmentInfo"].update(count=-1),
         "protocolSection.designModule.enrollmentInfo.count", "at least 0"),
        (lambda d: d["protocolSection"]["designModule"]["enrollmentInfo"].update(count="200"),
         "protocolSection.designModule.enrollmentInfo.count", "found text"),
        (lambda d: d["protocolSection"]["designModule"]["enrollmentInfo"].update(
            type="ANTICIPATED"),
         "protocolSection.designModule.enrollmentInfo.type", "is not a valid enrolment type"),
        (lambda d: d["protocolSection"]["statusModule"]["completionDateStruct"].pop("date"),
         "protocolSection.statusModule.completionDateStruct.date", "missing"),
        (lambda d: d.update(hasResults="no"), "hasResults", "expected true or false"),
        (lambda d: d.update(protocolSection=[]), "protocolSection",
         "expected an object, found a list"),
    ],
)
def test_malformed_fields_name_their_path(mutate, path: str, words: str) -> None:
    error = broken(mutate)
    assert error.path == path
    assert words in error.message


def test_a_file_that_is_not_json_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text('{\n  "protocolSection": {\n    "identificationModule": {,\n', "utf-8")
    with pytest.raises(RecordError) as info:
        read_record(path)
    assert str(info.value).startswith(f"{path}:3: not valid JSON")


# -- comparing with the graph ----------------------------------------------------------------------

def test_a_record_of_a_trial_not_in_the_graph_is_refused() -> None:
    record = read_record(RECORDS / "NCT99999999-not-in-graph.json")
    with pytest.raises(UnknownTrial) as info:
        propose(record, DATA)
    message = str(info.value)
    assert message.startswith("NCT99999999 is not a trial of the graph")
    assert message.endswith(", ".join(GRAPH_CTGOV_TRIALS))


def test_a_first_record_proposes_every_fact_with_its_source() -> None:
    record = read_record(RECORDS / "NCT06135714-recruiting.json")
    proposal = propose(record, DATA)
    assert proposal.graph_last_update is None
    body = proposal.body()
    assert body["file"] == EVIDENCE and body["section"] == "trials"
    assert body["source"] == "https://clinicaltrials.gov/study/NCT06135714"
    [correction] = body["corrections"]
    assert correction["id"] == "NCT06135714"
    assert correction["cells"] == {**record.facts, "registry_last_update": "2025-04-22"}
    assert correction["reason"].startswith(
        "ClinicalTrials.gov record NCT06135714, last updated 2025-04-22: "
        "registry_status: (none) → RECRUITING; registry_enrolment: (none) → 340")


def test_a_later_record_proposes_only_what_changed(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    add_registry_keys(data, "NCT06135714", RECRUITING_KEYS)
    proposal = propose(read_record(RECORDS / "NCT06135714-completed-results.json"), data)
    assert proposal.graph_last_update == "2025-04-22"
    cells = proposal.body()["corrections"][0]["cells"]
    assert cells == {
        "registry_status": "COMPLETED",
        "registry_enrolment": 331,
        "registry_enrolment_type": "ACTUAL",
        "registry_primary_completion": "2026-03-31",
        "registry_primary_completion_type": "ACTUAL",
        "registry_completion": "2026-06-30",
        "registry_completion_type": "ACTUAL",
        "registry_results_posted": True,
        "registry_results_first_posted": "2026-08-12",
        "registry_last_update": "2026-08-12",
    }
    assert "registry_status: RECRUITING → COMPLETED" in proposal.text()


def test_an_unchanged_record_proposes_nothing(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    add_registry_keys(data, "NCT06135714", RECRUITING_KEYS)
    proposal = propose(read_record(RECORDS / "NCT06135714-recruiting.json"), data)
    assert proposal.empty
    assert proposal.text().endswith("nothing to change: the graph agrees with the record")
    with pytest.raises(ValueError):
        proposal.body()


def test_an_older_record_than_the_graphs_is_refused(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    add_registry_keys(data, "NCT06135714", RECRUITING_KEYS.replace("2025-04-22", "2026-09-01"))
    with pytest.raises(StaleRecord) as info:
        propose(read_record(RECORDS / "NCT06135714-completed-results.json"), data)
    assert "last updated 2026-08-12, before the record the graph holds (2026-09-01)" in str(
        info.value)


# -- the registry facts in the graph ------------------------------------------------------------

def test_the_real_data_holds_no_registry_facts() -> None:
    sink = Sink(DATA)
    narrative.load(sink)
    assert not list(sink.asserted.subjects(RDF.type, BCLM.RegistrySnapshot))
    assert not list(sink.asserted.triples((None, BCLM.hasRegistrySnapshot, None)))


def test_registry_keys_become_a_snapshot_sourced_from_the_record(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    add_registry_keys(data, "NCT06135714", RECRUITING_KEYS)
    sink = Sink(data)
    narrative.load(sink)
    node = kg("trial/NCT06135714/registry-snapshot")
    record = URIRef("https://clinicaltrials.gov/study/NCT06135714")
    assert (kg("trial/NCT06135714"), BCLM.hasRegistrySnapshot, node) in sink.asserted
    facts = {(p, o) for p, o in sink.asserted.predicate_objects(node)}
    assert {
        (RDF.type, BCLM.RegistrySnapshot),
        (DCTERMS.source, record),
        (BCLM.registryLastUpdated, Literal("2025-04-22", datatype=XSD.date)),
        (BCLM.registryStatus, Literal("RECRUITING")),
        (BCLM.registryEnrolment, Literal(340, datatype=XSD.integer)),
        (BCLM.registryEnrolmentType, Literal("ESTIMATED")),
        (BCLM.registryStartDate, Literal("2023-12", datatype=XSD.gYearMonth)),
        (BCLM.registryStartDateType, Literal("ACTUAL")),
        (BCLM.registryPrimaryCompletionDate, Literal("2026-03", datatype=XSD.gYearMonth)),
        (BCLM.registryCompletionDate, Literal("2028-03", datatype=XSD.gYearMonth)),
        (BCLM.registryResultsPosted, Literal(False)),
    } <= facts
    assert not list(sink.asserted.objects(node, BCLM.statedIn))
    assert (node, PROV.wasDerivedFrom, record) in sink.provenance
    line = (data / EVIDENCE).read_text("utf-8").split("\n").index("  - id: NCT06135714") + 1
    assert (node, BCLM.curatedAt, Literal(f"data/{EVIDENCE}:{line}")) in sink.provenance


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("    registry_status: RECRUITING\n", "missing 'registry_last_update'"),
        ("    registry_last_update: '2025-04-22'\n    registry_status: FINISHED\n",
         "unknown ClinicalTrials.gov overall status 'FINISHED'"),
        ("    registry_last_update: '2025-04'\n", "must be a full date YYYY-MM-DD"),
        ("    registry_last_update: '2025-04-22'\n    registry_start: '2023-13'\n",
         "'registry_start': '2023-13' is not a date"),
        ("    registry_last_update: '2025-04-22'\n    registry_enrolment: -1\n",
         "must not be negative"),
        ("    registry_last_update: '2025-04-22'\n    registry_start_type: ACTUAL\n",
         "'registry_start_type' without 'registry_start'"),
        ("    registry_last_update: '2025-04-22'\n    registry_enrolment_type: ANTICIPATED\n",
         "unknown type (ACTUAL or ESTIMATED)"),
    ],
)
def test_bad_registry_keys_name_file_and_line(tmp_path: Path, keys: str, message: str) -> None:
    data = copy_data(tmp_path)
    add_registry_keys(data, "NCT06135714", keys)
    with pytest.raises(SourceError) as info:
        narrative.load(Sink(data))
    assert message in info.value.message
    assert info.value.path.endswith("evidence.yaml") and info.value.line is not None


def test_registry_keys_only_on_clinicaltrials_gov_trials(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    add_registry_keys(data, "ChiCTR2100041979", "    registry_last_update: '2025-04-22'\n")
    with pytest.raises(SourceError) as info:
        narrative.load(Sink(data))
    assert "this trial's registry is 'chictr'" in info.value.message


def test_the_shapes_list_clinicaltrials_gov_statuses() -> None:
    shapes = load_shapes()
    lists = [
        [str(v) for v in shapes.items(shapes.value(prop, SH["in"]))]
        for prop in shapes.subjects(SH.path, BCLM.registryStatus)
        if shapes.value(prop, SH["in"]) is not None
    ]
    assert lists == [list(STATUSES)]
    assert len(STATUSES) == 14


# -- the shapes of a registry snapshot ---------------------------------------------------------

SNAPSHOT = kg("trial/NCT04079049/registry-snapshot")
NCT04079049_RECORD = URIRef("https://clinicaltrials.gov/study/NCT04079049")


@pytest.fixture(scope="module")
def ontology():
    from bclm_kg.ontology import load_ontology

    return load_ontology()


def snapshot_graph():
    """The valid shapes fixture with a conforming snapshot of NCT04079049."""
    data = read_rdf(ROOT / "tests" / "fixtures" / "shapes" / "valid.ttl")
    data.add((kg("trial/NCT04079049"), BCLM.hasRegistrySnapshot, SNAPSHOT))
    for p, o in (
        (RDF.type, BCLM.RegistrySnapshot),
        (DCTERMS.source, NCT04079049_RECORD),
        (BCLM.registryLastUpdated, Literal("2025-09-17", datatype=XSD.date)),
        (BCLM.registryStatus, Literal("ACTIVE_NOT_RECRUITING")),
        (BCLM.registryEnrolment, Literal(200, datatype=XSD.integer)),
        (BCLM.registryEnrolmentType, Literal("ESTIMATED")),
        (BCLM.registryStartDate, Literal("2019-10-01", datatype=XSD.date)),
        (BCLM.registryStartDateType, Literal("ACTUAL")),
        (BCLM.registryCompletionDate, Literal("2029-12", datatype=XSD.gYearMonth)),
        (BCLM.registryResultsPosted, Literal(False)),
    ):
        data.add((SNAPSHOT, p, o))
    return data


def test_a_snapshot_conforms(ontology) -> None:
    report = validate_graph(snapshot_graph(), ontology)
    assert report.conforms, report.text()


@pytest.mark.parametrize(
    ("prop", "value", "path", "words"),
    [
        (BCLM.registryStatus, Literal("FINISHED"), "bclm:registryStatus",
         "one of ClinicalTrials.gov's overall statuses"),
        (BCLM.registryEnrolment, Literal(-5, datatype=XSD.integer), "bclm:registryEnrolment",
         "at least 0"),
        (BCLM.registryStartDate, Literal("2019-10"), "", "a date in the registry is an xsd:date"),
        (BCLM.registryEnrolmentType, Literal("ANTICIPATED"), "", "ACTUAL or ESTIMATED"),
        (BCLM.registryLastUpdated, None, "bclm:registryLastUpdated", "last-update date"),
        (BCLM.statedIn, kg("review/jiang-2024/section-2/paragraph-3"), "bclm:statedIn",
         "not from the review"),
        (DCTERMS.source, URIRef("https://clinicaltrials.gov/study/NCT06135714"), "",
         "not the record of its trial"),
    ],
)
def test_a_broken_snapshot_is_reported(ontology, prop: URIRef, value, path: str,
                                       words: str) -> None:
    data = snapshot_graph()
    data.remove((SNAPSHOT, prop, None))
    if value is not None:
        data.add((SNAPSHOT, prop, value))
    report = validate_graph(data, ontology)
    focus = "kg:trial/NCT04079049/registry-snapshot"
    found = [r for r in report.violations
             if r.focus_node == focus and words.lower() in r.message.lower()]
    assert found, report.text()
    if path:
        assert found[0].path == path


def test_a_fact_the_record_no_longer_gives_is_removed(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    add_registry_keys(data, "NCT06135714", RECRUITING_KEYS.replace(
        "registry_results_posted: false\n",
        "registry_results_posted: false\n    registry_results_first_posted: '2025-03-01'\n"))
    record = record_json("NCT06135714-recruiting")
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-05-02"
    proposal = propose(parse_record(record, "record.json"), data)
    assert proposal.body()["corrections"][0]["cells"] == {
        "registry_last_update": "2025-05-02", "registry_results_first_posted": None}
    assert ("registry_results_first_posted: 2025-03-01 → (removed: the record no longer gives "
            "it)") in proposal.text()


def test_a_table_trial_without_an_item_is_named(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    path = data / EVIDENCE
    text = path.read_text("utf-8")
    start = text.index("  - id: NCT04079049\n")
    end = text.index("  - id: ", start + 1)
    path.write_text(text[:start] + text[end:], "utf-8")
    with pytest.raises(UnknownTrial) as info:
        propose(read_record(RECORDS / "NCT04079049.json"), data)
    assert str(info.value).startswith("NCT04079049 is a row of tables/table1.tsv but has no item "
                                      "in narrative/evidence.yaml 'trials'")
