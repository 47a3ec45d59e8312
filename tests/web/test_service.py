"""Service description, VoID, dumps, CORS, health check and named queries through Flask's test
client; the request log and ``gunicorn server:app`` on a real server."""

from __future__ import annotations

import gzip
import json
import sys
from urllib.parse import urlsplit

import rdflib
from gunicorn.config import KNOWN_SETTINGS

from bclm_kg.query.sparql_text import query_hash

from .conftest import TEST_ENV, free_port, start_server, stop_server

KNOWN_SETTINGS_NAMES = {setting.name for setting in KNOWN_SETTINGS}
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
ENDPOINT = "http://localhost/sparql"  # the test client's host


def test_service_description(client):
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml")):
        r = client.get("/sparql", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        g = rdflib.Graph().parse(data=r.data, format=fmt)
        service = g.value(predicate=rdflib.RDF.type, object=SD.Service)
        assert g.value(service, SD.endpoint) == rdflib.URIRef(ENDPOINT)
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
        assert (service, SD.resultFormat,
                rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV")) in g
        labels = {str(g.value(f, rdflib.RDFS.label)) for f in g.objects(service, SD.feature)}
        assert "inference=none" in labels
        names = set(g.objects(None, SD.name))
        assert rdflib.URIRef("https://w3id.org/bclm-kg/graph/inferred") in names


def test_query_page_for_browsers(client):
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and 'id="query"' in r.text


def test_void(client):
    r = client.get("/.well-known/void")
    assert r.headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    datasets = set(g.subjects(rdflib.RDF.type, DCAT.Dataset))
    ds = next(iter(datasets))
    assert str(ds) == "https://w3id.org/bclm-kg/release/0.0.0-test"
    count = client.get("/sparql",
                       query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json
    assert int(g.value(ds, VOID.triples)) == int(count["results"]["bindings"][0]["n"]["value"])
    assert int(g.value(ds, VOID.classes)) > 10
    assert g.value(ds, rdflib.DCTERMS.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    assert str(g.value(ds, DCAT.version)) == "0.0.0-test"
    dumps = {str(d).rsplit("/", 1)[1] for d in g.objects(ds, VOID.dataDump)}
    assert dumps == {"bclm.ttl", "bclm.jsonld", "bclm.nt", "bclm.trig"}
    examples = {str(e) for e in g.objects(ds, VOID.exampleResource)}
    assert "https://w3id.org/bclm-kg/intervention/hr" in examples
    assert g.value(ds, VOID.sparqlEndpoint) == rdflib.URIRef(ENDPOINT)
    for dump in g.objects(ds, VOID.dataDump):  # every advertised dump is there
        assert client.head(urlsplit(str(dump)).path).status_code == 200
    jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=jsonld.data, format="json-ld")) == len(g)


def test_dumps_conditional_and_gzip(client, fixture_release):
    for name, fmt in (("bclm.ttl", "turtle"), ("bclm.nt", "nt"), ("bclm.jsonld", "json-ld"),
                      ("bclm.trig", "trig")):
        r = client.get(f"/download/{name}", headers={"Accept-Encoding": "identity"})
        assert r.status_code == 200 and "Content-Encoding" not in r.headers
        assert r.data == (fixture_release / name).read_bytes()
        etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
        plain = {"Accept-Encoding": "identity"}
        assert client.get(f"/download/{name}",
                          headers={**plain, "If-None-Match": etag}).status_code == 304
        assert client.get(f"/download/{name}",
                          headers={**plain, "If-Modified-Since": modified}).status_code == 304
        raw = client.get(f"/download/{name}", headers={"Accept-Encoding": "gzip"})
        assert raw.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(raw.data) == (fixture_release / name).read_bytes()
        assert raw.headers["ETag"] != etag
        assert "Accept-Encoding" in raw.headers["Vary"]
        assert client.get(f"/download/{name}", headers={
            "Accept-Encoding": "gzip", "If-None-Match": raw.headers["ETag"]}).status_code == 304
        kind = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
        assert len(kind.parse(data=r.data, format=fmt)) > 0
    assert client.get("/download/secrets.txt").status_code == 404


def test_cors(client):
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://tool.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Query-Truncated" in r.headers["Access-Control-Expose-Headers"]
    pre = client.options("/sparql", headers={
        "Origin": "https://tool.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert client.get("/study/verriest-2015.ttl",
                      headers={"Origin": "https://x.example"}).headers[
        "Access-Control-Allow-Origin"] == "*"


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json
    assert body["status"] == "ok" and body["quads"] > 0


def test_named_queries(client):
    examples = client.get("/api/examples").json
    assert examples[0]["name"] == "01-os-5y-50"
    r = client.get(examples[0]["url"], headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.text.startswith("study,label,arm,os5y")
    assert client.get("/query/nothing-here").status_code == 404


def access_record(line: str) -> dict | None:
    return json.loads(line) if line.startswith("{") else None


def test_request_log_lines(server):
    text = "ASK { ?s ?p ?o . FILTER(isIRI(?s)) }"
    server.get("/sparql", params={"query": text})
    server.get("/study/verriest-2015")
    # The line is written before the response is sent; wait until the reader has it.
    query = access_record(server.wait_for_line(
        lambda line: f'"query_hash":"{query_hash(text)}"' in line))
    assert {"route", "status", "duration_ms", "query_hash"} <= set(query)
    assert query["route"] == "/sparql" and query["status"] == 200
    page = access_record(server.wait_for_line(
        lambda line: line.startswith('{"method":"GET","path":"/study/verriest-2015"')))
    assert page["route"] == "/<minted:path>" and page["status"] == 200


def test_gunicorn_server_app(fixture_release):
    """``gunicorn server:app`` serves the same app (settings from the environment)."""
    port = free_port()
    env = {**TEST_ENV, "BCLM_RELEASE_DIR": str(fixture_release)}
    cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
           "--worker-class", "gthread", "--threads", "2", "server:app"]
    if "control_socket_disable" in KNOWN_SETTINGS_NAMES:
        cmd.insert(-1, "--no-control-socket")
    live = start_server(cmd, env, port)
    try:
        r = live.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 200 and r.json()["boolean"] is True
    finally:
        stop_server(live)
