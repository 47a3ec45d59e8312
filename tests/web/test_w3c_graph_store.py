"""The W3C SPARQL 1.1 Graph Store Protocol manifest, run against ``/rdf-graph-store``.

The service's graph store is read-only (the data change through curation), so each test is
run the way a read-only store can answer it: every write (``PUT``, ``POST``, ``DELETE``) must
get 405 with ``Allow: GET, HEAD`` and a pointer to ``POST /api/submissions``; every read
(``GET``, ``HEAD``) is sent to a service whose store holds what the writes before it would
have left — the graph the read expects back (its expected body, else the last body written to
that graph), or no such graph where the read expects 404; nothing else, so that the default
graph (the union of the named graphs) is that graph alone — and must answer with the expected
status, media type and an isomorphic graph. Tests of direct graph identification
(``/gsp/person/1.ttl``) are skipped: this store names graphs indirectly (``?graph=IRI``). The
manifest comes from the shared reference material; without it these tests are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.shared import missing_reason, shared_path

from .conftest import in_process_app
from .w3c_manifest import (
    HT,
    MF,
    body_of,
    check_status,
    expected_statuses,
    headers_of,
    load_tests,
    method_of,
    path_of,
    requests_of,
    send,
)

GSP_DIR = "reference/w3c-graph-store-protocol"
MANIFEST_NAME = f"{GSP_DIR}/manifest.ttl"
MANIFEST = shared_path(MANIFEST_NAME)
PREFIX, OURS = "/gsp", "/rdf-graph-store"
WRITES = {"PUT", "POST", "DELETE", "PATCH"}
DEFAULT_HOLDER = "urn:x-test:default"  # the named graph whose union is the default graph

TESTS = load_tests(MANIFEST) if MANIFEST is not None else []


def requires(graph: rdflib.Graph, test) -> set[str]:
    return {str(r).rsplit("#", 1)[1] for r in graph.objects(test, MF.requires)}


def graph_iri(path: str) -> str | None:
    """The graph a request names (``graph=``), or None for the default graph."""
    graphs = parse_qs(urlsplit(path).query).get("graph")
    return graphs[0] if graphs else None


class ReadOnlyStores:
    """Services over an empty release with one graph, made once per graph and content."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.release = folder / "release"
        self.release.mkdir()
        (self.release / "bclm.trig").write_bytes(b"")
        (self.release / "release.json").write_text('{"version": "0.0.0-test", "counts": {}}')
        self.clients: dict = {}

    def client(self, iri: str | None, turtle: bytes | None):
        key = (iri, turtle)
        if key not in self.clients:
            extra = []
            if turtle is not None:
                file = self.folder / f"graph-{len(self.clients)}.ttl"
                file.write_bytes(turtle)
                extra = [(iri or DEFAULT_HOLDER, file)]
            app = in_process_app(self.release, EXTRA_GRAPHS=extra)
            self.clients[key] = app.test_client()
        return self.clients[key]


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> ReadOnlyStores:
    return ReadOnlyStores(tmp_path_factory.mktemp("gsp-graphs"))


def check_write_refused(response) -> None:
    assert response.status_code == 405, response.data[:300]
    assert response.headers["Allow"] == "GET, HEAD"
    body = json.loads(response.data)
    assert body["submit"]["method"] == "POST"
    assert body["submit"]["href"].endswith("/api/submissions")


def check_read(graph: rdflib.Graph, req, response) -> None:
    check_status(graph, req, response)
    expected = graph.value(req, HT.resp)
    wanted = headers_of(graph, expected).get("content-type")
    if wanted is not None:
        assert response.headers["Content-Type"] == wanted
    body = body_of(graph, expected)
    if body is not None and method_of(graph, req) == "GET":
        got = rdflib.Graph().parse(data=response.data, format="turtle")
        assert isomorphic(got, rdflib.Graph().parse(data=body, format="turtle")), \
            response.data.decode()


PARAMS = [pytest.param(*t, id=t[0]) for t in TESTS] or [pytest.param(
    None, None, None, id="manifest", marks=pytest.mark.skip(reason=missing_reason(MANIFEST_NAME)))]


@pytest.mark.parametrize(("name", "graph", "test"), PARAMS)
def test_w3c_graph_store(stores, name, graph, test):
    if "DirectGraphIdentification" in requires(graph, test):
        pytest.skip("needs direct graph identification (the request URL as the graph's name): "
                    "this store names graphs indirectly, with ?graph=IRI or ?default")
    written: dict[str | None, bytes] = {}  # what each write would have left in a graph
    for req in requests_of(graph, test):
        method = method_of(graph, req)
        path = path_of(graph, req, PREFIX, OURS)
        if method in WRITES:
            # Read-only: every write is refused, pointing to curation (POST /api/submissions).
            check_write_refused(send(stores.client(None, None), graph, req, PREFIX, OURS))
            body = body_of(graph, req)
            if body is not None and "multipart" not in headers_of(graph, req).get(
                    "content-type", ""):
                written[graph_iri(path)] = body
            continue
        if "$LOCATION$" in path:
            pytest.skip("reads the graph a POST to the store would have created (its Location): "
                        "the POST was refused with 405, graphs are created through curation")
        iri = graph_iri(path)
        expected = body_of(graph, graph.value(req, HT.resp))
        found = not expected_statuses(graph, req) & {"4", "404"}
        turtle = (expected or written.get(iri)) if found else None
        check_read(graph, req, send(stores.client(iri, turtle), graph, req, PREFIX, OURS))


@pytest.mark.skipif(MANIFEST is None, reason=missing_reason(MANIFEST_NAME))
def test_manifest_is_complete():
    names = [t[0] for t in TESTS]
    assert len(names) == 13
    assert sum(n.endswith("_direct") for n in names) == 4
    assert {"head_existing_indirect", "head_non_existing_indirect", "put_get_default"} <= \
        set(names)
