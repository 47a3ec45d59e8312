"""The review's claims: citation marks counted in the source and in the graph, every claim's
location, kind, entities and English rendering, the checks against the tables, the figures and
tables, and the shapes that reject broken claims and checks.

A citation mark is one bracketed superscript as printed: ``[13]``, ``[6-7]`` and
``[29-30, 34-35]`` are one mark each. Counted by hand in the review: 57 marks in the running text
(none in the abstract) and 46 in the tables (one per row of a published study: 24 in Table 1, 22
in Table 2), 103 in all.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from bclm_kg.checks import CheckResult, checks_of, record, run_query
from bclm_kg.errors import SourceError
from bclm_kg.ingest import claims
from bclm_kg.ingest.citations import marks_in
from bclm_kg.ingest.sink import Sink
from bclm_kg.namespaces import BCLM, CITO, kg
from bclm_kg.pipeline import ingest
from bclm_kg.queries import load_query
from bclm_kg.query.store import StoreSpec
from bclm_kg.release import Release
from bclm_kg.shapes import validate_file
from tests.shared import require

ROOT = Path(__file__).resolve().parents[1]
SEED = "seed/000_7fcc391fc4412388.txt"
FIXTURES = ROOT / "tests" / "fixtures"
SUP = re.compile(r"<sup>(\[[^\]]+\])</sup>")

# Claims the tables support only in part, with the number that makes the difference.
PARTLY = {
    "us-verriest-outcomes": "3-year OS: text 78%, Table 1 row 8 83%",
    "us-verriest-stage": "22 of 27 patients is 81.5%",
    "hr-survival-above-rfa": "head-to-head studies favouring RFA: 2 (Liu 2015, Xu 2017)",
    "hr-top-factors": "long disease-free interval before liver metastasis (4)",
    "hr-factors-two-studies": "5 of the 9 factors",
    "sirt-median-os-range": "Table 1 gives 6.1-13.6 months",
}


@pytest.fixture(scope="module")
def source() -> str:
    text = require(SEED).read_text(encoding="utf-8")
    return text[:text.index("### 参考文献")]  # the reference list prints no marks


@pytest.fixture(scope="module")
def graph(data_dir: Path) -> Graph:
    return ingest(data_dir).asserted


def normalise(text: str) -> str:
    """Printed text without layout: no markup, LaTeX or whitespace; full-width punctuation as
    ASCII (the review mixes both)."""
    for old, new in (("<sup>", ""), ("</sup>", ""), ("<sub>", ""), ("</sub>", ""), ("$", ""),
                     ("\\%", "%"), ("\\sim", "~"), ("\\chi^2", "χ²")):
        text = text.replace(old, new)
    text = text.translate(str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")"}))
    return re.sub(r"\s+", "", text)


def source_marks(source: str) -> list[tuple[str, bool]]:
    """(mark, in a table row) for every superscript mark of the review's text."""
    found = []
    for line in source.splitlines():
        in_table = "\t" in line
        found.extend((re.sub(r"\s+", "", mark), in_table) for mark in SUP.findall(line))
    return found


# -- the count ------------------------------------------------------------------------------------


def test_source_has_103_citation_marks(source: str) -> None:
    marks = source_marks(source)
    assert len(marks) == 103
    assert sum(in_table for _, in_table in marks) == 46
    assert sum(not in_table for _, in_table in marks) == 57
    counts = Counter(mark for mark, _ in marks)
    # ranges and lists are one mark each; [54] is printed three times, [13] three times
    for mark in ("[6-7]", "[18-19]", "[20-22]", "[29-30,34-35]", "[39,42]", "[37,63,68]"):
        assert counts[mark] == 1, mark
    assert counts["[54]"] == 3 and counts["[13]"] == 3 and counts["[8]"] == 2


def test_graph_has_every_mark_of_the_source(source: str, graph: Graph) -> None:
    in_graph = Counter(re.sub(r"\s+", "", str(graph.value(mark, BCLM.printedMark)))
                       for mark in graph.subjects(RDF.type, BCLM.CitationMark))
    assert sum(in_graph.values()) == 103
    assert in_graph == Counter(mark for mark, _ in source_marks(source))


