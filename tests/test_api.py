"""The notebook API: kg.build, kg.query, kg.to_networkx, kg.view (tests/test_readme.py runs the README's example)."""

from __future__ import annotations

import kg
import pytest
from rdflib import Graph

from conftest import SEEDS


def test_the_api_is_listed_in_all():
    for name in ("build", "query", "to_networkx", "view"):
        assert name in kg.__all__ and callable(getattr(kg, name))


def test_build_query_convert_view(tmp_path):
    g = kg.build(SEEDS / "000_9ba6a6a8fcca6d91.txt")
    assert isinstance(g, Graph) and len(g) > 100
    with pytest.warns(UserWarning, match="union=青岛市总 is another name of 青岛市总工会"):
        rows = kg.query(g, "programs-of-union", union="青岛市总")
    assert {r["program"] for r in rows} >= {"“三化一型”干部队伍", "“三述”倒逼工作"}
    assert all(r["union"] == "青岛市总工会" for r in rows)
    assert kg.query(g, "ASK { ?u a ukg:Union }") is True
    assert isinstance(kg.query(g, "CONSTRUCT { ?u a ukg:Union } WHERE { ?u a ukg:Union }"), Graph)
    G = kg.to_networkx(g)
    assert any(d["label"] == "青岛市总工会" for _, d in G.nodes(data=True))
    v = kg.view(g, focus="青岛市总工会", path=tmp_path / "v.html")
    assert (tmp_path / "v.html").read_text(encoding="utf-8") == v.html
    assert v._repr_html_().startswith("<iframe srcdoc=")


def test_a_graph_file_path_works_as_a_graph(seed_build):
    rows = kg.query(seed_build.outputs["turtle"], "SELECT (COUNT(*) AS ?n) WHERE { ?p a ukg:Program }")
    assert rows[0]["n"] > 50


def test_values_come_typed_and_a_view_prints_in_one_line(seed_build):
    """Numbers, sums and dates come as int, Decimal and date, from a graph file and from a Graph alike."""
    import datetime
    from decimal import Decimal

    q = "SELECT (MAX(?d) AS ?day) WHERE { ?p ukg:date ?d FILTER(DATATYPE(?d) = xsd:date) }"
    for graph in (seed_build.outputs["turtle"], kg.read_graph(seed_build.outputs["turtle"])):
        (row, *_) = kg.query(graph, "money-by-union")
        assert isinstance(row["programs"], int) and isinstance(row["totalYuan"], Decimal)
        assert isinstance(row["union"], str)
        assert isinstance(kg.query(graph, q)[0]["day"], datetime.date)
    v = kg.view(seed_build.outputs["turtle"], focus="青岛市总")
    assert "\n" not in repr(v) and len(repr(v)) < 200 and "青岛市总工会" in repr(v)


def test_the_api_gives_programs_and_unions_their_totals_only():
    """kg.to_networkx: a program's ``yuan`` adds its total amounts alone (None when it has none)."""
    G = kg.to_networkx(kg.build(SEEDS / "001_69aa9dea666dac39.txt"))
    money = {d["label"]: d["yuan"] for _, d in G.nodes(data=True) if d["cls"] in ("program", "union")}
    assert money["“扶智纾困”帮扶项目"] is None and money["发放资助金"] == 510200.0
    assert money["陕西省总工会"] == 4500000.0  # 300万元 and 各150万元 as stated
