"""Linked Data: minted IRIs dereference to HTML pages and RDF, by Accept or by extension."""

from __future__ import annotations

import re

import pytest
import rdflib

KG = rdflib.Namespace("https://w3id.org/bclm-kg/")
BCLM = rdflib.Namespace("https://w3id.org/bclm-kg/ontology/")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

RESOURCES = ["study/verriest-2015", "trial/NCT04079049", "intervention/hr",
             "factor/r0-resection", "reference/13", "ontology/HepaticResection",
             "study/vogl-2023/arm/mwa", "study/verriest-2015/arm/hr/os-5y", "ontology",
             "graph/inferred", "review/jiang-2024/table-1/row-8", "place/de"]
RDF_TYPES = [("text/turtle", "ttl", "turtle"), ("application/ld+json", "jsonld", "json-ld"),
             ("application/n-triples", "nt", "nt"), ("application/rdf+xml", "rdf", "xml")]


@pytest.mark.parametrize("path", RESOURCES)
def test_browser_gets_html(client, path):
    r = client.get(f"/{path}", headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert str(KG[path]) in r.text
    assert "Accept" in r.headers["Vary"]


@pytest.mark.parametrize(("accept", "ext", "rdflib_format"), RDF_TYPES)
@pytest.mark.parametrize("path", RESOURCES)
def test_rdf_by_accept_and_extension(client, path, accept, ext, rdflib_format):
    by_accept = client.get(f"/{path}", headers={"Accept": accept})
    by_ext = client.get(f"/{path}.{ext}")
    for r in (by_accept, by_ext):
        assert r.status_code == 200
        assert r.headers["Content-Type"].split(";")[0] == accept
        graph = rdflib.Graph().parse(data=r.data, format=rdflib_format)
        assert (KG[path], None, None) in graph or (None, None, KG[path]) in graph
    assert by_accept.headers["Content-Location"] == f"/{path}.{ext}"
    assert f'</{path}.ttl>; rel="alternate"' in by_accept.headers["Link"]


def test_default_for_any_is_turtle(client):
    r = client.get("/study/verriest-2015", headers={"Accept": "*/*"})
    assert r.headers["Content-Type"].startswith("text/turtle")


def test_description_has_out_in_and_closure(client):
    g = rdflib.Graph().parse(data=client.get("/intervention/hr.ttl").data, format="turtle")
    hr = KG["intervention/hr"]
    assert (hr, rdflib.RDFS.label, rdflib.Literal("hepatic resection", lang="en")) in g
    assert (KG["study/verriest-2015/arm/hr"], BCLM.receivesIntervention, hr) in g  # inbound
    onto = rdflib.Graph().parse(data=client.get("/ontology/ResectionStudy.ttl").data,
                                format="turtle")
    assert len(list(onto.objects(None, rdflib.OWL.someValuesFrom))) == 2  # blank-node closure


def test_unknown_resource_is_404(client):
    assert client.get("/study/nobody-1900").status_code == 404
    assert client.get("/study/nobody-1900.ttl").status_code == 404
    assert client.get("/study/verriest-2015.pdf").status_code == 404


def test_unacceptable_resource_format(client):
    assert client.get("/study/verriest-2015", headers={"Accept": "image/png"}).status_code == 406


def test_study_page_content(client):
    html = client.get("/study/verriest-2015", headers={"Accept": BROWSER}).text
    assert "<h1>Verriest 2015" in html
    assert "Table 1, row 8" in html  # where the review states it
    assert "Stated in the review" in html
    assert 'href="/intervention/hr"' in html and "肝切除术" in html  # labelled link, zh label
    assert 'href="/reference/13"' in html
    assert "116" in html and "78" in html  # the arm's outcomes, shown inline
    assert "resection study" in html and "inferred" in html  # a type added by the reasoner
    assert 'href="/place/us"' in html and "美国" in html


def test_intervention_page_lists_studies(client):
    html = client.get("/intervention/hr", headers={"Accept": BROWSER}).text
    section = html.split("Studies using this intervention", 1)[1].split("</ul>", 1)[0]
    assert set(re.findall(r'href="/(study/[^"]+|trial/[^"]+)"', section)) == {
        "study/verriest-2015", "study/ruiz-2017", "trial/NCT04079049"}
    assert "Linked from" in html


def test_out_links(client):
    ref = client.get("/reference/13", headers={"Accept": BROWSER}).text
    assert 'href="https://doi.org/10.1007/s00268-015-3171-1"' in ref
    trial = client.get("/trial/NCT04079049", headers={"Accept": BROWSER}).text
    assert 'href="https://clinicaltrials.gov/study/NCT04079049"' in trial
    chictr = client.get("/trial/ChiCTR2100041979", headers={"Accept": BROWSER}).text
    assert "ChiCTR2100041979" in chictr and "trialsearch.who.int" in chictr
    term = client.get("/ontology/HepaticResection", headers={"Accept": BROWSER}).text
    assert 'href="http://purl.obolibrary.org/obo/NCIT_C15249"' in term
    assert "instances (rdf:type)" in term and 'href="/intervention/hr"' in term


def test_page_escapes_text(client):
    html = client.get("/study/verriest-2015", headers={"Accept": BROWSER}).text
    assert "<script" not in html.split("</header>", 1)[1]
