"""``GET /api/lookup`` and ``bclm-kg lookup``: the contract, on the real release."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[2]
# Table 1 and 2 rows with an RFA or SRFA arm (16) and the unpublished cohort of section 2.2.
RFA_STUDIES = {
    "study/veltri-2014", "study/kumler-2015", "study/bale-2016", "study/sadot-2016",
    "study/franzese-2020", "study/schullian-2021", "trial/NCT02251353", "study/qiu-2014",
    "study/zhang-2014b", "study/liu-2015", "study/wang-2017a", "study/wang-2017b",
    "study/xu-2017", "study/bai-2018", "study/cheng-2019", "study/wang-2021",
    "study/jiang-li-cohort",
}
KG = "https://w3id.org/bclm-kg/"


def get(client: FlaskClient, identifier: str) -> dict:
    response = client.get("/api/lookup", query_string={"id": identifier})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def by_entity(result: dict) -> dict[str, dict]:
    return {m["entity"]: m for m in result["matches"]}


@pytest.mark.parametrize("form", [
    "NCIT:C15666", "ncit:C15666", "http://purl.obolibrary.org/obo/NCIT_C15666",
    "https://identifiers.org/ncit:C15666",
])
def test_ncit_code_finds_radiofrequency_ablation_studies(client: FlaskClient, form: str) -> None:
    result = get(client, form)
    assert result["identifier"]["curie"] == "ncit:C15666"
    assert result["label"] == "Radiofrequency Ablation"  # from graph/external
    matches = by_entity(result)
    rfa = matches[KG + "ontology/RadiofrequencyAblation"]
    assert rfa["predicate"] == "skos:exactMatch"
    assert rfa["justification"]["mapping_set"] == "ontology/mappings.sssom.tsv"
    assert rfa["justification"]["mapping_justification"] == "semapv:ManualMappingCuration"
    assert {s["study"].removeprefix(KG) for s in rfa["studies"]} == RFA_STUDIES
    sadot = next(s for s in rfa["studies"] if s["study"] == KG + "study/sadot-2016")
    assert [a["intervention_text"] for a in sadot["arms"]] == ["HR/RFA"]
    srfa = matches[KG + "ontology/StereotacticRadiofrequencyAblation"]
    assert srfa["predicate"] == "skos:broadMatch"
    assert {s["study"].removeprefix(KG) for s in srfa["studies"]} == {
        "study/bale-2016", "study/schullian-2021"}


@pytest.mark.parametrize("form", ["MESH:D006498", "mesh:D006498",
                                  "http://id.nlm.nih.gov/mesh/D006498"])
def test_mesh_hepatectomy_exact_and_broad(client: FlaskClient, form: str) -> None:
    matches = by_entity(get(client, form))
    assert matches[KG + "ontology/HepaticResection"]["predicate"] == "skos:exactMatch"
    assert matches[KG + "ontology/LaparoscopicHepatectomy"]["predicate"] == "skos:broadMatch"


@pytest.mark.parametrize("form", ["wikidata:Q183", "WIKIDATA:Q183",
                                  "http://www.wikidata.org/entity/Q183",
                                  "https://www.wikidata.org/wiki/Q183"])
def test_wikidata_germany_gives_the_german_studies(client: FlaskClient, form: str) -> None:
    germany = by_entity(get(client, form))[KG + "place/de"]
    assert germany["predicate"] == "skos:exactMatch"
    assert germany["justification"]["mapping_set"] == "ontology/sources/xrefs.tsv"
    # Table 1 rows whose lead institution is in Germany (德国).
    assert {s["study"].removeprefix(KG) for s in germany["studies"]} == {
        "study/weinrich-2014", "study/fendler-2016", "study/pieper-2016", "study/vogl-2023"}


@pytest.mark.parametrize("form", ["NCT04079049", "clinicaltrials:NCT04079049",
                                  "https://clinicaltrials.gov/study/NCT04079049",
                                  "https://clinicaltrials.gov/ct2/show/NCT04079049"])
def test_trial_record(client: FlaskClient, form: str) -> None:
    result = get(client, form)
    [match] = result["matches"]
    assert match["entity"] == KG + "trial/NCT04079049"
    assert match["predicate"] == "bclm:registryRecord"
    [study] = match["studies"]
    assert study["relation"] == "this is the study's record"
    assert [a["intervention_text"] for a in study["arms"]] == ["HR", "ST"]


def test_chictr_number_matches_the_registry_id(client: FlaskClient) -> None:
    [match] = get(client, "ChiCTR2100041979")["matches"]
    assert match["entity"] == KG + "trial/ChiCTR2100041979"
    assert match["predicate"] == "bclm:registryId"


@pytest.mark.parametrize("form", ["doi:10.3322/caac.21763", "DOI:10.3322/CAAC.21763",
                                  "https://doi.org/10.3322/caac.21763",
                                  "http://dx.doi.org/10.3322/caac.21763"])
def test_doi_of_reference_1(client: FlaskClient, form: str) -> None:
    [match] = get(client, form)["matches"]
    assert match["entity"] == KG + "reference/1"  # Siegel RL, Cancer statistics, 2023
    assert match["predicate"] == "schema:sameAs"
    assert match["studies"] == []


def test_doi_of_a_study_reference_gives_the_study(client: FlaskClient) -> None:
    # Reference 37 (Ruiz 2017) is the source of Table 1 row 15.
    doi = "10.1245/s10434-016-5522-7"
    [match] = get(client, f"doi:{doi}")["matches"]
    assert match["entity"] == KG + "reference/37"
    assert [s["study"] for s in match["studies"]] == [KG + "study/ruiz-2017"]


def test_cell_line(client: FlaskClient) -> None:
    [match] = get(client, "CVCL_0125")["matches"]
    assert match["entity"] == KG + "cell-line/4t1"


def test_known_prefix_without_match_is_empty(client: FlaskClient) -> None:
    result = get(client, "PMID:12345")
    assert result["identifier"]["curie"] == "pubmed:12345"
    assert result["matches"] == []


@pytest.mark.parametrize("text", ["FOO:1", "NCIT:XYZ", "http://example.org/x", ""])
def test_unknown_or_malformed_is_400_naming_prefixes(client: FlaskClient, text: str) -> None:
    response = client.get("/api/lookup", query_string={"id": text})
    assert response.status_code == 400
    body = response.get_json()
    assert "ncit" in body["known_prefixes"] and "wikidata" in body["known_prefixes"]
    assert "Known prefixes: " in body["message"]


def run_cli(release_dir: Path, identifier: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bclm_kg.cli", "lookup", identifier,
                           "--release", str(release_dir)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_cli_lookup(release_dir: Path) -> None:
    done = run_cli(release_dir, "https://identifiers.org/NCIT:C15666")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    rfa = by_entity(result)[KG + "ontology/RadiofrequencyAblation"]
    assert {s["study"].removeprefix(KG) for s in rfa["studies"]} == RFA_STUDIES


def test_cli_unknown_prefix(release_dir: Path) -> None:
    done = run_cli(release_dir, "FOO:1")
    assert done.returncode == 2
    assert "unknown prefix" in done.stderr and "ncit" in done.stderr


@pytest.mark.parametrize("form", ["UBERON:0002017", "uberon:0002017",
                                  "http://purl.obolibrary.org/obo/UBERON_0002017",
                                  "https://bioregistry.io/uberon:0002017"])
def test_uberon_portal_vein(client: FlaskClient, form: str) -> None:
    matches = by_entity(get(client, form))
    route = matches[KG + "route/portal-vein"]
    assert route["predicate"] == "skos:relatedMatch"
    assert route["label"] == "portal vein injection"
