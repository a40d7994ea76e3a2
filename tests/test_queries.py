"""Every saved query, with exact expected rows on the hand-made fixture graph."""

from kg.query import format_result, parse_binding, run_query, saved_queries


def rows(graph, name, **bind):
    q = saved_queries()[name]
    bindings = dict(parse_binding(f"{k}={v}") for k, v in bind.items())
    return run_query(graph, q.text, bindings).rows


def test_each_saved_query_says_what_it_answers():
    for q in saved_queries().values():
        assert q.text.startswith("# ") and len(q.description) > 20


def test_programs_of_union(fixture_graph):
    got = rows(fixture_graph, "programs-of-union", union="乙县总工会")
    assert [(r["program"], r["places"], set(r["amounts"].split("、")), r["file"]) for r in got] == [
        ("助学行动", "丙村", {"120名", "24万元"}, "b.txt"),
        ("困难职工慰问", "", {""}, "b.txt"),
    ]
    assert got[0]["evidence"].startswith("乙县总工会在丙村启动助学行动")
    assert len(rows(fixture_graph, "programs-of-union")) == 4


def test_money_by_union(fixture_graph):
    got = [(r["union"], float(r["totalYuan"]), int(r["programs"])) for r in rows(fixture_graph, "money-by-union")]
    assert got == [("丁企业工会", 300000.0, 1), ("甲市总工会", 300000.0, 1), ("乙县总工会", 240000.0, 2)]


def test_in_place_includes_places_inside_it(fixture_graph):
    got = {(r["where"], r["union"], r["program"]) for r in rows(fixture_graph, "in-place", place="甲市")}
    assert got == {
        ("甲市", "甲市总工会", "“送清凉”活动"), ("甲市", "丁企业工会", "“送清凉”活动"),
        ("乙县", "乙县总工会", "助学行动"), ("乙县", "乙县总工会", "困难职工慰问"),
        ("丙村", "乙县总工会", "助学行动"),
    }


def test_what_is_program(fixture_graph):
    (r,) = rows(fixture_graph, "what-is-program", program="“送清凉”活动")
    assert set(r["runners"].split("、")) == {"甲市总工会", "丁企业工会"}
    assert r["places"] == "甲市" and r["amounts"] == "30万元 = 300000 CNY" and r["file"] == "a.txt"


def test_co_mentions(fixture_graph):
    got = [(r["union1"], r["union2"], int(r["articles"])) for r in rows(fixture_graph, "co-mentions")]
    assert got == [("丁企业工会", "甲市总工会", 1), ("乙县总工会", "甲市总工会", 1)]


def test_table_format_aligns_chinese(fixture_graph):
    text = format_result(run_query(fixture_graph, saved_queries()["co-mentions"].text))
    lines = text.splitlines()
    assert lines[0].startswith("union1") and lines[-1] == "(2 rows)"
