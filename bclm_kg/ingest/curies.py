"""Expand the CURIEs curators write in mapping columns (the prefix map of the verified xrefs)."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import SKOS

PREFIX_MAP: dict[str, str] = {
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "OBI": "http://purl.obolibrary.org/obo/OBI_",
    "STATO": "http://purl.obolibrary.org/obo/STATO_",
    "UO": "http://purl.obolibrary.org/obo/UO_",
    "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
    "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "EFO": "http://www.ebi.ac.uk/efo/EFO_",
    "WIKIDATA": "http://www.wikidata.org/entity/",
    "CELLOSAURUS": "https://www.cellosaurus.org/CVCL_",
    "DRUGBANK": "http://www.drugbank.ca/drugs/",
    "HGNC": "https://identifiers.org/hgnc:",
    "CLINICALTRIALS": "https://clinicaltrials.gov/study/",
    "DOI": "https://doi.org/",
}

MAPPING_PREDICATES = {
    "skos:exactMatch": SKOS.exactMatch,
    "skos:closeMatch": SKOS.closeMatch,
    "skos:broadMatch": SKOS.broadMatch,
    "skos:narrowMatch": SKOS.narrowMatch,
    "skos:relatedMatch": SKOS.relatedMatch,
}


def expand(curie: str, prefix_map: dict[str, str] = PREFIX_MAP) -> URIRef:
    """``NCIT:C15666`` → ``http://purl.obolibrary.org/obo/NCIT_C15666`` (under ``prefix_map``,
    by default the verified cross-references' map)."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in prefix_map or not local:
        raise ValueError(f"unknown CURIE '{curie}' (prefixes: {', '.join(prefix_map)})")
    return URIRef(prefix_map[prefix] + local)


def parse_mappings(cell: str) -> list[tuple[URIRef, URIRef]]:
    """'skos:relatedMatch NCIT:C1 | skos:exactMatch MESH:D2' → [(predicate, object IRI), …]."""
    pairs: list[tuple[URIRef, URIRef]] = []
    for item in filter(None, (part.strip() for part in cell.split("|"))):
        predicate, _, curie = item.partition(" ")
        if predicate not in MAPPING_PREDICATES:
            raise ValueError(f"unknown mapping predicate '{predicate}' in '{item}'")
        pairs.append((MAPPING_PREDICATES[predicate], expand(curie.strip())))
    return pairs
