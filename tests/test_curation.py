"""Curation through the gate, on a copy of data/: a scripted session (a refused submission, a
new Table 1 study with a DOI, a correction through the command line, a submitter's curation
note approved, another rejected, a revert) run once per module, then its effects checked on the
files, the git history and the published releases."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV

from bclm_kg.cli import main
from bclm_kg.curation import (
    Author,
    Curation,
    InvalidSubmission,
    SubmissionStateError,
)
from bclm_kg.curation.backup import BackupError, backup, restore
from bclm_kg.namespaces import BCLM, GRAPH_ASSERTED, GRAPH_PROVENANCE, SH, kg
from bclm_kg.project import Project
from bclm_kg.release import Release, current_release

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ALICE = Author("Alice Example", "curator")
BOB = Author("Bob Example", "submitter")
DOI_SOURCE = "doi:10.1234/bclm.2025.001"
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
SABOL_LINE = 10  # the line of sabol-2014 in tables/table1.tsv

BAD_OS = {"file": "tables/table1.tsv", "note": "Sabol 2014: 5-year OS",
          "corrections": [{"id": "sabol-2014", "cells": {"os_5y": "120"},
                           "reason": "typed from the article"}]}
NEW_STUDY = {
    "file": "tables/table1.tsv", "note": "Add Smith 2025 (published after the review)",
    "source": DOI_SOURCE,
    "rows": [{"id": "smith-2025", "source": DOI_SOURCE, "study": "Smith, 等", "country": "美国",
              "year": "2025", "n": "40 vs. 38", "interventions": "HR vs. MWA",
              "median_os": "48 vs. 41", "os_3y": "62 vs. 55", "os_5y": "41 vs. 35",
              "favourable_factors": "—"}],
}
CORRECTION = {"file": "tables/table1.tsv", "note": "Sabol 2014: 5-year OS is 39",
              "corrections": [{"id": "sabol-2014", "cells": {"os_5y": "39"},
                               "reason": "transcription error in row 2"}]}
NOTE = {"note": "Note the checked 5-year OS of Sabol 2014",
        "curation_notes": [{"id": "sabol-os-checked", "category": "inconsistency",
                            "about": ["study/sabol-2014"], "printed": "38",
                            "suggested": "38 (as printed)",
                            "evidence": "Table 1 row 2 prints 38; nothing in the review disagrees.",
                            "locations": ["table-1/row-2"]}]}
REJECTED = {"note": "A note nobody asked for",
            "curation_notes": [{"id": "kim-os-unchecked", "category": "inconsistency",
                                "about": ["study/kim-2014"], "printed": "49.2",
                                "suggested": "49.2", "evidence": "Not checked.",
                                "locations": ["table-1/row-6"]}]}


def dataset(release: Path) -> Dataset:
    data = Dataset()
    data.parse(Release(release).dataset, format="trig")
    return data


def graph_of(release: Path, iri: URIRef):
    return dataset(release).graph(iri)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = tmp_path_factory.mktemp("curated")
    shutil.copytree(DATA, base / "data")
    return Project(base / "data", base / "release")


@pytest.fixture(scope="module")
def story(project: Project) -> dict:
    """The session, run once; what each step returned, and the state between steps."""
    curation = Curation.open(project)
    out: dict = {"curation": curation, "import": curation.history.head(),
                 "table1": (project.data_dir / "tables" / "table1.tsv").read_bytes()}
    with pytest.raises(InvalidSubmission) as refused:
        curation.submit(BAD_OS, ALICE)
    out["refused"] = refused.value
    out["head_after_refused"] = curation.history.head()
    out["table1_after_refused"] = (project.data_dir / "tables" / "table1.tsv").read_bytes()
    out["study"] = curation.submit(NEW_STUDY, ALICE)
    out["study_release"] = current_release(project.release_dir)
    body = project.data_dir.parent / "correction.json"
    body.write_text(json.dumps(CORRECTION), encoding="utf-8")
    out["cli"] = CliRunner().invoke(main, ["submit", str(body), "--data", str(project.data_dir),
                                           "--release", str(project.release_dir),
                                           "--as", ALICE.name])
    out["correction"] = curation.changes()[0]
    out["correction_release"] = current_release(project.release_dir)
    out["pending"] = curation.submit(NOTE, BOB)
    out["head_while_pending"] = curation.history.head()
    out["approved"] = curation.approve(out["pending"].id, ALICE)
    out["to_reject"] = curation.submit(REJECTED, BOB)
    out["rejected"] = curation.reject(out["to_reject"].id, ALICE, "not needed")
    out["revert"] = curation.revert(out["correction"].id, ALICE, "the printed value stands")
    return out


# -- refused -----------------------------------------------------------------------------------
def test_os_rate_of_120_is_refused_naming_file_row_column_and_node(story: dict) -> None:
    report = story["refused"].report
    assert not report.conforms
    problem = report.problems[0]
    assert (problem.file, problem.row, problem.column, problem.line) == \
        ("tables/table1.tsv", "sabol-2014", "os_5y", SABOL_LINE)
    assert "OS rate 120% is outside 0–100" in problem.message
    [result] = [r for r in report.results if r.path == "bclm:value"]
    assert result.focus_node == "kg:study/sabol-2014/arm/hr/os-5y"
    assert result.message == "A percentage (unit/percent) must lie between 0 and 100."
    graph = report.graph()
    assert (None, SH.conforms, Literal(False)) in graph
    assert (None, SH.focusNode, kg("study/sabol-2014/arm/hr/os-5y")) in graph


def test_refused_submission_changes_nothing(story: dict) -> None:
    assert story["head_after_refused"] == story["import"]
    assert story["table1_after_refused"] == story["table1"]
    record = story["curation"].submission(story["refused"].submission_id)
    assert record.state == "invalid"
    assert record.report["problems"][0]["column"] == "os_5y"


# -- a new study -------------------------------------------------------------------------------
def test_new_study_is_committed_with_its_doi_as_provenance(story: dict, project: Project) -> None:
    done = story["study"]
    assert (done.state, done.version, done.author) == ("committed", "1.1.0+1", ALICE.name)
    release = story["study_release"]
    assert Release(release).manifest()["version"] == "1.1.0+1"
    assert Release(release).manifest()["commit"] == done.commit
    data = dataset(release)
    asserted, provenance = data.graph(GRAPH_ASSERTED), data.graph(GRAPH_PROVENANCE)
    study, doi = kg("study/smith-2025"), URIRef("https://doi.org/10.1234/bclm.2025.001")
    arm = kg("study/smith-2025/arm/hr")
    assert (study, DCTERMS.source, doi) in asserted
    assert (arm, DCTERMS.source, doi) in asserted
    assert (kg("study/smith-2025/arm/mwa/os-5y"), BCLM.value,
            Literal("35", datatype=DECIMAL)) in asserted
    assert asserted.value(study, BCLM.sampleSize) == Literal(78)
    assert asserted.value(study, BCLM.statedIn) is None  # no printed row of the review
    assert (study, PROV.wasDerivedFrom, doi) in provenance
    assert asserted.value(study, BCLM.paperGrouping) is None  # not one of the review's groups
    # the review's claims are checked against the review's studies only (11 HR-only arms)
    finding = data.graph(GRAPH_PROVENANCE).value(kg("claim/intl-hr-median-os-range/check"),
                                                 BCLM.checkFinding)
    assert str(finding) == "median OS of 11 HR-only arms: 8-116 months; text 8-116"


def test_new_row_is_appended_in_the_header_order(story: dict, project: Project) -> None:
    lines = (project.data_dir / "tables" / "table1.tsv").read_text(encoding="utf-8").splitlines()
    original = story["table1"].decode("utf-8").splitlines()
    assert lines[:SABOL_LINE - 1] == original[:SABOL_LINE - 1]  # comments and header kept
    assert lines[-1] == "\t".join(["smith-2025", "", "", "Smith, 等", "", DOI_SOURCE, "美国",
                                   "2025", "40 vs. 38", "HR vs. MWA", "48 vs. 41", "62 vs. 55",
                                   "41 vs. 35", "—"])


def test_commit_has_the_curator_as_author_and_the_trailers(story: dict, project: Project) -> None:
    out = subprocess.run(["git", "log", "-1", "--format=%an%n%B", story["study"].commit],
                         cwd=project.data_dir, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        ALICE.name, NEW_STUDY["note"], "", f"Submission: {story['study'].id}",
        f"Source: {DOI_SOURCE}", ""]


# -- a correction from the command line -----------------------------------------------------
def test_cli_submit_prints_version_and_commit(story: dict) -> None:
    result = story["cli"]
    assert result.exit_code == 0, result.output
    change = story["correction"]
    assert result.output.strip().endswith(f"version 1.1.0+2, commit {change.id}")
    assert (change.author, change.reason, change.version) == \
        (ALICE.name, "transcription error in row 2", "1.1.0+2")


def test_change_gives_the_diff_and_the_triples(story: dict) -> None:
    detail = story["curation"].change(story["correction"].id[:10])
    assert detail.files == ["tables/table1.tsv"]
    row = "sabol-2014\t2\tfirst\tSabol, 等\t27\t\t斯洛伐克\t2014\t15\tHR\t53\t67\t{}\t—"
    assert f"\n-{row.format(38)}\n+{row.format(39)}\n" in detail.diff
    node = "<https://w3id.org/bclm-kg/study/sabol-2014/arm/hr/os-5y>"
    value = "<https://w3id.org/bclm-kg/ontology/value>"
    decimal = "^^<http://www.w3.org/2001/XMLSchema#decimal> ."
    assert f'{node} {value} "39"{decimal}' in detail.added
    assert f'{node} {value} "38"{decimal}' in detail.removed
    assert detail.to_json()["triples"]["added"] == detail.added


# -- a submitter's note, approved; another rejected --------------------------------------------
def test_submitters_note_waits_then_is_committed_by_the_curator(story: dict,
                                                                 project: Project) -> None:
    assert story["pending"].state == "pending"
    assert story["head_while_pending"] == story["correction"].id
    approved = story["approved"]
    assert (approved.state, approved.version, approved.decided_by) == \
        ("committed", "1.1.0+3", ALICE.name)
    log = story["curation"].history.log(approved.commit)[0]
    assert log["author"] == ALICE.name
    text = (project.data_dir / "curation_notes.yaml").read_text(encoding="utf-8")
    original = (DATA / "curation_notes.yaml").read_text(encoding="utf-8")
    assert text.startswith(original.rstrip("\n"))  # comments and every earlier note untouched
    assert "  - id: sabol-os-checked\n    category: inconsistency\n" in text
    assert "    about: [study/sabol-2014]\n" in text


def test_rejection_is_recorded_and_commits_nothing(story: dict) -> None:
    rejected = story["rejected"]
    assert (rejected.state, rejected.reason, rejected.decided_by) == \
        ("rejected", "not needed", ALICE.name)
    assert all(c.submission != rejected.id for c in story["curation"].changes())
    with pytest.raises(SubmissionStateError, match="is rejected, not pending"):
        story["curation"].approve(rejected.id, ALICE)


def test_only_curators_approve_or_reject(story: dict) -> None:
    with pytest.raises(PermissionError, match="only a curator may approve"):
        story["curation"].approve(story["to_reject"].id, BOB)
    with pytest.raises(PermissionError, match="only a curator may reject"):
        story["curation"].reject(story["to_reject"].id, BOB, "no")


# -- revert and history ----------------------------------------------------------------------
def test_revert_restores_the_previous_triples(story: dict, project: Project) -> None:
    revert = story["revert"]
    assert (revert.state, revert.version) == ("committed", "1.1.0+4")
    row = (project.data_dir / "tables" / "table1.tsv").read_text(
        encoding="utf-8").splitlines()[SABOL_LINE - 1]
    assert row.split("\t")[12] == "38"
    release = current_release(project.release_dir)
    assert (kg("study/sabol-2014/arm/hr/os-5y"), BCLM.value,
            Literal("38", datatype=DECIMAL)) in graph_of(release, GRAPH_ASSERTED)
    detail = story["curation"].change(revert.commit)
    assert detail.change.reason == "the printed value stands"
    assert detail.change.message.startswith(f"Revert {story['correction'].id[:12]}")
    assert any('os-5y> <https://w3id.org/bclm-kg/ontology/value> "38"' in t for t in detail.added)


def test_changes_list_the_history_newest_first(story: dict) -> None:
    changes = story["curation"].changes()
    assert [c.version for c in changes] == ["1.1.0+4", "1.1.0+3", "1.1.0+2", "1.1.0+1", "1.1.0"]
    assert changes[-1].message == "Import curated data"
    assert changes[3].source == DOI_SOURCE
    assert story["curation"].version == "1.1.0+4"


def test_each_commit_published_a_version(story: dict, project: Project) -> None:
    versions = sorted(p.name for p in (project.release_dir / "versions").iterdir())
    assert versions == ["1.1.0+1", "1.1.0+2", "1.1.0+3", "1.1.0+4"]
    assert current_release(project.release_dir).name == "1.1.0+4"
    assert Release(current_release(project.release_dir)).damaged_file() is None


# -- backup and restore ----------------------------------------------------------------------
def test_restore_into_an_empty_place_gives_the_same_graphs_and_history(
        story: dict, project: Project, tmp_path: Path) -> None:
    manifest = backup(project, tmp_path / "backup")
    assert manifest["version"] == "1.1.0+4"
    target = Project(tmp_path / "restored" / "data", tmp_path / "restored" / "release")
    restore(tmp_path / "backup", target)
    before, after = dataset(current_release(project.release_dir)), \
        dataset(current_release(target.release_dir))
    names = sorted(str(g.identifier) for g in before.graphs() if len(g))
    assert names == sorted(str(g.identifier) for g in after.graphs() if len(g))
    assert len(names) == 5
    for name in names:
        assert isomorphic(before.graph(URIRef(name)), after.graph(URIRef(name))), name
    restored = Curation.open(target)
    assert [c.id for c in restored.changes()] == [c.id for c in story["curation"].changes()]
    assert restored.submission(story["rejected"].id).reason == "not needed"
    with pytest.raises(BackupError, match="must be an empty or new directory"):
        restore(tmp_path / "backup", target)


def test_cli_backup_and_restore(story: dict, project: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(main, ["backup", str(tmp_path / "b"), "--data", str(project.data_dir),
                                "--release", str(project.release_dir)])
    assert made.exit_code == 0, made.output
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    refused = runner.invoke(main, ["restore", str(tmp_path / "b"), "--data",
                                   str(tmp_path / "full"), "--release", str(tmp_path / "r")])
    assert refused.exit_code == 1
    assert "must be an empty or new directory" in refused.output
