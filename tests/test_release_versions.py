"""Versioned release roots: ``publish`` moves a staged release under ``versions/`` and switches
``current`` atomically; ``current_release`` finds what is served."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bclm_kg.release import (
    CURRENT,
    DATASET_FORMAT,
    KEEP_VERSIONS,
    MANIFEST,
    Release,
    current_release,
    publish,
)


def _staged(root: Path, version: str) -> Path:
    """A minimal complete release (manifest + dataset) beside ``root``."""
    staged = root / f".staged-{version}"
    staged.mkdir(parents=True)
    (staged / MANIFEST).write_text(json.dumps({"version": version}), encoding="utf-8")
    (staged / DATASET_FORMAT.release_file).write_text(f"# {version}\n", encoding="utf-8")
    return staged


def test_plain_release_root_is_its_own_current(tmp_path: Path) -> None:
    assert current_release(tmp_path) == tmp_path


def test_publish_switches_current_with_a_relative_link(tmp_path: Path) -> None:
    first = publish(tmp_path, _staged(tmp_path, "1.1.0"), "1.1.0")
    assert first == (tmp_path / "versions" / "1.1.0").resolve()
    assert os.readlink(tmp_path / CURRENT) == "versions/1.1.0"
    second = publish(tmp_path, _staged(tmp_path, "1.1.0+1"), "1.1.0+1")
    assert os.readlink(tmp_path / CURRENT) == "versions/1.1.0+1"
    assert current_release(tmp_path) == second
    assert Release(current_release(tmp_path)).manifest()["version"] == "1.1.0+1"
    assert first.is_dir()  # the previous version stays for rollbacks
    assert not list(tmp_path.glob(".current*"))  # no temporary link left behind
    assert not (tmp_path / ".staged-1.1.0+1").exists()  # moved, not copied


def test_publish_keeps_the_last_five_versions(tmp_path: Path) -> None:
    names = [f"1.1.0+{n}" for n in range(8)]
    for name in names:
        publish(tmp_path, _staged(tmp_path, name), name)
    kept = sorted(p.name for p in (tmp_path / "versions").iterdir())
    assert kept == sorted(names[-KEEP_VERSIONS:])
    assert current_release(tmp_path).name == "1.1.0+7"


def test_publish_refuses_an_incomplete_release(tmp_path: Path) -> None:
    staged = tmp_path / "half"
    staged.mkdir()
    (staged / MANIFEST).write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="not a complete release"):
        publish(tmp_path, staged, "1.1.0+1")
    assert not (tmp_path / CURRENT).exists()


def test_publish_refuses_a_version_that_is_a_path(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot name a directory"):
        publish(tmp_path, _staged(tmp_path, "x"), "../x")
