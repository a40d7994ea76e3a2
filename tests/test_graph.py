"""The graph follows the contract, is stable, and survives Turtle."""

import re
import subprocess
import sys

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.export import ontology_graph, to_turtle
from kg.vocab import PROV, RDF, RDFS, UKG

from conftest import ROOT, SEEDS

CONTRACT_QUERY_RUNS = """
PREFIX ukg: <https://w3id.org/ukg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?file ?union ?program ?place ?yuan WHERE {
  ?u a ukg:Union ; rdfs:label ?union ; ukg:runs ?p .
  ?p rdfs:label ?program ; prov:wasDerivedFrom/ukg:sourceFile ?file .
  OPTIONAL { ?p ukg:inPlace/rdfs:label ?place }
  OPTIONAL { ?p ukg:amount ?a . ?a ukg:unit "CNY" ; ukg:value ?yuan } }
"""


def test_every_node_has_exactly_one_label(seed_build):
    g = seed_build.graph
    for node in set(g.subjects(RDF.type, None)):
        assert len(list(g.objects(node, RDFS.label))) == 1, node


def test_no_blank_nodes(seed_build):
    assert not any(isinstance(t, BNode) for triple in seed_build.graph for t in triple)


def test_contract_query_answers_who_runs_what_with_how_much(seed_build):
    rows = {(str(r.union), str(r.program), r.yuan and r.yuan.toPython())
            for r in seed_build.graph.query(CONTRACT_QUERY_RUNS) if str(r.file).startswith("000")}
    assert any(u == "山西省总工会" and "土豆" in p and y == 60000 for u, p, y in rows)
    assert any(u == "青岛市总工会" and "三述" in p for u, p, _ in rows)


def test_union_is_one_node_across_articles(seed_build):
    g = seed_build.graph
    hs = [u for u in g.subjects(RDF.type, UKG.Union) if str(g.value(u, RDFS.label)) == "黄山市总工会"]
    assert len(hs) == 1
    files = {str(g.value(a, UKG.sourceFile)) for a in g.objects(hs[0], UKG.mentionedIn)}
    assert {f[:3] for f in files} == {"002", "004"}


def test_a_union_named_by_its_kind_alone_is_one_node_per_file(tmp_path):
    from kg.pipeline import extract_sources

    (tmp_path / "a.txt").write_text("梧桐公司喜讯\n\n公司工会组织开展技能竞赛，300名职工参加。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("临江公司喜讯\n\n公司工会组织开展送清凉活动。\n", encoding="utf-8")
    g = extract_sources([tmp_path / "a.txt", tmp_path / "b.txt"]).graph
    nodes = [u for u in g.subjects(RDF.type, UKG.Union) if str(g.value(u, RDFS.label)) == "公司工会"]
    assert len(nodes) == 2  # two companies' unions, not one
    runs = {str(g.value(p, RDFS.label)) for u in nodes for p in g.objects(u, UKG.runs)}
    assert runs == {"技能竞赛", "送清凉活动"}
    assert all(len({str(g.value(a, UKG.sourceFile)) for a in g.objects(u, UKG.mentionedIn)}) == 1 for u in nodes)


def test_alternative_names_and_locality(seed_build):
    g = seed_build.graph
    qd = next(u for u in g.subjects(RDF.type, UKG.Union) if str(g.value(u, RDFS.label)) == "青岛市总工会")
    assert Literal("青岛市总") in set(g.objects(qd, URIRef("http://www.w3.org/2004/02/skos/core#altLabel")))
    assert str(g.value(g.value(qd, UKG.locatedIn), RDFS.label)) == "青岛市"


def test_amount_values_are_decimals_in_base_units(seed_build):
    g = seed_build.graph
    for a in g.subjects(RDF.type, UKG.Amount):
        v = g.value(a, UKG.value)
        assert v.datatype == URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    texts = {str(g.value(a, UKG.text)): g.value(a, UKG.value).toPython() for a in g.subjects(RDF.type, UKG.Amount)}
    assert texts["362.81万元"] == 3628100
    assert str(g.value(next(a for a in g.subjects(RDF.type, UKG.Amount) if str(g.value(a, UKG.text)) == "6万元"),
                       UKG.value)) == "60000.0"


def test_programs_point_to_article_and_sentence(seed_build):
    g = seed_build.graph
    for p in g.subjects(RDF.type, UKG.Program):
        art = g.value(p, PROV.wasDerivedFrom)
        assert (art, RDF.type, UKG.Article) in g
        assert str(g.value(p, UKG.evidence))


def test_turtle_round_trip_is_isomorphic(seed_build):
    g = seed_build.graph
    back = Graph()
    back.parse(data=to_turtle(g), format="turtle")
    if not isomorphic(g, back):
        _, only_a, only_b = graph_diff(to_isomorphic(g), to_isomorphic(back))
        raise AssertionError(f"lost {len(only_a)} triples, gained {len(only_b)}")


def test_every_ukg_term_is_declared_in_the_ontology(seed_build):
    onto = ontology_graph()
    declared = set(onto.subjects(RDFS.label, None))
    used = {t for triple in seed_build.graph for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(UKG._NS))}
    assert used and used <= declared, used - declared
    for term in declared:
        if str(term).startswith(str(UKG._NS)):
            langs = {o.language for o in onto.objects(term, RDFS.label)}
            assert {"zh", "en"} <= langs, term
            assert onto.value(term, RDFS.comment) is not None, term


