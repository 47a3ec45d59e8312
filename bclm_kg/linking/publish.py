"""Files published beside the release for clients that link to this graph: the SSSOM mapping
set (TSV and RDF), the JSON-LD context and the prefix map (bioregistry-style)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from rdflib import Graph

from .. import cache
from ..ontology import MAPPINGS_FILE
from .mappings import sssom_turtle
from .prefixes import PREFIX_MAP_FILE, build_converter, inputs_key, write_prefix_map

SSSOM_TSV = "mappings.sssom.tsv"
SSSOM_TTL = "mappings.sssom.ttl"
CONTEXT = "context.jsonld"
PUBLISHED = (SSSOM_TSV, SSSOM_TTL, CONTEXT, PREFIX_MAP_FILE)


def prefix_map_bytes() -> bytes:
    """``prefixes.json``, from the build cache when made from the same inputs before."""
    name = inputs_key()
    kept = cache.get("prefix-map", name)
    if kept is not None:
        return kept
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / PREFIX_MAP_FILE
        write_prefix_map(build_converter(), path)
        made = path.read_bytes()
    cache.put("prefix-map", name, made)
    return made


def published_files(ontology: Graph) -> dict[str, bytes]:
    """File name → bytes for each published linking file."""
    from ..release import jsonld_context

    context = {"@context": jsonld_context(ontology)}
    return {
        SSSOM_TSV: MAPPINGS_FILE.read_bytes(),
        SSSOM_TTL: sssom_turtle(MAPPINGS_FILE),
        CONTEXT: (json.dumps(context, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
        PREFIX_MAP_FILE: prefix_map_bytes(),
    }
