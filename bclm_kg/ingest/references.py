"""The review's reference list (``data/references.tsv``) and the review (``data/review.yaml``)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from ..errors import SourceError
from ..namespaces import BCLM, BIBO, DOI, FABIO, MESH, SCHEMA, kg
from .sink import REVIEW, REVIEW_FILE, Sink
from .tsv_source import Row, read_tsv
from .yaml_source import Item, line_of

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
        number = _number(row, sink.structure.references)
        if number in by_number:
            row.fail(f"reference number {number} already on line {by_number[number].line}")
        by_number[number] = row
    missing = sorted(set(range(1, sink.structure.references + 1)) - set(by_number))
    if missing:
        listed = ", ".join(str(n) for n in missing)
        raise SourceError(path, None, f"missing reference number(s): {listed}")
    works = []
    for number in sorted(by_number):
        works.append(_emit_reference(sink, number, by_number[number]))
    return works


def _number(row: Row, entries: int) -> int:
    text = row.required("number")
    if not text.isdigit():
        row.fail(f"reference number '{text}' is not a positive integer")
    number = int(text)
    if not 1 <= number <= entries:
        row.fail(f"reference number {number} is outside 1..{entries}")
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


REVIEW_KEYS = {
    "doi", "doi_printed", "title", "authors_text", "first_author", "journal", "year", "volume",
    "issue", "pages", "received", "revised", "clc_number", "keywords", "organizations",
    "authors", "abstract", "structure",
}


def load_review(sink: Sink, works: list[URIRef]) -> None:
    """The review, its authors, their affiliations and its keywords, from ``review.yaml``
    (its ``structure`` is read by the sink, to check locations)."""
    doc = Item.read(sink.data_dir / REVIEW_FILE, REVIEW_KEYS)
    _review(sink, doc, works)
    _keywords(sink, doc)
    _authors(sink, doc, _organizations(sink, doc))


def _date(doc: Item, key: str) -> Literal:
    value = doc.text(key)
    try:
        return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
    except ValueError:
        doc.fail(f"'{key}' is not a YYYY-MM-DD date", key)


def _review(sink: Sink, doc: Item, works: list[URIRef]) -> None:
    doi = doc.text("doi")
    _check_doi(doc.path, line_of(doc.node, "doi"), doi)
    year = doc.integer("year")
    if not YEAR_PATTERN.match(str(year)):
        doc.fail(f"year '{year}' is not a four-digit year", "year")
    title = doc.sub("title").check({"en", "zh"})
    journal = doc.sub("journal").check({"en", "zh", "abbreviation"})
    abstract = doc.sub("abstract").check({"en", "zh"})
    authors = doc.sub("authors_text").check({"en", "zh"})

    sink.add(REVIEW, RDF.type, BCLM.Review)
    sink.add(REVIEW, RDF.type, FABIO.ReviewArticle)
    sink.labels(REVIEW, title.text("en"), title.text("zh"))
    for lang in ("en", "zh"):
        sink.add(REVIEW, DCTERMS.title, Literal(title.text(lang), lang=lang))
        sink.add(REVIEW, BCLM.journalTitle, Literal(journal.text(lang), lang=lang))
        sink.add(REVIEW, DCTERMS.abstract, Literal(abstract.text(lang), lang=lang))
    sink.add(REVIEW, BIBO.doi, Literal(doi))
    sink.add(REVIEW, SCHEMA.sameAs, doi_iri(doi))
    for index, printed in enumerate(doc.texts("doi_printed")):
        if printed.startswith(("http://", "https://")):
            if not printed.endswith("/" + doi):
                doc.fail_entry("doi_printed", index, f"printed DOI '{printed}' differs from 'doi'")
            sink.add(REVIEW, SCHEMA.url, URIRef(iri_escape(printed)))
        elif printed != f"doi:{doi}":
            doc.fail_entry("doi_printed", index, f"printed DOI '{printed}' differs from 'doi'")
    sink.add(REVIEW, BCLM.authorsText, Literal(authors.text("en")))
    sink.add(REVIEW, BCLM.authorsText, Literal(authors.text("zh"), lang="zh"))
    sink.add(REVIEW, BCLM.firstAuthor, Literal(doc.text("first_author")))
    sink.add(REVIEW, BCLM.journalAbbreviation, Literal(journal.text("abbreviation")))
    sink.integer(REVIEW, BCLM.year, year)
    for key, prop in (("volume", BIBO.volume), ("issue", BIBO.issue), ("pages", BIBO.pages)):
        sink.add(REVIEW, prop, Literal(doc.text(key)))
    sink.add(REVIEW, DCTERMS.dateSubmitted, _date(doc, "received"))
    sink.add(REVIEW, BCLM.dateRevised, _date(doc, "revised"))
    sink.add(REVIEW, BCLM.clcNumber, Literal(doc.text("clc_number")))
    for work in works:
        sink.add(REVIEW, DCTERMS.references, work)
    sink.curated_at(REVIEW, doc.path, line_of(doc.node, "doi"))


def _keywords(sink: Sink, doc: Item) -> None:
    for keyword in doc.items("keywords", required=True):
        keyword.check({"en", "zh", "mesh"})
        descriptor = keyword.text("mesh")
        if not re.fullmatch(r"D\d{6,9}", descriptor):
            keyword.fail(f"'{descriptor}' is not a MeSH descriptor id", "mesh")
        en, zh = keyword.text("en"), keyword.text("zh")
        sink.texts(REVIEW, BCLM.keyword, en, zh)
        sink.add(REVIEW, DCTERMS.subject, MESH[descriptor])
        sink.labels(MESH[descriptor], en)
        sink.curated_at(MESH[descriptor], keyword.path, keyword.line)


def _organizations(sink: Sink, doc: Item) -> dict[str, URIRef]:
    found: dict[str, URIRef] = {}
    for org in doc.items("organizations", required=True):
        org.check({"slug", "en", "zh"})
        iri = found[org.slug("slug")] = kg(f"organization/{org.text('slug')}")
        sink.add(iri, RDF.type, BCLM.Organization)
        sink.labels(iri, org.text("en"), org.text("zh"))
        sink.texts(iri, SCHEMA.name, org.text("en"), org.text("zh"))
        sink.curated_at(iri, org.path, org.line)
    return found


def _authors(sink: Sink, doc: Item, organizations: dict[str, URIRef]) -> None:
    for author in doc.items("authors", required=True):
        author.check({"slug", "en", "zh", "affiliation"},
                     {"corresponding", "email", "biography_zh"})
        person = kg(f"person/{author.slug('slug')}")
        affiliation = author.code("affiliation", organizations, "organization")
        sink.add(person, RDF.type, BCLM.Person)
        sink.labels(person, author.text("en"), author.text("zh"))
        sink.texts(person, SCHEMA.name, author.text("en"), author.text("zh"))
        sink.add(person, SCHEMA.affiliation, organizations[affiliation])
        sink.add(REVIEW, DCTERMS.creator, person)
        if author.flag("corresponding"):
            sink.add(REVIEW, BCLM.correspondingAuthor, person)
        if author.has("email"):
            sink.add(person, SCHEMA.email, URIRef("mailto:" + author.text("email")))
        if author.has("biography_zh"):
            sink.texts(person, SCHEMA.description, None, author.text("biography_zh"))
        sink.curated_at(person, author.path, author.line)
