"""Where the tests look for the shared reference material, and what happens without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared import ENV, ROOT, require, shared_dir, shared_path


def test_beside_the_repository_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert shared_dir() == ROOT.parent / "shared"


def test_environment_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "reference").mkdir()
    monkeypatch.setenv(ENV, str(tmp_path))
    assert shared_path("reference") == tmp_path / "reference"
    assert require("reference") == tmp_path / "reference"


def test_absent_material_skips_with_a_reason(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "nowhere"))
    assert shared_path("reference/manifest.ttl") is None
    with pytest.raises(pytest.skip.Exception) as skipped:
        require("reference/manifest.ttl")
    reason = str(skipped.value)
    assert "reference/manifest.ttl" in reason and str(tmp_path / "nowhere") in reason
    assert ENV in reason and "../shared/" in reason