def test_every_mark_is_attached_to_a_claim_or_table_row(graph: Graph) -> None:
    marks = list(graph.subjects(RDF.type, BCLM.CitationMark))
    citing = [next(iter(graph.objects(m, CITO.hasCitingEntity))) for m in marks]
    assert all(len(list(graph.objects(m, CITO.hasCitingEntity))) == 1 for m in marks)
    kinds = Counter(
        "claim" if (c, RDF.type, BCLM.ReviewClaim) in graph else
        "row" if (c, RDF.type, BCLM.TableRow) in graph else "other" for c in citing)
    assert kinds == {"claim": 57, "row": 46}
    cited = {w for m in marks for w in graph.objects(m, CITO.hasCitedEntity)}
    assert cited == {kg(f"reference/{n}") for n in range(1, 90)}  # every reference is cited
    sirt = kg("claim/sirt-median-os-range/citation/1")
    assert set(graph.objects(sirt, CITO.hasCitedEntity)) == {
        kg(f"reference/{n}") for n in (29, 30, 34, 35)}
    assert (kg("claim/sirt-median-os-range"), CITO.citesAsDataSource,
            kg("reference/35")) in graph
    row = URIRef(f"{kg('review/jiang-2024/table-2/row-11')}/citation")
    assert graph.value(row, CITO.hasCitedEntity) == kg("reference/54")


def test_mark_parser_counts_ranges_and_lists_once() -> None:
    marks = marks_in("中位OS仅为6.6~13.6个月[29-30, 34-35],最低仅为8个月[25]")
    assert [m.printed for m in marks] == ["[29-30, 34-35]", "[25]"]
    assert marks[0].numbers == (29, 30, 34, 35)


# -- every claim ----------------------------------------------------------------------------------


def test_every_claim_has_location_kind_entity_and_english(graph: Graph) -> None:
    found = list(graph.subjects(RDF.type, BCLM.ReviewClaim))
    assert len(found) == 120
    for claim in found:
        location = graph.value(claim, BCLM.statedIn)
        assert (location, RDF.type, BCLM.SectionLocation) in graph, claim
        assert graph.value(location, BCLM.paragraphNumber) is not None, claim
        assert graph.value(claim, BCLM.claimKind) is not None, claim
        assert list(graph.objects(claim, BCLM.claimAbout)), claim
        english = graph.value(claim, BCLM.englishRendering)
        assert isinstance(english, Literal) and english.language == "en", claim
    kinds = Counter(str(graph.value(c, BCLM.claimKind)).rsplit("/", 1)[-1] for c in found)
    assert set(kinds) == {"background", "finding", "comparison", "recommendation", "outlook"}
    about = set(graph.objects(kg("claim/china-fudan-cra-trial"), BCLM.claimAbout))
    assert {kg("trial/NCT05303038"), kg("drug/tislelizumab"), kg("intervention/cra")} <= about


def test_claim_texts_are_printed_in_the_review(source: str, graph: Graph) -> None:
    printed = normalise(source)
    missing = [str(c) for c in graph.subjects(RDF.type, BCLM.ReviewClaim)
               if normalise(str(graph.value(c, BCLM.printedText))) not in printed]
    assert missing == []


def test_curation_notes_name_existing_claims(graph: Graph) -> None:
    prefix = str(kg("claim/"))
    named = {s for s, _p, _o in graph.triples((None, BCLM.curationNote, None))
             if str(s).startswith(prefix) and "/" not in str(s)[len(prefix):]}
    assert named and named <= set(graph.subjects(RDF.type, BCLM.ReviewClaim))


# -- checks against the tables --------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(release_dir: Path):
    return StoreSpec(Release(release_dir).dataset).open()


