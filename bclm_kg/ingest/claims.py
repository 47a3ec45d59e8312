"""The review's claims (``data/narrative/claims.yaml``) and the citation marks of its tables.

Each claim is a ``bclm:ReviewClaim`` (a Micropublications ``mp:Claim``): the printed Chinese
text, an English rendering, where it stands, its kind, the nodes it is about, the references
of its citation marks typed with CiTO, the figures and tables it points to, and optionally a
check against the review's own tables (a named query and the status it gives).
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..namespaces import BCLM, kg
from .citations import FUNCTIONS, Mark, emit_mark, marks_in, named_query
from .review_structure import LocationError
from .sink import Sink
from .tsv_source import read_tsv
from .yaml_source import SLUG, Item, unique_ids

CLAIMS = Path("narrative/claims.yaml")
TABLES = {1: Path("tables/table1.tsv"), 2: Path("tables/table2.tsv")}
CLAIM_KEYS = {"id", "at", "kind", "zh", "en", "about"}
OPTIONAL_KEYS = {"cites", "figures", "tables", "check", "notes"}
ABOUT = re.compile(r"^[a-z][a-z-]*/[A-Za-z0-9-]+(?:/[a-z]+/[a-z0-9-]+)?$")
DISPLAY = re.compile(r"^(?P<number>\d+)(?P<panel>[A-Z])?$")


def load(sink: Sink) -> None:
    """Claim kinds, check statuses, topics, claims and the tables' citation marks."""
    root = Item.read(sink.data_dir / CLAIMS, {"kinds", "statuses", "topics", "claims"})
    kinds = _vocabulary(sink, root.items("kinds"), "claim-kind", BCLM.ClaimKind)
    statuses = _vocabulary(sink, root.items("statuses"), "check-status", BCLM.CheckStatus)
    topics = root.items("topics")
    for item in topics:
        item.check({"id", "label", "definition"}, {"mappings"})
    unique_ids(topics)
    for item in topics:
        _defined(sink, item, kg(f"topic/{item.text('id')}"), BCLM.Topic)
    items = root.items("claims")
    for item in items:
        item.check(CLAIM_KEYS, OPTIONAL_KEYS)
    unique_ids(items)
    for item in items:
        _claim(sink, item, kg(f"claim/{item.text('id')}"), kinds, statuses)
    load_table_marks(sink)


def _vocabulary(sink: Sink, items: list[Item], base: str, cls: URIRef) -> set[str]:
    for item in items:
        item.check({"id", "label", "definition"})
    ids = unique_ids(items)
    for item in items:
        _defined(sink, item, kg(f"{base}/{item.text('id')}"), cls)
    return ids


def _defined(sink: Sink, item: Item, iri: URIRef, cls: URIRef) -> None:
    """Type, labels, definition (en, zh), mappings and curation line of a term."""
    sink.describe(item, iri, cls)
    sink.lang_text(item, "definition", iri, SKOS.definition)


def _claim(sink: Sink, item: Item, claim: URIRef, kinds: set[str], statuses: set[str]) -> None:
    kind = item.code("kind", kinds, "kind")
    at = item.text("at")
    try:
        location = sink.location(at)
    except LocationError as exc:
        item.fail(f"unknown location '{at}' in 'at': {exc.problem}", "at")
    if "/paragraph-" not in at:
        item.fail("'at' must name a paragraph (section-S/paragraph-P)", "at")
    zh, en = item.text("zh"), item.text("en")
    sink.add(claim, RDF.type, BCLM.ReviewClaim)
    sink.add(claim, BCLM.claimKind, kg(f"claim-kind/{kind}"))
    sink.add(claim, BCLM.printedText, Literal(" ".join(zh.split()), lang="zh"))
    sink.add(claim, BCLM.englishRendering, Literal(" ".join(en.split()), lang="en"))
    sink.add(claim, RDFS.label, Literal(_short(en), lang="en"))
    sink.stated_in(claim, location)
    for index, path in enumerate(item.texts("about")):
        if not ABOUT.match(path):
            item.fail_entry("about", index, f"'about': '{path}' is not a node path such as "
                            "intervention/hr")
        sink.add(claim, BCLM.claimAbout, kg(path))
    _citations(sink, item, claim, location, zh)
    for key in ("figures", "tables"):
        for display in _displays(sink, item, key):
            sink.add(claim, BCLM.illustratedBy, display)
    for index, note in enumerate(item.texts("notes", required=False)):
        if not SLUG.match(note):
            item.fail_entry("notes", index, f"'notes': '{note}' is not a note id")
        sink.add(claim, BCLM.curationNote, kg(f"note/{note}"))
    if item.has("check"):
        _check(sink, item.sub("check"), claim, statuses)
    sink.curated_at(claim, item.path, item.line)


