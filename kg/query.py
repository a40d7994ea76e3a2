"""SPARQL over a graph, the saved queries in ``kg/queries/``, and result formatting.

A saved query is a ``.rq`` file whose first comment line says what it answers;
its name is the file name without ``.rq``.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .errors import QueryError, UnknownNameError

FORMATS = ("table", "csv", "tsv", "json")


@dataclass(frozen=True)
class SavedQuery:
    """A query shipped with kg."""

    name: str
    description: str
    text: str


@dataclass
class QueryResult:
    """Rows of a SELECT, the answer of an ASK, or the graph of a CONSTRUCT/DESCRIBE."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, str | None]] = field(default_factory=list)
    answer: bool | None = None
    graph: Graph | None = None


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query, by name."""
    out = {}
    for f in sorted(resources.files("kg").joinpath("queries").iterdir(), key=lambda p: p.name):
        if not f.name.endswith(".rq"):
            continue
        text = f.read_text(encoding="utf-8")
        first = next((line for line in text.splitlines() if line.startswith("#")), "# ")
        out[f.name[:-3]] = SavedQuery(f.name[:-3], first.lstrip("# ").strip(), text)
    return out


def saved_query(name: str) -> SavedQuery:
    """The saved query ``name``; the error lists the valid names."""
    queries = saved_queries()
    if name not in queries:
        raise UnknownNameError(f"no saved query named {name!r}; choose one of: {', '.join(queries)}")
    return queries[name]


def load_query(arg: str) -> str:
    """SPARQL text from ``arg``: a ``.rq`` file's contents, or the text itself."""
    p = Path(arg)
    if arg.endswith(".rq") or (len(arg) < 300 and "\n" not in arg and p.is_file()):
        try:
            return p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryError(f"{arg}: no such query file; give SPARQL text or a .rq file") from None
        except UnicodeDecodeError:
            raise QueryError(f"{arg}: not UTF-8 text; save the query as UTF-8") from None
    return arg


def parse_binding(text: str) -> tuple[str, Literal | URIRef]:
    """``NAME=VALUE`` → (variable, term); ``<…>`` or ``http(s)://…`` values are IRIs."""
    if "=" not in text:
        raise QueryError(f"--bind {text!r}: write it as NAME=VALUE, e.g. union=青岛市总工会")
    name, value = text.split("=", 1)
    name = name.strip().lstrip("?$")
    if not name:
        raise QueryError(f"--bind {text!r}: the variable name is empty; write NAME=VALUE")
    if value.startswith("<") and value.endswith(">"):
        return name, URIRef(value[1:-1])
    if value.startswith(("http://", "https://")):
        return name, URIRef(value)
    return name, Literal(value)


def _term(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, BNode):
        return "_:" + str(value)
    return str(value)


def run_query(graph: Graph, text: str, bindings: dict | None = None) -> QueryResult:
    """Run SPARQL ``text`` on ``graph``; a query that does not parse raises :class:`QueryError`."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(text)
    except Exception as e:  # pyparsing and rdflib raise several kinds
        msg = " ".join(str(e).split())
        raise QueryError(f"SPARQL syntax error: {msg[:200]}") from None
    try:
        result = graph.query(prepared, initBindings=bindings or {})
    except Exception as e:
        msg = " ".join(str(e).split())
        raise QueryError(f"SPARQL query failed: {msg[:200]}") from None
    if result.type == "ASK":
        return QueryResult("ASK", answer=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(result.type, graph=result.graph)
    columns = [str(v) for v in result.vars]
    rows = [{c: _term(row[i]) for i, c in enumerate(columns)} for row in result]
    return QueryResult("SELECT", columns, rows)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * (n - _width(s))


def format_result(result: QueryResult, fmt: str = "table", max_cell: int = 60) -> str:
    """Format a result as an aligned table, CSV, TSV or JSON."""
    if fmt not in FORMATS:
        raise UnknownNameError(f"no output format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if result.kind == "ASK":
        return json.dumps({"boolean": result.answer}) if fmt == "json" else str(result.answer).lower()
    if result.kind != "SELECT":
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        return json.dumps({"columns": result.columns, "rows": result.rows}, ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(result.columns)
        for r in result.rows:
            w.writerow(["" if r[c] is None else r[c] for c in result.columns])
        return buf.getvalue().rstrip("\n")

    def cell(v: str | None) -> str:
        v = "" if v is None else " ".join(v.split())
        return v if len(v) <= max_cell else v[: max_cell - 1] + "…"

    table = [[cell(r[c]) for c in result.columns] for r in result.rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in table]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(result.columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(v, w) for v, w in zip(row, widths)).rstrip() for row in table]
    lines.append(f"({len(table)} row{'s' if len(table) != 1 else ''})")
    return "\n".join(lines)
