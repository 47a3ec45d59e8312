"""Fixtures for the web tests: a release directory, and the service running under a real WSGI
server (``bclm-kg serve`` → gunicorn) on a loopback port.

``fixture_release`` is the small hand-written release in ``fixtures/``; ``real_release`` is
the project's own build (skipped while the build cannot run).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
W3C = Path("/work/shared/reference/w3c-sparql11-protocol")

# Loopback only: never let a proxy setting send test traffic elsewhere.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_fixture_release(out: Path) -> Path:
    """The fixture TriG plus the dumps and manifest a release has, derived from it."""
    out.mkdir(parents=True, exist_ok=True)
    trig = (FIXTURES / "release" / "bclm.trig").read_bytes()
    (out / "bclm.trig").write_bytes(trig)
    quads = list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    triples = list(dict.fromkeys(q.triple for q in quads))
    for name, fmt in (("bclm.ttl", ox.RdfFormat.TURTLE), ("bclm.nt", ox.RdfFormat.N_TRIPLES),
                      ("bclm.jsonld", ox.RdfFormat.JSON_LD)):
        (out / name).write_bytes(ox.serialize(triples, format=fmt))
    (out / "release.json").write_text(json.dumps({"version": "0.0.0-test", "counts": {}}))
    return out


@pytest.fixture(scope="session")
def fixture_release(tmp_path_factory) -> Path:
    return write_fixture_release(tmp_path_factory.mktemp("fixture-release"))


@pytest.fixture(scope="session")
def real_release(tmp_path_factory) -> Path:
    """The real release, built once per session (skips while the build is unavailable)."""
    out = tmp_path_factory.mktemp("real-release") / "build"
    try:
        from bclm_kg.build import ensure_release

        ensure_release(out, ROOT / "data")
    except Exception as exc:  # the build belongs to another part of the project
        pytest.skip(f"the real release cannot be built here: {type(exc).__name__}: {exc}")
    return out


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=30, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=30, **kwargs)

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()


def start_server(command: list[str], env: dict[str, str], log: Path, port: int) -> LiveServer:
    handle = log.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                               stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}):\n{log.read_text()}")
        try:
            health = requests.get(url + "/healthz", timeout=2)
            if health.ok and health.json()["workers_idle"] > 0:
                return LiveServer(url, process, log)
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"server did not start:\n{log.read_text()}")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def serve_command(release: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "bclm_kg.cli", "serve", "--release", str(release),
            "--host", "127.0.0.1", "--port", str(port)]


TEST_ENV = {"BCLM_QUERY_TIMEOUT": "2", "BCLM_MAX_ROWS": "200", "BCLM_MAX_QUERY_BYTES": "8192"}


@pytest.fixture(scope="session")
def server(fixture_release, tmp_path_factory) -> Iterator[LiveServer]:
    """``bclm-kg serve`` on the fixture release: 2 s query limit, 200-row cap, 8 KiB queries."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    live = start_server(serve_command(fixture_release, port), TEST_ENV, log, port)
    yield live
    stop_server(live)


@pytest.fixture(scope="session")
def w3c_server(fixture_release, tmp_path_factory) -> Iterator[LiveServer]:
    """The service with the W3C protocol tests' data loaded as named graphs beside the release."""
    extra = [[f"http://kasei.us/2009/09/sparql/data/data{n}.rdf", str(W3C / f"data{n}.nt")]
             for n in (1, 2, 3)]
    port = free_port()
    log = tmp_path_factory.mktemp("w3c-server") / "server.log"
    env = {**TEST_ENV, "BCLM_EXTRA_GRAPHS": json.dumps(extra)}
    live = start_server(serve_command(fixture_release, port), env, log, port)
    yield live
    stop_server(live)


@pytest.fixture(scope="session")
def real_server(real_release, tmp_path_factory) -> Iterator[LiveServer]:
    """``bclm-kg serve`` on the real release."""
    port = free_port()
    log = tmp_path_factory.mktemp("real-server") / "server.log"
    live = start_server(serve_command(real_release, port), {}, log, port)
    yield live
    stop_server(live)
