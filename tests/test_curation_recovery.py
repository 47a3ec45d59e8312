"""A commit interrupted at each of its steps (a simulated crash: the process stops there and
leaves its journal) is, when the data directory is opened again, either fully committed (the
files, the git commit and the published release agree) or fully rolled back."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from bclm_kg.curation import Author, Curation
from bclm_kg.curation import curation as curation_module
from bclm_kg.curation import gate as gate_module
from bclm_kg.project import Project
from bclm_kg.release import CURRENT, Release, current_release

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ALICE = Author("Alice Example", "curator")
CORRECTION = {"file": "tables/table1.tsv", "note": "Sabol 2014: 5-year OS is 39",
              "corrections": [{"id": "sabol-2014", "cells": {"os_5y": "39"},
                               "reason": "transcription error in row 2"}]}
ROLLED_BACK = ("begin", "built", "files")
FINISHED = ("committed", "published")


class Crash(BaseException):
    """Stands for the process dying (not an error the commit would handle)."""


_BUILDS: dict[str, object] = {}


@pytest.fixture(autouse=True)
def one_build_per_content(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate's build of the same files is the same graphs: build each content once."""
    real = gate_module.build_graphs

    def build(data_dir: Path, report=None, deferred=None):
        key = hashlib.sha256((Path(data_dir) / "tables" / "table1.tsv").read_bytes()).hexdigest()
        if key not in _BUILDS:
            _BUILDS[key] = real(data_dir, report, deferred)
        return _BUILDS[key]

    monkeypatch.setattr(gate_module, "build_graphs", build)


def crash_at(step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def checkpoint(name: str) -> None:
        if name == step:
            raise Crash(name)

    monkeypatch.setattr(curation_module, "checkpoint", checkpoint)


def git(data: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=data, capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("step", ROLLED_BACK + FINISHED)
def test_interrupted_commit_is_finished_or_rolled_back(step: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    project = Project(tmp_path / "data", tmp_path / "release")
    original = (project.data_dir / "tables" / "table1.tsv").read_bytes()
    first = Curation.open(project)
    imported = first.history.head()
    crash_at(step, monkeypatch)
    with pytest.raises(Crash):
        first.submit(CORRECTION, ALICE)
    journal = project.data_dir / ".bclm" / "journal.json"
    assert journal.is_file()  # the crash left the commit half done
    [sid] = [p.stem for p in (project.data_dir / ".bclm" / "submissions").glob("sub-*.json")]
    monkeypatch.setattr(curation_module, "checkpoint", lambda name: None)

    again = Curation.open(project)

    assert not journal.exists()
    assert git(project.data_dir, "status", "--porcelain") == ""  # files agree with HEAD
    assert not list(project.release_dir.glob(".staged-*"))
    assert not list((project.data_dir / ".bclm").glob("stage-*"))
    record = again.submission(sid)
    table1 = (project.data_dir / "tables" / "table1.tsv").read_bytes()
    if step in ROLLED_BACK:
        assert again.history.head() == imported
        assert table1 == original
        assert again.version == "1.1.0"
        assert not (project.release_dir / CURRENT).exists()
        assert (record.state, record.commit) == ("rejected", None)
        assert "interrupted" in record.reason
    else:
        head = again.history.head()
        assert head != imported
        assert git(project.data_dir, "log", "-1", "--format=%s", head).strip() == \
            CORRECTION["note"]
        assert "\t67\t39\t" in table1.decode("utf-8")
        release = Release(current_release(project.release_dir))
        assert release.path.name == "1.1.0+1" == again.version
        assert release.manifest()["commit"] == head
        assert release.damaged_file() is None
        assert (record.state, record.commit, record.version) == ("committed", head, "1.1.0+1")
    # the next submission goes through as usual (nothing left locked or half done)
    assert len(again.changes()) == (1 if step in ROLLED_BACK else 2)
