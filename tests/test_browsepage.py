"""The explorer ``kg serve --store`` serves at /browse, over a store of the seeds: its API over HTTP as the
server's guard lets it be asked, and the page in headless Chromium (first frame, search by another name,
expanding a union, the table's facets, link and downloads, the map's clicks)."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

import pytest

requests = pytest.importorskip("requests")
pytest.importorskip("pyoxigraph", reason="pyoxigraph is not installed (pip install -e .)")

from kg.serve import free_port  # noqa: E402

from conftest import ROOT, SEEDS, needs_chromium  # noqa: E402

KGR = "https://w3id.org/ukg/id/"
JINGZHOU = KGR + "union/荆州市总工会"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``kg build seeds --store DIR`` then ``kg serve --store DIR``, as a user runs them; stopped at the end."""
    folder = tmp_path_factory.mktemp("browse")
    env = {**os.environ, "TMPDIR": str(folder)}
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEEDS), "--store", str(folder / "store"), "-q"],
                   check=True, cwd=ROOT, env=env, timeout=300)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(folder / "store"), "--port",
                             str(port), "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, cwd=ROOT, env=env)
    try:
        lines = [proc.stdout.readline().strip() for _ in range(5)]
        assert lines[3] == f"browse:          http://127.0.0.1:{port}/browse  (graph, table and map, loaded on demand)"
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def api(base, name, headers=None, **params):
    return requests.post(f"{base}/browse/api/{name}", json=params, headers=headers or {})


def test_the_page_holds_no_graph_and_the_api_answers_what_it_shows(served):
    page = requests.get(served + "/browse")
    assert page.status_code == 200 and "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "荆州市总工会" not in page.text and "<script src" not in page.text and "<link" not in page.text
    assert api(served, "overview").json()["nodes"][0]["label"] == "荆州市总工会"
    assert api(served, "search", text="青岛市总").json()["matches"][0]["label"] == "青岛市总工会"
    rows = api(served, "rows", province="450000", sort="date", desc=True).json()
    assert rows["total"] == 2 and rows["rows"][0]["date"] == "2023-12-15"
    csv = api(served, "download", province="450000", format="csv")
    assert csv.headers["Content-Disposition"] == 'attachment; filename="kg-table.csv"'
    assert csv.content.startswith("\ufeffunion,program".encode()) and len(csv.text.splitlines()) == 3
    assert requests.get(served + "/explorer").status_code == 200  # the whole-graph explorer is still there


@pytest.mark.parametrize("how, status, said", [
    (lambda b: requests.get(f"{b}/browse/api/search"), 405, "takes POST"),
    (lambda b: requests.post(f"{b}/browse/api/search", data="text=x"), 415, "application/json"),
    (lambda b: requests.post(f"{b}/browse/api/search", data="{", headers={"Content-Type": "application/json"}),
     400, "not JSON"),
    (lambda b: api(b, "search", text="x", headers={"Origin": "http://evil.example"}), 403, "cross-origin"),
    (lambda b: api(b, "search", text="x", headers={"Sec-Fetch-Site": "cross-site"}), 403, "other sites"),
    (lambda b: api(b, "node", id="https://w3id.org/ukg/id/union/x> } #"), 400, "not the IRI of a node"),
    (lambda b: api(b, "node", id=KGR + "union/没有"), 404, "no node"),
    (lambda b: api(b, "rows", sort="rowid"), 400, "sort by one of"),
    (lambda b: api(b, "drop"), 404, "no API call"),
    (lambda b: requests.post(f"{b}/corrections", json={}), 403, "read-only"),
], ids=["get", "form", "bad json", "foreign origin", "cross-site", "bad iri", "no node", "bad sort", "unknown",
        "correction without --corrections"])
def test_what_the_api_refuses_it_says_in_one_line(served, how, status, said):
    r = how(served)
    assert r.status_code == status and said in r.text and r.text.count("\n") == 1


