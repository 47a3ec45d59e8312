"""The gate: apply a change set to a staged copy of the curated files and run the build
(ingest → reasoning → SHACL) on it; what fails becomes a GateReport."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..build import Built, build_graphs
from ..errors import BclmError, InconsistencyError, QualityError, SourceError, ValidationError
from .body import NOTES_FILE, NOTES_SECTION, ChangeSet
from .history import STATE_DIR, History
from .report import GateReport, Problem
from .tsv_edit import EditError, TsvFile, append_rows, correct_rows
from .yaml_edit import YamlFile, append_items, correct_items

COLUMN = re.compile(r"column '([^']+)'")


@dataclass
class Staged:
    """A staged copy of the curated files with a change applied, and the build of it."""

    data_dir: Path
    changed: list[str] = field(default_factory=list)  # relative paths
    report: GateReport = field(default_factory=GateReport)
    built: Built | None = None


def stage(data_dir: Path, into: Path) -> Path:
    """Copy the curated files (not the history, not the service's state) into ``into``."""
    shutil.copytree(data_dir, into, symlinks=False,
                    ignore=shutil.ignore_patterns(".git", STATE_DIR))
    return into


def apply(changes: ChangeSet, staged: Path, history: History | None = None) -> Staged:
    """Apply ``changes`` to the staged copy; problems found are in the result's report."""
    result = Staged(staged)
    problems: list[Problem] = []
    try:
        if changes.revert:
            problems += _revert(changes.revert, staged, history, result)
        if changes.file and (changes.rows or changes.corrections):
            problems += _apply_file(changes, staged)
            result.changed.append(changes.file)
        if changes.notes:
            yml = YamlFile(staged / NOTES_FILE, NOTES_FILE)
            problems += append_items(yml, NOTES_SECTION, changes.notes)
            (staged / NOTES_FILE).write_text(yml.text(), encoding="utf-8")
            if NOTES_FILE not in result.changed:
                result.changed.append(NOTES_FILE)
    except EditError as exc:
        problems += exc.problems
    except ValueError as exc:
        problems.append(Problem(changes.file, str(exc)))
    result.report.problems += problems
    return result


def _apply_file(changes: ChangeSet, staged: Path) -> list[Problem]:
    path, rel = staged / changes.file, changes.file
    corrections = [{"id": c.id, "cells": c.cells} for c in changes.corrections]
    if rel.endswith(".tsv"):
        tsv = TsvFile(path, rel)
        problems = append_rows(tsv, changes.rows) + correct_rows(tsv, corrections) \
            if corrections else append_rows(tsv, changes.rows)
        path.write_text(tsv.text(), encoding="utf-8")
        return problems
    yml = YamlFile(path, rel)
    problems = append_items(yml, changes.section or "", changes.rows)
    if corrections:
        problems += correct_items(yml, changes.section or "", corrections)
    path.write_text(yml.text(), encoding="utf-8")
    return problems


def _revert(commit: str, staged: Path, history: History | None, result: Staged) -> list[Problem]:
    """Undo one commit's changes of the curated files in the staged copy (``git apply -R``)."""
    if history is None:
        return [Problem(None, "a revert needs the history", column="revert")]
    try:
        full = history.resolve(commit)
    except KeyError as exc:
        return [Problem(None, str(exc.args[0]), column="revert")]
    parent = history.parent(full)
    if parent is None:
        return [Problem(None, "the import commit cannot be reverted", column="revert")]
    patch = history.git("diff", "--binary", parent, full)
    applied = subprocess.run(["git", "apply", "-R", "--whitespace=nowarn", "-"], cwd=staged,
                             input=patch.encode("utf-8"), capture_output=True,
                             env={**_plain_env(), "GIT_CEILING_DIRECTORIES": str(staged.parent)})
    if applied.returncode != 0:
        message = applied.stderr.decode("utf-8", "replace").strip().splitlines()
        return [Problem(None, f"change {full[:12]} cannot be reverted: later changes touch the "
                        f"same lines ({message[0] if message else 'git apply failed'})",
                        column="revert")]
    result.changed += [f for f in history.changed_files(parent, full) if f not in result.changed]
    return []


def _plain_env() -> dict[str, str]:
    """The environment without git's repository settings (the staged copy is no repository:
    ``git apply`` works on it as a plain patch tool)."""
    return {k: v for k, v in os.environ.items()
            if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}


def build(staged: Staged) -> Staged:
    """Run the build on the staged copy (unless applying the change already failed)."""
    if staged.report.problems:
        return staged
    deferred: list[SourceError] = []
    report = staged.report
    try:
        staged.built = build_graphs(staged.data_dir, deferred=deferred)
    except SourceError as exc:
        report.problems.append(source_problem(exc, staged.data_dir))
    except ValidationError as exc:
        report.results += exc.results
    except (InconsistencyError, QualityError) as exc:
        report.problems.append(Problem(None, str(exc)))
    except BclmError as exc:
        report.problems.append(Problem(None, str(exc)))
    report.problems[:0] = [source_problem(e, staged.data_dir) for e in deferred]
    if not report.conforms:
        staged.built = None
    return staged


def source_problem(exc: SourceError, data_dir: Path) -> Problem:
    """An ingest error as a problem naming the file (relative), line, row id and column."""
    path = Path(exc.path)
    try:
        rel = path.resolve().relative_to(Path(data_dir).resolve()).as_posix()
    except ValueError:
        rel = path.name
    match = COLUMN.search(exc.message)
    row = None
    if exc.line and path.is_file():
        try:
            if rel.endswith(".tsv"):
                row = TsvFile(path, rel).id_at_line(exc.line)
            elif rel.endswith(".yaml"):
                row = YamlFile(path, rel).id_at_line(exc.line)
        except (EditError, ValueError):
            row = None
    message = exc.message
    if match and message.startswith(match.group(0) + ": "):
        message = message[len(match.group(0)) + 2:]
    return Problem(rel, message, row=row, line=exc.line, column=match.group(1) if match else None)
