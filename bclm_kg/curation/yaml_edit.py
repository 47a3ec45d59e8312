"""Append and edit items of a list in a curated YAML file, keeping the file's comments and
formatting: only the lines of the new or changed item are written, the rest of the text is
kept byte for byte (ruamel.yaml finds the lines and writes the item)."""

from __future__ import annotations

import difflib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from .report import Problem


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # long lines stay as they are written
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def _plain(node: Any) -> Any:
    """Round-trip objects as plain Python (for comparing what was meant with what was written)."""
    if isinstance(node, Mapping):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _node(value: Any) -> Any:
    """A new item as round-trip objects: short lists of scalars in flow style (``[a, b]``),
    as the curated files write them."""
    if isinstance(value, Mapping):
        return CommentedMap((k, _node(v)) for k, v in value.items())
    if isinstance(value, list):
        seq = CommentedSeq(_node(v) for v in value)
        if all(not isinstance(v, Mapping | list) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value


def _is_content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


class YamlFile:
    """A YAML file's text and its round-trip document."""

    def __init__(self, path: Path, rel: str) -> None:
        self.path, self.rel = path, rel
        self.lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        try:
            self.doc = _yaml().load("".join(self.lines))
        except YAMLError as exc:
            raise ValueError(f"{rel}: not valid YAML: {exc}") from exc

    def text(self) -> str:
        return "".join(self.lines)

    def section(self, name: str) -> CommentedSeq | None:
        node = self.doc.get(name) if isinstance(self.doc, Mapping) else None
        return node if isinstance(node, CommentedSeq) else None

    def find(self, section: CommentedSeq, ident: str) -> int | None:
        for index, item in enumerate(section):
            if isinstance(item, Mapping) and str(item.get("id")) == ident:
                return index
        return None

    def id_at_line(self, line: int) -> str | None:
        """The ``id`` of the list item that holds a 1-based line, in any top-level list."""
        if not isinstance(self.doc, Mapping):
            return None
        best = None
        for value in self.doc.values():
            if isinstance(value, CommentedSeq):
                for index, item in enumerate(value):
                    if isinstance(item, Mapping) and value.lc.item(index)[0] + 1 <= line:
                        best = (value.lc.item(index)[0], item.get("id"))
        return str(best[1]) if best and best[1] is not None else None

    # -- the lines an item takes ---------------------------------------------------------
    def _section_end(self, name: str) -> int:
        """The index of the first line after the list ``name`` (the next top-level key)."""
        keys = list(self.doc.keys())
        position = keys.index(name)
        if position + 1 < len(keys):
            return self.doc.lc.key(keys[position + 1])[0]
        return len(self.lines)

    def _span(self, name: str, section: CommentedSeq, index: int) -> tuple[int, int]:
        """Line indices [start, end) of an item's own lines (trailing comments and blank
        lines, which introduce what follows, excluded)."""
        start = section.lc.item(index)[0]
        while start > 0 and not self.lines[start].lstrip().startswith("-"):
            start -= 1  # lc gives the line of the item's first key, after the dash
        end = section.lc.item(index + 1)[0] if index + 1 < len(section) \
            else self._section_end(name)
        while end > start + 1 and not _is_content(self.lines[end - 1]):
            end -= 1
        return start, end

    def _render(self, item: Any, indent: int) -> list[str]:
        buffer = io.StringIO()
        _yaml().dump([item], buffer)
        pad = " " * indent
        return [pad + line if line.strip() else line
                for line in buffer.getvalue().splitlines(keepends=True)]

    def _indent(self, line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    # -- edits ---------------------------------------------------------------------------
    def append(self, name: str, item: Mapping) -> None:
        section = self.section(name)
        assert section is not None
        node = _node(item)
        if len(section):
            start, end = self._span(name, section, len(section) - 1)
            indent = self._indent(self.lines[start])
            gap = ["\n"] if len(section) > 1 and self._blank_between(name, section) else []
        else:
            end = self.doc.lc.key(name)[0] + 1
            indent, gap = 2, []
            if self.lines[end - 1].rstrip().endswith("[]"):
                self.lines[end - 1] = self.lines[end - 1].replace("[]", "", 1).rstrip() + "\n"
        if end and not self.lines[end - 1].endswith("\n"):
            self.lines[end - 1] += "\n"
        self.lines[end:end] = gap + self._render(node, indent)
        section.append(node)

    def _blank_between(self, name: str, section: CommentedSeq) -> bool:
        start, end = self._span(name, section, len(section) - 2)
        following = section.lc.item(len(section) - 1)[0]
        return any(not line.strip() for line in self.lines[end:following])

    def render_item(self, name: str, index: int) -> list[str]:
        """The item as ruamel writes it (its trailing comments, which introduce what follows
        and stay where they are in the text, left out)."""
        section = self.section(name)
        assert section is not None
        start, _end = self._span(name, section, index)
        lines = self._render(section[index], self._indent(self.lines[start]))
        while lines and not _is_content(lines[-1]):
            lines.pop()
        return lines

    def replace(self, name: str, index: int, before: list[str]) -> None:
        """Write item ``index`` again after an edit; ``before`` is its rendering before the
        edit. Lines the edit did not change keep their original text (comments, spacing)."""
        section = self.section(name)
        assert section is not None
        start, end = self._span(name, section, index)
        after = self.render_item(name, index)
        original = self.lines[start:end]
        if len(before) != len(original):
            self.lines[start:end] = after
            return
        merged: list[str] = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
            merged += original[i1:i2] if tag == "equal" else after[j1:j2]
        self.lines[start:end] = merged

    def refresh(self) -> None:
        """Read the edited text back (so line positions are right for the next edit); if it
        does not read back as the document edited in memory, write the whole document."""
        expected = _plain(self.doc)
        try:
            doc = _yaml().load(self.text())
        except YAMLError:
            doc = None
        if doc is None or _plain(doc) != expected:
            self.rewrite()
            doc = _yaml().load(self.text())
        self.doc = doc

    def rewrite(self) -> None:
        """Fall back to writing the whole document (comments kept by ruamel)."""
        buffer = io.StringIO()
        yaml = _yaml()
        yaml.indent(mapping=2, sequence=4, offset=2)
        yaml.dump(self.doc, buffer)
        self.lines = buffer.getvalue().splitlines(keepends=True)


def append_items(yml: YamlFile, name: str, items: list[Mapping]) -> list[Problem]:
    section = yml.section(name)
    if section is None:
        return [Problem(yml.rel, f"no list {name!r} at the top level of the file", column=name)]
    problems = []
    for index, item in enumerate(items):
        label = f"rows[{index}]" + (f" ({item['id']})" if isinstance(item.get("id"), str) else "")
        if not item.get("id"):
            problems.append(Problem(yml.rel, "a new item needs an id", row=label, column="id"))
        elif yml.find(section, str(item["id"])) is not None:
            problems.append(Problem(yml.rel, f"an item with id {item['id']!r} is already in "
                                    f"{name!r} (use a correction to change it)", row=label,
                                    column="id"))
        else:
            yml.append(name, item)
            yml.refresh()
            section = yml.section(name)
    return problems


def correct_items(yml: YamlFile, name: str, corrections: list[Mapping]) -> list[Problem]:
    section = yml.section(name)
    if section is None:
        return [Problem(yml.rel, f"no list {name!r} at the top level of the file", column=name)]
    problems = []
    for correction in corrections:
        ident, cells = str(correction["id"]), correction["cells"]
        index = yml.find(section, ident)
        if index is None:
            problems.append(Problem(yml.rel, f"no item with this id in {name!r}", row=ident,
                                    column="id"))
            continue
        if "id" in cells:
            problems.append(Problem(yml.rel, "an item's id cannot be corrected", row=ident,
                                    column="id"))
            continue
        item = section[index]
        before = yml.render_item(name, index)
        for key, value in cells.items():
            if value is None:
                item.pop(key, None)
            else:
                item[key] = _node(value)
        yml.replace(name, index, before)
        yml.refresh()
        section = yml.section(name)
    return problems
