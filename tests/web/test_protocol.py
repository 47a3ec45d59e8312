"""SPARQL 1.1 Protocol through Flask's test client: methods, media types, the Accept matrix,
error codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import rdflib

SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/bclm-kg/ontology/PublishedStudy> } ORDER BY ?s"
ASK = "ASK { <https://w3id.org/bclm-kg/study/verriest-2015> ?p ?o }"
CONSTRUCT = ("CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/bclm-kg/intervention/hr> AS ?s)"
             " ?s ?p ?o }")
DESCRIBE = "DESCRIBE <https://w3id.org/bclm-kg/intervention/hr>"
STUDIES = {"https://w3id.org/bclm-kg/study/ruiz-2017", "https://w3id.org/bclm-kg/study/verriest-2015",
           "https://w3id.org/bclm-kg/study/vogl-2023"}


def test_get_select_json(client):
    r = client.get("/sparql", query_string={"query": SELECT},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    data = r.json
    assert data["head"]["vars"] == ["s"]
    assert {b["s"]["value"] for b in data["results"]["bindings"]} == STUDIES


def test_post_form_and_direct(client):
    form = client.post("/sparql", data={"query": ASK},
                       headers={"Accept": "application/sparql-results+json"})
    direct = client.post("/sparql", data=ASK.encode(),
                         headers={"Content-Type": "application/sparql-query",
                                  "Accept": "application/sparql-results+json"})
    assert form.status_code == direct.status_code == 200
    assert form.json["boolean"] is True and direct.json["boolean"] is True


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_select_accept_matrix(client, accept, media):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media
    assert "Accept" in r.headers["Vary"]
    if media.endswith("xml"):
        ns = "{http://www.w3.org/2005/sparql-results#}"
        uris = {e.text for e in ET.fromstring(r.data).iter(f"{ns}uri")}
        assert uris == STUDIES
    elif media == "text/csv":
        lines = r.text.split("\r\n")
        assert lines[0] == "s" and set(lines[1:4]) == STUDIES
    elif media == "text/tab-separated-values":
        lines = r.text.splitlines()
        assert lines[0] == "?s" and set(lines[1:]) == {f"<{s}>" for s in STUDIES}


@pytest.mark.parametrize(("accept", "media", "rdflib_format"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/trig", "application/trig", "trig"),
    ("*/*", "text/turtle", "turtle"),
])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_graph_accept_matrix(client, query, accept, media, rdflib_format):
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media
    graph = rdflib.Dataset() if rdflib_format == "trig" else rdflib.Graph()
    graph.parse(data=r.data, format=rdflib_format)
    hr = rdflib.URIRef("https://w3id.org/bclm-kg/intervention/hr")
    assert (hr, rdflib.RDFS.label, rdflib.Literal("肝切除术", lang="zh")) in graph


@pytest.mark.parametrize(("fmt", "media"), [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
])
def test_format_parameter(client, fmt, media):
    r = client.get("/sparql", query_string={"query": SELECT, "format": fmt},
                   headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media


def test_ask_formats(client):
    for accept, expected in (("application/sparql-results+json", '"boolean":true'),
                             ("application/sparql-results+xml", "<boolean>true</boolean>"),
                             ("text/csv", "true"), ("text/tab-separated-values", "true")):
        r = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": accept})
        assert r.status_code == 200 and expected in r.text.replace(" ", "")


@pytest.mark.parametrize(("query", "accept"), [
    (SELECT, "text/turtle"), (SELECT, "image/png"), (CONSTRUCT, "text/csv"),
    (ASK, "application/rdf+xml"),
])
def test_not_acceptable(client, query, accept):
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert r.status_code == 406


def test_unknown_format_parameter_falls_back_to_accept(client):
    r = client.get("/sparql", query_string={"query": SELECT, "format": "pdf"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    r = client.get("/sparql", query_string={"query": SELECT, "format": "pdf"},
                   headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_syntax_error_has_message_and_position(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"},
                   headers={"Accept": "text/plain"})
    assert r.status_code == 400
    assert "Syntax error" in r.text and "1:" in r.text


def test_error_as_json_when_asked(client):
    r = client.get("/sparql", query_string={"query": "ASK {"},
                   headers={"Accept": "application/json"})
    assert r.status_code == 400
    body = r.json
    assert body["status"] == 400 and "error at 1:" in body["message"]


@pytest.mark.parametrize("request_kwargs", [
    {"query_string": {"update": "CLEAR ALL"}},
    {"method": "POST", "data": {"update": "CLEAR ALL"}},
    {"method": "POST", "data": b"INSERT DATA { <a:b> <a:c> <a:d> }",
     "headers": {"Content-Type": "application/sparql-update"}},
    {"method": "POST", "data": {"query": "DELETE WHERE { ?s ?p ?o }"}},
])
def test_updates_are_refused(client, request_kwargs):
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method", "GET")
    r = client.get("/sparql", **kwargs) if method == "GET" else client.post("/sparql", **kwargs)
    assert r.status_code == 403
    assert "read-only" in r.text


def test_wrong_method(client):
    r = client.put("/sparql", query_string={"query": ASK})
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"] and "POST" in r.headers["Allow"]


@pytest.mark.parametrize("headers", [{"Content-Type": "text/plain"}, {}])
def test_wrong_or_missing_media_type(client, headers):
    r = client.post("/sparql", data=ASK.encode(), headers=headers)
    assert r.status_code == 415


def test_non_utf8_direct_post(client):
    r = client.post("/sparql", data=ASK.encode("utf-16"),
                    headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert r.status_code == 415


def test_multiple_queries(client):
    r = client.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert r.status_code == 400


def test_service_is_refused(client):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = client.get("/sparql", query_string={"query": q})
    assert r.status_code == 400 and "SERVICE" in r.text


def test_keywords_inside_strings_do_not_count(client):
    q = 'SELECT ?x WHERE { BIND("INSERT DATA and SERVICE" AS ?x) }  # DELETE'
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and "INSERT DATA and SERVICE" in r.text


def test_protocol_dataset(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = client.get("/sparql", query_string={"query": count}).json
    onto = client.get("/sparql", query_string={
        "query": count, "default-graph-uri": "https://w3id.org/bclm-kg/graph/ontology"}).json
    n_whole = int(whole["results"]["bindings"][0]["n"]["value"])
    n_onto = int(onto["results"]["bindings"][0]["n"]["value"])
    assert 0 < n_onto < n_whole
    named = client.get("/sparql", query_string={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": "https://w3id.org/bclm-kg/graph/inferred"}).json
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [
        "https://w3id.org/bclm-kg/graph/inferred"]


def test_inference_none(client):
    q = ("ASK { <https://w3id.org/bclm-kg/study/verriest-2015> a "
         "<https://w3id.org/bclm-kg/ontology/ResectionStudy> }")
    assert client.get("/sparql", query_string={"query": q}).json["boolean"] is True
    without = {"query": q, "inference": "none"}
    assert client.get("/sparql", query_string=without).json["boolean"] is False
    assert client.post("/sparql", data=without).json["boolean"] is False
    graphs = client.get("/sparql", query_string={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "inference": "none"}).json
    names = {b["g"]["value"] for b in graphs["results"]["bindings"]}
    assert "https://w3id.org/bclm-kg/graph/inferred" not in names
    assert "https://w3id.org/bclm-kg/graph/asserted" in names


def test_five_year_survival_select(client):
    """Studies with 5-year OS of at least 50% (fixture values from Table 1)."""
    q = """PREFIX bclm: <https://w3id.org/bclm-kg/ontology/>
    SELECT ?study ?os5y WHERE {
      ?study bclm:hasArm/bclm:hasOutcome ?o .
      ?o bclm:endpoint <https://w3id.org/bclm-kg/endpoint/overall-survival> ;
         bclm:timepointYears 5 ; bclm:value ?os5y .
      FILTER(?os5y >= 50)
    } ORDER BY DESC(?os5y)"""
    rows = client.get("/sparql", query_string={"query": q}).json["results"]["bindings"]
    got = [(r["study"]["value"].rsplit("/", 1)[1], float(r["os5y"]["value"])) for r in rows]
    assert got == [("vogl-2023", 89.0), ("verriest-2015", 78.0)]


def test_json_literals_are_typed(client):
    q = ("SELECT ?v ?l WHERE { <https://w3id.org/bclm-kg/study/verriest-2015/arm/hr/os-5y> "
         "<https://w3id.org/bclm-kg/ontology/value> ?v . "
         "<https://w3id.org/bclm-kg/intervention/hr> "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?l "
         "FILTER(lang(?l) = 'zh') }")
    row = client.get("/sparql", query_string={"query": q}).json["results"]["bindings"][0]
    assert row["v"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert row["l"] == {"type": "literal", "value": "肝切除术", "xml:lang": "zh"}
    assert json.dumps(row)
