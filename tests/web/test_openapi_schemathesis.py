"""Every operation of ``/api/openapi.json``, exercised by schemathesis against the app (WSGI).

Requests are generated from the document itself (derandomised, a bounded number per
operation, so the run is the same every time and short); each answer must not be a 5xx and
must match what the document says: status, media type, headers and body schema, and a request
the document calls valid must not be refused. The one rule the document cannot state for the
searches — a range's lower bound not above its upper bound (a 400 naming both) — is kept by
ordering the two bounds of each generated range.

The app curates: it was given a token file and a copy of ``data/`` (``tests/web/curated.py``),
and the write operations (submissions, approvals, rejections, reverts, the SHACL dry run) are
sent with its curator's bearer token. What a submission may contain beyond its JSON shape
(the file's columns, the SHACL shapes) is the gate's to say (422 with its report), so for the
writes a schema-valid body may be refused. Nothing generated here is a valid change, so no
commit is made; the curation tests commit real ones.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bclm_kg.search import FACETS
from bclm_kg.search.facets import RangeFacet

from .conftest import in_process_app
from .curated import CURATOR, bearer, make_place

MAX_EXAMPLES = 10  # per operation (besides the coverage phase's cases)
RANGES = [f.params for f in FACETS if isinstance(f, RangeFacet)]


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
    """Send write operations with the test curator's token, unless the case is about the
    token itself (sent without it, or with another value, to see it refused)."""
    data = getattr(case.meta.phase, "data", None) if case.meta else None
    about_token = getattr(data, "parameter", None) == "Authorization" or \
        "Authorization" in (case.headers or {})
    if case.method.upper() == "POST" and not about_token:
        case.headers = {**(case.headers or {}), **bearer(CURATOR)}


@pytest.fixture(scope="session")
def curating_app(fixture_release, tmp_path_factory) -> Flask:
    """The app on a copy of the fixture release and of ``data/``, taking submissions, with no
    rate limits (the limits are tested on their own)."""
    place = make_place(tmp_path_factory.mktemp("schemathesis"), fixture_release)
    return in_process_app(place.release, TOKENS=place.tokens, DATA_DIR=place.data,
                          RATE_LIMIT_READS="off", RATE_LIMIT_WRITES="off")


@pytest.fixture(scope="session")
def api_schema(curating_app) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", curating_app)
    schema.hooks.register_hook_with_name(ordered_ranges, "map_query")
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_every_operation_matches_the_document(case):
    authorize(case)
    writes = case.method.upper() == "POST"
    case.call_and_validate(excluded_checks=[positive_data_acceptance] if writes else [])


def test_every_path_of_the_document_is_exercised(curating_app):
    """The document lists the searches and questions, the operational routes and the curation
    routes (a route left out of it would go untested here)."""
    paths = set(curating_app.test_client().get("/api/openapi.json").json["paths"])
    assert {"/api/studies", "/api/arms", "/api/trials", "/api/ask", "/healthz", "/metrics",
            "/rdf-graph-store", "/api/submissions", "/api/submissions/{sid}",
            "/api/submissions/{sid}/approve", "/api/submissions/{sid}/reject", "/api/changes",
            "/api/changes/{cid}", "/api/changes/{cid}/revert", "/shacl"} <= paths


def test_nothing_generated_was_committed(curating_app, api_schema):
    """Only the import commit is in the history: no generated body was a valid change."""
    changes = curating_app.test_client().get("/api/changes").json["changes"]
    assert [c["message"].splitlines()[0] for c in changes] == ["Import curated data"]
