"""The served explorer's API on the seeds' graph: search by any name, a node's neighbours a page at a time,
the table's filters, facets, sorting and downloads, the map; money as the static view says it."""

import gc
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("pyoxigraph", reason="pyoxigraph is not installed (pip install -e .)")

from kg import browse  # noqa: E402
from kg.browse import Filters, Table  # noqa: E402
from kg.errors import BrowseError  # noqa: E402

KGR = "https://w3id.org/ukg/id/"
JINGZHOU = KGR + "union/荆州市总工会"
FUZHI = KGR + "program/001_69aa9dea666dac39-3/“扶智纾困”帮扶项目"


@pytest.fixture(scope="module")
def select(seed_build):
    """A ``select`` over the seeds' graph in Oxigraph that checks each query as the endpoint's workers do
    (:mod:`kg.guard`): every query the API makes must pass it. One thread runs them all (pyoxigraph's
    results belong to the thread that made them), as a worker process does."""
    from kg.guard import inspect_query
    from kg.sparql import load_graph_file
    from kg.vocab import PREFIXES

    store = load_graph_file(seed_build.outputs["turtle"])
    gc.collect()  # what other tests left to the collector dies here, not in the thread below
    one = ThreadPoolExecutor(1)

    def run(text, max_rows):
        result = store.query(inspect_query(text).text, prefixes=PREFIXES)
        names = [v.value for v in result.variables]
        rows = [{n: sol[n].value for n in names if sol[n] is not None} for sol in result]
        del result
        gc.collect()
        return rows[:max_rows] if max_rows else rows

    yield lambda text, max_rows=None: one.submit(run, text, max_rows).result()
    one.shutdown()


@pytest.fixture(scope="module")
def table(select):
    return Table.read(select)


def test_search_finds_a_union_by_another_name_and_says_so(select):
    found = browse.search(select, "青岛市总")
    assert found["matches"][0] == {"id": KGR + "union/青岛市总工会", "label": "青岛市总工会", "cls": "union",
                                   "name": "青岛市总"}
    assert found["notes"] == ["青岛市总 is another name of 青岛市总工会"]
    assert [(m["label"], m["cls"]) for m in browse.search(select, "荆州")["matches"]] == [
        ("荆州市总工会", "union"), ("荆州市", "place")]
    assert browse.search(select, "资助金")["matches"][0]["label"] == "发放资助金"


@pytest.mark.parametrize("text", ["资助金", "青岛市总", "活动", "SHOW", "没有的名字"])
def test_programs_found_in_the_table_are_those_the_graph_has(select, table, text):
    assert browse.search(select, text, table=table) == browse.search(select, text)


def test_a_text_no_name_holds_gets_the_closest_names(select):
    found = browse.search(select, "青岛总工会")
    assert found["matches"] == [] and found["closest"][0] == "青岛市总工会"
    assert found["notes"][0].startswith("no union, place or program is named 青岛总工会; the closest: 青岛市总工会")


@pytest.mark.parametrize("text", ['"} } SELECT * WHERE { ?s ?p ?o } #', "\\u0022) } #", "甲\u2028乙\x00丙\\", "x" * 5000])
def test_search_text_is_only_ever_a_string_in_the_query(select, text):
    found = browse.search(select, text)
    assert found["matches"] == [] and len(found["text"]) <= browse.MAX_TEXT


def _count(select, query: str) -> int:
    (row,) = select(query)
    return int(next(iter(row.values())))


