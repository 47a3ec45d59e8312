"""The review's reference list (``data/references.tsv``) and the review (``data/review.yaml``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from ..errors import SourceError
from ..namespaces import BCLM, BIBO, DOI, FABIO, MESH, SCHEMA, kg
from .sink import REVIEW, Sink
from .sources import Row, line_of, read_tsv, read_yaml, yaml_items

REFERENCE_COUNT = 89
COLUMNS = (
    "number", "type", "authors", "first_author", "title", "title_zh", "authors_zh", "journal",
    "journal_zh", "year", "volume", "issue", "pages", "doi", "url", "note",
)
WORK_TYPES: dict[str, URIRef] = {
    "J": FABIO.JournalArticle,
    "D": FABIO.Thesis,
    "C": FABIO.ConferencePaper,
    "EB/OL": FABIO.WebPage,
}
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
YEAR_PATTERN = re.compile(r"^\d{4}$")
MAX_YEAR = 2024  # the review's own year
_IRI_ILLEGAL = frozenset('<>"{}|\\^` ')  # may not appear in an IRI at all
_DOI_RESERVED = frozenset("%#?")  # would end or alter the path of https://doi.org/{doi}


def load(sink: Sink) -> None:
    """Emit the cited works and the review (with its authors) into ``sink``."""
    works = load_references(sink)
    load_review(sink, works)


# -- references ----------------------------------------------------------------------------


def load_references(sink: Sink) -> list[URIRef]:
    """One ``bclm:CitedWork`` per line of ``references.tsv``; returns them in number order."""
    path = sink.data_dir / "references.tsv"
    rows = read_tsv(path, COLUMNS)
    by_number: dict[int, Row] = {}
    for row in rows:
        number = _number(row)
        if number in by_number:
            row.fail(f"reference number {number} already on line {by_number[number].line}")
        by_number[number] = row
    missing = sorted(set(range(1, REFERENCE_COUNT + 1)) - set(by_number))
    if missing:
        listed = ", ".join(str(n) for n in missing)
        raise SourceError(path, None, f"missing reference number(s): {listed}")
    works = []
    for number in sorted(by_number):
        works.append(_emit_reference(sink, number, by_number[number]))
    return works


def _number(row: Row) -> int:
    text = row.required("number")
    if not text.isdigit():
        row.fail(f"reference number '{text}' is not a positive integer")
    number = int(text)
    if not 1 <= number <= REFERENCE_COUNT:
        row.fail(f"reference number {number} is outside 1..{REFERENCE_COUNT}")
    return number


def _emit_reference(sink: Sink, number: int, row: Row) -> URIRef:
    work = kg(f"reference/{number}")
    code = row.required("type")
    if code not in WORK_TYPES:
        row.fail(f"type '{code}' is not one of {', '.join(WORK_TYPES)}")
    year = _year(row)
    first_author = row.required("first_author")
    sink.add(work, RDF.type, BCLM.CitedWork)
    sink.add(work, RDF.type, WORK_TYPES[code])
    sink.integer(work, BCLM.referenceNumber, number)
    sink.add(work, BCLM.publicationType, Literal(code))
    sink.add(work, BCLM.authorsText, Literal(row.required("authors")))
    sink.add(work, BCLM.firstAuthor, Literal(first_author))
    sink.add(work, DCTERMS.title, Literal(row.required("title"), lang="en"))
    _optional(sink, work, DCTERMS.title, row.optional("title_zh"), "zh")
    _optional(sink, work, BCLM.authorsText, row.optional("authors_zh"), "zh")
    _optional(sink, work, BCLM.journalTitle, row.optional("journal"), "en")
    _optional(sink, work, BCLM.journalTitle, row.optional("journal_zh"), "zh")
    if year is not None:
        sink.integer(work, BCLM.year, year)
    for column, prop in (("volume", BIBO.volume), ("issue", BIBO.issue), ("pages", BIBO.pages)):
        _optional(sink, work, prop, row.optional(column))
    doi = row.optional("doi")
    if doi is not None:
        _check_doi(row.path, row.line, doi)
        sink.add(work, BIBO.doi, Literal(doi))
        sink.add(work, SCHEMA.sameAs, doi_iri(doi))
    url = row.optional("url")
    if url is not None:
        sink.add(work, SCHEMA.url, URIRef(iri_escape(url)))
    _optional(sink, work, SKOS.note, row.optional("note"))
    suffix = f", {year}" if year is not None else ""
    zh_author = _first_zh_author(row.optional("authors_zh"))
    sink.labels(
        work, f"[{number}] {first_author}{suffix}", zh_author and f"[{number}] {zh_author}{suffix}"
    )
    sink.stated_in(work, sink.reference_entry(number))
    sink.curated_at(work, row.path, row.line)
    return work


def _year(row: Row) -> int | None:
    text = row.optional("year")
    if text is None:
        return None
    if not YEAR_PATTERN.match(text) or not 1800 <= int(text) <= MAX_YEAR:
        row.fail(f"year '{text}' is not a four-digit year up to {MAX_YEAR}")
    return int(text)


def _first_zh_author(authors: str | None) -> str | None:
    if not authors:
        return None
    return re.split(r"[,，]", authors)[0].strip()


def _optional(sink: Sink, s: URIRef, p: URIRef, value: str | None, lang: str | None = None) -> None:
    if value is not None:
        sink.add(s, p, Literal(value, lang=lang))


# -- DOIs ----------------------------------------------------------------------------------


def _check_doi(path: Path, line: int | None, doi: str) -> None:
    if not DOI_PATTERN.match(doi):
        raise SourceError(path, line, f"DOI '{doi}' does not match {DOI_PATTERN.pattern}")


def iri_escape(text: str, also: frozenset[str] = frozenset()) -> str:
    """Percent-encode the characters illegal in an IRI (and those in ``also``); keep the rest."""
    return "".join(
        f"%{ord(ch):02X}" if ch in _IRI_ILLEGAL or ch in also or ord(ch) < 0x20 else ch
        for ch in text
    )


def doi_iri(doi: str) -> URIRef:
    """``https://doi.org/{doi}``, the DOI kept as printed apart from IRI escaping."""
    return URIRef(str(DOI) + iri_escape(doi, _DOI_RESERVED))


