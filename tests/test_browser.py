"""The HTML view in a real browser: Debian's Chromium, headless, network off, opened from file://."""

import re
import time

import pytest

pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")

from conftest import needs_chromium  # noqa: E402

pytestmark = needs_chromium


def _wait(driver, script, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if driver.execute_script(script):
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {script}")


def _clear(browser):
    """Empty the search box the way a user does (an input event), so the table follows."""
    browser.execute_script("var s = document.getElementById('search'); s.value = '';"
                           "s.dispatchEvent(new Event('input'));")


def test_view_searches_clicks_and_shows_details(browser, seed_build, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = seed_build.outputs["html"]
    browser.get(page.resolve().as_uri())
    _wait(browser, "return document.body.getAttribute('data-ready') === '1'")
    # the first frame: the busiest unions and some of their programs, out of every node the page carries
    drawn = browser.execute_script("return window.kgNodes.get().map(function (x) { return x.cls; })")
    assert 10 <= len(drawn) <= 30 and set(drawn) == {"union", "program"}
    assert browser.execute_script("return window.kgInfo.length") > 400
    # a CJK font is there, so the labels are drawn as Chinese, not as boxes
    assert browser.execute_script("return document.fonts.check(\"14px 'WenQuanYi Micro Hei'\")"), \
        "no CJK font: install fonts-wqy-microhei"
    # articles start hidden; the legend draws each class in its own shape and lists the edge kinds
    assert browser.execute_script(
        "return window.kgNodes.get({filter: function (x) { return x.cls === 'article' && !x.hidden; }}).length") == 0
    shapes = [e.get_attribute("data-shape") for e in browser.find_elements(By.CSS_SELECTOR, "#legend svg")]
    assert shapes == ["diamond", "dot", "triangle", "square", "hexagon"]
    kinds = [e.get_attribute("data-kind") for e in browser.find_elements(By.CSS_SELECTOR, "#edge-legend div")]
    assert kinds[:3] == ["runs", "inPlace", "amount"] and "partOf" in kinds and "mentionedIn" in kinds

    search = browser.find_element(By.ID, "search")
    search.send_keys("青岛市总")
    matches = browser.find_elements(By.CSS_SELECTOR, "#matches li")
    assert matches and matches[0].text.startswith("青岛市总工会")
    search.send_keys(Keys.ENTER)
    details = browser.find_element(By.ID, "details")
    assert "青岛市总工会" in details.text and "union" in details.text and "青岛市总" in details.text
    assert "开展的项目" in details.text and "“三化一型”干部队伍" in details.text and "所在地" in details.text
    _clear(browser)

    # click a union's node on the canvas: the details panel follows the click, neighbours stay bright
    node_id = _node(browser, "广西壮族自治区总工会")
    browser.execute_script("window.kgSelect(arguments[0], false); window.kgExpand(arguments[0]);"
                           "window.kgNetwork.unselectAll(); window.kgNetwork.focus(arguments[0], {scale: 1.5});", node_id)
    time.sleep(0.5)
    pos = browser.execute_script(
        "var p = window.kgNetwork.getPositions([arguments[0]])[arguments[0]];"
        "return window.kgNetwork.canvasToDOM(p);", node_id)
    canvas = browser.find_element(By.CSS_SELECTOR, "#graph canvas")
    size = canvas.size
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(pos["x"] - size["width"] / 2), int(pos["y"] - size["height"] / 2)).click().perform()
    _wait(browser, f"return document.getElementById('details').getAttribute('data-node') === '{node_id}'", 10)
    text = browser.find_element(By.ID, "details").text
    assert "广西壮族自治区总工会" in text and "“扶智纾困”帮扶项目" in text and "2023-12-15" in text
    assert browser.execute_script("return window.kgNodes.get(arguments[0]).opacity", node_id) == 1
    assert browser.execute_script(
        "return window.kgNodes.get({filter: function (x) { return x.opacity < 1; }}).length") > 5

    # follow the link to its program: runners, places, date, money as written, evidence, source
    link = browser.find_element(By.XPATH, "//div[@id='details']//a[text()='“扶智纾困”帮扶项目']")
    prog = link.get_attribute("data-id")
    link.click()
    _wait(browser, f"return document.getElementById('details').getAttribute('data-node') === '{prog}'", 10)
    text = browser.find_element(By.ID, "details").text
    assert "开展者" in text and "广西壮族自治区总工会" in text
    assert "东兰县" in text and "2023-12-15" in text and "180万元" in text and "依据" in text
    assert "001_69aa9dea666dac39.txt" in text and "^^" not in text and "1800000.0" not in text
    # its money: no total stated, the standard and the sum since 2019 shown as what they are
    assert "标准 standard" in text and "800–7000元" in text and "累计超过180万元" in text and "1,807,800" not in text
    assert "置信度 confidence" in text
    # how sure kg is of who runs it, of each place and of each amount (the precision of the way each was tied)
    assert re.search(r"开展者 run by （置信度 confidence 0\.\d\d）", text)
    assert re.search(r"坤王村.*（置信度 confidence 0\.\d\d）", text) and re.search(r"180万元.*（置信度 confidence", text)
    # a place lists the programs in it and in the places inside it
    browser.find_element(By.XPATH, "//div[@id='details']//a[text()='东兰县']").click()
    text = browser.find_element(By.ID, "details").text
    assert "行政区划代码" in text and "451224" in text and "“扶智纾困”帮扶项目" in text and "河池市" in text

    browser.save_screenshot(str(tmp_path / "view.png"))
    assert (tmp_path / "view.png").stat().st_size > 20_000

    # the table: one row per union and program, sorted by a click, filtered by the search box
    browser.find_element(By.ID, "tab-table").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#runs tbody tr")
    assert len(rows) > 50
    search.send_keys("资助金")
    rows = browser.find_elements(By.CSS_SELECTOR, "#runs tbody tr")
    assert rows and all("资助金" in r.text for r in rows)
    assert any("51.02万元" in r.text and "2023" in r.text for r in rows)
    _clear(browser)
    browser.find_element(By.CSS_SELECTOR, "#runs th[data-col='4']").click()
    first = browser.find_elements(By.CSS_SELECTOR, "#runs tbody tr")[0].text
    assert "万元" in first
    # the confidence floor: fewer rows, each at or above it, and the graph's programs below it hidden
    unsure = browser.execute_script(
        "var low = -1; window.kgInfo.forEach(function (x, i) { if (x.c === 'program' && x.k < 0.6) low = i; });"
        "window.kgSelect(low, false); return low;")
    assert unsure >= 0 and not browser.execute_script("return window.kgNodes.get(arguments[0]).hidden", unsure)
    browser.find_element(By.ID, "tab-table").click()
    every = len(browser.find_elements(By.CSS_SELECTOR, "#runs tbody tr"))
    floor = browser.find_element(By.ID, "min-confidence")
    floor.clear()
    floor.send_keys("0.6")
    rows = browser.find_elements(By.CSS_SELECTOR, "#runs tbody tr")
    assert 0 < len(rows) < every
    assert all(float(r.find_elements(By.TAG_NAME, "td")[-1].text) >= 0.6 for r in rows)
    assert browser.execute_script("return window.kgNodes.get(arguments[0]).hidden", unsure)
    floor.clear()
    floor.send_keys("0")

    # the map: province outlines, places at their coordinates; a click selects the place
    browser.find_element(By.ID, "tab-map").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map path")) == 34
    circles = browser.find_elements(By.CSS_SELECTOR, "#map circle")
    assert len(circles) > 10
    target = next(c for c in circles if c.get_attribute("data-id") != "-1")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", target)
    assert browser.find_element(By.ID, "details").get_attribute("data-node") == target.get_attribute("data-id")
    assert "place" in browser.find_element(By.ID, "details").text

    # class filters hide a whole class
    browser.find_element(By.ID, "tab-graph").click()
    browser.find_element(By.ID, "filter-program").click()
    hidden = browser.execute_script(
        "return window.kgNodes.get({filter: function (x) { return x.cls === 'program' && !x.hidden; }}).length")
    assert hidden == 0


def test_focused_view_starts_selected_with_no_overlapping_labels(browser, seed_build, tmp_path):
    from kg.explorer import render_view
    from kg.export import read_graph

    page = tmp_path / "focus.html"
    page.write_text(render_view(read_graph(seed_build.outputs["turtle"]), focus="福建省总工会").html, encoding="utf-8")
    browser.get(page.as_uri())
    _wait(browser, "return document.body.getAttribute('data-ready') === '1'")
    selected = browser.execute_script("return window.kgNetwork.getSelectedNodes()")
    assert len(selected) == 1 and browser.execute_script(
        "return window.kgInfo[arguments[0]].l", selected[0]) == "福建省总工会"
    assert "福建省总工会" in browser.execute_script("return document.getElementById('details').innerText")
    overlaps = browser.execute_script("""
        var ids = kgNodes.getIds({filter: function (x) { return !x.hidden; }}), n = 0;
        for (var i = 0; i < ids.length; i++) for (var j = i + 1; j < ids.length; j++) {
          var a = kgNetwork.getBoundingBox(ids[i]), b = kgNetwork.getBoundingBox(ids[j]);
          if (Math.min(a.right, b.right) > Math.max(a.left, b.left) &&
              Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top)) n++;
        }
        return [ids.length, n];""")
    assert overlaps[0] >= 5 and overlaps[1] == 0


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

        # a saved query's parameter box binds its variable to any name of a node, and says when a name
        # names nothing, with the closest; a syntax error shows in one line
        box = browser.find_element(By.CSS_SELECTOR, "input[data-param='union']")

        def ask(name: str, said: str) -> list:
            box.clear()
            box.send_keys(name)
            browser.find_element(By.XPATH, "//button[text()='programs-of-union']").click()
            assert browser.find_element(By.ID, "bound").text == f"?union = {name}"
            browser.find_element(By.ID, "run").click()
            _wait(browser, f"return document.getElementById('status').innerText.indexOf('{said}') >= 0", 30)
            return [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#results tr")][1:]

        rows = ask("乙县总工会", "rows")
        assert len(rows) == 2 and all("乙县总工会" in r for r in rows)
        rows = ask("甲市总", "another name of 甲市总工会")
        assert len(rows) == 2 and all("甲市总工会" in r for r in rows)
        assert ask("甲市工会", "the closest: 甲市总工会") == []
        browser.execute_script("document.getElementById('query').value = 'SELEC nonsense'")
        browser.find_element(By.ID, "run").click()
        _wait(browser, "return document.getElementById('status').className === 'error'", 30)
        status = browser.find_element(By.ID, "status").text
        assert status.startswith("400: SPARQL syntax error") and "\n" not in status

        # CONSTRUCT answers Turtle, shown as text (it was parsed as JSON: "Unexpected token")
        browser.execute_script("document.getElementById('query').value = "
                               "'CONSTRUCT WHERE { ?u a ukg:Union ; rdfs:label ?l }'")
        browser.find_element(By.ID, "run").click()
        _wait(browser, "return !!document.getElementById('graph')", 30)
        assert "乙县总工会" in browser.find_element(By.ID, "graph").text
        assert browser.find_element(By.ID, "status").get_attribute("class") != "error"


def _reloaded(browser):
    """Wait for the page a correction reloads: the old page's mark gone, the new one laid out."""
    _wait(browser, "return !window.kgOldPage && document.body.getAttribute('data-ready') === '1'", 90)


def _node(browser, label):
    return browser.execute_script(
        "var l = arguments[0], i = window.kgInfo.findIndex(function (x) { return x.l === l; });"
        "return i < 0 ? null : i;",
        label)


def _correct(browser, label, action, value=None):
    """Select the node ``label``, then press the control ``action`` of its details panel (typing ``value``)."""
    from selenium.webdriver.common.by import By

    browser.execute_script("window.kgSelect(arguments[0], true);", _node(browser, label))
    if value is not None:
        browser.find_element(By.CSS_SELECTOR, f"#details input[name={action}]").send_keys(value)
    browser.execute_script("window.kgOldPage = true;")
    browser.find_element(By.CSS_SELECTOR, f"#details button[data-action={action}]").click()
    _reloaded(browser)


def test_served_explorer_corrects_and_shows_the_result_at_once(browser, editing_server):
    """kg serve --corrections: reject a program and undo it, merge two unions, rename one, from the details
    panel of the served explorer; the corrections file says each, and the page shows each at once."""
    from selenium.webdriver.common.by import By

    fix = editing_server.pages.path
    browser.get(editing_server.url.rsplit("/query", 1)[0] + "/explorer")
    _wait(browser, "return document.body.getAttribute('data-ready') === '1'")
    program = "“述理论、述政策、述典型”活动"
    assert _node(browser, program) is not None

    _correct(browser, program, "reject-program")
    assert _node(browser, program) is None
    status = browser.find_element(By.ID, "kg-edit-status").text
    assert status == "correction 1: reject program “述理论、述政策、述典型”活动 in 000_9ba6a6a8fcca6d91.txt"
    assert "reject,program,000_9ba6a6a8fcca6d91.txt,“述理论、述政策、述典型”活动" in fix.read_text(encoding="utf-8")

    browser.execute_script("window.kgOldPage = true;")
    browser.find_element(By.CSS_SELECTOR, "#kg-edit-list li button[data-action=undo]").click()
    _reloaded(browser)
    assert _node(browser, program) is not None
    assert browser.find_elements(By.CSS_SELECTOR, "#kg-edit-list li") == []
    assert len(fix.read_text(encoding="utf-8").splitlines()) == 1

    _correct(browser, "巢湖市亚父街道工会联盟", "merge-union", "亚父街道工会")
    assert _node(browser, "亚父街道工会") is None
    _wait(browser, f"return document.getElementById('details').getAttribute('data-node') === "
                   f"'{_node(browser, '巢湖市亚父街道工会联盟')}'", 10)
    details = browser.find_element(By.ID, "details").text
    assert "别名 aliases" in details and "亚父街道工会" in details

    _correct(browser, "坪山区总工会", "rename-union", "深圳市坪山区总工会")
    assert _node(browser, "坪山区总工会") is None and _node(browser, "深圳市坪山区总工会") is not None
    _wait(browser, "return document.getElementById('details').textContent.indexOf('深圳市坪山区总工会') >= 0", 10)
    items = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#kg-edit-list li")]
    assert items[0].startswith("merge union 亚父街道工会 into 巢湖市亚父街道工会联盟")
    assert items[1].startswith("rename union 坪山区总工会 → 深圳市坪山区总工会")
    lines = fix.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("merge,union,,巢湖市亚父街道工会联盟,亚父街道工会,")
    assert lines[2].startswith("rename,union,,坪山区总工会,深圳市坪山区总工会,")


def test_labels_that_look_like_markup_are_drawn_and_never_run(browser, payload_graph, tmp_path):
    """``“<!--<script>”系列活动``, ``</script><script>…``, U+2028 … as labels: the network draws, every label
    reads as written in the table and the details, and no payload runs (each would set ``window.pwned``)."""
    from selenium.webdriver.common.by import By

    from kg.explorer import render_view

    from conftest import HTML_PAYLOADS

    page = tmp_path / "payloads.html"
    page.write_text(render_view(payload_graph).html, encoding="utf-8")
    browser.get(page.as_uri())
    _wait(browser, "return document.body.getAttribute('data-ready') === '1'")
    assert browser.execute_script("return typeof window.kgNetwork") == "object"
    labels = browser.execute_script("return window.kgInfo.map(function (x) { return x.l; })")
    assert set(HTML_PAYLOADS) <= set(labels)
    browser.find_element(By.ID, "tab-table").click()
    table = browser.execute_script("return document.querySelector('#table-pane tbody').textContent")
    assert "“<!--<script>”系列活动" in table and "</script><script>window.pwned = 1</script>" in table
    for i, label in enumerate(labels):
        if label in HTML_PAYLOADS:
            details = browser.execute_script(
                "window.kgSelect(arguments[0], false); window.kgNetwork.selectNodes([arguments[0]]);"
                "window.kgNetwork.body.emitter.emit('click', {nodes: [arguments[0]], edges: []});"
                "return document.getElementById('details').textContent", i)
            assert label in details
    assert browser.execute_script("return typeof window.pwned") == "undefined"


def _frame(browser) -> dict:
    """What is drawn: how many nodes, the smallest label's height on screen, and the pairs of label boxes
    (vis-network's own getBoundingBox: shape and label) that overlap."""
    return browser.execute_script("""
        var ids = kgNodes.getIds({filter: function (x) { return !x.hidden; }}), n = 0, s = kgNetwork.getScale();
        var least = Infinity;
        ids.forEach(function (id) { least = Math.min(least, kgNodes.get(id).font.size * s); });
        for (var i = 0; i < ids.length; i++) for (var j = i + 1; j < ids.length; j++) {
          var a = kgNetwork.getBoundingBox(ids[i]), b = kgNetwork.getBoundingBox(ids[j]);
          if (Math.min(a.right, b.right) > Math.max(a.left, b.left) &&
              Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top)) n++;
        }
        return {drawn: ids.length, least: least, overlaps: n, scale: s,
                unions: ids.filter(function (i) { return kgNodes.get(i).cls === 'union'; }).map(function (i) { return kgInfo[i].l; })};""")


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory):
    """The page ``kg build ../shared/corpus seeds`` writes: the issue's 65-file view that opened at zoom 0.16."""
    from kg.pipeline import build

    from conftest import ROOT, SEEDS

    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is absent: the shared corpus lives beside the repository")
    out = tmp_path_factory.mktemp("corpus")
    return build([corpus, SEEDS], out, jobs=1).outputs["html"]


def test_the_corpus_view_opens_readable_and_grows_where_asked(browser, corpus_page):
    """The first frame: the busiest unions with their labels at least 12 px high and no two label boxes
    overlapping; a double click draws a union's neighbours, a "more" node the next ones; the search box
    suggests nodes by any of their names as one types, and the closest names for a name no node has."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    browser.get(corpus_page.resolve().as_uri())
    _wait(browser, "return document.body.getAttribute('data-ready') === '1'")
    first = _frame(browser)
    assert first["least"] >= 12 and first["overlaps"] == 0 and 10 <= first["drawn"] <= 30
    busiest = browser.execute_script("return kgInfo[0].l")  # the page carries its nodes most relevant first
    assert first["unions"][0] == busiest and len(first["unions"]) >= 5
    assert browser.execute_script("return kgInfo.length") > 2000

    # a double click on the busiest union draws 12 of its neighbours and a "more" node for the rest
    top = _node(browser, busiest)
    pos = browser.execute_script("return kgNetwork.canvasToDOM(kgNetwork.getPositions([arguments[0]])[arguments[0]])", top)
    canvas = browser.find_element(By.CSS_SELECTOR, "#graph canvas")
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(pos["x"] - canvas.size["width"] / 2), int(pos["y"] - canvas.size["height"] / 2)).double_click().perform()
    _wait(browser, f"return kgNodes.getIds().length > {first['drawn']}", 10)
    grown = _frame(browser)
    more = browser.execute_script("return kgNodes.get('more:' + arguments[0])", top)
    assert grown["drawn"] == first["drawn"] + 12 + 1 and more and more["label"].startswith("+")
    assert grown["overlaps"] == 0
    browser.execute_script("kgSelect('more:' + arguments[0])", top)
    again = _frame(browser)
    assert again["drawn"] > grown["drawn"] and again["overlaps"] == 0

    # search: another name of a node, suggested as one types; a name no node has gets the closest names
    search = browser.find_element(By.ID, "search")
    search.send_keys("青岛市总")
    suggested = browser.find_elements(By.CSS_SELECTOR, "#matches li")
    assert suggested and suggested[0].text.startswith("青岛市总工会")
    suggested[0].click()
    qingdao = _node(browser, "青岛市总工会")
    assert browser.find_element(By.ID, "details").get_attribute("data-node") == str(qingdao)
    assert browser.execute_script("return !!kgNodes.get(arguments[0])", qingdao)
    _clear(browser)
    search.send_keys("青岛总工会")
    texts = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#matches li")]
    assert texts[0].startswith("没有这个名称") and any(t.startswith("青岛市总工会") for t in texts[1:])
    _clear(browser)
    assert _frame(browser)["overlaps"] == 0
