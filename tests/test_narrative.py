"""The narrative loader: exact values from the review's text, and errors on bad input."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from bclm_kg.errors import SourceError
from bclm_kg.ingest import narrative
from bclm_kg.ingest.sink import Sink
from bclm_kg.namespaces import BASE, BCLM, kg

DATA = Path(__file__).resolve().parent.parent / "data"
XREFS = Path(__file__).resolve().parents[1] / "ontology/sources/xrefs.tsv"
EVIDENCE = "narrative/evidence.yaml"
# Subjects other loaders own (labels come from there); this loader only adds facts to them.
OWNED_ELSEWHERE = ("intervention/", "trial/", "study/")


@pytest.fixture(scope="module")
def sink() -> Sink:
    result = Sink(DATA)
    narrative.load(result)
    return result


def one(sink: Sink, subject: str, prop: URIRef):
    values = list(sink.asserted.objects(kg(subject), prop))
    assert len(values) == 1, f"{subject} {prop}: {values}"
    return values[0]


def number(sink: Sink, subject: str, prop: URIRef) -> Decimal:
    return Decimal(str(one(sink, subject, prop)))


def test_rivera_2021_pooled_estimates(sink: Sink) -> None:
    ma = "meta-analysis/rivera-2021"
    assert (kg(ma), RDF.type, BCLM.MetaAnalysis) in sink.asserted
    assert one(sink, ma, BCLM.numberOfStudies).toPython() == 23
    hr = f"{ma}/estimate/hr-median-os"
    assert (kg(hr), RDF.type, BCLM.PooledEstimate) in sink.asserted
    assert number(sink, hr, BCLM.value) == 45
    assert one(sink, hr, BCLM.unit) == kg("unit/months")
    assert one(sink, hr, BCLM.forIntervention) == kg("intervention/hr")
    assert number(sink, f"{ma}/estimate/hr-os-5y", BCLM.value) == 41
    rfa = f"{ma}/estimate/rfa-os-5y"
    assert number(sink, rfa, BCLM.valueMin) == 11
    assert number(sink, rfa, BCLM.valueMax) == 33
    assert one(sink, rfa, BCLM.timepointYears).toPython() == 5
    assert one(sink, rfa, BCLM.numberOfStudies).toPython() == 6
    assert number(sink, f"{ma}/estimate/rfa-median-os", BCLM.value) == 38
    assert one(sink, ma, BCLM.reportedIn) == kg("reference/74")


def test_chen_2020_thesis(sink: Sink) -> None:
    ma = "meta-analysis/chen-2020"
    assert number(sink, f"{ma}/estimate/hr-median-os", BCLM.value) == 46
    assert str(one(sink, f"{ma}/estimate/rfa-median-os", BCLM.value)) == "29.9"


def test_chen_2022_hazard_ratio(sink: Sink) -> None:
    result = "study/chen-2022/result/hazard-ratio"
    assert (kg(result), RDF.type, BCLM.HazardRatioResult) in sink.asserted
    assert (kg("study/chen-2022"), BCLM.hasResult, kg(result)) in sink.asserted
    assert str(one(sink, result, BCLM.statisticValue)) == "0.321"
    assert str(one(sink, result, BCLM.ciLower)) == "0.234"
    assert str(one(sink, result, BCLM.ciUpper)) == "0.440"  # printed digits kept
    assert str(one(sink, result, BCLM.pValueText)) == "P<0.001"
    assert one(sink, result, BCLM.comparesArm) == kg("study/chen-2022/arm/hr")
    assert one(sink, result, BCLM.againstArm) == kg("study/chen-2022/arm/st")
    assert one(sink, result, BCLM.statedIn) == kg("review/jiang-2024/section-3/paragraph-2")


def test_wang_2018_chi_squared(sink: Sink) -> None:
    result = "study/wang-2018/result/chi-squared"
    assert (kg(result), RDF.type, BCLM.ChiSquaredTestResult) in sink.asserted
    assert str(one(sink, result, BCLM.statisticValue)) == "1.682"
    assert str(one(sink, result, BCLM.pValue)) == "0.195"
    assert one(sink, "study/wang-2018", BCLM.hasDesign) == kg("design/retrospective")


def test_authors_cohort(sink: Sink) -> None:
    study = "study/jiang-li-cohort"
    assert (kg(study), RDF.type, BCLM.UnpublishedStudy) in sink.asserted
    assert one(sink, study, BCLM.sampleSize).toPython() == 168
    assert number(sink, f"{study}/arm/rfa/median-os", BCLM.value) == 33
    assert number(sink, f"{study}/arm/hr/median-os", BCLM.value) == 22
    assert not list(sink.asserted.objects(kg(f"{study}/arm/rfa"), BCLM.sampleSize))
    assert kg("design/retrospective") in set(sink.asserted.objects(kg(study), BCLM.hasDesign))


def test_stehlin_1988(sink: Sink) -> None:
    study = "study/stehlin-1988"
    assert number(sink, f"{study}/arm/hr-haic/os-3y", BCLM.value) == 56
    assert number(sink, f"{study}/arm/unspecified/os-3y", BCLM.value) == 6
    arm = kg(f"{study}/arm/hr-haic")
    assert set(sink.asserted.objects(arm, BCLM.receivesIntervention)) == {
        kg("intervention/hr"), kg("intervention/haic")}
    assert one(sink, f"{study}/arm/unspecified", BCLM.receivesIntervention) == kg(
        "intervention/unspecified")


def test_zhang_1999_mean_survival(sink: Sink) -> None:
    out = "study/zhang-1999/arm/surgery/mean-survival"
    assert (kg(out), RDF.type, BCLM.MeanSurvival) in sink.asserted
    assert number(sink, out, BCLM.value) == 8
    assert number(sink, "study/zhang-1999/arm/no-surgery/mean-survival", BCLM.value) == 3
    assert one(sink, "study/zhang-1999/arm/surgery", BCLM.sampleSize).toPython() == 8


def test_verriest_text_claim_kept_apart(sink: Sink) -> None:
    claim = "study/verriest-2015/statement/text-os-3y"
    assert number(sink, claim, BCLM.value) == 78
    assert one(sink, claim, BCLM.timepointYears).toPython() == 3
    stage = "study/verriest-2015/statement/stage-i-ii"
    assert one(sink, stage, BCLM.sampleSize).toPython() == 22
    assert number(sink, stage, BCLM.value) == 82


def test_groups(sink: Sink) -> None:
    group = kg("group/large-european-prospective-trials")
    members = set(sink.asserted.subjects(BCLM.memberOfGroup, group))
    assert members == {kg(f"trial/{t}") for t in ("NCT04079049", "NCT02251353", "NCT04817813")}
    sirt = "group/sirt-median-os-range/outcome/median-os"
    assert (number(sink, sirt, BCLM.valueMin), number(sink, sirt, BCLM.valueMax)) == (
        Decimal("6.6"), Decimal("13.6"))
    hr = "group/hr-median-os-range/outcome/median-os"
    assert (number(sink, hr, BCLM.valueMin), number(sink, hr, BCLM.valueMax)) == (8, 116)


def test_trials(sink: Sink) -> None:
    assert one(sink, "trial/NCT06135714", BCLM.expectedResultsYear).toPython() == 2026
    assert one(sink, "trial/ChiCTR2100041979", BCLM.startYear).toPython() == 2021
    assert one(sink, "trial/ChiCTR2100041979", BCLM.registry) == kg("registry/chictr")
    assert not list(sink.asserted.objects(kg("trial/ChiCTR2100041979"), BCLM.registryRecord))
    assert one(sink, "trial/NCT02364557", BCLM.trialPhase) == kg("phase/2-3")
    assert one(sink, "trial/NCT02364557", BCLM.registryRecord) == URIRef(
        "https://clinicaltrials.gov/study/NCT02364557")
    agents = set(sink.asserted.objects(kg("trial/NCT05303038/arm/cra-st"), BCLM.usesAgent))
    assert agents == {kg("drug/tislelizumab"), kg("drug/bevacizumab")}
    designs = set(sink.asserted.objects(kg("trial/NCT06093022"), BCLM.hasDesign))
    assert designs == {kg("design/multicentre")}
    observational = kg("trial/NCT06093022")
    assert one(sink, "trial/NCT06093022", BCLM.hasStudyType) == kg("study-type/observational")
    assert (observational, RDF.type, BCLM.ObservationalRegisteredStudy) in sink.asserted
    interventional = {s for s in sink.asserted.subjects(RDF.type,
                                                        BCLM.InterventionalRegisteredTrial)}
    assert interventional == {kg("trial/NCT02364557"), kg("trial/NCT05303038"),
                              kg("trial/ChiCTR2100041979")}
    # designs, phases and study types are three schemes
    schemes = {str(s).rsplit("/", 2)[-2]: str(o).rsplit("/", 1)[-1]
               for s, o in sink.asserted.subject_objects(SKOS.inScheme)}
    assert schemes == {"design": "study-designs", "phase": "trial-phases",
                       "study-type": "study-types"}
    assert one(sink, "milestone/wieners-2011", BCLM.trialPhase) == kg("phase/2")
    population = set(sink.asserted.objects(kg("trial/ChiCTR2100041979"), BCLM.targetPopulation))
    assert Literal("lumina 1型BCLM", lang="zh") in population


def test_history(sink: Sink) -> None:
    entered = {
        (str(s).removeprefix(BASE + "intervention/"), str(o).removeprefix(BASE + "period/"))
        for s, o in sink.asserted.subject_objects(BCLM.enteredBCLMTreatmentIn)
    }
    assert entered == {
        ("hr", "1970s"), ("haic", "1970s"), ("ea", "1980s"), ("litt", "1990s"),
        ("tace", "1990s"), ("rfa", "2000s"), ("sirt", "2000s"), ("mwa", "2000s"),
        ("bt", "recent"), ("rce", "recent"), ("cra", "recent"), ("srfa", "recent"),
    }
    assert one(sink, "period/1990s", BCLM.startYear).toPython() == 1990
    pacella = "milestone/pacella-1996"
    assert one(sink, pacella, BCLM.year).toPython() == 1996
    assert one(sink, pacella, BCLM.atPlace) == kg("place/it")
    assert one(sink, pacella, BCLM.concernsIntervention) == kg("intervention/litt")
    assert one(sink, "milestone/stehlin-1974", RDF.type) == BCLM.HistoricalMilestone


def test_labels_locations_and_lines(sink: Sink) -> None:
    """Every subject minted here has en and zh labels; every located one has its YAML line."""
    minted = {s for s in sink.asserted.subjects(RDF.type, None)
              if not str(s).removeprefix(BASE).startswith(("review/", *OWNED_ELSEWHERE))}
    minted |= {s for s in sink.asserted.subjects(RDF.type, None)
               if "/arm/" in str(s) or "/result/" in str(s) or "/statement/" in str(s)}
    for subject in minted:
        langs = {o.language for o in sink.asserted.objects(subject, RDFS.label)}
        assert {"en", "zh"} <= langs, subject
    for subject in set(sink.asserted.subjects(BCLM.statedIn, None)):
        where = [str(o) for o in sink.provenance.objects(subject, BCLM.curatedAt)]
        assert where and all(w.startswith("data/narrative/") for w in where), subject
    lines = (DATA / "narrative/history.yaml").read_text(encoding="utf-8").splitlines()
    where = str(one_prov(sink, "milestone/pacella-1996"))
    assert "id: pacella-1996" in lines[int(where.rsplit(":", 1)[1]) - 1]


def one_prov(sink: Sink, subject: str):
    values = list(sink.provenance.objects(kg(subject), BCLM.curatedAt))
    assert len(values) == 1
    return values[0]


@pytest.mark.skipif(not XREFS.is_file(), reason="verified cross-references not available")
def test_mappings_are_verified(sink: Sink) -> None:
    with XREFS.open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        verified = {(r[1], r[4]) for r in rows if len(r) > 4}
    used = {(f"skos:{str(p).rsplit('#', 1)[1]}", str(o))
            for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch,
                      SKOS.relatedMatch)
            for o in sink.asserted.objects(None, p)}
    assert used and used <= verified, used - verified


# -- bad input -----------------------------------------------------------------------------------
def copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for part in ("narrative", "vocab"):
        shutil.copytree(DATA / part, data / part)
    shutil.copy(DATA / "review.yaml", data / "review.yaml")  # the review's structure
    return data


def edit(data: Path, relative: str, old: str, new: str) -> int:
    """Replace the first ``old`` with ``new``; return the 1-based line edited."""
    path = data / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def load_error(data: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        narrative.load(Sink(data))
    return info.value


def test_percentage_out_of_range(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    line = edit(data, EVIDENCE, 'value: "56"', 'value: "120"')
    error = load_error(data)
    assert error.path.endswith("evidence.yaml") and error.line == line
    assert "outside 0-100" in error.message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("stated_in: [section-2/paragraph-3]", "stated_in: [section-9/paragraph-1]",
         "unknown location"),
        ("stated_in: [section-2/paragraph-3]", "stated_in: [chapter-2]", "unknown location"),
        ('value: "33"', 'value: "about 33"', "must be a number"),
        ('value: "29.9"', "value: 29.90", "must be quoted"),
        ("interventions: [hr, haic]", "interventions: [hr, xyz]", "unknown intervention"),
        ("first_author: Stehlin", "first_autor: Stehlin", "unknown key 'first_autor'"),
        ('p_value: "0.195"', 'p_value: "1.95"', "outside 0-1"),
        ("skos:exactMatch NCIT:C15208", "skos:sameMatch NCIT:C15208",
         "unknown mapping predicate"),
    ],
)
def test_bad_evidence(tmp_path: Path, old: str, new: str, message: str) -> None:
    data = copy_data(tmp_path)
    line = edit(data, EVIDENCE, old, new)
    error = load_error(data)
    assert message in error.message
    assert error.path.endswith("evidence.yaml") and error.line == line


def test_missing_required_key(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    edit(data, "narrative/history.yaml", "    year: 1996\n    place: it\n", "    place: it\n")
    error = load_error(data)
    assert "missing required key 'year'" in error.message
    assert error.path.endswith("history.yaml") and error.line is not None
