"""A submission's body is checked before anything is built: every problem names the file, the
row and the column (or key) at fault; the TSV and YAML editors keep the files' comments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bclm_kg.curation import Author, Curation, InvalidSubmission
from bclm_kg.curation.tsv_edit import TsvFile, append_rows, correct_rows
from bclm_kg.curation.yaml_edit import YamlFile, append_items, correct_items
from bclm_kg.project import Project

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def curation(tmp_path_factory: pytest.TempPathFactory) -> Curation:
    base = tmp_path_factory.mktemp("body")
    shutil.copytree(DATA, base / "data")
    return Curation.open(Project(base / "data", base / "release"))


def problems(curation: Curation, body: object) -> list[tuple]:
    report = curation.check(body)
    assert not report.conforms and not report.results  # refused before the build
    return [(p.file, p.row, p.column) for p in report.problems]


@pytest.mark.parametrize(("body", "expected"), [
    ([], [(None, None, None)]),
    ({"file": "tables/table1.tsv", "rows": [{"id": "x-2025"}]}, [("tables/table1.tsv", None,
                                                                   "note")]),
    ({"file": "../etc/passwd", "rows": [{}], "note": "n"}, [("../etc/passwd", None, "file")]),
    ({"file": "/etc/passwd", "rows": [{}], "note": "n"}, [("/etc/passwd", None, "file")]),
    ({"file": "tables/nope.tsv", "rows": [{}], "note": "n"}, [("tables/nope.tsv", None,
                                                                 "file")]),
    ({"file": "tables/table1.tsv", "note": "n"}, [("tables/table1.tsv", None, None)]),
    ({"file": "tables/table1.tsv", "note": "n", "colour": "red",
      "corrections": [{"id": "sabol-2014", "cells": {"os_5y": "39"}}]},
     [(None, None, "colour"), ("tables/table1.tsv", "sabol-2014", "reason")]),
    ({"file": "narrative/evidence.yaml", "note": "n", "rows": [{"id": "x"}]},
     [("narrative/evidence.yaml", None, "section")]),
])
def test_bad_shape_is_named(curation: Curation, body: object, expected: list) -> None:
    assert problems(curation, body) == expected


def test_unknown_column_and_row_are_named(curation: Curation) -> None:
    body = {"file": "tables/table1.tsv", "note": "n",
            "rows": [{"id": "x-2025", "colour": "red"}],
            "corrections": [{"id": "nobody-2030", "cells": {"os_5y": "1"}, "reason": "r"}]}
    assert problems(curation, body) == [("tables/table1.tsv", "rows[0] (x-2025)", "colour"),
                                        ("tables/table1.tsv", "nobody-2030", "id")]


def test_existing_id_is_refused_as_a_new_row(curation: Curation) -> None:
    body = {"file": "tables/table2.tsv", "note": "n", "rows": [{"id": "qiu-2014"}]}
    assert problems(curation, body) == [("tables/table2.tsv", "rows[0] (qiu-2014)", "id")]


def test_invalid_submission_is_recorded_and_raised(curation: Curation) -> None:
    head = curation.history.head()
    with pytest.raises(InvalidSubmission, match="'file' must be a path inside") as caught:
        curation.submit({"file": "../x.tsv", "rows": [{}], "note": "n"},
                        Author("Eve Example", "submitter"))
    assert curation.submission(caught.value.submission_id).state == "invalid"
    assert curation.history.head() == head


def test_unknown_ids_are_key_errors(curation: Curation) -> None:
    with pytest.raises(KeyError, match="expected sub- and 12 hex digits"):
        curation.submission("../../etc/passwd")
    with pytest.raises(KeyError, match="no submission"):
        curation.submission("sub-000000000000")
    with pytest.raises(KeyError, match="7 to 40 hex digits"):
        curation.change("HEAD")


def test_author_roles() -> None:
    with pytest.raises(ValueError, match="must be one of curator, submitter"):
        Author("Mallory", "admin")


# -- the editors -------------------------------------------------------------------------------
def test_tsv_correction_changes_one_cell_only(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("# a comment\nid\ta\tb\nx\t1\t2\ny\t3\t4\n", encoding="utf-8")
    tsv = TsvFile(path, "t.tsv")
    assert correct_rows(tsv, [{"id": "y", "cells": {"b": "5"}}]) == []
    assert append_rows(tsv, [{"b": "7", "id": "z"}]) == []
    assert tsv.text() == "# a comment\nid\ta\tb\nx\t1\t2\ny\t3\t5\nz\t\t7\n"
    [bad] = append_rows(tsv, [{"id": "w", "a": "two\tcells"}])
    assert (bad.row, bad.column, bad.message) == ("rows[0] (w)", "a",
                                                  "a cell cannot hold a tab or a line break")


def test_yaml_edits_keep_the_rest_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    text = ("# head comment\nnotes:\n  # -- group one\n  - id: a\n    about: [x/1, x/2]  # why\n"
            "    evidence: >-\n      long text\n\n  # -- group two\n  - id: b\n    about: [x/3]\n")
    path.write_text(text, encoding="utf-8")
    yml = YamlFile(path, "n.yaml")
    assert correct_items(yml, "notes", [{"id": "a", "cells": {"evidence": "short"}}]) == []
    assert append_items(yml, "notes", [{"id": "c", "about": ["x/4"]}]) == []
    assert yml.text() == ("# head comment\nnotes:\n  # -- group one\n  - id: a\n"
                          "    about: [x/1, x/2]  # why\n    evidence: >-\n      short\n\n"
                          "  # -- group two\n  - id: b\n    about: [x/3]\n\n"
                          "  - id: c\n    about: [x/4]\n")
