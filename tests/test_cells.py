"""Every table kg writes opens in a spreadsheet without running a formula from a page (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest

from kg.cells import safe_cell

PAGE = ('=WEBSERVICE("http://127.0.0.1:9/x")\n'
        "2023年6月1日\n"
        '=HYPERLINK("http://127.0.0.1:9/","青岛市总工会开展送岗位活动，为职工提供岗位500个。")\n'
        "@SUM(1+1)青岛市总工会开展“金秋助学”活动，发放助学金10万元。\n")
FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def formula_graph(tmp_path_factory):
    import kg

    folder = tmp_path_factory.mktemp("formula")
    (folder / "p1.txt").write_text(PAGE, encoding="utf-8")
    return kg.build([folder])


def _cells(text: str, delimiter: str = ",") -> list[str]:
    return [c for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]


@pytest.mark.parametrize("text, shown", [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'), ("@SUM(1+1)", "'@SUM(1+1)"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("-12", "-12"), ("+3.5", "+3.5"), ("青岛市总工会", "青岛市总工会"), ("a=1", "a=1"), (None, ""), (-7, "-7")])
def test_a_would_be_formula_gets_a_quote_and_plain_values_do_not(text, shown):
    assert safe_cell(text) == shown


def test_export_tables_hold_no_formula(formula_graph):
    from kg.export import to_tables

    tables = to_tables(formula_graph)
    cells = [c for text in tables.values() for c in _cells(text)]
    assert not [c for c in cells if c.startswith(FORMULA)]
    article = next(csv.DictReader(io.StringIO(tables["articles.csv"])))
    assert article["label"] == '\'=WEBSERVICE("http://127.0.0.1:9/x")'
    programs = {r["label"]: r for r in csv.DictReader(io.StringIO(tables["programs.csv"]))}
    assert programs["送岗位活动"]["evidence"].startswith("'=HYPERLINK(")
    assert programs["送岗位活动"]["article"] == article["label"]


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_query_csv_and_tsv_hold_no_formula(formula_graph, fmt, delimiter):
    from kg.sparql import format_result, run_query

    result = run_query(formula_graph, "SELECT ?l ?e WHERE { ?x rdfs:label ?l OPTIONAL { ?x ukg:evidence ?e } }")
    cells = _cells(format_result(result, fmt), delimiter)
    assert "'=WEBSERVICE(\"http://127.0.0.1:9/x\")" in cells
    assert not [c for c in cells if c.startswith(FORMULA)]


def test_endpoint_csv_and_tsv_hold_no_formula():
    import pyoxigraph as ox

    from kg.results import write_solutions

    rows = [(ox.Literal("=WEBSERVICE(\"http://x\")"), ox.Literal("-5", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))), (ox.Literal("@SUM(1+1)"), None)]
    body, _ = write_solutions(["l", "n"], rows, "csv", 10)
    assert _cells(body.decode()) == ["l", "n", "'=WEBSERVICE(\"http://x\")", "-5", "'@SUM(1+1)", ""]
    body, _ = write_solutions(["l", "n"], rows, "tsv", 10)
    assert not [c for line in body.decode().splitlines() for c in line.split("\t") if c.startswith(FORMULA)]
