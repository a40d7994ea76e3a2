"""SPARQL over a graph, the saved queries in ``kg/queries/``, and result formatting.

A saved query is a ``.rq`` file whose first comment line says what it answers;
its name is the file name without ``.rq``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .cells import table_text
from .errors import QueryError, QueryRefusedError, UnknownNameError, one_line

FORMATS = ("table", "csv", "tsv", "json")
READ_ONLY = ("kg query is read-only: INSERT, DELETE, LOAD, CLEAR and other updates are refused; "
             "ask with SELECT, ASK, CONSTRUCT or DESCRIBE")


@dataclass(frozen=True)
class SavedQuery:
    """A query shipped with kg."""

    name: str
    description: str
    text: str
    store_text: str = ""
    """The same question written for Oxigraph (``NAME.oxigraph.rq``) where the two engines need
    different plans: rdflib runs subqueries joined by nested loops, Oxigraph a many-pattern join
    slowly. Empty when :attr:`text` serves both; :meth:`for_store` gives the one to run."""

    def for_store(self) -> str:
        """The text to run on an Oxigraph store (``kg query --store``, ``kg serve``)."""
        return self.store_text or self.text


@dataclass
class QueryResult:
    """Rows of a SELECT, the answer of an ASK, or the graph of a CONSTRUCT/DESCRIBE."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, str | None]] = field(default_factory=list)
    answer: bool | None = None
    graph: Graph | None = None
    notes: list[str] = field(default_factory=list)
    """What kg did to the bindings (an alias bound to its label)."""


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query, by name."""
    out = {}
    folder = resources.files("kg").joinpath("queries")
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if not f.name.endswith(".rq") or f.name.endswith(".oxigraph.rq"):
            continue
        name, text = f.name[:-3], f.read_text(encoding="utf-8")
        first = next((line for line in text.splitlines() if line.startswith("#")), "# ")
        variant = folder.joinpath(name + ".oxigraph.rq")
        store_text = variant.read_text(encoding="utf-8") if variant.is_file() else ""
        out[name] = SavedQuery(name, first.lstrip("# ").strip(), text, store_text)
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


def variables(prepared) -> list[str]:
    """The names of the variables a prepared query uses, in the order they first appear."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    seen: dict[str, None] = {}
    stack = [prepared.algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, Variable):
            seen.setdefault(str(node))
        elif isinstance(node, (CompValue, dict)):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(reversed(list(node)))
    return [v for v in seen if not v.startswith("_")]


def _labelled(graph: Graph, name: str, value, notes: list[str]):
    """A literal that is no node's label but one node's ``skos:altLabel`` (``青岛市总``) → that node's label."""
    from .vocab import RDFS, SKOS

    if not isinstance(value, Literal) or (None, RDFS.label, value) in graph:
        return value
    labels = {graph.value(s, RDFS.label) for s in graph.subjects(SKOS.altLabel, value)} - {None}
    if len(labels) != 1:
        return value
    (label,) = labels
    notes.append(f"{name}={value} is another name of {label}; bound ?{name} to {label}")
    return label


def run_query(graph: Graph, text: str, bindings: dict | None = None) -> QueryResult:
    """Run SPARQL ``text`` on ``graph``, read-only.

    The contract's prefixes (``ukg:``, ``rdfs:``, ``skos:``, ``prov:``, ``xsd:``, and
    ``kgr:``, ``rdf:``) need no ``PREFIX`` lines. A binding must name a variable of the
    query; a literal that is a node's other name (``skos:altLabel``) is bound to its
    label, with a note saying so. Errors are :class:`QueryError`, in one line; a query that would
    fetch (SERVICE, FROM) or update is refused by :func:`kg.guard.inspect_query` before rdflib runs
    the query it checked.
    """
    from .vocab import PREFIXES

    checked = _check(text)
    prepared = _prepared(checked)
    notes: list[str] = []
    if bindings:
        _checked_bindings(checked.text, prepared, bindings)
        bindings = {k: _labelled(graph, k, v, notes) for k, v in bindings.items()}
    try:
        result = graph.query(prepared, initBindings=bindings or {})
        if result.type == "ASK":
            return QueryResult("ASK", answer=bool(result.askAnswer), notes=notes)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            out = Graph(bind_namespaces="none")
            for prefix, iri in PREFIXES.items():
                out.bind(prefix, iri)
            for t in result.graph:
                out.add(t)
            return QueryResult(result.type, graph=out, notes=notes)
        columns = [str(v) for v in result.vars]
        rows = [{c: _term(row[i]) for i, c in enumerate(columns)} for row in result]
    except Exception as e:
        raise QueryError(f"SPARQL query failed: {one_line(e, 200)}") from None
    return QueryResult("SELECT", columns, rows, notes=notes)


