"""Security headers on every response, pages, data and errors alike.

The pages load their scripts and styles from ``/static`` only: no inline script, no event
handler attribute, no style attribute. The one inline style allowed is the query editor's
(CodeMirror writes its styles into a ``<style>`` element): a page that loads the editor gets a
fresh nonce (``csp_nonce()`` in templates), which the policy names in ``style-src``. No page
may be framed by another site.
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, g

DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # for browsers without frame-ancestors
    "Cross-Origin-Opener-Policy": "same-origin",
}


def content_security_policy(style_nonce: str | None = None) -> str:
    """The policy; ``style_nonce`` lets the ``<style>`` elements carrying it apply."""
    extra = {"style-src": f" 'nonce-{style_nonce}'"} if style_nonce else {}
    return "; ".join(f"{name} {value}{extra.get(name, '')}" for name, value in DIRECTIVES)


def csp_nonce() -> str:
    """This response's style nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


ASCII_PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F))
# a character outside string.printable (ASCII letters, digits, punctuation, whitespace)
UNPRINTABLE = re.compile(f"[^{re.escape(string.printable)}]")


def encode_raw_query(wsgi_app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """WSGI middleware: percent-encode the bytes outside printable ASCII that a client sent raw
    in the query string. Werkzeug decodes the query string as strict UTF-8, so one stray byte
    would make every view, and the error page itself, fail; encoded, valid UTF-8 keeps its
    meaning and a bad byte reads as U+FFFD, like a bad ``%``-escape."""
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        if query and UNPRINTABLE.search(query):
            raw = query.encode("latin-1", "replace")  # WSGI strings carry bytes as Latin-1
            environ["QUERY_STRING"] = quote(raw, safe=ASCII_PRINTABLE)
        return wsgi_app(environ, start_response)

    return app


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.wsgi_app = encode_raw_query(app.wsgi_app)  # type: ignore[method-assign]

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy",
                                    content_security_policy(g.get("csp_nonce")))
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
