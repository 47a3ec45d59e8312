"""A small pool of query worker processes, each with its own copy of the store.

A pyoxigraph query cannot be cancelled in-process, so user queries run in worker processes:
when one exceeds its time limit the worker is killed and a fresh one started in the
background, while the other workers keep answering. :class:`InProcessPool` has the same
interface and runs queries in the calling thread on the app's own store (``QUERY_WORKERS=0``,
for tests through Flask's test client): no hard time limit, only the row-by-row check.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from .execute import Job, Outcome, execute
from .store import KnowledgeStore, StoreSpec

log = logging.getLogger(__name__)

READY = "ready"
PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


class PoolBusy(Exception):
    """No worker became free in time."""


class QueryTimeout(Exception):
    """The query ran past its time limit and its worker was stopped."""


class WorkerFailed(Exception):
    """The worker died while running the query."""


class _Worker:
    """A ``python -m bclm_kg.query.worker`` process, talked to over a socket pair."""

    def __init__(self, spec: StoreSpec) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bclm_kg.query.worker", str(child.fileno())],
            pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, env=env, close_fds=True)
        child.close()
        self.conn = Connection(parent.detach())
        self.conn.send(spec)

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) and self.conn.recv() == READY
        except (EOFError, OSError):
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            log.error("query worker %s did not exit", self.process.pid)
        self.conn.close()


class QueryPool:
    """``size`` worker processes; :meth:`run` sends a job to a free one, with a hard deadline."""

    def __init__(self, spec: StoreSpec, size: int = 2, startup_timeout: float = 120.0) -> None:
        self.spec = spec
        self.size = size
        self.startup_timeout = startup_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.restarts = 0
        for _ in range(size):
            self._start_async()

    def _start_async(self) -> None:
        threading.Thread(target=self._start, name="bclm-pool-start", daemon=True).start()

    def _start(self) -> None:
        for attempt in range(3):
            worker = _Worker(self.spec)
            with self._lock:
                self._all.add(worker)
            if worker.wait_ready(self.startup_timeout):
                if self._closed:
                    self._discard(worker)
                else:
                    self._idle.put(worker)
                return
            log.error("query worker failed to start (attempt %d)", attempt + 1)
            self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        self.restarts += 1
        if not self._closed:
            self._start_async()

    def run(self, job: Job, wait: float | None = None) -> Outcome:
        """Run ``job`` in a worker; it is killed if no answer comes within ``job.time_limit``.

        ``wait`` bounds the time spent waiting for a free worker (default: the time limit).
        """
        try:
            worker = self._idle.get(timeout=job.time_limit if wait is None else wait)
        except queue.Empty as exc:
            raise PoolBusy from exc
        deadline = time.monotonic() + job.time_limit
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                outcome = worker.conn.recv()
            else:
                self._replace(worker)
                raise QueryTimeout
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise WorkerFailed(str(exc)) from exc
        self._idle.put(worker)
        return outcome

    @property
    def idle(self) -> int:
        return self._idle.qsize()

    def wait_ready(self, timeout: float, count: int = 1) -> bool:
        """Block until at least ``count`` workers are idle (for start-up checks)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self._idle.qsize() >= count:
                return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._discard(worker)


class InProcessPool:
    """:class:`QueryPool`'s interface, running each job in the caller's thread on ``store``.

    A query that never yields a row cannot be stopped here; the limit is checked between rows.
    """

    size = 0
    restarts = 0

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    def run(self, job: Job, wait: float | None = None) -> Outcome:
        return execute(self.store, job)

    @property
    def idle(self) -> int:
        return 1

    def wait_ready(self, timeout: float, count: int = 1) -> bool:
        return True

    def close(self) -> None:
        """Nothing to stop: the store belongs to the app."""


def open_pool(spec: StoreSpec, size: int, store: KnowledgeStore) -> QueryPool | InProcessPool:
    """``size`` worker processes, or with ``size`` 0 the in-process pool on ``store``."""
    return QueryPool(spec, size=size) if size > 0 else InProcessPool(store)
