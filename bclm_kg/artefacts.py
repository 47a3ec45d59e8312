"""The ontology's release artefacts in the OBO manner, beside ``bclm-ontology.owl`` (the
ontology as edited):

- ``bclm-base.owl``: the project's own axioms; imported terms (SKOS, Dublin Core, PROV, OBO, ...)
  keep only their declarations, so the file can be merged with other ontologies without
  bringing a second copy of anyone's labels;
- ``bclm-full.owl``: the ontology plus the label of every external term it refers to, taken from
  the verified cross-references (``ontology/sources/xrefs.tsv``) and the OBO annotation
  properties it uses. No parents of external terms are added: the verified list records none.

Each has its own ontology IRI and an ``owl:versionIRI`` under ``release/{version}/``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .namespaces import BASE, ONTOLOGY_IRI, bind_prefixes
from .ontology import ontology_version
from .quality import ANNOTATION_PROPERTIES_FILE, XREFS_FILE

BASE_RDFXML = "bclm-base.owl"
FULL_RDFXML = "bclm-full.owl"
OBO_ARTEFACTS = (BASE_RDFXML, FULL_RDFXML)


def verified_labels(xrefs: Path = XREFS_FILE,
                    annotation_properties: Path = ANNOTATION_PROPERTIES_FILE) -> dict[str, str]:
    """External IRI → its label in its own ontology, as the verified lists record it."""
    labels: dict[str, str] = {}
    for path, iri, label in ((xrefs, "object_iri", "object_label"),
                             (annotation_properties, "iri", "label")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader((line for line in handle if not line.startswith("#")),
                                      delimiter="\t"):
                labels.setdefault(row[iri], row[label])
    return labels


def _renamed(ontology: Graph, name: str) -> Graph:
    """A copy of ``ontology`` whose header names the artefact ``name`` (IRI and version IRI)."""
    version = ontology_version(ontology)
    iri = URIRef(f"{BASE}{name}")
    out = Graph()
    bind_prefixes(out)
    for s, p, o in ontology:
        if s == ONTOLOGY_IRI and p == OWL.versionIRI:
            continue
        out.add((iri if s == ONTOLOGY_IRI else s, p, o))
    out.add((iri, OWL.versionIRI, URIRef(f"{BASE}release/{version}/{name}")))
    out.add((iri, RDFS.seeAlso, ONTOLOGY_IRI))
    return out


def _external(node: object) -> bool:
    return isinstance(node, URIRef) and not str(node).startswith(BASE)


def base_ontology(ontology: Graph) -> Graph:
    """The project's axioms; external terms keep their declarations only."""
    out = _renamed(ontology, BASE_RDFXML)
    for s, p, o in list(out):
        if _external(s) and p != RDF.type:
            out.remove((s, p, o))
    return out


def full_ontology(ontology: Graph, labels: dict[str, str] | None = None) -> Graph:
    """The ontology and the verified label of every external IRI it uses."""
    labels = verified_labels() if labels is None else labels
    out = _renamed(ontology, FULL_RDFXML)
    used = {n for triple in ontology for n in triple if _external(n)}
    for iri in sorted(used):
        if str(iri) in labels and not any(out.objects(iri, RDFS.label)):
            out.add((iri, RDFS.label, Literal(labels[str(iri)])))
    return out


def write_obo_artefacts(directory: Path, ontology: Graph,
                        rdfxml: Callable[[Graph], bytes]) -> tuple[str, ...]:
    """Write the base and full artefacts into ``directory`` with the release's RDF/XML
    serialiser ``rdfxml``; their file names."""
    (directory / BASE_RDFXML).write_bytes(rdfxml(base_ontology(ontology)))
    (directory / FULL_RDFXML).write_bytes(rdfxml(full_ontology(ontology)))
    return OBO_ARTEFACTS
