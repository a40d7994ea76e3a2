"""kg: knowledge graphs of which union runs which program, where, with how much, and when.

The library first, the ``kg`` command a thin layer over it. In a notebook::

    import kg
    g = kg.build("seeds")                                   # read, split, extract, resolve
    kg.query(g, "programs-of-union", union="青岛市总")       # saved queries or SPARQL
    G = kg.to_networkx(g)
    kg.view(g, focus="青岛市总工会")                          # shown inline in Jupyter

The stages are there for finer work: ``kg.extract_sources`` (the records as
well as the graph), ``kg.run_query``, ``kg.render_view``, ``kg.read_page``…
Importing ``kg`` loads nothing heavy: names below are imported on first use.
Names that are also module names (``split``, ``extract``, ``evaluate``) are
left to their modules, so ``kg.split`` is always the module.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "build": "kg.api",
    "query": "kg.api",
    "to_networkx": "kg.api",
    "view": "kg.api",
    "extract_sources": "kg.pipeline",
    "BuildResult": "kg.pipeline",
    "read_page": "kg.read",
    "read_pages": "kg.read",
    "split_page": "kg.split",
    "extract_article": "kg.extract",
    "EXTRACTORS": "kg.extract",
    "build_graph": "kg.graph",
    "read_graph": "kg.export",
    "render_view": "kg.explorer",
    "to_turtle": "kg.export",
    "stats": "kg.graphstats",
    "run_query": "kg.sparql",
    "saved_queries": "kg.sparql",
    "evaluate_graph": "kg.evaluate",
    "load_gold": "kg.evaluate",
    "KgError": "kg.errors",
}

_ALIASES = {"split_page": "split", "extract_article": "extract", "evaluate_graph": "evaluate"}
"""Package-level names for functions whose module has the same name."""

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), _ALIASES.get(name, name))
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
