"""Service settings: defaults, overridden by ``BCLM_*`` environment variables, then by the
mapping given to :func:`bclm_kg.web.create_app`."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..linking.allowlist import Allowlist
from ..project import Project
from ..tokens import Tokens

DEFAULTS: dict[str, Any] = {
    "RELEASE_DIR": None,  # the release to serve; None = as bclm_kg.project resolves it
    "STORE_PATH": None,  # on-disk Oxigraph store directory; None = in memory
    "STORE_URL": None,  # a remote SPARQL endpoint holding the release, instead of either
    "QUERY_TIMEOUT": 10.0,  # seconds per user query
    "MAX_ROWS": 10_000,  # result rows (or triples) per user query
    "MAX_QUERY_BYTES": 64 * 1024,  # larger queries get 413
    "QUERY_WORKERS": 2,  # query worker processes per app
    "RESULT_CACHE_BYTES": 32 * 1024 * 1024,  # real size of answers kept per app process; 0 = none
    "EXTRA_GRAPHS": (),  # (graph IRI, file) pairs loaded beside the release (tests)
    "ACCESS_LOG": True,  # one JSON line per request on the bclm_kg.access logger
    "FEDERATION": None,  # allowlisted SERVICE endpoints (mapping, JSON text or file); None = none
    "DATA_DIR": None,  # the curated data a curating service commits to (with TOKENS)
    "TOKENS": None,  # the token file (path or bclm_kg.tokens.Tokens); None = read-only
    "MAX_UPLOAD_BYTES": 16 * 1024 * 1024,  # request bodies of the upload routes; larger get 413
    # Per client address (flask-limiter syntax, e.g. "120 per minute; 10 per second"); "off"
    # disables one. Writes: any POST/PUT/PATCH/DELETE but a SPARQL query; expensive reads:
    # queries, questions, figures, search pages over 100 items (see bclm_kg.web.limits).
    "RATE_LIMIT_WRITES": "120 per minute",
    "RATE_LIMIT_READS": "1200 per minute",
    "RATE_LIMIT_STORAGE": "memory://",  # counters per process; redis://… shares them
    "TRUSTED_PROXIES": 0,  # reverse proxies in front whose X-Forwarded-For names the client
}

ENV = {  # the release and store come from bclm_kg.project (BCLM_RELEASE_DIR, BCLM_STORE)
    "QUERY_TIMEOUT": ("BCLM_QUERY_TIMEOUT", float),
    "MAX_ROWS": ("BCLM_MAX_ROWS", int),
    "MAX_QUERY_BYTES": ("BCLM_MAX_QUERY_BYTES", int),
    "QUERY_WORKERS": ("BCLM_QUERY_WORKERS", int),
    "RESULT_CACHE_BYTES": ("BCLM_RESULT_CACHE_BYTES", int),
    "EXTRA_GRAPHS": ("BCLM_EXTRA_GRAPHS", json.loads),  # [["graph IRI", "file"], …]
    "FEDERATION": ("BCLM_FEDERATION", str),  # JSON text or the path of a JSON file
    "TOKENS": ("BCLM_TOKENS", str),  # the token file: the service takes submissions
    "MAX_UPLOAD_BYTES": ("BCLM_MAX_UPLOAD_BYTES", int),
    "RATE_LIMIT_WRITES": ("BCLM_RATE_LIMIT_WRITES", str),
    "RATE_LIMIT_READS": ("BCLM_RATE_LIMIT_READS", str),
    "RATE_LIMIT_STORAGE": ("BCLM_RATE_LIMIT_STORAGE", str),
    "TRUSTED_PROXIES": ("BCLM_TRUSTED_PROXIES", int),
}


def resolve(config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the environment, then ``config``; paths become :class:`Path`."""
    settings = dict(DEFAULTS)
    for key, (name, cast) in ENV.items():
        if os.environ.get(name):
            settings[key] = cast(os.environ[name])
    settings.update(config or {})
    if not settings["RELEASE_DIR"]:
        project = Project.resolve(store=settings["STORE_PATH"])
        settings["RELEASE_DIR"], settings["STORE_PATH"] = project.release_dir, project.store_path
        settings["STORE_URL"] = settings["STORE_URL"] or project.store_url
    settings["RELEASE_DIR"] = Path(settings["RELEASE_DIR"])
    if settings["STORE_PATH"]:
        settings["STORE_PATH"] = Path(settings["STORE_PATH"])
    settings["EXTRA_GRAPHS"] = tuple((g, Path(f)) for g, f in settings["EXTRA_GRAPHS"])
    settings["FEDERATION"] = Allowlist.from_setting(settings["FEDERATION"])
    if settings["TOKENS"] is not None and not isinstance(settings["TOKENS"], Tokens):
        settings["TOKENS"] = Tokens.load(settings["TOKENS"])
    if settings["TOKENS"] and not settings["DATA_DIR"]:
        settings["DATA_DIR"] = Project.resolve().data_dir
    if settings["DATA_DIR"]:
        settings["DATA_DIR"] = Path(settings["DATA_DIR"])
    return settings