def test_the_table_follows_a_correction_made_beside_it(tmp_path_factory):
    """With --corrections, /explorer's controls change the graph served: the table is read again."""
    from kg.browsepage import Browser
    from kg.editor import editor_of_store
    from kg.pipeline import build_store
    from kg.serve import Endpoint

    folder = tmp_path_factory.mktemp("browse-editing")
    build_store([SEEDS / "000_9ba6a6a8fcca6d91.txt"], folder / "store")
    editor = editor_of_store(folder / "store", folder / "corrections.csv", folder)
    with Endpoint(editor.graph_file, port=free_port(), workers=1, pages=Browser(editor)) as ep:
        ep.serve_in_thread()
        base = ep.url.rsplit("/query", 1)[0]
        program = "“述理论、述政策、述典型”活动"
        assert program in [r["program_label"] for r in api(base, "rows", limit=200).json()["rows"]]
        token = requests.get(base + "/explorer").text.split('"token": "', 1)[1].split('"', 1)[0]
        done = requests.post(base + "/corrections", headers={"X-KG-Token": token}, json={
            "action": "reject", "what": "program", "file": "000_9ba6a6a8fcca6d91.txt", "label": program})
        assert done.status_code == 200
        assert program not in [r["program_label"] for r in api(base, "rows", limit=200).json()["rows"]]
        assert not api(base, "search", text=program).json()["matches"]


# -- in Chromium ------------------------------------------------------------------------------------------------

def _wait(browser, script, seconds=60):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, seconds, poll_frequency=0.1).until(lambda d: d.execute_script(script))


OVERLAPS = """var ids = kgNodes.getIds(), n = 0;
  kgNetwork.redraw();
  for (var i = 0; i < ids.length; i++) for (var j = i + 1; j < ids.length; j++) {
    var a = kgNetwork.getBoundingBox(ids[i]), b = kgNetwork.getBoundingBox(ids[j]);
    if (Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top)) n++;
  }
  return [ids.length, n];"""
"""Drawn nodes, and pairs of them whose boxes (shape and label, as vis-network draws them) overlap."""


def _open(browser, base, hash_=""):
    browser.get(f"{base}/browse{hash_}")
    if not hash_:
        _wait(browser, "return document.body.getAttribute('data-ready') === '1'")


@needs_chromium
def test_first_frame_is_the_busiest_unions_legible_and_apart(browser, served, seed_build):
    from rdflib import RDF

    from kg.vocab import UKG

    _open(browser, served)
    drawn = browser.execute_script("return kgNodes.get().map(function (x) { return [x.fullLabel, x.cls]; })")
    unions = [label for label, cls in drawn if cls == "union"]
    assert len(unions) == 16 and unions[0] == "荆州市总工会" and {"program"} == {c for _, c in drawn} - {"union"}
    # the union labels (18 px) stay legible without zooming: drawn at 11 px or more on the screen
    assert 18 * browser.execute_script("return kgNetwork.getScale()") >= 11
    count, overlapping = browser.execute_script(OVERLAPS)
    assert count == len(drawn) and overlapping == 0
    unions_in_graph = len(set(seed_build.graph.subjects(RDF.type, UKG.Union)))
    assert f"{unions_in_graph} 个工会" in browser.find_element("id", "status").text  # the graph's count


