"""The per-app service: the in-process store for pages, the query pool, release facts; and
the release it serves, followed as it changes.

A release root with versions (``R/versions/<version>`` and ``R/current``, see
:mod:`bclm_kg.release`) is followed by every app process: before each request a cheap check
(``readlink`` and ``stat`` of ``R/current``, nothing parsed) tells whether ``current`` moved;
if so the new release is loaded (checksums verified), and the store, query pool and result cache
are swapped for the requests that start afterwards, while requests already running finish on
the ones they started with (the old pool is closed when the last of them ends). A new release
that is damaged or does not load is refused with a log line naming the file, and the previous
one keeps being served (``/healthz`` says so). A plain release directory (no ``current``) is
opened once, as before.

Views reach the service of their request through :func:`service`.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app, g, has_request_context

from ..errors import BclmError
from ..query.cache import ResultCache, run_cached
from ..query.execute import Job, Outcome
from ..query.pool import InProcessPool, QueryPool, open_pool
from ..query.store import KnowledgeStore, StoreSpec
from ..release import CURRENT, Release, current_release

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
    loaded_at: float = field(default_factory=time.time)  # when the store was opened
    users: int = 0  # requests running on this service
    retired: bool = False  # replaced by a newer release: closed once its last request ends

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


def open_service(config: dict, release_dir: Path) -> Service:
    """Open the release in ``release_dir``: verify its checksums, load the store, start the
    query pool (and wait until it answers). ReleaseMissing / ReleaseCorrupt name the file."""
    release = Release(release_dir)
    if not release.dataset.is_file():
        raise ReleaseMissing(f"no release at {release_dir} (expected {release.dataset}); "
                             "run `bclm-kg build` or `bclm-kg serve`, which builds it")
    try:
        manifest = release.manifest() if release.manifest_file.is_file() else {}
    except (ValueError, OSError) as exc:
        raise ReleaseCorrupt(f"{release.manifest_file}: cannot read the release manifest: "
                             f"{exc}") from exc
    bad = release.damaged_file(manifest)
    if bad is not None:
        raise ReleaseCorrupt(f"{bad}: the release file is corrupted or truncated (its SHA-256 "
                             f"differs from {release.manifest_file}); rebuild the release")
    spec = StoreSpec(trig=release.dataset, path=store_path(config, release_dir),
                     extra=config["EXTRA_GRAPHS"], remote=config["STORE_URL"],
                     timeout=float(config["QUERY_TIMEOUT"]))
    try:
        store = spec.open()
    except (SyntaxError, ValueError, OSError) as exc:
        raise ReleaseCorrupt(f"{release.dataset}: cannot load the release: {exc}") from exc
    pool = open_pool(spec, int(config["QUERY_WORKERS"]), store)
    if not pool.wait_ready(POOL_STARTUP):
        pool.close()
        raise ReleaseCorrupt(f"{release.dataset}: no query worker could load the release "
                             f"within {POOL_STARTUP:g} s")
    # Serve only once every query worker answers: a process started to replace one that died
    # under load then takes no query it would have to refuse as busy.
    if isinstance(pool, QueryPool) and not pool.wait_ready(pool.startup_timeout,
                                                           count=pool.size):
        log.warning("not every query worker started; serving with those that did")
    return Service(release_dir, store, pool, manifest,
                   results=ResultCache(int(config["RESULT_CACHE_BYTES"])))


POOL_STARTUP = 120.0  # seconds the query workers of a new release may take to load it


def store_path(config: dict, release_dir: Path) -> Path | None:
    """The on-disk store of ``release_dir``: ``STORE_PATH`` for a plain release, a sibling
    directory per version (``STORE_PATH-<version>``) under a release root with versions."""
    path: Path | None = config.get("STORE_PATH")
    root = Path(config["RELEASE_DIR"]).resolve()
    if path is None or Path(release_dir).resolve() == root:
        return path
    return path.with_name(f"{path.name}-{Path(release_dir).name}")


class Releases:
    """The release an app serves, following ``RELEASE_DIR/current`` when there is one."""

    def __init__(self, app: Flask) -> None:
        self.config = app.config
        self.root = Path(app.config["RELEASE_DIR"])
        self.link = self.root / CURRENT
        self.follows = not app.config["STORE_URL"]  # a remote store holds what it holds
        self._lock = threading.Lock()
        self._key = self._link_key()
        self.served = open_service(app.config, current_release(self.root))
        atexit.register(lambda: self.served.pool.close())
        self.refused: dict[str, str] | None = None  # the last release refused, and why
        self._refused_key: tuple | None = None
        self._listeners: list[Callable[[Service], None]] = []

    def on_swap(self, listener: Callable[[Service], None]) -> None:
        """Call ``listener`` with the new service after every swap."""
        self._listeners.append(listener)

    def _link_key(self) -> tuple | None:
        """Where ``current`` points and the identity of that directory (two system calls)."""
        try:
            target = os.readlink(self.link)
            info = os.stat(self.link)
        except OSError:
            return None
        return target, info.st_dev, info.st_ino, info.st_mtime_ns

    def latest(self) -> Service:
        """The service of the release ``current`` points to now (loading it first if
        ``current`` moved), without counting a user: for answers kept before Flask runs."""
        if self.follows:
            key = self._link_key()
            if key is not None and key != self._key and key != self._refused_key:
                with self._lock:
                    if self._link_key() == key and key != self._key:
                        self._switch(key)
        return self.served

    def acquire(self) -> Service:
        """The service a new request runs on (loading the new release first if ``current``
        moved), counted as one of its users until :meth:`release`."""
        self.latest()
        with self._lock:
            svc = self.served
            svc.users += 1
        return svc

    def release(self, svc: Service) -> None:
        with self._lock:
            svc.users -= 1
            close = svc.retired and svc.users == 0
        if close:
            svc.pool.close()

    def _switch(self, key: tuple) -> None:
        target = current_release(self.root)
        try:
            fresh = open_service(self.config, target)
        except (ReleaseMissing, ReleaseCorrupt, OSError) as exc:
            log.error("refused the new release %s: %s; still serving %s (version %s)",
                      target, exc, self.served.release_dir, self.served.version)
            self.refused = {"release": str(target), "reason": str(exc)}
            self._refused_key = key
            return
        old, self.served, self._key = self.served, fresh, key
        self.refused, self._refused_key = None, None
        log.info("now serving %s (version %s; was %s)", target, fresh.version, old.version)
        old.retired = True
        if old.users == 0:
            old.pool.close()
        for listener in self._listeners:
            listener(fresh)


def init_app(app: Flask) -> Service:
    """Open the release's store and query pool for ``app``, and follow the release root."""
    releases = Releases(app)
    app.extensions["bclm-releases"] = releases
    app.extensions["bclm"] = releases.served
    releases.on_swap(lambda svc: app.extensions.__setitem__("bclm", svc))

    @app.before_request
    def _pin() -> None:
        g.bclm_service = releases.acquire()

    @app.teardown_request
    def _unpin(_exc: BaseException | None) -> None:
        svc = g.pop("bclm_service", None)
        if svc is not None:
            releases.release(svc)

    return releases.served


def releases_of(app: Flask) -> Releases:
    return app.extensions["bclm-releases"]


def service() -> Service:
    """The service of the current request (the one it started on), else the app's latest."""
    if has_request_context() and "bclm_service" in g:
        return g.bclm_service
    return current_app.extensions["bclm"]
