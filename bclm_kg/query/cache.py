"""A result cache: answers kept by release version, query text, dataset and format.

Safe without invalidation, because the data only change with a new release, whose version is
part of every key. Bounded by the bytes its entries really hold — bodies, keys, headers and a
fixed allowance per entry for the Python objects around them — least recently used first out;
only complete, successful answers are kept. The same cache holds query outcomes (for the query
layer) and finished HTTP answers (for the web service's fast path), under distinct keys.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from .execute import Job, Outcome

Key = tuple

ENTRY_OVERHEAD = 512  # bytes of tuples, dict slot and objects around one entry (measured ~400)


def size_of(parts: Iterable[object]) -> int:
    """Bytes of the strings and bytes in ``parts`` (nested tuples followed), plus the fixed
    per-entry allowance."""
    total = ENTRY_OVERHEAD
    todo = list(parts)
    while todo:
        part = todo.pop()
        kind = type(part)
        if kind is str or kind is bytes:
            total += len(part) + 49  # type: ignore[arg-type]
        elif kind is tuple or kind is list:
            todo += part  # type: ignore[operator]
            total += 8 * len(part) + 56  # type: ignore[arg-type]
        elif isinstance(part, str | bytes):
            total += len(part) + 49
        elif isinstance(part, tuple | list):
            todo.extend(part)
            total += 8 * len(part) + 56
    return total


def key(version: str, job: Job) -> Key:
    """Everything that decides the answer: release, text, parameters, dataset, format and
    limits."""
    return (version, job.query, job.bindings, job.inference, job.default_graphs,
            job.named_graphs, job.results_format, job.graph_format, job.max_rows, job.base_iri)


class ResultCache:
    """Least-recently-used entries up to ``max_bytes`` of real size; thread-safe."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @property
    def bytes(self) -> int:
        """The size of everything held now."""
        return self._bytes

    def get(self, k: Hashable) -> object | None:
        with self._lock:
            found = self._items.get(k)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(k)
            self.hits += 1
            return found[0]

    def put_sized(self, k: Hashable, value: object, size: int) -> None:
        """Keep ``value`` as ``size`` bytes (not when it would take over a quarter of the
        cache); the least recently used entries leave to make room."""
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if k in self._items:
                return
            self._items[k] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _old, (_value, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def put(self, k: Key, outcome: Outcome) -> None:
        """Keep a successful query outcome."""
        if outcome.status != "ok":
            return
        self.put_sized(k, outcome, size_of((k, outcome.body, outcome.format, outcome.kind)))

    def __len__(self) -> int:
        return len(self._items)


def run_cached(cache: ResultCache | None, version: str, job: Job,
               run: Callable[[Job], Outcome]) -> tuple[Outcome, bool]:
    """The cached answer to ``job`` if there is one, else ``run(job)`` (kept when it succeeds);
    and whether it came from the cache."""
    if cache is None or not cache.enabled:
        return run(job), False
    k = key(version, job)
    found = cache.get(k)
    if isinstance(found, Outcome):
        return found, True
    outcome = run(job)
    cache.put(k, outcome)
    return outcome, False
