"""The format registry: every response format, its media types, names and file extensions.

Views never pick a serialisation themselves: they ask :func:`negotiate` for the best format of
a kind (``results`` for SELECT/ASK, ``graph`` for RDF, with ``html`` where a page exists), from
the ``format=`` parameter, a file extension, or the Accept header (Werkzeug's parser).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import Request


@dataclass(frozen=True)
class Format:
    name: str  # stable short name, also accepted as ``format=``
    media_type: str  # the one sent in Content-Type
    kind: str  # "results", "graph" or "html"
    aliases: tuple[str, ...] = ()  # other media types that select it
    extensions: tuple[str, ...] = ()  # file extensions that select it, without dot
    names: tuple[str, ...] = ()  # other ``format=`` values

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml"))
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


FORMATS: tuple[Format, ...] = (
    # SELECT / ASK results; the first is the default.
    Format("json", "application/sparql-results+json", "results", ("application/json",),
           ("srj",), ("srj",)),
    Format("xml", "application/sparql-results+xml", "results",
           ("application/xml", "text/xml"), ("srx",), ("srx",)),
    Format("csv", "text/csv", "results", (), ("csv",)),
    Format("tsv", "text/tab-separated-values", "results", (), ("tsv",)),
    # RDF graphs (CONSTRUCT / DESCRIBE, resources, descriptions); the first is the default.
    Format("turtle", "text/turtle", "graph", ("application/x-turtle",), ("ttl",), ("ttl", "n3")),
    Format("jsonld", "application/ld+json", "graph", ("application/json",), ("jsonld",),
           ("json-ld",)),
    Format("ntriples", "application/n-triples", "graph", ("text/plain",), ("nt",), ("nt",)),
    Format("rdfxml", "application/rdf+xml", "graph", ("application/xml", "text/xml"),
           ("rdf", "owl"), ("rdf", "xml", "rdf+xml")),
    Format("trig", "application/trig", "graph", (), ("trig",)),
    # Pages for people.
    Format("html", "text/html", "html", ("application/xhtml+xml",), ("html",)),
)

class NotAcceptable(Exception):
    """No format of the wanted kinds matches the request."""

    def __init__(self, offered: Sequence[Format]) -> None:
        self.offered = list(offered)
        super().__init__("Not acceptable; available: "
                         + ", ".join(f.media_type for f in self.offered))


def formats_of(*kinds: str) -> list[Format]:
    return [f for f in FORMATS if f.kind in kinds]


def by_extension(ext: str, kinds: Sequence[str]) -> Format | None:
    return next((f for f in FORMATS if f.kind in kinds and ext in f.extensions), None)


def negotiate(request: Request, kinds: Sequence[str], *, prefer_html: bool = False) -> Format:
    """The format for a response of one of ``kinds``, in the order given.

    A ``format=`` value naming an offered format (short name or media type) wins over Accept;
    other values are ignored, since clients such as SPARQLWrapper send several. With no Accept
    header (or ``*/*``) the first format of the first kind is chosen, unless ``prefer_html``
    puts the page first.
    """
    offered = formats_of(*kinds)
    if prefer_html:
        offered.sort(key=lambda f: f.kind != "html")
    requested = request.args.getlist("format") + request.form.getlist("format")
    for value in (v.strip().lower() for v in requested):
        for fmt in offered:
            if value in (fmt.name, *fmt.names, fmt.media_type, *fmt.aliases):
                return fmt
    if not request.accept_mimetypes:
        return offered[0]
    candidates: list[str] = []
    owner: dict[str, Format] = {}
    for fmt in offered:
        for media in (fmt.media_type, *fmt.aliases):
            if media not in owner:
                owner[media] = fmt
                candidates.append(media)
    best = request.accept_mimetypes.best_match(candidates)
    if best is None:
        raise NotAcceptable(offered)
    return owner[best]
