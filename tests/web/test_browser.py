"""The query page and an entity page in a real headless browser (Chromium via Playwright), with
the service's content security policy in force and no violation of it on any page."""

from __future__ import annotations

import shutil

import pytest

from . import csp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs chromium on the PATH")


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context()
    # The page must work offline: refuse every request that is not to the service.
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(server.url) else route.abort())
    csp.watch(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    violations = csp.violations(page)
    context.close()
    assert violations == []


def test_example_query_shows_results(page, server):
    assert csp.enforced(page.goto(server.url + "/"))
    page.wait_for_selector("#examples option[value='01-os-5y-50']", state="attached")
    page.select_option("#examples", "01-os-5y-50")
    assert "timepointYears 5" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    rows = page.locator("#results-table tbody tr")
    assert rows.count() == 2
    assert "89" in rows.nth(0).inner_text() and "vogl-2023" in rows.nth(0).inner_text()
    assert "78" in rows.nth(1).inner_text()
    assert "2 rows" in page.inner_text("#status")
    csv_link = page.get_attribute("#downloads a[data-format='csv']", "href")
    assert "format=csv" in csv_link
    assert page.errors == []


def test_syntax_error_is_shown(page, server):
    page.goto(server.url + "/sparql")
    page.wait_for_selector("#examples option[value='01-os-5y-50']", state="attached")
    page.evaluate("bclmQuery.set('SELECT * WHERE { ?s ?p }')")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert "HTTP 400" in page.inner_text("#status")
    assert "error at 1:" in page.inner_text("#error")


def test_inference_checkbox(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector("#examples option[value='06-resection-studies']", state="attached")
    page.select_option("#examples", "06-resection-studies")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert page.locator("#results-table tbody tr").count() == 3
    page.check("#inference")
    page.click("#run")
    page.wait_for_selector("#status:has-text('0 rows')")  # (no string evaluation: the policy)


def test_query_link_autoruns(page, server):
    page.goto(server.url + "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
    page.wait_for_selector("#results[data-boolean='true']")


def test_entity_page_links(page, server):
    page.goto(server.url + "/study/verriest-2015")
    assert "Verriest 2015" in page.inner_text("h1")
    assert "Table 1, row 8" in page.inner_text(".stated")
    page.click("a[href='/intervention/hr']")
    page.wait_for_url("**/intervention/hr")
    assert "hepatic resection" in page.inner_text("h1")
    assert page.locator("ul.studies li").count() == 3


def test_the_policy_blocks_inline_script_and_the_watch_sees_it(page, server):
    """The policy is in force (an injected inline script and event handler do not run) and a
    violation is seen, so the empty lists asserted elsewhere mean something."""
    assert csp.enforced(page.goto(server.url + "/study/verriest-2015"))
    page.evaluate("""() => new Promise((resolve) => {
      let seen = 0;
      document.addEventListener('securitypolicyviolation', () => { if (++seen === 2) resolve(); });
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.head.append(s);
      document.body.insertAdjacentHTML('beforeend',
        '<img src="/static/favicon.svg" onload="window.handler = true">');
    })""")
    assert page.evaluate("[window.injected, window.handler]") == [None, None]
    seen = csp.violations(page)
    assert any(v.startswith("script-src") for v in seen), seen
    page.evaluate("window.__cspViolations = []")  # not to fail the fixture's own check
    page.csp_console.clear()
