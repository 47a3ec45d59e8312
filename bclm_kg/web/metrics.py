"""The service's Prometheus metrics, served at ``/metrics`` in the text exposition format.

Views and the curation routes record what happens through the named functions below
(:func:`query_timeout`, :func:`cache_lookup`, :func:`submission_accepted`, …); requests and
their latencies are recorded for every route by :func:`init_app`.

Under gunicorn every worker is a process of its own: ``prometheus_client``'s multiprocess mode
then keeps each worker's values in files under ``PROMETHEUS_MULTIPROC_DIR`` and ``/metrics``
adds them up. The variable must be set before this module is first imported in a worker
(``bclm-kg serve`` creates a directory per run, sets it, and removes the directory when it
stops); without it the values are this process's own.
"""

from __future__ import annotations

import os
import time

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter("bclm_http_requests", "HTTP requests answered, by method, route and status",
                   ["method", "route", "status"])
LATENCY = Histogram("bclm_http_request_duration_seconds",
                    "Time to answer an HTTP request, by method and route",
                    ["method", "route"], buckets=LATENCY_BUCKETS)
QUERY_TIMEOUTS = Counter("bclm_query_timeouts", "SPARQL queries stopped at the time limit")
CACHE = Counter("bclm_query_cache_lookups", "Result cache lookups of SPARQL queries, by result",
                ["result"])
SUBMISSIONS = Counter("bclm_submissions",
                      "Curation submissions, by outcome (accepted: committed; pending: waiting "
                      "for a curator; rejected: by a curator; invalid: refused by the checks)",
                      ["outcome"])
PENDING = Gauge("bclm_submissions_pending", "Submissions waiting for a curator's approval",
                multiprocess_mode="mostrecent")
DATASET = Gauge("bclm_dataset_info", "The dataset version served (1 while a worker serves it)",
                ["version"], multiprocess_mode="livemax")
STORE_TRIPLES = Gauge("bclm_store_triples", "Triples in the served store (all named graphs)",
                      multiprocess_mode="livemostrecent")

UNMATCHED = "<unmatched>"  # the route label of a request no route matched


def query_timeout() -> None:
    """A query was stopped at its time limit."""
    QUERY_TIMEOUTS.inc()


def cache_lookup(hit: bool) -> None:
    """A query's answer was looked up in the result cache."""
    CACHE.labels(result="hit" if hit else "miss").inc()


def answered_before_flask(method: str, route: str | None, status: str, started: float,
                          hit: bool) -> None:
    """A request was answered before Flask ran, from the answer cache (``hit``) or by the fast
    path (so :func:`init_app`'s hooks did not see it): count it, its latency and the lookup."""
    route = route or UNMATCHED
    REQUESTS.labels(method=method, route=route, status=status).inc()
    LATENCY.labels(method=method, route=route).observe(time.perf_counter() - started)
    cache_lookup(hit)


def submission_accepted() -> None:
    """A submission was committed (a curator's at once, a submitter's once approved)."""
    SUBMISSIONS.labels(outcome="accepted").inc()


def submission_pending() -> None:
    """A submitter's valid submission now waits for a curator."""
    SUBMISSIONS.labels(outcome="pending").inc()


def submission_rejected() -> None:
    """A curator rejected a pending submission."""
    SUBMISSIONS.labels(outcome="rejected").inc()


def submission_invalid() -> None:
    """A submission failed its checks (answered 422); nothing changed."""
    SUBMISSIONS.labels(outcome="invalid").inc()


def pending_submissions(count: int) -> None:
    """How many submissions wait for approval now."""
    PENDING.set(count)


_served: set[str] = set()  # the versions this process has served


def release_served(version: str, triples: int) -> None:
    """This process now serves ``version`` from a store of ``triples`` triples."""
    for previous in _served - {version}:
        DATASET.labels(version=previous).set(0)
    _served.add(version)
    DATASET.labels(version=version).set(1)
    STORE_TRIPLES.set(triples)


def exposition() -> tuple[bytes, str]:
    """Every metric in the text format (added up over the workers in multiprocess mode), and
    its content type."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def worker_exited(pid: int) -> None:
    """Forget a dead worker's live gauges (gunicorn's ``child_exit`` hook)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)


def init_app(app: Flask) -> None:
    """Count every request and time it, by its route's rule (not its path: bounded labels)."""

    @app.before_request
    def _start() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _record(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        route = request.url_rule.rule if request.url_rule else UNMATCHED
        REQUESTS.labels(method=request.method, route=route,
                        status=str(response.status_code)).inc()
        if started is not None:
            LATENCY.labels(method=request.method, route=route).observe(
                time.perf_counter() - started)
        return response
