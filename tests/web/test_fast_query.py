"""Plain SPARQL GETs answered before Flask (web/fast_query.py) give the same answers as Flask:
same status, headers and body, for every result kind and format, truncation and errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from .conftest import in_process_app

STUDY = "https://w3id.org/bclm-kg/ontology/PublishedStudy"
STUDIES = f"SELECT ?s WHERE {{ ?s a <{STUDY}> }} ORDER BY ?s"
CASES = [  # (query, Accept)
    (STUDIES, "application/sparql-results+json"),
    (STUDIES, "application/sparql-results+xml"),
    (STUDIES, "text/csv"),
    (STUDIES, "text/tab-separated-values"),
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?s) && !isBlank(?o)) } "  # over MAX_ROWS
     "ORDER BY ?s ?p ?o LIMIT 250",
     "application/sparql-results+json"),
    (f"ASK {{ ?s a <{STUDY}> }}", "application/sparql-results+json"),
    (f"CONSTRUCT {{ ?s a <{STUDY}> }} WHERE {{ ?s a <{STUDY}> }}", "text/turtle"),
    (f"CONSTRUCT {{ ?s a <{STUDY}> }} WHERE {{ ?s a <{STUDY}> }}", "application/n-triples"),
    ("SELECT ?s WHERE { ?s a }", "application/sparql-results+json"),  # syntax error: 400
    (f"CONSTRUCT {{ ?s a <{STUDY}> }} WHERE {{ ?s a <{STUDY}> }}",  # no RDF format: 406
     "application/sparql-results+json"),
    (STUDIES, "text/html"),  # the query page
]
VARYING = {"x-query-time", "date", "content-security-policy"}  # a page carries a fresh nonce


class ViewCounter:
    """Counts the calls of the Flask view behind ``/sparql`` (or another endpoint)."""

    def __init__(self, app: Flask, endpoint: str = "sparql.endpoint") -> None:
        self.calls = 0
        view = app.view_functions[endpoint]

        def counted(*args, **kwargs):
            self.calls += 1
            return view(*args, **kwargs)

        app.view_functions[endpoint] = counted


@pytest.fixture
def apps(fixture_release: Path) -> Iterator[tuple[Flask, Flask]]:
    """The app with plain queries answered before Flask, and one where Flask answers all
    (a rate limit on reads turns the fast path off); no answer cache in either."""
    yield (in_process_app(fixture_release, RATE_LIMIT_READS="off", RESULT_CACHE_BYTES=0),
           in_process_app(fixture_release, RESULT_CACHE_BYTES=0))


def _unnonced(body: bytes) -> bytes:
    """A page's body with its per-answer CSP nonce blanked."""
    return re.sub(rb'nonce="[^"]*"', b'nonce=""', body)


def _headers(response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in VARYING}


@pytest.mark.parametrize(("query", "accept"), CASES)
def test_same_answer_as_flask(apps: tuple[Flask, Flask], query: str, accept: str) -> None:
    fast, flask = apps
    counter = ViewCounter(fast)
    fast_client, flask_client = fast.test_client(), flask.test_client()
    headers = {"Accept": accept, "Origin": "https://example.org"}
    first = fast_client.get("/sparql", query_string={"query": query}, headers=headers)
    text = query + "\n# another text"
    answered = fast_client.get("/sparql", query_string={"query": text}, headers=headers)
    expected = flask_client.get("/sparql", query_string={"query": text}, headers=headers)
    assert answered.status_code == expected.status_code == first.status_code
    assert _headers(answered) == _headers(expected)
    assert _unnonced(answered.data) == _unnonced(expected.data)
    if expected.status_code == 200 and "html" not in accept:
        assert counter.calls == 1  # the first taught the shape; the second never reached Flask
    if "LIMIT 250" in query:
        assert answered.headers["X-Query-Truncated"] == "true"
        assert answered.headers["X-Query-Rows"] == "200"


