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

from ..namespaces import BCLM, kg
from .citations import named_query
from .sink import REVIEW, Sink
from .yaml_source import Item

DISPLAYS = Path("narrative/displays.yaml")
NODE = re.compile(r"^[a-z][a-z-]*/[A-Za-z0-9-]+$")
ABBREVIATION = re.compile(r"^[A-Z][A-Za-z0-9]*$")
LETTER = re.compile(r"^[A-Z]$")


def load(sink: Sink) -> None:
    """Figures with their panels, and tables with their rows, notes and glossaries."""
    root = Item.read(sink.data_dir / DISPLAYS, {"figures", "tables"})
    for item in root.items("figures"):
        item.check({"number", "caption", "stated_in"}, {"queries", "panels"})
        number = item.integer("number")
        if not 1 <= number <= sink.structure.figures:
            item.fail(f"the review has figures 1-{sink.structure.figures}", "number")
        figure = sink.figure(number)
        _display(sink, item, figure, BCLM.Figure, "caption")
        for panel_item in item.items("panels"):
            _panel(sink, panel_item, figure, number)
    for item in root.items("tables"):
        item.check({"number", "title", "stated_in", "note", "glossary"}, {"queries"})
        number = item.integer("number")
        rows = sink.structure.table_rows.get(number)
        if rows is None:
            item.fail(f"the review has no Table {number}", "number")
        table = kg(f"review/jiang-2024/table-{number}")
        sink.add(table, BCLM.inPublication, REVIEW)
        sink.labels(table, f"Table {number}", f"表{number}")
        _display(sink, item, table, BCLM.Table, "title")
        for row in range(1, rows + 1):
            sink.add(table, BCLM.hasRow, sink.table_row(number, row))
        sink.lang_text(item, "note", table, BCLM.tableNote)
        _glossary(sink, item, table, number)


def _panel(sink: Sink, item: Item, figure: URIRef, number: int) -> None:
    item.check({"letter", "caption", "queries"})
    letter = item.text("letter")
    if not LETTER.match(letter):
        item.fail(f"'letter': '{letter}' is not a panel letter", "letter")
    panel = URIRef(f"{figure}/panel-{letter.lower()}")
    sink.add(figure, BCLM.hasPanel, panel)
    sink.add(panel, BCLM.panelLetter, Literal(letter))
    sink.add(panel, BCLM.inPublication, REVIEW)
    sink.labels(panel, f"Figure {number}{letter}", f"图{number}{letter}")
    _display(sink, item, panel, BCLM.FigurePanel, "caption")


def _display(sink: Sink, item: Item, node: URIRef, cls: URIRef, key: str) -> None:
    """Type, printed caption or title (``dcterms:title``, en and zh), locations, queries."""
    sink.add(node, RDF.type, cls)
    en, zh = item.lang(key)
    sink.texts(node, DCTERMS.title, " ".join(en.split()), " ".join(zh.split()))
    for index, name in enumerate(item.texts("queries", required=False)):
        try:
            sink.add(node, BCLM.contentQuery, named_query(sink, name))
        except ValueError as exc:
            item.fail_entry("queries", index, str(exc))
    sink.located(item, node)


def _glossary(sink: Sink, item: Item, table: URIRef, number: int) -> None:
    glossary = URIRef(f"{table}/glossary")
    sink.add(glossary, RDF.type, SKOS.Collection)
    sink.labels(glossary, f"Abbreviations of Table {number}'s note", f"表{number}注中的缩写")
    sink.add(glossary, RDFS.comment,
             Literal(f"Terms abbreviated in the note of Table {number}.", lang="en"))
    sink.add(table, BCLM.hasGlossary, glossary)
    for entry in item.items("glossary", required=True):
        entry.check({"abbreviation", "stands_for", "expansion"})
        abbreviation, node = entry.text("abbreviation"), entry.text("stands_for")
        if not ABBREVIATION.match(abbreviation):
            entry.fail(f"'{abbreviation}' is not an abbreviation", "abbreviation")
        if not NODE.match(node):
            entry.fail(f"'stands_for': '{node}' is not a node path", "stands_for")
        term = kg(node)
        sink.texts(term, SKOS.prefLabel, *entry.lang("expansion"))
        sink.add(term, SKOS.altLabel, Literal(abbreviation))
        sink.add(glossary, SKOS.member, term)
    sink.curated_at(glossary, item.path, item.line)
