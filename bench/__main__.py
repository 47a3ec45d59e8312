"""The benchmark, in one command: ``python -m bench`` (or ``make bench``).

1. the real build, stage by stage;
2. synthetic graphs at each scale (``--scales``): generate, reason, SHACL (full, and one changed
   study), load in memory and on disk — time and peak memory of each, in its own process —
   then every named query's p50/p99 on embedded Oxigraph (memory, disk) and rdflib;
3. the cost of running a query in a worker process instead of in-process;
4. HTTP (wrk on 127.0.0.1): this service, rdflib-endpoint and the Oxigraph server on the same
   release, 1/4/16 clients, repeated and uncached (every request a different text);
5. a soak: 16 clients against this service for ``--soak-seconds``, errors and memory.

Writes ``bench/results/REPORT.md`` (machine, versions, commands, tables with ratios measured in
the same run) and ``bench/results/report.json``. Nothing here is asserted by the test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

from bench import servers, stages

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
                 "flask", "gunicorn", "rdflib-endpoint", "uvicorn"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    if servers.wrk_available():
        result = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        found["wrk"] = (result.stdout or result.stderr).split()[1]
    return found


def real_build(release: Path) -> dict:
    from bclm_kg.build import build_release
    from bclm_kg.progress import SilentReporter

    reporter = SilentReporter()
    started = time.perf_counter()
    summary = build_release(release, ROOT / "data", report=reporter)
    return {"seconds": time.perf_counter() - started, "stages": dict(reporter.timings),
            "triples": summary.counts["triples"]}


def scale(release: Path, studies: int, work: Path, repeat: int, seed: int) -> dict:
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
    return row


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


def http(release: Path, seconds: int) -> list[dict]:
    rows = []
    queries = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}
    for start in (servers.this_service, servers.oxigraph_server, servers.rdflib_endpoint):
        with start(release) as server:
            print(f"  HTTP: {server.name}…", flush=True)
            for name, text in queries.items():
                for vary in (False, True):
                    for clients in CLIENTS:
                        if server.name == "rdflib-endpoint" and clients > 4:
                            continue  # one query at a time: more clients only queue
                        load = servers.wrk(server.endpoint, text, clients, seconds, vary)
                        rows.append({"server": server.name, "query": name,
                                     "mode": "uncached" if vary else "repeated",
                                     "clients": clients, **load.__dict__})
    return rows


def soak(release: Path, seconds: int) -> dict:
    text = (QUERIES / "label-search.rq").read_text(encoding="utf-8")
    with servers.this_service(release) as server:
        servers.wrk(server.endpoint, text, 4, 2, True)  # warm up
        memory: list[float] = [server.rss_mb()]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(5):
                memory.append(server.rss_mb())

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        load = servers.wrk(server.endpoint, text, 16, seconds, True)
        stop.set()
        thread.join()
        memory.append(server.rss_mb())
    return {**load.__dict__, "seconds": seconds, "rss_mb": memory}


def _f(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def markdown(report: dict) -> str:
    out = ["# bclm-kg benchmark", "", f"Run {report['date']}; command: `{report['command']}`.",
           "Medians; every ratio compares numbers measured in this same run.", "",
           "## Machine", ""]
    out += [f"- {k}: {v}" for k, v in report["machine"].items()]
    out += ["", "## Versions", ""] + [f"- {k} {v}" for k, v in report["versions"].items()]
    real = report["real_build"]
    out += ["", "## The real build", "", f"{real['triples']:,} triples, "
            f"{_f(real['seconds'])} s in all.", "", "| stage | s |", "|---|---:|"]
    out += [f"| {k} | {_f(v, 2)} |" for k, v in real["stages"].items()]
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
    cost = report.get("mechanism")
    if cost:
        out += ["## The runaway-query guarantee: its cost", "",
                "One fast query (`outcome-order.rq`, real graph), median ms per call:", "",
                f"- in-process: {_f(cost['in-process'], 3)}",
                f"- through a worker process (killed and replaced past its time limit): "
                f"{_f(cost['worker process'], 3)}", ""]
    if report.get("http"):
        out += ["## HTTP (wrk on 127.0.0.1, real graph)", "",
                "Requests/s, p50 and p99 latency in ms; `uncached` sends a different query text "
                "each request. Ratios: this service ÷ peer, same query, mode and clients.", "",
                "| query | mode | clients | server | req/s | p50 | p99 | errors | × Oxigraph | "
                "× rdflib-endpoint |", "|---|---|---:|---|---:|---:|---:|---:|---:|---:|"]
        index = {(r["server"], r["query"], r["mode"], r["clients"]): r for r in report["http"]}
        for r in report["http"]:
            ours = r["server"].startswith("bclm-kg")
            ox_ = index.get(("Oxigraph server", r["query"], r["mode"], r["clients"]))
            rl = index.get(("rdflib-endpoint", r["query"], r["mode"], r["clients"]))
            ratio_ox = _f(r["requests_per_s"] / ox_["requests_per_s"], 2) if ours and ox_ else ""
            ratio_rl = _f(r["requests_per_s"] / rl["requests_per_s"], 1) if ours and rl else ""
            out.append(f"| {r['query']} | {r['mode']} | {r['clients']} | {r['server']} | "
                       f"{_f(r['requests_per_s'], 0)} | {_f(r['p50_ms'], 2)} | "
                       f"{_f(r['p99_ms'], 2)} | {r['errors']} | {ratio_ox} | {ratio_rl} |")
        out.append("")
    if report.get("soak"):
        s = report["soak"]
        out += ["## Soak", "", f"{s['seconds']} s at 16 clients, `label-search.rq` uncached: "
                f"{s['requests']:,} requests, {s['errors']} errors, "
                f"{_f(s['requests_per_s'], 0)} req/s, p99 {_f(s['p99_ms'], 1)} ms; resident "
                f"memory of the service (all processes), MB, every 5 s: "
                + ", ".join(_f(m, 0) for m in s["rss_mb"]), ""]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1000,10000",
                        help="numbers of synthetic studies, comma-separated (e.g. 1000,10000,"
                             "100000)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per named query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--http-seconds", type=int, default=5)
    parser.add_argument("--soak-seconds", type=int, default=60)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--work", type=Path, default=None,
                        help="where the synthetic graphs go [default: a temporary directory]")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="bclm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    release = work / "release"
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M %Z"),
                    "command": "python -m bench " + " ".join(sys.argv[1:]),
                    "machine": machine(), "versions": versions()}
    print("real build…", flush=True)
    report["real_build"] = real_build(release)
    report["scales"] = [scale(release, int(n), work, args.repeat, args.seed)
                        for n in args.scales.split(",") if n]
    print("worker-process cost…", flush=True)
    report["mechanism"] = mechanism_cost(release, 200)
    if not args.skip_http and servers.wrk_available():
        report["http"] = http(release, args.http_seconds)
        print("soak…", flush=True)
        report["soak"] = soak(release, args.soak_seconds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "REPORT.md").write_text(markdown(report), encoding="utf-8")
    print(f"wrote {RESULTS / 'REPORT.md'}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
