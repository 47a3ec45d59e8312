"""Real SPARQL clients against the running service: SPARQLWrapper in every result format, and
rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io
import xml.dom.minidom

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

BCLM = rdflib.Namespace("https://w3id.org/bclm-kg/ontology/")
KG = rdflib.Namespace("https://w3id.org/bclm-kg/")
OS5 = """PREFIX bclm: <https://w3id.org/bclm-kg/ontology/>
SELECT ?study ?os5y WHERE {
  ?study bclm:hasArm/bclm:hasOutcome ?o .
  ?o bclm:endpoint <https://w3id.org/bclm-kg/endpoint/overall-survival> ;
     bclm:timepointYears 5 ; bclm:value ?os5y .
  FILTER(?os5y >= 50)
} ORDER BY DESC(?os5y)"""
EXPECTED = [(str(KG["study/vogl-2023"]), 89.0), (str(KG["study/verriest-2015"]), 78.0)]


def wrapper(server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.sparql)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", POST])
def test_select_json(server, method):
    data = wrapper(server, OS5, JSON, method).queryAndConvert()
    got = [(b["study"]["value"], float(b["os5y"]["value"])) for b in data["results"]["bindings"]]
    assert got == EXPECTED


def test_select_xml(server):
    doc = wrapper(server, OS5, XML).queryAndConvert()
    assert isinstance(doc, xml.dom.minidom.Document)
    uris = [e.firstChild.data for e in doc.getElementsByTagName("uri")]
    assert uris == [s for s, _ in EXPECTED]


@pytest.mark.parametrize(("fmt", "delimiter"), [(CSV, ","), (TSV, "\t")])
def test_select_csv_tsv(server, fmt, delimiter):
    raw = wrapper(server, OS5, fmt).queryAndConvert()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")), delimiter=delimiter))
    assert rows[0] in (["study", "os5y"], ["?study", "?os5y"])
    assert [r[0].strip("<>") for r in rows[1:] if r] == [s for s, _ in EXPECTED]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(server, fmt):
    q = f"ASK {{ <{KG['study/vogl-2023']}> <{BCLM.hasArm}> ?arm }}"
    result = wrapper(server, q, fmt).queryAndConvert()
    if fmt == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


CONSTRUCT = f"""CONSTRUCT {{ ?arm <{BCLM.receivesIntervention}> ?i }}
WHERE {{ <{KG['study/vogl-2023']}> <{BCLM.hasArm}> ?arm .
         ?arm <{BCLM.receivesIntervention}> ?i }}"""
DESCRIBE = f"DESCRIBE <{KG['study/vogl-2023/arm/mwa']}>"


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, RDFXML, N3])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_graph_formats(server, query, fmt):
    result = wrapper(server, query, fmt).queryAndConvert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(
        data=result, format={TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld"}.get(fmt, "xml"))
    mwa = KG["study/vogl-2023/arm/mwa"]
    assert (mwa, BCLM.receivesIntervention, KG["intervention/mwa"]) in graph
    if query is CONSTRUCT:
        assert len(graph) == 6  # LITT, LITT+TACE, MWA, MWA+TACE: six intervention links



@pytest.fixture
def remote(server) -> rdflib.Graph:
    """rdflib's SPARQLStore with its default settings (XML results, RDF/XML graphs)."""
    return rdflib.Graph(store=SPARQLStore(query_endpoint=server.sparql))


@pytest.mark.parametrize(("return_format", "method"), [
    ("xml", "GET"), ("json", "GET"), ("json", "POST"), ("csv", "POST_FORM")])
def test_sparqlstore_select(server, return_format, method):
    store = SPARQLStore(query_endpoint=server.sparql, returnFormat=return_format, method=method)
    rows = [(str(r.study), float(r.os5y)) for r in rdflib.Graph(store=store).query(OS5)]
    assert rows == EXPECTED


def test_sparqlstore_ask_and_construct(remote):
    assert remote.query(f"ASK {{ <{KG['intervention/hr']}> ?p ?o }}").askAnswer is True
    graph = remote.query(CONSTRUCT).graph
    assert (KG["study/vogl-2023/arm/mwa"], BCLM.receivesIntervention,
            KG["intervention/mwa"]) in graph


def test_sparqlstore_triples(remote):
    labels = set(remote.objects(KG["intervention/hr"], rdflib.RDFS.label))
    assert rdflib.Literal("肝切除术", lang="zh") in labels