# -- the review ----------------------------------------------------------------------------


class _Doc:
    """``review.yaml`` with typed, line-aware accessors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root = read_yaml(path)
        if not hasattr(self.root, "get"):
            raise SourceError(path, None, "expected a mapping at the top")

    def fail(self, node: Any, key: str | int | None, message: str) -> NoReturn:
        raise SourceError(self.path, line_of(node, key), message)

    def text(self, node: Any, key: str) -> str:
        value = node.get(key) if hasattr(node, "get") else None
        if value is None or not str(value).strip():
            self.fail(node, key, f"missing '{key}'")
        return str(value).strip()

    def xsd_date(self, key: str) -> Literal:
        value = self.text(self.root, key)
        try:
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError:
            self.fail(self.root, key, f"'{key}' is not a YYYY-MM-DD date")

    def items(self, key: str) -> Iterator[tuple[int | None, Any]]:
        return yaml_items(self.path, self.root, key)


def load_review(sink: Sink, works: list[URIRef]) -> None:
    """The review, its authors, their affiliations and its keywords, from ``review.yaml``."""
    doc = _Doc(sink.data_dir / "review.yaml")
    _review(sink, doc, works)
    _keywords(sink, doc)
    organizations = _organizations(sink, doc)
    _authors(sink, doc, organizations)


def _review(sink: Sink, doc: _Doc, works: list[URIRef]) -> None:
    root, text = doc.root, doc.text
    doi = text(root, "doi")
    _check_doi(doc.path, line_of(root, "doi"), doi)
    year = text(root, "year")
    if not YEAR_PATTERN.match(year):
        doc.fail(root, "year", f"year '{year}' is not a four-digit year")
    title, journal = root.get("title"), root.get("journal")
    authors, abstract = root.get("authors_text"), root.get("abstract")

    sink.add(REVIEW, RDF.type, BCLM.Review)
    sink.add(REVIEW, RDF.type, FABIO.ReviewArticle)
    sink.labels(REVIEW, text(title, "en"), text(title, "zh"))
    for lang in ("en", "zh"):
        sink.add(REVIEW, DCTERMS.title, Literal(text(title, lang), lang=lang))
        sink.add(REVIEW, BCLM.journalTitle, Literal(text(journal, lang), lang=lang))
        sink.add(REVIEW, DCTERMS.abstract, Literal(text(abstract, lang), lang=lang))
    sink.add(REVIEW, BIBO.doi, Literal(doi))
    sink.add(REVIEW, SCHEMA.sameAs, doi_iri(doi))
    for line, printed in doc.items("doi_printed"):
        printed = str(printed).strip()
        if printed.startswith(("http://", "https://")):
            if not printed.endswith("/" + doi):
                raise SourceError(doc.path, line, f"printed DOI '{printed}' differs from 'doi'")
            sink.add(REVIEW, SCHEMA.url, URIRef(iri_escape(printed)))
        elif printed != f"doi:{doi}":
            raise SourceError(doc.path, line, f"printed DOI '{printed}' differs from 'doi'")
    sink.add(REVIEW, BCLM.authorsText, Literal(text(authors, "en")))
    sink.add(REVIEW, BCLM.authorsText, Literal(text(authors, "zh"), lang="zh"))
    sink.add(REVIEW, BCLM.firstAuthor, Literal(text(root, "first_author")))
    sink.add(REVIEW, BCLM.journalAbbreviation, Literal(text(journal, "abbreviation")))
    sink.integer(REVIEW, BCLM.year, int(year))
    sink.add(REVIEW, BIBO.volume, Literal(text(root, "volume")))
    sink.add(REVIEW, BIBO.issue, Literal(text(root, "issue")))
    sink.add(REVIEW, BIBO.pages, Literal(text(root, "pages")))
    sink.add(REVIEW, DCTERMS.dateSubmitted, doc.xsd_date("received"))
    sink.add(REVIEW, BCLM.dateRevised, doc.xsd_date("revised"))
    sink.add(REVIEW, BCLM.clcNumber, Literal(text(root, "clc_number")))
    for work in works:
        sink.add(REVIEW, DCTERMS.references, work)
    sink.curated_at(REVIEW, doc.path, line_of(root, "doi"))


def _keywords(sink: Sink, doc: _Doc) -> None:
    for line, keyword in doc.items("keywords"):
        descriptor = doc.text(keyword, "mesh")
        if not re.fullmatch(r"D\d{6,9}", descriptor):
            raise SourceError(doc.path, line, f"'{descriptor}' is not a MeSH descriptor id")
        en, zh = doc.text(keyword, "en"), doc.text(keyword, "zh")
        sink.add(REVIEW, BCLM.keyword, Literal(en, lang="en"))
        sink.add(REVIEW, BCLM.keyword, Literal(zh, lang="zh"))
        sink.add(REVIEW, DCTERMS.subject, MESH[descriptor])
        sink.labels(MESH[descriptor], en)
        sink.curated_at(MESH[descriptor], doc.path, line)


def _organizations(sink: Sink, doc: _Doc) -> dict[str, URIRef]:
    found: dict[str, URIRef] = {}
    for line, org in doc.items("organizations"):
        slug = doc.text(org, "slug")
        iri = found[slug] = kg(f"organization/{slug}")
        sink.add(iri, RDF.type, BCLM.Organization)
        sink.labels(iri, doc.text(org, "en"), doc.text(org, "zh"))
        for lang in ("en", "zh"):
            sink.add(iri, SCHEMA.name, Literal(doc.text(org, lang), lang=lang))
        sink.curated_at(iri, doc.path, line)
    return found


def _authors(sink: Sink, doc: _Doc, organizations: dict[str, URIRef]) -> None:
    for line, author in doc.items("authors"):
        person = kg(f"person/{doc.text(author, 'slug')}")
        affiliation = doc.text(author, "affiliation")
        if affiliation not in organizations:
            doc.fail(author, "affiliation", f"unknown organization '{affiliation}'")
        sink.add(person, RDF.type, BCLM.Person)
        sink.labels(person, doc.text(author, "en"), doc.text(author, "zh"))
        for lang in ("en", "zh"):
            sink.add(person, SCHEMA.name, Literal(doc.text(author, lang), lang=lang))
        sink.add(person, SCHEMA.affiliation, organizations[affiliation])
        sink.add(REVIEW, DCTERMS.creator, person)
        if author.get("corresponding"):
            sink.add(REVIEW, BCLM.correspondingAuthor, person)
        if author.get("email"):
            sink.add(person, SCHEMA.email, URIRef("mailto:" + doc.text(author, "email")))
        if author.get("biography_zh"):
            bio = doc.text(author, "biography_zh")
            sink.add(person, SCHEMA.description, Literal(bio, lang="zh"))
        sink.curated_at(person, doc.path, line)
