"""Documentation of the ontology, read from the release's ontology graph: every class and
property with its English and Chinese labels and definitions, the source of each definition,
its external mappings, examples from the data, and the class hierarchy as a tree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from .namespaces import BASE, compact_iri
from .queries import load_query
from .store import KnowledgeStore

EXAMPLES_PER_TERM = 3
KIND_ORDER = ("class", "object property", "datatype property", "annotation property")
DCT = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"


def local_href(iri: str) -> str:
    """A link on this service for a minted IRI, the IRI itself otherwise."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else iri


@dataclass
class Example:
    href: str
    text: str


@dataclass
class Term:
    iri: str
    kind: str
    label_en: str
    label_zh: str
    definition_en: str
    definition_zh: str
    source: str
    parents: list[str]
    domain: str | None
    range: str | None
    mappings: list[tuple[str, str]] = field(default_factory=list)  # (relation CURIE, IRI)
    examples: list[Example] = field(default_factory=list)

    @property
    def curie(self) -> str:
        return compact_iri(self.iri) or self.iri

    @property
    def anchor(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def href(self) -> str:
        return local_href(self.iri)


@dataclass
class TreeNode:
    term: Term
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class OntologyDocs:
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    version: str
    version_iri: str
    license: str
    terms: list[Term]
    hierarchy: list[TreeNode]

    def of_kind(self, kind: str) -> list[Term]:
        return [t for t in self.terms if t.kind == kind]

    @property
    def kinds(self) -> tuple[str, ...]:
        return KIND_ORDER


def _text(term) -> str:
    return term.value if term is not None else ""


def _header(store: KnowledgeStore) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in store.query(load_query("ontology/header")):
        prop, value = row["property"].value, row["value"]
        lang = getattr(value, "language", None) or ""
        key = f"{prop}@{lang}" if lang else prop
        out.setdefault(key, value.value)
    return out


def _terms(store: KnowledgeStore) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for row in store.query(load_query("ontology/terms")):
        iri = row["term"].value
        if iri in terms:  # a term declared with two kinds: keep the first
            continue
        terms[iri] = Term(iri, row["kind"].value, _text(row["label_en"]), _text(row["label_zh"]),
                          _text(row["definition_en"]), _text(row["definition_zh"]),
                          _text(row["source"]), _text(row["parents"]).split(),
                          _text(row["domain"]) or None, _text(row["range"]) or None)
    return terms


def _attach_mappings(store: KnowledgeStore, terms: dict[str, Term]) -> None:
    for row in store.query(load_query("ontology/mappings")):
        term = terms.get(row["term"].value)
        if term is not None:
            relation = row["relation"].value
            term.mappings.append((compact_iri(relation) or relation, row["target"].value))


def _attach_examples(store: KnowledgeStore, terms: dict[str, Term]) -> None:
    for row in store.query(load_query("ontology/class-examples")):
        term = terms.get(row["class"].value)
        if term is not None and len(term.examples) < EXAMPLES_PER_TERM:
            iri = row["instance"].value
            term.examples.append(Example(local_href(iri), _text(row["label"]) or
                                         compact_iri(iri) or iri))
    for row in store.query(load_query("ontology/property-examples")):
        term = terms.get(row["property"].value)
        if term is None:
            continue
        subject, obj = row["subject"].value, row["object"]
        shown = obj.value if isinstance(obj, ox.Literal) else compact_iri(obj.value) or obj.value
        text = f"{compact_iri(subject) or subject} → {shown}"
        term.examples.append(Example(local_href(subject), text))


def _hierarchy(terms: dict[str, Term]) -> list[TreeNode]:
    classes = {iri: t for iri, t in terms.items() if t.kind == "class"}
    children: dict[str, list[str]] = defaultdict(list)
    roots = []
    for iri, term in classes.items():
        parents = [p for p in term.parents if p in classes]
        for parent in parents:
            children[parent].append(iri)
        if not parents:
            roots.append(iri)

    def node(iri: str, path: frozenset[str]) -> TreeNode:
        kids = sorted((c for c in children[iri] if c not in path),
                      key=lambda c: classes[c].label_en.lower())
        return TreeNode(classes[iri], [node(c, path | {c}) for c in kids])

    return [node(r, frozenset({r})) for r in sorted(roots, key=lambda r:
                                                    classes[r].label_en.lower())]


def build(store: KnowledgeStore) -> OntologyDocs:
    """The documentation of the ontology in ``store``'s ontology graph."""
    header = _header(store)
    terms = _terms(store)
    _attach_mappings(store, terms)
    _attach_examples(store, terms)
    ordered = sorted(terms.values(), key=lambda t: (KIND_ORDER.index(t.kind)
                                                    if t.kind in KIND_ORDER else 9,
                                                    t.label_en.lower() or t.iri))
    return OntologyDocs(
        title_en=header.get(f"{DCT}title@en", "ontology"),
        title_zh=header.get(f"{DCT}title@zh", ""),
        description_en=header.get(f"{DCT}description@en", ""),
        description_zh=header.get(f"{DCT}description@zh", ""),
        version=header.get(f"{OWL}versionInfo", ""),
        version_iri=header.get(f"{OWL}versionIRI", ""),
        license=header.get(f"{DCT}license", ""),
        terms=ordered,
        hierarchy=_hierarchy(terms),
    )
