"""The W3C SPARQL 1.1 Protocol test manifest, run through Flask's test client.

Each test is an HTTP request whose ``/sparql/`` path prefix is replaced by ours; its expected
status class, result format and ASK boolean are checked. Data a test names in ``ut:graphData``
is loaded as named graphs beside the release (see ``w3c_client``). The manifest comes from the
shared reference material; without it these tests are skipped. The ``update_*`` tests need a
writable endpoint and are skipped: this one is read-only.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import rdflib
from werkzeug.test import TestResponse

from tests.shared import missing_reason, shared_path

from .conftest import W3C_DIR
from .w3c_manifest import HT, MF, check_status, load_tests, requests_of, send

MANIFEST_NAME = f"{W3C_DIR}/manifest.ttl"
MANIFEST = shared_path(MANIFEST_NAME)
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"

RESULT_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}

TESTS = load_tests(MANIFEST, BASE) if MANIFEST is not None else []


def check_response(graph: rdflib.Graph, req, response: TestResponse) -> None:
    check_status(graph, req, response)
    expected = graph.value(req, HT.resp)
    body = response.data
    fmt = graph.value(expected, MF.expectedFormat)
    media = (response.headers.get("Content-Type") or "").split(";")[0].strip()
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


PARAMS = [pytest.param(*t, id=t[0]) for t in TESTS] or [pytest.param(
    None, None, None, id="manifest", marks=pytest.mark.skip(reason=missing_reason(MANIFEST_NAME)))]


@pytest.mark.parametrize(("name", "graph", "test"), PARAMS)
def test_w3c_protocol(w3c_client, name, graph, test):
    if name.startswith("update_"):
        pytest.skip("needs a writable endpoint (SPARQL Update): this endpoint is read-only")
    for req in requests_of(graph, test):
        check_response(graph, req, send(w3c_client, graph, req, "/sparql/", "/sparql"))


@pytest.mark.skipif(MANIFEST is None, reason=missing_reason(MANIFEST_NAME))
def test_manifest_is_complete():
    names = [t[0] for t in TESTS]
    assert len(names) == 34
    assert sum(n.startswith("query_") for n in names) == 13
    assert sum(n.startswith("bad_") for n in names) == 14
