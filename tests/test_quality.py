"""The quality report: clean on the release, each kind of problem caught in a broken file, the
build stopped by an error; the named queries' answers and the OBO-term query."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bclm_kg.cli import main
from bclm_kg.errors import QualityError
from bclm_kg.quality import ERROR, INFO, WARN, check_file
from bclm_kg.queries import load_query
from bclm_kg.query.store import StoreSpec
from bclm_kg.release import Release

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROKEN = FIXTURES / "quality" / "broken.ttl"
ANSWERS = FIXTURES / "named-query-answers.json"
EXAMPLES = Path(__file__).resolve().parents[1] / "bclm_kg" / "queries" / "web" / "examples"
B = "https://w3id.org/bclm-kg/"


def test_report_is_clean_on_the_release(release_dir: Path) -> None:
    report = check_file(Release(release_dir).dataset)
    assert report.count(ERROR) == 0 and report.count(WARN) == 0, report.text([ERROR, WARN])
    # two studies printed with the same author and year ("Zhang 2014") are a note, not an error
    notes = {p.subject for p in report.problems if p.rule == "duplicate_label"}
    assert f"{B}study/zhang-2014a" in notes


def test_report_catches_each_problem() -> None:
    report = check_file(BROKEN)
    found = {(p.severity, p.rule, p.subject) for p in report.problems}
    assert found == {
        (ERROR, "duplicate_label", f"{B}ontology/Widget"),
        (ERROR, "multiple_labels", f"{B}ontology/Widget"),
        (ERROR, "class_individual_match", "http://purl.obolibrary.org/obo/NCIT_C142646"),
        (WARN, "missing_domain", f"{B}ontology/widget"),
        (WARN, "missing_range", f"{B}ontology/widget"),
        (ERROR, "missing_definition", f"{B}ontology/Gadget"),
        (ERROR, "unsourced_definition", f"{B}ontology/Gizmo"),
        (ERROR, "unsourced_definition", f"{B}ontology/Doohickey"),
        (ERROR, "unverified_external_iri", "http://purl.obolibrary.org/obo/NCIT_C99999999"),
        (INFO, "duplicate_label", f"{B}study/a-2014a"),
    }
    duplicate = next(p for p in report.problems if p.rule == "duplicate_label"
                     and p.severity == ERROR)
    assert duplicate.value == f'"widget"@en also on {B}ontology/widget'
    unsourced = {p.subject: p.value for p in report.problems if p.rule == "unsourced_definition"}
    assert unsourced[f"{B}ontology/Doohickey"] == (
        'dcterms:source is a string, not an IRI: "review section 5"')


def test_cli_report_exit_codes(release_dir: Path) -> None:
    runner = CliRunner()
    broken = runner.invoke(main, ["report", str(BROKEN), "--level", "ERROR"])
    assert broken.exit_code == 1
    assert "ERROR\tmultiple_labels\thttps://w3id.org/bclm-kg/ontology/Widget" in broken.output
    assert "# 7 ERROR, 2 WARN, 1 INFO" in broken.output
    assert "INFO\t" not in broken.output  # below the level asked for
    clean = runner.invoke(main, ["report", "--release", str(release_dir)])
    assert clean.exit_code == 0, clean.output
    assert "# 0 ERROR, 0 WARN," in clean.output


def test_build_stops_on_a_quality_error(release_dir: Path, data_dir: Path,
                                        tmp_path: Path) -> None:
    """An intervention individual labelled like its class: SHACL and HermiT accept it, the
    report does not, and the previous release stays."""
    from bclm_kg.build import build_release

    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    vocab = data / "vocab" / "interventions.tsv"
    text = vocab.read_text(encoding="utf-8")
    vocab.write_text(text.replace("\thepatic resection\t肝切除术\t",
                                  "\thepatic resection intervention\t肝切除术\t", 1),
                     encoding="utf-8")
    out = tmp_path / "release"
    shutil.copytree(release_dir, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(QualityError, match=r"duplicate_label\t.*/intervention/hr\t"
                                           r'"hepatic resection intervention"@en'):
        build_release(out, data)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# -- answers -------------------------------------------------------------------------------------

def rows(store, sparql: str) -> list[list[str | None]]:
    result = store.query(sparql)
    names = list(result.variables)
    return [[str(s[v]) if s[v] is not None else None for v in names] for s in result]


@pytest.fixture(scope="module")
def store(release_dir: Path):
    return StoreSpec(Release(release_dir).dataset).open()


def unordered(rows_: list[list[str | None]]) -> list[str]:
    """Rows as a sorted list, each GROUP_CONCAT cell ("A; B") with its parts sorted: some
    queries order only partially, and a concatenation follows the store's order."""
    def cell(value: str | None) -> str | None:
        if value is None or "; " not in value:
            return value
        text, quote, tail = value[1:].rpartition('"')
        return '"' + "; ".join(sorted(text.split("; "))) + quote + tail
    return sorted(json.dumps([cell(v) for v in row], ensure_ascii=False) for row in rows_)


