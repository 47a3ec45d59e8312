"""The Graph Store Protocol's read side at ``/rdf-graph-store``: the release's named graphs
by ``?graph=IRI``, their union by ``?default``; writes refused with 405."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import rdflib
from rdflib.compare import isomorphic

from .conftest import FIXTURES

KG = "https://w3id.org/bclm-kg/"
STORE = "/rdf-graph-store"
FIXTURE_GRAPHS = ("ontology", "asserted", "inferred", "provenance")  # the fixture has no external
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


@pytest.fixture(scope="module")
def dataset() -> rdflib.Dataset:
    return rdflib.Dataset().parse(FIXTURES / "release" / "bclm.trig", format="trig")


def canonical(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph with decimals in one spelling (the store keeps 78.0 as 78)."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.decimal:
            o = rdflib.Literal(format(Decimal(str(o)).normalize(), "f"), datatype=o.datatype)
        out.add((s, p, o))
    return out


def get(client, **params):
    return client.get(STORE, query_string=params, headers={"Accept": "text/turtle"})


@pytest.mark.parametrize("name", FIXTURE_GRAPHS)
def test_a_named_graph_is_served_whole(client, dataset, name):
    response = get(client, graph=KG + "graph/" + name)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    served = rdflib.Graph().parse(data=response.data, format="turtle")
    expected = dataset.graph(rdflib.URIRef(KG + "graph/" + name))
    assert len(served) == len(expected) > 0
    assert isomorphic(canonical(served), canonical(expected))


def test_the_default_graph_is_the_union(client, dataset):
    response = client.get(STORE + "?default", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    served = rdflib.Graph().parse(data=response.data, format="nt")
    union = rdflib.Graph()
    for name in FIXTURE_GRAPHS:
        for triple in dataset.graph(rdflib.URIRef(KG + "graph/" + name)):
            union.add(triple)
    assert isomorphic(canonical(served), canonical(union))


def test_formats_by_accept_and_by_name(client):
    asserted = KG + "graph/asserted"
    jsonld = client.get(STORE, query_string={"graph": asserted},
                        headers={"Accept": "application/ld+json"})
    assert jsonld.headers["Content-Type"].startswith("application/ld+json")
    nt = client.get(STORE, query_string={"graph": asserted, "format": "nt"})
    assert nt.headers["Content-Type"] == "application/n-triples"
    assert isomorphic(rdflib.Graph().parse(data=jsonld.data, format="json-ld"),
                      rdflib.Graph().parse(data=nt.data, format="nt"))
    refused = client.get(STORE, query_string={"graph": asserted}, headers={"Accept": "image/png"})
    assert refused.status_code == 406


@pytest.mark.parametrize(("query", "message"), [
    ("", "Name the graph"),
    ("?default&graph=https://w3id.org/bclm-kg/graph/asserted", "not both"),
    ("?graph=https://w3id.org/bclm-kg/graph/asserted&graph=https://w3id.org/bclm-kg/graph/"
     "inferred", "Exactly one 'graph'"),
    ("?graph=graph/asserted", "not an absolute IRI"),
])
def test_bad_requests(client, query, message):
    response = client.get(STORE + query)
    assert response.status_code == 400
    assert message in response.text


def test_unknown_graph_is_404(client):
    for method in (client.get, client.head):
        response = method(STORE, query_string={"graph": KG + "graph/nothing"})
        assert response.status_code == 404
    assert f"<{KG}graph/nothing>" in client.get(
        STORE, query_string={"graph": KG + "graph/nothing"}).text


def test_head_has_the_headers_of_get(client):
    params = {"graph": KG + "graph/provenance"}
    full = client.get(STORE, query_string=params)
    head = client.head(STORE, query_string=params)
    assert head.status_code == 200 and head.data == b""
    for name in ("Content-Type", "Content-Length", "ETag"):
        assert head.headers[name] == full.headers[name]


def test_conditional_get(client):
    params = {"graph": KG + "graph/ontology"}
    etag = client.get(STORE, query_string=params).headers["ETag"]
    again = client.get(STORE, query_string=params, headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get(STORE, query_string={**params, "format": "nt"},
                       headers={"If-None-Match": etag})
    assert other.status_code == 200


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
def test_writes_are_refused_and_point_to_submissions(client, method):
    params = {"graph": KG + "graph/asserted"}
    before = client.get(STORE, query_string=params, headers={"Accept": "text/turtle"}).data
    response = client.open(STORE, method=method, query_string=params,
                           data=f"<{KG}x> <{KG}y> <{KG}z> .",
                           headers={"Content-Type": "text/turtle"})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    body = json.loads(response.data)
    assert body["submit"] == {"method": "POST", "href": "http://localhost/api/submissions"}
    assert "POST /api/submissions" in body["message"]
    assert client.get(STORE, query_string=params, headers={"Accept": "text/turtle"}).data == before


def test_advertised_in_the_service_description_and_void(client):
    sd = rdflib.Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data,
                              format="turtle")
    store = rdflib.URIRef("http://localhost" + STORE)
    assert (store, DCT.conformsTo,
            rdflib.URIRef("https://www.w3.org/TR/sparql11-http-rdf-update/")) in sd
    void = rdflib.Graph().parse(
        data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
        format="turtle")
    dumps = {str(g): str(d) for g, d in void.subject_objects(VOID.dataDump)
             if str(g).startswith(KG + "graph/")}
    assert dumps == {KG + f"graph/{n}": f"http://localhost{STORE}?graph={KG}graph/{n}"
                     for n in FIXTURE_GRAPHS}
    for graph, url in dumps.items():  # each dump link answers with its graph
        served = client.get(url.removeprefix("http://localhost"),
                            headers={"Accept": "text/turtle"})
        assert served.status_code == 200, graph


def test_real_release_asserted_graph_has_the_printed_survival(real_client):
    """Verriest 2015 (Table 1): 5-year OS 78 %, in graph/asserted, not in graph/inferred."""
    params = {"graph": KG + "graph/asserted", "format": "nt"}
    asserted = rdflib.Graph().parse(data=real_client.get(STORE, query_string=params).data,
                                    format="nt")
    query = f"""PREFIX bclm: <{KG}ontology/>
    SELECT ?value WHERE {{ <{KG}study/verriest-2015> bclm:hasArm/bclm:hasOutcome ?o .
      ?o a bclm:OverallSurvivalRate ; bclm:timepointYears 5 ; bclm:value ?value }}"""
    assert [float(row.value) for row in asserted.query(query)] == [78.0]
    inferred = rdflib.Graph().parse(data=real_client.get(STORE, query_string={
        **params, "graph": KG + "graph/inferred"}).data, format="nt")
    assert not list(inferred.query(query))


def test_options_lists_only_the_read_methods(client):
    response = client.options(STORE)
    assert response.status_code == 200
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    preflight = client.options(STORE, headers={"Origin": "https://tool.example",
                                               "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
