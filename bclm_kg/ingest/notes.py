"""Curation notes (``data/curation_notes.yaml``): where the review looks wrong, and why.

Also the checks of review locations, cited works and mappings that the loaders of sections 4-7
(models, indications) share.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..errors import SourceError
from ..namespaces import BCLM, kg
from .curies import parse_mappings
from .narrative import Item
from .sink import REFERENCES, LocationError, Sink, location_from_text
from .sources import line_of, read_yaml

NOTES = Path("curation_notes.yaml")
CATEGORIES = frozenset(
    {"spelling", "country", "title-mismatch", "doi", "inconsistency", "terminology", "overlap",
     "drug-name"}
)
NOTE_KEYS = {"id", "category", "about", "printed", "suggested", "evidence", "locations"}
OPTIONAL_NOTE_KEYS = {"flags_mappings"}

# Paths a note may be about: kind/slug below the base (the kinds of docs/data-model.md).
ABOUT = re.compile(
    r"^(?:study/[a-z0-9-]+(?:/(?:arm|statement|result)/[a-z0-9-]+)?"
    r"|trial/(?:NCT\d{8}|ChiCTR\d+)|reference/\d+|meta-analysis/[a-z0-9-]+|group/[a-z0-9-]+"
    r"|intervention/[a-z0-9-]+|animal-model/[a-z0-9-]+|cell-line/[a-z0-9-]+|strain/[a-z0-9-]+"
    r"|route/[a-z0-9-]+|indication/[a-z0-9-]+|advantage/[a-z0-9-]+|place/[a-z-]+"
    r"|milestone/[a-z0-9-]+|factor/[a-z0-9-]+|drug/[a-z0-9-]+|period/[a-z0-9-]+"
    r"|claim/[a-z0-9-]+|review/jiang-2024)$"
)


# -- shared checks ---------------------------------------------------------------------------


def review_locations(sink: Sink, item: Item, key: str = "stated_in") -> list[URIRef]:
    """The locations listed under ``key``, checked against the review's structure."""
    seq = item.node.get(key)
    found: list[URIRef] = []
    for index, text in enumerate(_strings(item, key)):
        try:
            found.append(location_from_text(sink, text))
        except LocationError as exc:
            line = line_of(seq, index) if isinstance(seq, list) else line_of(item.node, key)
            raise SourceError(item.path, line,
                              f"unknown location '{text}' in '{key}': {exc.problem}") from exc
    return found


def add_cited_works(sink: Sink, item: Item, subject: URIRef, key: str = "reference") -> None:
    """``dcterms:source reference/N`` for each cited entry (``bclm:reportedIn`` is for studies:
    its domain is bclm:Study, which is disjoint from models, criteria and advantages)."""
    for work in cited_works(item, key):
        sink.add(subject, DCTERMS.source, work)


def cited_works(item: Item, key: str = "reference") -> list[URIRef]:
    """``reference/N`` for each number under ``key`` (a number or a list of numbers)."""
    if not item.has(key):
        return []
    value = item.node.get(key)
    numbers = value if isinstance(value, list) else [value]
    works = []
    for number in numbers:
        if isinstance(number, bool) or not isinstance(number, int) \
                or not 1 <= number <= REFERENCES:
            item.fail(f"'{key}': {number!r} is not an entry of the reference list (1-"
                      f"{REFERENCES})", key)
        works.append(kg(f"reference/{number}"))
    return works


def add_mappings(sink: Sink, item: Item, subject: URIRef) -> None:
    """``mappings: [skos:exactMatch NCIT:C123, …]`` as SKOS mapping triples."""
    for text in _strings(item, "mappings", required=False):
        try:
            pairs = parse_mappings(text)
        except ValueError as exc:
            item.fail(f"bad mapping '{text}': {exc}", "mappings")
        for predicate, target in pairs:
            sink.add(subject, predicate, target)


def add_text(sink: Sink, item: Item, key: str, subject: URIRef, predicate: URIRef) -> None:
    """An optional ``{en, zh}`` text under ``key`` as two language-tagged literals."""
    if item.has(key):
        en, zh = item.lang(key)
        sink.add(subject, predicate, Literal(en, lang="en"))
        sink.add(subject, predicate, Literal(zh, lang="zh"))


def _strings(item: Item, key: str, required: bool = True) -> list[str]:
    value = item.node.get(key)
    if value is None:
        if required:
            item.fail(f"missing '{key}'")
        return []
    values = value if isinstance(value, list) else [value]
    for text in values:
        if not isinstance(text, str) or not text.strip():
            item.fail(f"'{key}' must be text or a list of texts", key)
    return [text.strip() for text in values]


# -- the notes -------------------------------------------------------------------------------


def load(sink: Sink) -> None:
    """One ``bclm:CurationNote`` per item of ``curation_notes.yaml``, linked from what it is
    about with ``bclm:curationNote``."""
    path = sink.data_dir / NOTES
    root = Item(path, 1, read_yaml(path)).check({"notes"})
    seen: dict[str, int | None] = {}
    for item in root.items("notes"):
        item.check(NOTE_KEYS, OPTIONAL_NOTE_KEYS)
        slug = item.slug("id")
        if slug in seen:
            item.fail(f"duplicate note id '{slug}' (also line {seen[slug]})", "id")
        seen[slug] = item.line
        _note(sink, item, kg(f"note/{slug}"))


def _note(sink: Sink, item: Item, note: URIRef) -> None:
    category = item.text("category")
    if category not in CATEGORIES:
        item.fail(f"unknown category '{category}' (one of {', '.join(sorted(CATEGORIES))})",
                  "category")
    sink.add(note, RDF.type, BCLM.CurationNote)
    sink.add(note, BCLM.noteCategory, Literal(category))
    sink.add(note, RDFS.label, Literal(f"Curation note: {item.text('id')}", lang="en"))
    sink.add(note, RDFS.comment, Literal(" ".join(item.text("evidence").split()), lang="en"))
    sink.add(note, BCLM.printedValue, Literal(item.text("printed")))
    sink.add(note, BCLM.suggestedValue, Literal(item.text("suggested")))
    for location in review_locations(sink, item, "locations"):
        sink.stated_in(note, location)
    flags = item.node.get("flags_mappings", False)
    if not isinstance(flags, bool):
        item.fail("'flags_mappings' must be true or false", "flags_mappings")
    for path in _strings(item, "about"):
        if not ABOUT.match(path):
            item.fail(f"'about': '{path}' is not a known kind of node path", "about")
        sink.add(kg(path), BCLM.curationNote, note)
        if flags:
            # The node's external mappings rest on a printed name that is not standard.
            sink.add(kg(path), BCLM.mappingCaveat, note)
    sink.curated_at(note, item.path, item.line)