def test_named_query_answers_are_unchanged(store) -> None:
    """The answers recorded on the release before the alignment."""
    recorded = json.loads(ANSWERS.read_text(encoding="utf-8"))
    assert len(recorded) == 13 and set(recorded) <= {p.stem for p in EXAMPLES.glob("*.rq")}
    for name, expected in recorded.items():
        got = rows(store, (EXAMPLES / f"{name}.rq").read_text(encoding="utf-8"))
        assert unordered(got) == unordered(expected["rows"]), name


def test_studies_by_method_counts_the_tables(store) -> None:
    """Figure 3A as a named query: of the 54 studies and trials printed in Tables 1-2 (30 + 24
    rows), 34 have an arm of hepatic resection (28 published studies and 6 trials), 14 of RFA;
    an arm of "HR/RFA" counts for both."""
    got = rows(store, (EXAMPLES / "20-studies-by-method.rq").read_text(encoding="utf-8"))
    found = [(r[0].rsplit("/", 1)[1][:-1], int(r[2].split('"')[1]), r[3].split('"')[1])
             for r in got]
    assert found == [("hr", 34, "63"), ("rfa", 14, "25.9"), ("sbrt", 6, "11.1"),
                     ("tace", 6, "11.1"), ("mwa", 4, "7.4"), ("sirt", 4, "7.4"),
                     ("cra", 2, "3.7"), ("srfa", 2, "3.7"), ("litt", 1, "1.9")]


def test_studies_by_year_counts_the_tables(store) -> None:
    """Figure 2B as a named query, against the years counted by hand in Tables 1 and 2: 24
    international and 22 domestic studies with a year (the ongoing trials have none), in year
    order, the domestic grouping before the international one within a year."""
    got = rows(store, (EXAMPLES / "19-studies-by-year.rq").read_text(encoding="utf-8"))
    found = [(int(r[0].split('"')[1]), r[1].split('"')[1].split(" ")[0].rstrip(","),
              int(r[2].split('"')[1])) for r in got]
    assert [(y, g) for y, g, _ in found] == sorted((y, g) for y, g, _ in found)
    per_year: dict[int, int] = {}
    per_grouping: dict[str, int] = {}
    for year, grouping, studies in found:
        per_year[year] = per_year.get(year, 0) + studies
        per_grouping[grouping] = per_grouping.get(grouping, 0) + studies
    assert per_year == {2014: 9, 2015: 7, 2016: 6, 2017: 5, 2018: 5, 2019: 4, 2020: 3,
                        2021: 3, 2022: 3, 2023: 1}
    assert per_grouping == {"international": 24, "domestic": 22}


def test_studies_by_mesh_label_keeps_the_mapping_without_studies(store) -> None:
    """Hepatectomy (MeSH D006498): hepatic resection (exact match, 38 studies with an arm
    involving it) and laparoscopic hepatectomy (broad match, none in the tables): a class
    without studies is still a row, with 0."""
    got = rows(store, (EXAMPLES / "16-studies-by-mesh-label.rq").read_text(encoding="utf-8"))
    skos = "http://www.w3.org/2004/02/skos/core#"
    integer = "^^<http://www.w3.org/2001/XMLSchema#integer>"
    assert got == [
        ["<http://id.nlm.nih.gov/mesh/D006498>", f"<{B}ontology/HepaticResection>",
         f"<{skos}exactMatch>", f'"38"{integer}'],
        ["<http://id.nlm.nih.gov/mesh/D006498>", f"<{B}ontology/LaparoscopicHepatectomy>",
         f"<{skos}broadMatch>", f'"0"{integer}'],
    ]


def test_obo_terms_query_returns_the_projects_rows(store) -> None:
    own = rows(store, load_query("alignment/os-5y-project"))
    obo = rows(store, load_query("alignment/os-5y-obo"))
    assert obo == own
    # Tables 1-2 print 28 five-year OS rates (21 rows, "vs." separating arms); one
    # meta-analysis (Rivera 2021) pools one more
    assert len(own) == 29
    assert sum(1 for r in own if "/meta-analysis/" in r[0]) == 1
    ruiz = [r for r in own if r[0] == f"<{B}study/ruiz-2017/arm/hr>"]
    assert [r[2] for r in ruiz] == ['"47"^^<http://www.w3.org/2001/XMLSchema#decimal>']


def test_history_query_gives_figure_1_in_order(store) -> None:
    got = rows(store, (EXAMPLES / "18-history-of-techniques.rq").read_text(encoding="utf-8"))
    # section 1 and Figure 1: the periods in order, each with the techniques dated to it
    periods = [(row[0].rsplit("/", 1)[1][:-1], set(row[2].split('"')[1].split(", ")))
               for row in got]
    assert periods == [
        ("1970s", {"HR", "hepatic arterial infusion chemotherapy"}),
        ("1980s", {"endocrine ablation"}),
        ("1990s", {"TACE", "LITT"}),
        ("2000s", {"SIRT", "RFA", "MWA"}),
        ("recent", {"SRFA", "radiochemoembolization", "CRA", "brachytherapy"}),
    ]
