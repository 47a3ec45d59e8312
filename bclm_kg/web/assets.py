"""The browser assets bundled from npm packages into ``static/vendor/`` by ``npm run build``
(the Makefile's set-up, or ``make dist`` for the wheel): which are there, and where."""

from __future__ import annotations

from functools import cache
from pathlib import Path

VENDOR = Path(__file__).parent / "static" / "vendor"


def path(name: str) -> Path:
    return VENDOR / name


@cache
def installed(name: str) -> bool:
    """Whether ``static/vendor/{name}`` exists (checked once per process)."""
    return path(name).is_file()
