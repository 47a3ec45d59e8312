"""Hardening of the whole service, through the test client: security headers on every answer,
a content security policy the pages keep to, rate limits (429 with Retry-After), size limits
(the same structured 413 everywhere), structured errors that never show a stack trace, and
uploads parsed safely."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask, request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bclm_kg.safe_rdf import parse_upload
from bclm_kg.web import limits, security

from .conftest import in_process_app, write_fixture_release

WEB = Path(__file__).resolve().parents[2] / "bclm_kg" / "web"
QUICK = "ASK { <https://w3id.org/bclm-kg/intervention/hr> ?p ?o }"
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    return write_fixture_release(tmp_path_factory.mktemp("hardening") / "release")


def _with_routes(app: Flask) -> Flask:
    """A write route and an upload route like the ones the curation service adds."""
    @app.route("/test/write", methods=["POST", "PUT", "PATCH", "DELETE"])
    def write():
        return {"ok": True}

    @app.route("/test/upload", methods=["POST"])
    @limits.accepts_upload
    def upload():
        graph = parse_upload(request.get_data(), request.content_type or "",
                             base="https://w3id.org/bclm-kg/upload/")
        return {"triples": len(graph)}

    return app


# Security headers ------------------------------------------------------------------------------

ROUTES = ["/", "/sparql?query=ASK%7B%7D", "/study/verriest-2015", "/study/verriest-2015.ttl",
          "/api/examples", "/static/style.css", "/download/bclm.ttl", "/no/such/thing",
          "/healthz", "/.well-known/void", "/sparql?query=SELECT"]


@pytest.mark.parametrize("path", ROUTES)
def test_security_headers_on_every_answer(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(d.strip().split(" ", 1)
                  for d in response.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


def test_the_query_page_has_a_fresh_style_nonce(client):
    nonces = []
    for _ in range(2):
        response = client.get("/")
        policy = response.headers["Content-Security-Policy"]
        nonce = re.search(r"style-src 'self' 'nonce-([\w-]+)'", policy).group(1)
        assert f'nonce="{nonce}"' in response.get_data(as_text=True)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert "nonce-" not in client.get("/api/examples").headers["Content-Security-Policy"]


@pytest.mark.parametrize("template", sorted(p.name for p in (WEB / "templates").glob("*.html")))
def test_templates_have_no_inline_script_handler_or_style(template):
    text = (WEB / "templates" / template).read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert all("src=" in s or 'type="application/ld+json"' in s for s in scripts), scripts
    assert not re.search(r"\son[a-z]+\s*=", text)  # event handler attributes
    assert not re.search(r"\sstyle\s*=", text)
    assert "<style" not in text and "javascript:" not in text


@pytest.mark.parametrize("script", ["query.js", "evidence.js"])
def test_scripts_make_no_inline_code_or_style(script):
    text = (WEB / "static" / script).read_text(encoding="utf-8")
    assert not re.search(r"\beval\(|new Function|setAttribute\(\s*[\"'](style|on\w+)", text)
    assert not re.search(r"innerHTML\s*=[^;]*(<script|\son\w+=|style=)", text)


# Rate limits -----------------------------------------------------------------------------------


def test_expensive_reads_are_limited_with_retry_after(release):
    client = in_process_app(release, RATE_LIMIT_READS="3 per minute").test_client()
    answers = [client.get("/sparql", query_string={"query": QUICK}, headers=JSON)
               for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert all("Retry-After" not in a.headers for a in answers)
    refused = client.post("/sparql", data={"query": QUICK}, headers=JSON)  # same budget
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    body = refused.get_json()
    assert body["status"] == 429 and body["error"] == "Too Many Requests"
    assert "at most 3 per minute" in body["message"]
    page = client.get("/query/01-os-5y-50", headers={"Accept": "text/html"})
    assert page.status_code == 429 and "Retry-After" in page.headers
    assert "<!doctype html>" in page.get_data(as_text=True).lower()
    # cheap reads and label lookups are not counted
    assert client.get("/study/verriest-2015").status_code == 200
    assert client.get("/api/studies?limit=20").status_code == 200
    assert client.post("/api/labels", json=["https://w3id.org/bclm-kg/intervention/hr"]
                       ).status_code == 200


def test_large_search_pages_and_csv_count_as_expensive(release):
    client = in_process_app(release, RATE_LIMIT_READS="2 per minute").test_client()
    assert client.get("/api/arms?limit=200").status_code == 200
    assert client.get("/api/arms.csv").status_code == 200
    assert client.get("/api/arms?limit=500").status_code == 429
    assert client.get("/api/arms?limit=100").status_code == 200
    assert client.get("/api/arms", headers={"Accept": "*/*"}).status_code == 200
    assert client.get("/api/arms", headers={"Accept": "text/csv"}).status_code == 429


def test_writes_are_limited_apart_from_queries(release):
    app = _with_routes(in_process_app(release, RATE_LIMIT_WRITES="2 per minute",
                                      RATE_LIMIT_READS="100 per minute"))
    client = app.test_client()
    assert client.post("/test/write").status_code == 200
    assert client.delete("/test/write").status_code == 200
    for _ in range(3):  # queries are reads, not writes
        assert client.post("/sparql", data={"query": QUICK}).status_code == 200
    refused = client.put("/test/write", headers=JSON)
    assert refused.status_code == 429
    assert "Too many writes" in refused.get_json()["message"]
    assert int(refused.headers["Retry-After"]) >= 1


def test_limits_come_from_the_environment_and_can_be_off(release, monkeypatch):
    monkeypatch.setenv("BCLM_RATE_LIMIT_READS", "1 per hour")
    client = in_process_app(release).test_client()
    assert client.get("/sparql", query_string={"query": QUICK}).status_code == 200
    refused = client.get("/sparql", query_string={"query": QUICK})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3000  # the hour's window
    monkeypatch.setenv("BCLM_RATE_LIMIT_READS", "off")
    client = in_process_app(release).test_client()
    assert {client.get("/sparql", query_string={"query": QUICK}).status_code
            for _ in range(5)} == {200}


@pytest.mark.parametrize("proxies", [0, 1])
def test_the_client_address_comes_from_trusted_proxies_only(release, proxies):
    client = in_process_app(release, RATE_LIMIT_READS="1 per minute",
                            TRUSTED_PROXIES=proxies).test_client()
    statuses = [client.get("/sparql", query_string={"query": QUICK},
                           headers={"X-Forwarded-For": address}).status_code
                for address in ("203.0.113.1", "203.0.113.2", "203.0.113.1")]
    # behind one proxy each forwarded client has its own budget; with none the header is
    # ignored (any client could send it) and all three share the connecting address's
    assert statuses == ([200, 200, 429] if proxies else [200, 429, 429])


# Size limits -----------------------------------------------------------------------------------

BIG_QUERY = "ASK {} #" + "x" * 9000  # over the tests' 8 KiB query limit
HUGE = "x" * 100_000  # over the request body limit


def _oversized(client) -> dict:
    return {
        "GET query": lambda h: client.get("/sparql", query_string={"query": BIG_QUERY}, headers=h),
        "form query": lambda h: client.post("/sparql", data={"query": BIG_QUERY}, headers=h),
        "direct query": lambda h: client.post("/sparql", data=BIG_QUERY.encode(), headers=h,
                                              content_type="application/sparql-query"),
        "huge direct body": lambda h: client.post("/sparql", data=HUGE.encode(), headers=h,
                                                  content_type="application/sparql-query"),
        "huge form": lambda h: client.post("/sparql", data={"query": HUGE}, headers=h),
        "huge labels body": lambda h: client.post("/api/labels", data=json.dumps([HUGE]),
                                                  content_type="application/json", headers=h),
        "too many labels": lambda h: client.post("/api/labels", json=["x"] * 5001, headers=h),
        "huge upload": lambda h: client.post("/test/upload", data=b"#" * 3000,
                                             content_type="text/turtle", headers=h),
        "huge write": lambda h: client.post("/test/write", data=HUGE, headers=h),
    }


def test_every_oversized_request_gets_the_same_structured_413(release):
    client = _with_routes(in_process_app(release, MAX_UPLOAD_BYTES=2048)).test_client()
    for name, send in _oversized(client).items():
        response = send(JSON)
        assert response.status_code == 413, name
        body = response.get_json()
        assert set(body) == {"status", "error", "message"}, name
        assert body["status"] == 413 and body["error"] == "Request Entity Too Large", name
        assert re.search(r"at most \d+", body["message"], re.IGNORECASE), (name, body)
        page = send({"Accept": "text/html"})
        assert page.status_code == 413 and "text/html" in page.content_type, name
        assert "Request Entity Too Large" in page.get_data(as_text=True), name


def test_an_upload_route_takes_more_than_a_query_but_not_more_than_its_limit(release):
    client = _with_routes(in_process_app(release, MAX_UPLOAD_BYTES=200_000)).test_client()
    triples = b"".join(f"<https://ex.org/s{i}> <https://ex.org/p> \"{i}\" .\n".encode()
                       for i in range(2000))  # ~90 kB: over the query body limit
    assert len(triples) > 36_864
    response = client.post("/test/upload", data=triples, content_type="application/n-triples")
    assert response.status_code == 200 and response.get_json() == {"triples": 2000}
    too_big = client.post("/test/upload", data=triples * 3, content_type="application/n-triples",
                          headers=JSON)
    assert too_big.status_code == 413
    assert "at most 200000 bytes" in too_big.get_json()["message"]


@pytest.mark.parametrize(("media_type", "body", "status", "message"), [
    ("text/turtle", b"<a> <b> <c> .\n<a> <b>\n", 400, "line 3"),
    ("application/ld+json", b'{"@context": "http://127.0.0.1:9/c", "@id": "x"}', 400,
     "remote and file contexts are refused"),
    ("application/rdf+xml", b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "b">]><r/>', 400,
     "DOCTYPE"),
    ("text/html", b"<p/>", 415, "send one of text/turtle"),
])
def test_upload_errors_are_structured(release, media_type, body, status, message):
    client = _with_routes(in_process_app(release)).test_client()
    response = client.post("/test/upload", data=body, content_type=media_type, headers=JSON)
    assert response.status_code == status
    assert message in response.get_json()["message"]


# Errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["application/json", "text/html", "text/plain", "*/*"])
def test_an_unexpected_exception_is_a_structured_500_without_trace(release, monkeypatch, accept):
    app = in_process_app(release)

    def broken(store):
        raise RuntimeError("internal detail at /srv/secret/path")

    monkeypatch.setattr("bclm_kg.web.ui.vocabulary.terms", broken)
    response = app.test_client().get("/api/vocabulary", headers={"Accept": accept})
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "secret" not in text and "RuntimeError" not in text
    assert "Internal Server Error" in text
    if accept == "application/json":
        assert response.get_json()["status"] == 500
    if accept == "text/html":
        assert text.lower().startswith("<!doctype html>")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_security_module_names_every_header_it_sends():
    policy = security.content_security_policy("abc")
    assert "style-src 'self' 'nonce-abc'" in policy
    assert "script-src 'self';" in policy


@pytest.mark.parametrize(("raw_query", "status"), [
    ("id=\x80\xff", 400),  # bytes that are no UTF-8, sent raw by a client
    ("id=" + "中文".encode().decode("latin-1"), 400),  # raw UTF-8: read as such
    ("id=ncit:C15329&lang=\xfe", 200),
])
def test_raw_bytes_in_the_query_string_are_read_not_a_crash(client, raw_query, status):
    response = client.get("/", headers=JSON, environ_overrides={
        "PATH_INFO": "/api/lookup", "QUERY_STRING": raw_query})
    assert response.status_code == status
    body = response.get_json()
    if status == 400:
        assert body["status"] == 400
    if "中文" in raw_query.encode("latin-1").decode("utf-8", "replace"):
        assert "中文" in body["message"]


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), st.sampled_from([
    b'{"@context": ["http://127.0.0.1:9/c"]}', b"<!DOCTYPE r SYSTEM 'file:///etc/passwd'><r/>",
    b"<a> <b> <c> .", b"@prefix : <#> . :a :b :c ."])),
       media_type=st.sampled_from(["text/turtle", "application/ld+json", "application/rdf+xml",
                                   "application/n-triples", "application/trig", "text/plain",
                                   "application/json", "image/png", ""]))
def test_random_uploads_are_never_a_server_error(upload_client, data, media_type):
    response = upload_client.post("/test/upload", data=data, content_type=media_type)
    assert response.status_code in (200, 400, 413, 415), (data, response.get_data()[:300])


@pytest.fixture(scope="module")
def upload_client(release):
    return _with_routes(in_process_app(release)).test_client()
