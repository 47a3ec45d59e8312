"""A cache on disk for results that depend only on their inputs (HermiT's classification of the
ontology, the prefix map read from bioregistry), so that a build does not redo them.

An entry is named by the SHA-256 of exactly its inputs (the caller passes them all, versions
of the tools included), so it is never stale: changed inputs give another name. Entries are
written to a temporary file and renamed into place, so processes building at once share the
cache safely; each entry starts with the SHA-256 of its content, and an entry that does not
match (a torn write) is ignored and computed again.

Where: ``$BCLM_CACHE_DIR``, else ``$XDG_CACHE_HOME/bclm-kg``, else ``~/.cache/bclm-kg``.
``BCLM_CACHE_DIR=off`` turns the cache off; a directory that cannot be written is skipped.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

ENV = "BCLM_CACHE_DIR"
OFF = "off"


def directory() -> Path | None:
    """The cache directory, or None when the cache is off."""
    configured = os.environ.get(ENV)
    if configured:
        return None if configured == OFF else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found: no cache
            return None
    return Path(base) / "bclm-kg"


def key(*parts: str | bytes) -> str:
    """The SHA-256 of ``parts`` (each length-prefixed, so no two lists of parts collide)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _path(kind: str, name: str) -> Path | None:
    top = directory()
    return None if top is None else top / kind / name


def get(kind: str, name: str) -> bytes | None:
    """The bytes stored under ``kind``/``name``, or None (absent, unreadable or torn)."""
    path = _path(kind, name)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    check, _, body = data.partition(b"\n")
    return body if check == hashlib.sha256(body).hexdigest().encode() else None


def put(kind: str, name: str, body: bytes) -> None:
    """Store ``body`` under ``kind``/``name`` atomically; a cache that cannot be written is
    left alone (the caller has its result already)."""
    path = _path(kind, name)
    if path is None:
        return
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
