"""Random and mutated submissions never make the service fail (5xx), and a refused one
changes neither the data, its history nor the served store.

The app runs in process (Flask's test client) on copies of ``data/`` and the release, with a
curator's and a submitter's token. Bodies are random JSON, or a valid Table 1 submission with
one thing broken (a path outside the data, an unknown column or file, a wrong type, a missing
id, a value out of range, a hostile string).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import in_process_app
from tests.web.curated import CURATOR, SUBMITTER, bearer, make_place, row, tree_digest

HOSTILE = ["../../etc/passwd", "/etc/passwd", "tables/../../x.tsv", "data/../../x",
           "tables\\table1.tsv", "tables/table1.tsv\x00", "..", "", " ", "a" * 5000,
           "<script>alert(1)</script>", "'; DROP TABLE x; --", "${jndi:ldap://127.0.0.1/a}",
           "\u202e", "%2e%2e/%2e%2e/x"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(HOSTILE),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12)
VALID = {"file": "tables/table1.tsv", "rows": [row(id="fuzz-2025")], "note": "fuzz"}
KEYS = ["file", "rows", "corrections", "curation_notes", "section", "note", "source", "revert",
        "reason", "unknown"]


@st.composite
def mutated(draw) -> object:
    """A valid submission with one part replaced by something else (or random JSON)."""
    if draw(st.booleans()):
        return draw(JSON)
    body = json.loads(json.dumps(VALID))
    kind = draw(st.sampled_from(["key", "cell", "column", "file", "drop", "correction"]))
    if kind == "key":
        body[draw(st.sampled_from(KEYS))] = draw(JSON)
    elif kind == "cell":
        column = draw(st.sampled_from(sorted(VALID["rows"][0])))
        body["rows"][0][column] = draw(JSON | st.sampled_from(["120", "-1", "NaN", "1e999"]))
    elif kind == "column":
        body["rows"][0][draw(st.text(min_size=1, max_size=12))] = "1"
    elif kind == "file":
        body["file"] = draw(st.sampled_from(HOSTILE) | st.text(max_size=40))
    elif kind == "drop":
        del body["rows"][0][draw(st.sampled_from(sorted(VALID["rows"][0])))]
    else:
        body.pop("rows")
        body["corrections"] = [{"id": draw(st.sampled_from(["sabol-2014", "nobody", ""])),
                                "cells": {draw(st.sampled_from(["os_5y", "n", "zz"])):
                                          draw(JSON)},
                                "reason": draw(JSON)}]
    return body


@pytest.fixture(scope="module")
def curated(tmp_path_factory, release_dir):
    place = make_place(tmp_path_factory.mktemp("fuzz"), release_dir)
    app = in_process_app(place.release, TOKENS=place.tokens, DATA_DIR=place.data,
                         RATE_LIMIT_WRITES="off")
    return place, app.test_client()


@settings(max_examples=30, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=mutated(), token=st.sampled_from([CURATOR, SUBMITTER]),
       raw=st.booleans())
def test_mutated_submissions_never_fail_nor_change_anything(curated, body, token, raw):
    place, client = curated
    before = tree_digest(place.data, submissions=False)
    version = client.get("/healthz").json["version"]
    data = json.dumps(body).encode() if not raw else json.dumps(body).encode()[:-1]
    answer = client.post("/api/submissions", data=data, headers={
        **bearer(token), "Content-Type": "application/json"})
    assert answer.status_code < 500, answer.get_data(as_text=True)
    if answer.status_code in (201, 202):
        return  # accepted: a commit (or a pending submission) is expected to change things
    assert answer.status_code in (400, 422), answer.get_data(as_text=True)
    assert tree_digest(place.data, submissions=False) == before
    assert client.get("/healthz").json["version"] == version
    dry = client.post("/shacl", data=data, headers={"Content-Type": "application/json"})
    assert dry.status_code < 500
    assert tree_digest(place.data, submissions=False) == before
