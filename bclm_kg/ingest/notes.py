"""Curation notes (``data/curation_notes.yaml``): where the review looks wrong, and why."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespaces import BCLM, kg
from .sink import Sink
from .yaml_source import Item, unique_ids

NOTES = Path("curation_notes.yaml")
CATEGORIES = frozenset(
    {"spelling", "country", "title-mismatch", "doi", "inconsistency", "terminology"}
)
NOTE_KEYS = {"id", "category", "about", "printed", "suggested", "evidence", "locations"}

# Paths a note may be about: kind/slug below the base (the kinds of docs/data-model.md).
ABOUT = re.compile(
    r"^(?:study/[a-z0-9-]+(?:/(?:arm|statement|result)/[a-z0-9-]+)?"
    r"|trial/(?:NCT\d{8}|ChiCTR\d+)|reference/\d+|meta-analysis/[a-z0-9-]+|group/[a-z0-9-]+"
    r"|intervention/[a-z0-9-]+|animal-model/[a-z0-9-]+|cell-line/[a-z0-9-]+|strain/[a-z0-9-]+"
    r"|route/[a-z0-9-]+|indication/[a-z0-9-]+|advantage/[a-z0-9-]+|place/[a-z-]+"
    r"|milestone/[a-z0-9-]+|factor/[a-z0-9-]+|drug/[a-z0-9-]+|period/[a-z0-9-]+"
    r"|review/jiang-2024)$"
)


def load(sink: Sink) -> None:
    """One ``bclm:CurationNote`` per item of ``curation_notes.yaml``, linked from what it is
    about with ``bclm:curationNote``."""
    items = Item.read(sink.data_dir / NOTES, {"notes"}).items("notes")
    for item in items:
        item.check(NOTE_KEYS)
    unique_ids(items)
    for item in items:
        _note(sink, item, kg(f"note/{item.text('id')}"))


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
    for path in item.texts("about"):
        if not ABOUT.match(path):
            item.fail(f"'about': '{path}' is not a known kind of node path", "about")
        sink.add(kg(path), BCLM.curationNote, note)
    sink.located(item, note, sink.locations(item, "locations"))
