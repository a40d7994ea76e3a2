"""The explorer page: what it draws, what it carries, and the filters on it."""

import json
import re

import pytest

from kg.errors import KgError
from kg.explorer import render_view


def _data(view) -> dict:
    """The data the page carries (``var KG = …;``)."""
    m = re.search(r"var KG = (\{.*?\});\n", view.html, re.S)
    return json.loads(m.group(1))


def test_html_has_no_remote_script_or_stylesheet(seed_build):
    html = seed_build.outputs["html"].read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?https?://", html, re.I)
    assert not re.search(r"<link[^>]+href=[\"']?https?://", html, re.I)
    assert "vis.Network" in html and "<meta charset=\"utf-8\">" in html
    assert "青岛市总工会" in html or json.dumps("青岛市总工会") in html


def test_html_carries_legend_filters_search_and_details(seed_build):
    html = seed_build.outputs["html"].read_text(encoding="utf-8")
    for needle in ('id="search"', 'id="legend"', 'id="filters"', 'id="details"', 'network.on("doubleClick"',
                   "firstFrame();"):
        assert needle in html


def test_view_focus_and_node_ceiling(fixture_graph):
    whole = render_view(fixture_graph)
    assert whole.nodes == whole.total_nodes and not whole.notice
    focus = render_view(fixture_graph, focus="乙县总", depth=1)
    assert focus.nodes < whole.nodes
    small = render_view(fixture_graph, max_nodes=5)
    assert small.nodes == 5 and "--focus" in small.notice and "--focus" in small.html
    with pytest.raises(KgError, match="no node's label contains"):
        render_view(fixture_graph, focus="不存在的工会")


def test_at_the_ceiling_unions_come_with_their_programs_places_and_money(fixture_graph):
    data = _data(render_view(fixture_graph, max_nodes=10))
    drawn = [(n["c"], n["l"]) for n in data["info"]]
    assert drawn == [("union", "乙县总工会"), ("program", "助学行动"), ("place", "丙村"), ("amount", "120名"),
                     ("amount", "24万元"), ("amount", "2000元"), ("amount", "800元"), ("amount", "7000元"),
                     ("amount", "180万元"), ("program", "困难职工慰问")]
    full = _data(render_view(fixture_graph))
    assert {n["c"] for n in full["info"]} == {"union", "program", "place", "amount", "article"}
    assert [n["c"] for n in full["info"]][-2:] == ["article", "article"]


def test_nodes_carry_small_records_not_article_lists(seed_build):
    data = _data(render_view(seed_build.graph))
    union = next(n for n in data["info"] if n["l"] == "青岛市总工会")
    assert set(union) <= {"l", "c", "a"}
    assert max(len(json.dumps(n, ensure_ascii=False)) for n in data["info"]) < 700


def test_since_and_until_keep_programs_dated_within(fixture_graph):
    def programs(**kw):
        return sorted(n["l"] for n in _data(render_view(fixture_graph, **kw))["info"] if n["c"] == "program")

    assert programs(since="2023-07") == ["助学行动", "困难职工慰问"]  # a year counts when any day of it does
    assert programs(until="2023-06") == ["“送清凉”活动", "困难职工慰问"]
    assert programs(since="2023-06-17", until="2023-08-31") == ["困难职工慰问"]
    assert programs(since="2024") == []
    with pytest.raises(KgError, match="--since 2024 is after --until 2023"):
        render_view(fixture_graph, since="2024", until="2023")


def test_table_rows_and_map_points(seed_build):
    data = _data(render_view(seed_build.graph))
    row = next(r for r in data["rows"] if r[1] == "发放资助金")
    assert row[0] == "广西壮族自治区总工会" and row[3] == "2023" and row[4] == 510200.0
    assert data["info"][row[7]]["l"] == "发放资助金"
    point = next(p for p in data["points"] if p["name"] == "东兰县")
    assert point["code"] == "451224" and 107 < point["lon"] < 108 and 24 < point["lat"] < 25 and point["programs"] >= 1
    assert len(data["provinces"]) == 34


def test_a_focused_view_starts_on_its_node(fixture_graph):
    view = render_view(fixture_graph, focus="乙县总")
    data = _data(view)
    assert view.focus == "乙县总工会" and data["info"][data["focus"]]["l"] == "乙县总工会"
    assert "<iframe srcdoc=" in view._repr_html_()


