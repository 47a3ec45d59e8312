"""The SPARQL servers the benchmark compares, each started on 127.0.0.1 and stopped after:
this service (as ``bclm-kg serve`` runs it), rdflib-endpoint and the Oxigraph server,
all holding the same release; and ``wrk`` as the bounded load generator."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ASK = "ASK { ?s ?p ?o }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    endpoint: str  # the SPARQL query URL
    process: subprocess.Popen

    def pids(self) -> list[int]:
        """The server process and all its descendants."""
        found = [self.process.pid]
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        todo = [self.process.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found

    def rss_mb(self) -> float:
        """Resident memory of the server and its descendants, in MB (pages shared between
        processes, e.g. after a fork, counted in each)."""
        return self._sum("status", "VmRSS")

    def pss_mb(self) -> float:
        """Proportional resident memory of the server and its descendants, in MB: a page
        shared by n processes counts 1/n in each, so the sum is the memory they really take."""
        return self._sum("smaps_rollup", "Pss")

    def _sum(self, file: str, field: str) -> float:
        total = 0
        for pid in self.pids():
            try:
                text = Path(f"/proc/{pid}/{file}").read_text()
            except OSError:
                continue
            match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
            total += int(match.group(1)) if match else 0
        return total / 1024


def _wait(endpoint: str, process: subprocess.Popen, timeout: float = 180) -> None:
    url = endpoint + "?" + urllib.parse.urlencode({"query": ASK})
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {process.args}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {endpoint} within {timeout} s")


@contextmanager
def _running(name: str, command: list[str], endpoint: str, env: dict | None = None,
             cwd: Path | None = None) -> Iterator[Server]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})}, cwd=cwd)
    try:
        _wait(endpoint, process)
        yield Server(name, endpoint, process)
    finally:
        stop(process, 15)


def stop(process: subprocess.Popen, timeout: float) -> None:
    """Ask ``process`` to stop; kill it if it has not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def this_service(release: Path, workers: int | None = None, threads: int | None = None,
                 store: Path | None = None, env: dict | None = None) -> Iterator[Server]:
    """``bclm-kg serve`` itself (its default HTTP server, gunicorn, unless ``env`` names another);
    ``workers`` and ``threads`` override its numbers of workers and threads per worker."""
    port = free_port()
    # the benchmark measures throughput from one address: no per-client rate limit
    settings = {"BCLM_RELEASE_DIR": str(release), "BCLM_RATE_LIMIT_READS": "off",
                **(env or {})}
    if workers:
        settings["BCLM_WEB_WORKERS"] = str(workers)
    if threads:
        settings["BCLM_WEB_THREADS"] = str(threads)
    command = [sys.executable, "-m", "bclm_kg.cli", "serve", "--release", str(release),
               "--host", "127.0.0.1", "--port", str(port)]
    if store is not None:
        command += ["--store", f"oxigraph:{store}"]
    with _running("bclm-kg (gunicorn)", command, f"http://127.0.0.1:{port}/sparql", settings,
                  cwd=ROOT) as server:
        yield server


@contextmanager
def in_process_queries(release: Path) -> Iterator[Server]:
    """This service with its queries run in the request's thread (``BCLM_QUERY_WORKERS=0``): no
    worker process, so no hard time limit — the cost of that guarantee, measured."""
    with this_service(release, env={"BCLM_QUERY_WORKERS": "0"}) as server:
        server.name = "same, queries in-process"
        yield server


@contextmanager
def under_granian(release: Path) -> Iterator[Server]:
    """This service with Granian as its HTTP server (``BCLM_WEB_SERVER=granian``): the same app,
    workers and threads; HTTP parsing and connections in Rust."""
    with this_service(release, env={"BCLM_WEB_SERVER": "granian"}) as server:
        server.name = "same, under Granian"
        yield server


