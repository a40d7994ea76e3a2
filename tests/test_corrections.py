"""Corrections: fixed once, a fact stays fixed through rebuilds, store updates and edits of its file."""

from __future__ import annotations

import shutil

import pytest

from kg.cli import main
from kg.corrections import Corrections, read_corrections
from kg.export import read_graph, turtle_of
from kg.pipeline import build, build_store, extract_sources
from kg.sparql import run_query
from kg.store import open_store

from conftest import DATA, SEEDS

FIXES = DATA / "corrections.csv"
"""Ten real fixes of the seeds' graph, one of each kind (docs/corrections.md)."""
F000, F001, F002, F003, F004 = sorted(p.name for p in SEEDS.glob("*.txt"))


def _rows(graph, text: str) -> set[tuple]:
    return {tuple(str(v) for v in r.values()) for r in run_query(graph, text).rows}


def _runs(graph) -> set[tuple]:
    return _rows(graph, "SELECT ?file ?union ?program WHERE { ?u ukg:runs ?p ; rdfs:label ?union . "
                        "?p rdfs:label ?program ; prov:wasDerivedFrom/ukg:sourceFile ?file }")


def _links(graph, prop: str) -> set[tuple]:
    return _rows(graph, f"SELECT ?file ?program ?x WHERE {{ ?p a ukg:Program ; rdfs:label ?program ; "
                        f"prov:wasDerivedFrom/ukg:sourceFile ?file ; {prop} ?x }}")


def _unions(graph) -> set[tuple]:
    return _rows(graph, "SELECT ?file ?union WHERE { ?u a ukg:Union ; rdfs:label ?union ; "
                        "ukg:mentionedIn/ukg:sourceFile ?file }")


def _alt(graph) -> set[tuple]:
    return _rows(graph, "SELECT ?label ?alt WHERE { ?n rdfs:label ?label ; skos:altLabel ?alt }")


def assert_corrected(g) -> None:
    """Every fix of tests/data/corrections.csv holds in ``g``."""
    runs = _runs(g)
    assert (F003, "坪山区总工会", "“穿梭时空 年代SHOW”单身青年职工交友派对活动") not in runs
    assert not any(p == "“述理论、述政策、述典型”活动" for _f, _u, p in runs)
    assert (F002, "泰山茶博城管理公司工会") not in _unions(g)
    assert (F001, "发放资助金", "63名") not in _links(g, "ukg:amount/ukg:text")
    assert (F001, "发放资助金", "51.02万元") in _links(g, "ukg:amount/ukg:text")  # the other amounts stay
    assert (F003, "露营行业技能比武", "孝源街道") not in _links(g, "ukg:inPlace/rdfs:label")
    assert not any(u == "亚父街道工会" for _f, u in _unions(g))
    assert ("巢湖市亚父街道工会联盟", "亚父街道工会") in _alt(g)
    assert not any(p == "“业余小教员”活动" for _f, _u, p in runs)
    assert ("“名师带高徒”活动", "“业余小教员”活动") in _alt(g)
    assert (F003, "深圳市坪山区总工会") in _unions(g) and ("深圳市坪山区总工会", "坪山区总工会") in _alt(g)
    assert (F000, "象州县总工会", "直播带货") in runs and ("直播带货", "直播") in _alt(g)
    assert (F004, "界首市总工会", "职工学堂") in runs
    assert (F004, "职工学堂", "界首市") in _links(g, "ukg:inPlace/rdfs:label")
    assert (F004, "职工学堂", "36期") in _links(g, "ukg:amount/ukg:text")


@pytest.fixture(scope="module")
def corrected():
    return extract_sources([SEEDS], corrections=read_corrections(FIXES))


