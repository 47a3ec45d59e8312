"""Operations: ``/metrics`` (Prometheus text format, added up over the web workers) and
``/healthz`` (store, version, mode; 503 with the reason when the store cannot answer)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from bclm_kg.errors import BclmError
from bclm_kg.web import metrics
from bclm_kg.web.serve import (
    METRICS_ENV,
    forget_dead_workers,
    granian_options,
    metrics_directory,
    web_server,
)

from .conftest import (
    FIXTURES,
    TEST_ENV,
    free_port,
    in_process_app,
    serve_command,
    start_server,
    stop_server,
)
from .curated import CURATOR, bearer, make_place

VERSION = "0.0.0-test"  # the fixture release's version
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
CACHED = "# asked again and again\nASK { <https://w3id.org/bclm-kg/intervention/hr> ?p ?o }"
MAX_REQUESTS = 200  # health checks sent at most until both workers have answered some
BURST = 8  # health checks sent at once


def fixture_triples() -> int:
    """The fixture release's triples, every named graph counted (read from its TriG)."""
    data = (FIXTURES / "release" / "bclm.trig").read_bytes()
    return len(set(ox.parse(data, format=ox.RdfFormat.TRIG)))


def value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels``."""
    return sum(s.value for family in text_string_to_metric_families(text)
               for s in family.samples
               if s.name == name and labels.items() <= s.labels.items())


# In-process (Flask's test client): the metrics of this process.

def test_requests_are_counted_by_route_and_status(client):
    before = client.get("/metrics").text
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert client.get("/no/such/thing").status_code == 404
    assert client.put("/rdf-graph-store?default", data=b"").status_code == 405
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    after = response.text

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("bclm_http_requests_total", route="/healthz", status="200",
                 method="GET") == 3
    assert delta("bclm_http_requests_total", route="/<minted:path>", status="404") == 1
    assert delta("bclm_http_requests_total", route="/rdf-graph-store", status="405",
                 method="PUT") == 1
    assert delta("bclm_http_request_duration_seconds_count", route="/healthz") == 3
    assert delta("bclm_http_request_duration_seconds_bucket", route="/healthz", le="+Inf") == 3


def test_dataset_version_and_store_size(client):
    text = client.get("/metrics").text
    assert value(text, "bclm_dataset_info", version=VERSION) == 1
    assert value(text, "bclm_store_triples") == fixture_triples() == 289


def test_a_new_release_replaces_the_version(client):
    metrics.release_served("0.0.0-test+1", 300)
    try:
        text = client.get("/metrics").text
        assert value(text, "bclm_dataset_info", version="0.0.0-test+1") == 1
        assert value(text, "bclm_dataset_info", version=VERSION) == 0
        assert value(text, "bclm_store_triples") == 300
    finally:
        metrics.release_served(VERSION, fixture_triples())


def test_submission_counters(client):
    before = client.get("/metrics").text
    metrics.submission_accepted()
    metrics.submission_accepted()
    metrics.submission_pending()
    metrics.submission_rejected()
    metrics.submission_invalid()
    metrics.pending_submissions(4)
    after = client.get("/metrics").text
    for outcome, count in (("accepted", 2), ("pending", 1), ("rejected", 1), ("invalid", 1)):
        assert value(after, "bclm_submissions_total", outcome=outcome) - value(
            before, "bclm_submissions_total", outcome=outcome) == count
    assert value(after, "bclm_submissions_pending") == 4


def test_query_cache_lookups(client):
    before = client.get("/metrics").text
    for _ in range(3):
        assert client.get("/sparql", query_string={"query": CACHED + " # in process"},
                          headers={"Accept": "application/sparql-results+json"}).json[
            "boolean"] is True
    after = client.get("/metrics").text
    hits = value(after, "bclm_query_cache_lookups_total", result="hit") - value(
        before, "bclm_query_cache_lookups_total", result="hit")
    misses = value(after, "bclm_query_cache_lookups_total", result="miss") - value(
        before, "bclm_query_cache_lookups_total", result="miss")
    assert (hits, misses) == (2, 1)


# /healthz

def test_healthz_reports_store_version_and_mode(client):
    body = client.get("/healthz").json
    assert body["status"] == "ok"
    assert body["version"] == VERSION
    assert body["mode"] == "read-only"
    store = body["store"]
    assert store["kind"] == "memory"
    assert store["triples"] == fixture_triples()
    assert datetime.fromisoformat(store["loaded_at"]).tzinfo is not None


def test_healthz_is_503_when_the_store_cannot_answer(fixture_release):
    url = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    app = in_process_app(fixture_release, STORE_URL=url)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.json
    assert body["status"] == "unavailable"
    assert url in body["reason"]
    assert body["store"]["kind"] == "sparql"
    assert response.headers["Retry-After"] == "5"


def test_healthz_and_metrics_of_a_curating_service(fixture_release, tmp_path):
    """With a token file the service says it takes curation; a refused submission is counted."""
    place = make_place(tmp_path, fixture_release)
    app = in_process_app(place.release, TOKENS=place.tokens, DATA_DIR=place.data)
    client = app.test_client()
    assert client.get("/healthz").json["mode"] == "curation"
    before = client.get("/metrics").text
    refused = client.post("/api/submissions", headers=bearer(CURATOR),
                          json={"file": "tables/table1.tsv", "note": "5-year OS 120%",
                                "corrections": [{"id": "sabol-2014", "cells": {"os_5y": "120"},
                                                 "reason": "a test"}]})
    assert refused.status_code == 422
    after = client.get("/metrics").text
    assert value(after, "bclm_submissions_total", outcome="invalid") - value(
        before, "bclm_submissions_total", outcome="invalid") == 1
    assert value(after, "bclm_submissions_total", outcome="accepted") == value(
        before, "bclm_submissions_total", outcome="accepted")


# The per-run directory of the workers' metrics

def test_serve_makes_a_metrics_directory_and_removes_it(monkeypatch):
    monkeypatch.delenv(METRICS_ENV, raising=False)
    with metrics_directory() as path:
        assert path.is_dir() and os.environ[METRICS_ENV] == str(path)
    assert not path.exists()
    assert METRICS_ENV not in os.environ


def test_a_given_metrics_directory_is_emptied_and_kept(monkeypatch, tmp_path):
    (tmp_path / "counter_12345.db").write_bytes(b"a previous run's values")
    monkeypatch.setenv(METRICS_ENV, str(tmp_path))
    with metrics_directory() as path:
        assert path == tmp_path and not list(tmp_path.glob("*.db"))
    assert tmp_path.is_dir() and os.environ[METRICS_ENV] == str(tmp_path)


def test_a_dead_workers_live_gauges_are_forgotten(tmp_path):
    """Granian has no hook for a worker's exit: a new worker drops the live gauges of workers
    that no longer run, and keeps those of running ones and every other kind of file."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead = int(ended.stdout)  # reaped: no process has this pid now (unless one reused it)
    alive = os.getpid()
    names = [f"gauge_livemax_{dead}.db", f"gauge_livemostrecent_{dead}.db",
             f"gauge_livemax_{alive}.db", f"counter_{dead}.db", f"gauge_mostrecent_{dead}.db"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    forget_dead_workers(tmp_path)
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(names[2:])


def test_the_web_server_setting(monkeypatch):
    monkeypatch.delenv("BCLM_WEB_SERVER", raising=False)
    assert web_server() == "gunicorn"
    monkeypatch.setenv("BCLM_WEB_SERVER", " Granian ")
    assert web_server() == "granian"
    monkeypatch.setenv("BCLM_WEB_SERVER", "uwsgi")
    with pytest.raises(BclmError, match="BCLM_WEB_SERVER must be one of gunicorn, granian; "
                                        "got 'uwsgi'"):
        web_server()


def test_granian_takes_a_request_head_as_long_as_the_query_limit():
    """A GET query up to the limit (percent-encoded: up to 3 bytes a character) reaches the
    app, which answers 413 above it."""
    options = granian_options("127.0.0.1", 8000, 1_000_000)
    assert options["http1_settings"].max_buffer_size > 3 * 1_000_000
    assert options["workers"] == 2 and options["blocking_threads"] == 4


# A real `bclm-kg serve` with two workers (gunicorn, or Granian with BCLM_WEB_SERVER=granian)

@pytest.fixture(scope="module")
def two_workers(fixture_release, tmp_path_factory):
    """``bclm-kg serve`` (two workers) keeping its metrics in a directory the test can read."""
    folder = tmp_path_factory.mktemp("metrics")
    port = free_port()
    live = start_server(serve_command(fixture_release, port),
                        {**TEST_ENV, METRICS_ENV: str(folder)}, port)
    yield live, folder
    stop_server(live)


def per_worker(folder: Path, name: str, **labels: str) -> dict[str, float]:
    """A counter's value in each worker's own file (``counter_<pid>.db``)."""
    out: dict[str, float] = {}
    for file in folder.glob("counter_*.db"):
        for family in MultiProcessCollector.merge([str(file)]):
            for s in family.samples:
                if s.name == name and labels.items() <= s.labels.items() and s.value:
                    out[file.stem] = out.get(file.stem, 0) + s.value
    return out


def test_counts_add_up_across_workers(two_workers):
    live, folder = two_workers
    sent = 0

    def check(_: int) -> int:
        return requests.get(live.url + "/healthz", timeout=30).status_code

    # Each request on a new connection, eight at once: either worker may take each (one
    # request at a time, a busy machine lets one worker take them all). Send until both have.
    with ThreadPoolExecutor(BURST) as pool:
        while sent < MAX_REQUESTS:
            assert set(pool.map(check, range(BURST))) == {200}
            sent += BURST
            if len(per_worker(folder, "bclm_http_requests_total", route="/healthz")) == 2:
                break
    workers = per_worker(folder, "bclm_http_requests_total", route="/healthz")
    assert len(workers) == 2, f"one worker answered all {sent} requests"
    text = live.get("/metrics").text
    assert value(text, "bclm_http_requests_total", route="/healthz", status="200") == sent
    assert sum(workers.values()) == sent
    assert value(text, "bclm_http_request_duration_seconds_count", route="/healthz") == sent
    assert value(text, "bclm_dataset_info", version=VERSION) == 1
    assert value(text, "bclm_store_triples") == fixture_triples()


def test_cache_lookups_and_timeouts_across_workers(two_workers):
    live, _folder = two_workers
    before = live.get("/metrics").text
    for _ in range(6):
        r = requests.get(live.sparql, params={"query": CACHED}, timeout=30,
                         headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200 and r.json()["boolean"] is True
    stopped = requests.get(live.sparql, params={"query": RUNAWAY}, timeout=60)
    assert stopped.status_code == 503 and stopped.headers["X-Query-Timeout-Hit"] == "true"
    after = live.get("/metrics").text

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    hits = delta("bclm_query_cache_lookups_total", result="hit")
    misses = delta("bclm_query_cache_lookups_total", result="miss")
    # Six answers to one query, each looked up first: each worker misses it once at most (the
    # stopped query has no answer to keep, and is counted as a timeout only).
    assert hits + misses == 6
    assert 1 <= misses <= 2
    assert delta("bclm_query_timeouts_total") == 1


def test_the_run_directory_is_removed_when_the_server_stops(fixture_release, tmp_path):
    """Without PROMETHEUS_MULTIPROC_DIR, ``serve`` makes its own directory (in TMPDIR)."""
    port = free_port()
    env = {**TEST_ENV, "TMPDIR": str(tmp_path)}
    saved = os.environ.pop(METRICS_ENV, None)
    try:
        live = start_server(serve_command(fixture_release, port), env, port)
    finally:
        if saved is not None:
            os.environ[METRICS_ENV] = saved
    try:
        made = list(tmp_path.glob("bclm-kg-metrics-*"))
        assert len(made) == 1 and list(made[0].glob("counter_*.db"))
    finally:
        stop_server(live)
    assert not made[0].exists()


def test_healthz_under_load_is_consistent(two_workers):
    """Both workers report the same store and version."""
    live, _folder = two_workers
    bodies: list[dict] = []

    def check() -> None:
        bodies.append(requests.get(live.url + "/healthz", timeout=30).json())

    threads = [threading.Thread(target=check) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {(b["version"], b["store"]["kind"], b["store"]["triples"]) for b in bodies} == {
        (VERSION, "memory", fixture_triples())}
