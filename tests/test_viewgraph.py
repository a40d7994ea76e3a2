"""The view's graph: gathered from streamed triples, the same whatever the graph is read from."""

from decimal import Decimal

from conftest import DATA, SEEDS

from kg.explorer import render_view
from kg.export import read_graph
from kg.viewgraph import gather, of_file, of_graph, of_store, rdflib_terms


def _same(a, b) -> None:
    def values(v):  # a store writes decimals in their canonical form (300000.0 for 300000)
        return [{k: Decimal(x) if k == "value" else x for k, x in d.items()} for d in v.values]

    assert (a.iris, a.classes, a.labels, a.aliases) == (b.iris, b.classes, b.labels, b.aliases)
    assert list(a.links()) == list(b.links())
    assert (values(a), a.fixes, a.added) == (values(b), b.fixes, b.added)


def test_a_file_an_rdflib_graph_and_a_store_give_the_same_view_graph(fixture_store):
    from kg.store import open_store

    streamed = of_file(DATA / "fixture.ttl")
    _same(streamed, of_graph(read_graph(DATA / "fixture.ttl")))
    with open_store(fixture_store) as st:
        _same(streamed, of_store(st))
    assert len(streamed) == 24 and streamed.classes.count("union") == 3


def test_it_has_the_nodes_and_links_kg_to_networkx_has(seed_build):
    """What the view draws is what kg stats counts and kg.to_networkx gives."""
    from kg.network import to_networkx

    G = to_networkx(seed_build.graph)
    V = of_file(seed_build.outputs["turtle"])
    assert V.iris == sorted(G) and [V.classes[i] for i in range(len(V))] == [G.nodes[n]["cls"] for n in V.iris]
    assert [V.labels[i] for i in range(len(V))] == [G.nodes[n]["label"] for n in V.iris]
    assert {(V.iris[s], V.iris[o]): list(p) for s, o, p in V.links()} == {
        (s, o): e["predicates"] for s, o, e in G.edges(data=True)}
    union = V.iris.index(next(n for n in G if G.nodes[n]["label"] == "界首市总工会"))
    assert V.union_yuan(union) == G.nodes[V.iris[union]]["yuan"] == 6000000.0


def test_the_page_is_the_same_bytes_whatever_it_is_read_from(seed_build):
    turtle = seed_build.outputs["turtle"]
    page = render_view(turtle).html
    assert render_view(turtle).html == page
    assert render_view(read_graph(turtle)).html == page
    assert seed_build.outputs["html"].read_text(encoding="utf-8") == page


def test_corrections_mark_the_nodes_they_touched_and_the_links_they_added():
    from kg.corrections import read_corrections
    from kg.pipeline import extract_sources

    g = extract_sources([SEEDS / "003_80d1e12694b9b4b4.txt", SEEDS / "004_ec77a2a9a342d894.txt"],
                        corrections=read_corrections(DATA / "corrections.csv")).graph
    V = gather(rdflib_terms(g))
    party = V.labels.index("“穿梭时空 年代SHOW”单身青年职工交友派对活动")  # the runner rejected: its program is marked
    assert any(f.endswith("(li, 2024-05-01): run by 坪山区群团工作部") for f in V.fixes[party])
    added = {(V.labels[s], V.labels[o]) for s, o in V.added}
    assert ("职工学堂", "界首市") in added  # the place the user added (kg reads the runner link itself)
