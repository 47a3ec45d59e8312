"""Where loaders put their triples: the asserted graph, plus provenance of each subject."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..namespaces import BASE, BCLM, bind_prefixes, kg

REVIEW = kg("review/jiang-2024")

SECTION_TITLES_EN = {
    "abstract": "Abstract",
    "intro": "Introduction",
    "1": "Section 1, Historical development of surgical treatment of BCLM",
    "2": "Section 2, Current status and progress of surgical treatment of BCLM (international)",
    "3": "Section 3, Current status and progress of surgical treatment of BCLM in China",
    "4": "Section 4, Common surgical approaches for BCLM and their comparison",
    "5": "Section 5, Animal models and basic research",
    "6": "Section 6, Advantages of surgical treatment of BCLM",
    "7": "Section 7, Indications for surgical treatment and choice of approach",
    "8": "Section 8, Summary and outlook",
    "references": "Reference list",
}


@dataclass
class Sink:
    """Collects asserted triples and, separately, where each subject was curated."""

    data_dir: Path
    asserted: Graph = field(default_factory=Graph)
    provenance: Graph = field(default_factory=Graph)
    _locations: set[URIRef] = field(default_factory=set)

    def __post_init__(self) -> None:
        bind_prefixes(self.asserted)
        bind_prefixes(self.provenance)

    # -- triples -----------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o) -> None:
        self.asserted.add((s, p, o))

    def labels(self, s: URIRef, en: str | None, zh: str | None = None) -> None:
        """rdfs:label in English and Chinese (either may be missing)."""
        if en:
            self.add(s, RDFS.label, Literal(en, lang="en"))
        if zh:
            self.add(s, RDFS.label, Literal(zh, lang="zh"))

    def integer(self, s: URIRef, p: URIRef, value: int) -> None:
        self.add(s, p, Literal(int(value), datatype=XSD.integer))

    def decimal(self, s: URIRef, p: URIRef, value: str) -> None:
        """A decimal kept exactly as written (e.g. '54.54'), typed xsd:decimal."""
        self.add(s, p, Literal(value, datatype=XSD.decimal))

    # -- provenance ----------------------------------------------------------------
    def curated_at(self, subject: URIRef, path: Path, line: int | None) -> None:
        """Record, in the provenance graph, the file and line a subject was curated in."""
        rel = path.resolve().relative_to(self.data_dir.resolve().parent).as_posix()
        where = f"{rel}:{line}" if line else rel
        self.provenance.add((subject, BCLM.curatedAt, Literal(where)))
        self.provenance.add((subject, PROV.wasDerivedFrom, URIRef(BASE + "source/" + rel)))

    def stated_in(self, subject: URIRef, location: URIRef) -> None:
        """Say where in the review a subject or fact is stated."""
        self.add(subject, BCLM.statedIn, location)

    # -- locations in the review -----------------------------------------------------
    def table_row(self, table: int, row: int, part: str | None = None) -> URIRef:
        iri = kg(f"review/jiang-2024/table-{table}/row-{row}")
        if iri not in self._locations:
            self._locations.add(iri)
            self.add(iri, RDF.type, BCLM.TableRow)
            self.integer(iri, BCLM.tableNumber, table)
            self.integer(iri, BCLM.rowNumber, row)
            suffix = " (continued)" if part == "continued" else ""
            zh_suffix = "(续)" if suffix else ""
            self.labels(iri, f"Table {table}{suffix}, row {row}", f"表{table}{zh_suffix} 第{row}行")
            self.add(iri, BCLM.inPublication, REVIEW)
        return iri

    def section(self, section: str, paragraph: int | None = None) -> URIRef:
        """A section ('1'..'8', 'abstract', 'intro', 'references'), optionally a paragraph."""
        if section not in SECTION_TITLES_EN:
            raise ValueError(f"unknown section '{section}'")
        path = f"review/jiang-2024/section-{section}"
        if paragraph is not None:
            path += f"/paragraph-{paragraph}"
        iri = kg(path)
        if iri not in self._locations:
            self._locations.add(iri)
            self.add(iri, RDF.type, BCLM.SectionLocation)
            self.add(iri, BCLM.sectionNumber, Literal(section))
            label = SECTION_TITLES_EN[section]
            zh = "参考文献" if section == "references" else f"第{section}节"
            if section in {"abstract", "intro"}:
                zh = {"abstract": "摘要", "intro": "引言"}[section]
            if paragraph is not None:
                self.integer(iri, BCLM.paragraphNumber, paragraph)
                label += f", paragraph {paragraph}"
                zh += f" 第{paragraph}段"
            self.labels(iri, label, zh)
            self.add(iri, BCLM.inPublication, REVIEW)
        return iri

    def figure(self, number: int) -> URIRef:
        iri = kg(f"review/jiang-2024/figure-{number}")
        if iri not in self._locations:
            self._locations.add(iri)
            self.add(iri, RDF.type, BCLM.FigureLocation)
            self.integer(iri, BCLM.figureNumber, number)
            self.labels(iri, f"Figure {number}", f"图{number}")
            self.add(iri, BCLM.inPublication, REVIEW)
        return iri

    def reference_entry(self, number: int) -> URIRef:
        """The location of entry N in the review's reference list."""
        iri = kg(f"review/jiang-2024/reference-list/entry-{number}")
        if iri not in self._locations:
            self._locations.add(iri)
            self.add(iri, RDF.type, BCLM.ReferenceListEntry)
            self.integer(iri, BCLM.entryNumber, number)
            self.labels(iri, f"Reference list, entry [{number}]", f"参考文献 [{number}]")
            self.add(iri, BCLM.inPublication, REVIEW)
        return iri


