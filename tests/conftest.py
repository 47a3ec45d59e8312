"""Shared fixtures: the repository paths and one real build of the release per test session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def pytest_configure(config: pytest.Config) -> None:
    """Builds in the tests (and the processes they start) share a build cache of their own,
    unless one is set: the user's cache is left alone."""
    if not os.environ.get("BCLM_CACHE_DIR"):
        os.environ["BCLM_CACHE_DIR"] = tempfile.mkdtemp(prefix="bclm-test-cache-")
        config.stash[CACHE_KEY] = os.environ["BCLM_CACHE_DIR"]


def pytest_unconfigure(config: pytest.Config) -> None:
    made = config.stash.get(CACHE_KEY, None)
    if made:
        shutil.rmtree(made, ignore_errors=True)
        os.environ.pop("BCLM_CACHE_DIR", None)


CACHE_KEY = pytest.StashKey[str]()


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
