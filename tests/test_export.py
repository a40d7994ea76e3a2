import os

import pytest

from kg.errors import GraphFileError
from kg.export import read_graph
from kg.outputs import atomic_write


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "out" / "graph.ttl"
    atomic_write(target, "x")
    assert target.read_text() == "x"
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]


def test_bad_graph_file_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    with pytest.raises(GraphFileError) as e:
        read_graph(bad)
    assert str(e.value).startswith(f"{bad}: not a readable turtle graph") and "\n" not in str(e.value)
    with pytest.raises(GraphFileError, match="no such graph file"):
        read_graph(tmp_path / "missing.ttl")


def test_sorted_runs_merge_to_the_order_and_bytes_of_turtle_of(tmp_path):
    """Triples added in any order, repeated within and across runs, come out once each, in
    turtle_of's order: the Turtle of a build too big to hold is the one it would have written."""
    import random

    import pyoxigraph as ox

    from kg.export import SortedTriples, turtle_of

    n = ox.NamedNode
    triples = [ox.Triple(n(f"https://w3id.org/ukg/id/place/地{i % 37}"), n("https://w3id.org/ukg/ontology#partOf"),
                         n(f"https://w3id.org/ukg/id/place/省{i % 5}")) for i in range(300)]
    triples += [ox.Triple(n(f"https://w3id.org/ukg/id/place/地{i}"), n("http://www.w3.org/2000/01/rdf-schema#label"),
                          ox.Literal(f"地{i}")) for i in range(37)]
    shuffled = triples * 2
    random.Random(3).shuffle(shuffled)
    runs = SortedTriples(tmp_path, run=40)
    for i in range(0, len(shuffled), 7):
        runs.extend(shuffled[i : i + 7])
    assert len(list(tmp_path.glob("run-*.nt"))) > 5
    runs.write_turtle(tmp_path / "g.ttl")
    assert (tmp_path / "g.ttl").read_text(encoding="utf-8") == turtle_of(set(triples))
    assert runs.count == len(set(triples))
    runs.close()
    assert not list(tmp_path.glob("run-*.nt"))


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full to fill")
def test_the_turtle_writer_child_reports_a_full_disk(tmp_path):
    """The child process that writes the Turtle stops on a full disk; the build says so in one line."""
    import pyoxigraph as ox

    from kg.export import SortedTriples
    from kg.outputs import output_error

    runs = SortedTriples(tmp_path, run=2)
    n = ox.NamedNode
    runs.extend([ox.Triple(n(f"https://w3id.org/ukg/id/place/地{i}"), n("http://www.w3.org/2000/01/rdf-schema#label"),
                           ox.Literal("长" * 50_000)) for i in range(6)])
    with pytest.raises(OSError) as e:
        runs.write_turtle("/dev/full")
    assert "(os error 28)" in str(e.value)
    assert str(output_error(tmp_path / "graph.ttl", e.value)).endswith(
        "graph.ttl: no space left on the device; free some and run again (the previous outputs are untouched)")
