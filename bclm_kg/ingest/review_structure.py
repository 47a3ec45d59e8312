"""The review's parts (``structure`` in ``data/review.yaml``) and the curated locations in them.

A location is written ``table-N/row-M``, ``section-S[/paragraph-P]``, ``figure-N`` or
``reference-N``; it is checked here against the sections, paragraphs, table rows, figures and
reference-list entries that the review prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .yaml_source import Item, read_yaml

LOCATION = re.compile(
    r"^(?:table-(?P<table>\d+)/row-(?P<row>\d+)"
    r"|section-(?P<section>[a-z0-9]+)(?:/paragraph-(?P<paragraph>\d+))?"
    r"|figure-(?P<figure>\d+)|reference-(?P<reference>\d+))$"
)
SECTION_KEYS = {"id", "en", "zh", "paragraphs"}


class LocationError(ValueError):
    """A curated location that is not a place in the review; ``problem`` says why."""

    def __init__(self, text: str, problem: str) -> None:
        self.text = text
        self.problem = problem
        super().__init__(f"bad location '{text}': {problem}")


@dataclass(frozen=True)
class Section:
    """A section of the review: the labels of its node and how many paragraphs it has."""

    label_en: str
    label_zh: str
    paragraphs: int


@dataclass(frozen=True)
class ReviewStructure:
    """Sections, rows per table, figures and reference-list entries of the review."""

    sections: dict[str, Section]
    table_rows: dict[int, int]
    figures: int
    references: int

    def parse(self, text: str) -> re.Match[str]:
        """The parts of a curated location; LocationError when the review has no such place."""
        match = LOCATION.match(text.strip())
        if problem := self._problem(match):
            raise LocationError(text, problem)
        return match

    def has_reference(self, number: object) -> bool:
        """Whether ``number`` is an entry of the reference list."""
        return isinstance(number, int) and not isinstance(number, bool) \
            and 1 <= number <= self.references

    def _problem(self, match: re.Match[str] | None) -> str | None:
        if not match:
            return "expected table-N/row-M, section-S[/paragraph-P], figure-N or reference-N"
        if match["table"]:
            table, row = int(match["table"]), int(match["row"])
            if table not in self.table_rows:
                return f"the review has no Table {table}"
            if not 1 <= row <= self.table_rows[table]:
                return f"Table {table} has rows 1-{self.table_rows[table]}"
        elif match["section"]:
            section = self.sections.get(match["section"])
            if section is None:
                return f"the review has no section '{match['section']}'"
            if match["paragraph"] and not 1 <= int(match["paragraph"]) <= section.paragraphs:
                return f"section {match['section']} has paragraphs 1-{section.paragraphs}"
        elif match["figure"] and not 1 <= int(match["figure"]) <= self.figures:
            return f"the review has figures 1-{self.figures}"
        elif match["reference"] and not 1 <= int(match["reference"]) <= self.references:
            return f"the reference list has entries 1-{self.references}"
        return None


def read_structure(path: Path) -> ReviewStructure:
    """The ``structure`` mapping of ``review.yaml``."""
    review = Item(path, 1, read_yaml(path))
    if not isinstance(review.node, dict) or not review.has("structure"):
        review.fail("missing required key 'structure' (the review's sections, tables, figures "
                    "and reference list)")
    top = review.sub("structure").check({"sections", "tables", "figures", "references"})
    sections: dict[str, Section] = {}
    for item in top.items("sections", required=True):
        item.check(SECTION_KEYS)
        ident = item.text("id")
        if ident in sections:
            item.fail(f"duplicate section '{ident}'", "id")
        sections[ident] = Section(item.text("en"), item.text("zh"), _count(item, "paragraphs", 0))
    table_rows: dict[int, int] = {}
    for item in top.items("tables", required=True):
        item.check({"number", "rows"})
        number = _count(item, "number", 1)
        if number in table_rows:
            item.fail(f"duplicate table {number}", "number")
        table_rows[number] = _count(item, "rows", 1)
    return ReviewStructure(sections, table_rows, _count(top, "figures", 0),
                           _count(top, "references", 1))


def _count(item: Item, key: str, least: int) -> int:
    value = item.integer(key)
    if value < least:
        item.fail(f"'{key}' must be at least {least}, found {value}", key)
    return value

