"""The site in a real browser (Debian's Chromium via Playwright) on the real release, with every
request outside the service refused: pages load clean (no failed request, no console error,
no serious axe-core violation, no horizontal scroll on a phone), the figures show the review's
distributions counted by hand, the example queries run, the language switch works, the map
links to the evidence, and the study pages carry schema.org JSON-LD.

Screenshots of every page, desktop and phone, are kept in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from . import csp
from .conftest import ROOT, TEST_ENV, free_port, serve_command, start_server, stop_server

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

PAGES = {  # name: path
    "query": "/",
    "figures": "/figures",
    "map": "/map",
    "ontology": "/ontology",
    "study": "/study/ruiz-2017",
    "trial": "/trial/NCT04079049",
    "intervention": "/intervention/hr",
    "reference": "/reference/13",
    "place": "/place/de",
}

# Counted by hand from the review's Tables 1 and 2.
COMPLETED_PER_YEAR = {2014: 9, 2015: 7, 2016: 6, 2017: 5, 2018: 5, 2019: 4, 2020: 3, 2021: 3,
                      2022: 3, 2023: 1}  # Figure 2B: 24 international + 22 domestic
STUDIES_PER_REGION = {"China": 24, "Europe": 19, "North America": 5, "Oceania": 4, "Asia": 3}


@pytest.fixture(scope="module")
def real_server(real_release):
    """``bclm-kg serve`` on the real release, under gunicorn on a loopback port."""
    port = free_port()
    live = start_server(serve_command(real_release, port), TEST_ENV, port)
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Watched:
    """A page whose failed requests, console errors and page errors are recorded."""

    def __init__(self, context, server_url: str) -> None:
        self.page = context.new_page()
        self.failed: list[str] = []
        self.console: list[str] = []
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(
            f"{r.url} HTTP {r.status}"))
        self.page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        self.page.on("pageerror", lambda e: self.console.append(str(e)))

    def assert_clean(self) -> None:
        assert self.failed == [], self.failed
        assert self.console == [], self.console
        assert csp.violations(self.page) == []


def _context(browser, server, viewport=DESKTOP, locale="en-GB"):
    context = browser.new_context(viewport=viewport, locale=locale)
    # Offline: refuse every request that is not to the service on the loopback address.
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(server.url) else route.abort())
    csp.watch(context)
    return context


@pytest.fixture
def site(browser, real_server):
    contexts = []

    def open_page(viewport=DESKTOP, locale="en-GB") -> Watched:
        context = _context(browser, real_server, viewport, locale)
        contexts.append(context)
        return Watched(context, real_server.url)

    yield open_page
    for context in contexts:
        context.close()


def _settle(page) -> None:
    page.wait_for_load_state("networkidle")


def _axe_serious(page) -> list[str]:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (make web-assets)")
    # evaluated, not added as an inline <script>, which the pages' policy refuses
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_clean_on_desktop(site, real_server, name):
    watched = site()
    assert csp.enforced(watched.page.goto(real_server.url + PAGES[name]))
    _settle(watched.page)
    assert watched.page.locator("h1").count() == 1
    assert _axe_serious(watched.page) == []
    _shot(watched.page, f"{name}-desktop-en")
    watched.assert_clean()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_a_phone_in_chinese(site, real_server, name):
    watched = site(PHONE, locale="zh-CN")
    watched.page.goto(real_server.url + PAGES[name])
    _settle(watched.page)
    assert watched.page.get_attribute("html", "lang") == "zh-Hans"  # from Accept-Language
    width = watched.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width}px wide on a {PHONE['width']}px screen"
    assert _axe_serious(watched.page) == []
    _shot(watched.page, f"{name}-phone-zh")
    watched.assert_clean()


def _table(page, figure_id: str) -> list[dict[str, str]]:
    section = page.locator(f"#figure-{figure_id}")
    headers = section.locator("table.figure-data thead th").all_inner_texts()
    return [dict(zip(headers, row.locator("td").all_inner_texts(), strict=True))
            for row in section.locator("table.figure-data tbody tr").all()]


@pytest.fixture
def figures_page(site, real_server):
    watched = site()
    watched.page.goto(real_server.url + "/figures")
    _settle(watched.page)
    yield watched.page
    watched.assert_clean()


def test_every_figure_is_drawn_with_caption_and_downloads(figures_page):
    for figure_id in ("1", "2a", "2b", "3a", "3b", "3c", "3d"):
        section = figures_page.locator(f"#figure-{figure_id}")
        assert section.locator(".chart svg").count() == 1, figure_id
        caption = section.locator("figcaption").inner_text()
        assert "图" in caption and "Figure" in caption
        links = section.locator(".figure-links a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert hrefs[0].startswith("/?query=") and "run=1" in hrefs[0]
        assert hrefs[1] == f"/figures/{figure_id}.csv"
        assert hrefs[2].startswith(f"/figures/{figure_id}.svg")


def test_figure_2b_completed_studies_per_year(figures_page):
    counts: Counter = Counter()
    for row in _table(figures_page, "2b"):
        counts[int(row["year"])] += int(row["studies"])
    assert dict(counts) == COMPLETED_PER_YEAR
    svg = figures_page.locator("#figure-2b .chart svg").inner_html()
    assert all(str(year) in svg for year in COMPLETED_PER_YEAR)


def test_figure_2a_studies_per_region(figures_page):
    rows = _table(figures_page, "2a")
    assert {r["region_en"]: int(r["studies"]) for r in rows} == STUDIES_PER_REGION
    notes = figures_page.locator("#figure-2a .figure-notes li.note")
    assert notes.count() == 5  # Verriest, Ruiz 2018b, Schullian/Bale, Chen 2022, Cheung 2019
    assert "Austria" in figures_page.locator("#figure-2a .figure-notes").inner_text()


def test_figure_3a_resection_and_rfa_are_the_two_most_common(figures_page):
    rows = _table(figures_page, "3a")
    assert [r["code"] for r in rows[:2]] == ["HR", "RFA"]
    assert int(rows[0]["studies"]) == 34  # 28 published HR studies and 6 trials


def test_figure_3b_and_3d_values(figures_page):
    rows = _table(figures_page, "3b")
    median = {(r["study_label"], r["treatment"]): float(r["value"]) for r in rows
              if r["measure"] == "median OS (months)"}
    assert median[("Verriest 2015", "HR")] == 116  # Table 1 row 8
    assert median[("Kümler 2015", "RFA")] == 33.5  # Table 1 row 7
    top = {r["factor_en"]: int(r["studies"]) for r in _table(figures_page, "3d")[:2]}
    assert top == {"few liver metastases (especially a solitary one)": 3,
                   "no extrahepatic disease": 3}  # section 4: the two most frequent for RFA
    note = figures_page.locator("#figure-3c .figure-notes").inner_text()
    assert "at least 2" in note or "at least two" in note


def test_figure_query_opens_on_the_query_page(site, real_server):
    watched = site()
    watched.page.goto(real_server.url + "/figures")
    watched.page.click("#figure-2b .figure-links a >> nth=0")
    watched.page.wait_for_selector("#results-table tbody tr")
    assert "Figure 2B" in watched.page.evaluate("bclmQuery.get()")
    assert watched.page.locator("#results-table tbody tr").count() == 16
    watched.assert_clean()


def test_every_example_query_runs_and_shows_rows(site, real_server):
    watched = site()
    page = watched.page
    page.goto(real_server.url + "/")
    names = [q["name"] for q in real_server.get("/api/examples").json()]
    assert len(names) >= 13
    page.wait_for_selector(f"#examples option[value='{names[-1]}']", state="attached")
    for name in names:
        page.select_option("#examples", name)
        page.click("#run")
        page.wait_for_selector("#status:has-text('ms')")  # (no string evaluation: the policy)
        rows = page.locator("#results-table tbody tr").count()
        assert rows > 0, f"{name}: {page.inner_text('#status')} {page.inner_text('#error')}"
    watched.assert_clean()


def test_editor_completes_runs_with_ctrl_enter_and_shares_a_chart(site, real_server):
    watched = site()
    page = watched.page
    page.goto(real_server.url + "/")
    page.wait_for_selector("#examples option[value='01-os-5y-50']", state="attached")
    page.wait_for_selector(".cm-content")
    page.evaluate("bclmQuery.set('')")
    page.click(".cm-content")
    page.keyboard.type("SELECT ?s WHERE { ?s a bclm:ResectionStu")
    page.keyboard.press("Control+Space")
    option = page.locator(".cm-tooltip-autocomplete li", has_text="bclm:ResectionStudy")
    option.wait_for()
    assert "resection study" in option.inner_text()
    option.click()  # (Enter is ignored for the first moments after the list opens)
    # declared for us (the editor keeps the textarea in step)
    playwright_api.expect(page.locator("#query")).to_have_value(re.compile(r"^PREFIX bclm:"))
    assert "bclm:ResectionStudy" in page.evaluate("bclmQuery.get()")
    query = ("PREFIX bclm: <https://w3id.org/bclm-kg/ontology/>\n"
             "SELECT ?country (COUNT(DISTINCT ?study) AS ?studies) WHERE {\n"
             "  ?study bclm:paperGrouping ?g ; bclm:leadCountry ?country }\n"
             "GROUP BY ?country ORDER BY DESC(?studies)")
    page.evaluate("q => bclmQuery.set(q)", query)
    page.click(".cm-content")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results-table tbody tr")
    first = page.locator("#results-table tbody tr").first.inner_text()
    assert "China" in first and "24" in first  # labels, not only IRIs
    page.check("#view-chart")
    assert page.locator("#chart ol.bars li").count() == 17
    share = page.get_attribute("#share", "href")
    assert "view=chart" in share and "run=1" in share
    page.goto(real_server.url + share)
    page.wait_for_selector("#chart ol.bars li")
    assert page.is_visible("#chart") and not page.is_visible("#results")
    options = page.locator("#recent option").all_inner_texts()
    assert any("SELECT ?country" in o for o in options)  # kept in localStorage
    watched.assert_clean()


def test_language_switch_changes_labels_and_is_remembered(site, real_server):
    watched = site()
    page = watched.page
    page.goto(real_server.url + "/figures")
    assert page.inner_text("h1").startswith("The review's figures")
    page.click(".lang-switch a[hreflang='zh']")
    page.wait_for_load_state()
    assert "述评中的图" in page.inner_text("h1")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    page.click("header nav a[href='/map']")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "按牵头国家分布的研究"
    assert "德国" in page.inner_text("#countries")
    page.goto(real_server.url + "/intervention/hr")
    assert page.inner_text("h1").startswith("肝切除术")
    watched.assert_clean()


def test_map_links_each_country_to_its_evidence(site, real_server):
    watched = site()
    page = watched.page
    page.goto(real_server.url + "/map")
    _settle(page)
    svg_links = page.eval_on_selector_all(
        ".map svg a", "els => els.map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))")
    assert real_server.url + "/evidence?country=DE" in svg_links
    rows = {r.get_attribute("data-iso"): r for r in page.locator("#countries tbody tr").all()}
    assert rows["CN"].locator("td").nth(2).inner_text() == "24"
    assert "†" in rows["AU"].inner_text() and "†" not in rows["DE"].inner_text()
    watched.assert_clean()
    rows["DE"].locator("a").first.click()
    page.wait_for_url("**/evidence?country=DE")
    assert "Weinrich" in page.inner_text("main")  # the search's country facet: Germany's studies


@pytest.mark.parametrize(("path", "kind"), [
    ("/study/ruiz-2017", "MedicalStudy"), ("/trial/NCT04079049", "MedicalTrial"),
    ("/reference/13", "ScholarlyArticle"), ("/intervention/hr", "MedicalTherapy"),
    ("/drug/tislelizumab", "Drug"), ("/place/de", "Country"), ("/place/europe", "Place")])
def test_schema_org_json_ld(site, real_server, path, kind):
    watched = site()
    watched.page.goto(real_server.url + path)
    blocks = watched.page.locator("script[type='application/ld+json']").all_text_contents()
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == kind
    assert data["@id"] == "https://w3id.org/bclm-kg" + path
    if kind == "MedicalStudy":
        assert data["studyLocation"][0]["name"] == "France"
        assert data["healthCondition"]["@type"] == "MedicalCondition"
        assert {c["@type"] for c in data["citation"]} == {"ScholarlyArticle"}
    watched.assert_clean()


def test_pages_print(site, real_server, tmp_path):
    watched = site()
    page = watched.page
    page.goto(real_server.url + "/figures")
    _settle(page)
    page.emulate_media(media="print")
    assert not page.is_visible("header nav")
    assert page.locator(".chart svg").first.is_visible()
    pdf = tmp_path / "figures.pdf"
    page.pdf(path=str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    watched.assert_clean()


def test_assets_are_from_the_set_up():
    """The editor bundle and the map geometry come from npm by `make web-assets`."""
    vendor = Path(ROOT / "bclm_kg" / "web" / "static" / "vendor")
    if not (vendor / "editor.js").is_file():
        pytest.skip("web assets not built (make web-assets)")
    assert (vendor / "countries-110m.json").is_file()
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert "node_modules/@codemirror/legacy-modes" in lock["packages"]
