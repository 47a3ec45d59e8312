"""Read an identifier in any common spelling: a CURIE (any prefix synonym, any case), a bare
registry number or DOI, or a full IRI (OBO PURL, identifiers.org, doi.org, Wikidata,
ClinicalTrials.gov …), and return it in bioregistry's normal form."""

from __future__ import annotations

import re
from dataclasses import dataclass

import curies

# Bare identifiers that name their own kind.
BARE = (
    (re.compile(r"^NCT\d{8}$"), "clinicaltrials"),
    (re.compile(r"^ChiCTR(-[A-Z]+-)?\d+$"), "chictr"),
    (re.compile(r"^10\.\d{2,9}/\S+$"), "doi"),
    (re.compile(r"^CVCL_[A-Z0-9]{4}$"), "cellosaurus"),
)
BANANAS = {"cellosaurus": "CVCL_"}  # local ids written with their prefix inside them


class UnknownIdentifier(ValueError):
    """The text is not an identifier of a known kind; the message says what is known."""

    def __init__(self, text: str, reason: str, known: list[str]) -> None:
        self.text = text
        self.reason = reason
        self.known = known
        super().__init__(f"'{text}': {reason}. Known prefixes: {', '.join(known)}")


@dataclass(frozen=True)
class Identifier:
    prefix: str  # bioregistry's canonical prefix, e.g. "ncit"
    local: str  # e.g. "C20985"
    iri: str  # the IRI this graph uses, e.g. http://purl.obolibrary.org/obo/NCIT_C20985

    @property
    def curie(self) -> str:
        return f"{self.prefix}:{self.local}"


def known_prefixes(converter: curies.Converter) -> list[str]:
    return sorted(record.prefix for record in converter.records)


def _prefix_index(converter: curies.Converter) -> dict[str, str]:
    index: dict[str, str] = {}
    for record in converter.records:
        for name in (record.prefix, *record.prefix_synonyms):
            index.setdefault(name.casefold(), record.prefix)
    return index


def _from_curie(text: str, converter: curies.Converter) -> tuple[str, str] | None:
    prefix, sep, local = text.partition(":")
    if not sep or not prefix or " " in prefix:
        return None
    if prefix.casefold() == "rrid" and local.startswith("CVCL_"):  # RRID:CVCL_0062
        prefix = "cellosaurus"
    canonical = _prefix_index(converter).get(prefix.casefold())
    if canonical is None:
        return None
    return canonical, local.removeprefix(BANANAS.get(canonical, ""))


def _from_iri(text: str, converter: curies.Converter) -> tuple[str, str] | None:
    parsed = converter.parse_uri(text)
    if parsed is not None and parsed.prefix:
        return parsed.prefix, parsed.identifier
    # identifiers.org, n2t and bioregistry resolve "prefix:local" in any prefix spelling.
    match = re.match(r"^https?://(?:identifiers\.org|n2t\.net|bioregistry\.io)/(.+)$", text)
    if match:
        inner = match.group(1)
        return _from_curie(inner, converter) or _from_curie(inner.replace("/", ":", 1), converter)
    return None


def parse_identifier(text: str, converter: curies.Converter) -> Identifier:
    """``NCIT:C20985``, ``ncit:C20985``, ``http://purl.obolibrary.org/obo/NCIT_C20985``,
    ``https://identifiers.org/ncit:C20985`` … → ``Identifier("ncit", "C20985", …)``.

    Raises :class:`UnknownIdentifier` for an unknown prefix or a local id that does not fit
    the prefix's pattern.
    """
    known = known_prefixes(converter)
    text = (text or "").strip()
    if not text:
        raise UnknownIdentifier(text, "no identifier given", known)
    parsed = None
    if re.match(r"^https?://", text, re.IGNORECASE):
        parsed = _from_iri(text, converter)
        if parsed is None:
            raise UnknownIdentifier(text, "IRI of an unknown namespace", known)
    else:
        for pattern, prefix in BARE:
            if pattern.match(text):
                parsed = (prefix, text.removeprefix(BANANAS.get(prefix, "")))
                break
        parsed = parsed or _from_curie(text, converter)
        if parsed is None:
            reason = "unknown prefix" if ":" in text else "not a CURIE (prefix:local) or IRI"
            raise UnknownIdentifier(text, reason, known)
    prefix, local = parsed
    record = converter.get_record(prefix)
    assert record is not None
    if not local or (record.pattern and not re.match(record.pattern, local)):
        raise UnknownIdentifier(
            text, f"'{local}' is not a valid {prefix} identifier (pattern {record.pattern})",
            known)
    return Identifier(prefix, local, record.uri_prefix + local)
