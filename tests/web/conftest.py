"""Fixtures for the web tests: a release directory, the app through Flask's test client
(queries run in-process), and the service under a real WSGI server (``bclm-kg serve`` →
Granian or gunicorn, query worker processes) on a loopback port for what only that shows.

``fixture_release`` is the small hand-written release in ``fixtures/``; ``real_release`` is
the project's own build (skipped while the build cannot run).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from bclm_kg.web import create_app
from tests.shared import require

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
W3C_DIR = "reference/w3c-sparql11-protocol"  # in the shared reference material
STARTUP = 120  # seconds a server may take to listen
STARTUP_ATTEMPTS = 30  # queries tried while its query workers start

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
def real_release(release_dir) -> Path:
    """The project's own release: the session's one build (``release_dir``)."""
    return release_dir


# The limits of every test service: 2 s per query, 200 rows, 8 KiB queries.
TEST_SETTINGS = {"QUERY_TIMEOUT": 2.0, "MAX_ROWS": 200, "MAX_QUERY_BYTES": 8192}
TEST_ENV = {"BCLM_QUERY_TIMEOUT": "2", "BCLM_MAX_ROWS": "200", "BCLM_MAX_QUERY_BYTES": "8192"}


def in_process_app(release: Path, **settings) -> Flask:
    """The app on ``release`` with queries run in-process, for Flask's test client."""
    return create_app({**TEST_SETTINGS, "RELEASE_DIR": release, "QUERY_WORKERS": 0,
                       "ACCESS_LOG": False, **settings})


@pytest.fixture(scope="session")
def app(fixture_release) -> Flask:
    return in_process_app(fixture_release)


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session", params=["1200 per minute", "off"],
                ids=["reads limited", "plain queries before Flask"])
def w3c_client(fixture_release, request) -> FlaskClient:
    """The W3C protocol tests' data loaded as named graphs beside the fixture release; with
    reads rate-limited (every request through Flask) and without (plain queries answered
    before Flask, web/fast_query.py)."""
    w3c = require(W3C_DIR)
    extra = [(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf", w3c / f"data{n}.nt")
             for n in (1, 2, 3)]
    return in_process_app(fixture_release, EXTRA_GRAPHS=extra,
                          RATE_LIMIT_READS=request.param).test_client()


@pytest.fixture(scope="session")
def real_client(real_release) -> FlaskClient:
    """The app on the project's own release."""
    return in_process_app(real_release, MAX_ROWS=10_000).test_client()


class LiveServer:
    """A server process on a loopback port; its output is kept, line by line, in memory."""

    def __init__(self, url: str, process: subprocess.Popen) -> None:
        self.url = url
        self.process = process
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.listening = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
            if "Listening at:" in line:
                self.listening.set()
        self.listening.set()  # the process ended: stop waiting

    def wait_for_line(self, predicate: Callable[[str], bool], timeout: float = 30) -> str:
        """The first output line matching ``predicate``, waiting for it up to ``timeout``."""
        def found() -> str | None:
            return next((line for line in self.lines if predicate(line)), None)

        with self.changed:
            line = self.changed.wait_for(found, timeout)
        assert line is not None, "\n".join(self.lines)
        return line

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, **{"timeout": 30, **kwargs})

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, **{"timeout": 30, **kwargs})

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def output(self) -> str:
        return "\n".join(self.lines)


def start_server(command: list[str], env: dict[str, str], port: int,
                 **popen: object) -> LiveServer:
    """Start ``command`` and return once it listens and answers a query (bounded waits)."""
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen)
    live = LiveServer(f"http://127.0.0.1:{port}", process)
    if not live.listening.wait(STARTUP) or process.poll() is not None:
        stop_server(live)
        raise RuntimeError(f"server did not start ({process.returncode}):\n{live.output()}")
    # Once it listens, a request waits for a worker; a query waits for a free query worker
    # (503 if none started within the time limit: ask again, a bounded number of times).
    for _ in range(STARTUP_ATTEMPTS):
        if live.get("/sparql", params={"query": "ASK {}"}).status_code == 200:
            return live
    stop_server(live)
    raise RuntimeError(f"server does not answer queries:\n{live.output()}")


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


@pytest.fixture(scope="session")
def server(fixture_release) -> Iterator[LiveServer]:
    """``bclm-kg serve`` (its web server, query worker processes) on the fixture release."""
    port = free_port()
    live = start_server(serve_command(fixture_release, port), TEST_ENV, port)
    yield live
    stop_server(live)
