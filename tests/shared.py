"""Reference material kept beside the repository, in ``../shared/`` (or ``$BCLM_SHARED_DIR``).

Developer and CI machines have it; a fresh clone elsewhere does not, and the tests that need it
are then skipped with a reason that says what is missing and how to provide it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = "BCLM_SHARED_DIR"


def shared_dir() -> Path:
    """``$BCLM_SHARED_DIR`` if set, else ``shared/`` beside the repository root."""
    return Path(os.environ.get(ENV) or ROOT.parent / "shared")


def shared_path(relative: str) -> Path | None:
    """The shared file or folder at ``relative``, or None when it is absent."""
    path = shared_dir() / relative
    return path if path.exists() else None


def missing_reason(relative: str) -> str:
    return (f"reference material {relative} is missing from {shared_dir()}: put the shared "
            f"folder beside the repository as ../shared/, or point {ENV} at it")


def require(relative: str) -> Path:
    """The shared file or folder at ``relative``; skips the calling test when it is absent."""
    path = shared_path(relative)
    if path is None:
        pytest.skip(missing_reason(relative))
    return path
