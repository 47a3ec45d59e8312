"""HTTP content negotiation over the format registry (:mod:`bclm_kg.formats`).

Views never pick a serialisation themselves: they ask :func:`negotiate` for the best format of
a kind (``results`` for SELECT/ASK, ``graph`` for RDF, with ``html`` where a page exists), from
the ``format=`` parameter, a file extension, or the Accept header (Werkzeug's parser).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from flask import Request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..formats import Format, formats_of


class NotAcceptable(Exception):
    """No format of the wanted kinds matches the request."""

    def __init__(self, offered: Sequence[Format]) -> None:
        self.offered = list(offered)
        super().__init__("Not acceptable; available: "
                         + ", ".join(f.media_type for f in self.offered))


def negotiate(request: Request, kinds: Sequence[str], *, prefer_html: bool = False) -> Format:
    """The format for a response of one of ``kinds``, in the order given.

    A ``format=`` value naming an offered format (short name or media type) wins over Accept;
    other values are ignored, since clients such as SPARQLWrapper send several. With no Accept
    header (or ``*/*``) the first format of the first kind is chosen, unless ``prefer_html``
    puts the page first.
    """
    requested = request.args.getlist("format")
    if request.method == "POST":
        requested += request.form.getlist("format")
    chosen = _choose(tuple(kinds), prefer_html, tuple(requested),
                     request.headers.get("Accept", ""))
    if chosen is None:
        raise NotAcceptable(_offered(tuple(kinds), prefer_html))
    return chosen


def _offered(kinds: tuple[str, ...], prefer_html: bool) -> list[Format]:
    offered = sorted(formats_of(*kinds), key=lambda f: kinds.index(f.kind))
    if prefer_html:
        offered.sort(key=lambda f: f.kind != "html")
    return offered


@lru_cache(maxsize=512)
def _choose(kinds: tuple[str, ...], prefer_html: bool, requested: tuple[str, ...],
            accept_header: str) -> Format | None:
    """:func:`negotiate` on the request's parts (None: nothing acceptable); remembered, since
    clients repeat them."""
    offered = _offered(kinds, prefer_html)
    for value in (v.strip().lower() for v in requested):
        for fmt in offered:
            if value in (*fmt.all_names, fmt.media_type, *fmt.aliases):
                return fmt
    accept = parse_accept_header(accept_header, MIMEAccept)
    if not accept:
        return offered[0]
    candidates: list[str] = []
    owner: dict[str, Format] = {}
    for fmt in offered:
        for media in (fmt.media_type, *fmt.aliases):
            # Werkzeug matches an Accept value with parameters only to an offer with the same
            # ones: "text/turtle; charset=utf-8" (all formats here are sent as UTF-8) too.
            for offer in (media, f"{media}; charset=utf-8"):
                if offer not in owner:
                    owner[offer] = fmt
                    candidates.append(offer)
    best = accept.best_match(candidates)
    return None if best is None else owner[best]
