"""Faults: a query worker killed mid-query, a web server worker killed under load, a corrupted or
truncated release at start."""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from bclm_kg.cli import main
from bclm_kg.web import create_app
from bclm_kg.web.state import ReleaseCorrupt

from .conftest import TEST_ENV, free_port, serve_command, start_server, stop_server

QUERY = "/query/03-trials"
JSON = {"Accept": "application/sparql-results+json"}


PLAIN = "/sparql?query=SELECT%20%2A%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%201"


@pytest.mark.parametrize("path", [QUERY, PLAIN], ids=["named query", "plain query"])
def test_worker_killed_mid_query(fixture_release: Path, path: str) -> None:
    """Also for a plain query answered before Flask (reads not rate-limited)."""
    app = create_app({"RELEASE_DIR": fixture_release, "QUERY_WORKERS": 2, "ACCESS_LOG": False,
                      "QUERY_TIMEOUT": 60.0, "RESULT_CACHE_BYTES": 0,
                      "RATE_LIMIT_READS": "off" if path == PLAIN else "1200 per minute"})
    pool = app.extensions["bclm"].pool
    client = app.test_client()
    try:
        assert client.get(path, headers=JSON).status_code == 200  # both workers started
        assert client.get(path, headers=JSON).status_code == 200
        doomed = pool._idle.queue[0]  # the worker the next request gets
        send = doomed.conn.send

        def send_then_die(job) -> None:  # the process dies holding the query, unanswered
            os.kill(doomed.process.pid, signal.SIGSTOP)
            send(job)
            doomed.process.kill()

        doomed.conn.send = send_then_die
        killed = client.get(path, headers=JSON)
        assert killed.status_code == 503
        assert "stopped unexpectedly" in killed.text
        others = [client.get(path, headers=JSON) for _ in range(4)]
        assert [r.status_code for r in others] == [200] * 4
        assert pool.restarts == 1 and doomed.process.poll() is not None
        assert doomed not in pool._all
    finally:
        pool.close()


@pytest.fixture
def release_copy(real_release: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "release"
    shutil.copytree(real_release, copy)
    return copy


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_truncated_release_is_refused_naming_the_file(release_copy: Path) -> None:
    truncate(release_copy / "bclm.trig")
    with pytest.raises(ReleaseCorrupt, match=r"bclm\.trig: the release file is corrupted"):
        create_app({"RELEASE_DIR": release_copy, "QUERY_WORKERS": 0})
    result = CliRunner().invoke(main, ["serve", "--release", str(release_copy)])
    assert result.exit_code == 1
    assert f"{release_copy / 'bclm.trig'}: the release file is corrupted" in result.output


def test_corrupted_dump_is_refused_too(release_copy: Path) -> None:
    path = release_copy / "bclm.jsonld"
    path.write_bytes(path.read_bytes().replace(b"ruiz", b"ruis", 1))
    with pytest.raises(ReleaseCorrupt, match=r"bclm\.jsonld"):
        create_app({"RELEASE_DIR": release_copy, "QUERY_WORKERS": 0})


def test_unloadable_release_without_checksums_names_the_file(release_copy: Path) -> None:
    manifest = json.loads((release_copy / "release.json").read_text(encoding="utf-8"))
    manifest.pop("files")
    (release_copy / "release.json").write_text(json.dumps(manifest), encoding="utf-8")
    truncate(release_copy / "bclm.trig")
    with pytest.raises(ReleaseCorrupt, match=r"bclm\.trig: cannot load the release"):
        create_app({"RELEASE_DIR": release_copy, "QUERY_WORKERS": 0})


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@dataclass
class Call:
    started: float
    ended: float
    status: int | None  # None: the request failed without an answer
    error: str = ""


def _client_loop(url: str, calls: list[Call], count: int, progress: threading.Semaphore,
                 client: int) -> None:
    """``count`` queries, one at a time over one keep-alive session; each a new text."""
    with requests.Session() as session:
        for n in range(count):
            query = f"{LOAD_QUERY}\n# client {client} request {n}"
            started = time.monotonic()
            try:
                status = session.get(url, params={"query": query}, headers=JSON,
                                     timeout=30).status_code
                error = ""
            except requests.RequestException as exc:
                status, error = None, type(exc).__name__
            calls.append(Call(started, time.monotonic(), status, error))
            progress.release()


# a new worker's pid, as gunicorn ("Booting worker with pid: N") or Granian ("Spawning worker-K
# with PID: N") logs it
BOOTED = re.compile(r"(?:Booting worker with pid|Spawning worker-\d+ with PID): (\d+)")
LOAD_QUERY = "SELECT ?s WHERE { ?s a <https://w3id.org/bclm-kg/ontology/PublishedStudy> }"


def test_web_worker_killed_under_load(fixture_release: Path) -> None:
    """SIGKILL one web server worker (Granian's or gunicorn's) while four clients query: only
    requests in flight at the kill may fail; the worker is replaced (its query workers exit
    with it) and all answer."""
    port = free_port()
    live = start_server(serve_command(fixture_release, port), TEST_ENV, port)
    clients, per_client = 4, 120
    try:
        master = live.process.pid
        workers = _children(master)
        assert len(workers) == 2, live.output()
        victim = sorted(workers)[0]
        victim_queries = _children(victim)
        assert len(victim_queries) == 2  # its query worker processes
        calls: list[Call] = []
        progress = threading.Semaphore(0)
        threads = [threading.Thread(target=_client_loop, args=(live.sparql, calls, per_client,
                                                               progress, c))
                   for c in range(clients)]
        for thread in threads:
            thread.start()
        for _ in range(60):  # a quarter of the load answered before the kill
            assert progress.acquire(timeout=60), live.output()
        pidfd = os.pidfd_open(victim)
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        assert select.select([pidfd], [], [], 30)[0]  # readable once the process is gone
        gone_at = time.monotonic()
        os.close(pidfd)
        for thread in threads:
            thread.join(timeout=300)
        assert not any(t.is_alive() for t in threads)

        assert len(calls) == clients * per_client
        failed = [c for c in calls if c.status != 200]
        in_flight = [c for c in calls if c.started <= gone_at and c.ended >= killed_at]
        # every failure was a request in flight while the worker died; at most one per client
        assert all(c in in_flight for c in failed), [(c.status, c.error) for c in failed]
        assert len(failed) <= clients
        assert all(c.status is None for c in failed)  # connection lost, never an error answer

        booted = live.wait_for_line(lambda line: (m := BOOTED.search(line)) is not None
                                    and int(m.group(1)) not in workers, 120)
        replacement = int(BOOTED.search(booted).group(1))  # type: ignore[union-attr]
        assert replacement in _children(master) and victim not in _children(master)
        for orphan in victim_queries:  # its query workers see their socket close and exit
            try:
                fd = os.pidfd_open(orphan)
            except ProcessLookupError:
                continue
            try:
                assert select.select([fd], [], [], 30)[0], f"query worker {orphan} still runs"
            finally:
                os.close(fd)
        after = [live.get("/sparql", params={"query": f"{LOAD_QUERY}\n# after {n}"},
                          headers=JSON) for n in range(20)]
        assert [r.status_code for r in after] == [200] * 20
        assert len(after[0].json()["results"]["bindings"]) == 3  # the fixture's three studies
    finally:
        stop_server(live)
