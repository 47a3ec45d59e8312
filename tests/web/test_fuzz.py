"""Generated requests to every route, through the test client: no answer is a server error.

Paths, query strings, headers, form fields and bodies are drawn by ``hypothesis`` from values
that mean something here (routes, resources, queries, media types) mixed with arbitrary text.
The run is derandomised and bounded, so it is the same on every machine and takes seconds.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PREFIXES = ["/sparql", "/sparql/", "/healthz", "/.well-known/void", "/download/", "/",
            "/api/examples", "/query/", "/static/", "/study/", "/trial/", "/reference/",
            "/intervention/", "/ontology/", "/factor/", "/place/", "/graph/", "/review/", "/x/"]
SEGMENTS = ["verriest-2015", "verriest-2015.ttl", "vogl-2023/arm/mwa", "NCT04079049", "13",
            "hr.jsonld", "HepaticResection", "inferred", "bclm.ttl", "release.json",
            "01-os-5y-50", "query.js", "a<b", 'a"b', "a b", "a|b", "a^b", "a`b", "a\x01b",
            "a{b}", "a\\b", "..", ".ttl", "%", "é/中文", ""]
QUERIES = ["ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3",
           "DESCRIBE <https://w3id.org/bclm-kg/intervention/hr>",
           "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
           "INSERT DATA { <a:b> <a:c> 1 }", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
           "ASK { <a b> ?p ?o }", "SELECT * {", "ASK {} #"]
PARAMS = ["query", "update", "format", "inference", "default-graph-uri", "named-graph-uri"]
MEDIA = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
         "text/tab-separated-values", "text/turtle", "application/ld+json",
         "application/n-triples", "application/rdf+xml", "application/trig", "text/html",
         "application/json", "text/plain", "*/*", "image/png", "text/*;q=0.5, */*;q=0.1",
         "application/sparql-query", "application/sparql-update",
         "application/x-www-form-urlencoded", "multipart/form-data",
         "application/sparql-query; charset=UTF-16"]

# Header values are Latin-1 without line breaks (the client refuses anything else).
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=40)
text = st.text(max_size=40)
values = st.one_of(st.sampled_from(QUERIES + MEDIA + ["none", "json", "csv", "pdf"]), text)
fields = st.dictionaries(st.one_of(st.sampled_from(PARAMS), text), values, max_size=3)


@st.composite
def paths(draw) -> str:
    prefix = draw(st.sampled_from(PREFIXES))
    if not prefix.endswith("/"):
        return prefix
    segment = draw(st.one_of(st.sampled_from(SEGMENTS), text))
    return prefix + quote(segment, safe="/")


headers = st.fixed_dictionaries({}, optional={
    "Accept": st.one_of(st.sampled_from(MEDIA), header_text),
    "Content-Type": st.one_of(st.sampled_from(MEDIA), header_text),
    "Accept-Encoding": st.one_of(st.sampled_from(["gzip", "identity", "br;q=0"]), header_text),
    "Origin": st.one_of(st.just("https://tool.example"), header_text),
    "If-None-Match": header_text,
    "If-Modified-Since": st.one_of(st.just("Mon, 01 Jan 2024 00:00:00 GMT"), header_text),
    "Range": st.one_of(st.just("bytes=0-10"), header_text),
})
bodies = st.one_of(st.none(), fields, st.sampled_from(QUERIES).map(str.encode),
                   st.binary(max_size=100))


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE"]),
       path=paths(), query=fields, headers=headers, body=bodies)
def test_no_request_is_a_server_error(app, method, path, query, headers, body) -> None:
    response = app.test_client().open(path, method=method, query_string=query, headers=headers,
                                      data=body)
    assert response.status_code < 500, (response.status_code, response.get_data()[:500])


@pytest.mark.parametrize("char", ["<", '"', " ", "|", "^", "`", "\x01", "\x7f", "{", "\\"])
@pytest.mark.parametrize("prefix", ["/study/", "/trial/", "/reference/", "/intervention/",
                                    "/ontology/", "/"])
def test_path_that_is_no_iri_is_404(client, prefix, char) -> None:
    for path in (f"{prefix}a{char}b", f"{prefix}a{char}b.ttl"):
        response = client.get(prefix + quote(path[len(prefix):]))
        assert response.status_code == 404, path
