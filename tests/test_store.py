"""The persistent store: the same graph as an in-memory build, built by adding, changing and removing files."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from kg.export import ntriples_of, to_turtle, turtle_of
from kg.pipeline import build_store, extract_sources
from kg.store import GraphStore, open_store

from conftest import ROOT, SEEDS


def _store_turtle(store: Path) -> str:
    with open_store(store) as st:
        return turtle_of(st.triples())


def _memory_turtle(*sources) -> str:
    return to_turtle(extract_sources(list(sources)).graph)


@pytest.fixture()
def pages(tmp_path):
    d = tmp_path / "pages"
    d.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, d / f.name)
    return d


def test_a_store_holds_the_same_graph_as_an_in_memory_build(pages, tmp_path):
    report = build_store([pages], tmp_path / "store")
    assert len(report.added) == 5 and not report.unchanged
    assert _store_turtle(tmp_path / "store") == _memory_turtle(pages)


def test_adding_changing_and_removing_files(pages, tmp_path):
    store = tmp_path / "store"
    first = sorted(pages.glob("*.txt"))[:3]
    build_store(first, store)
    r = build_store([pages], store)  # two new files; three already there
    assert len(r.added) == 2 and len(r.unchanged) == 3 and not r.changed
    assert _store_turtle(store) == _memory_turtle(pages)

    changed = sorted(pages.glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n青岛市总工会开展“冬送温暖”活动\n\n"
                       "青岛市总工会开展“冬送温暖”活动，走访慰问困难职工100户。\n", encoding="utf-8")
    r = build_store([pages], store)
    assert r.changed == [changed.name] and len(r.unchanged) == 4
    assert _store_turtle(store) == _memory_turtle(pages)
    assert "“冬送温暖”活动" in _store_turtle(store)

    with GraphStore(store) as st:
        r = st.remove([changed.name])
    assert r.removed == [changed.name]
    rest = [f for f in sorted(pages.glob("*.txt")) if f != changed]
    assert _store_turtle(store) == _memory_turtle(*rest)


def test_union_names_fold_across_files_as_they_come_and_go(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("柳南区总工会开展春风行动\n\n柳南区总工会开展春风行动，为返岗职工送上防疫用品。\n", encoding="utf-8")
    b.write_text("柳州市柳南区总工会协调企业共享员工\n\n柳州市柳南区总工会协调企业“共享”员工，"
                 "开展“助力企业复工复产”走访调研大行动。\n", encoding="utf-8")
    store = tmp_path / "store"
    build_store([a], store)
    assert "柳州市柳南区总工会" not in _store_turtle(store)
    r = build_store([b], store)
    assert r.added == ["b.txt"] and r.refolded == ["a.txt"]  # a's short name now folds into b's
    assert _store_turtle(store) == _memory_turtle(a, b)
    with GraphStore(store) as st:
        r = st.remove(["b.txt"])
    assert r.refolded == ["a.txt"]
    assert _store_turtle(store) == _memory_turtle(a)


def test_a_killed_store_build_is_consistent_and_a_rerun_finishes_it(tmp_path):
    src = tmp_path / "many"
    src.mkdir()
    for i in range(8):
        for f in sorted(SEEDS.glob("*.txt")):
            shutil.copy(f, src / f"{i}_{f.name}")
    store = tmp_path / "store"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(src), "--store", str(store), "-q", "--jobs", "1"]
    p = subprocess.Popen(cmd, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((store / "records").rglob("*.json")):
        time.sleep(0.05)  # some files written, more to come
    time.sleep(0.3)
    p.send_signal(signal.SIGKILL)
    p.wait()
    with open_store(store) as st:  # opens, and every file it lists has its graph
        listed = set(st.files)
        graphs = {str(g.value).rsplit("/", 1)[-1] for g in st.ox.named_graphs()}
    assert listed <= graphs
    r = build_store([src], store)
    assert len(r.added) + len(r.changed) + len(r.unchanged) == 40 and len(r.unchanged) == len(listed)
    assert _store_turtle(store) == _memory_turtle(src)


def test_store_commands(capsys, pages, tmp_path):
    from kg.cli import main

    store = tmp_path / "store"
    assert main(["build", str(pages), "--store", str(store), "-q"]) == 0
    capsys.readouterr()
    assert main(["build", str(pages), "--store", str(store)]) == 0
    assert "unchanged 5" in capsys.readouterr().out
    assert main(["query", "--store", str(store), "--saved", "programs-of-union", "--bind", "union=青岛市总",
                 "--format", "csv"]) == 0
    got = capsys.readouterr()
    assert "“三化一型”干部队伍" in got.out and "another name of 青岛市总工会" in got.err
    assert main(["export", "--store", str(store), "-o", str(tmp_path / "g.ttl")]) == 0
    assert (tmp_path / "g.ttl").read_text(encoding="utf-8") == _memory_turtle(pages)
    assert main(["export", "--store", str(store), "--format", "nt", "-o", str(tmp_path / "g.nt")]) == 0
    assert (tmp_path / "g.nt").read_text(encoding="utf-8") == ntriples_of(extract_sources([pages]).triples)
    assert not list(tmp_path.glob(".kg-runs-*")) and not list(tmp_path.glob(".g.*.tmp"))
    assert main(["stats", "--store", str(store)]) == 0
    assert "most active unions" in capsys.readouterr().out
    assert main(["view", "--store", str(store), "-o", str(tmp_path / "v.html")]) == 0
    assert (tmp_path / "v.html").stat().st_size > 100_000
    capsys.readouterr()
    assert main(["remove", "--store", str(store), "nope.txt"]) == 1
    assert "nope.txt: no such file in" in capsys.readouterr().err
    assert main(["remove", "--store", str(store), "000_9ba6a6a8fcca6d91.txt"]) == 0
    assert "files     4" in capsys.readouterr().out
    assert main(["build", str(pages), "--store", str(store), "-o", str(tmp_path / "o")]) == 1
    assert "not both" in capsys.readouterr().err
    assert main(["query", "--store", str(tmp_path / "none"), "SELECT * WHERE { ?s ?p ?o }"]) == 1
    assert "no kg store here" in capsys.readouterr().err


def test_other_kg_code_reads_every_stored_file_again_named_or_not(pages, tmp_path, monkeypatch):
    import kg.store

    store = tmp_path / "store"
    build_store([pages], store)
    one = sorted(pages.glob("*.txt"))[0]
    monkeypatch.setattr(kg.store, "code_fingerprint", lambda: "0123456789abcdef")  # as if kg were upgraded
    r = build_store([one], store)  # only one file named: the other four are read again all the same
    assert len(r.changed) == 5 and not r.unchanged
    with open_store(store) as st:
        assert st.meta["code"] == "0123456789abcdef"
        assert all(st._records_path(k, v["sha256"]).is_file() for k, v in st.files.items())
    assert _store_turtle(store) == _memory_turtle(pages)


def _canon(rows):
    """Rows as a sorted list of sorted cells: GROUP_CONCAT's order and a decimal's lexical form are
    the engine's (100.0 as rdflib writes it, 100 as Oxigraph)."""
    def cell(v):
        try:
            return str(Decimal(v).normalize())
        except (InvalidOperation, TypeError):
            return "、".join(sorted(re.sub(r"(\d)\.0(?!\d)", r"\1", v or "").split("、")))
    return sorted(tuple(sorted((k, cell(v)) for k, v in r.items())) for r in rows)