@needs_chromium
def test_search_by_another_name_then_expand_a_union_and_show_more(browser, served, seed_build):
    from rdflib import URIRef
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    from kg.vocab import UKG

    n = len(set(seed_build.graph.objects(URIRef(JINGZHOU), UKG.runs)))  # the programs it runs
    assert n > 12

    _open(browser, served)
    search = browser.find_element("id", "search")
    search.send_keys("青岛市总")
    _wait(browser, "return document.querySelectorAll('#suggest li').length > 0")
    first = browser.find_element("css selector", "#suggest li")
    assert first.text.startswith("青岛市总工会") and "又名 青岛市总" in first.text
    assert "another name of 青岛市总工会" in browser.find_element("id", "search-note").text
    search.send_keys(Keys.ENTER)
    _wait(browser, f"return document.body.getAttribute('data-expanded') === '{KGR}union/青岛市总工会'")
    details = browser.find_element("id", "details").text
    assert "青岛市总工会" in details and "开展的项目 programs it runs (6)" in details and "所在地 locality" in details
    assert browser.execute_script(OVERLAPS)[1] == 0

    # double-click a union on the canvas: its programs are drawn, 12 of its n, and "show more" draws the rest
    before = browser.execute_script("return kgNodes.length")
    browser.execute_script("kgNetwork.focus(arguments[0], {scale: 1.2});", JINGZHOU)
    time.sleep(0.4)
    at = browser.execute_script("return kgNetwork.canvasToDOM(kgNetwork.getPositions([arguments[0]])[arguments[0]])",
                                JINGZHOU)
    canvas = browser.find_element("css selector", "#graph canvas")
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(at["x"] - canvas.size["width"] / 2), int(at["y"] - canvas.size["height"] / 2)).double_click().perform()
    _wait(browser, f"return document.body.getAttribute('data-expanded') === '{JINGZHOU}'")
    runs = "var u = arguments[0]; return kgEdges.get().filter(function (e) { return e.id === u + ' runs ' + e.to; }).length"
    assert 12 <= browser.execute_script(runs, JINGZHOU) < n and browser.execute_script("return kgNodes.length") > before
    assert len(browser.find_elements("css selector", "#details ul[data-kind='runs>'] li")) == 12
    more = browser.find_element("css selector", "#details button.more[data-kind='runs>']")
    assert f"{n - 12} left" in more.text
    more.click()
    _wait(browser, "return !document.querySelector(\"#details button.more[data-kind='runs>']\")")
    assert browser.execute_script(runs, JINGZHOU) == n
    assert len(browser.find_elements("css selector", "#details ul[data-kind='runs>'] li")) == n
    assert browser.execute_script(OVERLAPS)[1] == 0


@needs_chromium
def test_table_filtered_by_province_is_a_link_and_downloads(browser, served):
    _open(browser, served)
    browser.find_element("id", "tab-table").click()
    _wait(browser, "return !!document.body.getAttribute('data-table')")
    facet = browser.find_element("css selector", ".facet[data-facet='province'] button[data-value='230000']")
    n = int(re.findall(r"\d+", facet.text)[-1])  # the rows the facet says it keeps
    assert n > 1
    facet.click()
    _wait(browser, "return (document.body.getAttribute('data-table') || '').indexOf('province=230000') >= 0")
    rows = [r.text for r in browser.find_elements("css selector", "#runs tbody tr")]
    assert len(rows) == n and all("黑龙江省" in r for r in rows)
    link = browser.execute_script("return location.href")
    assert "#table?" in link and "province=230000" in link

    for fmt in ("csv", "json"):
        target = browser.downloads / f"kg-table.{fmt}"
        browser.find_element("id", f"download-{fmt}").click()
        deadline = time.monotonic() + 30
        while not target.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        data = target.read_bytes()
        if fmt == "csv":
            lines = data.decode("utf-8").splitlines()
            assert data.startswith("\ufeffunion,".encode()) and len(lines) == n + 1
            assert all("黑龙江省" in line for line in lines[1:])
        else:
            assert len(json.loads(data)["rows"]) == n

    # the link opens the same view: same filter, same rows
    browser.get("about:blank")
    browser.get(link)
    _wait(browser, "return (document.body.getAttribute('data-table') || '').indexOf('province=230000') >= 0")
    assert len(browser.find_elements("css selector", "#runs tbody tr")) == n
    chosen = browser.find_element("css selector", ".facet[data-facet='province'] button.on")
    assert chosen.get_attribute("data-value") == "230000" and chosen.text.startswith("黑龙江省")


