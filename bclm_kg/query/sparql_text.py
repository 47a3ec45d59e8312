"""Look at SPARQL text without running it: is it an update, does it call SERVICE?

Strings, IRIs and comments are blanked first, so keywords inside them do not count.
"""

from __future__ import annotations

import hashlib
import re

from ..linking.federation import OPAQUE

_OPAQUE = OPAQUE
_WORD = r"(?<![\w:?$-]){}(?![\w:-])"
_UPDATE = re.compile(
    _WORD.format(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)"), re.IGNORECASE)
_QUERY = re.compile(_WORD.format(r"(?:SELECT|ASK|CONSTRUCT|DESCRIBE)"), re.IGNORECASE)
_SERVICE = re.compile(_WORD.format("SERVICE"), re.IGNORECASE)


def blank_opaque(text: str) -> str:
    """The text with strings, IRIs and comments replaced by a space."""
    return _OPAQUE.sub(" ", text)


def looks_like_update(text: str) -> bool:
    """Whether the first operation keyword is an update one (INSERT, DELETE, LOAD, …)."""
    bare = blank_opaque(text)
    update = _UPDATE.search(bare)
    query = _QUERY.search(bare)
    return update is not None and (query is None or update.start() < query.start())


def uses_service(text: str) -> bool:
    """Whether the query asks for federation (``SERVICE``), which this endpoint refuses."""
    return "service" in text.lower() and _SERVICE.search(blank_opaque(text)) is not None


def query_hash(text: str) -> str:
    """A short stable hash of a query, for logs."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
