"""The release: its layout (file names, manifest, whether one is there), read by the build,
the store, the dumps, ``export`` and the service; and its writer, which serialises the four
named graphs deterministically and swaps them into place atomically."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .formats import FORMATS, Format, by_name
from .namespaces import (
    BCLM,
    GRAPH_ONTOLOGY,
    NAMED_GRAPHS,
    PREFIXES,
    bind_prefixes,
    used_prefixes,
)

MANIFEST = "release.json"
ONTOLOGY_FILE = "bclm-ontology.owl"  # the ontology alone, as RDF/XML (for Protégé)
MANIFEST_MEDIA_TYPE = "application/json"


def union_formats() -> list[Format]:
    """The formats the release holds the whole graph in (one file each)."""
    return [f for f in FORMATS if f.release_file]


DATASET_FORMAT = by_name("trig", "graph")  # the one that keeps the named graphs
RELEASE_FILES = (*(f.release_file for f in union_formats()), ONTOLOGY_FILE)


@dataclass(frozen=True)
class Release:
    """A release directory: its files, its manifest, and whether one is there at all."""

    path: Path

    @property
    def dataset(self) -> Path:
        """The TriG file with the named graphs, which the query store loads."""
        return self.file(DATASET_FORMAT)

    @property
    def manifest_file(self) -> Path:
        return self.path / MANIFEST

    @property
    def ontology_file(self) -> Path:
        return self.path / ONTOLOGY_FILE

    def file(self, fmt: Format) -> Path:
        """The file holding the whole graph in ``fmt`` (a format with a release file)."""
        if not fmt.release_file:
            raise KeyError(f"the release has no file in {fmt.name}")
        return self.path / fmt.release_file

    def exists(self) -> bool:
        """Whether a complete release is here (a manifest and the dataset)."""
        return self.manifest_file.is_file() and self.dataset.is_file()

    def manifest(self) -> dict:
        """``release.json``: version, counts, triples per graph, checksums."""
        return json.loads(self.manifest_file.read_text(encoding="utf-8"))

    def damaged_file(self, manifest: dict | None = None) -> Path | None:
        """The first release file whose SHA-256 differs from the manifest's (or which is
        missing), or None; files the manifest does not list are not checked."""
        manifest = self.manifest() if manifest is None else manifest
        for name, digest in sorted(manifest.get("files", {}).items()):
            path = self.path / name
            if not path.is_file() or _sha256(path) != digest:
                return path
        return None

    def downloads(self) -> dict[str, str]:
        """The files a client may download, with their media types."""
        files = {f.release_file: f.media_type for f in union_formats() if f.release_file}
        files[ONTOLOGY_FILE] = by_name("rdfxml", "graph").media_type
        files[MANIFEST] = MANIFEST_MEDIA_TYPE
        return files


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


GRAPH_ORDER = NAMED_GRAPHS


def _sorted_triples(graph: Graph) -> list[ox.Triple]:
    """A graph's triples as pyoxigraph terms, sorted (blank nodes keep their canonical labels)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    return sorted(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), key=str)


def dataset_bytes(graphs: dict) -> bytes:
    """The named graphs as TriG: graphs in their fixed order, triples sorted, so the same
    inputs give the same bytes whatever the process's hash seed."""
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(iri)))
             for iri in GRAPH_ORDER for t in _sorted_triples(graphs[iri])]
    return ox.serialize(quads, format=ox.RdfFormat.TRIG,
                        prefixes=used_prefixes(q.triple for q in quads))


def turtle_bytes(graph: Graph) -> bytes:
    """A graph as Turtle, blank nodes labelled canonically and triples sorted (stable bytes)."""
    triples = _sorted_triples(canonical(graph))
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(triples))


def rdfxml_bytes(graph: Graph) -> bytes:
    """A graph as RDF/XML with its triples in a stable order."""
    triples = _sorted_triples(graph)
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=used_prefixes(triples))


def _stable(value: object, ordered: bool = False) -> object:
    """JSON with every unordered array sorted (``@list`` arrays keep their order)."""
    if isinstance(value, dict):
        return {key: _stable(item, ordered=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_stable(item) for item in value]
        return items if ordered else sorted(
            items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def stable_json(document: bytes) -> bytes:
    """A JSON-LD document in one byte sequence for one graph, whatever the hash seed."""
    data = _stable(json.loads(document))
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def write_release(out_dir: Path, graphs: dict, counts: dict[str, int], version: str,
                  sources: dict[str, str] | None = None,
                  extra: Mapping[str, bytes] | None = None) -> Path:
    """Write every release file into a fresh directory, then swap it into place.

    ``graphs`` maps the named-graph IRIs to rdflib Graphs; ``sources`` maps each input file
    to its SHA-256 (recorded in the manifest); ``extra`` maps further file names (the
    published mappings, context and prefix map) to their bytes. If anything fails, ``out_dir``
    is left as it was.
    """
    extra = dict(extra or {})
    graphs = {iri: canonical(graph) for iri, graph in graphs.items()}
    merged = union(graphs)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        special = {  # formats written with more care than a plain serialisation
            "ntriples": lambda: sorted_ntriples(merged),
            "jsonld": lambda: stable_json(merged.serialize(
                format="json-ld", context=jsonld_context(graphs[GRAPH_ONTOLOGY]),
                auto_compact=True, encoding="utf-8")),
            "trig": lambda: dataset_bytes(graphs),
        }
        for fmt in union_formats():
            write = special.get(fmt.name) or (
                lambda fmt=fmt: merged.serialize(format=fmt.rdflib, encoding="utf-8"))
            (staging / fmt.release_file).write_bytes(write())
        (staging / ONTOLOGY_FILE).write_bytes(rdfxml_bytes(graphs[GRAPH_ONTOLOGY]))
        for name, data in extra.items():
            (staging / name).write_bytes(data)
        manifest = {
            "version": version,
            "counts": counts,
            "graphs": {str(iri): len(graphs[iri]) for iri in graphs},
            "sources": dict(sorted((sources or {}).items())),
            "files": {name: hashlib.sha256((staging / name).read_bytes()).hexdigest()
                      for name in (*RELEASE_FILES, *extra)},
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