def test_contract_prefixes_are_exact(seed_build):
    ns = dict(seed_build.graph.namespaces())
    assert str(ns["ukg"]) == "https://w3id.org/ukg/ontology#"
    assert str(ns["prov"]) == "http://www.w3.org/ns/prov#"
    assert str(ns["skos"]) == "http://www.w3.org/2004/02/skos/core#"


def test_two_builds_give_byte_identical_turtle(tmp_path):
    """Separate processes with different hash seeds: same IRIs, same bytes."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEEDS), "-o", str(out), "-q", "--no-html"],
                       check=True, env=env, cwd=ROOT)
        outs.append((out / "graph.ttl").read_bytes())
    assert outs[0] == outs[1]
    assert re.search(rb"<https://w3id.org/ukg/id/union/", outs[0]) or b"kgr:union/" in outs[0]


def test_importing_kg_is_cheap_and_exports_resolve():
    code = ("import sys, kg; assert 'jieba' not in sys.modules and 'rdflib' not in sys.modules; "
            "assert callable(kg.split_page) and callable(kg.extract_sources) and kg.KgError")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_one_amount_node_per_stated_quantity(seed_build):
    g = seed_build.graph
    nodes = [a for a in g.subjects(RDF.type, UKG.Amount) if str(g.value(a, UKG.text)) == "1693户"]
    assert len(nodes) == 1  # stated once in 002: one node, however many programs it is linked to
    assert len(set(g.subjects(UKG.amount, nodes[0]))) >= 1


def test_runner_links_places_and_amounts_say_how_sure_kg_is(seed_build):
    g = seed_build.graph

    def sure(node, prop=UKG.confidence):
        (value,) = g.objects(node, prop)
        return 0 < float(value) <= 1

    programs = set(g.objects(None, UKG.runs))
    assert programs and all(sure(p, UKG.runnerConfidence) for p in programs)
    amounts = set(g.objects(None, UKG.amount))
    assert amounts and all(sure(a) for a in amounts)
    links = {(g.value(st, RDF.subject), g.value(st, RDF.object)): st
             for st in g.subjects(RDF.predicate, UKG.inPlace)}
    placed = set(g.subject_objects(UKG.inPlace))
    assert placed and set(links) == placed  # each place link stated, with its confidence
    assert all(sure(st) and (st, RDF.type, RDF.Statement) in g for st in links.values())
