"""Fixtures for the linking tests: the real release behind Flask's test client, a second SPARQL
server (Oxigraph, from the ``oxigraph`` package) on loopback holding a few external terms, and
a tiny server that redirects to another port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bclm_kg.web import create_app

FIXTURES = Path(__file__).parent / "fixtures"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited ({process.returncode}):\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"oxigraph did not start:\n{log.read_text()}")


@dataclass
class Mirror:
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"


@pytest.fixture(scope="session")
def mirror(tmp_path_factory) -> Iterator[Mirror]:
    """``oxigraph serve-read-only`` on 127.0.0.1 with ``fixtures/mirror-terms.ttl``."""
    if not OXIGRAPH.is_file() and shutil.which("oxigraph") is None:
        pytest.skip("the oxigraph server (PyPI package 'oxigraph') is not installed")
    binary = str(OXIGRAPH if OXIGRAPH.is_file() else shutil.which("oxigraph"))
    folder = tmp_path_factory.mktemp("mirror")
    store = folder / "store"
    subprocess.run([binary, "load", "--location", str(store), "--file",
                    str(FIXTURES / "mirror-terms.ttl")], check=True, capture_output=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as handle:
        process = subprocess.Popen([binary, "serve-read-only", "--location", str(store),
                                    "--bind", f"127.0.0.1:{port}"],
                                   stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log)
        yield Mirror(port)
    finally:
        process.terminate()
        process.wait(timeout=20)


@dataclass
class Redirector:
    port: int
    target_port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"


@pytest.fixture(scope="session")
def redirector(mirror: Mirror) -> Iterator[Redirector]:
    """A server on 127.0.0.1 that answers every request with a redirect to the mirror's
    ``/query`` (or, for a path ending in ``-elsewhere``, to its unlisted ``/query-elsewhere``)."""
    target = mirror.port

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path, _, query = self.path.partition("?")
            where = "/query-elsewhere" if path.endswith("-elsewhere") else "/query"
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{target}{where}?{query}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Redirector(httpd.server_address[1], target)
    httpd.shutdown()
    httpd.server_close()


def make_app(release_dir: Path, federation: dict | None = None) -> Flask:
    return create_app({"RELEASE_DIR": release_dir, "QUERY_WORKERS": 0, "ACCESS_LOG": False,
                       "FEDERATION": federation})


@pytest.fixture(scope="session")
def app(release_dir: Path) -> Flask:
    """The service on the real release, with no federated endpoint allowlisted."""
    return make_app(release_dir)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def federated_app(release_dir: Path, mirror: Mirror, redirector: Redirector) -> Flask:
    """The service with the mirror and the redirector allowlisted by IP address, and the
    mirror once more under the name localhost (not an explicit address)."""
    return make_app(release_dir, {
        "mirror": {"url": mirror.url, "timeout": 10, "max_rows": 100},
        "redirector": {"url": redirector.url, "timeout": 10},
        "redirector-elsewhere": {"url": redirector.url + "-elsewhere", "timeout": 10},
        "mirror-by-name": {"url": f"http://localhost:{mirror.port}/query"},
    })


@pytest.fixture()
def federated(federated_app: Flask) -> FlaskClient:
    return federated_app.test_client()
