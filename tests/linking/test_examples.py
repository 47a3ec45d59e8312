"""The named queries as SPARQL examples in RDF (SIB style): listed, linked from the service
description, and every one runs and returns rows."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from bclm_kg.web import queries

SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
TEXT = (SH.select, SH.ask, SH.construct,
        URIRef("https://purl.expasy.org/sparql-examples/ontology#describe"))


@pytest.fixture(scope="module")
def examples(app: Flask) -> Graph:
    response = app.test_client().get("/.well-known/sparql-examples",
                                     headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.data, format="turtle")


def test_every_named_query_is_an_executable(examples: Graph) -> None:
    nodes = set(examples.subjects(RDF.type, SH.SPARQLExecutable))
    assert len(nodes) == len(queries.examples()) == 17
    endpoint = URIRef("http://localhost/sparql")
    for node in nodes:
        assert examples.value(node, RDFS.comment) is not None, node
        assert examples.value(node, SCHEMA.target) == endpoint, node
        assert list(examples.objects(node, SCHEMA.keywords)), node
        assert any(examples.value(node, p) for p in TEXT), node
    ncit = URIRef("http://localhost/.well-known/sparql-examples/14-studies-by-ncit-code")
    assert {str(k) for k in examples.objects(ncit, SCHEMA.keywords)} >= {"NCIt", "mapping"}
    declared = {str(examples.value(d, SH.prefix)) for d in examples.objects(None, SH.declare)}
    assert {"bclm", "rdfs", "skos"} <= declared


def test_linked_from_the_service_description(client: FlaskClient) -> None:
    graph = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data,
                          format="turtle")
    assert (URIRef("http://localhost/sparql"), RDFS.seeAlso,
            URIRef("http://localhost/.well-known/sparql-examples")) in graph


def test_one_example_by_name(client: FlaskClient) -> None:
    response = client.get("/.well-known/sparql-examples/03-trials",
                          headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    assert len(set(graph.subjects(RDF.type, SH.SPARQLExecutable))) == 1
    assert client.get("/.well-known/sparql-examples/nope").status_code == 404


def run(client: FlaskClient, text: str) -> list[dict]:
    response = client.post("/sparql", data={"query": text},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]["bindings"]


def test_every_example_returns_rows(client: FlaskClient, examples: Graph) -> None:
    for node in sorted(examples.subjects(RDF.type, SH.SPARQLExecutable)):
        text = next(str(examples.value(node, p)) for p in TEXT if examples.value(node, p))
        assert run(client, text), f"{node} returned no rows"


def test_ncit_code_query_finds_the_rfa_studies(client: FlaskClient) -> None:
    rows = run(client, queries.example("14-studies-by-ncit-code").text)
    # 16 rows of Tables 1 and 2 with an RFA or SRFA arm, and the unpublished cohort.
    assert len({r["study"]["value"] for r in rows}) == 17
    assert {r["ncit_label"]["value"] for r in rows} == {"Radiofrequency Ablation"}


def test_ncit_code_or_child_counts_per_intervention(client: FlaskClient) -> None:
    rows = run(client, queries.example("15-studies-by-ncit-code-or-child").text)
    counts = {r["intervention_label"]["value"]: int(r["studies"]["value"]) for r in rows}
    assert counts == {"radiofrequency ablation": 15, "microwave ablation": 4,
                      "cryoablation": 2, "stereotactic radiofrequency ablation": 2,
                      "laser-induced interstitial thermotherapy": 1}


def test_mesh_label_query(client: FlaskClient) -> None:
    rows = run(client, queries.example("16-studies-by-mesh-label").text)
    found = {r["class"]["value"].rsplit("/", 1)[1]: int(r["studies"]["value"]) for r in rows}
    assert found["HepaticResection"] == 38
    assert found["LaparoscopicHepatectomy"] == 0
