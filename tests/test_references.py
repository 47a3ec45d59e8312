"""The reference list and the review node, from the real data and from broken copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from bclm_kg.errors import SourceError
from bclm_kg.ingest import references
from bclm_kg.ingest.sink import REVIEW, Sink
from bclm_kg.namespaces import BCLM, BIBO, FABIO, MESH, SCHEMA, kg

DATA = Path(__file__).parents[1] / "data"
DOI_COUNT = 76  # every entry but 4, 8, 15, 18, 19, 20, 22, 47, 48, 60, 63, 66, 67


@pytest.fixture(scope="module")
def sink() -> Sink:
    built = Sink(DATA)
    references.load(built)
    return built


def one(sink: Sink, subject: URIRef, prop: URIRef, lang: str | None = None):
    values = [
        o for o in sink.asserted.objects(subject, prop)
        if lang is None or getattr(o, "language", None) == lang
    ]
    assert len(values) == 1, (subject, prop, values)
    return values[0]


def test_exactly_89_cited_works(sink: Sink) -> None:
    works = set(sink.asserted.subjects(RDF.type, BCLM.CitedWork))
    assert works == {kg(f"reference/{n}") for n in range(1, 90)}
    assert set(sink.asserted.objects(REVIEW, DCTERMS.references)) == works


def test_reference_37(sink: Sink) -> None:
    ref = kg("reference/37")
    assert one(sink, ref, BCLM.firstAuthor) == Literal("Ruiz A")
    assert one(sink, ref, BCLM.authorsText) == Literal("Ruiz A, Wicherts DA, Sebah M, et al.")
    assert one(sink, ref, BCLM.journalTitle) == Literal("Ann Surg Oncol", lang="en")
    assert one(sink, ref, BCLM.year) == Literal(2017, datatype=XSD.integer)
    assert one(sink, ref, BIBO.volume) == Literal("24")
    assert one(sink, ref, BIBO.issue) == Literal("2")
    assert one(sink, ref, BIBO.pages) == Literal("535-545")
    assert one(sink, ref, BIBO.doi) == Literal("10.1245/s10434-016-5522-7")
    assert one(sink, ref, SCHEMA.sameAs) == URIRef("https://doi.org/10.1245/s10434-016-5522-7")
    assert one(sink, ref, RDFS.label) == Literal("[37] Ruiz A, 2017", lang="en")
    assert (ref, RDF.type, FABIO.JournalArticle) in sink.asserted
    assert one(sink, ref, BCLM.statedIn) == kg("review/jiang-2024/reference-list/entry-37")


def test_printed_spellings_and_odd_dois_are_kept(sink: Sink) -> None:
    assert one(sink, kg("reference/13"), BCLM.firstAuthor) == Literal("Vertriest C")
    assert one(sink, kg("reference/24"), BCLM.firstAuthor) == Literal("Akhlaghpour S")
    assert "Sebahg M" in one(sink, kg("reference/41"), BCLM.authorsText)
    assert one(sink, kg("reference/12"), BIBO.doi) == Literal("10.1097/0000658-198807000-00004")
    assert one(sink, kg("reference/27"), BIBO.doi) == Literal("10.4149/neo_2014_074")
    assert one(sink, kg("reference/3"), BIBO.issue) == Literal("9_Supplement")
    assert one(sink, kg("reference/88"), SCHEMA.sameAs) == URIRef(
        "https://doi.org/10.1016/S0140-6736(23)00725-0"
    )


def test_reference_4_is_a_web_page_without_doi(sink: Sink) -> None:
    ref = kg("reference/4")
    assert (ref, RDF.type, FABIO.WebPage) in sink.asserted
    assert not list(sink.asserted.objects(ref, BIBO.doi))
    assert not list(sink.asserted.objects(ref, BCLM.year))
    assert one(sink, ref, SCHEMA.url) == URIRef(
        "https://www.nccn.org/guidelines/guidelines-detail?category=1&id=1419"
    )
    assert one(sink, ref, BCLM.publicationType) == Literal("EB/OL")


def test_chinese_references(sink: Sink) -> None:
    ref = kg("reference/53")
    assert one(sink, ref, DCTERMS.title, "zh") == Literal(
        "超声介导热消融治疗乳腺癌肝转移瘤的应用价值分析", lang="zh"
    )
    assert one(sink, ref, BCLM.firstAuthor) == Literal("Cheng W")
    assert (ref, RDF.type, FABIO.ConferencePaper) in sink.asserted
    assert one(sink, ref, BIBO.doi) == Literal("10.26914/c.cnkihy.2019.021556")
    thesis = kg("reference/55")
    assert (thesis, RDF.type, FABIO.Thesis) in sink.asserted
    assert one(sink, thesis, RDFS.label, "zh") == Literal("[55] 王淋, 2021", lang="zh")
    assert one(sink, kg("reference/47"), BCLM.journalTitle, "zh") == Literal(
        "现代临床普通外科", lang="zh"
    )


def test_doi_count(sink: Sink) -> None:
    with_doi = {s for s in sink.asserted.subjects(BIBO.doi, None) if s != REVIEW}
    assert len(with_doi) == DOI_COUNT
    assert len(set(sink.asserted.subjects(SCHEMA.sameAs, None))) == DOI_COUNT + 1


def test_review(sink: Sink) -> None:
    assert (REVIEW, RDF.type, BCLM.Review) in sink.asserted
    assert (REVIEW, RDF.type, FABIO.ReviewArticle) in sink.asserted
    assert one(sink, REVIEW, BIBO.doi) == Literal("10.7659/j.issn.1005-6947.2024.05.002")
    assert one(sink, REVIEW, BIBO.pages) == Literal("683-696")
    assert one(sink, REVIEW, DCTERMS.dateSubmitted) == Literal("2024-03-15", datatype=XSD.date)
    assert one(sink, REVIEW, BCLM.dateRevised) == Literal("2024-05-20", datatype=XSD.date)
    assert set(sink.asserted.objects(REVIEW, DCTERMS.subject)) == {
        MESH[d] for d in ("D001943", "D009362", "D008099", "D013514")
    }
    abstract = str(one(sink, REVIEW, DCTERMS.abstract, "en"))
    assert "with liver metastasis being a major cause" in abstract
    assert abstract.endswith("prognosis for BCLM patients.")
    li = kg("person/li-hengyu")
    assert set(sink.asserted.objects(REVIEW, DCTERMS.creator)) == {
        kg("person/jiang-qingliang"), li
    }
    assert one(sink, li, SCHEMA.email) == URIRef("mailto:drlhy@foxmail.com")
    assert one(sink, li, SCHEMA.name, "zh") == Literal("李恒宇", lang="zh")
    org = one(sink, li, SCHEMA.affiliation)
    assert (org, RDF.type, BCLM.Organization) in sink.asserted


def test_every_subject_is_labelled_and_curated(sink: Sink) -> None:
    curated = set(sink.provenance.subjects(BCLM.curatedAt, None))
    for kind in (BCLM.CitedWork, BCLM.Review, BCLM.Person, BCLM.Organization):
        for subject in sink.asserted.subjects(RDF.type, kind):
            assert subject in curated, subject
            assert list(sink.asserted.objects(subject, RDFS.label)), subject
    assert Literal("data/references.tsv:14") in set(
        sink.provenance.objects(kg("reference/13"), BCLM.curatedAt)
    )


# -- broken input ------------------------------------------------------------------------------


def broken_copy(tmp_path: Path, edit) -> tuple[Sink, Path, int]:
    """Copy the data files, change one line of references.tsv; return the sink, file, line."""
    for name in ("references.tsv", "review.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    path = tmp_path / "references.tsv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = edit(lines)
    path.write_text("".join(lines), encoding="utf-8")
    return Sink(tmp_path), path, line


def cells(lines: list[str], number: int) -> tuple[int, list[str]]:
    index = next(i for i, t in enumerate(lines) if t.split("\t")[0] == str(number))
    return index, lines[index].rstrip("\n").split("\t")


def assert_error_at(sink: Sink, path: Path, line: int, words: str) -> None:
    with pytest.raises(SourceError) as info:
        references.load(sink)
    assert info.value.path == str(path)
    assert info.value.line == line
    assert words in info.value.message
    assert f"references.tsv:{line}" in str(info.value)


def test_missing_cell(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> int:
        i, row = cells(lines, 20)
        lines[i] = "\t".join(row[:-1]) + "\n"
        return i + 1

    sink, path, line = broken_copy(tmp_path, edit)
    assert_error_at(sink, path, line, "tab-separated cells")


def test_duplicate_number(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> int:
        i, row = cells(lines, 31)
        lines[i] = "\t".join(["30", *row[1:]]) + "\n"
        return i + 1

    sink, path, line = broken_copy(tmp_path, edit)
    assert_error_at(sink, path, line, "already on line")


def test_malformed_doi(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> int:
        i, row = cells(lines, 37)
        row[13] = "doi:10.1245/s10434-016-5522-7"
        lines[i] = "\t".join(row) + "\n"
        return i + 1

    sink, path, line = broken_copy(tmp_path, edit)
    assert_error_at(sink, path, line, "DOI")


@pytest.mark.parametrize("value", ["20I7", "17", "2031"])
def test_bad_year(tmp_path: Path, value: str) -> None:
    def edit(lines: list[str]) -> int:
        i, row = cells(lines, 37)
        row[9] = value
        lines[i] = "\t".join(row) + "\n"
        return i + 1

    sink, path, line = broken_copy(tmp_path, edit)
    assert_error_at(sink, path, line, "year")


def test_non_integer_number(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> int:
        i, row = cells(lines, 5)
        lines[i] = "\t".join(["5a", *row[1:]]) + "\n"
        return i + 1

    sink, path, line = broken_copy(tmp_path, edit)
    assert_error_at(sink, path, line, "not a positive integer")


def test_missing_number(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> int:
        i, _ = cells(lines, 89)
        del lines[i]
        return 0

    sink, path, _ = broken_copy(tmp_path, edit)
    with pytest.raises(SourceError, match="missing reference number") as info:
        references.load(sink)
    assert info.value.path == str(path)
    assert "89" in info.value.message
