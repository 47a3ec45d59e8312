"""Curating through the service: ``bclm-kg serve --data --tokens`` (two gunicorn workers) on
temporary copies of ``data/`` and of the release, driven over HTTP as a curator would.

The tests of this module share one server and run in order: each one states the version it
starts from. Every commit runs the whole build, so there are few of them.
"""

from __future__ import annotations

import json

import pytest
from rdflib import XSD, Graph, URIRef

from bclm_kg import __version__
from bclm_kg.namespaces import SH
from tests.web.conftest import in_process_app, stop_server
from tests.web.curated import (
    CURATOR,
    SUBMITTER,
    bearer,
    git,
    make_place,
    row,
    serve,
    tree_digest,
)

STUDY = "https://w3id.org/bclm-kg/study/"
SOURCES = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{study}> ?p ?o }}
  FILTER(?p IN (dcterms:source, prov:wasDerivedFrom)) }}"""
STUDIES = """PREFIX bclm: <https://w3id.org/bclm-kg/ontology/>
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a bclm:PublishedStudy }"""
STUDY_TRIPLES = """CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <https://w3id.org/bclm-kg/graph/asserted>
  {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{study}")) }}"""


@pytest.fixture(scope="module")
def place(tmp_path_factory, release_dir):
    return make_place(tmp_path_factory.mktemp("curated"), release_dir)


@pytest.fixture(scope="module")
def live(place):
    server = serve(place)
    yield server
    stop_server(server)


def select(live, query: str) -> list[dict]:
    response = live.get("/sparql", params={"query": query},
                        headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def triples(live, study: str) -> set[str]:
    response = live.get("/sparql", params={"query": STUDY_TRIPLES.format(study=STUDY + study)},
                        headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return {line for line in response.text.splitlines() if line.strip()}


def version(live) -> str:
    return live.get("/healthz").json()["version"]


def post(live, path: str, body: dict, token: str | None, **headers: str):
    auth = bearer(token) if token else {}
    return live.post(path, data=json.dumps(body), timeout=600,
                     headers={"Content-Type": "application/json", **auth, **headers})


def study_count(live) -> int:
    return int(select(live, STUDIES)[0]["n"]["value"])


def test_writes_need_a_known_token_with_the_right_role(live, place):
    before = tree_digest(place.data)
    body = {"file": "tables/table1.tsv", "rows": [row()], "note": "no token"}
    missing = post(live, "/api/submissions", body, None)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    unknown = post(live, "/api/submissions", body, "not-a-known-token")
    assert unknown.status_code == 401 and "invalid_token" in unknown.headers["WWW-Authenticate"]
    malformed = live.post("/api/submissions", data=json.dumps(body),
                          headers={"Authorization": f"Basic {CURATOR}",
                                   "Content-Type": "application/json"})
    assert malformed.status_code == 401
    wrong_role = post(live, "/api/changes/0000000/revert", {"reason": "x"}, None)
    assert wrong_role.status_code == 401
    approve = post(live, "/api/submissions/sub-000000000000/approve", {}, SUBMITTER)
    assert approve.status_code == 403 and "curator" in approve.text
    reject = post(live, "/api/submissions/sub-000000000000/reject", {"reason": "x"}, SUBMITTER)
    assert reject.status_code == 403
    assert tree_digest(place.data) == before  # no trace, not even a recorded submission
    assert version(live) == __version__


def test_an_invalid_row_is_refused_with_its_report_and_changes_nothing(live, place):
    before, studies = tree_digest(place.data, submissions=False), study_count(live)
    body = {"file": "tables/table1.tsv", "rows": [row(id="bad-2025", os_5y="120")],
            "note": "a 5-year OS of 120%"}
    answer = post(live, "/api/submissions", body, CURATOR)
    assert answer.status_code == 422
    report = answer.json()
    assert report["conforms"] is False
    problem = report["problems"][0]
    assert (problem["file"], problem["row"], problem["column"]) == \
        ("tables/table1.tsv", "bad-2025", "os_5y")
    assert "120" in problem["message"]
    focus = {r["focus_node"] for r in report["results"]}
    assert "kg:study/bad-2025/arm/hr/os-5y" in focus
    sid = report["submission"]
    assert live.get(f"/api/submissions/{sid}").json()["state"] == "invalid"
    # nothing changed: files, history, served version, store
    assert tree_digest(place.data, submissions=False) == before
    assert version(live) == __version__
    assert study_count(live) == studies
    assert not select(live, SOURCES.format(study=STUDY + "bad-2025"))
    # the same report as an sh:ValidationReport, and as a page
    turtle = post(live, "/shacl", body, None, Accept="text/turtle")
    assert turtle.status_code == 422 and turtle.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (None, SH.conforms, None) in graph
    value = graph.value(predicate=SH.focusNode,
                        object=URIRef(STUDY + "bad-2025/arm/hr/os-5y"))
    assert value is not None
    printed = graph.value(value, SH.value)
    assert printed.datatype == XSD.decimal and printed.toPython() == 120
    assert graph.value(value, SH.sourceShape) == URIRef("https://w3id.org/bclm-kg/shapes/PercentValue")
    # the row's own problem names the curated file as its focus node (every result has one)
    problem = graph.value(predicate=SH.focusNode,
                          object=URIRef("https://w3id.org/bclm-kg/source/data/tables/table1.tsv"))
    assert "row bad-2025, column 'os_5y'" in str(graph.value(problem, SH.resultMessage))
    assert all(graph.value(r, SH.focusNode) is not None for r in graph.objects(None, SH.result))
    page = post(live, "/shacl", body, None, Accept="text/html")
    assert page.status_code == 422 and "kg:study/bad-2025/arm/hr/os-5y" in page.text
    assert "<script>" not in page.text
    assert tree_digest(place.data, submissions=False) == before


def test_a_curators_row_is_committed_and_served_with_its_provenance(live, place):
    studies = study_count(live)
    body = {"file": "tables/table1.tsv", "rows": [row()], "note": "Smith 2025: a new study",
            "source": "doi:10.1234/abcd"}
    answer = post(live, "/api/submissions", body, CURATOR)
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["state"] == "committed" and made["version"] == f"{__version__}+1"
    assert made["links"]["change"] == f"/api/changes/{made['change']}"
    assert git(place.data, "rev-parse", "HEAD").strip() == made["change"]
    assert f"Submission: {made['id']}" in git(place.data, "log", "-1", "--format=%B")
    # every worker answers the new version, in its description and its release
    for _ in range(6):
        assert live.get("/healthz", headers={"Connection": "close"}).json()["version"] == \
            made["version"]
    assert live.get("/download/release.json").json()["version"] == made["version"]
    assert f'"{made["version"]}"' in live.get("/.well-known/void",
                                               headers={"Accept": "text/turtle"}).text
    assert study_count(live) == studies + 1
    found = {(b["p"]["value"], b["o"]["value"])
             for b in select(live, SOURCES.format(study=STUDY + "smith-2025"))}
    assert ("http://purl.org/dc/terms/source", "https://doi.org/10.1234/abcd") in found
    assert ("http://www.w3.org/ns/prov#wasDerivedFrom", "https://doi.org/10.1234/abcd") in found
    listed = live.get("/api/changes").json()
    assert listed["version"] == made["version"]
    assert listed["changes"][0]["id"] == made["change"]
    # (the release before the first change may have to be built: a longer wait)
    detail = live.get(f"/api/changes/{made['change'][:10]}", timeout=600).json()
    assert detail["files"] == ["tables/table1.tsv"] and "smith-2025" in detail["diff"]
    assert any("study/smith-2025" in t for t in detail["triples"]["added"])


def test_a_submitters_change_waits_for_a_curator(live, place):
    start = version(live)
    body = {"file": "tables/table1.tsv", "rows": [row(id="jones-2026", study="Jones, et al.",
                                                      source="doi:10.1234/efgh")],
            "note": "Jones 2026"}
    answer = post(live, "/api/submissions", body, SUBMITTER)
    assert answer.status_code == 202, answer.text
    sid = answer.json()["id"]
    assert live.get(f"/api/submissions/{sid}").json()["state"] == "pending"
    assert version(live) == start
    assert not select(live, SOURCES.format(study=STUDY + "jones-2026"))
    approved = post(live, f"/api/submissions/{sid}/approve", {}, CURATOR)
    assert approved.status_code == 201, approved.text
    assert approved.json()["submission"]["decided_by"] == "alice"
    assert version(live) == approved.json()["version"] != start
    assert select(live, SOURCES.format(study=STUDY + "jones-2026"))
    again = post(live, f"/api/submissions/{sid}/approve", {}, CURATOR)
    assert again.status_code == 409

    other = post(live, "/api/submissions",
                 {"file": "tables/table1.tsv", "rows": [row(id="lee-2026", study="Lee, et al.",
                                                            source="doi:10.1234/ijkl")],
                  "note": "Lee 2026"}, SUBMITTER)
    assert other.status_code == 202
    oid = other.json()["id"]
    no_reason = post(live, f"/api/submissions/{oid}/reject", {}, CURATOR)
    assert no_reason.status_code == 400
    rejected = post(live, f"/api/submissions/{oid}/reject", {"reason": "a duplicate"}, CURATOR)
    assert rejected.status_code == 200
    state = live.get(f"/api/submissions/{oid}").json()
    assert (state["state"], state["reason"]) == ("rejected", "a duplicate")
    assert not select(live, SOURCES.format(study=STUDY + "lee-2026"))


def test_a_revert_restores_the_previous_triples(live, place):
    before = triples(live, "sabol-2014")
    assert before
    fix = post(live, "/api/submissions",
               {"file": "tables/table1.tsv", "note": "Sabol: 5-year OS",
                "corrections": [{"id": "sabol-2014", "cells": {"os_5y": "40"},
                                 "reason": "a test correction"}]}, CURATOR)
    assert fix.status_code == 201, fix.text
    corrected = triples(live, "sabol-2014")
    assert corrected != before
    revert = post(live, f"/api/changes/{fix.json()['change']}/revert",
                  {"reason": "the printed value was right"}, CURATOR)
    assert revert.status_code == 201, revert.text
    assert revert.json()["version"] != fix.json()["version"]
    assert triples(live, "sabol-2014") == before
    assert git(place.data, "status", "--porcelain").strip() == ""


def test_a_read_only_service_says_so(fixture_release):
    client = in_process_app(fixture_release).test_client()
    answer = client.post("/api/submissions", json={"file": "tables/table1.tsv"},
                         headers=bearer(CURATOR))
    assert answer.status_code == 403 and "--tokens" in answer.get_data(as_text=True)
