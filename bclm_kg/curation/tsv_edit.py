"""Append and edit rows of a curated TSV file, keeping its comments, header and column order."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from .report import Problem


class EditError(Exception):
    """The change cannot be applied; carries the problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.text() for p in problems))


class TsvFile:
    """A TSV file's lines, its header and where each row (by ``id``) is."""

    def __init__(self, path: Path, rel: str) -> None:
        self.path, self.rel = path, rel
        self.lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        self.header_index = next((i for i, t in enumerate(self.lines)
                                  if t.strip() and not t.lstrip().startswith("#")), None)
        if self.header_index is None:
            raise EditError([Problem(rel, "the file has no header line")])
        self.header = self._cells(self.header_index)

    def _cells(self, index: int) -> list[str]:
        return next(csv.reader([self.lines[index].rstrip("\r\n")], delimiter="\t"))

    def row_index(self, ident: str) -> int | None:
        """The index in ``lines`` of the row whose ``id`` cell is ``ident``."""
        column = self.header.index("id")
        for i in range(self.header_index + 1, len(self.lines)):
            text = self.lines[i]
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            cells = self._cells(i)
            if len(cells) > column and cells[column].strip() == ident:
                return i
        return None

    def id_at_line(self, line: int) -> str | None:
        """The ``id`` of the row at a 1-based line (None if it is not a row or has no id)."""
        index = line - 1
        if "id" not in self.header or not self.header_index < index < len(self.lines):
            return None
        cells = self._cells(index)
        column = self.header.index("id")
        return cells[column].strip() if len(cells) > column else None

    def text(self) -> str:
        return "".join(self.lines)


def _cell(rel: str, row: str, column: str, value: object) -> tuple[str | None, Problem | None]:
    if value is None:
        return "", None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, Problem(rel, f"a cell must be text or a number, not {type(value).__name__}",
                             row=row, column=column)
    text = str(value)
    if any(c in text for c in "\t\r\n"):
        return None, Problem(rel, "a cell cannot hold a tab or a line break", row=row,
                             column=column)
    if text.startswith('"'):
        return None, Problem(rel, "a cell cannot start with a double quote", row=row,
                             column=column)
    return text.strip(), None


def _unknown(tsv: TsvFile, keys: Mapping, row: str) -> list[Problem]:
    return [Problem(tsv.rel, f"unknown column (the header has: {', '.join(tsv.header)})",
                    row=row, column=str(key)) for key in keys if key not in tsv.header]


def append_rows(tsv: TsvFile, rows: list[Mapping]) -> list[Problem]:
    """Append one line per row, cells in the header's order (missing columns stay empty)."""
    problems: list[Problem] = []
    if tsv.lines and not tsv.lines[-1].endswith("\n"):
        tsv.lines[-1] += "\n"
    for index, row in enumerate(rows):
        name = f"rows[{index}]" + (f" ({row['id']})" if isinstance(row.get("id"), str) else "")
        found = _unknown(tsv, row, name)
        if "id" in tsv.header and not row.get("id"):
            found.append(Problem(tsv.rel, "a new row needs an id", row=name, column="id"))
        elif "id" in tsv.header and tsv.row_index(str(row["id"]).strip()) is not None:
            found.append(Problem(tsv.rel, f"a row with id {row['id']!r} is already there "
                                 "(use a correction to change it)", row=name, column="id"))
        cells = []
        for column in tsv.header:
            text, problem = _cell(tsv.rel, name, column, row.get(column))
            found += [problem] if problem else []
            cells.append(text or "")
        problems += found
        if not found:
            tsv.lines.append("\t".join(cells) + "\n")
    return problems


def correct_rows(tsv: TsvFile, corrections: list[Mapping]) -> list[Problem]:
    """Change the named cells of the rows with those ids, the rest of each line untouched."""
    if "id" not in tsv.header:
        return [Problem(tsv.rel, "this file has no id column, so its rows cannot be corrected "
                        "by id")]
    problems: list[Problem] = []
    for correction in corrections:
        ident, cells = str(correction["id"]), correction["cells"]
        index = tsv.row_index(ident)
        found = _unknown(tsv, cells, ident)
        if index is None:
            found.append(Problem(tsv.rel, "no row with this id", row=ident, column="id"))
        if "id" in cells:
            found.append(Problem(tsv.rel, "a row's id cannot be corrected (add a new row and "
                                 "correct the references instead)", row=ident, column="id"))
        problems += found
        if found or index is None:
            continue
        values = tsv._cells(index)
        for column, value in cells.items():
            text, problem = _cell(tsv.rel, ident, column, value)
            if problem:
                problems.append(problem)
                continue
            values[tsv.header.index(column)] = text or ""
        ending = tsv.lines[index][len(tsv.lines[index].rstrip("\r\n")):] or "\n"
        tsv.lines[index] = "\t".join(values) + ending
    return problems
