"""The W3C SPARQL 1.1 Protocol test manifest, run against the live service.

Each test is an HTTP request whose ``/sparql/`` path prefix is replaced by ours; its expected
status class, result format and ASK boolean are checked. Data a test names in ``ut:graphData``
is loaded as named graphs beside the release when the server starts (see ``w3c_server``).
The ``update_*`` tests need a writable endpoint and are skipped: this one is read-only.
"""

from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import rdflib
from rdflib.collection import Collection

from .conftest import W3C

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
MANIFEST = W3C / "manifest.ttl"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"

RESULT_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


def load_tests(path: Path) -> list[tuple[str, rdflib.Graph, rdflib.term.Node]]:
    graph = rdflib.Graph().parse(path, format="turtle", publicID=BASE)
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    entries = Collection(graph, graph.value(manifest, MF.entries))
    return [(str(test).rsplit("#", 1)[1], graph, test) for test in entries]


TESTS = load_tests(MANIFEST) if MANIFEST.is_file() else []


def requests_of(graph: rdflib.Graph, test) -> list:
    action = graph.value(test, MF.action)
    return list(Collection(graph, graph.value(action, HT.requests)))


def send(server_url: str, graph: rdflib.Graph, req) -> http.client.HTTPResponse:
    method = str(graph.value(req, HT.methodName))
    path = str(graph.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    headers = {}
    header_list = graph.value(req, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(
                graph.value(header, HT.fieldValue))
    body = None
    content = graph.value(req, HT.body)
    if content is not None:
        encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(content, CNT.chars)).encode(encoding)
    url = urlsplit(server_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request(method, path, body=body, headers=headers)
    return conn.getresponse()


def check_response(graph: rdflib.Graph, req, response: http.client.HTTPResponse) -> None:
    expected = graph.value(req, HT.resp)
    classes = {str(s).rsplit("StatusCode", 1)[1][0] for s in graph.objects(expected,
                                                                            MF.expectedStatus)}
    status = response.status
    body = response.read()
    assert str(status)[0] in classes, f"status {status}, expected {classes}xx: {body[:300]!r}"
    fmt = graph.value(expected, MF.expectedFormat)
    media = (response.getheader("Content-Type") or "").split(";")[0].strip()
    if fmt is not None:
        assert media in RESULT_TYPES[str(fmt)], f"{media} is not a {fmt} format"
    boolean = graph.value(expected, MF.expectedBoolean)
    if boolean is not None:
        if media.endswith("json"):
            value = json.loads(body)["boolean"]
        else:
            ns = "{http://www.w3.org/2005/sparql-results#}"
            value = ET.fromstring(body).find(f"{ns}boolean").text == "true"
        assert value is boolean.toPython()


@pytest.mark.parametrize(("name", "graph", "test"), TESTS, ids=[t[0] for t in TESTS])
def test_w3c_protocol(w3c_server, name, graph, test):
    if name.startswith("update_"):
        pytest.skip("needs a writable endpoint (SPARQL Update): this endpoint is read-only")
    for req in requests_of(graph, test):
        check_response(graph, req, send(w3c_server.url, graph, req))


def test_manifest_is_complete():
    names = [t[0] for t in TESTS]
    assert len(names) == 34
    assert sum(n.startswith("query_") for n in names) == 13
    assert sum(n.startswith("bad_") for n in names) == 14
