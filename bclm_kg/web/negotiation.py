"""HTTP content negotiation over the format registry (:mod:`bclm_kg.formats`).

Views never pick a serialisation themselves: they ask :func:`negotiate` for the best format of
a kind (``results`` for SELECT/ASK, ``graph`` for RDF, with ``html`` where a page exists), from
the ``format=`` parameter, a file extension, or the Accept header (Werkzeug's parser).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Request

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
    offered = sorted(formats_of(*kinds), key=lambda f: list(kinds).index(f.kind))
    if prefer_html:
        offered.sort(key=lambda f: f.kind != "html")
    requested = request.args.getlist("format") + request.form.getlist("format")
    for value in (v.strip().lower() for v in requested):
        for fmt in offered:
            if value in (*fmt.all_names, fmt.media_type, *fmt.aliases):
                return fmt
    if not request.accept_mimetypes:
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
    best = request.accept_mimetypes.best_match(candidates)
    if best is None:
        raise NotAcceptable(offered)
    return owner[best]
