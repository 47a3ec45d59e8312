"""The answer cache in front of the app: repeated queries answered from finished responses,
never across releases or formats, bounded by the real size of what it keeps."""

from __future__ import annotations

import logging

import pytest

from bclm_kg.query.cache import ResultCache, size_of

from .conftest import in_process_app

# The fixture release's three published studies.
QUERY = ("PREFIX bclm: <https://w3id.org/bclm-kg/ontology/>\n"
         "SELECT ?s WHERE { ?s a bclm:PublishedStudy } ORDER BY ?s")
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(params=["off", "1200 per minute"], ids=["before-flask", "after-rate-limit"])
def cached_app(fixture_release, request):
    """Hits answered before Flask (queries not rate-limited) or after the limiter."""
    app = in_process_app(fixture_release, RESULT_CACHE_BYTES=1024 * 1024,
                         RATE_LIMIT_READS=request.param)
    yield app
    app.extensions["bclm"].pool.close()


def studies(response) -> list[str]:
    return [b["s"]["value"].rsplit("/", 1)[-1] for b in response.json["results"]["bindings"]]


def test_repeated_query_is_the_same_answer_from_the_cache(cached_app) -> None:
    client = cached_app.test_client()
    first = client.get("/sparql", query_string={"query": QUERY}, headers=JSON)
    again = client.get("/sparql", query_string={"query": QUERY}, headers=JSON)
    assert first.headers["X-Query-Cache"] == "miss"
    assert again.headers["X-Query-Cache"] == "hit"
    assert again.data == first.data
    assert studies(again) == ["ruiz-2017", "verriest-2015", "vogl-2023"]
    assert again.content_type == first.content_type
    assert again.mimetype == "application/sparql-results+json"
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert again.headers["Vary"] == first.headers["Vary"]


def test_never_across_formats(cached_app) -> None:
    client = cached_app.test_client()
    client.get("/sparql", query_string={"query": QUERY}, headers=JSON)
    as_csv = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": "text/csv"})
    by_param = client.get("/sparql", query_string={"query": QUERY, "format": "tsv"},
                          headers=JSON)
    assert as_csv.headers["X-Query-Cache"] == "miss" and as_csv.text.startswith("s\r\n")
    assert by_param.headers["X-Query-Cache"] == "miss" and by_param.text.startswith("?s\n")
    again = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": "text/csv"})
    assert again.headers["X-Query-Cache"] == "hit" and again.data == as_csv.data


def test_never_across_releases(cached_app) -> None:
    """A new release (here: the same version published again with another dataset) misses."""
    client = cached_app.test_client()
    service = cached_app.extensions["bclm"]
    client.get("/sparql", query_string={"query": QUERY}, headers=JSON)
    files = service.manifest.setdefault("files", {})
    before = files.get("bclm.trig")
    files["bclm.trig"] = "0" * 64
    try:
        after = client.get("/sparql", query_string={"query": QUERY}, headers=JSON)
        assert after.headers["X-Query-Cache"] == "miss"
    finally:
        files["bclm.trig"] = before


def test_failures_and_posts_are_not_kept(cached_app) -> None:
    client = cached_app.test_client()
    for _ in range(2):
        bad = client.get("/sparql", query_string={"query": "SELECT ?s WHERE {"}, headers=JSON)
        assert bad.status_code == 400 and "X-Query-Cache" not in bad.headers
    for _ in range(2):
        posted = client.post("/sparql", data={"query": QUERY}, headers=JSON)
        assert posted.status_code == 200
    # a POST may be answered from the query-outcome cache, never from a kept GET response
    assert studies(posted) == ["ruiz-2017", "verriest-2015", "vogl-2023"]


@pytest.mark.parametrize("limit", ["off", "1200 per minute"])
def test_hit_is_logged_with_its_route(fixture_release, caplog, limit) -> None:
    app = in_process_app(fixture_release, RESULT_CACHE_BYTES=1024 * 1024, ACCESS_LOG=True,
                         RATE_LIMIT_READS=limit)
    client = app.test_client()
    logger = logging.getLogger("bclm_kg.access")
    logger.addHandler(caplog.handler)
    try:
        client.get("/query/03-trials", headers=JSON)
        client.get("/query/03-trials", headers=JSON)
    finally:
        logger.removeHandler(caplog.handler)
        app.extensions["bclm"].pool.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "bclm_kg.access"]
    assert len(lines) == 2
    assert '"route":"/query/<name>"' in lines[1] and '"cache":"hit"' in lines[1]
    assert '"cache":"miss"' in lines[0]


def test_bound_counts_real_size() -> None:
    cache = ResultCache(max_bytes=40_000)
    body = b"x" * 5_000
    for n in range(20):
        cache.put_sized(("k", n), body, size_of((("k", n), body)))
    assert cache.bytes <= 40_000
    assert len(cache) == 40_000 // size_of((("k", 0), body))  # only the newest fit
    assert cache.get(("k", 19)) is body and cache.get(("k", 0)) is None
    cache.put_sized(("big",), b"", 10_001)  # over a quarter of the cache: not kept
    assert cache.get(("big",)) is None