@contextmanager
def granian_in_process(release: Path) -> Iterator[Server]:
    """This service under Granian with its queries in the request's thread: the ceiling this
    app could reach if it gave up the hard time limit (pyoxigraph cannot cancel a query)."""
    with this_service(release, env={"BCLM_WEB_SERVER": "granian",
                                    "BCLM_QUERY_WORKERS": "0"}) as server:
        server.name = "same, Granian, queries in-process"
        yield server


@contextmanager
def bare_app(release: Path) -> Iterator[Server]:
    """The floor of a Python service (``bench/bare_app.py``) under Granian, with the service's
    numbers of workers and threads."""
    from bclm_kg.web.serve import THREADS, WORKERS

    port = free_port()
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", str(WORKERS),
               "--blocking-threads", str(THREADS), "--host", "127.0.0.1", "--port", str(port),
               "bench.bare_app:app"]
    with _running("bare pyoxigraph WSGI app", command, f"http://127.0.0.1:{port}/sparql",
                  {"BCLM_BARE_TRIG": str(release / "bclm.trig")}, cwd=ROOT) as server:
        yield server


@contextmanager
def rdflib_endpoint(release: Path) -> Iterator[Server]:
    """rdflib-endpoint (FastAPI over an rdflib Dataset) under uvicorn."""
    port = free_port()
    command = [sys.executable, "-m", "bench.rdflib_app", str(release / "bclm.trig"), str(port)]
    with _running("rdflib-endpoint", command, f"http://127.0.0.1:{port}/", cwd=ROOT) as server:
        yield server


@contextmanager
def oxigraph_server(release: Path) -> Iterator[Server]:
    """The Oxigraph server, read-only, default graph = union of the named graphs."""
    port = free_port()
    oxigraph = str(BIN / "oxigraph") if (BIN / "oxigraph").exists() else "oxigraph"
    with tempfile.TemporaryDirectory(prefix="bclm-oxigraph-") as location:
        subprocess.run([oxigraph, "load", "--location", location, "--file",
                        str(release / "bclm.trig")], check=True, capture_output=True)
        command = [oxigraph, "serve-read-only", "--location", location, "--bind",
                   f"127.0.0.1:{port}", "--union-default-graph"]
        with _running("Oxigraph server", command, f"http://127.0.0.1:{port}/query") as server:
            yield server


def answer_size(endpoint: str, query: str) -> int:
    """Bytes of one JSON answer to ``query``."""
    url = endpoint + "?" + urllib.parse.urlencode({"query": query + "\n# size"})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read())


VARY_SCRIPT = """\
threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "{path}?query={query}%0A%23%20{run}-" .. id .. "-" .. counter)
end
"""


@dataclass
class Load:
    requests_per_s: float
    p50_ms: float | None  # None when no request completed within the run
    p99_ms: float | None
    requests: int
    errors: int


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNIT[unit]


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk(endpoint: str, query: str, clients: int, seconds: int, vary: bool) -> Load:
    """Run wrk against ``endpoint`` with GET ?query=…; ``vary`` makes every request's text
    different (a comment naming the run, the wrk thread and a counter), so no cache can answer
    it, in this run or any other (wrk's ``math.random`` gives every thread and every run the
    same sequence, so random numbers alone repeat the texts)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        encoded = urllib.parse.quote(query)
        accept = 'wrk.headers["Accept"] = "application/sparql-results+json"\n'
        if vary:
            script.write(accept + VARY_SCRIPT.format(
                path=urllib.parse.urlsplit(endpoint).path, query=encoded,
                run=secrets.token_hex(8)))
        else:
            script.write(accept)
    url = endpoint if vary else endpoint + "?query=" + encoded
    try:
        result = subprocess.run(
            ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds}s",
             "--timeout", "10s", "--latency", "-s", script.name, url],
            capture_output=True, text=True, check=True, timeout=seconds + 60)
    finally:
        os.unlink(script.name)
    out = result.stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50, p99 = (_ms(latency[k]) if k in latency else None for k in ("50", "99"))
    return Load(rate, p50, p99, requests, errors)
