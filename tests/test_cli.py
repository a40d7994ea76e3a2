"""The kg command: exit status and the exact one-line messages."""

import json

import pytest

from kg import __version__
from kg.cli import main, parser

from conftest import DATA, SEEDS


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"kg {__version__}"


@pytest.mark.parametrize("command", ["build", "query", "evaluate", "stats", "view", "serve"])
def test_help_on_every_command(capsys, command):
    with pytest.raises(SystemExit) as e:
        main([command, "--help"])
    assert e.value.code == 0
    assert "usage: kg " + command in capsys.readouterr().out


def test_build_prints_a_summary_and_writes_outputs(capsys, tmp_path):
    code, out, err = run(capsys, "build", SEEDS, "-o", tmp_path)
    assert code == 0, err
    lines = dict(line.split(None, 1) for line in out.splitlines() if not line.startswith("wrote"))
    assert lines["files"] == "5"
    for key in ("articles", "unions", "programs", "places", "amounts", "triples"):
        assert int(lines[key]) > 0
    assert {p.name for p in tmp_path.iterdir()} == {"graph.ttl", "graph.html", "ontology.ttl", "kg-build.json",
                                                    "current", ".kg-builds"}
    assert all((tmp_path / n).is_file() for n in ("graph.ttl", "graph.html", "ontology.ttl", "kg-build.json"))


def test_build_missing_path_is_an_error(capsys, tmp_path):
    code, out, err = run(capsys, "build", tmp_path / "nope", "-o", tmp_path / "out")
    assert code == 1
    assert err == f"kg: error: {tmp_path / 'nope'}: no such file or folder; check the path\n"
    assert not (tmp_path / "out").exists()


def test_build_empty_folder_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "build", tmp_path, "-o", tmp_path / "out")
    assert code == 1
    assert err == f"kg: error: {tmp_path}: no *.txt files in this folder; give .txt files or a folder of them\n"


