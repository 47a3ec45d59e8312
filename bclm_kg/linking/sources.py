"""The curated linking sources: the verified cross-references and the ontology's SSSOM file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import resources
from ..ingest.curies import expand
from ..ontology import MAPPINGS_FILE, read_sssom

XREFS_FILE = resources.xrefs_file()
PAPER_LABEL = "[label from paper, not from registry]"  # a label the registry did not give


@dataclass(frozen=True)
class Xref:
    """One row of the verified list: an external term, its label and where it was checked."""

    curie: str
    iri: str
    label: str
    predicate: str
    source_checked: str
    confidence: str

    @property
    def label_verified(self) -> bool:
        return PAPER_LABEL not in self.label


@cache
def xrefs(path: Path = XREFS_FILE) -> tuple[Xref, ...]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader((line for line in handle if not line.startswith("#")),
                                   delimiter="\t"))
    return tuple(Xref(r["object_id"], r["object_iri"], r["object_label"], r["predicate_id"],
                      r["source_checked"], r["confidence"]) for r in rows)


def xrefs_by_iri(path: Path = XREFS_FILE) -> dict[str, Xref]:
    """The first verified row for each external IRI."""
    found: dict[str, Xref] = {}
    for row in xrefs(path):
        found.setdefault(row.iri, row)
    return found


def read_sssom_table(path: Path = MAPPINGS_FILE) -> tuple[dict, list[dict[str, str]]]:
    """The YAML metadata block and the rows of an SSSOM TSV file."""
    from ruamel.yaml import YAML

    header: list[str] = []
    body: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            (header if line.startswith("#") else body).append(line)
    meta = YAML(typ="safe").load("".join(line[1:] for line in header)) or {}
    return dict(meta), list(csv.DictReader(body, delimiter="\t"))


@dataclass(frozen=True)
class MappingRow:
    subject: str
    predicate: str
    object: str
    justification: str
    confidence: float | None
    comment: str


@cache
def sssom_rows(path: Path = MAPPINGS_FILE) -> tuple[MappingRow, ...]:
    """The SSSOM rows with subject, predicate and object expanded to IRIs."""
    curie_map, rows = read_sssom(path)
    return tuple(
        MappingRow(str(expand(r["subject_id"], curie_map)), str(expand(r["predicate_id"],
                   curie_map)), str(expand(r["object_id"], curie_map)),
                   r["mapping_justification"],
                   float(r["confidence"]) if r.get("confidence") else None, r.get("comment", ""))
        for r in rows)