def test_every_check_matches_its_query_on_the_release(store, graph: Graph) -> None:
    checks = checks_of(graph)
    assert len(checks) == 24
    statuses = {}
    for check, name, recorded in checks:
        status, finding = run_query(store.query, name)
        assert status == recorded, (check, finding)
        recorded_finding = [row["f"].value for row in store.query(
            f"SELECT ?f WHERE {{ <{check}> bclm:checkFinding ?f }}")]
        assert recorded_finding == [finding], check
        statuses[check.rsplit("/", 2)[-2]] = (status, finding)
    partly = {claim for claim, (status, _) in statuses.items() if status != "supported"}
    assert partly == set(PARTLY)
    for claim, words in PARTLY.items():
        assert words in statuses[claim][1], statuses[claim]
    assert "Gordon 6.6, Saxena 13.6, Fendler 8.7, Pieper 6.1" in statuses["sirt-median-os-range"][1]


def test_release_records_each_finding(store) -> None:
    rows = list(store.query(load_query("web/examples/21-claims-not-supported")))
    assert {str(r["claim"].value).rsplit("/", 1)[-1] for r in rows} == set(PARTLY)
    for row in rows:
        assert PARTLY[str(row["claim"].value).rsplit("/", 1)[-1]] in row["finding"].value


def test_sirt_claims_with_references_and_checks(store) -> None:
    rows = {str(r["claim"].value).rsplit("/", 1)[-1]: r
            for r in store.query(load_query("web/examples/22-claims-about-sirt"))}
    sirt = rows["sirt-median-os-range"]
    assert set(sirt["cites"].value.split("; ")) == {
        f"[{n}] citesAsDataSource" for n in (29, 30, 34, 35)}
    assert sirt["status"].value == "partly supported by the tables"
    assert "6.1-13.6" in sirt["finding"].value
    assert rows["sirt-tace-less-effective"]["cites"].value == "[76] citesAsEvidence"
    assert rows["sirt-tace-less-effective"]["status"].value == "supported by the tables"
    assert "china-cai-liang-sirt-mwa" in rows and rows["china-cai-liang-sirt-mwa"]["status"] is None


def test_a_check_that_no_longer_holds_fails_the_build() -> None:
    provenance = Graph()
    check = kg("claim/sirt-median-os-range/check")
    provenance.add((check, BCLM.curatedAt, Literal("data/narrative/claims.yaml:712")))
    wrong = CheckResult(check, "checks/sirt-median-os-range", "supported", "partly-supported",
                        "Table 1 gives 6.1-13.6 months")
    with pytest.raises(SourceError) as error:
        record([wrong], provenance, kg("release/1.0.0/build"))
    assert str(error.value).startswith("data/narrative/claims.yaml:712: claim check "
                                       "sirt-median-os-range: recorded status 'supported'")


# -- figures and tables ---------------------------------------------------------------------------


def test_figures_and_tables_are_entities(graph: Graph) -> None:
    figure = kg("review/jiang-2024/figure-3")
    panels = set(graph.objects(figure, BCLM.hasPanel))
    assert len(panels) == 4
    panel_b = URIRef(f"{figure}/panel-b")
    assert kg("named-query/checks/hr-vs-rfa-survival") in set(
        graph.objects(panel_b, BCLM.contentQuery))
    assert (kg("claim/hr-survival-above-rfa"), BCLM.illustratedBy, panel_b) in graph
    table = kg("review/jiang-2024/table-1")
    assert len(set(graph.objects(table, BCLM.hasRow))) == 30
    titles = {t.language: str(t) for t in graph.objects(table, URIRef(
        "http://purl.org/dc/terms/title"))}
    assert titles["zh"] == "表1 2014—2024年国际BCLM外科治疗研究概览"


def test_table_note_abbreviations_are_a_glossary(graph: Graph) -> None:
    st = kg("intervention/st")
    assert (st, SKOS.altLabel, Literal("ST")) in graph
    assert (st, SKOS.prefLabel, Literal("Systemic therapy", lang="en")) in graph
    assert (kg("endpoint/disease-free-survival"), SKOS.altLabel, Literal("DFS")) in graph
    glossary = URIRef(f"{kg('review/jiang-2024/table-1')}/glossary")
    members = set(graph.objects(glossary, SKOS.member))
    assert members == {kg("topic/ecog"), st, kg("intervention/ctx"),
                       kg("topic/extrahepatic-disease")}


