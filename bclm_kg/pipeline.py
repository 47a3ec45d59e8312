"""data/ → RDF: run every loader in order and check that references between nodes resolve."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from . import __version__, resources
from .errors import SourceError
from .ingest import (
    claims,
    displays,
    indications,
    models,
    narrative,
    notes,
    references,
    tables,
    vocab,
)
from .ingest.sink import REVIEW, Sink
from .namespaces import BASE, BCLM, DOI, kg


def _tables(sink: Sink) -> None:
    tables.load(sink, vocab.load(sink))


# In order: vocabularies and Tables 1-2, the reference list and the review, the narrative
# evidence and history, animal models, indications and advantages, curation notes, the claims
# of the running text with the tables' citation marks, the figures and tables.
LOADERS: tuple[Callable[[Sink], object], ...] = (
    _tables, references.load, narrative.load, models.load, indications.load, notes.load,
    claims.load, displays.load,
)


def ingest(data_dir: Path, deferred: list[SourceError] | None = None) -> Sink:
    """Run every loader over ``data_dir``; SourceError names the file and line at fault.
    ``deferred``: see ``Sink.deferred``."""
    sink = Sink(data_dir, deferred=deferred)
    for loader in LOADERS:
        loader(sink)
    check_references(sink)
    return sink


def check_references(sink: Sink) -> None:
    """Every project IRI used as an object must be described somewhere (catches typos such as
    'intervention/hrr' in a YAML file)."""
    described = set(sink.asserted.subjects())
    for s, _p, o in sorted(sink.asserted):
        if not isinstance(o, URIRef) or not str(o).startswith(BASE):
            continue
        if str(o).startswith(str(BCLM)) or o in described:
            continue
        where = str(sink.provenance.value(s, BCLM.curatedAt) or "data/")
        name, _, line = where.rpartition(":") if ":" in where else (where, "", "")
        raise SourceError(
            sink.data_dir / name.removeprefix("data/"), int(line) if line.isdigit() else None,
            f"<{s}> refers to <{o}>, which no data file describes",
        )


def input_files(data_dir: Path) -> list[tuple[str, Path]]:
    """The files a release is built from, in a stable order, each with the name provenance
    records for it (``data/…`` wherever the data lives, ``ontology/…``, ``shapes/…``).
    Hidden files and folders (such as a ``.git`` history) are not inputs."""
    data_dir = data_dir.resolve()
    files: list[tuple[str, Path]] = []
    for path in data_dir.rglob("*"):
        rel = path.relative_to(data_dir)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            files.append((f"data/{rel.as_posix()}", path))
    files.sort()
    files.append(("ontology/bclm.ttl", resources.ontology_file()))
    files.append(("ontology/mappings.sssom.tsv", resources.mappings_file()))
    files.append(("ontology/sources/xrefs.tsv", resources.xrefs_file()))
    files.append(("shapes/bclm.shacl.ttl", resources.shapes_file()))
    return files


def checksums(files: list[tuple[str, Path]]) -> dict[str, str]:
    """The SHA-256 of every input file, by its recorded name."""
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files}


def build_provenance(sink: Sink, sources: dict[str, str]) -> URIRef:
    """Describe the build in the provenance graph: the inputs (name → SHA-256)."""
    graph = sink.provenance
    release = kg(f"release/{__version__}")
    activity = kg(f"release/{__version__}/build")
    graph.add((release, RDF.type, PROV.Entity))
    graph.add((release, RDFS.label, Literal(f"bclm-kg release {__version__}", lang="en")))
    graph.add((release, PROV.wasGeneratedBy, activity))
    graph.add((release, PROV.wasDerivedFrom, REVIEW))
    graph.add((REVIEW, PROV.wasDerivedFrom, DOI["10.7659/j.issn.1005-6947.2024.05.002"]))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal("bclm-kg build", lang="en")))
    graph.add((activity, DCTERMS.hasVersion, Literal(__version__)))
    for rel, digest in sources.items():
        source = URIRef(BASE + "source/" + rel)
        graph.add((activity, PROV.used, source))
        graph.add((source, RDF.type, PROV.Entity))
        graph.add((source, RDFS.label, Literal(rel)))
        graph.add((source, BCLM.sha256, Literal(digest, datatype=XSD.hexBinary)))
    return release
