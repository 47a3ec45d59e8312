"""Mappings as data: the SSSOM file validates with the ``sssom`` package, cannot drift from the
ontology, and is served as TSV and RDF with the JSON-LD context and the prefix map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Namespace, URIRef

from bclm_kg.errors import SourceError
from bclm_kg.linking.mappings import check_mappings, sssom_graph
from bclm_kg.ontology import MAPPINGS_FILE, load_ontology

SSSOM = Namespace("https://w3id.org/sssom/")
OWL_AXIOM = URIRef("http://www.w3.org/2002/07/owl#Axiom")
ROWS = 73  # mapping rows of ontology/mappings.sssom.tsv


def test_sssom_file_validates_with_the_sssom_package() -> None:
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(MAPPINGS_FILE)
    assert len(msdf.df) == ROWS
    report = validate(msdf, [SchemaValidationType.JsonSchema,
                             SchemaValidationType.PrefixMapCompleteness], fail_on_error=False)
    assert all(not result.results for result in report.values()), report


def test_rdf_form_is_the_sssom_packages() -> None:
    from rdflib.compare import isomorphic
    from sssom.parsers import parse_sssom_table
    from sssom.writers import to_rdf_graph

    reference = to_rdf_graph(parse_sssom_table(MAPPINGS_FILE))
    assert isomorphic(sssom_graph(), reference)


def test_drift_stops_the_build(tmp_path: Path) -> None:
    ontology = load_ontology()
    check_mappings(ontology)  # the checked-in pair agrees
    lines = MAPPINGS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    first_row = next(n for n, line in enumerate(lines) if line.startswith("bclm:"))
    mutated = tmp_path / "mappings.sssom.tsv"
    mutated.write_text("".join(lines[:first_row]) + lines[first_row].replace(
        "skos:exactMatch", "skos:closeMatch", 1) + "".join(lines[first_row + 1:]),
        encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        check_mappings(ontology, mutated)
    assert f"mappings.sssom.tsv:{first_row + 1}" in str(caught.value)
    assert "bclm/ontology/Ablation" in str(caught.value) or "Ablation" in str(caught.value)


def test_sssom_served_as_tsv_and_rdf(client: FlaskClient) -> None:
    tsv = client.get("/mappings.sssom.tsv")
    assert tsv.status_code == 200 and tsv.mimetype == "text/tab-separated-values"
    assert tsv.data == MAPPINGS_FILE.read_bytes()
    ttl = client.get("/mappings.sssom.ttl")
    assert ttl.status_code == 200 and ttl.mimetype == "text/turtle"
    graph = Graph().parse(data=ttl.data, format="turtle")
    axioms = list(graph.subjects(predicate=URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                                                  "type"), object=OWL_AXIOM))
    assert len(axioms) == ROWS
    assert (None, SSSOM.mapping_justification, None) in graph


def test_prefix_map_and_context_published(client: FlaskClient) -> None:
    records = json.loads(client.get("/prefixes.json").data)
    ncit = next(r for r in records if r["prefix"] == "ncit")
    assert ncit["uri_prefix"] == "http://purl.obolibrary.org/obo/NCIT_"
    assert "NCIT" in ncit["prefix_synonyms"]
    assert "https://identifiers.org/ncit:" in ncit["uri_prefix_synonyms"]
    context = json.loads(client.get("/context.jsonld").data)["@context"]
    assert context["bclm"] == "https://w3id.org/bclm-kg/ontology/"
    assert context["hasArm"] == {"@id": "https://w3id.org/bclm-kg/ontology/hasArm",
                                 "@type": "@id"}
