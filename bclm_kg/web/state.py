"""The per-app service: the in-process store for pages, the query pool, release facts.

Opened once by :func:`init_app` and reached from views through :func:`service`.
"""

from __future__ import annotations

import atexit
import json
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from ..store import TRIG_NAME, KnowledgeStore, StoreSpec
from .pool import InProcessPool, QueryPool, open_pool

MANIFEST = "release.json"


class ReleaseMissing(RuntimeError):
    """The release directory holds no ``bclm.trig``."""


@dataclass
class Service:
    release_dir: Path
    store: KnowledgeStore
    pool: QueryPool | InProcessPool
    manifest: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # values computed once from the store

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unreleased"))


def init_app(app: Flask) -> Service:
    """Open the store and start the query pool for ``app``."""
    release_dir: Path = app.config["RELEASE_DIR"]
    trig = release_dir / TRIG_NAME
    if not trig.is_file():
        raise ReleaseMissing(f"no release at {release_dir} (expected {trig}); "
                             "run `bclm-kg build` or `bclm-kg serve`, which builds it")
    spec = StoreSpec(trig=trig, path=app.config["STORE_PATH"], extra=app.config["EXTRA_GRAPHS"])
    manifest_file = release_dir / MANIFEST
    manifest = json.loads(manifest_file.read_text("utf-8")) if manifest_file.is_file() else {}
    store = spec.open()
    pool = open_pool(spec, int(app.config["QUERY_WORKERS"]), store)
    atexit.register(pool.close)
    svc = Service(release_dir, store, pool, manifest)
    app.extensions["bclm"] = svc
    return svc


def service() -> Service:
    return current_app.extensions["bclm"]
