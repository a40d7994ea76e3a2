"""The README's examples, run on the seeds: each saved query's table is the first rows kg query prints,
kg stats prints the lines shown, and the Python example prints what its comment says."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

from kg.cli import main

from conftest import ROOT, SEEDS

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds_graph(tmp_path_factory):
    out = tmp_path_factory.mktemp("readme")
    assert main(["build", str(SEEDS), "-o", str(out), "-q", "--no-html"]) == 0
    return out / "graph.ttl"


def kg(*argv) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        assert main([str(a) for a in argv]) == 0, argv
    return buf.getvalue()


def section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def examples() -> list[tuple[str, list[str], list[list[str]], list[str]]]:
    """Each saved query's example: its name, its --bind arguments, the table's header and rows."""
    found = []
    pattern = r"\*\*([a-z-]+)\*\* — [^\n]*?(?:\(`(--bind [^`]+)`\))?:\n\n((?:\|[^\n]*\|\n)+)"
    for name, bind, table in re.findall(pattern, section("Asking the graph: saved queries")):
        lines = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table.strip().splitlines()]
        found.append((name, bind.split() if bind else [], lines[0], lines[2:]))
    return found


def same_cell(shown: str, actual) -> bool:
    """A cell as shown: the value; a list (A、B、…) as a part of the items, in any order (GROUP_CONCAT's is
    the engine's own), all of them unless it ends with …."""
    actual = "" if actual is None else str(actual)
    if "、" not in shown and "、" not in actual:
        return shown == actual
    items, whole = shown.split("、"), actual.split("、")
    if items[-1] == "…":
        return set(items[:-1]) <= set(whole)
    return sorted(items) == sorted(whole)


def test_every_saved_query_has_an_example():
    from kg.sparql import saved_queries

    assert sorted(name for name, *_ in examples()) == sorted(saved_queries())


@pytest.mark.parametrize("name, bind, header, rows", examples(), ids=[e[0] for e in examples()])
def test_a_saved_query_example_is_the_first_rows_kg_query_prints(seeds_graph, name, bind, header, rows):
    answer = json.loads(kg("query", seeds_graph, "--saved", name, *bind, "--format", "json"))
    assert set(header) <= set(answer["columns"])
    got = answer["rows"][: len(rows)]
    assert len(got) == len(rows)
    for shown, actual in zip(rows, got):
        assert all(same_cell(cell, actual[column]) for column, cell in zip(header, shown)), (shown, actual)


def test_the_stats_example_is_what_kg_stats_prints(seeds_graph):
    block = section("Graph analytics").split("```\n", 2)[1].split("```", 1)[0]
    command = block.splitlines()[0].removeprefix("$ ").split()
    assert command[:3] == ["kg", "stats", "output/graph.ttl"]
    printed = kg("stats", seeds_graph, *command[3:]).splitlines()
    shown = [line for line in block.splitlines()[1:] if line.strip()]
    lines = iter(printed)
    assert all(any(line == s for line in lines) for s in shown), "shown lines are kg stats's, in its order"


def test_the_python_example_prints_what_its_comment_says(monkeypatch):
    code = re.search(r"```python\n(.*?)```", section("Python API"), re.S).group(1)
    comment = re.search(r"\n# (.*)", code).group(1)
    monkeypatch.chdir(ROOT)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.warns(UserWarning, match="another name"):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    first = buf.getvalue().splitlines()[0].split(" ", 3)  # program, date, places, amounts
    assert all(same_cell(shown, actual) for shown, actual in zip(comment.split(" ", 3), first, strict=True))


def test_every_command_of_using_it_is_one_kg_accepts():
    """The commands under Using it name options kg has (their [optional] parts as well)."""
    import shlex

    from kg.cli import parser

    block = section("Using it").split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [re.split(r"\s#\s", line, maxsplit=1)[0] for line in block.splitlines() if line.startswith(".venv/bin/kg ")]
    assert len(lines) >= 8
    for line in lines:
        argv = shlex.split(re.sub(r"[\[\]]", "", line))[1:]
        argv = ["1" if a in ("N", "MB", "X") else a.split("|")[0] for a in argv]  # a placeholder; a choice
        parser().parse_args(argv)
