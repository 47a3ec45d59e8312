"""A submission's JSON body, checked for its shape: which file, which list, which rows,
corrections and curation notes, why and from where."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .report import Problem

KEYS = {"file", "rows", "corrections", "curation_notes", "section", "note", "source", "revert",
        "reason"}
NOTES_FILE = "curation_notes.yaml"
NOTES_SECTION = "notes"
CURATED_SUFFIXES = (".tsv", ".yaml")
MAX_NOTE = 2000


@dataclass(frozen=True)
class Correction:
    id: str
    cells: dict[str, Any]
    reason: str


@dataclass
class ChangeSet:
    """What a submission asks for, its shape checked (the files it names not read yet)."""

    note: str
    file: str | None = None
    section: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None
    revert: str | None = None
    why: str | None = None  # the body's own ``reason`` (a revert's)

    @property
    def reason(self) -> str | None:
        """The body's and the corrections' reasons, for the commit's ``Reason:`` trailer."""
        reasons = list(dict.fromkeys([*([self.why] if self.why else []),
                                      *(c.reason for c in self.corrections)]))
        return "; ".join(reasons) or None


class BodyError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.text() for p in problems))


def curated_files(data_dir: Path) -> set[str]:
    """The curated files a submission may name: the build's TSV and YAML inputs."""
    data_dir = Path(data_dir)
    found = set()
    for path in data_dir.rglob("*"):
        rel = path.relative_to(data_dir)
        if (path.is_file() and path.suffix in CURATED_SUFFIXES
                and not any(part.startswith(".") for part in rel.parts)):
            found.add(rel.as_posix())
    return found


def _safe_file(value: object, known: set[str]) -> tuple[str | None, Problem | None]:
    if not isinstance(value, str) or not value:
        return None, Problem(None, "'file' must name a curated file, e.g. tables/table1.tsv",
                             column="file")
    path = PurePosixPath(value.removeprefix("data/"))
    if path.is_absolute() or ".." in path.parts or "\\" in value or "\x00" in value:
        return None, Problem(value, "'file' must be a path inside the data directory, without "
                             "'..' or a leading '/'", column="file")
    rel = path.as_posix()
    if rel not in known:
        return None, Problem(rel, "not a curated file (the build reads the .tsv and .yaml files "
                             f"of the data directory, e.g. {', '.join(sorted(known)[:3])})",
                             column="file")
    return rel, None


def _text(body: Mapping, key: str, problems: list[Problem], required: bool = False,
          file: str | None = None) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(file, f"'{key}' must be a non-empty string", column=key))
        return None
    if len(value) > MAX_NOTE:
        problems.append(Problem(file, f"'{key}' is longer than {MAX_NOTE} characters",
                                column=key))
    return value.strip()


def _items(body: Mapping, key: str, problems: list[Problem], file: str | None) -> list[dict]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        problems.append(Problem(file, f"'{key}' must be a list of objects", column=key))
        return []
    return [dict(v) for v in value]


def parse(body: object, data_dir: Path) -> ChangeSet:
    """The change set a body asks for; BodyError lists every problem found."""
    if not isinstance(body, Mapping):
        raise BodyError([Problem(None, "the submission must be a JSON object")])
    problems: list[Problem] = []
    for key in sorted(set(body) - KEYS):
        problems.append(Problem(None, f"unknown key {key!r} (allowed: {', '.join(sorted(KEYS))})",
                                column=str(key)))
    file = None
    if body.get("file") is not None or body.get("rows") or body.get("corrections"):
        file, problem = _safe_file(body.get("file"), curated_files(data_dir))
        problems += [problem] if problem else []
    note = _text(body, "note", problems, required=True, file=file)
    source = _text(body, "source", problems, file=file)
    section = _text(body, "section", problems, file=file)
    revert = _text(body, "revert", problems, file=file)
    why = _text(body, "reason", problems, file=file)
    if revert is not None and not re.fullmatch(r"[0-9a-f]{7,40}", revert):
        problems.append(Problem(None, "'revert' must be a change id (7 to 40 hex digits)",
                                column="revert"))
    rows = _items(body, "rows", problems, file)
    notes = _items(body, "curation_notes", problems, NOTES_FILE)
    corrections = []
    for index, item in enumerate(_items(body, "corrections", problems, file)):
        ident, cells, reason = item.get("id"), item.get("cells"), item.get("reason")
        where = f"corrections[{index}]"
        if not isinstance(ident, str | int) or isinstance(ident, bool) or not str(ident):
            problems.append(Problem(file, "a correction needs the 'id' of its row", row=where,
                                    column="id"))
            continue
        if not isinstance(cells, Mapping) or not cells:
            problems.append(Problem(file, "a correction needs 'cells': the columns (or keys) "
                                    "to change and their new values", row=str(ident),
                                    column="cells"))
            continue
        if not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(file, "a correction needs a 'reason'", row=str(ident),
                                    column="reason"))
            continue
        corrections.append(Correction(str(ident), dict(cells), " ".join(reason.split())))
    if file and file.endswith(".yaml") and (rows or corrections) and not section:
        problems.append(Problem(file, "a YAML file needs 'section': the list the rows belong "
                                "to (e.g. 'trials')", column="section"))
    if not (rows or corrections or notes or revert or problems):
        problems.append(Problem(file, "nothing to change: give rows, corrections or "
                                "curation_notes"))
    if problems:
        raise BodyError(problems)
    return ChangeSet(note or "", file, section, rows, corrections, notes, source, revert, why)