NAMED = [  # (path, parameters, Accept): the second request differs in its parameters
    ("/query/03-trials", [{}, {"inference": "true"}], "application/sparql-results+json"),
    ("/query/17-arms-by-5-year-os", [{"min_os5": "50"}, {"min_os5": "40"}], "text/csv"),
    ("/query/17-arms-by-5-year-os", [{"min_os5": "50"}, {"min_os5": "many"}],  # 400
     "application/sparql-results+json"),
    ("/query/05-inferred", [{}, {"study": "https://w3id.org/bclm-kg/study/none"}],
     "application/sparql-results+xml"),
    ("/query/no-such-query", [{}, {"x": "1"}], "application/sparql-results+json"),  # 404
]


@pytest.mark.parametrize(("path", "params", "accept"), NAMED)
def test_named_queries_same_answer_as_flask(apps: tuple[Flask, Flask], path: str,
                                            params: list[dict], accept: str) -> None:
    fast, flask = apps
    counter = ViewCounter(fast, "ui.named_query")
    headers = {"Accept": accept}
    fast_client, flask_client = fast.test_client(), flask.test_client()
    fast_client.get(path, query_string=params[0], headers=headers)
    answered = fast_client.get(path, query_string=params[1], headers=headers)
    expected = flask_client.get(path, query_string=params[1], headers=headers)
    assert answered.status_code == expected.status_code
    assert _headers(answered) == _headers(expected)
    assert answered.data == expected.data
    if expected.status_code == 200:
        assert counter.calls == 1


def test_other_requests_still_go_to_flask(apps: tuple[Flask, Flask]) -> None:
    """A dataset, ``format=``, a second query parameter or SERVICE are Flask's to answer."""
    fast, _ = apps
    counter = ViewCounter(fast)
    client = fast.test_client()
    json = {"Accept": "application/sparql-results+json"}
    for n in range(2):
        assert client.get("/sparql", query_string={"query": f"{STUDIES} # {n}"},
                          headers=json).status_code == 200
    assert counter.calls == 1
    others = [
        {"query": STUDIES, "default-graph-uri": "https://w3id.org/bclm-kg/graph/asserted"},
        {"query": STUDIES, "format": "csv"},
        {"query": STUDIES, "inference": "none"},
        {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"},
        {"query": [STUDIES, STUDIES]},
    ]
    statuses = [client.get("/sparql", query_string=params, headers=json).status_code
                for params in others]
    assert statuses == [200, 200, 200, 400, 400]
    assert counter.calls == 1 + len(others)


def test_answers_with_the_release_they_ran_on_counted(apps: tuple[Flask, Flask]) -> None:
    """An answer given before Flask is counted in /metrics like Flask's (route, status)."""
    fast, _ = apps
    client = fast.test_client()
    json = {"Accept": "application/sparql-results+json"}

    def answered() -> float:
        text = client.get("/metrics").text
        line = next((line for line in text.splitlines() if line.startswith(
            'bclm_http_requests_total{method="GET",route="/sparql",status="200"}')), None)
        return float(line.rsplit(" ", 1)[1]) if line else 0.0

    before = answered()
    for n in range(3):
        assert client.get("/sparql", query_string={"query": f"{STUDIES} # m{n}"},
                          headers=json).status_code == 200
    assert answered() == before + 3


def test_runaway_plain_query_stopped(fixture_release: Path) -> None:
    """A plain query past the time limit: 503 from the worker pool's hard stop, the worker is
    replaced, and the next plain query is answered."""
    from bclm_kg.web import create_app

    app = create_app({"RELEASE_DIR": fixture_release, "QUERY_WORKERS": 1, "ACCESS_LOG": False,
                      "QUERY_TIMEOUT": 1.0, "RESULT_CACHE_BYTES": 0, "RATE_LIMIT_READS": "off"})
    pool = app.extensions["bclm"].pool
    client = app.test_client()
    json = {"Accept": "application/sparql-results+json"}
    try:
        assert client.get("/sparql", query_string={"query": STUDIES},
                          headers=json).status_code == 200
        runaway = client.get("/sparql", headers=json, query_string={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"})
        assert runaway.status_code == 503
        assert runaway.headers["X-Query-Timeout-Hit"] == "true"
        assert pool.restarts == 1
        after = client.get("/sparql", query_string={"query": f"{STUDIES} # after"}, headers=json)
        assert after.status_code == 200
        assert len(after.json["results"]["bindings"]) == 3  # the fixture's three studies
    finally:
        pool.close()
