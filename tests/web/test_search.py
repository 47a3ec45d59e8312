"""The search library on the real release, without HTTP: facet combinations and questions
against counts made by hand from Tables 1 and 2 of the review."""

from __future__ import annotations

import pytest

from bclm_kg.query.store import StoreSpec
from bclm_kg.release import Release
from bclm_kg.search import Search, SearchError
from bclm_kg.search.ask import ask, parser


@pytest.fixture(scope="module")
def search(real_release) -> Search:
    return Search(StoreSpec(trig=Release(real_release).dataset).open())


def run(search: Search, kind: str, **params) -> list[str]:
    parsed = search.parse({k: v if isinstance(v, list) else [v] for k, v in params.items()})
    result = search.search(kind, parsed.selection, parsed.paging, facets=False)
    return [i["iri"].split("/bclm-kg/", 1)[1] for i in result["items"]]


def test_completed_studies_with_mwa(search):
    # Table 1: Franzese 2020 (HR/RFA/MWA/SBRT), Vogl 2023 (MWA, MWA+TACE);
    # Table 2: 王斌 2015 (MWA), 程文 2019 (MWA/RFA).
    assert run(search, "studies", intervention="MWA", status="completed") == [
        "study/franzese-2020", "study/vogl-2023", "study/wang-2015", "study/cheng-2019"]
    # Only Vogl and 王斌 gave MWA to every patient of an arm.
    assert run(search, "studies", intervention="微波消融", certainty="definite") == [
        "study/vogl-2023", "study/wang-2015"]


def test_prospective_resection_trials_in_europe_with_turkeys_basis(search):
    parsed = search.parse({"intervention": ["resection"], "design": ["prospective"],
                           "region": ["Europe"]})
    result = search.search("trials", parsed.selection)
    ids = [i["registry_id"] for i in result["items"]]
    assert ids == ["NCT04079049", "NCT02251353", "NCT06093022", "NCT04817813"]
    turkey = result["items"][1]
    assert turkey["country"]["value"] == "TR"
    basis = [m["basis"] for m in turkey["matched"]["region"]]
    assert basis == ["The review counts NCT02251353 (Turkey) among the three large prospective "
                     "studies in Europe"]
    assert turkey["matched"]["intervention"][0]["certainty"] == "possible"  # HR/RFA/TACE/SBRT
    assert result["facets"]["region"][0]["value"] == "europe"


def test_arms_with_median_os_of_at_least_60_months(search):
    # 116 (Verriest), 73 (Ruiz 2018a), 64 (Nogueiro), 67.2 (Vogl MWA)
    assert run(search, "arms", median_os_min="60", sort="-median_os") == [
        "study/verriest-2015/arm/hr", "study/ruiz-2018a/arm/hr", "study/vogl-2023/arm/mwa",
        "study/nogueiro-2021/arm/hr"]


def test_arms_with_5_year_os_of_at_least_50_percent(search):
    # 78, 69, 57, 89 (Table 1); 53, 58.9, 51.6 (Table 2)
    assert len(run(search, "arms", os5_min="50")) == 7


def test_region_grouping_size_and_year(search):
    assert len(run(search, "studies", region="欧洲")) == 19  # 15 studies + 4 trials of Table 1
    assert len(run(search, "studies", grouping="domestic")) == 24
    assert len(run(search, "studies", country="DE")) == 4  # Weinrich, Fendler, Pieper, Vogl
    assert len(run(search, "studies", year_min="2018", year_max="2019")) == 9
    assert len(run(search, "studies", min_size="100")) == 15
    # OR within a facet, AND across facets
    # Italy: Veltri, Ercolani, Franzese, NCT06093022
    assert len(run(search, "studies", country=["DE", "Italy"])) == 8
    assert run(search, "studies", country=["DE", "Italy"], intervention="SIRT") == [
        "study/fendler-2016", "study/pieper-2016"]


def test_intervention_by_class_and_by_mapped_external_term(search):
    hr = run(search, "studies", intervention="HR")
    assert run(search, "studies", intervention="NCIT:C15249") == hr  # Hepatectomy
    assert len(hr) == 34
    ablation = run(search, "studies", intervention="ablation")
    assert "study/bale-2016" in ablation and "study/zhang-2014a" in ablation  # SRFA, CRA
    assert len(ablation) == 20


def test_facet_counts_leave_out_their_own_facet(search):
    parsed = search.parse({"status": ["ongoing"]})
    counts = search.facet_counts("studies", parsed.selection)
    status = {v["value"]: (v["count"], v["selected"]) for v in counts["status"]}
    assert status == {"completed": (46, False), "ongoing": (8, True)}
    grouping = {v["value"]: v["count"] for v in counts["grouping"]}
    assert grouping == {"international": 6, "domestic": 2}


