"""Pieces without a server: query text checks, result serialisers, format negotiation."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from flask import Flask, request
from rdflib.query import Result

from bclm_kg.query import results
from bclm_kg.query.sparql_text import looks_like_update, uses_service
from bclm_kg.web.negotiation import NotAcceptable, negotiate


@pytest.mark.parametrize(("text", "update"), [
    ("INSERT DATA { <a:b> <a:c> <a:d> }", True),
    ("PREFIX ex: <http://ex/>\n# SELECT in a comment\nDELETE WHERE { ?s ?p ?o }", True),
    ("WITH <g:1> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
    ("load <http://example.org/x>", True),
    ("SELECT * WHERE { ?s ?p 'INSERT' }", False),
    ('SELECT ?add WHERE { ?s <http://ex/DELETE> ?add }', False),
    ("PREFIX drop: <http://ex/> SELECT * { ?s drop:x ?o }", False),
    ("ASK { ?s ?p ?o FILTER(?o < 5 && ?o > 1) }", False),
])
def test_update_detection(text, update):
    assert looks_like_update(text) is update


def test_service_detection():
    assert uses_service("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    assert uses_service("select * { service silent <http://x/> { ?s ?p ?o } }")
    assert not uses_service("SELECT * { ?s <http://ex/SERVICE> 'SERVICE' }")


TERMS = [
    ox.NamedNode("http://ex/a"),
    ox.Literal("肝切除术", language="zh"),
    ox.Literal("78.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    ox.Literal('tab\there, "quoted", comma\nnewline'),
    ox.BlankNode("b0"),
    None,
]


@pytest.mark.parametrize(("fmt", "rdflib_format"), [
    ("json", "json"), ("xml", "xml"), ("tsv", "tsv"), ("csv", "csv")])
def test_solutions_round_trip(fmt, rdflib_format):
    variables = ["a", "b", "c", "d", "e", "f"]
    data = results.solutions(variables, [TERMS], fmt)
    parsed = Result.parse(io.BytesIO(data), format=rdflib_format)
    assert [str(v) for v in parsed.vars] == variables
    row = list(parsed)[0]
    assert str(row[0]) == "http://ex/a"
    assert str(row[1]) == "肝切除术"
    assert str(row[3]) == 'tab\there, "quoted", comma\nnewline'
    if fmt != "csv":  # CSV drops language tags and datatypes by design
        assert row[1].language == "zh"
        assert str(row[2].datatype).endswith("#decimal")
    assert row[5] is None or str(row[5]) == ""


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_boolean_round_trip(fmt):
    for value in (True, False):
        parsed = Result.parse(io.BytesIO(results.boolean(value, fmt)), format=fmt)
        assert parsed.askAnswer is value


def test_negotiation_uses_werkzeug():
    app = Flask(__name__)
    cases = [
        ({"Accept": "text/turtle;q=0.5, application/ld+json"}, ["graph"], "jsonld"),
        ({"Accept": "*/*"}, ["graph", "html"], "turtle"),
        ({"Accept": "text/html,application/xml;q=0.9,*/*;q=0.8"}, ["graph", "html"], "html"),
        ({}, ["results"], "json"),
        ({"Accept": "application/xml"}, ["graph"], "rdfxml"),
        ({"Accept": "application/xml"}, ["results"], "xml"),
    ]
    for headers, kinds, expected in cases:
        with app.test_request_context("/", headers=headers):
            assert negotiate(request, kinds).name == expected
    with app.test_request_context("/", headers={"Accept": "image/png"}), \
            pytest.raises(NotAcceptable):
        negotiate(request, ["results"])
