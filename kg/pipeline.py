"""The whole job: sources → pages → articles → extractions → graph → files.

:func:`extract_sources` is the library entry point; :func:`build` also writes
the outputs. Both are what ``kg build`` calls.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph

from .extract import extract
from .graph import build_graph
from .errors import ExtractionError, InputError
from .outputs import OutputSet
from .read import expand_sources, read_pages
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
    notes: list[str] = field(default_factory=list)
    """Warnings about files read all the same (a damaged byte read as U+FFFD)."""
    sources: list[dict] = field(default_factory=list)
    """Each file read: its key in the build and the hash of its bytes (for the manifest)."""
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


def check_date(date: str | None) -> str:
    """``date`` as ``YYYY-MM-DD``; a one-line error for anything else."""
    import datetime

    if not date:
        return ""
    try:
        return datetime.date.fromisoformat(date.strip()).isoformat()
    except ValueError:
        raise InputError(f"--date {date!r}: give the pages' date as YYYY-MM-DD, e.g. 2023-12-25") from None


def extract_sources(
    sources: Iterable[str | os.PathLike],
    strict: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
    date: str | None = None,
) -> BuildResult:
    """Read, split and extract every file under ``sources``; return the graph and records.

    ``date`` (``YYYY-MM-DD``) is the date of pages whose file name gives none.

    A page whose splitting or extraction fails (a bug kg must fix) is skipped with
    a warning naming it, like an unreadable file; with ``strict`` it stops the build.
    """
    date = check_date(date)
    extractions: list[Extraction] = []
    result = BuildResult(Graph(), extractions)
    for page in read_pages(sources, strict=strict, skipped=result.skipped, progress=progress,
                           notes=result.notes):
        if date and not page.date:
            page = replace(page, date=date)
        try:
            found = [extract(article) for article in split(page)]
        except Exception as e:  # noqa: BLE001 - one page must not kill a build
            message = (f"{page.key}: kg failed on this page ({type(e).__name__}: "
                       f"{' '.join(str(e).split())[:120]}); please report it with the file")
            if strict:
                raise ExtractionError(message) from e
            result.skipped.append(message)
            continue
        extractions.extend(found)
        result.files.append(page.source)
        result.sources.append({"file": page.key, "sha256": page.sha256})
    if result.skipped and not result.files:
        raise InputError(f"none of the {len(result.skipped)} file(s) could be read: {result.skipped[0]}")
    result.extractions = resolve(extractions)
    result.graph = build_graph(result.extractions)
    return result


def build(
    sources: Iterable[str | os.PathLike],
    out_dir: str | os.PathLike,
    strict: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
    html: bool = True,
    max_nodes: int | None = None,
    date: str | None = None,
) -> BuildResult:
    """Build the graph of ``sources`` and write ``graph.ttl``, ``ontology.ttl`` and ``graph.html``.

    The output folder is checked before anything is read, and the files are
    written as one set (:mod:`kg.outputs`) with a manifest, ``kg-build.json``.
    """
    from .explorer import DEFAULT_MAX_NODES, render_view
    from .export import ontology_text, to_turtle

    files = expand_sources(sources)  # a missing source is an error before any folder is made
    date = check_date(date)
    with OutputSet(out_dir) as out:
        result = extract_sources(files, strict=strict, progress=progress, date=date)
        result.outputs["turtle"] = out.write("graph.ttl", to_turtle(result.graph))
        result.outputs["ontology"] = out.write("ontology.ttl", ontology_text())
        if html:
            view = render_view(result.graph, max_nodes=max_nodes or DEFAULT_MAX_NODES)
            result.outputs["html"] = out.write("graph.html", view.html)
            result.view_notice = view.notice
        result.outputs["manifest"] = out.publish({"sources": result.sources, "skipped": result.skipped})
    return result
