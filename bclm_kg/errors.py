"""Typed errors that name the file, line or node at fault and what is wrong."""

from __future__ import annotations

from pathlib import Path


class BclmError(Exception):
    """Base class for every error the build reports to the user."""


class SourceError(BclmError):
    """A curated source file holds a value the build cannot accept."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class ValidationError(BclmError):
    """The built graph does not conform to the SHACL shapes."""

    def __init__(self, report: str, count: int) -> None:
        self.report = report
        self.count = count
        super().__init__(f"{count} SHACL violation(s):\n{report}")


class InconsistencyError(BclmError):
    """The reasoner found the ontology plus data inconsistent."""