def _short(text: str, limit: int = 90) -> str:
    """A label: the rendering, cut at a word boundary."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _citations(sink: Sink, item: Item, claim: URIRef, location: URIRef, zh: str) -> None:
    """The marks printed in ``zh``; ``cites`` must type each of their references once."""
    functions: dict[int, str] = {}
    cites = item.sub("cites") if item.has("cites") else None
    if cites is not None and not isinstance(cites.node, dict):
        item.fail("'cites' must map a CiTO function to reference numbers", "cites")
    for function, numbers in (cites.node.items() if cites else ()):
        if function not in FUNCTIONS:
            cites.fail(f"unknown CiTO function '{function}' (one of "
                       f"{', '.join(sorted(FUNCTIONS))})", function)
        for number in numbers if isinstance(numbers, list) else [numbers]:
            if isinstance(number, bool) or not isinstance(number, int):
                cites.fail(f"'{function}': {number!r} is not a reference number", function)
            if number in functions:
                cites.fail(f"reference {number} is listed under two functions", function)
            functions[number] = function
    try:
        marks = marks_in(zh)
    except ValueError as exc:
        item.fail(f"'zh': {exc}", "zh")
    printed = {n for mark in marks for n in mark.numbers}
    if printed != set(functions):
        missing, extra = sorted(printed - set(functions)), sorted(set(functions) - printed)
        item.fail(f"'cites' must type exactly the references of the marks in 'zh' "
                  f"(untyped: {missing or 'none'}; not printed: {extra or 'none'})",
                  "cites" if cites else "zh")
    for index, mark in enumerate(marks, start=1):
        try:
            emit_mark(sink, URIRef(f"{claim}/citation/{index}"), mark, claim, location,
                      functions, index)
        except ValueError as exc:
            item.fail(f"'zh': {exc}", "zh")


def _displays(sink: Sink, item: Item, key: str) -> list[URIRef]:
    """Figures (with an optional panel letter, "3B") or tables the claim points to."""
    value = item.node.get(key) or []
    found = []
    for index, entry in enumerate(value if isinstance(value, list) else [value]):
        match = DISPLAY.match(str(entry))
        number = int(match["number"]) if match else 0
        if key == "figures":
            valid = 1 <= number <= sink.structure.figures
        else:
            valid = number in sink.structure.table_rows and not match["panel"]
        if not match or not valid:
            item.fail_entry(key, index, f"'{key}': '{entry}' is not a {key[:-1]} of the review")
        path = f"review/jiang-2024/{key[:-1]}-{number}"
        if match["panel"]:
            path += f"/panel-{match['panel'].lower()}"
        found.append(kg(path))
    return found


def _check(sink: Sink, item: Item, claim: URIRef, statuses: set[str]) -> None:
    item.check({"query", "status"})
    try:
        query = named_query(sink, f"checks/{item.text('query')}")
    except ValueError as exc:
        item.fail(str(exc), "query")
    status = item.code("status", statuses, "status")
    check = URIRef(f"{claim}/check")
    sink.add(check, RDF.type, BCLM.ClaimCheck)
    sink.add(claim, BCLM.hasCheck, check)
    sink.add(check, BCLM.checkQuery, query)
    sink.add(check, BCLM.checkStatus, kg(f"check-status/{status}"))
    sink.add(check, RDFS.label, Literal(f"check of claim {claim.rsplit('/', 1)[-1]} against "
                                        "the review's tables", lang="en"))
    sink.curated_at(check, item.path, item.line)


def load_table_marks(sink: Sink) -> None:
    """One citation mark per table row that cites a reference (the ``ref`` column): the row
    cites it as a data source."""
    for table, rel in TABLES.items():
        for row in read_tsv(sink.data_dir / rel, ("row", "ref")):
            ref = row.optional("ref")
            if ref is None or row.optional("source") is not None:  # added after the review
                continue
            if not ref.isdigit():
                row.fail(f"column 'ref': '{ref}' is not a reference number")
            location = sink.table_row(table, int(row.required("row")))
            mark = Mark(f"[{ref}]", (int(ref),))
            try:
                emit_mark(sink, URIRef(f"{location}/citation"), mark, location, location,
                          {int(ref): "citesAsDataSource"}, 1)
            except ValueError as exc:
                row.fail(f"column 'ref': {exc}")
