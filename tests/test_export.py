import json
import re

import pytest

from kg.errors import GraphFileError, KgError
from kg.export import atomic_write, read_graph, render_view


def test_html_has_no_remote_script_or_stylesheet(seed_build):
    html = seed_build.outputs["html"].read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?https?://", html, re.I)
    assert not re.search(r"<link[^>]+href=[\"']?https?://", html, re.I)
    assert "vis.Network" in html and "<meta charset=\"utf-8\">" in html
    assert "青岛市总工会" in html or json.dumps("青岛市总工会") in html


def test_html_carries_legend_filters_search_and_details(seed_build):
    html = seed_build.outputs["html"].read_text(encoding="utf-8")
    for needle in ('id="search"', 'id="legend"', 'id="filters"', 'id="details"', "stabilizationIterationsDone",
                   "setOptions({physics: false})"):
        assert needle in html


def test_view_focus_and_node_ceiling(fixture_graph):
    whole = render_view(fixture_graph)
    assert whole.nodes == whole.total_nodes and not whole.notice
    focus = render_view(fixture_graph, focus="乙县总", depth=1)
    assert focus.nodes < whole.nodes
    small = render_view(fixture_graph, max_nodes=5)
    assert small.nodes == 5 and "--focus" in small.notice and "--focus" in small.html
    with pytest.raises(KgError, match="no node's label contains"):
        render_view(fixture_graph, focus="不存在的工会")


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
