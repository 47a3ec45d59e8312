"""/evidence in a real browser (Debian's Chromium via Playwright) on the real release: tick
facets, read rows and counts, ask in Chinese, download the CSV, follow a row to its study."""

from __future__ import annotations

import csv
import shutil

import pytest

from . import csp
from .conftest import TEST_ENV, free_port, serve_command, start_server, stop_server

CHROMIUM = shutil.which("chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium on PATH")


@pytest.fixture(scope="module")
def real_server(real_release):
    """``bclm-kg serve`` on the project's own release, for the browser."""
    port = free_port()
    live = start_server(serve_command(real_release, port), TEST_ENV, port)
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def page(real_server):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(accept_downloads=True)
        context.route("**/*", lambda route: route.continue_()
                      if route.request.url.startswith(real_server.url) else route.abort())
        csp.watch(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors
        yield page
        browser.close()


def counts(page) -> tuple[str, str]:
    return page.inner_text("#total"), page.inner_text("#studies")


def tick(page, facet: str, value: str) -> None:
    with page.expect_navigation():
        page.check(f"fieldset[data-facet='{facet}'] input[value='{value}']")


def test_evidence_in_the_browser(page, real_server, tmp_path):
    assert csp.enforced(page.goto(real_server.url + "/evidence"))
    assert counts(page) == ("72", "54")  # every arm of Tables 1 and 2
    tick(page, "intervention", "MWA")
    # 王斌 MWA, 程文 MWA/RFA, Vogl MWA and MWA+TACE, Franzese HR/RFA/MWA/SBRT
    assert counts(page) == ("5", "4")
    # the numbers beside the checkboxes: MWA arms per grouping (Vogl 2 + Franzese; 王斌 + 程文)
    for value, count in (("international", "3"), ("domestic", "2")):
        label = page.locator(f"fieldset[data-facet='grouping'] label:has(input[value='{value}'])")
        assert label.locator(".count").inner_text() == count
    tick(page, "status", "completed")
    tick(page, "region", "europe")
    assert counts(page) == ("3", "2")
    assert "intervention=MWA" in page.url and "region=europe" in page.url
    studies = page.locator("a.study-link").all_inner_texts()
    assert studies == ["Franzese 2020", "Vogl 2023"]

    page.fill("#question", "欧洲 前瞻性 肝切除 试验")
    with page.expect_navigation():
        page.click("#ask button")
    assert counts(page) == ("4", "4")  # the HR arms of four European trials
    assert "欧洲 前瞻性 肝切除 试验" in page.inner_text("#asked")
    assert page.is_checked("fieldset[data-facet='region'] input[value='europe']")

    with page.expect_download() as download:
        page.click("#csv")
    target = tmp_path / "selection.csv"
    download.value.save_as(target)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert sorted(r["study"] for r in rows) == ["NCT02251353", "NCT04079049", "NCT04817813",
                                                 "NCT06093022"]
    with page.expect_navigation():
        page.click("tbody.study[data-study='/trial/NCT02251353'] a.study-link")
    assert "/trial/NCT02251353" in page.url
    assert "Turkey" in page.inner_text("#summary")
    assert page.errors == []
    assert csp.violations(page) == []