def test_money_is_the_programs_total_and_the_rest_is_shown_as_what_it_is(seed_build):
    """扶智纾困: 超过180万元 paid out since 2019 and 800元至7000元 per student are no total of the program."""
    data = _data(render_view(seed_build.graph))
    row = next(r for r in data["rows"] if r[1] == "“扶智纾困”帮扶项目")
    assert row[4] is None and row[5] == "800–7000元" and row[6] == "累计超过180万元"
    assert all(r[4] != 1807800.0 for r in data["rows"])
    program = data["info"][row[7]]
    assert "y" not in program and program["s"] == ["800–7000元"] and program["o"] == ["累计超过180万元"]


def test_a_standard_is_a_standard_in_the_table_and_the_details(fixture_graph):
    data = _data(render_view(fixture_graph))
    row = next(r for r in data["rows"] if r[1] == "助学行动")
    assert row[4:7] == [240000.0, "每人2000元、800–7000元", "累计180万元"]
    assert data["info"][row[7]].items() >= {"y": 240000.0, "s": ["每人2000元", "800–7000元"], "o": ["累计180万元"]}.items()
    no_total = next(r for r in data["rows"] if r[1] == "困难职工慰问")
    assert no_total[4] is None and no_total[6] == "计划不少于50万元、收到3万元"
    amount = next(n for n in data["info"] if n["c"] == "amount" and n["t"] == "2000元")
    assert amount["r"] == "perUnit" and amount["p"] == "人" and data["roles"]["perUnit"].startswith("标准")
    union = next(n for n in data["info"] if n["l"] == "甲市总工会")
    assert union["y"] == 350000.0  # 30万元 shared by its two programs, counted once, and 5万元


def test_a_zero_amount_is_a_value_not_a_crash(tmp_path):
    """A page saying 投入资金0元 once made the view die in the table (a zero literal read as no value)."""
    from kg.api import build

    page = tmp_path / "zero.txt"
    page.write_text("青岛市总工会开展送温暖活动\n青岛市总工会开展送温暖活动，投入资金0元，慰问职工100名。\n", encoding="utf-8")
    g = build(page)
    data = _data(render_view(g))
    row = next(r for r in data["rows"] if r[0] == "青岛市总工会")
    assert row[4] == 0.0


def test_labels_cannot_end_or_bend_the_pages_script(payload_graph):
    """A label such as ``“<!--<script>”系列活动`` stays data: the page's scripts hold no ``</``, ``<!--``,
    ``<script`` or raw U+2028/2029 from the data, and the data reads back as written."""
    from conftest import HTML_PAYLOADS

    view = render_view(payload_graph)
    library, ours, *editing = re.findall(r"<script>(.*?)</script>", view.html, re.S)
    assert "<!--" not in view.html and "vis.Network" in ours
    for bad in ("</", "<script", "\u2028", "\u2029"):
        assert bad not in ours and not any(bad in script for script in editing)
    assert set(HTML_PAYLOADS) <= {x["l"] for x in _data(view)["info"]}


def test_script_json_reads_back_the_same():
    from kg.embed import script_json

    from conftest import HTML_PAYLOADS

    text = script_json(HTML_PAYLOADS)
    assert json.loads(text) == HTML_PAYLOADS
    assert not re.search("[<>&\u2028\u2029]", text)


def test_the_first_frame_is_the_busiest_unions_each_with_its_programs_of_most_money(fixture_graph):
    """Unions by programs run, then their programs round by round, richest first (a program two unions run
    drawn once): the page drops pairs from the end until every label is legible."""
    data = _data(render_view(fixture_graph))
    label = [n["l"] for n in data["info"]]
    first = [(label[n], label[h] if h >= 0 else "") for n, h in data["first"]]
    assert first == [("乙县总工会", ""), ("甲市总工会", ""), ("丁企业工会", ""), ("助学行动", "乙县总工会"),
                     ("防暑药品发放", "甲市总工会"), ("“送清凉”活动", "丁企业工会"), ("困难职工慰问", "乙县总工会")]
    focused = _data(render_view(fixture_graph, focus="乙县总工会"))
    assert [focused["info"][n]["l"] for n, _ in focused["first"]] == ["乙县总工会", "助学行动", "困难职工慰问", "乙县"]


def test_details_say_how_sure_kg_is_of_each_runner_place_and_amount(seed_build):
    data = _data(render_view(seed_build.graph))
    programs = [n for n in data["info"] if n["c"] == "program"]
    assert programs and all(0 < n["rk"] <= 1 for n in programs)
    placed = [n for n in programs if n.get("pk")]
    assert placed and all(0 < k <= 1 for n in placed for k in n["pk"].values())
    amounts = [n for n in data["info"] if n["c"] == "amount"]
    assert amounts and all(0 < n["k"] <= 1 for n in amounts)
