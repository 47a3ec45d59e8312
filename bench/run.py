"""Measure load and query speed of the release in pyoxigraph against rdflib's own engine,
and the build's stages, in one run; print ratios and write ``bench/results/latest.json``.

Run with ``make bench`` or ``python -m bench.run [--repeat N] [--release DIR]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from bclm_kg.build import build_release
from bclm_kg.progress import SilentReporter
from bclm_kg.queries import load_query

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "bclm_kg" / "queries" / "web" / "examples"
RESULTS = ROOT / "bench" / "results"


def timed(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls, in seconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def load_oxigraph(trig: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    return store


def load_rdflib(trig: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(trig, format="trig")
    return dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--release", type=Path, default=ROOT / "build" / "bench-release")
    args = parser.parse_args()

    reporter = SilentReporter()
    started = time.perf_counter()
    summary = build_release(args.release, ROOT / "data", report=reporter)
    build_seconds = time.perf_counter() - started
    trig = args.release / "bclm.trig"

    load_ox = timed(lambda: load_oxigraph(trig), args.repeat)
    load_rdf = timed(lambda: load_rdflib(trig), max(1, args.repeat // 2))
    store, dataset = load_oxigraph(trig), load_rdflib(trig)

    queries = {p.stem: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.rq"))}
    queries["export_arms"] = load_query("export_arms")
    rows = []
    for name, text in queries.items():
        ox_time = timed(lambda t=text: list(store.query(t, use_default_graph_as_union=True)),
                        args.repeat)
        try:
            rdf_time: float | None = timed(lambda t=text: list(dataset.query(t)),
                                           max(1, args.repeat // 2))
        except Exception as exc:  # the peer cannot run every query; record why
            rdf_time, error = None, f"{type(exc).__name__}: {exc}"
        else:
            error = None
        rows.append({"query": name, "oxigraph_ms": ox_time * 1000,
                     "rdflib_ms": None if rdf_time is None else rdf_time * 1000,
                     "rdflib_over_oxigraph": None if rdf_time is None else rdf_time / ox_time,
                     "rdflib_error": error})

    report = {
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "triples": summary.counts.get("triples"),
        "build_seconds": build_seconds,
        "build_stages_seconds": reporter.timings,
        "load_ms": {"oxigraph": load_ox * 1000, "rdflib": load_rdf * 1000,
                    "rdflib_over_oxigraph": load_rdf / load_ox},
        "queries": rows,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(f"release: {summary.counts.get('triples')} triples; build {build_seconds:.1f} s")
    for stage, seconds in reporter.timings.items():
        print(f"  {stage:<40} {seconds:6.2f} s")
    print(f"load TriG: oxigraph {load_ox * 1000:.0f} ms, rdflib {load_rdf * 1000:.0f} ms "
          f"(rdflib/oxigraph = {load_rdf / load_ox:.1f}×)")
    print(f"{'query':<42} {'oxigraph ms':>12} {'rdflib ms':>10} {'ratio':>7}")
    for row in rows:
        if row["rdflib_ms"] is None:
            print(f"{row['query']:<42} {row['oxigraph_ms']:12.1f} {'fails':>10}  "
                  f"({row['rdflib_error']})")
            continue
        print(f"{row['query']:<42} {row['oxigraph_ms']:12.1f} {row['rdflib_ms']:10.1f} "
              f"{row['rdflib_over_oxigraph']:6.1f}×")


if __name__ == "__main__":
    main()