@needs_chromium
def test_a_click_on_the_map_filters_the_table(browser, served):
    _open(browser, served)
    browser.find_element("id", "tab-map").click()
    _wait(browser, "return document.querySelectorAll('#map circle').length > 10")
    assert len(browser.find_elements("css selector", "#map path")) == 34
    assert browser.find_elements("css selector", "#map text") and browser.find_elements("css selector", "#map-legend circle")
    donglan = browser.find_element("css selector", f"#map circle[data-id='{KGR}place/东兰县']")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", donglan)
    _wait(browser, "return (document.body.getAttribute('data-table') || '').indexOf('place=') >= 0")
    assert not browser.find_element("id", "table-pane").get_attribute("hidden")
    rows = [r.text for r in browser.find_elements("css selector", "#runs tbody tr")]
    assert len(rows) == 1 and "“扶智纾困”帮扶项目" in rows[0]
    assert "place=" + urllib.parse.quote(KGR + "place/东兰县", safe="") in browser.execute_script("return location.hash")

    # the second mode: provinces coloured by programs; a click on one filters the table by it
    browser.find_element("id", "tab-map").click()
    browser.find_element("css selector", "input[name=map-mode][value=province-programs]").click()
    _wait(browser, "return document.getElementById('map-legend').getAttribute('data-mode') === 'province-programs'")
    coloured = browser.execute_script(
        "return Array.from(document.querySelectorAll('#map path')).filter(function (p) {"
        " return Number(p.getAttribute('data-value')) > 0; }).length")
    assert coloured >= 10
    heilongjiang = browser.find_element("css selector", "#map path[data-code='230000']")
    programs = int(heilongjiang.get_attribute("data-value"))  # what the choropleth counts for it
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", heilongjiang)
    _wait(browser, "return (document.body.getAttribute('data-table') || '').indexOf('province=230000') >= 0")
    assert len(browser.find_elements("css selector", "#runs tbody tr")) == programs > 1


@needs_chromium
def test_labels_that_look_like_markup_are_shown_as_text_and_never_run(browser, payload_graph, tmp_path):
    """``“<!--<script>”系列活动``, ``</script><script>…``, ``<img onerror=…>`` … as labels: drawn, suggested, listed
    and detailed as written; none runs (each would set ``window.pwned``)."""
    from kg.browsepage import Browser
    from kg.serve import Endpoint

    from conftest import HTML_PAYLOADS

    graph = tmp_path / "payloads.nt"
    payload_graph.serialize(graph, format="nt", encoding="utf-8")
    with Endpoint(graph, port=free_port(), workers=1, pages=Browser()) as ep:
        ep.serve_in_thread()
        base = ep.url.rsplit("/query", 1)[0]
        _open(browser, base)
        drawn = browser.execute_script("return kgNodes.get().map(function (x) { return x.fullLabel; })")
        assert {p + "工会" for p in HTML_PAYLOADS} <= set(drawn)
        search = browser.find_element("id", "search")
        search.send_keys("<script>")
        _wait(browser, "return document.querySelectorAll('#suggest li').length >= 3")
        suggested = browser.execute_script(
            "return Array.from(document.querySelectorAll('#suggest li')).map(function (li) { return li.firstChild.data; })")
        assert "<script>window.pwned = 2</script>工会 " in suggested
        browser.execute_script("kgSelect(arguments[0])", KGR + "program/x-1/p")
        _wait(browser, f"return document.getElementById('details').getAttribute('data-node') === '{KGR}program/x-1/p'")
        assert HTML_PAYLOADS[1] in browser.find_element("id", "details").text
        browser.find_element("id", "tab-table").click()
        _wait(browser, "return !!document.body.getAttribute('data-table')")
        table = browser.execute_script("return document.querySelector('#runs tbody').textContent")
        assert "“<!--<script>”系列活动" in table and "</script><script>window.pwned = 1</script>" in table
        assert browser.execute_script("return typeof window.pwned") == "undefined"
