"""Serving a release that changes: every app process follows ``R/current``.

A release root is made from the fixture release: the plain release at the root, then versions
published with :func:`bclm_kg.release.publish`, each adding one triple. The app (in process,
and ``bclm-kg serve`` with two workers) must answer the new version after a switch,
keep a running request on the store it started with, and refuse a damaged version while it
keeps serving the previous one.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest

from bclm_kg.release import publish
from bclm_kg.web.state import releases_of
from tests.web.conftest import (
    TEST_ENV,
    free_port,
    in_process_app,
    serve_command,
    start_server,
    stop_server,
    write_fixture_release,
)

MARK = "http://example.org/follow-test/version"
ASK = "ASK {{ GRAPH ?g {{ <{mark}> <{mark}> \"{version}\" }} }}"


def make_version(root: Path, version: str, damage: bool = False) -> Path:
    """A release of the fixture with one more triple naming ``version``, published to
    ``root``; with ``damage`` its dataset is truncated after the manifest was written."""
    staged = write_fixture_release(root.parent / f"staged-{version}")
    trig = staged / "bclm.trig"
    extra = (f'<http://example.org/follow-test> {{ <{MARK}> <{MARK}> "{version}" . }}\n')
    trig.write_bytes(trig.read_bytes() + extra.encode())
    files = {name: hashlib.sha256((staged / name).read_bytes()).hexdigest()
             for name in ("bclm.trig", "bclm.ttl", "bclm.nt", "bclm.jsonld")}
    (staged / "release.json").write_text(json.dumps({"version": version, "counts": {},
                                                     "files": files}))
    if damage:
        trig.write_bytes(trig.read_bytes()[:200])
    return publish(root, staged, version)


def ask(get, version: str) -> bool:
    query = ASK.format(mark=MARK, version=version)
    response = get("/sparql", params={"query": query},
                   headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return json.loads(response.text if hasattr(response, "text") else response.data)["boolean"]


@pytest.fixture
def root(tmp_path) -> Path:
    base = write_fixture_release(tmp_path / "build")  # the plain release at the root
    (base / "release.json").write_text(json.dumps({"version": "0.0.0-test"}))
    return base


def test_the_app_follows_current(root, caplog):
    app = in_process_app(root)
    client = app.test_client()
    assert client.get("/healthz").json["version"] == "0.0.0-test"

    make_version(root, "1.0.0+1")
    assert client.get("/healthz").json["version"] == "1.0.0+1"
    assert ask(lambda p, **kw: client.get(p, query_string=kw["params"],
                                           headers=kw["headers"]), "1.0.0+1")
    void = client.get("/.well-known/void", headers={"Accept": "text/turtle"}).text
    assert '"1.0.0+1"' in void
    release_json = client.get("/download/release.json")
    assert release_json.json["version"] == "1.0.0+1"

    # a request in flight keeps its service; new requests get the next release
    releases = releases_of(app)
    running = releases.acquire()
    make_version(root, "1.0.0+2")
    assert client.get("/healthz").json["version"] == "1.0.0+2"
    assert running.version == "1.0.0+1" and running.retired
    assert bool(running.store.query(ASK.format(mark=MARK, version="1.0.0+1")))
    assert not bool(running.store.query(ASK.format(mark=MARK, version="1.0.0+2")))
    releases.release(running)

    # a damaged release is refused, named in the log and in /healthz; the previous one stays
    with caplog.at_level(logging.ERROR, logger="bclm_kg.web.state"):
        bad = make_version(root, "1.0.0+3", damage=True)
        health = client.get("/healthz").json
    assert health["version"] == "1.0.0+2"
    assert health["refused_release"]["release"] == str(bad)
    assert str(bad / "bclm.trig") in health["refused_release"]["reason"]
    assert any(str(bad / "bclm.trig") in r.getMessage() and "1.0.0+2" in r.getMessage()
               for r in caplog.records)
    assert client.get("/healthz").json["version"] == "1.0.0+2"

    make_version(root, "1.0.0+4")  # the next good one is served again
    health = client.get("/healthz").json
    assert health["version"] == "1.0.0+4" and "refused_release" not in health


def test_every_gunicorn_worker_follows_current(root):
    port = free_port()
    live = start_server(serve_command(root, port), TEST_ENV, port)
    try:
        assert live.get("/healthz").json()["version"] == "0.0.0-test"
        make_version(root, "1.0.0+1")
        pids, versions = set(), set()
        for _ in range(40):  # new connections: gunicorn spreads them over its two workers
            health = live.get("/healthz", headers={"Connection": "close"}).json()
            pids.add(health["pid"])
            versions.add(health["version"])
            if len(pids) == 2:
                break
        assert len(pids) == 2, "one worker answered every request"
        assert versions == {"1.0.0+1"}
        assert ask(live.get, "1.0.0+1")
        assert live.get("/download/release.json").json()["version"] == "1.0.0+1"

        make_version(root, "1.0.0+2", damage=True)  # refused by every worker
        for _ in range(6):
            assert live.get("/healthz", headers={"Connection": "close"}).json()["version"] \
                == "1.0.0+1"
        assert not ask(live.get, "1.0.0+2")
    finally:
        stop_server(live)
    assert "refused the new release" in live.output()


@pytest.mark.parametrize("reads_limited", [False, True], ids=["before-flask", "after-limits"])
def test_kept_answers_do_not_outlive_their_release(root, reads_limited):
    """A repeated GET is answered from the answer cache, but never with the previous
    release's answer once ``current`` has moved (whether hits are given before Flask runs or,
    with read limits, after the limiter)."""
    app = in_process_app(root, RATE_LIMIT_READS="1200 per minute" if reads_limited else "off")
    client = app.test_client()
    query = f"SELECT ?v WHERE {{ GRAPH ?g {{ <{MARK}> <{MARK}> ?v }} }}"

    def values() -> tuple[list[str], str]:
        response = client.get("/sparql", query_string={"query": query},
                              headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.text
        rows = response.json["results"]["bindings"]
        return sorted(r["v"]["value"] for r in rows), response.headers["X-Query-Cache"]

    make_version(root, "1.0.0+1")
    assert values() == (["1.0.0+1"], "miss")
    assert values() == (["1.0.0+1"], "hit")
    make_version(root, "1.0.0+2")
    assert values() == (["1.0.0+2"], "miss")
    assert values() == (["1.0.0+2"], "hit")
