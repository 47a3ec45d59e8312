"""Tables 1 and 2: every row, exact values from the paper, and clear errors on bad input."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from bclm_kg.errors import SourceError
from bclm_kg.ingest import tables, vocab
from bclm_kg.ingest.regimen import parse_regimen, split_arms
from bclm_kg.ingest.sink import Sink
from bclm_kg.namespaces import BCLM, kg


@pytest.fixture(scope="module")
def loaded(data_dir: Path) -> Sink:
    sink = Sink(data_dir)
    tables.load(sink, vocab.load(sink))
    return sink


def arms(sink: Sink, study: str) -> dict[str, URIRef]:
    return {str(a).rsplit("/", 1)[-1]: a for a in sink.asserted.objects(kg(study), BCLM.hasArm)}


def outcome(sink: Sink, arm: URIRef, suffix: str) -> Decimal | None:
    value = sink.asserted.value(URIRef(f"{arm}/{suffix}"), BCLM.value)
    return None if value is None else value.toPython()


def test_row_counts(loaded: Sink) -> None:
    g = loaded.asserted
    published = set(g.subjects(RDF.type, BCLM.PublishedStudy))
    trials = set(g.subjects(RDF.type, BCLM.RegisteredTrial))
    rows = {1: set(), 2: set()}
    for s in published | trials:
        location = g.value(s, BCLM.statedIn)
        rows[int(g.value(location, BCLM.tableNumber))].add(s)
    assert len(rows[1]) == 30 and len(rows[2]) == 24
    assert len(published) == 24 + 22
    assert {str(t).rsplit("/", 1)[1] for t in trials} == {
        "NCT04079049", "NCT02251353", "NCT06093022", "NCT02364557", "NCT04817813",
        "NCT06135714", "ChiCTR2100041979", "NCT05303038"}


def test_ruiz_2017(loaded: Sink) -> None:
    g = loaded.asserted
    study = kg("study/ruiz-2017")
    assert g.value(study, BCLM.sampleSize).toPython() == 139
    assert g.value(study, BCLM.leadCountry) == kg("place/fr")
    assert g.value(study, BCLM.year).toPython() == 2017
    assert g.value(study, BCLM.reportedIn) == kg("reference/37")
    (arm,) = arms(loaded, "study/ruiz-2017").values()
    assert g.value(arm, BCLM.receivesIntervention) == kg("intervention/hr")
    assert outcome(loaded, arm, "median-os") == Decimal("56")
    assert outcome(loaded, arm, "os-3y") == Decimal("58")
    assert outcome(loaded, arm, "os-5y") == Decimal("47")
    factors = set(g.objects(study, BCLM.hasFavourablePrognosticFactor))
    assert factors == {kg(f"factor/{f}") for f in (
        "few-liver-metastases", "non-tnbc", "no-microvascular-invasion",
        "perioperative-hormonal-or-targeted-therapy")}


def test_vogl_2023_four_arms(loaded: Sink) -> None:
    by_slug = arms(loaded, "study/vogl-2023")
    assert set(by_slug) == {"litt", "litt-tace", "mwa", "mwa-tace"}
    expected = {  # n, median OS, 3-year, 5-year
        "litt": (212, "26.4", "37", "22"),
        "litt-tace": (215, "25.2", "34", "15"),
        "mwa": (17, "67.2", "89", "89"),
        "mwa-tace": (143, "28.8", "38", "22"),
    }
    g = loaded.asserted
    for slug, (n, median, three, five) in expected.items():
        arm = by_slug[slug]
        assert g.value(arm, BCLM.sampleSize).toPython() == n
        assert outcome(loaded, arm, "median-os") == Decimal(median)
        assert outcome(loaded, arm, "os-3y") == Decimal(three)
        assert outcome(loaded, arm, "os-5y") == Decimal(five)
    assert g.value(kg("study/vogl-2023"), BCLM.sampleSize).toPython() == 212 + 215 + 17 + 143
    assert set(g.objects(by_slug["mwa-tace"], BCLM.receivesIntervention)) == {
        kg("intervention/mwa"), kg("intervention/tace")}


def test_chen_2022_arms(loaded: Sink) -> None:
    by_slug = arms(loaded, "study/chen-2022")
    g = loaded.asserted
    assert g.value(by_slug["hr"], BCLM.sampleSize).toPython() == 89
    assert g.value(by_slug["st"], BCLM.sampleSize).toPython() == 1027
    assert outcome(loaded, by_slug["hr"], "os-3y") == Decimal("72.3")
    assert outcome(loaded, by_slug["st"], "os-5y") == Decimal("16.9")
    assert g.value(kg("study/chen-2022"), BCLM.leadCountry) == kg("place/cn")
    assert g.value(kg("study/chen-2022"), BCLM.paperGrouping) == kg("grouping/domestic")
    assert g.value(kg("study/chen-2022"), BCLM.leadInstitutionPlace) == kg("place/tw")
    assert g.value(kg("study/cheung-2019"), BCLM.leadInstitutionPlace) == kg("place/hk")
    assert g.value(kg("study/he-2019"), BCLM.leadInstitutionPlace) is None


def test_either_or_differs_from_combination(loaded: Sink) -> None:
    g = loaded.asserted
    sadot = arms(loaded, "study/sadot-2016")["hr-or-rfa"]
    assert g.value(sadot, BCLM.receivesIntervention) is None
    choice = g.value(sadot, BCLM.hasInterventionChoice)
    assert (choice, RDF.type, BCLM.EitherOrChoice) in g
    assert set(g.objects(choice, BCLM.option)) == {kg("intervention/hr"), kg("intervention/rfa")}
    qiu = arms(loaded, "study/qiu-2014")["hr-rfa"]
    assert set(g.objects(qiu, BCLM.receivesIntervention)) == {
        kg("intervention/hr"), kg("intervention/rfa")}
    nct = arms(loaded, "trial/NCT02364557")["hr-and-or-sbrt-st"]
    assert g.value(nct, BCLM.receivesIntervention) == kg("intervention/st")
    assert (g.value(nct, BCLM.hasInterventionChoice), RDF.type, BCLM.AndOrChoice) in g


def test_printed_values_kept(loaded: Sink) -> None:
    g = loaded.asserted
    (arm,) = arms(loaded, "study/wang-2017b").values()
    node = URIRef(f"{arm}/median-os")
    assert g.value(node, BCLM.printedValue) == Literal("23.8±5.8")
    assert g.value(node, BCLM.value).toPython() == Decimal("23.8")
    assert g.value(kg("study/xu-2017"), BCLM.os3yText) == Literal("54.54 vs. 44.4")


def test_trials(loaded: Sink) -> None:
    g = loaded.asserted
    trial = kg("trial/NCT02251353")
    assert g.value(trial, BCLM.plannedSampleSize).toPython() == 300
    assert g.value(trial, BCLM.leadCountry) == kg("place/tr")
    assert g.value(trial, BCLM.status) == kg("status/ongoing")
    assert g.value(trial, BCLM.registryRecord) == URIRef(
        "https://clinicaltrials.gov/study/NCT02251353")
    assert g.value(kg("trial/ChiCTR2100041979"), BCLM.registryRecord) is None
    roles = {str(a).rsplit("/", 1)[1]: g.value(a, BCLM.armRole)
             for a in g.objects(trial, BCLM.hasArm)}
    assert roles == {"hr-or-rfa-or-tace-or-sbrt": kg("role/experimental"),
                     "st": kg("role/comparator")}


def test_every_row_has_provenance(loaded: Sink) -> None:
    g = loaded.asserted
    for s in set(g.subjects(RDF.type, BCLM.PublishedStudy)) | set(
            g.subjects(RDF.type, BCLM.RegisteredTrial)):
        assert g.value(s, BCLM.statedIn) is not None
        assert str(loaded.provenance.value(s, BCLM.curatedAt)).startswith("data/tables/table")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("HR/RFA+ST", [("either", ("HR", "RFA")), ("single", ("ST",))]),
     ("HR 和/或 SBRT+ ST", [("and-or", ("HR", "SBRT")), ("single", ("ST",))]),
     ("LITT+ TACE", [("single", ("LITT",)), ("single", ("TACE",))])],
)
def test_regimen_grammar(text: str, expected: list) -> None:
    assert [(c.kind, c.codes) for c in parse_regimen(text)] == expected


def test_split_arms() -> None:
    assert split_arms("212 vs. 215 vs. 17 vs. 143") == ["212", "215", "17", "143"]


# -- bad input ---------------------------------------------------------------------------
def broken_copy(data_dir: Path, tmp_path: Path, study: str, column: str, value: str) -> Path:
    """A copy of data/ with one cell of Table 1 or 2 replaced."""
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    for name in ("table1.tsv", "table2.tsv"):
        path = target / "tables" / name
        lines = path.read_text(encoding="utf-8").split("\n")
        header_index = next(i for i, line in enumerate(lines) if line.startswith("id\t"))
        header = lines[header_index].split("\t")
        for i, line in enumerate(lines):
            cells = line.split("\t")
            if cells[0] == study:
                cells[header.index(column)] = value
                lines[i] = "\t".join(cells)
                path.write_text("\n".join(lines), encoding="utf-8")
                return target
    raise AssertionError(study)


def load_copy(target: Path) -> None:
    sink = Sink(target)
    tables.load(sink, vocab.load(sink))


@pytest.mark.parametrize(
    ("study", "column", "value", "message"),
    [("ruiz-2017", "os_5y", "120", "OS rate 120% is outside 0–100"),
     ("ruiz-2017", "interventions", "HRX", "unknown intervention code 'HRX'"),
     ("sadot-2016", "n", "69 vs. 98 vs. 3", "has 3 value(s)"),
     ("kim-2014", "n", "-13", "not a positive whole number"),
     ("kim-2014", "median_os", "about 40", "'about 40' is not a number"),
     ("wen-2020", "year", "20xx", "neither a year"),
     ("veltri-2014", "country", "火星", "unknown country '火星'")],
)
def test_bad_cell_names_file_and_line(data_dir: Path, tmp_path: Path, study: str, column: str,
                                      value: str, message: str) -> None:
    target = broken_copy(data_dir, tmp_path, study, column, value)
    with pytest.raises(SourceError) as caught:
        load_copy(target)
    error = caught.value
    assert message in error.message
    assert error.path.endswith(("table1.tsv", "table2.tsv"))
    line = Path(error.path).read_text(encoding="utf-8").split("\n")[error.line - 1]
    assert line.startswith(study + "\t")


def test_malformed_row(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    path = target / "tables" / "table2.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "oops-2024\t25\tOops\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"table2\.tsv:\d+: expected 12 tab-separated cells"):
        load_copy(target)


def test_factor_phrase_must_be_printed(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    path = target / "tables" / "factor_mentions.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "kim-2014\t年龄大\tyoung-age\t\n",
                    encoding="utf-8")
    with pytest.raises(SourceError, match="does not occur in the printed factors of 'kim-2014'"):
        load_copy(target)


def test_arm_labels_take_the_study_label_in_their_own_language(loaded: Sink) -> None:
    from rdflib.namespace import RDFS

    arm = kg("study/bai-2018/arm/rfa")
    labels = set(loaded.asserted.objects(arm, RDFS.label))
    assert labels == {Literal("Bai 2018, RFA arm", lang="en"),
                      Literal("白秀梅 等 2018, RFA组", lang="zh")}
    outcome_labels = {str(label) for label in loaded.asserted.objects(
        kg("study/ruiz-2017/arm/hr/os-5y"), RDFS.label)}
    assert outcome_labels == {"5-year OS rate 47% (Ruiz 2017, HR arm)"}
