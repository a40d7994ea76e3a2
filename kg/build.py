"""The whole job: sources → pages → articles → extractions → graph → files.

:func:`extract_sources` is the library entry point; :func:`build` also writes
the outputs. Both are what ``kg build`` calls.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .extract import extract
from .graph import build_graph
from .errors import InputError
from .read import read_pages
from .resolve import resolve
from .split import split
from .types import Extraction


@dataclass
class BuildResult:
    """What a build read, found and wrote."""

    graph: Graph
    extractions: list[Extraction]
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    view_notice: str = ""
    """Set when the HTML view left nodes out (over its node ceiling)."""

    def summary(self) -> dict[str, int]:
        from .vocab import RDF, UKG

        def count(cls) -> int:
            return len(set(self.graph.subjects(RDF.type, cls)))

        return {
            "files": len(self.files),
            "skipped": len(self.skipped),
            "articles": count(UKG.Article),
            "unions": count(UKG.Union),
            "programs": count(UKG.Program),
            "places": count(UKG.Place),
            "amounts": count(UKG.Amount),
            "triples": len(self.graph),
        }


def extract_sources(
    sources: Iterable[str | os.PathLike],
    strict: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> BuildResult:
    """Read, split and extract every file under ``sources``; return the graph and records."""
    extractions: list[Extraction] = []
    read: list[str] = []
    skipped: list[str] = []
    for page in read_pages(sources, strict=strict, skipped=skipped, progress=progress):
        read.append(page.source)
        extractions.extend(extract(article) for article in split(page))
    if skipped and not read:
        raise InputError(f"none of the {len(skipped)} file(s) could be read: {skipped[0]}")
    extractions = resolve(extractions)
    return BuildResult(build_graph(extractions), extractions, read, skipped)


def build(
    sources: Iterable[str | os.PathLike],
    out_dir: str | os.PathLike,
    strict: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
    html: bool = True,
    max_nodes: int | None = None,
) -> BuildResult:
    """Build the graph of ``sources`` and write ``graph.ttl``, ``ontology.ttl`` and ``graph.html``."""
    from .export import DEFAULT_MAX_NODES, atomic_write, render_view, write_ontology, write_turtle

    result = extract_sources(sources, strict=strict, progress=progress)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result.outputs["turtle"] = write_turtle(result.graph, out / "graph.ttl")
    result.outputs["ontology"] = write_ontology(out / "ontology.ttl")
    if html:
        view = render_view(result.graph, max_nodes=max_nodes or DEFAULT_MAX_NODES)
        result.outputs["html"] = atomic_write(out / "graph.html", view.html)
        result.view_notice = view.notice
    return result
