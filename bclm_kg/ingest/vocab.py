"""Controlled vocabularies: interventions, prognostic factors, places, small term lists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ..namespaces import BCLM, WD, kg
from .curies import parse_mappings
from .sink import Sink
from .tsv_source import Row, read_tsv


@dataclass(frozen=True)
class Vocabulary:
    """Lookups the table loader needs: printed codes and names to IRIs."""

    intervention_by_code: dict[str, URIRef]
    factors: set[str]
    place_by_zh: dict[str, URIRef]
    places: set[str]


def vocabulary_ids(data_dir: Path, name: str) -> set[str]:
    """The ids of a curated vocabulary table (``data/vocab/{name}.tsv``), for loaders that
    only need to check the codes they refer to."""
    return {row.required("id") for row in read_tsv(data_dir / "vocab" / f"{name}.tsv", ("id",))}


def _rows(path: Path, columns: tuple[str, ...], what: str) -> Iterator[tuple[Row, str]]:
    """The rows of a vocabulary table with their ids; fails on a repeated id."""
    seen: set[str] = set()
    for row in read_tsv(path, columns):
        ident = row.required("id")
        if ident in seen:
            row.fail(f"duplicate {what} id '{ident}'")
        seen.add(ident)
        yield row, ident


def _mappings(sink: Sink, subject: URIRef, row: Row, column: str = "mappings") -> None:
    try:
        pairs = parse_mappings(row.get(column))
    except ValueError as exc:
        row.fail(str(exc))
    for predicate, target in pairs:
        sink.add(subject, predicate, target)


def load_interventions(sink: Sink) -> dict[str, URIRef]:
    path = sink.data_dir / "vocab" / "interventions.tsv"
    by_code: dict[str, URIRef] = {}
    for row, ident in _rows(path, ("id", "code", "class", "label_en", "label_zh"), "intervention"):
        iri = kg(f"intervention/{ident}")
        sink.add(iri, RDF.type, BCLM[row.required("class")])
        sink.labels(iri, row.required("label_en"), row.required("label_zh"))
        if code := row.get("code"):
            if code in by_code:
                row.fail(f"duplicate intervention code '{code}'")
            by_code[code] = iri
            sink.add(iri, BCLM.abbreviation, Literal(code))
            sink.add(iri, SKOS.notation, Literal(code))
        for column, lang in (("full_name_en", "en"), ("full_name_zh", "zh")):
            if value := row.get(column):
                sink.add(iri, BCLM.fullName, Literal(value, lang=lang))
        sink.curated_at(iri, path, row.line)
    return by_code


def load_factors(sink: Sink) -> set[str]:
    path = sink.data_dir / "vocab" / "prognostic_factors.tsv"
    ids: set[str] = set()
    columns = ("id", "label_en", "label_zh", "definition_en", "mappings")
    for row, ident in _rows(path, columns, "factor"):
        ids.add(ident)
        iri = kg(f"factor/{ident}")
        sink.add(iri, RDF.type, BCLM.PrognosticFactor)
        sink.labels(iri, row.required("label_en"), row.required("label_zh"))
        sink.add(iri, SKOS.definition, Literal(row.required("definition_en"), lang="en"))
        _mappings(sink, iri, row)
        sink.curated_at(iri, path, row.line)
    return ids


def load_places(sink: Sink) -> tuple[dict[str, URIRef], set[str]]:
    path = sink.data_dir / "vocab" / "places.tsv"
    by_zh: dict[str, URIRef] = {}
    ids: set[str] = set()
    columns = ("id", "kind", "name_en", "name_zh", "iso2", "m49", "wikidata", "other_names_en")
    for row, ident in _rows(path, columns, "place"):
        ids.add(ident)
        iri = kg(f"place/{ident}")
        kind = row.required("kind")
        if kind not in {"country", "region"}:
            row.fail(f"kind must be 'country' or 'region', not '{kind}'")
        sink.add(iri, RDF.type, BCLM.Country if kind == "country" else BCLM.Region)
        sink.labels(iri, row.required("name_en"), row.required("name_zh"))
        by_zh[row.required("name_zh")] = iri
        if iso2 := row.get("iso2"):
            sink.add(iri, BCLM.iso3166Alpha2, Literal(iso2))
        if m49 := row.get("m49"):
            sink.add(iri, BCLM.m49Code, Literal(m49))
        if qid := row.get("wikidata"):
            sink.add(iri, SKOS.exactMatch, WD[qid])
        for name in filter(None, (n.strip() for n in (row.get("other_names_en") or "").split(";"))):
            sink.add(iri, SKOS.altLabel, Literal(name, lang="en"))
        sink.curated_at(iri, path, row.line)
    return by_zh, ids


def load_region_memberships(sink: Sink, places: set[str]) -> None:
    path = sink.data_dir / "vocab" / "region_memberships.tsv"
    for row in read_tsv(path, ("place", "region", "basis", "location")):
        place, region = row.required("place"), row.required("region")
        for ident in (place, region):
            if ident not in places:
                row.fail(f"unknown place '{ident}' (not in vocab/places.tsv)")
        country, target = kg(f"place/{place}"), kg(f"place/{region}")
        membership = kg(f"place/{place}/membership/{region}")
        sink.add(country, BCLM.inRegion, target)
        sink.add(country, BCLM.hasRegionMembership, membership)
        sink.add(membership, RDF.type, BCLM.RegionMembership)
        sink.add(membership, BCLM.region, target)
        sink.add(membership, BCLM.basis, Literal(row.required("basis"), lang="en"))
        sink.labels(membership, f"{place.upper()} in {region}", None)
        if location := row.get("location"):
            try:
                sink.stated_in(membership, sink.location(location))
            except ValueError as exc:
                row.fail(str(exc))
        sink.curated_at(membership, path, row.line)


def load_controlled_terms(sink: Sink) -> None:
    path = sink.data_dir / "vocab" / "controlled_terms.tsv"
    for row in read_tsv(path, ("id", "class", "label_en", "label_zh", "definition_en")):
        iri = kg(row.required("id"))
        sink.add(iri, RDF.type, BCLM[row.required("class")])
        sink.labels(iri, row.required("label_en"), row.required("label_zh"))
        sink.add(iri, SKOS.definition, Literal(row.required("definition_en"), lang="en"))
        _mappings(sink, iri, row)
        sink.curated_at(iri, path, row.line)


def load(sink: Sink) -> Vocabulary:
    """Load every vocabulary file and return the lookups the tables need."""
    by_code = load_interventions(sink)
    factors = load_factors(sink)
    by_zh, places = load_places(sink)
    load_region_memberships(sink, places)
    load_controlled_terms(sink)
    return Vocabulary(by_code, factors, by_zh, places)
