"""Shared fixtures: the repository paths and one real build of the release per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real release, built once from data/ into a temporary directory."""
    from bclm_kg.build import build_release

    out = tmp_path_factory.mktemp("release") / "build"
    build_release(out, DATA)
    return out
