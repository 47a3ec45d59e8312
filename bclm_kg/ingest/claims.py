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

from ..errors import SourceError
from ..namespaces import BCLM, kg
from .citations import FUNCTIONS, Mark, emit_mark, marks_in, named_query
from .curies import parse_mappings
from .narrative import SLUG, Item
from .sink import LocationError, Sink, location_from_text
from .sources import line_of, read_tsv, read_yaml

CLAIMS = Path("narrative/claims.yaml")
TABLES = {1: Path("tables/table1.tsv"), 2: Path("tables/table2.tsv")}
CLAIM_KEYS = {"id", "at", "kind", "zh", "en", "about"}
OPTIONAL_KEYS = {"cites", "figures", "tables", "check", "notes"}
ABOUT = re.compile(r"^[a-z][a-z-]*/[A-Za-z0-9-]+(?:/[a-z]+/[a-z0-9-]+)?$")
DISPLAY = re.compile(r"^(?P<number>\d)(?P<panel>[A-D])?$")
FIGURES, TABLE_NUMBERS = 3, (1, 2)


def load(sink: Sink) -> None:
    """Claim kinds, check statuses, topics, claims and the tables' citation marks."""
    path = sink.data_dir / CLAIMS
    root = Item(path, 1, read_yaml(path)).check({"kinds", "statuses", "topics", "claims"})
    kinds = _vocabulary(sink, root, "kinds", "claim-kind", BCLM.ClaimKind)
    statuses = _vocabulary(sink, root, "statuses", "check-status", BCLM.CheckStatus)
    for item in root.items("topics"):
        _topic(sink, item)
    seen: dict[str, int | None] = {}
    for item in root.items("claims"):
        item.check(CLAIM_KEYS, OPTIONAL_KEYS)
        slug = item.slug("id")
        if slug in seen:
            item.fail(f"duplicate claim id '{slug}' (also line {seen[slug]})", "id")
        seen[slug] = item.line
        _claim(sink, item, kg(f"claim/{slug}"), kinds, statuses)
    load_table_marks(sink)


def _vocabulary(sink: Sink, root: Item, key: str, base: str, cls: URIRef) -> set[str]:
    ids = set()
    for item in root.items(key):
        item.check({"id", "label", "definition"})
        slug = item.slug("id")
        iri = kg(f"{base}/{slug}")
        sink.add(iri, RDF.type, cls)
        sink.labels(iri, *item.lang("label"))
        en, zh = item.lang("definition")
        sink.add(iri, SKOS.definition, Literal(en, lang="en"))
        sink.add(iri, SKOS.definition, Literal(zh, lang="zh"))
        sink.curated_at(iri, item.path, item.line)
        ids.add(slug)
    return ids


def _topic(sink: Sink, item: Item) -> None:
    item.check({"id", "label", "definition"}, {"mappings"})
    iri = kg(f"topic/{item.slug('id')}")
    sink.add(iri, RDF.type, BCLM.Topic)
    sink.labels(iri, *item.lang("label"))
    en, zh = item.lang("definition")
    sink.add(iri, SKOS.definition, Literal(en, lang="en"))
    sink.add(iri, SKOS.definition, Literal(zh, lang="zh"))
    for index, text in enumerate(item.node.get("mappings") or []):
        try:
            pairs = parse_mappings(str(text))
        except ValueError as exc:
            raise SourceError(item.path, line_of(item.node["mappings"], index), str(exc)) from exc
        for predicate, target in pairs:
            sink.add(iri, predicate, target)
    sink.curated_at(iri, item.path, item.line)