def test_each_kind_of_correction_holds_and_the_graph_says_who_when_and_what(corrected):
    assert corrected.corrections.unapplied == [] and len(corrected.corrections.applied) == 10
    g = corrected.graph
    assert_corrected(g)
    made = _rows(g, "SELECT ?label ?who ?when WHERE { ?c a ukg:Correction ; rdfs:label ?label ; "
                    "prov:wasAttributedTo/rdfs:label ?who ; prov:generatedAtTime ?when }")
    assert len(made) == 10 and {(w, t.replace("+00:00", "Z")) for _l, w, t in made} == {("li", "2024-05-01T10:00:00Z")}
    removed = _rows(g, "SELECT ?s ?o ?note WHERE { ?c ukg:removes ?st ; rdfs:comment ?note . "
                       "?st rdf:subject ?s ; rdf:predicate ukg:runs ; rdf:object ?o }")
    [(union, program, note)] = removed
    assert union.endswith("/union/坪山区总工会") and "%E2%80%9C" not in program and note.startswith("run by")
    added = _rows(g, "SELECT ?o WHERE { ?c ukg:action 'add' ; ukg:adds ?st . ?st rdf:predicate ukg:inPlace ; "
                     "rdf:object ?o }")
    assert {o.rsplit("/", 1)[1] for (o,) in added} == {"界首市"}


def test_no_corrections_is_what_the_extractor_alone_says(corrected):
    alone = extract_sources([SEEDS])
    assert turtle_of(extract_sources([SEEDS], corrections=Corrections()).triples) == turtle_of(alone.triples)
    assert (F003, "坪山区总工会", "“穿梭时空 年代SHOW”单身青年职工交友派对活动") in _runs(alone.graph)
    assert corrected.extractions == alone.extractions  # the records stay as read; only the graph is corrected


def test_file_store_and_memory_builds_agree_and_fixes_survive_updates_and_edits(corrected, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:4]:
        shutil.copy(f, pages / f.name)
    store = tmp_path / "store"
    store.mkdir()
    shutil.copy(FIXES, store / "corrections.csv")  # a store's own corrections file
    first = build_store([pages], store)
    assert len(first.corrections.applied) == 8  # 004 is not in yet: its two fixes wait, reported
    assert [n for n, _c, _why in first.corrections.unapplied] == [6, 10]
    assert f"{F004} is not in this build" in first.corrections.lines()[1]

    shutil.copy(SEEDS / F004, pages / F004)  # a store update of another file
    r = build_store([pages], store)
    assert r.added == [F004] and not r.corrections.unapplied
    with open_store(store) as st:
        stored = turtle_of(st.triples())
    assert stored == turtle_of(corrected.triples)

    out = tmp_path / "out"  # a file build, streamed, with the output folder's corrections file
    out.mkdir()
    shutil.copy(FIXES, out / "corrections.csv")
    done = build([pages], out, html=False)
    assert (out / "graph.ttl").read_text(encoding="utf-8") == stored
    assert len(done.corrections.applied) == 10

    page = pages / F003  # the corrected file changes, its corrected facts stay in it
    page.write_text(page.read_text(encoding="utf-8") + "\n\n南开区总工会开展“冬送温暖”活动\n\n"
                    "南开区总工会开展“冬送温暖”活动，走访慰问困难职工100户。\n", encoding="utf-8")
    r = build_store([pages], store)
    assert r.changed == [F003] and not r.corrections.unapplied
    with open_store(store) as st:
        g = st.graph()
    assert_corrected(g)
    assert (F003, "南开区总工会", "“冬送温暖”活动") in _runs(g)
    with open_store(store) as st:
        stored = turtle_of(st.triples())
    assert stored == turtle_of(extract_sources([pages], corrections=read_corrections(FIXES)).triples)


def test_a_correction_whose_target_is_gone_is_reported_not_dropped(tmp_path, capsys):
    page = tmp_path / F003
    text = (SEEDS / F003).read_text(encoding="utf-8")
    page.write_text(text.replace("穿梭时空 年代SHOW", "青春有约"), encoding="utf-8")  # the program is renamed
    fixes = tmp_path / "fixes.csv"
    shutil.copy(FIXES, fixes)
    assert main(["build", str(page), "-o", str(tmp_path / "out"), "--no-html", "--corrections", str(fixes)]) == 0
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if "not applied" in line]
    assert "correction 1 not applied: reject runs 坪山区总工会 → “穿梭时空 年代SHOW”" in lines[0]
    assert "no longer in the graph" in lines[0]
    assert sum("is not in this build" in line for line in lines) == 6  # the other files' fixes
    assert "corrected 2  (8 not applied)" in out  # and the merge of a union no file names now
    assert read_corrections(fixes).items == read_corrections(FIXES).items  # kept in the file
    g = read_graph(tmp_path / "out" / "graph.ttl")
    assert (F003, "深圳市坪山区总工会", "“青春有约”单身青年职工交友派对活动") in _runs(g)  # never applied to another