# The review's structure, for checking curated locations: paragraphs per section (a paragraph
# split by the page layout counts once), rows per table, figures, entries of the reference list.
PARAGRAPHS = {"abstract": 1, "intro": 3, "1": 2, "2": 5, "3": 6, "4": 4, "5": 5, "6": 1, "7": 2,
              "8": 2, "references": 0}
TABLE_ROWS = {1: 30, 2: 24}
FIGURES = 3
REFERENCES = 89
LOCATION = re.compile(
    r"^(?:table-(?P<table>\d+)/row-(?P<row>\d+)"
    r"|section-(?P<section>[a-z0-9]+)(?:/paragraph-(?P<paragraph>\d+))?"
    r"|figure-(?P<figure>\d+)|reference-(?P<reference>\d+))$"
)


class LocationError(ValueError):
    """A curated location that is not a place in the review; ``problem`` says why."""

    def __init__(self, text: str, problem: str) -> None:
        self.text = text
        self.problem = problem
        super().__init__(f"bad location '{text}': {problem}")


def _location_problem(match: re.Match[str] | None) -> str | None:
    """Why a parsed location is not in the review, or None when it is."""
    if not match:
        return "expected table-N/row-M, section-S[/paragraph-P], figure-N or reference-N"
    if match["table"]:
        table, row = int(match["table"]), int(match["row"])
        if table not in TABLE_ROWS:
            return f"the review has no Table {table}"
        if not 1 <= row <= TABLE_ROWS[table]:
            return f"Table {table} has rows 1-{TABLE_ROWS[table]}"
    elif match["section"]:
        section = match["section"]
        if section not in PARAGRAPHS:
            return f"the review has no section '{section}'"
        if match["paragraph"] and not 1 <= int(match["paragraph"]) <= PARAGRAPHS[section]:
            return f"section {section} has paragraphs 1-{PARAGRAPHS[section]}"
    elif match["figure"] and not 1 <= int(match["figure"]) <= FIGURES:
        return f"the review has figures 1-{FIGURES}"
    elif match["reference"] and not 1 <= int(match["reference"]) <= REFERENCES:
        return f"the reference list has entries 1-{REFERENCES}"
    return None


def location_from_text(sink: Sink, text: str) -> URIRef:
    """Parse a curated location such as 'table-1/row-3', 'section-3/paragraph-2',
    'section-5', 'figure-1' or 'reference-13' into its IRI; LocationError when the review has
    no such place."""
    match = LOCATION.match(text.strip())
    if problem := _location_problem(match):
        raise LocationError(text, problem)
    if match["table"]:
        return sink.table_row(int(match["table"]), int(match["row"]))
    if match["section"]:
        paragraph = int(match["paragraph"]) if match["paragraph"] else None
        return sink.section(match["section"], paragraph)
    if match["figure"]:
        return sink.figure(int(match["figure"]))
    return sink.reference_entry(int(match["reference"]))