def _claim(sink: Sink, item: Item, claim: URIRef, kinds: set[str], statuses: set[str]) -> None:
    kind = item.text("kind")
    if kind not in kinds:
        item.fail(f"unknown kind '{kind}' (one of {', '.join(sorted(kinds))})", "kind")
    try:
        location = location_from_text(sink, item.text("at"))
    except LocationError as exc:
        item.fail(f"unknown location '{exc.text}' in 'at': {exc.problem}", "at")
    if "/paragraph-" not in item.text("at"):
        item.fail("'at' must name a paragraph (section-S/paragraph-P)", "at")
    zh, en = item.text("zh"), item.text("en")
    sink.add(claim, RDF.type, BCLM.ReviewClaim)
    sink.add(claim, BCLM.claimKind, kg(f"claim-kind/{kind}"))
    sink.add(claim, BCLM.printedText, Literal(" ".join(zh.split()), lang="zh"))
    sink.add(claim, BCLM.englishRendering, Literal(" ".join(en.split()), lang="en"))
    sink.add(claim, RDFS.label, Literal(_short(en), lang="en"))
    sink.stated_in(claim, location)
    about = _strings(item, "about")
    if not about:
        item.fail("'about' must name at least one node", "about")
    for path in about:
        if not ABOUT.match(path):
            item.fail(f"'about': '{path}' is not a node path such as intervention/hr", "about")
        sink.add(claim, BCLM.claimAbout, kg(path))
    _citations(sink, item, claim, location, zh)
    for key, predicate in (("figures", BCLM.illustratedBy), ("tables", BCLM.illustratedBy)):
        for display in _displays(item, key):
            sink.add(claim, predicate, display)
    for note in _strings(item, "notes"):
        if not SLUG.match(note):
            item.fail(f"'notes': '{note}' is not a note id", "notes")
        sink.add(claim, BCLM.curationNote, kg(f"note/{note}"))
    if item.has("check"):
        _check(sink, Item(item.path, line_of(item.node, "check"), item.node["check"]), claim,
               statuses)
    sink.curated_at(claim, item.path, item.line)


def _short(text: str, limit: int = 90) -> str:
    """A label: the rendering, cut at a word boundary."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _citations(sink: Sink, item: Item, claim: URIRef, location: URIRef, zh: str) -> None:
    """The marks printed in ``zh``; ``cites`` must type each of their references once."""
    functions: dict[int, str] = {}
    cites = item.node.get("cites") or {}
    if not isinstance(cites, dict):
        item.fail("'cites' must map a CiTO function to reference numbers", "cites")
    sub = Item(item.path, line_of(item.node, "cites"), cites)
    for function, numbers in cites.items():
        if function not in FUNCTIONS:
            sub.fail(f"unknown CiTO function '{function}' (one of "
                     f"{', '.join(sorted(FUNCTIONS))})", function)
        for number in numbers if isinstance(numbers, list) else [numbers]:
            if isinstance(number, bool) or not isinstance(number, int):
                sub.fail(f"'{function}': {number!r} is not a reference number", function)
            if number in functions:
                sub.fail(f"reference {number} is listed under two functions", function)
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


def _displays(item: Item, key: str) -> list[URIRef]:
    found = []
    for text in _strings(item, key):
        match = DISPLAY.match(text)
        number = int(match["number"]) if match else 0
        valid = (1 <= number <= FIGURES) if key == "figures" else number in TABLE_NUMBERS
        if not match or not valid or (key == "tables" and match["panel"]):
            item.fail(f"'{key}': '{text}' is not a {key[:-1]} of the review", key)
        path = f"review/jiang-2024/{key[:-1]}-{number}"
        if match["panel"]:
            path += f"/panel-{match['panel'].lower()}"
        found.append(kg(path))
    return found


def _check(sink: Sink, item: Item, claim: URIRef, statuses: set[str]) -> None:
    item.check({"query", "status"})
    name = item.text("query")
    try:
        query = named_query(sink, f"checks/{name}")
    except ValueError as exc:
        item.fail(str(exc), "query")
    status = item.text("status")
    if status not in statuses:
        item.fail(f"unknown status '{status}' (one of {', '.join(sorted(statuses))})", "status")
    check = URIRef(f"{claim}/check")
    sink.add(check, RDF.type, BCLM.ClaimCheck)
    sink.add(claim, BCLM.hasCheck, check)
    sink.add(check, BCLM.checkQuery, query)
    sink.add(check, BCLM.checkStatus, kg(f"check-status/{status}"))
    sink.add(check, RDFS.label, Literal(f"check of claim {claim.rsplit('/', 1)[-1]} against "
                                        "the review's tables", lang="en"))
    sink.curated_at(check, item.path, item.line)


def _strings(item: Item, key: str) -> list[str]:
    value = item.node.get(key)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    for text in values:
        if not isinstance(text, str | int) or isinstance(text, bool) or not str(text).strip():
            item.fail(f"'{key}' must be a list of names", key)
    return [str(text).strip() for text in values]


def load_table_marks(sink: Sink) -> None:
    """One citation mark per table row that cites a reference (the ``ref`` column): the row
    cites it as a data source."""
    for table, rel in TABLES.items():
        for row in read_tsv(sink.data_dir / rel, ("row", "ref")):
            ref = row.optional("ref")
            if ref is None:
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
