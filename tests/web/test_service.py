"""Service description, VoID, dumps, CORS, health check, request log, ``gunicorn server:app``."""

from __future__ import annotations

import gzip
import json
import sys

import rdflib
import requests
from gunicorn.config import KNOWN_SETTINGS

from .conftest import TEST_ENV, free_port, start_server, stop_server

KNOWN_SETTINGS_NAMES = {setting.name for setting in KNOWN_SETTINGS}
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def test_service_description(server):
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml")):
        r = server.get("/sparql", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        g = rdflib.Graph().parse(data=r.content, format=fmt)
        service = g.value(predicate=rdflib.RDF.type, object=SD.Service)
        assert g.value(service, SD.endpoint) == rdflib.URIRef(server.sparql)
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
        assert (service, SD.resultFormat,
                rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV")) in g
        labels = {str(g.value(f, rdflib.RDFS.label)) for f in g.objects(service, SD.feature)}
        assert "inference=none" in labels
        names = set(g.objects(None, SD.name))
        assert rdflib.URIRef("https://w3id.org/bclm-kg/graph/inferred") in names


def test_query_page_for_browsers(server):
    r = server.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and 'id="query"' in r.text


def test_void(server):
    r = server.get("/.well-known/void")
    assert r.headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    datasets = set(g.subjects(rdflib.RDF.type, DCAT.Dataset))
    ds = next(iter(datasets))
    assert str(ds) == "https://w3id.org/bclm-kg/release/0.0.0-test"
    count = server.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert int(g.value(ds, VOID.triples)) == int(count["results"]["bindings"][0]["n"]["value"])
    assert int(g.value(ds, VOID.classes)) > 10
    assert g.value(ds, rdflib.DCTERMS.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    assert str(g.value(ds, DCAT.version)) == "0.0.0-test"
    dumps = {str(d).rsplit("/", 1)[1] for d in g.objects(ds, VOID.dataDump)}
    assert dumps == {"bclm.ttl", "bclm.jsonld", "bclm.nt", "bclm.trig"}
    examples = {str(e) for e in g.objects(ds, VOID.exampleResource)}
    assert "https://w3id.org/bclm-kg/intervention/hr" in examples
    assert g.value(ds, VOID.sparqlEndpoint) == rdflib.URIRef(server.sparql)
    for dump in g.objects(ds, VOID.dataDump):  # every advertised dump is there
        assert requests.head(str(dump), timeout=10).status_code == 200
    jsonld = server.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=jsonld.content, format="json-ld")) == len(g)


def test_dumps_conditional_and_gzip(server, fixture_release):
    for name, fmt in (("bclm.ttl", "turtle"), ("bclm.nt", "nt"), ("bclm.jsonld", "json-ld"),
                      ("bclm.trig", "trig")):
        r = server.get(f"/download/{name}", headers={"Accept-Encoding": "identity"})
        assert r.status_code == 200 and "Content-Encoding" not in r.headers
        assert r.content == (fixture_release / name).read_bytes()
        etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
        plain = {"Accept-Encoding": "identity"}
        assert server.get(f"/download/{name}",
                          headers={**plain, "If-None-Match": etag}).status_code == 304
        assert server.get(f"/download/{name}",
                          headers={**plain, "If-Modified-Since": modified}).status_code == 304
        raw = requests.get(f"{server.url}/download/{name}", stream=True, timeout=10,
                           headers={"Accept-Encoding": "gzip"})
        assert raw.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(raw.raw.read()) == (fixture_release / name).read_bytes()
        assert raw.headers["ETag"] != etag
        assert "Accept-Encoding" in raw.headers["Vary"]
        assert server.get(f"/download/{name}", headers={
            "Accept-Encoding": "gzip", "If-None-Match": raw.headers["ETag"]}).status_code == 304
        kind = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
        assert len(kind.parse(data=r.content, format=fmt)) > 0
    assert server.get("/download/secrets.txt").status_code == 404


def test_cors(server):
    r = server.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://tool.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Query-Truncated" in r.headers["Access-Control-Expose-Headers"]
    pre = requests.options(server.sparql, timeout=10, headers={
        "Origin": "https://tool.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert server.get("/study/verriest-2015.ttl",
                      headers={"Origin": "https://x.example"}).headers[
        "Access-Control-Allow-Origin"] == "*"


def test_healthz(server):
    r = server.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["quads"] > 0


def test_request_log_lines(server):
    server.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    server.get("/study/verriest-2015")
    records = []
    for line in server.log_lines():
        if line.startswith("{"):
            records.append(json.loads(line))
    queries = [r for r in records if r["route"] == "/sparql" and r["query_hash"]]
    assert queries and {"route", "status", "duration_ms", "query_hash"} <= set(queries[-1])
    assert any(r["route"] == "/<path:path>" and r["path"] == "/study/verriest-2015"
               for r in records)


def test_named_queries(server):
    examples = server.get("/api/examples").json()
    assert examples[0]["name"] == "01-os-5y-50"
    r = server.get(examples[0]["url"], headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.text.startswith("study,label,arm,os5y")
    assert server.get("/query/nothing-here").status_code == 404


def test_gunicorn_server_app(fixture_release, tmp_path):
    """``gunicorn server:app`` serves the same app (settings from the environment)."""
    port = free_port()
    env = {**TEST_ENV, "BCLM_RELEASE_DIR": str(fixture_release)}
    cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
           "--worker-class", "gthread", "--threads", "2", "server:app"]
    if "control_socket_disable" in KNOWN_SETTINGS_NAMES:
        cmd.insert(-1, "--no-control-socket")
    live = start_server(cmd, env, tmp_path / "gunicorn.log", port)
    try:
        r = live.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 200 and r.json()["boolean"] is True
    finally:
        stop_server(live)
