"""Who makes a write request: ``Authorization: Bearer TOKEN`` against the service's token file
(:mod:`bclm_kg.tokens`). Reads need no token; every write needs one with the right role."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from ..curation import Author
from ..tokens import Tokens

REALM = "bclm-kg"
READ_ONLY = ("This service is read-only: it was started without a token file, so it takes no "
             "submissions. Start it with `bclm-kg serve --data DIR --tokens FILE` (README, "
             "\"Curating the graph\").")


def tokens() -> Tokens | None:
    """The token file's entries, or None when the service is read-only."""
    return current_app.config.get("TOKENS") or None


def _challenge(message: str, error: str | None = None) -> Unauthorized:
    params = {"realm": REALM, **({"error": error} if error else {})}
    return Unauthorized(message, www_authenticate=WWWAuthenticate("bearer", params))


def author(role: str | None = None) -> Author:
    """The author of this request; 401 without a known bearer token, 403 when ``role`` is
    ``curator`` and the token is a submitter's (or when the service is read-only)."""
    known = tokens()
    if known is None:
        raise Forbidden(READ_ONLY)
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _challenge("This request changes the graph: send a token as "
                         "'Authorization: Bearer TOKEN'.")
    who = known.author(token)
    if who is None:
        raise _challenge("The bearer token is not known to this service.", "invalid_token")
    if role == "curator" and not who.is_curator:
        raise Forbidden(f"Only a curator may do this; the token {who.name!r} is a "
                        f"{who.role}'s.")
    return who