def test_every_saved_query_answers_the_same_on_a_store_as_in_memory(pages, tmp_path):
    """Where a saved query has an Oxigraph variant (``NAME.oxigraph.rq``) it must ask the same question."""
    from rdflib import Literal

    from kg.sparql import run_query, run_store_query, saved_queries

    build_store([pages], tmp_path / "store")
    graph = extract_sources([pages]).graph
    binds = {"in-place": {"place": "东兰县"}, "programs-of-union": {"union": "青岛市总工会"},
             "what-is-program": {"program": "“三化一型”干部队伍"}}
    variants = 0
    with open_store(tmp_path / "store") as st:
        for name, q in saved_queries().items():
            variants += bool(q.store_text)
            bind = {k: Literal(v) for k, v in binds.get(name, {}).items()}
            memory = run_query(graph, q.text, dict(bind)).rows
            stored = run_store_query(st.ox, q.for_store(), dict(bind), union=not st.merged).rows
            assert memory and _canon(memory) == _canon(stored), name
    assert variants >= 1


def test_a_second_build_into_a_store_being_made_says_another_is_writing(pages, tmp_path, capsys, monkeypatch):
    """Two builds into one new folder at once: the second starts while the first is making the store,
    and says in one line that another build is writing, not that the folder is no store."""
    import kg.store
    from kg.cli import main

    store = tmp_path / "new" / "store"
    real = kg.store.code_fingerprint
    second = []

    def while_the_first_makes_it():
        if not second:
            second.append("started")
            second.append(main(["build", str(pages), "--store", str(store), "-q"]))
            second.append(capsys.readouterr().err)
        return real()

    monkeypatch.setattr(kg.store, "code_fingerprint", while_the_first_makes_it)
    assert main(["build", str(pages), "--store", str(store), "-q"]) == 0
    assert second == ["started", 1, f"kg: error: {store}: another kg build is writing this store; wait for it or "
                      "give another --store\n"]
    with open_store(store) as st:
        assert len(st.files) == 5


