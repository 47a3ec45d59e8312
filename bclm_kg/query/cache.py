"""A result cache: serialised answers kept by release version, query text, dataset and format.

Safe without invalidation, because the data only change with a new release, whose version is
part of every key. Bounded by the bytes of the answers it holds (least recently used first
out); only complete, successful answers are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from .execute import Job, Outcome

Key = tuple


def key(version: str, job: Job) -> Key:
    """Everything that decides the answer: release, text, parameters, dataset, format and
    limits."""
    return (version, job.query, job.bindings, job.inference, job.default_graphs,
            job.named_graphs, job.results_format, job.graph_format, job.max_rows, job.base_iri)


class ResultCache:
    """Least-recently-used answers up to ``max_bytes`` of bodies; thread-safe."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Key, Outcome] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, k: Key) -> Outcome | None:
        with self._lock:
            outcome = self._items.get(k)
            if outcome is None:
                self.misses += 1
                return None
            self._items.move_to_end(k)
            self.hits += 1
            return outcome

    def put(self, k: Key, outcome: Outcome) -> None:
        size = len(outcome.body)
        if outcome.status != "ok" or size > self.max_bytes // 4:
            return
        with self._lock:
            if k in self._items:
                return
            self._items[k] = outcome
            self._bytes += size
            while self._bytes > self.max_bytes:
                _old, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._items)


def run_cached(cache: ResultCache | None, version: str, job: Job,
               run: Callable[[Job], Outcome]) -> tuple[Outcome, bool]:
    """The cached answer to ``job`` if there is one, else ``run(job)`` (kept when it succeeds);
    and whether it came from the cache."""
    if cache is None or cache.max_bytes <= 0:
        return run(job), False
    k = key(version, job)
    found = cache.get(k)
    if found is not None:
        return found, True
    outcome = run(job)
    cache.put(k, outcome)
    return outcome, False
