"""The figures, map, ontology documentation, language choice and editor support through
Flask's test client on the real release (no browser), and the figures' library without Flask."""

from __future__ import annotations

import csv
import io

import pytest

from bclm_kg import figures, ontology_docs
from bclm_kg.figures import world
from bclm_kg.query.store import StoreSpec
from bclm_kg.web import assets

from .conftest import in_process_app

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def app(real_release):
    return in_process_app(real_release)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def store(real_release):
    return StoreSpec(trig=real_release / "bclm.trig").open()


def test_figure_rows_are_the_tables_counted_by_hand(store):
    by_year: dict[int, int] = {}
    for row in figures.compute(store, figures.spec("2b")).rows:
        by_year[row["year"]] = by_year.get(row["year"], 0) + row["studies"]
    assert by_year == {2014: 9, 2015: 7, 2016: 6, 2017: 5, 2018: 5, 2019: 4, 2020: 3,
                       2021: 3, 2022: 3, 2023: 1}
    shares = figures.compute(store, figures.spec("3a")).rows
    assert [(r["code"], r["studies"]) for r in shares[:2]] == [("HR", 34), ("RFA", 14)]
    assert round(sum(r["share"] for r in shares)) == 100
    history = figures.compute(store, figures.spec("1")).rows
    assert [r["code"] for r in history if r["period_en"] == "1990s"] == ["LITT", "TACE"]


def test_figure_notes_come_from_the_curation_notes(store):
    notes = figures.compute(store, figures.spec("2a")).notes
    assert {n.id for n in notes} == {"verriest-country", "ruiz-2018b-country",
                                     "innsbruck-austria-not-australia", "chen-2022-taiwan",
                                     "cheung-2019-hong-kong"}
    schullian = next(n for n in notes if n.id == "innsbruck-austria-not-australia")
    assert "Schullian" in schullian.about and "奥地利" in schullian.suggested


def test_map_countries(store):
    found = {c.iso: c for c in world.countries(store)}
    assert (found["CN"].studies, found["US"].studies, found["DE"].studies) == (24, 5, 4)
    assert found["TR"].regions_en == "Asia / Europe"
    assert found["AU"].notes == ("innsbruck-austria-not-australia",)
    assert not found["DE"].disputed and found["DE"].evidence == "/evidence?country=DE"


def test_figure_csv_and_svg(client):
    r = client.get("/figures/2A.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert {row["region_en"]: int(row["studies"]) for row in rows}["Europe"] == 19
    svg = client.get("/figures/3c.svg?lang=zh")
    assert svg.mimetype == "image/svg+xml"
    assert "R0切除" in svg.get_data(as_text=True)
    missing = client.get("/figures/9.csv", headers=HTML)
    assert missing.status_code == 404 and "1, 2a, 2b, 3a, 3b, 3c, 3d" in missing.get_data(True)


def test_language_from_accept_language_then_cookie(client):
    zh = client.get("/figures", headers={**HTML, "Accept-Language": "zh-CN,zh;q=0.9"})
    assert '<html lang="zh-Hans">' in zh.get_data(as_text=True)
    assert "Accept-Language" in zh.headers["Vary"]
    chosen = client.get("/map?lang=en", headers={"Accept-Language": "zh-CN"})
    assert "lang=en" in chosen.headers["Set-Cookie"]
    remembered = client.get("/map", headers={"Accept-Language": "zh-CN"})
    assert "Studies by lead country" in remembered.get_data(as_text=True)


def test_ontology_documentation_and_owl(client, store, real_release):
    docs = ontology_docs.from_json((real_release / "ontology-docs.json").read_bytes())
    assert docs == ontology_docs.build(store)  # the build's file and the store agree
    hr = next(t for t in docs.terms if t.anchor == "HepaticResection")
    assert (hr.label_en, hr.label_zh) == ("hepatic resection intervention", "肝切除术类干预")
    assert hr.source_href == "/review/jiang-2024/section-2"
    assert ("skos:exactMatch", "http://purl.obolibrary.org/obo/NCIT_C15249") in hr.mappings
    assert hr.examples[0].href == "/intervention/hr"
    page = client.get("/ontology", headers=HTML).get_data(as_text=True)
    assert 'id="HepaticResection"' in page and "切除含有转移灶的部分肝脏的手术" in page
    assert '<a href="/review/jiang-2024/section-2">' in page
    owl = client.get("/ontology", headers={"Accept": "application/rdf+xml"})
    assert owl.mimetype == "application/rdf+xml" and b"owl#Class" in owl.data
    assert owl.headers["Content-Location"] == "/ontology.rdf"


def test_editor_vocabulary_and_labels(client):
    vocab = client.get("/api/vocabulary").get_json()
    assert vocab["prefixes"]["bclm"] == "https://w3id.org/bclm-kg/ontology/"
    terms = {t["curie"]: t for t in vocab["terms"]}
    assert terms["bclm:leadCountry"]["zh"] == "牵头单位所属国家/地区"
    labels = client.post("/api/labels", json=["https://w3id.org/bclm-kg/place/de"]).get_json()
    assert labels["https://w3id.org/bclm-kg/place/de"]["zh"] == "德国"
    bad = client.post("/api/labels", json={"iri": "x"})
    assert bad.status_code == 400 and "JSON list" in bad.get_data(as_text=True)


def test_pages_say_so_when_the_browser_assets_are_missing(client, monkeypatch, tmp_path):
    monkeypatch.setattr(assets, "VENDOR", tmp_path)
    assets.installed.cache_clear()
    try:
        home = client.get("/", headers=HTML).get_data(as_text=True)
        assert 'id="plain-editor"' in home and "vendor/editor.js" not in home
        client.application.extensions["bclm"].cache.pop("topology", None)
        world_map = client.get("/map", headers=HTML).get_data(as_text=True)
        assert 'id="map-missing"' in world_map and "/evidence?country=CN" in world_map
    finally:
        assets.installed.cache_clear()
        client.application.extensions["bclm"].cache.pop("topology", None)