def _fill_the_disk(monkeypatch, where: str, after: int) -> None:
    """The disk fills up after ``after`` writes: of record files (Python's writes), or of file graphs
    (Oxigraph's, whose error gives the number only in its message)."""
    import errno
    import os

    import kg.store

    calls = {"n": 0}
    if where == "records":
        real = os.write

        def write(fd, data):
            calls["n"] += 1
            if calls["n"] > after:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(fd, data)

        monkeypatch.setattr(os, "write", write)
    else:
        real_graph = kg.store.GraphStore._write_graph

        def write_graph(self, *a):
            calls["n"] += 1
            if calls["n"] > after:
                raise OSError("IO error: No space left on device (os error 28)")
            return real_graph(self, *a)

        monkeypatch.setattr(kg.store.GraphStore, "_write_graph", write_graph)


@pytest.mark.parametrize("where", ["records", "oxigraph"])
def test_a_full_disk_removes_the_store_the_build_began(pages, tmp_path, capsys, monkeypatch, where):
    from kg.cli import main

    store = tmp_path / "new" / "store"
    with monkeypatch.context() as m:
        _fill_the_disk(m, where, after=2)
        assert main(["build", str(pages), "--store", str(store), "-q", "--jobs", "1"]) == 1
    assert capsys.readouterr().err == (f"kg: error: {store}: no space left on the device; free some and run again "
                                       "(the store this build began is removed)\n")
    assert not (tmp_path / "new").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with monkeypatch.context() as m:
        _fill_the_disk(m, where, after=2)
        assert main(["build", str(pages), "--store", str(empty), "-q", "--jobs", "1"]) == 1
    assert "(the store this build began is removed)" in capsys.readouterr().err
    assert empty.is_dir() and not list(empty.iterdir())  # the folder given was there: only its contents go


def test_a_full_disk_keeps_an_older_store_for_the_next_build(pages, tmp_path, capsys, monkeypatch):
    from kg.cli import main

    store = tmp_path / "store"
    build_store(sorted(pages.glob("*.txt"))[:3], store)
    with monkeypatch.context() as m:
        _fill_the_disk(m, "records", after=1)  # one new file's records written, then the disk is full
        assert main(["build", str(pages), "--store", str(store), "-q", "--jobs", "1"]) == 1
    assert capsys.readouterr().err == (
        f"kg: error: {store}: no space left on the device; free some and run again (the store keeps the files "
        "written so far, and the next build goes on from there)\n")
    r = build_store([pages], store)
    assert len(r.unchanged) == 3 and len(r.added) == 2
    build_store([pages], tmp_path / "whole")
    assert _store_turtle(store) == _store_turtle(tmp_path / "whole")


def _merged_and_union(store: Path) -> tuple[set, set]:
    """The store's merged default graph and the union of its file graphs, as sets of triples."""
    import pyoxigraph as ox

    merged, union = set(), set()
    with open_store(store) as st:
        for q in st.ox.quads_for_pattern(None, None, None, None):
            (merged if isinstance(q.graph_name, ox.DefaultGraph) else union).add(q.triple)
    return merged, union


QINGDAO = "青岛市总工会开展“冬送温暖”活动\n\n青岛市总工会开展“冬送温暖”活动，走访慰问困难职工100户。\n"
QINGDAO_B = "青岛市总工会举办职工运动会\n\n青岛市总工会举办职工运动会，500名职工参加，拨付经费20万元。\n"
FUZHOU = "福州市总工会开展“夏送清凉”活动\n\n福州市总工会开展“夏送清凉”活动，慰问一线职工300名。\n"


def test_the_merged_graph_follows_changes_and_removals_by_difference(tmp_path, monkeypatch):
    """A triple leaves the merged graph only when no file graph states it any more (青岛市总工会, named by a
    and b, stays while either does), without the file graphs being copied back into it."""
    import kg.store

    full_merges = []
    real_open = kg.store.GraphStore._open

    class Watched:
        def __init__(self, store):
            self.store = store

        def __getattr__(self, name):
            return getattr(self.store, name)

        def clear_graph(self, g):
            full_merges.append(g)
            self.store.clear_graph(g)

    def watched_open(self, read_only):
        real_open(self, read_only)
        self.ox = Watched(self.ox)

    monkeypatch.setattr(kg.store.GraphStore, "_open", watched_open)
    d = tmp_path / "pages"
    d.mkdir()
    a, b, c = d / "a.txt", d / "b.txt", d / "c.txt"
    a.write_text(QINGDAO, encoding="utf-8")
    b.write_text(QINGDAO_B, encoding="utf-8")
    store = tmp_path / "store"

    def check(*files):
        merged, union = _merged_and_union(store)
        assert merged == union and len(merged) > 20
        assert _store_turtle(store) == _memory_turtle(*files)
        assert not (store / "merged-graph.stale").exists()

    build_store([a, b], store)
    check(a, b)
    a.write_text(FUZHOU, encoding="utf-8")  # a no longer names 青岛市总工会; b still does
    assert build_store([a, b], store).changed == ["a.txt"]
    check(a, b)
    assert "青岛市总工会" in _store_turtle(store) and "冬送温暖" not in _store_turtle(store)
    c.write_text(QINGDAO + FUZHOU, encoding="utf-8")
    build_store([c], store)
    check(a, b, c)
    with GraphStore(store) as st:
        st.remove(["b.txt", "c.txt"])
    check(a)
    assert "青岛市总工会" not in _store_turtle(store)
    with GraphStore(store) as st:
        st.remove(["a.txt"])
    assert _merged_and_union(store) == (set(), set())
    assert full_merges == []


