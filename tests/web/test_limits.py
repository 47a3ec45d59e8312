"""Bounded queries: a runaway query is stopped at the time limit while other requests are
answered; the row cap and the query size limit are announced."""

from __future__ import annotations

import threading
import time

import requests

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
QUICK = "ASK { <https://w3id.org/bclm-kg/intervention/hr> ?p ?o }"
LIMIT = 2.0  # BCLM_QUERY_TIMEOUT of the test server


def test_runaway_query_is_stopped_while_others_are_answered(server):
    outcome: dict = {}

    def runaway() -> None:
        start = time.monotonic()
        r = requests.get(server.sparql, params={"query": RUNAWAY}, timeout=30)
        outcome.update(status=r.status_code, elapsed=time.monotonic() - start, response=r)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    quick_times = []
    for _ in range(5):  # meanwhile, other requests are answered promptly
        start = time.monotonic()
        r = requests.get(server.sparql, params={"query": QUICK}, timeout=10)
        quick_times.append(time.monotonic() - start)
        assert r.status_code == 200 and r.json()["boolean"] is True
        page = requests.get(server.url + "/study/verriest-2015.ttl", timeout=10)
        assert page.status_code == 200
    thread.join(timeout=30)
    assert max(quick_times) < 1.0, quick_times
    assert outcome["status"] == 503
    assert LIMIT <= outcome["elapsed"] < LIMIT + 2.0
    response = outcome["response"]
    assert response.headers["X-Query-Timeout"] == "2"
    assert response.headers["X-Query-Timeout-Hit"] == "true"
    assert "time limit of 2 s" in response.text
    # The stopped worker is replaced: the service keeps answering queries afterwards.
    for _ in range(6):
        assert requests.get(server.sparql, params={"query": QUICK}, timeout=10).status_code == 200


def test_two_runaways_do_not_block_the_pages(server):
    threads = [threading.Thread(target=requests.get, args=(server.sparql,),
                                kwargs={"params": {"query": RUNAWAY}, "timeout": 30})
               for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    start = time.monotonic()
    assert server.get("/study/verriest-2015", headers={"Accept": "text/html"}).status_code == 200
    assert server.get("/healthz").status_code == 200
    assert time.monotonic() - start < 1.0
    for t in threads:
        t.join(timeout=30)


def test_row_cap_is_announced(server):
    r = server.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200
    assert r.headers["X-Query-Row-Limit"] == "200"
    assert r.headers["X-Query-Truncated"] == "true"
    assert len(r.json()["results"]["bindings"]) == 200
    g = server.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/n-triples"})
    assert g.headers["X-Query-Truncated"] == "true" and len(g.text.splitlines()) == 200
    small = server.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert "X-Query-Truncated" not in small.headers and small.headers["X-Query-Rows"] == "5"


def test_oversized_query_is_413(server):
    padding = "# " + "x" * 9000 + "\n"
    big = padding + "ASK {}"
    assert server.post("/sparql", data={"query": big}).status_code == 413
    assert server.post("/sparql", data=big.encode(),
                       headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert server.get("/sparql", params={"query": big}).status_code == 413
    huge = b"ASK {}" + b" " * 200_000
    assert server.post("/sparql", data=huge,
                       headers={"Content-Type": "application/sparql-query"}).status_code == 413
