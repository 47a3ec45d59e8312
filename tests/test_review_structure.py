"""The review's structure (``structure`` in data/review.yaml): the paper's real counts, and
errors that name review.yaml or the table file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bclm_kg.errors import SourceError
from bclm_kg.ingest import references, tables, vocab
from bclm_kg.ingest.review_structure import LocationError, read_structure
from bclm_kg.ingest.sink import Sink
from bclm_kg.namespaces import kg

DATA = Path(__file__).resolve().parent.parent / "data"


def test_counts_are_the_papers() -> None:
    structure = read_structure(DATA / "review.yaml")
    assert structure.table_rows == {1: 30, 2: 24}
    assert structure.references == 89
    assert structure.figures == 3
    assert list(structure.sections) == ["abstract", "intro", "1", "2", "3", "4", "5", "6", "7",
                                        "8", "references"]
    assert structure.sections["3"].paragraphs == 6
    assert structure.sections["7"].label_en == \
        "Section 7, Indications for surgical treatment and choice of approach"


@pytest.mark.parametrize(
    ("text", "problem"),
    [("table-1/row-31", "Table 1 has rows 1-30"),
     ("table-3/row-1", "the review has no Table 3"),
     ("section-3/paragraph-7", "section 3 has paragraphs 1-6"),
     ("section-9", "the review has no section '9'"),
     ("figure-4", "the review has figures 1-3"),
     ("reference-90", "the reference list has entries 1-89"),
     ("page-3", "expected table-N/row-M")],
)
def test_places_the_review_does_not_have(text: str, problem: str) -> None:
    with pytest.raises(LocationError) as caught:
        Sink(DATA).location(text)
    assert caught.value.problem.startswith(problem)


def test_location_nodes() -> None:
    sink = Sink(DATA)
    assert sink.location("table-2/row-24") == kg("review/jiang-2024/table-2/row-24")
    assert sink.location("section-intro/paragraph-3") == \
        kg("review/jiang-2024/section-intro/paragraph-3")
    assert sink.location("reference-89") == kg("review/jiang-2024/reference-list/entry-89")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, text.index(old)) + 1


def test_bad_structure_names_review_yaml_and_line(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    line = _edit(target / "review.yaml", "  figures: 3\n", "  figures: three\n")
    with pytest.raises(SourceError) as caught:
        read_structure(target / "review.yaml")
    assert caught.value.path.endswith("review.yaml") and caught.value.line == line
    assert "'figures' must be a whole number" in caught.value.message


def test_table_rows_must_match_the_structure(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    _edit(target / "review.yaml", "    - number: 2\n      rows: 24\n",
          "    - number: 2\n      rows: 25\n")
    sink = Sink(target)
    with pytest.raises(SourceError) as caught:
        tables.load(sink, vocab.load(sink))
    assert caught.value.path.endswith("table2.tsv")
    assert "24 rows, but the review's Table 2 has 25" in caught.value.message


def test_reference_count_comes_from_the_structure(tmp_path: Path) -> None:
    target = _copy(tmp_path)
    _edit(target / "review.yaml", "  references: 89", "  references: 88")
    with pytest.raises(SourceError, match="reference number 89 is outside 1..88"):
        references.load(Sink(target))
