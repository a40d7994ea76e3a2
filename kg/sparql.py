"""SPARQL over a graph, the saved queries in ``kg/queries/``, and result formatting.

A saved query is a ``.rq`` file whose first comment line says what it answers;
its name is the file name without ``.rq``.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .cells import table_text
from .errors import GraphFileError, QueryError, QueryRefusedError, UnknownNameError, engine_message, one_line

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
    """Rows of a SELECT, the answer of an ASK, or the graph of a CONSTRUCT/DESCRIBE.

    A row's values are the terms' text (an IRI, a literal's lexical form), or with ``typed`` Python
    values (:func:`python_value`)."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    answer: bool | None = None
    graph: Graph | None = None
    notes: list[str] = field(default_factory=list)
    """What kg did to the bindings (an alias bound to its label), or found of them (a name no node has)."""


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


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {_XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
    "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_CONVERT = {
    **{t: int for t in _INTEGER_TYPES},
    _XSD + "decimal": Decimal,
    _XSD + "double": float,
    _XSD + "float": float,
    _XSD + "boolean": lambda v: v.strip() in ("true", "1"),
    _XSD + "date": datetime.date.fromisoformat,
    _XSD + "dateTime": datetime.datetime.fromisoformat,
}


def _text(term) -> str | None:
    """A result term (rdflib's or pyoxigraph's) as text: an IRI, ``_:id`` for a blank node, a literal's
    lexical form."""
    if term is None:
        return None
    if isinstance(term, BNode) or type(term).__name__ == "BlankNode":
        return "_:" + str(term if isinstance(term, BNode) else term.value)
    return str(term) if isinstance(term, (URIRef, Literal)) else term.value


def python_value(term):
    """A result term as a Python value: ``int``, ``Decimal``, ``float``, ``bool``, ``date`` or ``datetime``
    for those XSD types (as rdflib and pyoxigraph both type them), else its text (:func:`_text`), so that
    ``kg.query`` answers ``32``, not ``'32'``. A literal whose lexical form is not of its type stays text."""
    text = _text(term)
    datatype = getattr(term, "datatype", None)
    iri = None if datatype is None else str(datatype) if isinstance(datatype, URIRef) else datatype.value
    convert = _CONVERT.get(iri)
    if convert is None:
        return text
    try:
        return convert(text)
    except (ValueError, InvalidOperation):
        return text


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


NAME_CLASSES = {"union": "Union", "place": "Place", "program": "Program"}
"""The classes whose names are suggested for a binding that names nothing; a variable named after one
(``?union``) gets names of that class only."""


class Names:
    """The names of nodes (``rdfs:label``, ``skos:altLabel``) in one engine's graph: to bind another name
    as its node's label, and to say which names are closest to one that names nothing.

    The engine is an rdflib ``graph``, a pyoxigraph ``store``, or ``select``: a function that runs a
    SELECT and gives its rows as dicts of text (:meth:`kg.serve.Endpoint.select`, the served explorer's)."""

    def __init__(self, graph=None, store=None, union: bool = False, select=None):
        self.graph, self.store, self.union, self.select = graph, store, union, select

    def _select(self, text: str) -> list[dict[str, str]]:
        from .vocab import PREFIXES

        if self.select is not None:
            return self.select(text)
        if self.store is not None:
            result = self.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=self.union)
            names = [v.value for v in result.variables]
            return [{n: sol[n].value for n in names if sol[n] is not None} for sol in result]
        from rdflib import Namespace

        result = self.graph.query(text, initNs={p: Namespace(i) for p, i in PREFIXES.items()})
        return [{str(k): str(v) for k, v in row.asdict().items()} for row in result]

    def lookup(self, value: str) -> tuple[bool, set[str]]:
        """Whether ``value`` is some node's label, and the labels of the nodes it is another name of."""
        rows = self._select(f"SELECT ?how ?label WHERE {{ VALUES ?name {{ {Literal(value).n3()} }} "
                            "{ ?n rdfs:label ?name BIND(\"label\" AS ?how) } UNION "
                            "{ ?n skos:altLabel ?name ; rdfs:label ?label BIND(\"alt\" AS ?how) } }")
        return (any(r.get("how") == "label" for r in rows),
                {r["label"] for r in rows if r.get("how") == "alt" and r.get("label")})

    def closest(self, name: str, value: str, n: int = 5) -> list[str]:
        """The names most like ``value``, of the class ``name`` is named after or of unions, places and
        programs."""
        classes = [NAME_CLASSES[name]] if name in NAME_CLASSES else list(NAME_CLASSES.values())
        rows = self._select("SELECT DISTINCT ?name WHERE { VALUES ?c { " + " ".join(f"ukg:{c}" for c in classes)
                            + " } ?n a ?c . { ?n rdfs:label ?name } UNION { ?n skos:altLabel ?name } }")
        chars = set(value)
        names = sorted({r["name"] for r in rows if r.get("name") and chars & set(r["name"])})
        scored = sorted(names, key=lambda x: (-difflib.SequenceMatcher(None, value, x).ratio(), len(x), x))
        return scored[:n]


