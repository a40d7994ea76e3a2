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
                     "aliases": "甲市总", "sources": "a.txt|b.txt", "yuan": 350000.0}
    program = G.nodes["https://w3id.org/ukg/id/program/b-1/助学"]
    assert program["date"] == "2023-09" and program["label"] == "助学行动" and program["yuan"] == 240000.0
    amount = G.nodes["https://w3id.org/ukg/id/program/b-1/助学/amount-25"]
    assert amount["value"] == 240000.0 and amount["unit"] == "CNY" and amount["text"] == "24万元"
    assert amount["role"] == "total" and G.nodes["https://w3id.org/ukg/id/program/b-1/助学/amount-33"]["per"] == "人"
    edge = G.edges["https://w3id.org/ukg/id/union/乙县总工会", "https://w3id.org/ukg/id/program/b-1/助学"]
    assert edge["predicates"] == "runs"
    assert all(not isinstance(v, (list, dict)) for _, d in G.nodes(data=True) for v in d.values())
    assert to_graphml(fixture_graph) == to_graphml(fixture_graph)


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_tables_exact_rows(fixture_graph):
    """``yuan`` is the sum of a program's total amounts (none: empty); the other roles have their own columns."""
    tables = to_tables(fixture_graph)
    runs = [(r["union"], r["program"], r["place"], r["date"], r["yuan"], r["standard"], r["other_yuan"], r["file"])
            for r in _rows(tables["runs.csv"])]
    assert runs == [
        ("丁企业工会", "“送清凉”活动", "甲市", "2023-06-16", "300000.0", "", "其中10万元", "a.txt"),
        ("乙县总工会", "助学行动", "丙村", "2023-09", "240000.0", "每人2000元|800–7000元", "累计180万元", "b.txt"),
        ("乙县总工会", "困难职工慰问", "", "2023", "", "", "计划不少于50万元|收到3万元", "b.txt"),
        ("甲市总工会", "“送清凉”活动", "甲市", "2023-06-16", "300000.0", "", "其中10万元", "a.txt"),
        ("甲市总工会", "防暑药品发放", "", "", "350000.0", "", "", "a.txt"),
    ]
    unions = {r["label"]: (r["aliases"], r["locality"], r["articles"], r["yuan"]) for r in _rows(tables["unions.csv"])}
    assert unions == {"甲市总工会": ("甲市总", "甲市", "2", "350000.0"), "乙县总工会": ("", "乙县", "1", "240000.0"),
                      "丁企业工会": ("", "", "1", "300000.0")}
    places = {r["label"]: r["part_of"] for r in _rows(tables["places.csv"])}
    assert places == {"甲省": "", "甲市": "甲省", "乙县": "甲市", "丙村": "乙县"}
    amounts = {(r["text"], r["value"], r["unit"], r["role"], r["per"], r["program"])
               for r in _rows(tables["amounts.csv"])}
    assert ("30万元", "300000", "CNY", "total", "", "“送清凉”活动|防暑药品发放") in amounts
    assert ("2000元", "2000", "CNY", "perUnit", "人", "助学行动") in amounts and len(amounts) == 11
    programs = {r["label"]: (r["date"], r["runners"], r["yuan"], r["standard"], r["file"])
                for r in _rows(tables["programs.csv"])}
    assert programs["“送清凉”活动"] == ("2023-06-16", "丁企业工会|甲市总工会", "300000.0", "", "a.txt")
    assert programs["助学行动"][2:4] == ("240000.0", "每人2000元|800–7000元")
    assert [r["file"] for r in _rows(tables["articles.csv"])] == ["a.txt", "b.txt"]


def test_export_writes_nothing_when_the_target_is_wrong(fixture_graph, tmp_path):
    import pytest

    from kg.errors import KgError

    (tmp_path / "dir").mkdir()
    with pytest.raises(KgError, match="is a folder; give a file name"):
        export(fixture_graph, "turtle", tmp_path / "dir")
    assert list((tmp_path / "dir").iterdir()) == []


def test_runs_csv_on_the_seeds_gives_a_program_its_total_only(seed_build):
    """扶智纾困: no 1,807,800 (超过180万元 since 2019 plus both ends of 800元至7000元) as its money."""
    runs = [r for r in _rows(to_tables(seed_build.graph)["runs.csv"]) if r["program"] == "“扶智纾困”帮扶项目"]
    assert runs and all((r["yuan"], r["standard"], r["other_yuan"]) == ("", "800–7000元", "累计超过180万元")
                        for r in runs)
    assert not any(r["yuan"] == "1807800.0" for r in _rows(to_tables(seed_build.graph)["runs.csv"]))
