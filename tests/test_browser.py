"""The HTML view in a real browser: Debian's Chromium, headless, network off, opened from file://."""

import shutil
import time

import pytest

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="Debian's chromium and chromium-driver are not installed (make browser-deps installs them as root)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--proxy-server=127.0.0.1:9", "--window-size=1400,900",
                f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    yield driver
    driver.quit()


def _wait(driver, script, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if driver.execute_script(script):
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {script}")


def test_view_searches_clicks_and_shows_details(browser, seed_build, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = seed_build.outputs["html"]
    browser.get(page.resolve().as_uri())
    _wait(browser, "return document.body.getAttribute('data-ready') === '1'")
    assert browser.execute_script("return window.kgNodes.length") > 100
    # a CJK font is there, so the labels are drawn as Chinese, not as boxes
    assert browser.execute_script("return document.fonts.check(\"14px 'WenQuanYi Micro Hei'\")"), \
        "no CJK font: install fonts-wqy-microhei"

    search = browser.find_element(By.ID, "search")
    search.send_keys("青岛市总")
    matches = browser.find_elements(By.CSS_SELECTOR, "#matches li")
    assert matches and matches[0].text.startswith("青岛市总工会")
    search.send_keys(Keys.ENTER)
    details = browser.find_element(By.ID, "details")
    assert "青岛市总工会" in details.text and "union" in details.text and "青岛市总" in details.text

    # click the union's node on the canvas: the details panel follows the click
    node_id = browser.execute_script(
        "return window.kgNodes.get({filter: function (x) { return x.fullLabel === '福建省总工会'; }})[0].id")
    browser.execute_script("window.kgNetwork.focus(arguments[0], {scale: 1.5});", node_id)
    time.sleep(0.5)
    pos = browser.execute_script(
        "var p = window.kgNetwork.getPositions([arguments[0]])[arguments[0]];"
        "return window.kgNetwork.canvasToDOM(p);", node_id)
    canvas = browser.find_element(By.CSS_SELECTOR, "#graph canvas")
    size = canvas.size
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(pos["x"] - size["width"] / 2), int(pos["y"] - size["height"] / 2)).click().perform()
    _wait(browser, f"return document.getElementById('details').getAttribute('data-node') === {node_id!r}", 10)
    text = browser.find_element(By.ID, "details").text
    assert "福建省总工会" in text and "来源文件" in text and "000_9ba6a6a8fcca6d91.txt" in text

    # a program's details show its amounts with units and its evidence
    prog = browser.execute_script(
        "return window.kgNodes.get({filter: function (x) { return x.cls === 'program' && "
        "x.fullLabel.indexOf('土豆') >= 0; }})[0].id")
    browser.execute_script("window.kgFocus(arguments[0]);", prog)
    text = browser.find_element(By.ID, "details").text
    assert "6万元 = 60000.0 CNY" in text and "依据" in text

    # class filters hide a whole class
    browser.find_element(By.ID, "filter-program").click()
    hidden = browser.execute_script(
        "return window.kgNodes.get({filter: function (x) { return x.cls === 'program' && !x.hidden; }}).length")
    assert hidden == 0

    shot = tmp_path / "view.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000


def test_query_page_loads_a_saved_query_and_runs_it(browser):
    from selenium.webdriver.common.by import By

    from kg.serve import Endpoint, free_port

    from conftest import DATA

    with Endpoint(DATA / "fixture.ttl", port=free_port(), workers=1) as ep:
        ep.serve_in_thread()
        browser.get(ep.url.replace("/query", "/"))
        _wait(browser, "return !!window.kgQuery", 30)
        browser.find_element(By.XPATH, "//button[text()='money-by-union']").click()
        query = browser.find_element(By.ID, "query").get_attribute("value")
        assert query.startswith("# Money by union")
        # syntax highlighting: keywords and variables are styled spans under the editor
        assert browser.find_elements(By.CSS_SELECTOR, "#highlight .kw")
        assert browser.find_elements(By.CSS_SELECTOR, "#highlight .var")
        browser.find_element(By.ID, "run").click()
        _wait(browser, "return document.getElementById('results').innerText.indexOf('乙县总工会') >= 0", 30)
        cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#results td")]
        # plain values: a number as a number, never "…"^^<…#decimal>
        assert not any("^^" in c or "XMLSchema" in c for c in cells)
        assert any(c.replace(",", "").isdigit() for c in cells)

        # a saved query's parameter box fills the query, and a syntax error shows in one line
        box = browser.find_element(By.CSS_SELECTOR, "input[data-param='union']")
        box.send_keys("乙县总工会")
        browser.find_element(By.XPATH, "//button[text()='programs-of-union']").click()
        assert 'VALUES ?union { "乙县总工会" }' in browser.find_element(By.ID, "query").get_attribute("value")
        browser.find_element(By.ID, "run").click()
        _wait(browser, "return document.querySelectorAll('#results tr').length > 1", 30)
        rows = browser.find_elements(By.CSS_SELECTOR, "#results tr")
        assert all("乙县总工会" in r.text for r in rows[1:])
        browser.execute_script("document.getElementById('query').value = 'SELEC nonsense'")
        browser.find_element(By.ID, "run").click()
        _wait(browser, "return document.getElementById('status').className === 'error'", 30)
        status = browser.find_element(By.ID, "status").text
        assert status.startswith("400: SPARQL syntax error") and "\n" not in status