def test_kg_correct_checks_each_against_the_graph_lists_and_undoes(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(SEEDS / F003), "-o", str(out), "--no-html", "-q"]) == 0
    capsys.readouterr()
    program = "“穿梭时空 年代SHOW”单身青年职工交友派对活动"
    assert main(["correct", "reject", "runs", program, "坪山区总工会", "--file", F003, "-o", str(out),
                 "--by", "li", "--note", "run by 坪山区群团工作部"]) == 0
    assert "correction 1: reject runs 坪山区总工会 → " in capsys.readouterr().out

    assert main(["correct", "reject", "program", "穿梭时空", "--file", F003, "-o", str(out)]) == 1
    assert f"no program 穿梭时空 in {F003}; did you mean: {program}" in capsys.readouterr().err
    assert main(["correct", "reject", "program", "宣讲活动", "--file", F003, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kg: error: 2 programs 宣讲活动 in {F003}: «") and "--evidence" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["correct", "reject", "program", "宣讲活动", "--file", F003, "--evidence", "“小喇叭”",
                 "-o", str(out), "--by", "li"]) == 0
    capsys.readouterr()
    assert main(["correct", "reject", "runs", program, "坪山区总工会", "--file", F003, "-o", str(out)]) == 1
    assert "correction 1 already says this" in capsys.readouterr().err
    assert main(["correct", "add", "青年交友派对", "--union", "坪山区总工会", "--file", F003, "-o", str(out),
                 "--evidence", "吸引了来自全区40余个机关企事业单位的100余名单身青年参与", "--amount", "100余名"]) == 0
    capsys.readouterr()

    assert main(["correct", "list", "-o", str(out)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("  1  reject runs 坪山区总工会 → ") and "(li, " in listed[0]
    assert listed[-1].startswith(f"  {len(listed)}  add 坪山区总工会 runs 青年交友派对 with 100余名 in {F003}")
    assert main(["correct", "undo", str(len(listed)), "-o", str(out)]) == 0
    assert len(read_corrections(out / "corrections.csv").items) == len(listed) - 1
    assert main(["correct", "undo", "9", "-o", str(out)]) == 1
    assert "no correction 9" in capsys.readouterr().err

    assert main(["build", str(SEEDS / F003), "-o", str(out), "--no-html"]) == 0  # its own corrections.csv
    assert "corrected 2  from" in capsys.readouterr().out
    g = read_graph(out / "graph.ttl")
    assert (F003, "坪山区总工会", program) not in _runs(g)
    assert [e for (e,) in _rows(g, "SELECT ?e WHERE { ?p rdfs:label '宣讲活动' ; ukg:evidence ?e }")] == [
        "此外，象州县总工会深化“党建+工建”融合，打造擦亮“象模象样”劳模引领工作品牌，发挥象州劳模、职工榜样的引领作用，共开展宣讲活动11场。"]


def test_evaluate_scores_the_graph_against_what_users_fixed(corrected, capsys, tmp_path):
    fixed = tmp_path / "fixed.ttl"
    fixed.write_text(turtle_of(corrected.triples), encoding="utf-8")
    alone = tmp_path / "alone.ttl"
    alone.write_text(turtle_of(extract_sources([SEEDS]).triples), encoding="utf-8")
    assert main(["evaluate", str(fixed), str(FIXES)]) == 0
    out = capsys.readouterr().out
    assert "mean F1" not in out  # no gold given: the corrections alone
    assert "corrections: 16 of 16 facts as users corrected them (0 rejected still there, 0 added missing) " \
           "in 6 file(s)" in out
    assert main(["evaluate", str(alone), str(DATA / "dev.json"), str(FIXES), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "corrections: 4 of 16 facts" in out
    assert "corrections FP  runs 坪山区总工会 of “穿梭时空 年代SHOW”单身青年职工交友派对活动" in out
    assert "corrections FN  职工学堂 in 界首市" in out  # kg reads the program and its runner, not where
