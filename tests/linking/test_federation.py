"""Federation through the allowlist, against a second real SPARQL server on loopback (the
Oxigraph server): joined with our studies when allowlisted, refused otherwise, no redirect out
of the allowlist, no private address unless listed explicitly; ``bclm-kg enrich``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from bclm_kg.linking.allowlist import Allowlist, FederationRefused
from bclm_kg.linking.external import external_graph
from bclm_kg.linking.federation import find_services, resolve, values_block

from .conftest import Mirror, Redirector, free_port

ROOT = Path(__file__).resolve().parents[2]
NCIT_RFA = URIRef("http://purl.obolibrary.org/obo/NCIT_C15666")
NCIT_ABLATION = URIRef("http://purl.obolibrary.org/obo/NCIT_C20985")

JOIN = """PREFIX bclm: <https://w3id.org/bclm-kg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?study ?term WHERE {
  SERVICE <%s> { ?term rdfs:label "Radiofrequency Ablation" }
  ?class skos:exactMatch ?term .
  ?intervention a ?class .
  ?study bclm:hasArm/bclm:involvesIntervention ?intervention .
}"""


def post(client: FlaskClient, query: str):
    return client.post("/sparql", data={"query": query},
                       headers={"Accept": "application/sparql-results+json"})


def test_allowlisted_service_joins_with_our_studies(federated: FlaskClient,
                                                    mirror: Mirror) -> None:
    response = post(federated, JOIN % mirror.url)
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = response.get_json()["results"]["bindings"]
    assert len({r["study"]["value"] for r in rows}) == 17  # the RFA studies of Tables 1-2 + 1
    assert {r["term"]["value"] for r in rows} == {str(NCIT_RFA)}
    assert response.headers["X-Query-Federated"] == "mirror=1"


def test_same_query_refused_without_allowlist(client: FlaskClient, mirror: Mirror) -> None:
    response = post(client, JOIN % mirror.url)
    assert response.status_code == 400
    assert "SERVICE" in response.get_data(as_text=True)


def test_service_to_unlisted_loopback_port_refused(federated: FlaskClient) -> None:
    response = post(federated, JOIN % f"http://127.0.0.1:{free_port()}/query")
    assert response.status_code == 400
    assert "not an allowlisted endpoint" in response.get_data(as_text=True)


def test_redirect_out_of_the_allowlist_refused(redirector: Redirector, mirror: Mirror) -> None:
    # The redirector is listed; the mirror it redirects to is a working endpoint, not listed.
    only_redirector = Allowlist.from_setting({"redirector": {"url": redirector.url}})
    with pytest.raises(FederationRefused) as caught:
        resolve(JOIN % redirector.url, only_redirector)
    assert f"redirected to {mirror.url}, which is not an allowlisted endpoint" in str(
        caught.value)
    both = Allowlist.from_setting({"redirector": {"url": redirector.url},
                                   "mirror": {"url": mirror.url}})
    assert resolve(JOIN % redirector.url, both).calls[0].rows == 1


def test_redirect_refused_through_the_endpoint(federated: FlaskClient,
                                               redirector: Redirector) -> None:
    # Listed here: the redirector and the mirror's /query; the redirect goes to another path.
    response = post(federated, JOIN % (redirector.url + "-elsewhere"))
    text = response.get_data(as_text=True)
    assert response.status_code == 400, text
    assert "redirected to" in text and "not an allowlisted endpoint" in text


def test_private_address_under_a_host_name_refused(federated: FlaskClient,
                                                   mirror: Mirror) -> None:
    response = post(federated, JOIN % f"http://localhost:{mirror.port}/query")
    text = response.get_data(as_text=True)
    assert response.status_code == 400, text
    assert "non-public address" in text


def test_row_cap_per_endpoint(mirror: Mirror) -> None:
    allowlist = Allowlist.from_setting({"m": {"url": mirror.url, "max_rows": 2}})
    query = f"SELECT * WHERE {{ SERVICE <{mirror.url}> {{ ?s <{RDFS.label}> ?l }} }}"
    resolved = resolve(query, allowlist)
    [call] = resolved.calls
    assert (call.rows, call.truncated) == (2, True)


def test_failed_silent_service_is_empty(mirror: Mirror) -> None:
    dead = f"http://127.0.0.1:{free_port()}/query"
    allowlist = Allowlist.from_setting({"dead": {"url": dead, "timeout": 2}})
    resolved = resolve(f"SELECT * WHERE {{ SERVICE SILENT <{dead}> {{ ?s ?p ?o }} }}",
                       allowlist)
    assert resolved.calls[0].error and "SERVICE" not in resolved.query


def test_service_clauses_found_past_strings_and_comments() -> None:
    text = ('PREFIX ex: <http://127.0.0.1:1/>\n# SERVICE { in a comment\n'
            'SELECT * { ?s ?p "SERVICE {" SERVICE ex:q { ?a ?b "}" . { ?c ?d ?e } } }')
    [clause] = find_services(text)
    assert clause.target == "http://127.0.0.1:1/q"
    assert clause.pattern == ' ?a ?b "}" . { ?c ?d ?e } '
    with pytest.raises(FederationRefused):
        find_services("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }")


def test_values_block_escapes_terms() -> None:
    block = values_block(["x", "y"], [{"x": {"type": "literal", "value": 'a "b"\n'},
                                       "y": {"type": "bnode", "value": "b0"}}])
    assert block == '{ VALUES (?x ?y) { ("a \\"b\\"\\n" UNDEF) } }'


def test_enrich_against_the_mirror(release_dir: Path, mirror: Mirror, tmp_path: Path) -> None:
    allowlist = tmp_path / "federation.json"
    allowlist.write_text(json.dumps({"mirror": {"url": mirror.url}}), encoding="utf-8")
    data = tmp_path / "data"
    done = subprocess.run([sys.executable, "-m", "bclm_kg.cli", "enrich", "--endpoint", "mirror",
                           "--allowlist", str(allowlist), "--release", str(release_dir),
                           "--data", str(data)], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    # 170 mapped external terms: 151 before the alignment with OBI, STATO, UO and NCIt added 19
    assert "170 terms asked; 3 labels, 2 definitions, 1 parents fetched" in done.stdout
    fetched = Graph().parse(data / "external" / "mirror.ttl", format="turtle")
    assert fetched.value(NCIT_RFA, SKOS.definition) == Literal(
        "Test definition served by the mirror for radiofrequency ablation.")
    assert (NCIT_RFA, RDFS.subClassOf, NCIT_ABLATION) in fetched
    assert (URIRef("http://example.org/unmapped-term"), None, None) not in fetched
    axiom = next(fetched.subjects(OWL.annotatedTarget, NCIT_ABLATION))
    assert fetched.value(axiom, PROV.wasDerivedFrom) == URIRef(mirror.url)
    activity = fetched.value(axiom, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in fetched
    # The next build puts it into graph/external.
    external = external_graph([], data)
    assert (NCIT_RFA, RDFS.subClassOf, NCIT_ABLATION) in external


def test_enrich_refuses_an_unlisted_endpoint(release_dir: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bclm_kg.cli", "enrich", "--endpoint", "other",
                           "--allowlist", '{"mirror": {"url": "http://127.0.0.1:9/q"}}',
                           "--release", str(release_dir), "--data", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1
    assert "no allowlisted endpoint named 'other'" in done.stderr


def test_service_after_an_escaped_iri_is_still_found(client: FlaskClient) -> None:
    # An IRI with a \u escape ends before the '#': nothing after it is a comment.
    query = ("SELECT * WHERE { ?s ?p <http://example.org/\\u0041#> . "
             f"SERVICE <http://127.0.0.1:{free_port()}/q> {{ ?a ?b ?c }} }}")
    assert len(find_services(query)) == 1
    response = post(client, query)
    assert response.status_code == 400 and "SERVICE" in response.get_data(as_text=True)
