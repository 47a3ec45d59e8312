"""Accepted values of the term facets, read from the graph: labels and synonyms (en/zh),
abbreviations and codes, slugs, IRIs, CURIEs of the ontology and of mapped external terms."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..ingest.curies import PREFIX_MAP
from ..namespaces import PREFIXES
from .errors import SearchError, near
from .facets import TermFacet
from .fragments import run_select
from .text import normalise, variants

CURIE_PREFIXES = {k.casefold(): v for k, v in {**PREFIX_MAP, **PREFIXES}.items()}
PRIORITY = {"individual": 0, "property": 0, "class": 1}


@dataclass(frozen=True)
class Term:
    iri: str
    kind: str  # individual | class | property
    label_en: str | None
    label_zh: str | None
    code: str | None  # the short value a checkbox sends: abbreviation, or the slug

    @property
    def slug(self) -> str:
        return self.iri.rstrip("/").rsplit("/", 1)[-1]

    def as_dict(self) -> dict:
        return {"iri": self.iri, "value": self.code or self.slug,
                "label": {"en": self.label_en, "zh": self.label_zh}}


@dataclass
class Vocabulary:
    """The accepted names of one facet's values."""

    facet: str
    terms: dict[str, Term] = field(default_factory=dict)  # by IRI
    names: dict[str, set[str]] = field(default_factory=dict)  # normalised name → IRIs
    spellings: dict[str, str] = field(default_factory=dict)  # normalised name → as written
    iris: dict[str, str] = field(default_factory=dict)  # IRI → IRI (case-sensitive)

    def add(self, term: Term, name: str, *, exact: bool = False) -> None:
        if exact or name.startswith(("http://", "https://")):
            self.iris[name] = term.iri
            return
        for form in variants(name):
            self.names.setdefault(form, set()).add(term.iri)
            self.spellings.setdefault(form, name)

    def lookup(self, value: str) -> list[Term]:
        """The terms a value names (empty if none); individuals before classes."""
        text = value.strip()
        iri = self.iris.get(text) or self.iris.get(expand_curie(text) or "")
        if iri:
            return [self.terms[iri]]
        found = [self.terms[i] for i in self.names.get(normalise(text), ())]
        if not found:
            return []
        best = min(PRIORITY[t.kind] for t in found)
        return sorted((t for t in found if PRIORITY[t.kind] == best), key=lambda t: t.iri)

    def resolve(self, value: str) -> list[Term]:
        """Like :meth:`lookup`, but an unknown value is a :class:`SearchError`."""
        found = self.lookup(value)
        if not found:
            accepted = self.accepted()
            raise SearchError(self.facet, f"unknown value {value!r}", accepted,
                              near(value, list(self.spellings.values()) + accepted))
        return found

    def accepted(self) -> list[str]:
        """One short spelling per term (code or slug), as listed in errors and facets."""
        return sorted({t.code or t.slug for t in self.terms.values()}, key=str.casefold)


def expand_curie(text: str) -> str | None:
    prefix, sep, local = text.partition(":")
    if not sep or not local or local.startswith("//"):
        return None
    namespace = CURIE_PREFIXES.get(prefix.casefold())
    return namespace + local if namespace else None


def load(store, facet: TermFacet) -> Vocabulary:
    """Read the facet's accepted values with ``vocab-{name}.rq``."""
    vocab = Vocabulary(facet.name)
    rows = run_select(store, facet.vocabulary)
    for row in rows:
        iri = row["term"]
        if iri not in vocab.terms:
            vocab.terms[iri] = Term(iri, row["kind"], row.get("label_en"), row.get("label_zh"),
                                    row.get("code"))
        term = vocab.terms[iri]
        if row.get("name"):
            vocab.add(term, row["name"])
    for term in vocab.terms.values():
        vocab.add(term, term.iri, exact=True)
        vocab.add(term, term.slug)
    return vocab


def literal_or_iri(term: ox.NamedNode | ox.Literal | None) -> str | None:
    return None if term is None else term.value
