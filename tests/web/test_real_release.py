"""The service on the project's own release (through Flask's test client): the paper's values
through the endpoint, and every kind of minted IRI dereferencing."""

from __future__ import annotations

import rdflib

KG = "https://w3id.org/bclm-kg/"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")

# 5-year overall survival ≥ 50% in Tables 1 and 2 of the review: (study, arm or None, value).
OS_5Y_AT_LEAST_50 = {
    ("verriest-2015", None, 78.0),
    ("ruiz-2018a", None, 57.0),
    ("bacalbasa-2018", None, 69.0),
    ("vogl-2023", "mwa", 89.0),
    ("ye-2015", None, 53.0),
    ("cheung-2019", None, 58.9),
    ("chen-2022", "hr", 51.6),
}


def test_five_year_survival_at_least_50(real_client):
    query = real_client.get("/api/examples").json[0]["query"]
    rows = real_client.get("/sparql", query_string={"query": query},
                           headers={"Accept": "application/sparql-results+json"}).json[
        "results"]["bindings"]
    found = set()
    for row in rows:
        study = row["study"]["value"]
        if not study.startswith(KG + "study/"):
            continue
        arm = row.get("arm", {}).get("value")
        arms = len(real_client.get("/sparql", query_string={
            "query": f"SELECT ?a {{ <{study}> <{KG}ontology/hasArm> ?a }}"}).json[
            "results"]["bindings"])
        found.add((study.rsplit("/", 1)[1], arm.rsplit("/", 1)[1] if arm and arms > 1 else None,
                   round(float(row["os5y"]["value"]), 1)))
    assert found == OS_5Y_AT_LEAST_50


def test_example_resources_dereference(real_client):
    g = rdflib.Graph().parse(data=real_client.get("/.well-known/void").data, format="turtle")
    examples = [str(e) for e in g.objects(None, VOID.exampleResource)]
    assert {e[len(KG):].split("/", 1)[0] for e in examples} >= {
        "study", "trial", "intervention", "factor", "reference"}
    for iri in examples + [KG + "ontology/HepaticResection"]:
        path = iri[len(KG) - 1:]
        html = real_client.get(path, headers={"Accept": "text/html"})
        assert html.status_code == 200 and iri in html.text
        turtle = real_client.get(path + ".ttl")
        graph = rdflib.Graph().parse(data=turtle.data, format="turtle")
        assert (rdflib.URIRef(iri), None, None) in graph


def test_study_page_states_its_table_row(real_client):
    html = real_client.get("/study/verriest-2015", headers={"Accept": "text/html"}).text
    assert "Table 1, row 8" in html
