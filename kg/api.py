"""The notebook API: build, ask, convert and look, each one call.

    >>> import kg
    >>> g = kg.build(["seeds"])                                   # doctest: +SKIP
    >>> kg.query(g, "SELECT ?l WHERE { ?u a ukg:Union ; rdfs:label ?l }")[:1]   # doctest: +SKIP
    [{'l': '中华全国总工会'}]

A graph argument may be an rdflib ``Graph`` or the path of a graph file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from rdflib import Graph


def _graph(graph: Graph | str | os.PathLike) -> Graph:
    if isinstance(graph, Graph):
        return graph
    from .export import read_graph

    return read_graph(graph)


def build(sources: str | os.PathLike | Iterable[str | os.PathLike], date: str | None = None,
          strict: bool = False) -> Graph:
    """The graph of the pages under ``sources`` (files or folders), built in memory; nothing is written."""
    from .pipeline import extract_sources

    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    return extract_sources(sources, strict=strict, date=date).graph


def query(graph: Graph | str | os.PathLike, text: str, **bindings) -> list[dict] | bool | Graph:
    """Rows (dicts of column → value) of a SELECT; the answer of an ASK; the graph of a CONSTRUCT/DESCRIBE.

    ``text`` is SPARQL or the name of a saved query (``"programs-of-union"``); the
    contract's prefixes need no ``PREFIX`` lines. Keyword arguments bind variables:
    ``kg.query(g, "programs-of-union", union="青岛市总")`` (another name of a union is
    bound to its label; a name no node has is said in a warning, with the closest names). Values
    are typed: ``int``, ``Decimal``, ``float``, ``bool``, ``date`` for those XSD types, else ``str``.
    A graph file is read into an in-memory Oxigraph store, as ``kg query`` reads it.
    """
    import warnings

    from .sparql import load_graph_file, parse_binding, run_query, run_store_query, saved_queries

    saved = saved_queries()
    bound = dict(parse_binding(f"{k}={v}") for k, v in bindings.items())
    if isinstance(graph, Graph):
        result = run_query(graph, saved[text].text if text in saved else text, bound, typed=True)
    else:
        store = load_graph_file(graph)
        result = run_store_query(store, saved[text].for_store() if text in saved else text, bound, typed=True)
    for note in result.notes:
        warnings.warn(note, stacklevel=2)
    if result.kind == "ASK":
        return bool(result.answer)
    if result.kind != "SELECT":
        return result.graph
    return result.rows


def to_networkx(graph: Graph | str | os.PathLike):
    """The graph as a networkx ``DiGraph``: nodes keyed by IRI with class, label, date …, edges with the
    properties that link them (see :func:`kg.network.to_networkx`)."""
    from .network import to_networkx as convert

    return convert(_graph(graph))


def view(graph: Graph | str | os.PathLike, focus: str | None = None, depth: int = 2,
         max_nodes: int | None = None, since: str | None = None, until: str | None = None,
         path: str | os.PathLike | None = None):
    """The interactive view (:class:`kg.explorer.View`); shown inline in Jupyter, written to ``path`` if given.
    A graph file is streamed into the view's tables (:mod:`kg.viewgraph`), not read into rdflib."""
    from .explorer import DEFAULT_MAX_NODES, render_view
    from .outputs import atomic_write

    v = render_view(graph, focus=focus, depth=depth, max_nodes=max_nodes or DEFAULT_MAX_NODES,
                    since=since, until=until)
    if path is not None:
        atomic_write(path, v.html)
    return v