def test_non_standard_drug_name_flags_its_mapping(graph: Graph) -> None:
    drug = kg("drug/tislelizumab")
    assert graph.value(drug, BCLM.mappingCaveat) == kg("note/tislelizumab-chinese-name")
    assert (drug, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/NCIT_C121775")) in graph


# -- bad input ------------------------------------------------------------------------------------


@pytest.fixture()
def copy(tmp_path: Path, data_dir: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    return target


def break_claims(data: Path, old: str, new: str) -> int:
    path = data / "narrative" / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize(("old", "new", "words"), [
    ("cites: {citesAsEvidence: [6, 7]}", "cites: {citesAsEvidence: [6]}",
     "'cites' must type exactly the references of the marks in 'zh' (untyped: [7]"),
    ("kind: outlook\n    zh: 随着多学科", "kind: forecast\n    zh: 随着多学科",
     "unknown kind 'forecast'"),
    ("check: {query: sirt-median-os-range,", "check: {query: sirt-range,",
     "no named query 'checks/sirt-range'"),
    ("at: section-8/paragraph-2", "at: section-8/paragraph-9",
     "section 8 has paragraphs 1-2"),
    ("cites: {citesAsAuthority: [4]}", "cites: {citesAsPraise: [4]}",
     "unknown CiTO function 'citesAsPraise'"),
])
def test_bad_claims_are_reported_with_file_and_line(copy: Path, old: str, new: str,
                                                    words: str) -> None:
    line = break_claims(copy, old, new)
    with pytest.raises(SourceError) as error:
        claims.load(Sink(copy))
    message = str(error.value)
    assert message.startswith("data/narrative/claims.yaml:") or "claims.yaml:" in message
    assert words in message
    reported = int(re.search(r"claims\.yaml:(\d+)", message).group(1))
    assert abs(reported - line) <= 1


# -- shapes ---------------------------------------------------------------------------------------

BROKEN = {
    "broken-no-english": "A claim needs one English rendering",
    "broken-no-kind": "A claim needs exactly one kind",
    "broken-no-entity": "A claim must link to at least one node it is about",
    "broken-no-location": "A claim must say which paragraph of the review states it",
    "broken-mark-unattached": "A citation mark must be attached to the one claim or table row",
    "broken-mark-untyped": "A citation mark must say what it cites its references for",
    "broken-check-status": "A claim check has exactly one status",
    "broken-check-no-query": "A claim check must name the one query",
    "broken-check-no-finding": "A claim check run by the build needs the finding",
}


def with_base(tmp_path: Path, name: str) -> Path:
    """The shapes' valid fixture plus one claims fixture, as one Turtle file."""
    out = tmp_path / f"{name}.ttl"
    base = (FIXTURES / "shapes" / "valid.ttl").read_text(encoding="utf-8")
    extra = (FIXTURES / "claims" / f"{name}.ttl").read_text(encoding="utf-8")
    out.write_text(base + "\n" + extra, encoding="utf-8")
    return out


def test_valid_claim_conforms(tmp_path: Path) -> None:
    conforms, text = validate_file(with_base(tmp_path, "valid"))
    assert conforms, text


@pytest.mark.parametrize(("name", "words"), sorted(BROKEN.items()))
def test_broken_claim_or_check_is_rejected(tmp_path: Path, name: str, words: str) -> None:
    conforms, text = validate_file(with_base(tmp_path, name))
    assert not conforms
    assert any(block.startswith("Violation: ") and words in block
               for block in text.strip().split("\n\n")), text


def test_every_broken_claims_fixture_is_tested() -> None:
    assert {p.stem for p in (FIXTURES / "claims").glob("broken-*.ttl")} == set(BROKEN)