def test_build_with_nothing_readable_fails(capsys, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = run(capsys, "build", tmp_path, "-o", tmp_path / "out")
    assert code == 1
    assert err == ("kg: error: none of the 1 file(s) could be read: empty.txt: file is empty; "
                   "give a page of text\n")
    assert not (tmp_path / "out").exists()


def test_build_skips_bad_files_with_a_warning_and_strict_stops(capsys, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text("青岛市总工会开展“三述”活动。", encoding="utf-8")
    (src / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    code, out, err = run(capsys, "build", src, "-o", tmp_path / "out", "--no-html")
    assert code == 0
    assert "kg: warning: skipped blob.txt: looks binary (NUL bytes); give a text file (UTF-8 or GB18030)" in err
    assert "files     1  (skipped 1)" in out
    code, out, err = run(capsys, "build", src, "-o", tmp_path / "strict", "--strict")
    assert code == 1 and err.startswith("kg: error: blob.txt: looks binary")


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    assert main(["build", str(SEEDS), "-o", str(out), "-q", "--no-html"]) == 0
    return out / "graph.ttl"


def test_query_table_csv_json(capsys, graph_file):
    q = "PREFIX ukg: <https://w3id.org/ukg/ontology#> SELECT (COUNT(?u) AS ?n) WHERE { ?u a ukg:Union }"
    code, out, _ = run(capsys, "query", graph_file, q)
    assert code == 0 and out.splitlines()[0].strip() == "n" and out.rstrip().endswith("(1 row)")
    code, out, _ = run(capsys, "query", graph_file, q, "--format", "csv")
    assert out.startswith("\ufeff"), "a spreadsheet program reads the Chinese of a CSV with a BOM as UTF-8"
    assert out.splitlines()[0] == "\ufeffn" and int(out.splitlines()[1]) > 10
    code, out, _ = run(capsys, "query", graph_file, q, "--format", "json")
    assert json.loads(out)["columns"] == ["n"]


def test_query_from_rq_file_and_saved(capsys, graph_file, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert run(capsys, "query", graph_file, rq)[1].strip() == "true"
    code, out, _ = run(capsys, "query", graph_file, "--saved", "programs-of-union", "--bind", "union=青岛市总工会",
                       "--format", "csv")
    assert code == 0
    rows = out.splitlines()[1:]
    assert rows and all(r.startswith("青岛市总工会,") for r in rows)
    code, out, err = run(capsys, "query", graph_file, "--saved", "programs-of-union", "--bind", "union=福建省总")
    assert code == 0 and "福建省总工会" in out and "another name of 福建省总工会" in err


def test_query_list(capsys):
    code, out, _ = run(capsys, "query", "--list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names == ["co-mentions", "in-place", "money-by-union", "programs-by-month", "programs-of-union",
                     "what-is-program"]


def test_query_notes_an_alias_bound_as_its_label(capsys, graph_file):
    code, out, err = run(capsys, "query", graph_file, "--saved", "programs-of-union", "--bind", "union=青岛市总")
    assert code == 0 and "“三述”" in out
    assert err == "kg: note: union=青岛市总 is another name of 青岛市总工会; bound ?union to 青岛市总工会\n"


def test_bad_query_is_a_one_line_error(capsys, graph_file):
    code, out, err = run(capsys, "query", graph_file, "SELEKT ?x WHERE { ?x ?y }")
    assert code == 1 and out == ""
    assert err.startswith("kg: error: SPARQL syntax error:") and err.count("\n") == 1


def test_unknown_saved_query_names_the_choices(capsys, graph_file):
    code, _, err = run(capsys, "query", graph_file, "--saved", "nope")
    assert code == 1
    assert err == ("kg: error: no saved query named 'nope'; choose one of: co-mentions, in-place, "
                   "money-by-union, programs-by-month, programs-of-union, what-is-program\n")


def test_evaluate_prints_metrics_and_mean(capsys, graph_file):
    code, out, _ = run(capsys, "evaluate", graph_file, DATA / "dev.json")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:5]] == ["unions", "runs", "places", "money"]
    assert out.splitlines()[-1].startswith("mean F1")
    code, out, _ = run(capsys, "evaluate", graph_file, DATA / "dev.json", "--format", "json")
    assert 0 < json.loads(out)["mean_f1"] <= 1


def test_evaluate_missing_gold(capsys, graph_file, tmp_path):
    code, _, err = run(capsys, "evaluate", graph_file, tmp_path / "gold.json")
    assert code == 1 and "no such file" in err


def test_stats(capsys, fixture_store):
    code, out, _ = run(capsys, "stats", DATA / "fixture.ttl", "--format", "json")
    data = json.loads(out)
    assert data["classes"] == {"amount": 11, "article": 2, "place": 4, "program": 4, "union": 3}
    assert (data["nodes"], data["edges"], data["triples"]) == (24, 32, 142)
    assert [(u["union"], u["programs"], u["degree"], u["yuan"]) for u in data["top_unions"]] == [
        ("乙县总工会", 2, 3, 240000.0), ("甲市总工会", 2, 3, 350000.0), ("丁企业工会", 1, 1, 300000.0)]
    assert data["top_places"] == [{"place": "丙村", "programs": 1}, {"place": "甲市", "programs": 1}]
    assert "components" not in data  # the whole-graph measures are asked for with --network
    assert data["properties"]["ukg:runs"] == 5 and data["properties"]["rdf:type"] == 24
    assert run(capsys, "stats", "--store", fixture_store, "--format", "json")[1] == out
    code, out, _ = run(capsys, "stats", DATA / "fixture.ttl", "--network", "--format", "json")
    data = json.loads(out)
    assert data["components"] == {"count": 1, "largest": [22]}
    assert [u["betweenness"] for u in data["top_unions"]] == [0.4238, 0.1571, 0.0]
    code, out, _ = run(capsys, "stats", DATA / "fixture.ttl")
    assert "most active unions" in out and "乙县总工会" in out and "kg stats --network" in out


def test_stats_counts_what_the_view_draws(seed_build):
    """kg stats (SPARQL aggregates) counts the nodes and edges of kg.to_networkx, the graph the view draws."""
    from kg.export import read_graph
    from kg.graphstats import stats
    from kg.network import to_networkx

    G = to_networkx(read_graph(seed_build.outputs["turtle"]))
    data = stats(seed_build.outputs["turtle"], top=5)
    assert (data["nodes"], data["edges"]) == (G.number_of_nodes(), G.number_of_edges())
    runs = {d["label"]: sum("runs" in e["predicates"] for _, _, e in G.out_edges(n, data=True))
            for n, d in G.nodes(data=True) if d["cls"] == "union"}
    assert all(runs[u["union"]] == u["programs"] for u in data["top_unions"])
    assert [u["programs"] for u in data["top_unions"]] == sorted(runs.values(), reverse=True)[:5]


def test_view_writes_html_and_reports_the_ceiling(capsys, tmp_path):
    out_file = tmp_path / "v.html"
    code, out, err = run(capsys, "view", DATA / "fixture.ttl", "-o", out_file, "--max-nodes", "4")
    assert code == 0 and out_file.exists()
    assert out.startswith(f"wrote {out_file}: 4 nodes")
    assert "kg: note:" in err and "--focus" in err
    code, out, err = run(capsys, "view", DATA / "fixture.ttl", "-o", out_file, "--focus", "丙村", "--depth", "1")
    assert code == 0 and err == ""
    code, _, err = run(capsys, "view", DATA / "fixture.ttl", "-o", out_file, "--focus", "没有")
    assert code == 1 and err == "kg: error: --focus '没有': no node's label contains it; try a shorter part of the name\n"


def test_view_of_a_store_streams_its_quads(capsys, tmp_path, fixture_store):
    out_file = tmp_path / "v.html"
    code, out, err = run(capsys, "view", "--store", fixture_store, "-o", out_file, "--focus", "甲市总")
    assert code == 0 and out.startswith(f"wrote {out_file}:") and "centred on 甲市总工会" in out
    assert "防暑药品发放" in out_file.read_text(encoding="utf-8")


def test_view_writes_output_view_html_by_default_and_says_which_focus_it_took(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "view", DATA / "fixture.ttl", "--focus", "总工会")
    assert code == 0 and (tmp_path / "output" / "view.html").is_file()
    assert out.startswith("wrote output/view.html:") and "centred on 乙县总工会" in out
    assert "--focus '总工会' matches 4 nodes (乙县总工会、甲市总工会、乙县总工会助学、甲市总工会开展送清凉); centred on 乙县总工会" in err
    code, out, err = run(capsys, "view", DATA / "fixture.ttl", "--since", "2023-13")
    assert code == 1 and "--since '2023-13': give a date as YYYY, YYYY-MM or YYYY-MM-DD" in err


def test_export_every_format(capsys, tmp_path):
    for fmt, name in (("turtle", "g.ttl"), ("nt", "g.nt"), ("jsonld", "g.jsonld"), ("graphml", "g.graphml"),
                      ("html", "g.html"), ("csv", "tables")):
        code, out, err = run(capsys, "export", DATA / "fixture.ttl", "--format", fmt, "-o", tmp_path / name)
        assert code == 0 and err == "" and out.startswith("wrote "), (fmt, err)
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        "amounts.csv", "articles.csv", "places.csv", "programs.csv", "runs.csv", "unions.csv"]
    # a UTF-8 BOM first: spreadsheet programs read the Chinese as UTF-8 only with it
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbfiri,") for p in (tmp_path / "tables").glob("[!r]*.csv"))
    assert (tmp_path / "tables" / "runs.csv").read_text(encoding="utf-8-sig").startswith("union,program,")
    code, _, err = run(capsys, "export", DATA / "fixture.ttl", "--format", "csv", "-o", tmp_path / "g.ttl")
    assert code == 1 and "is a file; CSV export writes a folder of tables" in err


def test_help_shows_every_argument_with_its_default():
    commands = parser()._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help, f"kg {name} {action.option_strings or action.dest}: no help text"
    view_help = commands["view"].format_help()
    assert "(default: output/view.html)" in view_help and "(default: 20000)" in view_help
    assert "(default: None)" not in view_help and "(default: False)" not in view_help
    assert "(default: 7878)" in commands["serve"].format_help()


def test_min_confidence_drops_the_programs_kg_is_less_sure_of(capsys, tmp_path):
    from rdflib import Graph

    query = ("PREFIX ukg: <https://w3id.org/ukg/ontology#> "
             "SELECT ?p ?c WHERE { ?p a ukg:Program ; ukg:confidence ?c }")

    def confidences(folder):
        g = Graph()
        g.parse(folder / "graph.ttl", format="turtle")
        return {str(r.p): float(r.c) for r in g.query(query)}

    assert run(capsys, "build", SEEDS, "-o", tmp_path / "all", "--no-html", "-q")[0] == 0
    every = confidences(tmp_path / "all")
    cut = sorted(every.values())[len(every) // 2]  # the median: half the seeds' programs are less sure
    assert run(capsys, "build", SEEDS, "-o", tmp_path / "sure", "--no-html", "-q", "--min-confidence", str(cut))[0] == 0
    sure = confidences(tmp_path / "sure")
    assert sure and all(c >= cut for c in sure.values())
    assert {p for p, c in every.items() if c >= cut} <= set(sure) and len(sure) < len(every)
    links = ("PREFIX ukg: <https://w3id.org/ukg/ontology#> SELECT ?c WHERE { { ?p ukg:runnerConfidence ?c } "
             "UNION { ?p ukg:amount/ukg:confidence ?c } UNION { ?s a rdf:Statement ; ukg:confidence ?c } }")
    assert run(capsys, "build", SEEDS, "-o", tmp_path / "links", "--no-html", "-q", "--min-confidence", "0.8")[0] == 0
    g = Graph()
    g.parse(tmp_path / "links" / "graph.ttl", format="turtle")
    kept = [float(r.c) for r in g.query(links)]
    assert kept and min(kept) >= 0.8  # runners, places and amounts kg is less sure of went with the programs
    code, _, err = run(capsys, "build", SEEDS, "-o", tmp_path / "bad", "--min-confidence", "1.5")
    assert code == 1 and err.strip() == "kg: error: --min-confidence 1.5: give a number from 0 to 1 (0 keeps everything)"


@pytest.mark.parametrize("command", ["build", "view"])
@pytest.mark.parametrize("value", ["-5", "0"])
def test_a_node_ceiling_below_one_is_refused_before_any_work(capsys, tmp_path, monkeypatch, command, value):
    import kg.export
    import kg.pages

    monkeypatch.setattr(kg.pages, "extract", lambda *a: pytest.fail("extraction ran"))
    monkeypatch.setattr(kg.export, "read_graph", lambda *a: pytest.fail("the graph was read"))
    source = SEEDS if command == "build" else DATA / "fixture.ttl"
    out = tmp_path / ("out" if command == "build" else "view.html")
    code, _, err = run(capsys, command, source, "-o", out, "--max-nodes", value)
    assert code == 1
    assert err == f"kg: error: --max-nodes {value}: give the view's node ceiling as 1 or more (default 20000)\n"
    assert not out.exists()


def test_a_build_over_the_views_ceiling_writes_no_page_and_says_to_serve_it(capsys, tmp_path):
    """Above --max-nodes a build writes graph.ttl but no graph.html, and says so in one line even with -q;
    a graph.html of an earlier build is gone from the output folder, not left to show an old graph."""
    out = tmp_path / "out"
    assert run(capsys, "build", SEEDS, "-o", out, "-q")[0] == 0 and (out / "graph.html").is_file()
    code, stdout, err = run(capsys, "build", SEEDS, "-o", out, "-q", "--max-nodes", "100")
    assert code == 0 and stdout == "" and (out / "graph.ttl").is_file() and not (out / "graph.html").exists()
    assert err.count("\n") == 1 and err.startswith("kg: note: no graph.html: the graph has ")
    assert "over the static view's ceiling of 100" in err and "kg serve --store" in err