def bind_names(names: Names, bindings: dict, notes: list[str]) -> tuple[dict, dict]:
    """Bindings with each literal that is only another name of one node (``青岛市总``, ``全总``) replaced by
    that node's label, with a note; and the literals that are no node's name, for :func:`unknown_notes`."""
    out, unknown = {}, {}
    for k, v in bindings.items():
        out[k] = v
        if not isinstance(v, Literal):
            continue
        is_label, labels = names.lookup(str(v))
        if is_label:
            continue
        if len(labels) == 1:
            (label,) = labels
            notes.append(f"{k}={v} is another name of {label}; bound ?{k} to {label}")
            out[k] = Literal(label)
        elif labels:
            notes.append(f"{k}={v} is another name of {len(labels)} nodes: {', '.join(sorted(labels))}; "
                         "bind one of them")
        else:
            unknown[k] = str(v)
    return out, unknown


def unknown_notes(names: Names, unknown: dict) -> list[str]:
    """For an answer with no rows: which bound values are no node's name, and the closest names there are."""
    notes = []
    for k, v in unknown.items():
        close = names.closest(k, v)
        kind = f"{k}'s" if k in NAME_CLASSES else "union, place or program"
        notes.append(f"{k}={v} is no node's name (rdfs:label or skos:altLabel); "
                     + (f"the closest: {', '.join(close)}" if close else f"no {kind} name has any of its characters"))
    return notes


def run_query(graph: Graph, text: str, bindings: dict | None = None, typed: bool = False) -> QueryResult:
    """Run SPARQL ``text`` on an rdflib ``graph``, read-only.

    The contract's prefixes (``ukg:``, ``rdfs:``, ``skos:``, ``prov:``, ``xsd:``, and
    ``kgr:``, ``rdf:``) need no ``PREFIX`` lines. A binding must name a variable of the
    query; a literal that is a node's other name (``skos:altLabel``) is bound to its
    label, with a note saying so, and one that names nothing gets a note with the closest names
    when nothing is found. Errors are :class:`QueryError`, in one line; a query that would
    fetch (SERVICE, FROM) or update is refused by :func:`kg.guard.inspect_query` before rdflib runs
    the query it checked. With ``typed``, values are Python values (:func:`python_value`).
    """
    from .vocab import PREFIXES

    checked = _check(text)
    prepared = _prepared(checked)
    notes: list[str] = []
    names, unknown = Names(graph=graph), {}
    if bindings:
        check_bindings(checked, bindings)
        bindings, unknown = bind_names(names, bindings, notes)
    cell = python_value if typed else _text
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
        rows = [{c: cell(row[i]) for i, c in enumerate(columns)} for row in result]
    except Exception as e:
        raise QueryError(f"SPARQL query failed: {one_line(e, 200)}") from None
    if not rows:
        notes += unknown_notes(names, unknown)
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


def check_bindings(checked, bindings: dict) -> None:
    """Refuse a binding of a variable the (:func:`kg.guard.inspect_query`-checked) query does not have,
    naming the ones it has."""
    text = checked.text

    def first_use(v: str) -> int:
        m = re.search(r"[?$]" + re.escape(v) + r"(?!\w)", text)
        return m.start() if m else len(text)

    names = sorted(variables(_prepared(checked)), key=first_use)
    unknown = [b for b in bindings if b not in names]
    if unknown:
        raise QueryError(f"cannot bind ?{unknown[0]}: the query has no variable ?{unknown[0]}; "
                         f"its variables are {', '.join('?' + n for n in names) or 'none'}")


