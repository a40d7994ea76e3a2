"""kg export: every format on the fixture graph, read back the way other tools read it."""

from __future__ import annotations

import csv
import io

import networkx as nx
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.export import export, to_graphml, to_jsonld, to_ntriples, to_tables


def test_jsonld_parses_back_isomorphic(fixture_graph):
    back = Graph().parse(data=to_jsonld(fixture_graph), format="json-ld")
    assert isomorphic(back, fixture_graph)
    assert to_jsonld(fixture_graph) == to_jsonld(fixture_graph)


def test_ntriples_sorted_and_isomorphic(fixture_graph):
    text = to_ntriples(fixture_graph)
    lines = text.splitlines()
    assert lines == sorted(lines) and len(lines) == len(fixture_graph)
    assert isomorphic(Graph().parse(data=text, format="nt"), fixture_graph)


def test_graphml_round_trips_through_networkx_with_scalar_attributes(fixture_graph, tmp_path):
    (path,) = export(fixture_graph, "graphml", tmp_path / "g.graphml")
    G = nx.read_graphml(path)
    union = G.nodes["https://w3id.org/ukg/id/union/甲市总工会"]
    assert union == {"iri": "https://w3id.org/ukg/id/union/甲市总工会", "cls": "union", "label": "甲市总工会",
                     "aliases": "甲市总", "sources": "a.txt|b.txt"}
    program = G.nodes["https://w3id.org/ukg/id/program/b-1/助学"]
    assert program["date"] == "2023-09" and program["label"] == "助学行动"
    amount = G.nodes["https://w3id.org/ukg/id/program/b-1/助学/amount-25"]
    assert amount["value"] == 240000.0 and amount["unit"] == "CNY" and amount["text"] == "24万元"
    edge = G.edges["https://w3id.org/ukg/id/union/乙县总工会", "https://w3id.org/ukg/id/program/b-1/助学"]
    assert edge["predicates"] == "runs"
    assert all(not isinstance(v, (list, dict)) for _, d in G.nodes(data=True) for v in d.values())
    assert to_graphml(fixture_graph) == to_graphml(fixture_graph)


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_tables_exact_rows(fixture_graph):
    tables = to_tables(fixture_graph)
    runs = [(r["union"], r["program"], r["place"], r["date"], r["yuan"], r["file"]) for r in _rows(tables["runs.csv"])]
    assert runs == [
        ("丁企业工会", "“送清凉”活动", "甲市", "2023-06-16", "300000.0", "a.txt"),
        ("乙县总工会", "助学行动", "丙村", "2023-09", "240000.0", "b.txt"),
        ("乙县总工会", "困难职工慰问", "", "2023", "", "b.txt"),
        ("甲市总工会", "“送清凉”活动", "甲市", "2023-06-16", "300000.0", "a.txt"),
    ]
    unions = {r["label"]: (r["aliases"], r["locality"], r["articles"]) for r in _rows(tables["unions.csv"])}
    assert unions == {"甲市总工会": ("甲市总", "甲市", "2"), "乙县总工会": ("", "乙县", "1"), "丁企业工会": ("", "", "1")}
    places = {r["label"]: r["part_of"] for r in _rows(tables["places.csv"])}
    assert places == {"甲省": "", "甲市": "甲省", "乙县": "甲市", "丙村": "乙县"}
    amounts = {(r["text"], r["value"], r["unit"], r["program"]) for r in _rows(tables["amounts.csv"])}
    assert amounts == {("30万元", "300000", "CNY", "“送清凉”活动"), ("120名", "120", "名", "助学行动"),
                       ("24万元", "240000", "CNY", "助学行动")}
    programs = {r["label"]: (r["date"], r["runners"], r["file"]) for r in _rows(tables["programs.csv"])}
    assert programs["“送清凉”活动"] == ("2023-06-16", "丁企业工会|甲市总工会", "a.txt")
    assert [r["file"] for r in _rows(tables["articles.csv"])] == ["a.txt", "b.txt"]


def test_export_writes_nothing_when_the_target_is_wrong(fixture_graph, tmp_path):
    import pytest

    from kg.errors import KgError

    (tmp_path / "dir").mkdir()
    with pytest.raises(KgError, match="is a folder; give a file name"):
        export(fixture_graph, "turtle", tmp_path / "dir")
    assert list((tmp_path / "dir").iterdir()) == []