def test_a_union_lists_its_programs_a_page_at_a_time_with_its_money(select, table):
    n = _count(select, f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ <{JINGZHOU}> ukg:runs ?p }}")
    assert n > 10  # what follows pages through them five at a time
    first = browse.node(select, JINGZHOU, limit=5)
    assert first["label"] == "荆州市总工会" and first["cls"] == "union" and "荆州市总" in first["aliases"]
    assert first["yuan"] == 768000  # kg stats says the same: its programs' stated totals
    assert browse.node(select, JINGZHOU, limit=5, table=table) == first  # its money from the table read already
    for told in ("union", "place", "article"):  # the class the page says it has narrows what is asked, no more
        assert browse.node(select, JINGZHOU, limit=5, cls=told) == first
    runs = next(g for g in first["groups"] if g["kind"] == "runs>")
    assert runs["total"] == n and len(runs["items"]) == 5
    dates = [i.get("date", "") for i in runs["items"]]
    assert dates == sorted(dates, reverse=True)
    more = browse.node(select, JINGZHOU, kind="runs>", offset=5, limit=5)["groups"][0]
    assert more["offset"] == 5 and len(more["items"]) == 5
    assert not {i["id"] for i in more["items"]} & {i["id"] for i in runs["items"]}
    last = (n - 1) // 5 * 5
    rest = browse.node(select, JINGZHOU, kind="runs>", offset=last, limit=5)["groups"][0]["items"]
    assert len(rest) == n - last
    assert {"locatedIn>"} <= {g["kind"] for g in first["groups"]}


def test_a_program_shows_its_money_as_the_static_view_does(select):
    p = browse.node(select, FUZHI)
    assert p["cls"] == "program" and p["date"] == "2023-12-15" and p["files"] == ["001_69aa9dea666dac39.txt"]
    assert p["yuan"] is None and p["standards"] == ["800–7000元"] and p["others"] == ["累计超过180万元"]
    groups = {g["kind"]: g for g in p["groups"]}
    assert [i["label"] for i in groups["runs<"]["items"]] == ["广西壮族自治区总工会"]
    assert groups["inPlace>"]["total"] == 5 and groups["amount>"]["total"] == 4


def test_a_node_is_asked_by_its_iri_only(select):
    with pytest.raises(BrowseError) as e:
        browse.node(select, KGR + "union/x> } SELECT * WHERE { ?s ?p ?o")
    assert e.value.status == 400
    with pytest.raises(BrowseError) as e:
        browse.node(select, KGR + "union/没有这个工会")
    assert e.value.status == 404 and "no node" in str(e.value)
    with pytest.raises(BrowseError):
        browse.node(select, JINGZHOU, kind="mentionedIn>")


def test_the_first_frame_is_the_busiest_unions_with_a_few_programs_each(select):
    first = browse.overview(select, unions=5, programs=2)
    unions = [n for n in first["nodes"] if n["cls"] == "union"]
    assert [u["label"] for u in unions][:1] == ["荆州市总工会"] and len(unions) == 5
    assert [u["programs"] for u in unions] == sorted((u["programs"] for u in unions), reverse=True)
    programs = {n["id"] for n in first["nodes"] if n["cls"] == "program"}
    assert 5 <= len(programs) <= 10
    assert {e["to"] for e in first["edges"]} == programs and {e["from"] for e in first["edges"]} <= {u["id"] for u in unions}
    jingzhou = [e["to"] for e in first["edges"] if e["from"] == JINGZHOU]
    assert KGR + "program/001_69aa9dea666dac39-11/女职工安康保险等服务" in jingzhou  # its one program with money
    assert first["counts"]["union"] == _count(select, "SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { ?u a ukg:Union }")
    assert first["counts"]["program"] == _count(select, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ukg:Program }")


def test_table_rows_are_union_and_program_with_the_static_views_money(table, seed_build):
    from kg.export import read_graph
    from kg.network import to_networkx

    G = to_networkx(read_graph(seed_build.outputs["turtle"]))
    runs = {(u, p) for u, p, e in G.edges(data=True) if "runs" in e["predicates"]}
    assert {(r.union, r.program) for r in table.rows} == runs
    assert all(r.yuan == G.nodes[r.program]["yuan"] for r in table.rows)
    assert all(r.confidence == G.nodes[r.program]["confidence"] for r in table.rows)


