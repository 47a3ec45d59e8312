"""Typed errors that name the file, line or node at fault and what is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax import SAXParseException

from rdflib.plugins.parsers.notation3 import BadSyntax


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

    def __init__(self, report: str, count: int, results: list | tuple = ()) -> None:
        self.report = report
        self.count = count
        self.results = list(results)  # the violations (shapes.Result), when known
        super().__init__(f"{count} SHACL violation(s):\n{report}")


class QualityError(BclmError):
    """The quality report (``bclm-kg report``) found errors; no release is written."""

    def __init__(self, report: str, count: int) -> None:
        self.report = report
        self.count = count
        super().__init__(f"quality report: {count} error(s) (run `bclm-kg report` for all):\n"
                         f"{report}")


class InconsistencyError(BclmError):
    """The reasoner found the ontology plus data inconsistent."""


def parse_error_line(exc: Exception) -> int | None:
    """The 1-based line an RDF parser reports for ``exc`` (Turtle/TriG/N3, RDF/XML, JSON-LD)."""
    if isinstance(exc, BadSyntax):
        text, pos = getattr(exc, "_str", None), getattr(exc, "_i", None)
        if isinstance(text, bytes | str) and isinstance(pos, int):
            newline = b"\n" if isinstance(text, bytes) else "\n"
            return text[:pos].count(newline) + 1
        lines = getattr(exc, "lines", None)
        return lines + 1 if isinstance(lines, int) else None
    if isinstance(exc, SAXParseException):
        return exc.getLineNumber()
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno
    return None
