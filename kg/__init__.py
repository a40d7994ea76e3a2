"""kg: knowledge graphs of which union runs which program, where, with how much.

The library first, the ``kg`` command a thin layer over it::

    import kg
    result = kg.extract_sources(["seeds"])          # read, split, extract, resolve
    rows = kg.run_query(result.graph, "SELECT …").rows
    from kg.build import build                      # the same, and write the outputs

Importing ``kg`` loads nothing heavy: names below are imported on first use.
Names that are also module names (``build``, ``split``, ``extract``,
``evaluate``) are left to their modules, so ``kg.split`` is always the module.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "extract_sources": "kg.build",
    "BuildResult": "kg.build",
    "read_page": "kg.read",
    "read_pages": "kg.read",
    "split_page": "kg.split",
    "extract_article": "kg.extract",
    "EXTRACTORS": "kg.extract",
    "build_graph": "kg.graph",
    "read_graph": "kg.export",
    "render_view": "kg.export",
    "to_turtle": "kg.export",
    "to_networkx": "kg.network",
    "stats": "kg.network",
    "run_query": "kg.query",
    "saved_queries": "kg.query",
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
