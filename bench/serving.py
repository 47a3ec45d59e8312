"""Serving a synthetic graph from a prepared on-disk store, as ``bclm-kg serve --store
oxigraph:DIR`` does: seconds from the command's start to the first answer of a named query,
and the resident memory of all its processes (the HTTP server's master and workers, and their
query worker processes).

The synthetic graph becomes a release directory of its own: the real release's small files
(ontology documentation, OBO artefacts, prefix map, mappings) and a ``bclm.trig`` holding the
synthetic asserted and provenance graphs, their inferred graph, and the real ontology and
external-terms graphs; its ``release.json`` lists the files it holds (the large union files,
``bclm.ttl``, ``bclm.nt`` and ``bclm.jsonld``, are left out). The on-disk store is loaded from
that TriG by the service's own loader before the service starts ("prepared"); then the service
is started twice: first with an empty build cache (the release's checksums are read from its
files), then again (read from the cache).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from bench.servers import ROOT, Server, free_port, stop

KG = "https://w3id.org/bclm-kg/"
INFERRED = KG + "graph/inferred"
FROM_REAL = (KG + "graph/ontology", KG + "graph/external")  # copied from the real release
UNION_FILES = ("bclm.ttl", "bclm.nt", "bclm.jsonld")  # not written for a synthetic graph
FIRST_QUERY = "07-prospective-resection-trials-in-europe"
START_TIMEOUT = 600.0


def _quads(real: Path, quads: Path, inferred: Path) -> Iterator[ox.Quad]:
    yield from ox.parse(path=str(quads), format=ox.RdfFormat.N_QUADS)
    graph = ox.NamedNode(INFERRED)
    for triple in ox.parse(path=str(inferred), format=ox.RdfFormat.N_TRIPLES):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)
    for quad in ox.parse(path=str(real / "bclm.trig"), format=ox.RdfFormat.TRIG):
        if quad.graph_name.value in FROM_REAL:
            yield quad


def synthetic_release(real: str, quads: str, inferred: str, out: str) -> int:
    """Write the synthetic graph's release directory ``out``; the size of its TriG in bytes."""
    from bclm_kg.release import _sha256

    source, target = Path(real), Path(out)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    manifest = json.loads((source / "release.json").read_text(encoding="utf-8"))
    files = {}
    for name, digest in manifest.get("files", {}).items():
        if name not in UNION_FILES and name != "bclm.trig":
            shutil.copy2(source / name, target / name)
            files[name] = digest
    trig = target / "bclm.trig"
    ox.serialize(_quads(source, Path(quads), Path(inferred)), str(trig), ox.RdfFormat.TRIG)
    files["bclm.trig"] = _sha256(trig)
    manifest["files"] = files
    manifest["synthetic"] = {"from": Path(quads).name}
    (target / "release.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return trig.stat().st_size


def prepare_store(release: str, store: str) -> int:
    """Load the release into the on-disk store as the service does; its number of quads."""
    from bclm_kg.query.store import StoreSpec

    shutil.rmtree(store, ignore_errors=True)
    return StoreSpec(trig=Path(release) / "bclm.trig", path=Path(store)).open().size()


def _get(url: str, timeout: float) -> tuple[int, int]:
    """Status and body size of a GET (status 0 when nothing answered)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, 0
    except (urllib.error.URLError, OSError):
        return 0, 0


def _load() -> float:
    return round(os.getloadavg()[0], 1)


def serve_once(release: Path, store: Path, cache: Path, query: str = FIRST_QUERY,
               every_query: bool = True, root: Path = ROOT) -> dict:
    """Start ``bclm-kg serve`` on the prepared store: seconds until ``/query/<query>`` first
    answers 200; the memory of all its processes then; then (``every_query``) each named query
    once over HTTP, its status and seconds, and the memory after them all. ``root``: the
    checkout whose package is run (another commit's, to compare)."""
    from bclm_kg.web.queries import examples

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "BCLM_CACHE_DIR": str(cache), "BCLM_RATE_LIMIT_READS": "off"}
    command = [sys.executable, "-m", "bclm_kg.cli", "serve", "--release", str(release),
               "--store", f"oxigraph:{store}", "--host", "127.0.0.1", "--port", str(port)]
    row: dict = {"load_before": _load()}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, cwd=root, start_new_session=True)
    server = Server("bclm-kg", base + "/sparql", process)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"bclm-kg serve exited with {process.returncode}")
            if time.perf_counter() - started > START_TIMEOUT:
                raise RuntimeError(f"no answer within {START_TIMEOUT:.0f} s")
            status, _ = _get(f"{base}/query/{query}", timeout=60)
            if status == 200:
                break
            time.sleep(0.05)
        row["first_answer_s"] = time.perf_counter() - started
        row["processes"] = len(server.pids())
        row["rss_mb"], row["pss_mb"] = server.rss_mb(), server.pss_mb()
        if every_query:
            row["queries"] = {}
            for named in examples():
                began = time.perf_counter()
                status, size = _get(f"{base}/query/{named.name}", timeout=300)
                row["queries"][named.name] = {"status": status, "bytes": size,
                                              "s": time.perf_counter() - began}
            row["rss_after_mb"], row["pss_after_mb"] = server.rss_mb(), server.pss_mb()
    finally:
        stop(process, 30)
    row["load_after"] = _load()
    return row


def serve_from_disk(release: Path, store: Path, cache: Path) -> dict:
    """Two starts on the same prepared store: with an empty build cache, then with the one the
    first start filled."""
    shutil.rmtree(cache, ignore_errors=True)
    return {"first start": serve_once(release, store, cache),
            "second start": serve_once(release, store, cache, every_query=False)}