def _check(text: str):
    """The query as :func:`kg.guard.inspect_query` checked it: the one check of every engine path."""
    from .guard import inspect_query

    try:
        return inspect_query(text)
    except QueryRefusedError as e:
        if e.status == 403:
            raise QueryRefusedError(READ_ONLY, 403) from None
        raise


def _prepared(checked):
    """rdflib's prepared query of a checked text; a syntax error when rdflib cannot translate it."""
    if checked.query is None:
        raise QueryError(f"SPARQL syntax error: {one_line(checked.untranslatable, 200)}")
    return checked.query


def _checked_bindings(text: str, prepared, bindings: dict) -> None:
    def first_use(v: str) -> int:
        m = re.search(r"[?$]" + re.escape(v) + r"(?!\w)", text)
        return m.start() if m else len(text)

    names = sorted(variables(prepared), key=first_use)
    unknown = [b for b in bindings if b not in names]
    if unknown:
        raise QueryError(f"--bind {unknown[0]}: the query has no variable ?{unknown[0]}; "
                         f"its variables are {', '.join('?' + n for n in names) or 'none'}")


def run_store_query(store, text: str, bindings: dict | None = None, union: bool = False) -> QueryResult:
    """Run SPARQL ``text`` on a pyoxigraph store's default graph (with ``union``, the union of its
    graphs), with the checks of :func:`run_query`: Oxigraph is given the text that was checked. An other
    name bound is looked up in the store."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from .vocab import PREFIXES

    checked = _check(text)
    notes: list[str] = []
    subs = {}
    if bindings:
        _checked_bindings(checked.text, _prepared(checked), bindings)
    for k, v in (bindings or {}).items():
        if isinstance(v, URIRef):
            subs[ox.Variable(k)] = ox.NamedNode(str(v))
            continue
        term = ox.Literal(str(v))
        label = next(iter(store.query(
            "SELECT ?a ?l WHERE { ?n skos:altLabel ?a ; rdfs:label ?l } LIMIT 2", prefixes=PREFIXES,
            use_default_graph_as_union=union, substitutions={ox.Variable("a"): term})), None)
        has = next(iter(store.query("SELECT ?a WHERE { ?n rdfs:label ?a } LIMIT 1", prefixes=PREFIXES,
                                    use_default_graph_as_union=union, substitutions={ox.Variable("a"): term})),
                   None) is not None
        if label is not None and not has:
            notes.append(f"{k}={v} is another name of {label['l'].value}; bound ?{k} to {label['l'].value}")
            term = label["l"]
        subs[ox.Variable(k)] = term
    try:
        result = store.query(checked.text, prefixes=PREFIXES, use_default_graph_as_union=union,
                             substitutions=subs or None)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ASK", answer=bool(result), notes=notes)
        if isinstance(result, ox.QueryTriples):
            from .export import rdflib_graph

            return QueryResult("CONSTRUCT", graph=rdflib_graph(result), notes=notes)
        columns = [v.value for v in result.variables]
        rows = [{c: (None if sol[c] is None else sol[c].value) for c in columns} for sol in result]
    except RuntimeError as e:
        if "projection" in str(e):
            raise QueryError(f"--bind on a store binds the variables a query selects; {one_line(e, 200)}") from None
        raise QueryError(f"SPARQL query failed: {one_line(e, 200)}") from None
    except (SyntaxError, OSError, ValueError) as e:
        raise QueryError(f"SPARQL query failed: {one_line(e, 200)}") from None
    return QueryResult("SELECT", columns, rows, notes=notes)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * (n - _width(s))


def format_result(result: QueryResult, fmt: str = "table", max_cell: int = 60) -> str:
    """Format a result as an aligned table, CSV, TSV or JSON (CSV and TSV cells safe in a spreadsheet)."""
    if fmt not in FORMATS:
        raise UnknownNameError(f"no output format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if result.kind == "ASK":
        return json.dumps({"boolean": result.answer}) if fmt == "json" else str(result.answer).lower()
    if result.kind != "SELECT":
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        return json.dumps({"columns": result.columns, "rows": result.rows}, ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        rows = ([r[c] for c in result.columns] for r in result.rows)
        return table_text(result.columns, rows, delimiter="," if fmt == "csv" else "\t").rstrip("\n")

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
