"""The per-app service: the in-process store for pages, the query pool, release facts.

Opened once by :func:`init_app` and reached from views through :func:`service`.
"""

from __future__ import annotations

import atexit
import logging
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from ..errors import BclmError
from ..query.cache import ResultCache, run_cached
from ..query.execute import Job, Outcome
from ..query.pool import InProcessPool, QueryPool, open_pool
from ..query.store import KnowledgeStore, StoreSpec
from ..release import Release

log = logging.getLogger(__name__)


class ReleaseMissing(RuntimeError):
    """The release directory holds no ``bclm.trig``."""


class ReleaseCorrupt(BclmError):
    """A release file differs from its checksum in ``release.json``, or cannot be loaded."""


@dataclass
class Service:
    release_dir: Path
    store: KnowledgeStore
    pool: QueryPool | InProcessPool
    manifest: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # values computed once from the store
    results: ResultCache | None = None  # answers to queries, by release_key

    def run(self, job: Job, cache: bool = True) -> tuple[Outcome, bool]:
        """Answer ``job`` from the result cache (unless ``cache`` is false) or the pool;
        whether it was a cache hit."""
        return run_cached(self.results if cache else None, self.release_key, job,
                          self.pool.run)

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unreleased"))

    @property
    def release_key(self) -> str:
        """What cached answers are kept under: the version and the dataset's checksum (a
        version can be published again with other data)."""
        files = self.manifest.get("files") or {}
        return f"{self.version}@{files.get('bclm.trig') or id(self.store)}"


def init_app(app: Flask) -> Service:
    """Open the store and start the query pool for ``app``."""
    release_dir: Path = app.config["RELEASE_DIR"]
    release = Release(release_dir)
    if not release.dataset.is_file():
        raise ReleaseMissing(f"no release at {release_dir} (expected {release.dataset}); "
                             "run `bclm-kg build` or `bclm-kg serve`, which builds it")
    spec = StoreSpec(trig=release.dataset, path=app.config["STORE_PATH"],
                     extra=app.config["EXTRA_GRAPHS"], remote=app.config["STORE_URL"],
                     timeout=float(app.config["QUERY_TIMEOUT"]))
    manifest = release.manifest() if release.manifest_file.is_file() else {}
    bad = release.damaged_file(manifest)
    if bad is not None:
        raise ReleaseCorrupt(f"{bad}: the release file is corrupted or truncated (its SHA-256 "
                             f"differs from {release.manifest_file}); rebuild the release")
    try:
        store = spec.open()
    except (SyntaxError, ValueError, OSError) as exc:
        raise ReleaseCorrupt(f"{release.dataset}: cannot load the release: {exc}") from exc
    pool = open_pool(spec, int(app.config["QUERY_WORKERS"]), store)
    atexit.register(pool.close)
    # Serve only once every query worker answers: a process started to replace one that died
    # under load then takes no query it would have to refuse as busy.
    if not pool.wait_ready(pool.startup_timeout if isinstance(pool, QueryPool) else 0,
                           count=pool.size):
        log.warning("not every query worker started; serving with those that did")
    svc = Service(release_dir, store, pool, manifest,
                  results=ResultCache(int(app.config["RESULT_CACHE_BYTES"])))
    app.extensions["bclm"] = svc
    return svc


def service() -> Service:
    return current_app.extensions["bclm"]
