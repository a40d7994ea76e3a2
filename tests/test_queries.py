"""Every saved query, with exact expected rows on the hand-made fixture graph."""

from kg.sparql import format_result, parse_binding, run_query, saved_queries


def rows(graph, name, **bind):
    q = saved_queries()[name]
    bindings = dict(parse_binding(f"{k}={v}") for k, v in bind.items())
    return run_query(graph, q.text, bindings).rows


def test_each_saved_query_says_what_it_answers():
    for q in saved_queries().values():
        assert q.text.startswith("# ") and len(q.description) > 20


def test_programs_of_union(fixture_graph):
    got = rows(fixture_graph, "programs-of-union", union="乙县总工会")
    assert [(r["program"], r["date"], r["places"], set(r["amounts"].split("、")), r["file"]) for r in got] == [
        ("助学行动", "2023-09", "丙村", {"120名 = 120 名", "24万元 = 240000 CNY"}, "b.txt"),
        ("困难职工慰问", "2023", "", {""}, "b.txt"),
    ]
    assert got[0]["evidence"].startswith("乙县总工会在丙村启动助学行动")
    assert len(rows(fixture_graph, "programs-of-union")) == 4


def test_money_by_union(fixture_graph):
    got = [(r["union"], float(r["totalYuan"]), int(r["programs"])) for r in rows(fixture_graph, "money-by-union")]
    assert got == [("丁企业工会", 300000.0, 1), ("甲市总工会", 300000.0, 1), ("乙县总工会", 240000.0, 2)]


def test_in_place_includes_places_inside_it(fixture_graph):
    got = {(r["where"], r["union"], r["program"], r["date"]) for r in rows(fixture_graph, "in-place", place="甲市")}
    assert got == {
        ("甲市", "甲市总工会", "“送清凉”活动", "2023-06-16"), ("甲市", "丁企业工会", "“送清凉”活动", "2023-06-16"),
        ("乙县", "乙县总工会", "助学行动", "2023-09"), ("乙县", "乙县总工会", "困难职工慰问", "2023"),
        ("丙村", "乙县总工会", "助学行动", "2023-09"),
    }


def test_what_is_program(fixture_graph):
    (r,) = rows(fixture_graph, "what-is-program", program="“送清凉”活动")
    assert set(r["runners"].split("、")) == {"甲市总工会", "丁企业工会"}
    assert r["places"] == "甲市" and r["amounts"] == "30万元 = 300000 CNY" and r["file"] == "a.txt"
    assert r["date"] == "2023-06-16"


def test_co_mentions(fixture_graph):
    got = [(r["union1"], r["union2"], int(r["articles"])) for r in rows(fixture_graph, "co-mentions")]
    assert got == [("丁企业工会", "甲市总工会", 1), ("乙县总工会", "甲市总工会", 1)]


def test_table_format_aligns_chinese(fixture_graph):
    text = format_result(run_query(fixture_graph, saved_queries()["co-mentions"].text))
    lines = text.splitlines()
    assert lines[0].startswith("union1") and lines[-1] == "(2 rows)"


def test_programs_by_month(fixture_graph):
    got = [(r["month"], int(r["programs"]), float(r["yuan"]), set(r["unions"].split("、")))
           for r in rows(fixture_graph, "programs-by-month")]
    assert got == [("2023-09", 1, 240000.0, {"乙县总工会"}), ("2023-06", 1, 300000.0, {"甲市总工会", "丁企业工会"})]


def test_contract_prefixes_need_no_prefix_lines(fixture_graph):
    got = run_query(fixture_graph, "SELECT ?l WHERE { ?u a ukg:Union ; skos:altLabel ?l }").rows
    assert got == [{"l": "甲市总"}]


def test_a_binding_the_query_lacks_names_the_variables_it_has(fixture_graph):
    import pytest

    from kg.errors import QueryError

    with pytest.raises(QueryError, match=r"no variable \?unoin; its variables are \?union, \?program"):
        rows(fixture_graph, "programs-of-union", unoin="甲市总工会")


def test_an_other_name_is_bound_as_the_label_with_a_note(fixture_graph):
    q = saved_queries()["programs-of-union"]
    result = run_query(fixture_graph, q.text, dict([parse_binding("union=甲市总")]))
    assert [r["program"] for r in result.rows] == ["“送清凉”活动"]
    assert result.notes == ["union=甲市总 is another name of 甲市总工会; bound ?union to 甲市总工会"]


def test_updates_are_refused_as_read_only(fixture_graph):
    import pytest

    from kg.errors import QueryError

    for text in ("INSERT DATA { <a> <b> <c> }", "DELETE WHERE { ?s ?p ?o }", "CLEAR ALL"):
        with pytest.raises(QueryError, match="kg query is read-only"):
            run_query(fixture_graph, text)
    assert len(fixture_graph) > 0


def test_construct_prints_turtle_with_our_prefixes(fixture_graph):
    text = format_result(run_query(fixture_graph, "CONSTRUCT { ?u ukg:runs ?p } WHERE { ?u ukg:runs ?p }"))
    assert "@prefix ukg: <https://w3id.org/ukg/ontology#> ." in text and " ukg:runs " in text
