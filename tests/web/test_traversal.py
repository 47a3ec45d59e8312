"""No path reaches a file outside what the service serves. Secret files are planted beside the
release, inside it (not a published file) and named by absolute path; hostile paths (``../``,
``%2e%2e/``, double encoding, encoded slashes and backslashes, NUL, absolute paths, overlong
UTF-8) are sent to every route family, as a WSGI server hands them over (PATH_INFO decoded
once), through the test client and, for a fixed set, raw to the real server. No answer is a
server error and none contains a secret."""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import in_process_app, write_fixture_release

SECRET = "s3cr3t-beside-the-release"
INSIDE = "s3cr3t-inside-the-release"
CONFIG = Path(__file__).resolve().parents[2] / "bclm_kg" / "web" / "config.py"
CONFIG_LINE = CONFIG.read_text(encoding="utf-8").splitlines()[0]
MARKERS = (SECRET, INSIDE, "root:x:0:", CONFIG_LINE)

PREFIXES = ["/", "/static/", "/static/vendor/", "/download/", "/query/", "/figures/",
            "/.well-known/sparql-examples/", "/api/", "/api/studies.", "/study/", "/sparql/",
            "/ontology.", "/ontology/", "/prefixes.json/", "/graph/", "/evidence/",
            "/api/lookup?id=", "/download/bclm.ttl/",
            # the curation and Graph Store routes (404 where the service does not have them)
            "/api/submissions/", "/api/changes/", "/rdf-graph-store?graph=",
            "/rdf-graph-store?graph=file://"]
DOTS = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%c0%ae%c0%ae", "．．", "....",
        "..;", "..%00", "%u002e%u002e"]
SLASHES = ["/", "%2f", "%2F", "%252f", "\\", "%5c", "//", "%c0%af", "／"]
TARGETS = ["secret.txt", "release/secret.txt", "etc/passwd", "bclm_kg/web/config.py",
           "config.py", "web/config.py", "release.json", "bclm.trig", "%00", "\x00", ""]


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, Path]:
    """A release with a secret file inside it and another beside it."""
    root = tmp_path_factory.mktemp("traversal")
    release = write_fixture_release(root / "release")
    (root / "secret.txt").write_text(SECRET)
    (release / "secret.txt").write_text(INSIDE)
    return root, release


@pytest.fixture(scope="module")
def planted_app(planted):
    return in_process_app(planted[1], RATE_LIMIT_READS="off")


@st.composite
def hostile_paths(draw, root: Path) -> str:
    prefix = draw(st.sampled_from(PREFIXES))
    climb = draw(st.integers(min_value=0, max_value=7))
    slash = st.sampled_from(SLASHES)
    parts = [draw(st.sampled_from(DOTS)) + draw(slash) for _ in range(climb)]
    target = draw(st.one_of(
        st.sampled_from(TARGETS),
        st.just(str(root / "secret.txt")),  # an absolute path
        st.just(str(root / "secret.txt").replace("/", "%2f")),
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)))
    return prefix + "".join(parts) + target


def _send(app, raw: str):
    """``raw`` as a WSGI server passes it: PATH_INFO percent-decoded once (as Latin-1), the
    query string as is."""
    path, _, query = raw.partition("?")
    path_info = unquote_to_bytes(path).decode("latin-1")
    query = query.encode("utf-8").decode("latin-1")
    return app.test_client().get("/", environ_overrides={
        "PATH_INFO": path_info, "QUERY_STRING": query})


def _assert_safe(status: int, body: bytes, what: str) -> None:
    assert status < 500, (what, status, body[:300])
    text = body.decode("utf-8", "replace")
    for marker in MARKERS:
        assert marker not in text, (what, marker)


def test_hostile_paths_on_every_route_family(planted_app, planted):
    root = planted[0]

    @settings(max_examples=300, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(raw=hostile_paths(root))
    def check(raw: str) -> None:
        response = _send(planted_app, raw)
        _assert_safe(response.status_code, response.get_data(), raw)

    check()


@pytest.mark.parametrize("raw", [
    "/static/../../web/config.py", "/static/%2e%2e/%2e%2e/web/config.py",
    "/static/..%2f..%2fconfig.py", "/static/..\\config.py", "/download/..%2fsecret.txt",
    "/download/../secret.txt", "/download/secret.txt", "/download/%2e%2e%2fsecret.txt",
    "/secret.txt", "/release/secret.txt", "/../secret.txt", "/%2e%2e/secret.txt",
    "/study/..%2f..%2fsecret.txt", "/query/..%2f..%2fsecret", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd", "/static/vendor/..%2f..%2f..%2fconfig.py",
])
def test_known_traversals_through_the_client(planted_app, raw):
    response = _send(planted_app, raw)
    _assert_safe(response.status_code, response.get_data(), raw)
    assert response.status_code in (301, 308, 400, 404), (raw, response.status_code)


RAW = ["/static/../../web/config.py", "/static/%2e%2e/%2e%2e/web/config.py",
       "/static/..%2f..%2fweb%2fconfig.py", "/download/..%2fsecret.txt", "/../secret.txt",
       "/download/%252e%252e%252fsecret.txt", "/static/%00", "/static/..%5cconfig.py",
       "//etc/passwd", "/static//etc/passwd", "/.well-known/sparql-examples/..%2f..%2fsecret"]


def test_known_traversals_on_the_real_server(server, fixture_release):
    """Raw request lines (no client-side normalisation) to gunicorn, a secret beside and in the
    release it serves."""
    (fixture_release.parent / "secret.txt").write_text(SECRET)
    (fixture_release / "secret.txt").write_text(INSIDE)
    where = urlsplit(server.url)
    for raw in RAW:
        conn = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
        try:
            conn.putrequest("GET", raw, skip_accept_encoding=True)
            conn.endheaders()
            response = conn.getresponse()
            _assert_safe(response.status, response.read(), raw)
        finally:
            conn.close()