def test_table_filters_by_province_and_by_a_place_with_what_is_inside_it(table):
    page = table.page(Filters(province="450000"))
    assert page["total"] == 2 and all(r["provinces"] == "广西壮族自治区" for r in page["rows"])
    hechi = table.page(Filters(place=KGR + "place/河池市"))  # the program is in 板逢村 …, inside 东兰县, inside 河池市
    assert [r["program_label"] for r in hechi["rows"]] == ["“扶智纾困”帮扶项目"]
    assert table.page(Filters(text="资助金"))["rows"][0]["program_label"] == "发放资助金"
    every = table.page(Filters())["total"]
    assert 0 < table.page(Filters(min_confidence=0.6))["total"] < every


@pytest.mark.parametrize("facet", ["province", "year", "union", "place"])
def test_each_facet_count_is_the_rows_its_value_keeps(table, facet):
    values = table.page(Filters(), limit=1)["facets"][facet]
    assert values and all(v["label"] for v in values)
    for v in values[:8]:
        assert table.page(Filters(**{facet: v["value"]}), limit=1)["total"] == v["count"]
    within = table.page(Filters(province="230000"), limit=1)["facets"]
    assert within["province"][0]["value"] == "230000"  # the one chosen first, the others still offered
    assert sum(v["count"] for v in within["union"]) == table.page(Filters(province="230000"))["total"]


def test_table_sorts_with_rows_without_a_value_last_either_way(table):
    for descending in (True, False):
        rows = table.page(Filters(), sort="money", descending=descending, limit=200)["rows"]
        money = [r["yuan"] for r in rows]
        stated = [m for m in money if m is not None]
        assert stated == sorted(stated, reverse=descending) and money[:len(stated)] == stated
    assert table.page(Filters(), sort="money", descending=True)["rows"][0]["yuan"] == 6800000
    with pytest.raises(BrowseError):
        table.page(Filters(), sort="rowid")


def test_downloads_are_the_filtered_rows_as_csv_with_a_bom_and_as_json(table):
    text, cut = table.download(Filters(province="230000"), sort="program")
    lines = text.splitlines()
    assert text.startswith("\ufeffunion,program,place,province,date,yuan,confidence") and not cut
    assert len(lines) == 1 + table.page(Filters(province="230000"))["total"]
    assert all("黑龙江省" in line for line in lines[1:])
    data = json.loads(table.download(Filters(province="230000"), fmt="json")[0])
    assert data["filters"]["province"] == "230000" and len(data["rows"]) == len(lines) - 1
    with pytest.raises(BrowseError):
        table.download(Filters(), fmt="xlsx")


def test_the_map_counts_a_program_at_the_nearest_place_with_an_adcode(table):
    m = table.map()
    donglan = next(p for p in m["points"] if p["name"] == "东兰县")
    assert donglan["code"] == "451224" and donglan["programs"] == 1 and donglan["unions"] == 1
    provinces = {p["code"]: p for p in m["provinces"]}
    heilongjiang = {r.program for r in table.rows if "230000" in r.province_codes}  # the table's rows placed there
    assert provinces["140000"]["yuan"] == 60000 and provinces["230000"]["programs"] == len(heilongjiang) > 1


@pytest.mark.parametrize("params, message", [
    ({"province": "广东"}, "6-digit adcode"),
    ({"year": "23"}, "YYYY"),
    ({"union": "青岛市总工会"}, "not the IRI of a node"),
    ({"min_confidence": "high"}, "a number from 0 to 1"),
])
def test_filters_refuse_what_they_cannot_use_in_one_line(params, message):
    with pytest.raises(BrowseError) as e:
        Filters.of(params)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_before_the_table_is_read_programs_are_found_by_their_names_alone(select, table):
    from kg.browse import ProgramNames

    names = ProgramNames.read(select)
    for text in ("培训", "扶智纾困", "青岛市总"):
        with_names = browse.search(select, text, table=names)
        assert with_names["matches"] and with_names == browse.search(select, text, table=table)