def test_notes_and_locations_come_with_items(search):
    parsed = search.parse({"q": ["Verriest"]})
    item = search.search("studies", parsed.selection)["items"][0]
    assert item["stated_in"]["table"] == 1 and item["stated_in"]["row"] == 8
    assert any(n["category"] == "country" for n in item["curation_notes"])


def test_unknown_values_and_parameters(search):
    with pytest.raises(SearchError) as err:
        search.parse({"intervention": ["MWAA"]})
    assert err.value.suggestions[0] == "MWA" and "RFA" in err.value.accepted
    with pytest.raises(SearchError) as err:
        search.parse({"regoin": ["Europe"]})
    assert err.value.suggestions == ["region"]
    with pytest.raises(SearchError):
        search.parse({"os5_min": ["fifty"]})
    with pytest.raises(SearchError):
        search.parse({"sort": ["size!"]})


def test_standalone_query_gives_the_same_items(search):
    parsed = search.parse({"intervention": ["RFA"], "country": ["CN"], "os5_min": ["0"]})
    query, matched = search.matching("studies", parsed.selection)
    rows = search.store.query(query.standalone)
    assert {s["item"].value for s in rows} == set(matched)
    assert "?intervention_0" in query.text and "<https://" not in query.text.split("WHERE")[1]


@pytest.mark.parametrize(("question", "kind", "expected"), [
    ("prospective HR trials in Europe", "trials", 4),
    ("欧洲 前瞻性 肝切除 试验", "trials", 4),
    ("RFA studies from China with 5-year OS", "studies", 3),
    ("微波消融 研究", "studies", 4),
    ("how many ongoing trials", "trials", 8),
    ("中国 RFA studies with 5年生存率", "studies", 3),
    ("5-year OS above 50%", "studies", 7),  # arms' values: 78 69 57 89 53 58.9 51.6
    ("5年生存率超过50%的研究", "studies", 7),
    ("studies since 2018 with more than 100 patients", "studies", 6),
    ("studies of Ruiz", "studies", 3),  # a first author becomes free text
    ("中位生存期超过50个月的研究", "studies", 8),  # 53 53 116 53 56 73 64 67.2; not Sadot's 50
    ("international studies before 2016", "studies", 8),  # the 2014 rows and two of 2015
    ("how many studies report 5-year OS", "studies", 21),
    ("ablation trials", "trials", 2),  # NCT02251353 (…/RFA/…), NCT05303038 (CRA+ST)
    # adjectives of places (skos:altLabel from vocab/places.tsv)
    ("German studies", "studies", 4),  # Weinrich 2014, Fendler 2016, Pieper 2016, Vogl 2023
    ("Japanese studies", "studies", 1),  # NCT06135714, the one row printed 日本
    ("Korean studies", "studies", 1),  # Kim 2014
    ("American trials", "trials", 1),  # NCT02364557
    ("European RFA studies", "studies", 4),  # Veltri 2014, Kümler 2015, Franzese 2020, NCT02251353
])
def test_questions(search, question, kind, expected):
    answer = ask(search, question)
    assert answer["kind"] == kind
    assert answer["total"] == expected, answer["understood"]


def test_question_reports_understood_and_ignored_words(search):
    answer = ask(search, "please show me prospective HR trials in Europe, thanks")
    assert answer["total"] == 4
    words = {u["facet"]: u["words"] for u in answer["understood"]}
    assert words == {"design": "prospective", "intervention": "HR", "region": "Europe"}
    assert {"please", "show", "thanks"} <= set(answer["ignored"])
    assert ask(search, "how many ongoing trials")["answer"] == {"count": 8}


def test_comparing_question(search):
    answer = ask(search, "median OS of HR vs RFA")
    groups = {g["value"]: g for g in answer["answer"]["groups"]}
    # HR: 53 53 116 53 36.4 50 56 73 64 23.4 23 19; RFA: 33.5 50 33 15.6 23.8 26 19
    assert groups["HR"]["arms"] == 12 and groups["HR"]["median"] == 53
    assert groups["RFA"]["arms"] == 7 and groups["RFA"]["median"] == 26
    assert groups["RFA"]["max"] == 50


def test_question_parsing_is_deterministic(search):
    qp = parser(search)
    first = qp.parse("2018年以来 中国 射频消融 研究").as_dict()
    assert first == qp.parse("2018年以来 中国 射频消融 研究").as_dict()
    assert [(u["facet"], u["value"]) for u in first["understood"]] == [
        ("year_min", "2018"), ("country", "CN"), ("intervention", "RFA")]


def test_cli_ask(real_release):
    from click.testing import CliRunner

    from bclm_kg.cli import main

    result = CliRunner().invoke(main, ["ask", "how many ongoing trials", "--release",
                                       str(real_release)])
    assert result.exit_code == 0, result.output
    assert "answer      8 trials" in result.output
    assert "NCT02251353  (Table 1 row 26)" in result.output