def run_store_query(store, text: str, bindings: dict | None = None, union: bool = False,
                    typed: bool = False) -> QueryResult:
    """Run SPARQL ``text`` on a pyoxigraph store's default graph (with ``union``, the union of its
    graphs), with the checks and the names of :func:`run_query`: Oxigraph is given the text that was
    checked."""
    import pyoxigraph as ox

    from .vocab import PREFIXES

    checked = _check(text)
    notes: list[str] = []
    names, unknown = Names(store=store, union=union), {}
    if bindings:
        check_bindings(checked, bindings)
        bindings, unknown = bind_names(names, bindings, notes)
    subs = {ox.Variable(k): ox.NamedNode(str(v)) if isinstance(v, URIRef) else ox.Literal(str(v))
            for k, v in (bindings or {}).items()}
    try:
        result = store.query(checked.text, prefixes=PREFIXES, use_default_graph_as_union=union,
                             substitutions=subs or None)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ASK", answer=bool(result), notes=notes)
        if isinstance(result, ox.QueryTriples):
            from .export import rdflib_graph

            return QueryResult("CONSTRUCT", graph=rdflib_graph(result), notes=notes)
        columns = [v.value for v in result.variables]
        if typed:
            rows = [{c: python_value(sol[c]) for c in columns} for sol in result]
        else:
            rows = [{c: (None if sol[c] is None else sol[c].value) for c in columns} for sol in result]
    except RuntimeError as e:
        if "projection" in str(e):
            raise QueryError(f"--bind on a store binds the variables a query selects; {engine_message(e)}") from None
        raise QueryError(f"SPARQL query failed: {engine_message(e)}") from None
    except (SyntaxError, OSError, ValueError) as e:
        raise QueryError(f"SPARQL query failed: {engine_message(e)}") from None
    if not rows:
        notes += unknown_notes(names, unknown)
    return QueryResult("SELECT", columns, rows, notes=notes)


def load_graph_file(path: str | os.PathLike):
    """A graph file (Turtle, or N-Triples, N-Quads, RDF/XML, JSON-LD by extension) in an in-memory
    Oxigraph store, read by its bulk loader: what ``kg query GRAPH`` and ``kg stats GRAPH`` ask, ten
    times faster than rdflib's parser and in half its memory."""
    import pyoxigraph as ox

    p = Path(path)
    if not p.is_file():
        raise GraphFileError(f"{p}: no such graph file; build one with `kg build SRC -o DIR`")
    fmt = {".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".rdf": ox.RdfFormat.RDF_XML,
           ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD}.get(p.suffix.lower(),
                                                                              ox.RdfFormat.TURTLE)
    store = ox.Store()
    try:
        store.bulk_load(path=str(p), format=fmt, to_graph=ox.DefaultGraph())
    except (SyntaxError, OSError, ValueError) as e:
        raise GraphFileError(f"{p}: not a readable {fmt.name} graph ({one_line(e, 160)})") from None
    return store


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * (n - _width(s))


def format_result(result: QueryResult, fmt: str = "table", max_cell: int = 60) -> str:
    """Format a result as an aligned table, CSV (after :data:`kg.export.CSV_BOM`), TSV or JSON (CSV and
    TSV cells safe in a spreadsheet)."""
    if fmt not in FORMATS:
        raise UnknownNameError(f"no output format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if result.kind == "ASK":
        return json.dumps({"boolean": result.answer}) if fmt == "json" else str(result.answer).lower()
    if result.kind != "SELECT":
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        return json.dumps({"columns": result.columns, "rows": result.rows}, ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        from .export import CSV_BOM

        rows = (["" if r[c] is None else r[c] for c in result.columns] for r in result.rows)
        text = table_text(result.columns, rows, delimiter="," if fmt == "csv" else "\t").rstrip("\n")
        return (CSV_BOM if fmt == "csv" else "") + text

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
