"""Every external identifier in the data is one of the verified cross-references."""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import SKOS

from bclm_kg.pipeline import ingest

XREFS = Path(__file__).resolve().parents[1] / "ontology/sources/xrefs.tsv"
EXTERNAL = ("http://purl.obolibrary.org/obo/", "http://id.nlm.nih.gov/mesh/",
            "http://www.wikidata.org/entity/", "https://www.cellosaurus.org/",
            "http://www.drugbank.ca/drugs/", "http://www.ebi.ac.uk/efo/",
            "https://identifiers.org/hgnc:")
MATCHES = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch,
           SKOS.relatedMatch}


def verified_iris() -> set[str]:
    with XREFS.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return {row["object_iri"] for row in csv.DictReader(lines, delimiter="\t")}


def test_external_identifiers_are_verified(data_dir: Path) -> None:
    verified = verified_iris()
    sink = ingest(data_dir)
    unverified = sorted(
        f"{s} {p} {o}" for s, p, o in sink.asserted
        if isinstance(o, URIRef) and str(o).startswith(EXTERNAL) and str(o) not in verified)
    assert unverified == []
    mapped = {o for s, p, o in sink.asserted if p in MATCHES}
    assert URIRef("http://www.wikidata.org/entity/Q183") in mapped  # Germany
    assert URIRef("https://www.cellosaurus.org/CVCL_0125") in mapped  # 4T1
