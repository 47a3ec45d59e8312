"""The benchmark, in one command: ``python -m bench`` (or ``make bench``).

1. the real build, stage by stage;
2. synthetic graphs at each scale (``--scales``): generate, reason, SHACL (full, and one changed
   study), load in memory and on disk — time and peak memory of each, in its own process —
   then every named query's p50/p99 on embedded Oxigraph (memory, disk) and rdflib;
3. the cost of running a query in a worker process instead of in-process;
4. HTTP (wrk on 127.0.0.1): this service, rdflib-endpoint and the Oxigraph server on the same
   release, 1/4/16 clients, repeated and uncached (every request a different text);
5. a soak: 16 clients against this service for ``--soak-seconds``, errors and memory;
6. at each scale, ``bclm-kg serve`` on the synthetic graph from a prepared on-disk store:
   seconds from start to the first answer of a named query, and the resident memory of all
   its processes (``bench/serving.py``).

Writes ``bench/results/REPORT.md`` (machine, versions, commands, tables with ratios measured in
the same run) and ``bench/results/report.json``. Nothing here is asserted by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from importlib import metadata
from pathlib import Path

from bench import servers, serving, stages

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
QUERIES = ROOT / "bench" / "queries"
CLIENTS = (1, 4, 16)
RDFLIB_MAX_STUDIES = 300  # beyond, rdflib's join-order cliff makes a query take minutes


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split(":", 1)[1].strip()
                   for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "?")
    return {"system": platform.platform(), "cpu": cpu, "cores": str(len(
        [x for x in Path("/proc/cpuinfo").read_text().splitlines()
         if x.startswith("processor")])), "memory": memory,
            "python": platform.python_version()}


def versions() -> dict[str, str]:
    found = {}
    for name in ("bclm-kg", "pyoxigraph", "oxigraph", "rdflib", "shacl", "pyshacl", "owlready2",
                 "flask", "gunicorn", "granian", "rdflib-endpoint", "uvicorn"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    if servers.wrk_available():
        result = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        found["wrk"] = (result.stdout or result.stderr).split()[1]
    return found


def _timed_build(release: Path) -> tuple[float, dict[str, float], int]:
    from bclm_kg.build import build_release
    from bclm_kg.progress import SilentReporter

    reporter = SilentReporter()
    started = time.perf_counter()
    summary = build_release(release, ROOT / "data", report=reporter)
    return time.perf_counter() - started, dict(reporter.timings), summary.counts["triples"]


def real_build(release: Path) -> dict:
    """The real build, stage by stage: first with an empty build cache (HermiT classifies the
    ontology, bioregistry gives the prefix map), then again with the cache that build filled,
    as every build until the ontology or the tools change."""
    from bclm_kg import cache

    before = os.environ.get(cache.ENV)
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as empty:
        os.environ[cache.ENV] = empty
        try:
            seconds, stages, triples = _timed_build(release)
            warm_seconds, warm_stages, _ = _timed_build(release)
        finally:
            if before is None:
                os.environ.pop(cache.ENV, None)
            else:
                os.environ[cache.ENV] = before
    return {"seconds": seconds, "stages": stages, "warm_seconds": warm_seconds,
            "warm_stages": warm_stages, "triples": triples}


def scale(release: Path, studies: int, work: Path, repeat: int, seed: int,
          serve: bool = True) -> dict:
    quads, inferred = work / f"synth-{studies}.nq", work / f"synth-{studies}-inferred.nt"
    full, disk = work / f"synth-{studies}-all.nt", work / f"synth-{studies}-store"
    shutil.rmtree(disk, ignore_errors=True)
    row: dict = {"studies": studies, "stages": {}}
    plan = [
        ("generate", stages.generate, (str(release), studies, str(quads), seed)),
        ("reason (rules)", stages.reason, (str(quads), str(inferred))),
        ("SHACL input (N-Triples)", stages.validation_input, (str(quads), str(inferred),
                                                              str(full))),
        ("SHACL (Rust engine)", stages.shacl, (str(full),)),
        ("bclm-kg validate (N-Triples file)", stages.validate_command, (str(full),)),
        ("load, Oxigraph in memory", stages.load_memory, (str(quads), str(inferred))),
        ("load, Oxigraph on disk", stages.load_disk, (str(quads), str(inferred), str(disk))),
        ("SHACL of one changed study", stages.revalidate_one, (str(disk),)),
    ]
    for name, function, args in plan:
        print(f"  {studies} studies: {name}…", flush=True)
        row["stages"][name] = stages.measured(function, *args)
    row["triples"] = row["stages"]["SHACL input (N-Triples)"]["value"]
    print(f"  {studies} studies: named queries…", flush=True)
    backends = {"Oxigraph in memory": (None, "oxigraph"), "Oxigraph on disk": (str(disk),
                                                                               "oxigraph")}
    if studies <= RDFLIB_MAX_STUDIES:  # its engine takes minutes per query beyond this
        backends["rdflib"] = (None, "rdflib")
    row["queries"] = {}
    for backend, (location, engine) in backends.items():
        result = stages.measured(stages.query_latencies, location, str(quads), str(inferred),
                                 repeat if engine == "oxigraph" else max(3, repeat // 5), engine,
                                 timeout=1800)
        row["queries"][backend] = result["value"] or {"error": result["error"]}
    if serve:
        row["serve"] = serve_from_disk(release, studies, work, quads, inferred)
        row["stages"].update(row["serve"]["stages"])
    return row


def serve_from_disk(release: Path, studies: int, work: Path, quads: Path,
                    inferred: Path) -> dict:
    """The synthetic graph as a release of its own, loaded into an on-disk store as the
    service loads it; then ``bclm-kg serve`` started on it twice (see ``bench/serving.py``)."""
    own, store = work / f"synth-{studies}-release", work / f"synth-{studies}-served-store"
    out: dict = {"stages": {}}
    for name, function, args in [
            ("release (TriG) of the synthetic graph", serving.synthetic_release,
             (str(release), str(quads), str(inferred), str(own))),
            ("load on disk, as the service does", serving.prepare_store, (str(own), str(store)))]:
        print(f"  {studies} studies: {name}…", flush=True)
        out["stages"][name] = stages.measured(function, *args)
    if out["stages"]["load on disk, as the service does"]["error"] is None:
        print(f"  {studies} studies: serve from disk…", flush=True)
        try:
            out.update(serving.serve_from_disk(own, store, work / f"serve-cache-{studies}"))
        except RuntimeError as exc:
            out["error"] = str(exc)
    shutil.rmtree(own, ignore_errors=True)
    return out


def mechanism_cost(release: Path, repeat: int) -> dict:
    """One fast query: in-process call vs a round trip through a worker process."""
    from bclm_kg.query.execute import Job, execute
    from bclm_kg.query.pool import QueryPool
    from bclm_kg.query.store import StoreSpec

    text = (QUERIES / "outcome-order.rq").read_text(encoding="utf-8")
    spec = StoreSpec(trig=release / "bclm.trig")
    store = spec.open()
    job = Job(text, "json", None)
    pool = QueryPool(spec, size=1)
    pool.wait_ready(120)
    samples: dict[str, list[float]] = {"in-process": [], "worker process": []}
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            execute(store, job)
            samples["in-process"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            pool.run(job)
            samples["worker process"].append((time.perf_counter() - started) * 1000)
    finally:
        pool.close()
    return {name: statistics.median(values) for name, values in samples.items()}


PEERS = {"oxigraph": servers.oxigraph_server, "rdflib": servers.rdflib_endpoint,
         "inprocess": servers.in_process_queries, "granian": servers.under_granian,
         "granian-inprocess": servers.granian_in_process,
         "bare": servers.bare_app}


def http(release: Path, seconds: int, rounds: int, peers: list[str]) -> list[dict]:
    """Every server runs at once; each (query, mode, clients) cell is measured ``rounds`` times,
    the servers taking turns, so a ratio compares runs seconds apart under the same load."""
    rows = []
    queries = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}
    with ExitStack() as stack:
        running = [stack.enter_context(servers.this_service(release))]
        running += [stack.enter_context(PEERS[name](release)) for name in peers]
        print("  HTTP: " + ", ".join(s.name for s in running), flush=True)
        for server in running:  # first requests (imports, page cache) outside the timings
            servers.wrk(server.endpoint, queries["outcome-order"], 1, 1, False)
        for name, text in queries.items():
            for vary in (False, True):
                for clients in CLIENTS:
                    cell: dict[str, list] = {s.name: [] for s in running}
                    for _ in range(rounds):
                        for server in running:
                            if server.name == "rdflib-endpoint" and clients > 4:
                                continue  # one query at a time: more clients only queue
                            cell[server.name].append(
                                servers.wrk(server.endpoint, text, clients, seconds, vary))
                    rows += [_summary(server, name, vary, clients, loads)
                             for server, loads in cell.items() if loads]
                    _ratios(rows, cell, name, vary, clients)
    return rows


def _summary(server: str, query: str, vary: bool, clients: int, loads: list) -> dict:
    def median(attr: str) -> float | None:
        values = [getattr(x, attr) for x in loads if getattr(x, attr) is not None]
        return statistics.median(values) if values else None

    return {"server": server, "query": query, "mode": "uncached" if vary else "repeated",
            "clients": clients, "requests_per_s": median("requests_per_s"),
            "p50_ms": median("p50_ms"), "p99_ms": median("p99_ms"),
            "requests": sum(x.requests for x in loads), "errors": sum(x.errors for x in loads),
            "rounds": [x.requests_per_s for x in loads]}


def _ratios(rows: list[dict], cell: dict[str, list], query: str, vary: bool,
            clients: int) -> None:
    """This service ÷ each peer, round by round (the runs taking turns); median and range."""
    ours = next(r for r in rows[::-1] if r["server"].startswith("bclm-kg")
                and r["query"] == query and r["clients"] == clients
                and r["mode"] == ("uncached" if vary else "repeated"))
    mine = cell[ours["server"]]
    for peer, loads in cell.items():
        if peer == ours["server"] or not loads:
            continue
        each = [a.requests_per_s / b.requests_per_s for a, b in zip(mine, loads, strict=False)
                if b.requests_per_s]
        if each:
            ours.setdefault("ratios", {})[peer] = {"median": statistics.median(each),
                                                  "min": min(each), "max": max(each)}


def soak(release: Path, seconds: int, warmup: int) -> dict:
    """16 clients, every request a new query text: errors, and the service's memory every 5 s
    once a warm-up has served more answers than the caches of all its workers can hold."""
    from bclm_kg.query.cache import size_of
    from bclm_kg.web.config import DEFAULTS
    from bclm_kg.web.serve import WORKERS

    text = (QUERIES / "label-search.rq").read_text(encoding="utf-8")
    with servers.this_service(release) as server:
        started = {"rss": server.rss_mb(), "pss": server.pss_mb()}
        body = servers.answer_size(server.endpoint, text)
        fill = WORKERS * DEFAULTS["RESULT_CACHE_BYTES"] // size_of((text, b"x" * body))
        served, spent = 0, 0
        while served < 1.5 * fill and spent < warmup:  # chunks of the same load
            served += servers.wrk(server.endpoint, text, 16, 10, True).requests
            spent += 10
        memory: dict[str, list[float]] = {"rss": [server.rss_mb()], "pss": [server.pss_mb()]}
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(5):
                memory["rss"].append(server.rss_mb())
                memory["pss"].append(server.pss_mb())

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        load = servers.wrk(server.endpoint, text, 16, seconds, True)
        stop.set()
        thread.join()
        memory["rss"].append(server.rss_mb())
        memory["pss"].append(server.pss_mb())
    return {**load.__dict__, "seconds": seconds, "warmup_s": spent, "warmup_requests": served,
            "cache_fill_requests": fill, "start_mb": started, "memory_mb": memory}


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _f(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def markdown(report: dict) -> str:
    out = ["# bclm-kg benchmark", "", f"Run {report['date']}; command: `{report['command']}`.",
           "Medians; every ratio compares numbers measured in this same run.", "",
           "## Machine", ""]
    out += [f"- {k}: {v}" for k, v in report["machine"].items()]
    out += ["", "## Versions", ""] + [f"- {k} {v}" for k, v in report["versions"].items()]
    real = report.get("real_build")
    if real:
        out += ["", "## The real build", "", f"{real['triples']:,} triples, "
                f"{_f(real['seconds'])} s in all with an empty build cache, "
                f"{_f(real['warm_seconds'])} s again with the cache it filled (HermiT's "
                "classification and the prefix map kept).", "",
                "| stage | empty cache s | filled cache s |", "|---|---:|---:|"]
        out += [f"| {k} | {_f(v, 2)} | {_f(real['warm_stages'].get(k), 2)} |"
                for k, v in real["stages"].items()]
    out += ["", "## Build stages at scale", "",
            "Each stage in a fresh process: wall time and peak resident memory.", "",
            "| studies | triples | stage | s | peak MB | result |", "|---:|---:|---|---:|---:|---|"]
    for row in report["scales"]:
        for name, stage in row["stages"].items():
            result = stage["error"] or stage["value"]
            out.append(f"| {row['studies']:,} | {row['triples'] or 0:,} | {name} | "
                       f"{_f(stage['seconds'], 2)} | {_f(stage['peak_mb'], 0)} | {result} |")
    out += ["", "## Named queries at scale (ms)", ""]
    for row in report["scales"]:
        backends = row["queries"]
        names = sorted({q for b in backends.values() for q in b if q != "error"})
        out += [f"### {row['studies']:,} studies", "",
                "| query | " + " | ".join(f"{b} p50 | p99" for b in backends) + " |",
                "|---|" + "---:|---:|" * len(backends)]
        for name in names:
            cells = []
            for timings in backends.values():
                t = timings.get(name)
                cells += [_f(t["p50"], 2), _f(t["p99"], 2)] if t else ["—", "—"]
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        for backend, timings in backends.items():
            if "error" in timings:
                out.append(f"\n{backend}: {timings['error']}")
        out.append("")
    out += serving_markdown(report["scales"])
    cost = report.get("mechanism")
    if cost:
        out += ["## The runaway-query guarantee: its cost", "",
                "One fast query (`outcome-order.rq`, real graph), median ms per call:", "",
                f"- in-process: {_f(cost['in-process'], 3)}",
                f"- through a worker process (killed and replaced past its time limit): "
                f"{_f(cost['worker process'], 3)}", ""]
    if report.get("http"):
        load = report.get("load", {})
        out += ["## HTTP (wrk on 127.0.0.1, real graph)", "",
                f"Load average of the machine (1 min) before and after: "
                f"{load.get('http_before', '?')} → {load.get('http_after', '?')} (2 cores; other "
                "work ran beside the benchmark). Requests/s, p50 and p99 latency in ms: medians "
                "over the rounds, every server running at once and taking turns; `uncached` "
                "sends a different query text each request. Ratios: this service ÷ peer, round "
                "by round, median (lowest–highest).", ""]
        peers = list(dict.fromkeys(r["server"] for r in report["http"]
                                   if not r["server"].startswith("bclm-kg")))
        out += ["| query | mode | clients | server | req/s | p50 | p99 | errors | "
                + " | ".join(f"× {p}" for p in peers) + " |",
                "|---|---|---:|---|---:|---:|---:|---:|" + "---:|" * len(peers)]
        for r in report["http"]:
            ratios = r.get("ratios", {})
            cells = []
            for peer in peers:
                x = ratios.get(peer)
                digits = 1 if peer == "rdflib-endpoint" else 2
                cells.append(f"{_f(x['median'], digits)} ({_f(x['min'], digits)}–"
                             f"{_f(x['max'], digits)})" if x else "")
            out.append(f"| {r['query']} | {r['mode']} | {r['clients']} | {r['server']} | "
                       f"{_f(r['requests_per_s'], 0)} | {_f(r['p50_ms'], 2)} | "
                       f"{_f(r['p99_ms'], 2)} | {r['errors']} | " + " | ".join(cells) + " |")
        out.append("")
    if report.get("soak"):
        s = report["soak"]
        load = report.get("load", {})
        out += ["## Soak", "",
                f"{s['seconds']} s at 16 clients, `label-search.rq` uncached (every request a "
                f"new text, so the answer cache fills and evicts), after a warm-up of the same "
                f"load ({s['warmup_s']} s, {s['warmup_requests']:,} requests; the caches of all "
                f"workers hold about {s['cache_fill_requests']:,} such answers); load average "
                f"{load.get('soak_before', '?')} → {load.get('soak_after', '?')}: "
                f"{s['requests']:,} requests, {s['errors']} errors, "
                f"{_f(s['requests_per_s'], 0)} req/s, p50 {_f(s['p50_ms'], 1)} ms, p99 "
                f"{_f(s['p99_ms'], 1)} ms.", "",
                "Memory of the service (all its processes), MB, at start, then after the warm-up "
                "every 5 s (PSS counts a page shared by n processes 1/n in each; RSS counts it "
                "in each):", ""]
        for kind in ("pss", "rss"):
            series = s["memory_mb"][kind]
            out.append(f"- {kind.upper()}: {_f(s['start_mb'][kind], 0)} at start; "
                       + ", ".join(_f(m, 0) for m in series)
                       + f" (change over the {s['seconds']} s: {series[-1] - series[0]:+.0f})")
        out.append("")
    return "\n".join(out) + "\n"


def serving_markdown(scales: list[dict]) -> list[str]:
    """The section on serving the synthetic graphs from a prepared on-disk store."""
    served = [row for row in scales if row.get("serve")]
    if not served:
        return []
    out = ["## Serving from a prepared on-disk store", "",
           "`bclm-kg serve --store oxigraph:DIR` (gunicorn, its default workers and query "
           "workers) on the synthetic graph as a release of its own, the store loaded before. "
           "Seconds from the command's start to the first 200 of "
           f"`/query/{serving.FIRST_QUERY}`; resident memory of all its processes then (RSS "
           "counts a shared page in each process, PSS 1/n in each of n), and after every named "
           "query was asked once; the first start with an empty build cache (every release file "
           "read for its checksum), the second with the cache it filled; load average (1 min) "
           "before → after.", "",
           "| studies | quads | start | s to first answer | processes | RSS MB | PSS MB | "
           "RSS MB after every query | load |", "|---:|---:|---|---:|---:|---:|---:|---:|---|"]
    for row in served:
        serve = row["serve"]
        quads = serve["stages"]["load on disk, as the service does"]["value"] or 0
        if serve.get("error"):
            out.append(f"| {row['studies']:,} | {quads:,} | — | {serve['error']} | | | | | |")
        for start in ("first start", "second start"):
            s = serve.get(start)
            if s:
                out.append(f"| {row['studies']:,} | {quads:,} | {start} | "
                           f"{_f(s['first_answer_s'], 2)} | {s['processes']} | "
                           f"{_f(s['rss_mb'], 0)} | {_f(s['pss_mb'], 0)} | "
                           f"{_f(s.get('rss_after_mb'), 0)} | {s['load_before']} → "
                           f"{s['load_after']} |")
    out += ["", "Each named query asked once over HTTP after the first start (seconds; the "
            "first time, so nothing from the answer cache):", "",
            "| query | " + " | ".join(f"{row['studies']:,}" for row in served) + " |",
            "|---|" + "---:|" * len(served)]
    names = sorted({q for row in served for q in row["serve"].get("first start", {})
                    .get("queries", {})})
    for name in names:
        cells = []
        for row in served:
            q = row["serve"].get("first start", {}).get("queries", {}).get(name)
            cells.append("—" if q is None else _f(q["s"], 2) if q["status"] == 200
                         else f"HTTP {q['status']}")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1000,10000",
                        help="numbers of synthetic studies, comma-separated (e.g. 1000,10000,"
                             "100000)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per named query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--http-seconds", type=int, default=5)
    parser.add_argument("--http-rounds", type=int, default=3,
                        help="turns per HTTP measurement (the servers alternate)")
    parser.add_argument("--peers", default="oxigraph,rdflib",
                        help="servers to compare with: oxigraph, rdflib, inprocess (this "
                             "service without query worker processes), granian (this service "
                             "under Granian), granian-inprocess (under Granian without query "
                             "worker processes: no hard time limit), bare (a bare pyoxigraph "
                             "WSGI app: the floor of a Python service) (comma-separated; empty "
                             "for none)")
    parser.add_argument("--soak-seconds", type=int, default=60)
    parser.add_argument("--soak-warmup", type=int, default=120,
                        help="at most this many seconds of the soak's load before memory is "
                             "sampled (it stops once the answer caches must be full)")
    parser.add_argument("--skip-soak", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-serve", action="store_true",
                        help="do not serve the synthetic graphs from disk")
    parser.add_argument("--release", type=Path, default=None,
                        help="serve and query this release instead of building one (the real "
                             "build is then not timed)")
    parser.add_argument("--work", type=Path, default=None,
                        help="where the synthetic graphs go [default: a temporary directory]")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="bclm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    release = args.release or work / "release"
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M %Z"),
                    "command": "python -m bench " + " ".join(sys.argv[1:]),
                    "machine": machine(), "versions": versions()}
    if args.release is None:
        print("real build…", flush=True)
        report["real_build"] = real_build(release)
    report["scales"] = [scale(release, int(n), work, args.repeat, args.seed,
                              serve=not args.skip_serve)
                        for n in args.scales.split(",") if n]
    print("worker-process cost…", flush=True)
    report["mechanism"] = mechanism_cost(release, 200)
    report["load"] = {}
    if not args.skip_http and servers.wrk_available():
        report["load"]["http_before"] = _load()
        report["http"] = http(release, args.http_seconds, args.http_rounds,
                              [p for p in args.peers.split(",") if p])
        report["load"]["http_after"] = _load()
    if not args.skip_soak and servers.wrk_available():
        print("soak…", flush=True)
        report["load"]["soak_before"] = _load()
        report["soak"] = soak(release, args.soak_seconds, args.soak_warmup)
        report["load"]["soak_after"] = _load()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "REPORT.md").write_text(markdown(report), encoding="utf-8")
    print(f"wrote {RESULTS / 'REPORT.md'}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
