"""Build stages and named queries on synthetic graphs: each stage runs in a fresh process, so its
time and peak memory are its own."""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "bclm_kg" / "queries" / "web" / "examples"
KG = "https://w3id.org/bclm-kg/"
ASSERTED = KG + "graph/asserted"
PROVENANCE = KG + "graph/provenance"
INFERRED = KG + "graph/inferred"


def _child(function: Callable[..., Any], args: tuple, out) -> None:
    started = time.perf_counter()
    try:
        value = function(*args)
        error = None
    except Exception as exc:  # reported in the table, not raised
        value, error = None, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.send((seconds, peak_mb, value, error))


def measured(function: Callable[..., Any], *args: Any, timeout: float = 3600) -> dict[str, Any]:
    """Run ``function(*args)`` in a fresh process: seconds, peak MB, its value or error."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(function, args, send))
    process.start()
    if not receive.poll(timeout):
        process.kill()
        process.join()
        return {"seconds": None, "peak_mb": None, "value": None,
                "error": f"stopped after {timeout:.0f} s"}
    seconds, peak_mb, value, error = receive.recv()
    process.join()
    return {"seconds": seconds, "peak_mb": peak_mb, "value": value, "error": error}


# -- the stages (top-level functions, so a spawned process can run them) ----------------------

def generate(release: str, studies: int, out: str, seed: int) -> int:
    from bench.synth import generate as write
    from bench.synth import read_source

    return write(read_source(Path(release) / "bclm.trig"), studies, Path(out), seed)


def reason(quads: str, inferred_out: str) -> int:
    """Read the asserted graph, materialise with the rules, write the inferred graph (the data
    stay strings: no rdflib graph is built)."""
    from bclm_kg.ontology import load_ontology
    from bclm_kg.reasoning import infer, oxigraph_rows

    asserted = (quad for quad in ox.parse(path=quads, format=ox.RdfFormat.N_QUADS)
                if quad.graph_name.value == ASSERTED)
    inferred = infer(load_ontology(), oxigraph_rows(asserted))
    iri = ox.NamedNode
    ox.serialize((ox.Triple(iri(s), iri(p), iri(o)) for s, p, o in inferred),
                 output=inferred_out, format=ox.RdfFormat.N_TRIPLES)
    return len(inferred)


def validation_input(quads: str, inferred: str, out: str) -> int:
    """One N-Triples file: asserted + provenance + inferred + the ontology (SHACL's input)."""
    from bclm_kg import resources

    count = 0
    with open(out, "w", encoding="utf-8") as handle:
        for quad in ox.parse(path=quads, format=ox.RdfFormat.N_QUADS):
            handle.write(f"{quad.triple} .\n")
            count += 1
        for path, fmt in ((inferred, ox.RdfFormat.N_TRIPLES),
                          (str(resources.ontology_file()), ox.RdfFormat.TURTLE)):
            for triple in ox.parse(path=path, format=fmt):
                handle.write(f"{triple} .\n")
                count += 1
    return count


def shacl(ntriples: str) -> str:
    from bclm_kg.shapes import validate_ntriples_file

    return validate_ntriples_file(Path(ntriples)).summary()


def load_memory(quads: str, inferred: str) -> int:
    store = _store(None, quads, inferred)
    return len(store)


def load_disk(quads: str, inferred: str, location: str) -> int:
    store = _store(location, quads, inferred)
    store.flush()
    store.optimize()
    return len(store)


def _store(location: str | None, quads: str, inferred: str) -> ox.Store:
    store = ox.Store(location) if location else ox.Store()
    store.bulk_load(path=quads, format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=inferred, format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(INFERRED))
    return store


def revalidate_one(location: str) -> str:
    """Change one synthetic study's arm size in the on-disk store and validate only around it
    (finding the neighbourhood included); the time of that alone."""
    from bclm_kg import resources
    from bclm_kg.revalidation import changed_nodes, revalidate
    from bclm_kg.shapes import Report

    store = ox.Store(location)
    ontology = "".join(f"{t} .\n" for t in ox.parse(path=str(resources.ontology_file()),
                                                    format=ox.RdfFormat.TURTLE))
    arm = next(q for q in store.quads_for_pattern(None, ox.NamedNode(KG + "ontology/armOf"),
                                                  ox.NamedNode(KG + "study/synth-0"), None))
    size = next(store.quads_for_pattern(arm.subject,
                                        ox.NamedNode(KG + "ontology/sampleSize"), None, None))
    added = ox.Quad(size.subject, size.predicate,
                    ox.Literal("1", datatype=size.object.datatype), size.graph_name)
    store.remove(size)
    store.add(added)
    started = time.perf_counter()
    report = revalidate(store, changed_nodes([size], [added]), Report(), ontology)
    seconds = time.perf_counter() - started
    store.remove(added)
    store.add(size)
    return f"{report.summary()} in {seconds:.2f} s"


def query_latencies(location: str | None, quads: str, inferred: str, repeat: int,
                    engine: str = "oxigraph") -> dict[str, dict[str, float]]:
    """p50 and p99 in ms of every named query (``repeat`` runs each)."""
    from bclm_kg.namespaces import PREFIXES
    from bclm_kg.web.queries import examples

    if engine == "rdflib":
        from rdflib import Dataset

        dataset = Dataset(default_union=True)
        dataset.parse(quads, format="nquads")
        dataset.graph(INFERRED).parse(inferred, format="nt")

        def run(text: str) -> None:
            list(dataset.query(text, initNs=PREFIXES))
    else:
        store = ox.Store.read_only(location) if location else _store(None, quads, inferred)

        def run(text: str) -> None:
            list(store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES))

    timings: dict[str, dict[str, float]] = {}
    for named in examples():
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            run(named.text)
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        timings[named.name] = {"p50": statistics.median(samples),
                               "p99": samples[min(len(samples) - 1, int(len(samples) * 0.99))]}
    return timings
