"""Look up an external identifier: the entities of this graph it maps to, how (mapping
predicate and justification), and the studies and arms that involve each of them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import curies
import pyoxigraph as ox

from ..namespaces import compact_iri
from ..queries import load_query
from ..query.store import KnowledgeStore
from .identifiers import Identifier, parse_identifier
from .sources import sssom_rows, xrefs_by_iri

REGISTRIES = ("clinicaltrials", "chictr")  # prefixes whose local id is a bclm:registryId


@dataclass
class Arm:
    arm: str
    intervention_text: str | None


@dataclass
class StudyLink:
    study: str
    label: str | None
    relation: str
    arms: list[Arm] = field(default_factory=list)


@dataclass
class Match:
    entity: str
    curie: str | None
    label: str | None
    predicate: str
    justification: dict[str, object]
    studies: list[StudyLink] = field(default_factory=list)


@dataclass
class LookupResult:
    query: str
    identifier: dict[str, str]
    label: str | None
    matches: list[Match]

    def to_dict(self) -> dict:
        return asdict(self)


def _value(term) -> str | None:
    return None if term is None else term.value


def _justification(entity: str, predicate: str, target: str | None,
                   is_class: bool) -> dict[str, object]:
    """Why the mapping holds: the SSSOM row for an ontology class, else the verified list's
    source for the external term, else what the review prints."""
    if is_class and target:
        for row in sssom_rows():
            if (row.subject, row.predicate, row.object) == (entity, predicate, target):
                return {"mapping_justification": row.justification,
                        "confidence": row.confidence, "source": row.comment,
                        "mapping_set": "ontology/mappings.sssom.tsv"}
    xref = xrefs_by_iri().get(target or "")
    if xref is not None:
        return {"mapping_justification": "semapv:ManualMappingCuration",
                "confidence": xref.confidence, "source": xref.source_checked,
                "mapping_set": "ontology/sources/xrefs.tsv"}
    return {"mapping_justification": "semapv:ManualMappingCuration",
            "source": "as printed in the review (reference list or registration number)"}


def _studies(store: KnowledgeStore, entity: str) -> list[StudyLink]:
    links: dict[tuple[str, str], StudyLink] = {}
    rows = store.query(load_query("linking/lookup-studies"),
                       substitutions={"entity": ox.NamedNode(entity)})
    for row in rows:
        key = (row["study"].value, row["relation"].value)
        link = links.setdefault(key, StudyLink(key[0], _value(row["study_label"]), key[1]))
        if row["arm"] is not None:
            link.arms.append(Arm(row["arm"].value, _value(row["arm_text"])))
    return list(links.values())


def _matches(store: KnowledgeStore, ident: Identifier) -> list[Match]:
    found: list[Match] = []
    for row in store.query(load_query("linking/lookup-mappings"),
                           substitutions={"iri": ox.NamedNode(ident.iri)}):
        entity, predicate = row["entity"].value, row["predicate"].value
        is_class = row["is_class"] is not None and row["is_class"].value == "true"
        found.append(Match(entity, compact_iri(entity), _value(row["label"]),
                           compact_iri(predicate) or predicate,
                           _justification(entity, predicate, row["target"].value, is_class)))
    if ident.prefix in REGISTRIES:
        seen = {m.entity for m in found}
        for row in store.query(load_query("linking/lookup-registry"),
                               substitutions={"registry_id": ox.Literal(ident.local)}):
            if row["entity"].value not in seen:
                found.append(Match(row["entity"].value, compact_iri(row["entity"].value),
                                   _value(row["label"]), "bclm:registryId",
                                   _justification(row["entity"].value, "", None, False)))
    return found


def lookup(store: KnowledgeStore, converter: curies.Converter, text: str) -> LookupResult:
    """Everything this graph says about the identifier ``text`` (any common spelling).

    Raises :class:`~bclm_kg.linking.identifiers.UnknownIdentifier` for an unknown prefix or a
    malformed identifier.
    """
    ident = parse_identifier(text, converter)
    matches = _matches(store, ident)
    for match in matches:
        match.studies = _studies(store, match.entity)
    label_rows = list(store.query(load_query("linking/external-label"),
                                  substitutions={"iri": ox.NamedNode(ident.iri)}))
    label = label_rows[0]["label"].value if label_rows else None
    return LookupResult(text, {"curie": ident.curie, "prefix": ident.prefix,
                               "local": ident.local, "iri": ident.iri}, label, matches)
