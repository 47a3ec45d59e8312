"""Bounded queries: a runaway query is stopped at the time limit while other requests are
answered and its worker is replaced (on the real server, whose query workers are processes);
the row cap and the query size limit are announced (through the test client)."""

from __future__ import annotations

import threading

import requests

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
QUICK = "ASK { <https://w3id.org/bclm-kg/intervention/hr> ?p ?o }"
POLLS = 2000  # health checks tried while waiting for a query worker to become busy


def send_runaway(server, outcome: dict) -> threading.Thread:
    def runaway() -> None:
        outcome["response"] = requests.get(server.sparql, params={"query": RUNAWAY}, timeout=60)

    thread = threading.Thread(target=runaway)
    thread.start()
    return thread


def wait_until_busy(server) -> None:
    """Poll the health check until one serving process reports a query worker at work.

    Each check is a full request, so the loop is bounded by ``POLLS`` answers, not by sleeping.
    """
    for _ in range(POLLS):
        health = server.get("/healthz").json()
        if health["workers_idle"] < 2:
            return
    raise AssertionError("no query worker became busy")


def test_runaway_query_is_stopped_while_others_are_answered(server):
    outcome: dict = {}
    thread = send_runaway(server, outcome)
    wait_until_busy(server)
    quick = server.get("/sparql", params={"query": QUICK})
    page = server.get("/study/verriest-2015.ttl")
    answered_meanwhile = thread.is_alive()
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    assert page.status_code == 200
    assert answered_meanwhile  # both came back while the runaway query was still running
    thread.join()
    response = outcome["response"]
    assert response.status_code == 503
    assert response.headers["X-Query-Timeout"] == "2"
    assert response.headers["X-Query-Timeout-Hit"] == "true"
    assert "time limit of 2 s" in response.text
    # The stopped worker is replaced: the service keeps answering queries afterwards.
    for _ in range(6):
        assert server.get("/sparql", params={"query": QUICK}).status_code == 200


def test_two_runaways_do_not_block_the_pages(server):
    outcomes: list[dict] = [{}, {}]
    threads = [send_runaway(server, outcome) for outcome in outcomes]
    wait_until_busy(server)
    assert server.get("/study/verriest-2015", headers={"Accept": "text/html"}).status_code == 200
    assert server.get("/healthz").status_code == 200
    assert any(t.is_alive() for t in threads)  # answered while a runaway was still running
    for t in threads:
        t.join()
    assert [o["response"].status_code for o in outcomes] == [503, 503]


def test_row_cap_is_announced(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200
    assert r.headers["X-Query-Row-Limit"] == "200"
    assert r.headers["X-Query-Truncated"] == "true"
    assert len(r.json["results"]["bindings"]) == 200
    g = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/n-triples"})
    assert g.headers["X-Query-Truncated"] == "true" and len(g.text.splitlines()) == 200
    small = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert "X-Query-Truncated" not in small.headers and small.headers["X-Query-Rows"] == "5"


def test_oversized_query_is_413(client):
    padding = "# " + "x" * 9000 + "\n"
    big = padding + "ASK {}"
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.post("/sparql", data=big.encode(),
                       headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert client.get("/sparql", query_string={"query": big}).status_code == 413
    huge = b"ASK {}" + b" " * 200_000
    assert client.post("/sparql", data=huge,
                       headers={"Content-Type": "application/sparql-query"}).status_code == 413
