"""Read curated YAML, keeping the file and line of every mapping, key and list item."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..errors import SourceError

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def read_yaml(path: Path) -> Any:
    """Parse a YAML file into ruamel's round-trip objects, which know their line numbers."""
    if not path.is_file():
        raise SourceError(path, None, "file not found")
    try:
        return YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise SourceError(path, line, f"not valid YAML: {getattr(exc, 'problem', exc)}") from exc


def line_of(node: Any, key: str | int | None = None) -> int | None:
    """1-based line of a YAML mapping/sequence, or of one of its keys/items."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return lc.line + 1
        if isinstance(key, int):
            return lc.item(key)[0] + 1
        return lc.key(key)[0] + 1
    except (KeyError, IndexError, TypeError):
        return lc.line + 1


@dataclass
class Item:
    """One YAML node with the file and line it came from; typed accessors fail with both."""

    path: Path
    line: int | None
    node: Any

    @classmethod
    def read(cls, path: Path, required: set[str], optional: Iterable[str] = ()) -> Item:
        """The top-level mapping of a YAML file, checked for its keys."""
        return cls(path, 1, read_yaml(path)).check(required, optional)

    def fail(self, message: str, key: str | int | None = None) -> NoReturn:
        line = line_of(self.node, key) if key is not None else self.line
        raise SourceError(self.path, line or self.line, message)

    def fail_entry(self, key: str, index: int, message: str) -> NoReturn:
        """Fail at the line of entry ``index`` of the list under ``key`` (or of ``key``)."""
        seq = self.node.get(key)
        line = line_of(seq, index) if isinstance(seq, list) else line_of(self.node, key)
        raise SourceError(self.path, line or self.line, message)

    def check(self, required: set[str], optional: Iterable[str] = ()) -> Item:
        """Fail on a key that is neither required nor optional, or on a missing required key."""
        if not isinstance(self.node, dict):
            self.fail("expected a mapping of keys to values")
        allowed = required | set(optional)
        for key in self.node:
            if key not in allowed:
                self.fail(f"unknown key '{key}'", key)
        for key in sorted(required - set(self.node)):
            self.fail(f"missing required key '{key}'")
        return self

    def has(self, key: str) -> bool:
        return self.node.get(key) is not None

    def text(self, key: str) -> str:
        value = self.node.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"'{key}' must be non-empty text", key)
        return value.strip()

    def texts(self, key: str, required: bool = True) -> list[str]:
        """One text or a list of texts under ``key`` ([] when absent and not required)."""
        value = self.node.get(key)
        if value is None:
            if required:
                self.fail(f"missing '{key}'")
            return []
        values = value if isinstance(value, list) else [value]
        for text in values:
            if not isinstance(text, str) or not text.strip():
                self.fail(f"'{key}' must be text or a list of texts", key)
        return [text.strip() for text in values]

    def integer(self, key: str) -> int:
        value = self.node.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"'{key}' must be a whole number, found {value!r}", key)
        return value

    def flag(self, key: str) -> bool:
        """A true/false value; false when absent."""
        value = self.node.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"'{key}' must be true or false, found {value!r}", key)
        return value

    def number(self, key: str, percent: bool = False, upper: int | None = None) -> str:
        """A decimal as printed (quoted string); percentages must lie in 0-100."""
        value = self.node.get(key)
        if isinstance(value, float):
            self.fail(f"'{key}' must be quoted (\"{value}\") to keep the printed digits", key)
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(text, str) or not NUMBER.match(text.strip()):
            self.fail(f"'{key}' must be a number, found {value!r}", key)
        limit = 100 if percent else upper
        if limit is not None and not 0 <= Decimal(text) <= limit:
            self.fail(f"'{key}' = {text} is outside 0-{limit}", key)
        return text.strip()

    def sub(self, key: str) -> Item:
        """The node under ``key`` as an item of its own."""
        return Item(self.path, line_of(self.node, key), self.node.get(key))

    def lang(self, key: str) -> tuple[str, str]:
        """An {en, zh} pair of texts."""
        sub = self.sub(key).check({"en", "zh"})
        return sub.text("en"), sub.text("zh")

    def codes(self, key: str, allowed: Iterable[str], what: str) -> list[str]:
        """The code or list of codes under ``key``, each one of ``allowed``."""
        value = self.node.get(key)
        values = value if isinstance(value, list) else [value]
        allowed = set(allowed)
        for code in values:
            if not isinstance(code, str) or code not in allowed:
                self.fail(f"unknown {what} '{code}' in '{key}'", key)
        return list(values)

    def code(self, key: str, allowed: Iterable[str], what: str) -> str:
        return self.codes(key, allowed, what)[0]

    def slug(self, key: str, pattern: re.Pattern[str] = SLUG) -> str:
        value = self.text(key)
        if not pattern.match(value):
            self.fail(f"'{key}' = '{value}' is not a valid identifier", key)
        return value

    def items(self, key: str, required: bool = False) -> list[Item]:
        """The list under ``key``, one item per entry ([] when absent and not required)."""
        seq = self.node.get(key)
        if seq is None and required:
            self.fail(f"missing '{key}' list")
        seq = seq or []
        if not isinstance(seq, list):
            self.fail(f"'{key}' must be a list", key)
        return [Item(self.path, line_of(seq, i), node) for i, node in enumerate(seq)]


def unique_ids(items: list[Item], key: str = "id") -> set[str]:
    """The identifiers under ``key``; fails on an invalid or repeated one."""
    seen: dict[str, int | None] = {}
    for item in items:
        if not isinstance(item.node, dict):
            item.fail("expected a mapping of keys to values")
        ident = item.slug(key)
        if ident in seen:
            item.fail(f"duplicate {key} '{ident}' (also line {seen[ident]})", key)
        seen[ident] = item.line
    return set(seen)
