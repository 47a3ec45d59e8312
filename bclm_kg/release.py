"""Serialise the four named graphs as release files, deterministically and atomically."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .artefacts import OBO_ARTEFACTS, write_obo_artefacts
from .namespaces import (
    BCLM,
    GRAPH_ASSERTED,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
    PREFIXES,
    bind_prefixes,
)

TURTLE = "bclm.ttl"
JSONLD = "bclm.jsonld"
NTRIPLES = "bclm.nt"
TRIG = "bclm.trig"
ONTOLOGY_RDFXML = "bclm-ontology.owl"
MANIFEST = "release.json"
RELEASE_FILES = (TURTLE, JSONLD, NTRIPLES, TRIG, ONTOLOGY_RDFXML)
TYPED_RANGES = (XSD.integer, XSD.decimal, XSD.boolean)


def canonical(graph: Graph) -> Graph:
    """A copy with blank nodes relabelled canonically, so serialisations are stable."""
    out = to_canonical_graph(graph)
    result = Graph()
    bind_prefixes(result)
    for triple in out:
        result.add(triple)
    return result


def union(graphs: dict) -> Graph:
    merged = Graph()
    bind_prefixes(merged)
    for graph in graphs.values():
        for triple in graph:
            merged.add(triple)
    return merged


def sorted_ntriples(graph: Graph) -> bytes:
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def jsonld_context(ontology: Graph) -> dict[str, object]:
    """A compact JSON-LD context: the prefixes, plus one plain term per bclm property (object
    properties coerced to IRIs, numbers and booleans to their datatype) and language maps for
    labels and comments, so that the JSON reads like ordinary JSON."""
    context: dict[str, object] = dict(PREFIXES)
    context.update({
        "id": "@id",
        "type": "@type",
        "label": {"@id": str(RDFS.label), "@container": "@language"},
        "comment": {"@id": str(RDFS.comment), "@container": "@language"},
    })
    namespace = str(BCLM)
    for prop in sorted(ontology.subjects(RDF.type, OWL.ObjectProperty)):
        if str(prop).startswith(namespace):
            context[str(prop)[len(namespace):]] = {"@id": str(prop), "@type": "@id"}
    for prop in sorted(ontology.subjects(RDF.type, OWL.DatatypeProperty)):
        if str(prop).startswith(namespace):
            term: dict[str, str] = {"@id": str(prop)}
            if (kind := ontology.value(prop, RDFS.range)) in TYPED_RANGES:
                term["@type"] = str(kind)
            context[str(prop)[len(namespace):]] = term
    return context


def write_release(out_dir: Path, graphs: dict, counts: dict[str, int], version: str) -> Path:
    """Write every release file into a fresh directory, then swap it into place.

    ``graphs`` maps the named-graph IRIs to rdflib Graphs. If anything fails, ``out_dir`` is
    left as it was.
    """
    graphs = {iri: canonical(graph) for iri, graph in graphs.items()}
    merged = union(graphs)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        (staging / TURTLE).write_bytes(merged.serialize(format="turtle", encoding="utf-8"))
        (staging / NTRIPLES).write_bytes(sorted_ntriples(merged))
        (staging / JSONLD).write_bytes(
            merged.serialize(format="json-ld", context=jsonld_context(graphs[GRAPH_ONTOLOGY]),
                             auto_compact=True,
                             indent=1, encoding="utf-8"))
        dataset = Dataset()
        bind_prefixes(dataset)
        for iri in (GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE):
            named = dataset.graph(iri)
            for triple in graphs[iri]:
                named.add(triple)
        (staging / TRIG).write_bytes(dataset.serialize(format="trig", encoding="utf-8"))
        (staging / ONTOLOGY_RDFXML).write_bytes(
            graphs[GRAPH_ONTOLOGY].serialize(format="xml", encoding="utf-8"))
        # the ontology's OBO-style artefacts: base and full (bclm_kg/artefacts.py)
        write_obo_artefacts(staging, graphs[GRAPH_ONTOLOGY])
        manifest = {
            "version": version,
            "counts": counts,
            "graphs": {str(iri): len(graphs[iri]) for iri in graphs},
            "files": {name: hashlib.sha256((staging / name).read_bytes()).hexdigest()
                      for name in RELEASE_FILES + OBO_ARTEFACTS},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames (the old one kept until the end)."""
    os.chmod(staging, 0o755)
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.replace(out_dir, old)
        try:
            os.replace(staging, out_dir)
        except BaseException:
            os.replace(old, out_dir)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out_dir)


def read_manifest(release_dir: Path) -> dict:
    return json.loads((release_dir / MANIFEST).read_text(encoding="utf-8"))
