"""Starting from an on-disk store reads nothing that grows with the graph twice: the store's
size is counted when it is loaded, a release file's checksum is read once per state of the
file; and a release replaced at the same path is loaded again."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from bclm_kg import cache, release
from bclm_kg.query.store import LOADED_MARKER, StoreSpec

ASSERTED = "https://w3id.org/bclm-kg/graph/asserted"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def write_trig(path: Path, studies: int) -> None:
    """A TriG file with one label per study, written elsewhere and moved into place (as a
    build swaps a release in)."""
    staged = path.with_suffix(".staged")
    lines = "\n".join(f'<https://w3id.org/bclm-kg/study/s{n}> '
                      f'<http://www.w3.org/2000/01/rdf-schema#label> "s{n}" .'
                      for n in range(studies))
    staged.write_text(f"<{ASSERTED}> {{\n{lines}\n}}\n", encoding="utf-8")
    os.replace(staged, path)


def test_disk_store_is_counted_once_and_reloaded_when_its_release_is_replaced(
        tmp_path: Path) -> None:
    trig, location = tmp_path / "bclm.trig", tmp_path / "store"
    write_trig(trig, 3)
    spec = StoreSpec(trig=trig, path=location)
    assert spec.open().size() == 3
    marker = json.loads((location / LOADED_MARKER).read_text(encoding="utf-8"))
    assert marker["quads"] == 3 and marker["source"][0] == str(trig.resolve())
    assert spec.open().size() == 3  # opened read-only, the count taken from the marker

    write_trig(trig, 5)  # rebuilt in place: same path, another file
    store = spec.open()
    assert store.size() == 5
    assert int(next(iter(store.query(COUNT)))["n"].value) == 5


def test_a_marker_from_another_source_loads_the_store_again(tmp_path: Path) -> None:
    trig, location = tmp_path / "bclm.trig", tmp_path / "store"
    write_trig(trig, 2)
    StoreSpec(trig=trig, path=location).open()
    (location / LOADED_MARKER).write_text(str(trig.resolve()), encoding="utf-8")  # older form
    store = StoreSpec(trig=trig, path=location).open()
    assert store.size() == 2
    assert json.loads((location / LOADED_MARKER).read_text(encoding="utf-8"))["quads"] == 2


def test_a_release_file_is_read_once_per_state(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    reads: list[Path] = []
    digest = release._sha256
    monkeypatch.setattr(release, "_sha256", lambda path: reads.append(path) or digest(path))
    file = tmp_path / "bclm.nt"
    file.write_bytes(b"first content\n")
    assert release.file_digest(file) == hashlib.sha256(b"first content\n").hexdigest()
    assert release.file_digest(file) == hashlib.sha256(b"first content\n").hexdigest()
    assert reads == [file]  # the second time from the cache

    file.write_bytes(b"other content\n")  # the same size: its times tell
    assert release.file_digest(file) == hashlib.sha256(b"other content\n").hexdigest()
    assert reads == [file, file]


def test_a_file_damaged_after_a_checked_start_is_refused(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "bclm.trig").write_bytes(b"<a> <b> <c> .\n")
    manifest = {"files": {"bclm.trig": hashlib.sha256(b"<a> <b> <c> .\n").hexdigest()}}
    checked = release.Release(folder)
    assert checked.damaged_file(manifest) is None
    with open(folder / "bclm.trig", "r+b") as handle:  # one byte changed in place
        handle.write(b"<x")
    assert checked.damaged_file(manifest) == folder / "bclm.trig"
