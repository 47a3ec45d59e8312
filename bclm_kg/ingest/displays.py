"""The review's figures and tables as entities (``data/narrative/displays.yaml``).

A figure or table gets its printed caption or title in Chinese and English, its panels or rows,
the named queries that give its content, and (for tables) the printed note, whose
abbreviations become a SKOS glossary: ``skos:prefLabel`` the expansion and ``skos:altLabel``
the abbreviation, on the node of the term the abbreviation stands for.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..errors import SourceError
from ..namespaces import BCLM, kg
from .citations import named_query
from .narrative import Item
from .sink import REVIEW, TABLE_ROWS, LocationError, Sink, location_from_text
from .sources import line_of, read_yaml

DISPLAYS = Path("narrative/displays.yaml")
NODE = re.compile(r"^[a-z][a-z-]*/[A-Za-z0-9-]+$")
ABBREVIATION = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def load(sink: Sink) -> None:
    """Figures 1-3 with their panels and Tables 1-2 with their rows, notes and glossaries."""
    path = sink.data_dir / DISPLAYS
    root = Item(path, 1, read_yaml(path)).check({"figures", "tables"})
    for item in root.items("figures"):
        item.check({"number", "caption", "stated_in"}, {"queries", "panels"})
        figure = sink.figure(item.integer("number"))
        _display(sink, item, figure, BCLM.Figure, "caption")
        for panel_item in item.items("panels"):
            panel_item.check({"letter", "caption", "queries"})
            letter = panel_item.text("letter")
            if not re.fullmatch(r"[A-Z]", letter):
                panel_item.fail(f"'letter': '{letter}' is not a panel letter", "letter")
            panel = URIRef(f"{figure}/panel-{letter.lower()}")
            sink.add(panel, RDF.type, BCLM.FigurePanel)
            sink.add(figure, BCLM.hasPanel, panel)
            sink.add(panel, BCLM.panelLetter, Literal(letter))
            sink.add(panel, BCLM.inPublication, REVIEW)
            en, zh = panel_item.lang("caption")
            number = item.integer("number")
            sink.labels(panel, f"Figure {number}{letter}", f"图{number}{letter}")
            _caption(sink, panel, en, zh)
            _queries(sink, panel_item, panel)
            sink.curated_at(panel, panel_item.path, panel_item.line)
    for item in root.items("tables"):
        item.check({"number", "title", "stated_in", "note", "glossary"}, {"queries"})
        number = item.integer("number")
        if number not in TABLE_ROWS:
            item.fail(f"the review has no Table {number}", "number")
        table = kg(f"review/jiang-2024/table-{number}")
        sink.add(table, RDF.type, BCLM.Table)
        sink.add(table, BCLM.inPublication, REVIEW)
        sink.labels(table, f"Table {number}", f"表{number}")
        _display(sink, item, table, None, "title")
        for row in range(1, TABLE_ROWS[number] + 1):
            sink.add(table, BCLM.hasRow, sink.table_row(number, row))
        en, zh = item.lang("note")
        sink.add(table, BCLM.tableNote, Literal(en, lang="en"))
        sink.add(table, BCLM.tableNote, Literal(zh, lang="zh"))
        _glossary(sink, item, table, number)


def _display(sink: Sink, item: Item, node: URIRef, cls: URIRef | None, key: str) -> None:
    if cls is not None:
        sink.add(node, RDF.type, cls)
    en, zh = item.lang(key)
    _caption(sink, node, en, zh)
    for text in item.node.get("stated_in") or []:
        try:
            sink.stated_in(node, location_from_text(sink, str(text)))
        except LocationError as exc:
            item.fail(f"unknown location '{text}' in 'stated_in': {exc.problem}", "stated_in")
    _queries(sink, item, node)
    sink.curated_at(node, item.path, item.line)


def _caption(sink: Sink, node: URIRef, en: str, zh: str) -> None:
    sink.add(node, DCTERMS.title, Literal(" ".join(en.split()), lang="en"))
    sink.add(node, DCTERMS.title, Literal(" ".join(zh.split()), lang="zh"))


def _queries(sink: Sink, item: Item, node: URIRef) -> None:
    seq = item.node.get("queries") or []
    for index, name in enumerate(seq):
        try:
            sink.add(node, BCLM.contentQuery, named_query(sink, str(name)))
        except ValueError as exc:
            raise SourceError(item.path, line_of(seq, index), str(exc)) from exc


def _glossary(sink: Sink, item: Item, table: URIRef, number: int) -> None:
    glossary = URIRef(f"{table}/glossary")
    sink.add(glossary, RDF.type, SKOS.Collection)
    sink.labels(glossary, f"Abbreviations of Table {number}'s note", f"表{number}注中的缩写")
    sink.add(table, BCLM.hasGlossary, glossary)
    for entry in item.items("glossary"):
        entry.check({"abbreviation", "stands_for", "expansion"})
        abbreviation, node = entry.text("abbreviation"), entry.text("stands_for")
        if not ABBREVIATION.match(abbreviation):
            entry.fail(f"'{abbreviation}' is not an abbreviation", "abbreviation")
        if not NODE.match(node):
            entry.fail(f"'stands_for': '{node}' is not a node path", "stands_for")
        term = kg(node)
        en, zh = entry.lang("expansion")
        sink.add(term, SKOS.prefLabel, Literal(en, lang="en"))
        sink.add(term, SKOS.prefLabel, Literal(zh, lang="zh"))
        sink.add(term, SKOS.altLabel, Literal(abbreviation))
        sink.add(glossary, SKOS.member, term)
    sink.add(glossary, RDFS.comment, Literal(f"Terms abbreviated in the note of Table {number}.",
                                             lang="en"))
    sink.curated_at(glossary, item.path, item.line)
