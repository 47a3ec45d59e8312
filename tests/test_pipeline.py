"""Running every loader over a data folder that is not called ``data``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal

from bclm_kg.errors import SourceError
from bclm_kg.namespaces import BCLM, kg
from bclm_kg.pipeline import ingest

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "curated"
    shutil.copytree(DATA, target)
    return target


def test_provenance_names_data_wherever_it_lives(copy: Path) -> None:
    sink = ingest(copy)
    where = set(sink.provenance.objects(kg("study/ruiz-2017"), BCLM.curatedAt))
    assert where == {Literal("data/tables/table1.tsv:23")}


def test_dangling_reference_names_the_real_file_and_line(copy: Path) -> None:
    path = copy / "narrative" / "history.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("study: study/", "study: study/zz-", 1), encoding="utf-8")
    with pytest.raises(SourceError, match="which no data file describes") as caught:
        ingest(copy)
    assert caught.value.path == str(copy / "narrative" / "history.yaml")
    assert text.splitlines()[caught.value.line - 1] == "  - id: stehlin-1988"
