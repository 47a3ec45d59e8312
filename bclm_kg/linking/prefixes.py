"""The prefixes this graph links to, as a ``curies`` converter in bioregistry's conventions.

The graph's own IRIs (the verified cross-references' curie map) stay the preferred URI
prefixes; bioregistry (its bundled registry, read offline) gives the canonical lower-case
prefix, its synonyms (``NCIT``, ``NCIt``, ``NCT``, ``PMID`` …), the other URI spellings (OBO
PURLs, identifiers.org, doi.org, ClinicalTrials.gov …) and the local-id pattern. The build
writes the result as an extended prefix map (``prefixes.json``) beside the release, so the
service and the command line read it without importing bioregistry.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
from pathlib import Path

import curies

from ..ingest.curies import PREFIX_MAP

# Project prefix (the curie map of the verified list) -> bioregistry prefix.
BIOREGISTRY_PREFIX: dict[str, str] = {
    "NCIT": "ncit", "UBERON": "uberon", "MONDO": "mondo", "DOID": "doid", "OBI": "obi",
    "STATO": "stato", "UO": "uo", "MAXO": "maxo", "NCBITaxon": "ncbitaxon", "MESH": "mesh",
    "EFO": "efo",
    "WIKIDATA": "wikidata", "CELLOSAURUS": "cellosaurus", "DRUGBANK": "drugbank",
    "HGNC": "hgnc", "CLINICALTRIALS": "clinicaltrials", "DOI": "doi",
}
# Identifier kinds people bring that the graph holds as literals or not at all: a ChiCTR
# registration number (kept as bclm:registryId) and PubMed ids (none printed in the review).
EXTRA_PREFIXES = {"chictr": None, "pubmed": "https://pubmed.ncbi.nlm.nih.gov/"}
PREFIX_MAP_FILE = "prefixes.json"


def _variants(uri_prefix: str) -> set[str]:
    """The http and https spellings of a URI prefix."""
    if uri_prefix.startswith("https://"):
        return {uri_prefix, "http://" + uri_prefix[len("https://"):]}
    if uri_prefix.startswith("http://"):
        return {uri_prefix, "https://" + uri_prefix[len("http://"):]}
    return {uri_prefix}


def build_records() -> list[curies.Record]:
    """One record per prefix, from bioregistry's bundled registry (no network)."""
    import bioregistry

    plan = [(BIOREGISTRY_PREFIX[p], uri, p) for p, uri in PREFIX_MAP.items()]
    plan += [(name, uri, None) for name, uri in EXTRA_PREFIXES.items()]
    records: list[curies.Record] = []
    taken: set[str] = set()
    for name, ours, project in plan:
        resource = bioregistry.get_resource(name)
        if resource is None:
            raise LookupError(f"bioregistry has no prefix '{name}'")
        preferred = ours or resource.get_uri_prefix()
        synonyms = {name, name.upper(), resource.get_preferred_prefix() or name,
                    *resource.get_synonyms()}
        if project:
            synonyms.add(project)
        synonyms.discard(name)
        uris = set().union(*map(_variants, resource.get_uri_prefixes()), _variants(preferred))
        uris = {u for u in uris if u not in taken and u != preferred}
        taken.update(uris | {preferred})
        records.append(curies.Record(
            prefix=name, uri_prefix=preferred, prefix_synonyms=sorted(synonyms),
            uri_prefix_synonyms=sorted(uris), pattern=resource.get_pattern()))
    return records


def inputs_key() -> str:
    """The digest of everything the prefix map is made from: this module (the plan), the
    verified curie map, bioregistry's bundled registry and the versions of bioregistry and
    curies — found without importing bioregistry, which takes a second."""
    from .. import cache

    spec = importlib.util.find_spec("bioregistry")
    registry = Path(spec.origin).parent / "data" / "bioregistry.json" if spec and spec.origin \
        else None
    bundled = registry.read_bytes() if registry and registry.is_file() else b""
    return cache.key("prefix-map", Path(__file__).read_bytes(),
                     json.dumps(PREFIX_MAP, sort_keys=True),
                     importlib.metadata.version("bioregistry"),
                     importlib.metadata.version("curies"), hashlib.sha256(bundled).hexdigest())


def build_converter() -> curies.Converter:
    return curies.Converter(build_records())


def write_prefix_map(converter: curies.Converter, path: Path) -> None:
    """The extended prefix map as JSON (bioregistry / curies format)."""
    curies.write_extended_prefix_map(converter, path)


def load_converter(release_dir: Path | None = None) -> curies.Converter:
    """The release's prefix map if it has one, else built from bioregistry."""
    if release_dir is not None and (release_dir / PREFIX_MAP_FILE).is_file():
        return curies.load_extended_prefix_map(release_dir / PREFIX_MAP_FILE)
    return build_converter()


def simple_prefix_map(converter: curies.Converter) -> dict[str, str]:
    """``{prefix: uri_prefix}`` with bioregistry's canonical prefixes."""
    return dict(sorted(converter.prefix_map.items()))


def dumps_prefix_map(converter: curies.Converter) -> str:
    return json.dumps(simple_prefix_map(converter), indent=2) + "\n"
