"""Every operation of ``/api/openapi.json``, exercised by schemathesis against the app (WSGI).

Requests are generated from the document itself (derandomised, a bounded number per
operation, so the run is the same every time and short); each answer must not be a 5xx and
must match what the document says: status, media type, headers and body schema, and a request
the document calls valid must not be refused. The one rule the document cannot state — a
range's lower bound not above its upper bound (a 400 naming both) — is kept by ordering the
two bounds of each generated range.

Write operations (curation: submissions, approvals, reverts) need a bearer token: when the
document has any, ``WRITE_TOKEN`` is what they are sent with (see :func:`authorize`).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from bclm_kg.search import FACETS
from bclm_kg.search.facets import RangeFacet

MAX_EXAMPLES = 15  # per operation (besides the coverage phase's cases)
RANGES = [f.params for f in FACETS if isinstance(f, RangeFacet)]
WRITE_TOKEN = None  # a curator's token of the test token file, once the write routes exist


def ordered_ranges(context: Any, query: dict[str, Any] | None) -> dict[str, Any] | None:
    """Swap a generated range's bounds when the lower one is above the upper one."""
    if not query:
        return query
    for low, high in RANGES:
        if isinstance(query.get(low), int | float) and isinstance(query.get(high), int | float) \
                and query[low] > query[high]:
            query[low], query[high] = query[high], query[low]
    return query


def authorize(case: schemathesis.Case) -> None:
    """Send write operations with the test curator's token (nothing to do for reads)."""
    if case.method.upper() != "GET" and WRITE_TOKEN is not None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {WRITE_TOKEN}"}


@pytest.fixture(scope="session")
def api_schema(app) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    schema.hooks.register_hook_with_name(ordered_ranges, "map_query")
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_every_operation_matches_the_document(case):
    authorize(case)
    case.call_and_validate()


def test_every_path_of_the_document_is_exercised(client):
    """The document lists the search and question operations and the operational ones (a route
    left out of it would go untested here)."""
    paths = set(client.get("/api/openapi.json").json["paths"])
    assert {"/api/studies", "/api/arms", "/api/trials", "/api/ask", "/healthz", "/metrics",
            "/rdf-graph-store"} <= paths
