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