def _two_files_stored_and_a_changed(tmp_path):
    """A store of a.txt and b.txt, then a.txt changed (not yet built): the pages folder, a, b and the store."""
    d = tmp_path / "pages"
    d.mkdir()
    a, b = d / "a.txt", d / "b.txt"
    a.write_text(QINGDAO, encoding="utf-8")
    b.write_text(FUZHOU, encoding="utf-8")
    store = tmp_path / "store"
    build_store([d], store)
    a.write_text(QINGDAO_B, encoding="utf-8")
    return d, a, b, store


def test_a_store_update_killed_while_merging_by_difference_is_repaired(tmp_path):
    """Killed between changing a file graph and taking its old triples out of the merged graph: the marker
    stays, the next open merges in full, and a rerun makes the graph an in-memory build makes."""
    d, a, b, store = _two_files_stored_and_a_changed(tmp_path)
    killed = subprocess.run([sys.executable, "-c", (
        "import os, sys; import kg.store as s; from kg.pipeline import build_store\n"
        "s.GraphStore._stated = lambda self, t: os._exit(9)\n"
        "build_store([sys.argv[1]], sys.argv[2])"), str(d), str(store)], cwd=ROOT)
    assert killed.returncode == 9
    assert (store / "merged-graph.stale").exists()
    merged, union = _merged_and_union(store)
    assert merged != union  # the old triples of a are still in the merged graph
    with GraphStore(store):
        pass
    merged, union = _merged_and_union(store)
    assert merged == union and not (store / "merged-graph.stale").exists()
    r = build_store([d], store)
    assert r.added == ["a.txt"]  # its entry went before its graph changed: written again, from its cached records
    assert _store_turtle(store) == _memory_turtle(a, b)


def test_a_snapshot_is_the_stores_graph_and_a_store_one_may_only_read_is_copied_read_only(pages, tmp_path,
                                                                                          monkeypatch):
    import pyoxigraph as ox

    from kg.store import snapshot

    store = tmp_path / "store"
    build_store([pages], store)

    def graph_of(target):
        return {q.triple for q in ox.Store.read_only(str(target)).quads_for_pattern(None, None, None, ox.DefaultGraph())}

    with open_store(store) as st:
        expected = {q.triple for q in st.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    snapshot(store, tmp_path / "one")
    assert graph_of(tmp_path / "one") == expected and len(expected) > 1000

    class NotWritable:
        read_only = ox.Store.read_only

        def __init__(self, path):
            raise OSError(f"IO error: While open a file for appending: {path}/LOG: Permission denied")

    monkeypatch.setattr(ox, "Store", NotWritable)
    snapshot(store, tmp_path / "two")
    monkeypatch.undo()
    assert graph_of(tmp_path / "two") == expected


def test_a_store_update_stopped_between_two_files_leaves_the_merged_graph_whole(tmp_path, monkeypatch):
    """Ctrl-C (or an error) after one file's graph was changed by difference and before the next: no full
    merge is left to do, and the next build finishes the job."""
    import kg.store

    d, a, b, store = _two_files_stored_and_a_changed(tmp_path)
    b.write_text(FUZHOU + QINGDAO, encoding="utf-8")
    real = kg.store.GraphStore._write_graph

    def stopped_at_b(self, key, *rest):
        if key == "b.txt":
            raise KeyboardInterrupt
        return real(self, key, *rest)

    with monkeypatch.context() as m:
        m.setattr(kg.store.GraphStore, "_write_graph", stopped_at_b)
        with pytest.raises(KeyboardInterrupt):
            build_store([d], store)
    assert not (store / "merged-graph.stale").exists()
    merged, union = _merged_and_union(store)
    assert merged == union
    r = build_store([d], store)
    assert r.changed == ["b.txt"] and r.unchanged == ["a.txt"]
    assert _store_turtle(store) == _memory_turtle(a, b)
