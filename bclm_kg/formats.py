"""The format registry: every serialisation the project reads or writes, in one table.

Each entry says what a format is called (short name, ``format=`` values, file extensions),
how it is sent (media type and aliases), which W3C format IRI names it, which engine names
read or write it (rdflib, pyoxigraph), what it carries (``results`` for SELECT/ASK, ``graph``
for RDF, ``html`` for pages) and under which file name the release holds it. HTTP content
negotiation, ``bclm-kg export``, the release dumps and the service description are all derived
from this table: adding a format is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str  # stable short name, also accepted as ``format=`` and by ``export --format``
    media_type: str  # the one sent in Content-Type
    kind: str  # "results", "graph" or "html"
    aliases: tuple[str, ...] = ()  # other media types that select it
    extensions: tuple[str, ...] = ()  # file extensions that select it, without dot
    names: tuple[str, ...] = ()  # other ``format=`` values
    w3c: str | None = None  # local name under http://www.w3.org/ns/formats/
    rdflib: str | None = None  # rdflib parser/serialiser name
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat | None = None
    release_file: str | None = None  # the release's file of the whole graph in this format

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml"))
        return f"{self.media_type}; charset=utf-8" if text else self.media_type

    @property
    def w3c_iri(self) -> str | None:
        return W3C_FORMATS + self.w3c if self.w3c else None

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.names)


FORMATS: tuple[Format, ...] = (
    # SELECT / ASK results; the first is the default.
    Format("json", "application/sparql-results+json", "results", ("application/json",),
           ("srj",), ("srj",), "SPARQL_Results_JSON", None, ox.QueryResultsFormat.JSON),
    Format("xml", "application/sparql-results+xml", "results",
           ("application/xml", "text/xml"), ("srx",), ("srx",), "SPARQL_Results_XML", None,
           ox.QueryResultsFormat.XML),
    Format("csv", "text/csv", "results", (), ("csv",), (), "SPARQL_Results_CSV", None,
           ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", "results", (), ("tsv",), (),
           "SPARQL_Results_TSV", None, ox.QueryResultsFormat.TSV),
    # RDF graphs (CONSTRUCT / DESCRIBE, resources, descriptions, dumps); the first is the default.
    Format("turtle", "text/turtle", "graph", ("application/x-turtle",), ("ttl",), ("ttl", "n3"),
           "Turtle", "turtle", ox.RdfFormat.TURTLE, "bclm.ttl"),
    Format("jsonld", "application/ld+json", "graph", ("application/json",), ("jsonld",),
           ("json-ld",), "JSON-LD", "json-ld", ox.RdfFormat.JSON_LD, "bclm.jsonld"),
    Format("ntriples", "application/n-triples", "graph", ("text/plain",), ("nt",), ("nt",),
           "N-Triples", "nt", ox.RdfFormat.N_TRIPLES, "bclm.nt"),
    Format("rdfxml", "application/rdf+xml", "graph", ("application/xml", "text/xml"),
           ("rdf", "owl"), ("rdf", "xml", "rdf+xml"), "RDF_XML", "xml", ox.RdfFormat.RDF_XML),
    Format("trig", "application/trig", "graph", (), ("trig",), (), "TriG", "trig",
           ox.RdfFormat.TRIG, "bclm.trig"),
    # Pages for people.
    Format("html", "text/html", "html", ("application/xhtml+xml",), ("html",)),
)


def formats_of(*kinds: str) -> list[Format]:
    """The formats of the given kinds, in registry order."""
    return [f for f in FORMATS if f.kind in kinds]


def by_name(name: str, *kinds: str) -> Format:
    """The format of one of ``kinds`` called ``name`` (short name or another name)."""
    wanted = name.strip().lower()
    for fmt in formats_of(*kinds):
        if wanted in fmt.all_names:
            return fmt
    raise KeyError(name)


def by_extension(ext: str, *kinds: str) -> Format | None:
    """The format of one of ``kinds`` that a file extension (without dot) selects."""
    return next((f for f in formats_of(*kinds) if ext.lower() in f.extensions), None)


def by_media_type(media_type: str, *kinds: str) -> Format | None:
    """The format of one of ``kinds`` a media type names (its own or an alias; parameters
    such as ``; charset=utf-8`` and case are ignored)."""
    wanted = media_type.split(";", 1)[0].strip().lower()
    return next((f for f in formats_of(*kinds) if wanted in (f.media_type, *f.aliases)), None)


def export_names() -> dict[str, Format]:
    """What ``bclm-kg export --format`` accepts: every RDF format's names (the whole graph),
    and the names of the results formats no RDF format claims (the per-arm table)."""
    names: dict[str, Format] = {}
    for fmt in formats_of("graph"):
        for name in fmt.all_names:
            names.setdefault(name, fmt)
    for fmt in formats_of("results"):
        for name in fmt.all_names:
            names.setdefault(name, fmt)
    return names
