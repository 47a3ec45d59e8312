"""Where loaders put their triples, and the helpers every loader emits them with.

The asserted graph gets the facts; the provenance graph the file and line each subject was
curated at. The ``describe``/``located``/``mappings``/``cited``/``lang_text`` helpers turn the
common keys of a curated YAML item into triples; ``location`` turns a curated place in the review
into its node, checked against the review's structure (``structure`` in ``data/review.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..errors import SourceError
from ..namespaces import BASE, BCLM, bind_prefixes, kg
from .curies import parse_mappings
from .review_structure import LocationError, ReviewStructure, read_structure
from .yaml_source import Item

REVIEW = kg("review/jiang-2024")
REVIEW_FILE = Path("review.yaml")


@dataclass
class Sink:
    """Collects asserted triples and, separately, where each subject was curated."""

    data_dir: Path
    asserted: Graph = field(default_factory=Graph)
    provenance: Graph = field(default_factory=Graph)
    _locations: set[URIRef] = field(default_factory=set)
    # where range errors the shapes also check go instead of being raised (None: raised)
    deferred: list[SourceError] | None = None

    def __post_init__(self) -> None:
        bind_prefixes(self.asserted)
        bind_prefixes(self.provenance)

    @cached_property
    def structure(self) -> ReviewStructure:
        """The review's sections, tables, figures and reference list, read once."""
        return read_structure(self.data_dir / REVIEW_FILE)

    def defer(self, error: SourceError) -> None:
        """Raise ``error``, or keep it in ``deferred`` (the value is asserted all the same and
        SHACL reports the node)."""
        if self.deferred is None:
            raise error
        self.deferred.append(error)

    # -- triples -----------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o) -> None:
        self.asserted.add((s, p, o))

    def labels(self, s: URIRef, en: str | None, zh: str | None = None) -> None:
        """rdfs:label in English and Chinese (either may be missing)."""
        self.texts(s, RDFS.label, en, zh)

    def label(self, s: URIRef, lang: str) -> str:
        """The subject's ``rdfs:label`` in one language (its IRI where it has none)."""
        for label in self.asserted.objects(s, RDFS.label):
            if isinstance(label, Literal) and label.language == lang:
                return str(label)
        return str(s)

    def texts(self, s: URIRef, p: URIRef, en: str | None, zh: str | None = None) -> None:
        """An English and a Chinese literal (either may be missing)."""
        if en:
            self.add(s, p, Literal(en, lang="en"))
        if zh:
            self.add(s, p, Literal(zh, lang="zh"))

    def integer(self, s: URIRef, p: URIRef, value: int) -> None:
        self.add(s, p, Literal(int(value), datatype=XSD.integer))

    def decimal(self, s: URIRef, p: URIRef, value: str) -> None:
        """A decimal kept exactly as written (e.g. '54.54'), typed xsd:decimal."""
        self.add(s, p, Literal(value, datatype=XSD.decimal))

    # -- provenance ----------------------------------------------------------------
    def curated_at(self, subject: URIRef, path: Path, line: int | None) -> None:
        """Record, in the provenance graph, the file and line a subject was curated in, named
        ``data/…`` wherever the data folder lives (as the build's provenance names its inputs)."""
        rel = "data/" + path.resolve().relative_to(self.data_dir.resolve()).as_posix()
        where = f"{rel}:{line}" if line else rel
        self.provenance.add((subject, BCLM.curatedAt, Literal(where)))
        self.provenance.add((subject, PROV.wasDerivedFrom, URIRef(BASE + "source/" + rel)))

    def stated_in(self, subject: URIRef, location: URIRef) -> None:
        """Say where in the review a subject or fact is stated."""
        self.add(subject, BCLM.statedIn, location)

    # -- the common keys of a curated item ---------------------------------------------
    def describe(self, item: Item, iri: URIRef, cls: URIRef | None = None) -> None:
        """Type, ``label``, ``comment``, ``mappings`` and ``stated_in`` of a subject, and the
        line it was curated at (each key only where the item has it)."""
        if cls is not None:
            self.add(iri, RDF.type, cls)
        if item.has("label"):
            self.labels(iri, *item.lang("label"))
        self.lang_text(item, "comment", iri, RDFS.comment)
        self.mappings(item, iri)
        self.located(item, iri)

    def located(self, item: Item, iri: URIRef, locations: list[URIRef] | None = None) -> None:
        """``statedIn`` each of ``locations`` (by default the item's ``stated_in``) and the
        item's file and line as where ``iri`` was curated."""
        for location in self.locations(item) if locations is None else locations:
            self.stated_in(iri, location)
        self.curated_at(iri, item.path, item.line)

    def locations(self, item: Item, key: str = "stated_in") -> list[URIRef]:
        """The places in the review listed under ``key`` (one or a list), checked."""
        found: list[URIRef] = []
        for index, text in enumerate(item.texts(key, required=False)):
            try:
                found.append(self.location(text))
            except LocationError as exc:
                item.fail_entry(key, index, f"unknown location '{text}' in '{key}': {exc.problem}")
        return found

    def lang_text(self, item: Item, key: str, iri: URIRef, predicate: URIRef) -> None:
        """An optional ``{en, zh}`` text under ``key`` as two language-tagged literals."""
        if item.has(key):
            self.texts(iri, predicate, *item.lang(key))

    def mappings(self, item: Item, iri: URIRef) -> None:
        """``mappings: [skos:exactMatch NCIT:C123, …]`` (verified cross-references only)."""
        for index, text in enumerate(item.texts("mappings", required=False)):
            try:
                pairs = parse_mappings(text)
            except ValueError as exc:
                item.fail_entry("mappings", index, f"bad mapping '{text}': {exc}")
            for predicate, target in pairs:
                self.add(iri, predicate, target)

    def cited(self, item: Item, iri: URIRef, predicate: URIRef = DCTERMS.source,
              key: str = "reference") -> None:
        """``predicate reference/N`` for each entry of the reference list under ``key`` (a
        number or a list). ``bclm:reportedIn`` is for studies; other subjects use the default
        ``dcterms:source``."""
        value = item.node.get(key)
        for number in [] if value is None else value if isinstance(value, list) else [value]:
            if not self.structure.has_reference(number):
                item.fail(f"'{key}': {number!r} is not an entry of the reference list "
                          f"(1-{self.structure.references})", key)
            self.add(iri, predicate, kg(f"reference/{number}"))

    # -- places in the review ----------------------------------------------------------
    def location(self, text: str) -> URIRef:
        """A curated location such as 'table-1/row-3', 'section-3/paragraph-2', 'section-5',
        'figure-1' or 'reference-13' as its node; LocationError when the review has no such
        place."""
        match = self.structure.parse(text)
        if match["table"]:
            return self.table_row(int(match["table"]), int(match["row"]))
        if match["section"]:
            paragraph = int(match["paragraph"]) if match["paragraph"] else None
            return self.section(match["section"], paragraph)
        if match["figure"]:
            return self.figure(int(match["figure"]))
        return self.reference_entry(int(match["reference"]))

    def _new_location(self, iri: URIRef, cls: URIRef, en: str, zh: str) -> bool:
        """Describe a location node the first time it is used; False when it was already."""
        if iri in self._locations:
            return False
        self._locations.add(iri)
        self.add(iri, RDF.type, cls)
        self.labels(iri, en, zh)
        self.add(iri, BCLM.inPublication, REVIEW)
        return True

    def table_row(self, table: int, row: int, part: str | None = None) -> URIRef:
        iri = kg(f"review/jiang-2024/table-{table}/row-{row}")
        suffix, zh_suffix = (" (continued)", "(续)") if part == "continued" else ("", "")
        if self._new_location(iri, BCLM.TableRow, f"Table {table}{suffix}, row {row}",
                              f"表{table}{zh_suffix} 第{row}行"):
            self.integer(iri, BCLM.tableNumber, table)
            self.integer(iri, BCLM.rowNumber, row)
        return iri

    def section(self, section: str, paragraph: int | None = None) -> URIRef:
        """A section of the review (as named in its structure), optionally a paragraph."""
        known = self.structure.sections[section]
        path = f"review/jiang-2024/section-{section}"
        en, zh = known.label_en, known.label_zh
        if paragraph is not None:
            path += f"/paragraph-{paragraph}"
            en, zh = f"{en}, paragraph {paragraph}", f"{zh} 第{paragraph}段"
        iri = kg(path)
        if self._new_location(iri, BCLM.SectionLocation, en, zh):
            self.add(iri, BCLM.sectionNumber, Literal(section))
            if paragraph is not None:
                self.integer(iri, BCLM.paragraphNumber, paragraph)
        return iri

    def figure(self, number: int) -> URIRef:
        iri = kg(f"review/jiang-2024/figure-{number}")
        if self._new_location(iri, BCLM.FigureLocation, f"Figure {number}", f"图{number}"):
            self.integer(iri, BCLM.figureNumber, number)
        return iri

    def reference_entry(self, number: int) -> URIRef:
        """The location of entry N in the review's reference list."""
        iri = kg(f"review/jiang-2024/reference-list/entry-{number}")
        if self._new_location(iri, BCLM.ReferenceListEntry, f"Reference list, entry [{number}]",
                              f"参考文献 [{number}]"):
            self.integer(iri, BCLM.entryNumber, number)
        return iri
