"""The store backends behind one interface: embedded Oxigraph in memory and on disk, and remote
SPARQL stores (the Oxigraph server and Virtuoso Open Source, started here on 127.0.0.1) give the
same answers to every named query; the service runs on a remote store; the result cache; a
remote store going away and coming back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bclm_kg.project import parse_store
from bclm_kg.query.execute import Job, execute
from bclm_kg.query.store import KnowledgeStore, StoreSpec
from bclm_kg.web import create_app
from bclm_kg.web.queries import examples

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph")
pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server (PyPI package "
                                "oxigraph, in the test extras) is not installed")


class OxigraphServer:
    """``oxigraph serve-read-only`` on a store loaded with the release, on a loopback port."""

    def __init__(self, location: Path, port: int) -> None:
        self.location, self.port = location, port
        self.url = f"http://127.0.0.1:{port}/query"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [OXIGRAPH, "serve-read-only", "--location", str(self.location), "--bind",
             f"127.0.0.1:{self.port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        assert self.process.stdout is not None
        for line in self.process.stdout:  # blocks until the server says it listens
            if "Listening for requests" in line:
                return
        raise RuntimeError(f"oxigraph server exited with {self.process.wait()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture(scope="module")
def oxigraph_location(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("oxigraph-server")
    subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file",
                    str(release_dir / "bclm.trig")], check=True, capture_output=True)
    return location


@pytest.fixture(scope="module")
def oxigraph_server(oxigraph_location: Path) -> Iterator[OxigraphServer]:
    from tests.web.conftest import free_port

    server = OxigraphServer(oxigraph_location, free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    """Virtuoso Open Source (Debian's virtuoso-opensource) loaded with the release, or None
    where it is not installed (``make system-deps`` installs it)."""
    from tests import virtuoso as vos
    from tests.web.conftest import free_port

    if not vos.available():
        yield None
        return
    server = vos.Virtuoso(tmp_path_factory.mktemp("virtuoso"), free_port(), free_port())
    server.start()
    try:
        server.load(release_dir / "bclm.trig")
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def stores(release_dir: Path, oxigraph_server: OxigraphServer, virtuoso: str | None,
           tmp_path_factory: pytest.TempPathFactory) -> dict[str, KnowledgeStore]:
    trig = release_dir / "bclm.trig"
    disk = tmp_path_factory.mktemp("disk") / "store"
    found = {"memory": StoreSpec(trig).open(), "oxigraph on disk": StoreSpec(trig, disk).open(),
             "sparql (Oxigraph server)": StoreSpec(trig, remote=oxigraph_server.url).open()}
    if virtuoso is not None:
        found["sparql (Virtuoso)"] = StoreSpec(trig, remote=virtuoso).open()
    return found


def test_virtuoso_is_among_the_backends(stores: dict) -> None:
    if "sparql (Virtuoso)" not in stores:
        pytest.skip("Virtuoso (Debian package virtuoso-opensource) is not installed")
    assert len(stores) == 4


def answer(store: KnowledgeStore, text: str, inference: bool = True) -> list:
    outcome = execute(store, Job(text, "json", "ntriples", inference=inference))
    assert outcome.status == "ok", outcome.message
    rows = json.loads(outcome.body)["results"]["bindings"]
    # SPARQL leaves GROUP_CONCAT's order, and whether a common language tag is kept, to the
    # engine (Oxigraph keeps it, Virtuoso does not)
    concatenated = re.findall(r"GROUP_CONCAT\((.*?)\)\s+AS\s+\?(\w+)", text, re.S | re.I)
    for row in rows:
        for arguments, name in concatenated:
            separator = re.search(r'separator\s*=\s*"([^"]*)"', arguments, re.I)
            sep = separator.group(1) if separator else " "
            if name in row:
                row[name].pop("xml:lang", None)
                row[name]["value"] = sep.join(sorted(row[name]["value"].split(sep)))
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


@pytest.mark.parametrize("named", examples(), ids=[q.name for q in examples()])
def test_every_backend_gives_the_same_answer(stores: dict, named) -> None:
    answers = {name: answer(store, named.text) for name, store in stores.items()}
    reference = answers.pop("memory")
    assert reference  # every example query has an answer on the real release
    for name, rows in answers.items():
        assert rows == reference, name


def test_inference_off_leaves_out_the_inferred_graph(stores: dict) -> None:
    text = ("PREFIX bclm: <https://w3id.org/bclm-kg/ontology/> "
            "SELECT (COUNT(*) AS ?n) WHERE { ?s a bclm:EuropeanResectionStudy }")
    for name, store in stores.items():
        with_inference, without = answer(store, text), answer(store, text, inference=False)
        assert '"value": "0"' in without[0], name
        assert with_inference != without, name


def test_entity_description_is_the_same(stores: dict) -> None:
    import pyoxigraph as ox

    study = ox.NamedNode("https://w3id.org/bclm-kg/study/ruiz-2017")
    described = {name: sorted(map(str, store.describe(study))) for name, store in stores.items()}
    reference = described.pop("memory")
    assert any("bclm-kg/ontology/leadCountry" in t for t in reference)
    for name, triples in described.items():
        assert triples == reference, name


@pytest.fixture(scope="module")
def remote_client(release_dir: Path, oxigraph_server: OxigraphServer) -> FlaskClient:
    return create_app({"RELEASE_DIR": release_dir, "STORE_URL": oxigraph_server.url,
                       "QUERY_WORKERS": 0, "ACCESS_LOG": False,
                       "RESULT_CACHE_BYTES": 0}).test_client()


@pytest.fixture(scope="module")
def memory_client(release_dir: Path) -> FlaskClient:
    return create_app({"RELEASE_DIR": release_dir, "QUERY_WORKERS": 0,
                       "ACCESS_LOG": False}).test_client()


QUERY = "/query/03-trials"
JSON = {"Accept": "application/sparql-results+json"}


def test_service_on_a_remote_store(remote_client: FlaskClient,
                                   memory_client: FlaskClient) -> None:
    remote, memory = remote_client.get(QUERY, headers=JSON), memory_client.get(QUERY, headers=JSON)
    assert remote.status_code == memory.status_code == 200
    assert remote.get_json() == memory.get_json()
    assert len(memory.get_json()["results"]["bindings"]) == 8  # the review's registered trials
    page = {"Accept": "application/n-triples"}
    remote = remote_client.get("/study/ruiz-2017", headers=page)
    memory = memory_client.get("/study/ruiz-2017", headers=page)
    assert remote.status_code == 200
    assert sorted(remote.text.splitlines()) == sorted(memory.text.splitlines())
    html = {"Accept": "text/html"}
    remote = remote_client.get("/study/ruiz-2017", headers=html)
    memory = memory_client.get("/study/ruiz-2017", headers=html)
    assert remote.status_code == 200
    # the same page; lists built from unordered query results may come in another order
    assert sorted(re.split(r"[;\n]", remote.text)) == sorted(re.split(r"[;\n]", memory.text))


def test_remote_store_away_then_back(remote_client: FlaskClient,
                                     oxigraph_server: OxigraphServer) -> None:
    oxigraph_server.stop()
    try:
        down = remote_client.get(QUERY, headers=JSON)
        assert down.status_code == 503
        assert "did not answer" in down.text and oxigraph_server.url in down.text
        page = remote_client.get("/study/ruiz-2017", headers={"Accept": "text/turtle"})
        assert page.status_code == 503
    finally:
        oxigraph_server.start()
    assert remote_client.get(QUERY, headers=JSON).status_code == 200


def test_repeated_query_comes_from_the_cache(memory_client: FlaskClient) -> None:
    query = "/query/06-resection-studies"
    first = memory_client.get(query, headers=JSON)
    again = memory_client.get(query, headers=JSON)
    other_format = memory_client.get(query, headers={"Accept": "text/csv"})
    without_inference = memory_client.get(query + "?inference=false", headers=JSON)
    assert first.headers["X-Query-Cache"] == "miss"
    assert again.headers["X-Query-Cache"] == "hit" and again.data == first.data
    assert other_format.headers["X-Query-Cache"] == "miss"
    assert without_inference.headers["X-Query-Cache"] == "miss"


@pytest.mark.parametrize(("setting", "expected"), [
    ("memory", (None, None)),
    ("sparql:http://127.0.0.1:7878/query", (None, "http://127.0.0.1:7878/query")),
])
def test_store_setting(setting: str, expected: tuple) -> None:
    assert parse_store(setting) == expected


def test_store_setting_paths_and_errors(tmp_path: Path) -> None:
    assert parse_store("oxigraph:store", tmp_path) == (tmp_path / "store", None)
    assert parse_store(str(tmp_path / "x"), tmp_path) == (tmp_path / "x", None)
    with pytest.raises(ValueError, match="sparql: must be followed by an http"):
        parse_store("sparql:nowhere")
