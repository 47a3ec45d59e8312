"""``bclm-kg import-registry``: what it prints and refuses, on temporary copies of ``data/``
(the records are the test records of ``tests/fixtures/registry``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bclm_kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "tests" / "fixtures" / "registry"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["import-registry", *args])


def test_dry_run_prints_the_proposal_and_changes_nothing(data: Path) -> None:
    before = (data / "narrative/evidence.yaml").read_bytes()
    result = run(str(RECORDS / "NCT06135714-completed-results.json"), "--data", str(data),
                 "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("NCT06135714: ClinicalTrials.gov record last updated 2026-08-12 "
                        "(https://clinicaltrials.gov/study/NCT06135714); the graph's registry "
                        "facts are none yet")
    assert "  registry_status: (none) → COMPLETED" in lines
    assert "  registry_results_posted: (none) → true" in lines
    body = json.loads(result.stdout[result.stdout.index("{"):])
    assert body["source"] == "https://clinicaltrials.gov/study/NCT06135714"
    assert body["corrections"][0]["cells"]["registry_enrolment"] == 331
    assert (data / "narrative/evidence.yaml").read_bytes() == before


def test_nothing_to_change_exits_0(data: Path) -> None:
    path = data / "narrative/evidence.yaml"
    text = path.read_text("utf-8")
    anchor = "  - id: NCT04079049\n"
    path.write_text(text.replace(anchor, anchor + """\
    registry_last_update: '2025-09-17'
    registry_status: ACTIVE_NOT_RECRUITING
    registry_enrolment: 200
    registry_enrolment_type: ESTIMATED
    registry_start: '2019-10-01'
    registry_start_type: ACTUAL
    registry_primary_completion: '2027-12'
    registry_primary_completion_type: ESTIMATED
    registry_completion: '2029-12'
    registry_completion_type: ESTIMATED
    registry_results_posted: false
""", 1), "utf-8")
    result = run(str(RECORDS / "NCT04079049.json"), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == ("nothing to change: the graph agrees with the "
                                              "record")


def test_unknown_trial_is_refused_with_the_graphs_trials(data: Path) -> None:
    result = run(str(RECORDS / "NCT99999999-not-in-graph.json"), "--data", str(data))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: NCT99999999 is not a trial of the graph; its ClinicalTrials.gov trials are "
        "NCT02251353, NCT02364557, NCT04079049, NCT04817813, NCT05303038, NCT06093022, "
        "NCT06135714")


def test_malformed_record_names_file_and_json_path(data: Path, tmp_path: Path) -> None:
    record = json.loads((RECORDS / "NCT04079049.json").read_text("utf-8"))
    del record["protocolSection"]["identificationModule"]["nctId"]
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), "utf-8")
    result = run(str(path), "--data", str(data))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {path}: protocolSection.identificationModule.nctId: missing")
    assert "Traceback" not in result.output
