"""Read curated TSV files, keeping the line number of every row."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError

EMPTY = {"", "—", "-", "–"}  # the paper prints an em dash for "not reported"


@dataclass(frozen=True)
class Row:
    """One data line of a TSV file: its values by column and where it is."""

    path: Path
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        """The cell as text (stripped); '' when the column is blank."""
        return (self.values.get(column) or "").strip()

    def required(self, column: str) -> str:
        value = self.get(column)
        if value in EMPTY:
            self.fail(f"column '{column}' is empty")
        return value

    def optional(self, column: str) -> str | None:
        """The cell, or None when it is blank or the paper's dash for 'not reported'."""
        value = self.get(column)
        return None if value in EMPTY else value

    def fail(self, message: str) -> None:
        raise SourceError(self.path, self.line, message)

    @property
    def where(self) -> str:
        return f"{self.path.as_posix()}:{self.line}"


def read_tsv(path: Path, required_columns: tuple[str, ...] = ()) -> list[Row]:
    """Rows of a tab-separated file with a header line; '#' lines are comments."""
    if not path.is_file():
        raise SourceError(path, None, "file not found")
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [(n, text) for n, text in enumerate(handle, start=1)]
    content = [(n, t) for n, t in lines if t.strip() and not t.lstrip().startswith("#")]
    if not content:
        raise SourceError(path, None, "no header line")
    header_line, header_text = content[0]
    header = next(csv.reader([header_text.rstrip("\r\n")], delimiter="\t"))
    missing = [c for c in required_columns if c not in header]
    if missing:
        raise SourceError(path, header_line, f"missing column(s): {', '.join(missing)}")
    for number, text in content[1:]:
        cells = next(csv.reader([text.rstrip("\r\n")], delimiter="\t", quotechar='"'))
        if len(cells) != len(header):
            raise SourceError(
                path, number, f"expected {len(header)} tab-separated cells, found {len(cells)}"
            )
        rows.append(Row(path, number, dict(zip(header, cells, strict=True))))
    return rows
