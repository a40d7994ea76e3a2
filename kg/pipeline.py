"""The whole job: sources → pages → articles → extractions → graph → files.

:func:`extract_sources` is the library entry point; :func:`build` also writes
the outputs. Both are what ``kg build`` calls.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph

from .corrections import Corrections, CorrectionsReport, correct_file, file_groups, file_key, report
from .graph import graph_triple_batches
from .export import SortedTriples
from .errors import InputError
from .outputs import OutputSet, output_error
from .pages import (PageDone, Sized, check_confidence, check_date, chunks, dask_pages, default_jobs, do_page,
                    ordered, pages_done, parallel, skip)
from .read import expand_sources, source_keys
from .resolve import resolve
from .types import Extraction


@dataclass
class BuildResult:
    """What a build read, found and wrote."""

    triples: list
    """The graph's triples (pyoxigraph terms), each once: what the Turtle is written from."""
    extractions: list[Extraction]
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Warnings about files read all the same (a damaged byte read as U+FFFD)."""
    sources: list[dict] = field(default_factory=list)
    """Each file read: its key in the build and the hash of its bytes (for the manifest)."""
    outputs: dict[str, Path] = field(default_factory=dict)
    view_notice: str = ""
    """Set when the HTML view left nodes out, or was not written: the graph is over its node ceiling."""
    corrections: CorrectionsReport | None = None
    """What became of each correction (None: the build applied none)."""
    _graph: Graph | None = field(default=None, repr=False)
    sorted: SortedTriples | None = field(default=None, repr=False)
    """A streamed build's triples, on disk (:func:`build`); ``triples`` stays empty then."""

    @property
    def graph(self) -> Graph:
        """The graph as an rdflib ``Graph``, made on first use (a large one costs seconds and memory): from
        the triples held, or read back from the Turtle a streamed build wrote."""
        if self._graph is None:
            from .export import rdflib_graph

            if self.sorted is not None and "turtle" in self.outputs:
                import pyoxigraph as ox

                self._graph = rdflib_graph(ox.parse(path=str(self.outputs["turtle"]), format=ox.RdfFormat.TURTLE))
            else:
                self._graph = rdflib_graph(self.triples)
        return self._graph

    def nodes(self) -> int:
        """The graph's nodes: its articles, unions, programs, places and amounts."""
        s = self.summary()
        return sum(s[k] for k in ("articles", "unions", "programs", "places", "amounts"))

    def summary(self) -> dict[str, int]:
        """Files, skipped files, nodes of each class and triples."""
        from .vocab import RDF, UKG

        if self.sorted is not None:
            typed, total = self.sorted.typed, self.sorted.count
        else:
            rdf_type = str(RDF.type)
            typed = Counter(t.object.value for t in self.triples if t.predicate.value == rdf_type)
            total = len(self.triples)
        return {
            "files": len(self.files),
            "skipped": len(self.skipped),
            **{key: typed.get(str(UKG[cls]), 0) for key, cls in (
                ("articles", "Article"), ("unions", "Union"), ("programs", "Program"), ("places", "Place"),
                ("amounts", "Amount"))},
            "triples": total,
        }


def extract_sources(
    sources: Iterable[str | os.PathLike],
    strict: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
    date: str | None = None,
    jobs: int | None = 1,
    scheduler: str | None = None,
    min_confidence: float = 0.0,
    corrections: Corrections | None = None,
) -> BuildResult:
    """Read, split and extract every file under ``sources``; return the graph and records.

    ``corrections`` (:func:`kg.corrections.read_corrections`) are applied to each file's resolved
    records; ``extractions`` stay as the extractor and resolution left them.

    ``date`` (``YYYY-MM-DD``) is the date of pages whose file name gives none.
    ``min_confidence`` (0-1) drops the programs the judge is less sure of.
    ``jobs`` worker processes read, split and extract (``None``: one per core), or the
    workers of the Dask cluster at ``scheduler``; the result is the same, in the same order.

    A page whose splitting or extraction fails (a bug kg must fix) is skipped with
    a warning naming it, like an unreadable file; with ``strict`` it stops the build.
    """
    date = check_date(date)
    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs {jobs}: give 1 or more")
    files = expand_sources(sources)
    keys = source_keys(files)
    work = [(str(f), keys[f], strict, date, check_confidence(min_confidence)) for f in files]
    extractions: list[Extraction] = []
    result = BuildResult([], extractions)
    done = Sized(pages_done(work, default_jobs() if jobs is None else jobs, scheduler), len(work))
    for item in progress(done) if progress else done:
        if skip(item, strict, result.skipped):
            continue
        result.notes.extend(item.notes)
        extractions.extend(item.extractions)
        result.files.append(item.source)
        result.sources.append({"file": item.key, "sha256": item.sha256})
    if result.skipped and not result.files:
        raise InputError(f"none of the {len(result.skipped)} file(s) could be read: {result.skipped[0]}")
    result.extractions = resolve(extractions)
    triples, outcomes = {}, []
    for records in file_groups(result.extractions):
        done = correct_file(records, corrections)
        triples.update(dict.fromkeys(done.triples))
        outcomes.append(done.outcomes)
    result.triples = list(triples)
    if corrections is not None:
        result.corrections = report(corrections, outcomes, (s["file"] for s in result.sources))
    return result


def build(
    sources: Iterable[str | os.PathLike],
    out_dir: str | os.PathLike,
    strict: bool = False,
    progress: Callable[..., Iterable] | None = None,
    html: bool = True,
    max_nodes: int | None = None,
    date: str | None = None,
    jobs: int | None = 1,
    scheduler: str | None = None,
    min_confidence: float = 0.0,
    corrections: str | os.PathLike | None = None,
    apply_corrections: bool = True,
) -> BuildResult:
    """Build the graph of ``sources`` and write ``graph.ttl``, ``ontology.ttl`` and ``graph.html``.

    The corrections of the file ``corrections`` (default: ``corrections.csv`` in the output folder,
    if there is one) are applied to every file's records (:mod:`kg.corrections`), unless
    ``apply_corrections`` is False: then the graph is what the extractor alone says.

    The output folder is checked before anything is read, and the files are
    written as one set (:mod:`kg.outputs`) with a manifest, ``kg-build.json``.

    Unlike :func:`extract_sources`, nothing grows with the corpus but what the build-wide
    folding needs (the union names): each file's settled records wait on disk until the
    folding is known, its triples are sorted in runs on disk, and the Turtle is merged from
    them. The result holds the counts, not the records or the triples (its ``graph`` is
    read back from the Turtle when asked for).

    ``graph.html`` is made from the Turtle just written, streamed (:mod:`kg.viewgraph`); a graph of
    more than ``max_nodes`` nodes gets none, and ``view_notice`` says to use ``kg serve --store``.

    ``progress(items, stage="reading", unit="file")`` wraps each long stage's items (a
    progress bar: :func:`tqdm.tqdm` fits).
    """
    from .explorer import DEFAULT_MAX_NODES, check_max_nodes, too_large
    from .export import ontology_text

    files = expand_sources(sources)  # a missing source or a bad argument is an error before any folder is made
    date = check_date(date)
    check_confidence(min_confidence)
    max_nodes = DEFAULT_MAX_NODES if max_nodes is None else check_max_nodes(max_nodes)
    book = _corrections_for(out_dir, corrections) if apply_corrections else None
    with OutputSet(out_dir) as out:
        try:
            result = _stream(files, out.scratch, strict, progress, date, jobs, scheduler, min_confidence, book)
        except OSError as e:  # spilling records or sorted runs: reading errors are KgErrors
            raise output_error(out.dir, e) from None
        result.outputs["turtle"] = out.write_with("graph.ttl", result.sorted.write_turtle)
        result.sorted.close()
        result.outputs["ontology"] = out.write("ontology.ttl", ontology_text())
        if html and result.nodes() > max_nodes:
            result.view_notice = too_large(result.nodes(), max_nodes, out.dir)
        elif html:
            task = (str(out.staging / "graph.ttl"), max_nodes)
            apart = result.nodes() > VIEW_HERE

            def page(path: Path) -> None:
                result.view_notice = _write_view((*task, str(path)), apart)

            result.outputs["html"] = out.write_with("graph.html", page)
        record = {"sources": result.sources, "skipped": result.skipped}
        if result.corrections is not None:
            record["corrections"] = {"path": book.path, "items": len(book), "applied": len(result.corrections.applied),
                                     "not_applied": len(result.corrections.unapplied)}
        result.outputs["manifest"] = out.publish(record)
    return result


VIEW_HERE = 20_000
"""Up to this many nodes a build makes its page in its own process (tens of MB); a larger one (asked
for with ``--max-nodes``) in a fresh process, so that what the build holds (jieba's dictionaries,
~200 MB at 30 MB of pages) does not add to what the page costs."""


def _write_view(task: tuple[str, int, str], apart: bool = False) -> str:
    """Make the page of the Turtle file ``task[0]`` (at most ``task[1]`` nodes) and write it to
    ``task[2]``, in a fresh process when ``apart``; return its notice."""
    if apart:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            return pool.submit(_write_view, task).result()
    from .explorer import render_view

    turtle, max_nodes, path = task
    view = render_view(Path(turtle), max_nodes=max_nodes)
    with open(path, "wb") as f:
        f.write(view.html.encode("utf-8"))
    return view.notice


def _corrections_for(out_dir: str | os.PathLike, path: str | os.PathLike | None) -> Corrections | None:
    """The corrections a build applies: those of ``path``, else of the output folder's
    ``corrections.csv`` when there is one (a path given must exist)."""
    from .corrections import DEFAULT_NAME, read_corrections

    if path is None:
        default = Path(out_dir) / DEFAULT_NAME
        return read_corrections(default) if default.is_file() else None
    if not Path(path).is_file():
        raise InputError(f"--corrections {path}: no such file; make one with kg correct")
    return read_corrections(path)


def _spill(items: Iterable[PageDone], path: Path) -> tuple[list[PageDone], set[str]]:
    """Settle each file's extractions and write them to ``path`` (pickles, one per file read); return
    the files without their extractions, and the union names the folding will need."""
    import pickle

    from .resolve import settle, union_names

    done, names = [], set()
    with open(path, "wb") as f:
        for item in items:
            if not item.skipped:
                settled = settle(list(item.extractions))
                names |= union_names(settled)
                pickle.dump(settled, f, protocol=pickle.HIGHEST_PROTOCOL)
                item = replace(item, extractions=())
            done.append(item)
    return done, names


def _read_and_spill(task: tuple[list, str]) -> tuple[list[PageDone], set[str]]:
    """Pass one of a streamed build, for a chunk of files: read, split, extract, settle, spill."""
    jobs_list, path = task
    return _spill(map(do_page, jobs_list), Path(path))


_BATCH = 10_000
"""Triples made and turned into N-Triples lines at once when a file's records become sorted runs."""


def _sorted_runs(task: tuple[list[tuple[str, int]], dict, str, str, Corrections | None]
                 ) -> tuple[list[str], list[dict[str, str]]]:
    """Pass two, for some spill files: fold each file's records by the build-wide aliases, correct
    them, make its triples, and write them in sorted runs (:class:`kg.export.SortedTriples`); return
    the runs and what became of the corrections in each file. A file no correction touches has its
    triples made a batch at a time, so a large page is never held whole."""
    import pickle

    from .resolve import fold

    spills, alias, folder, name, corrections = task
    runs = SortedTriples(folder, name=name)
    outcomes = []
    for path, files in spills:
        with open(path, "rb") as f:
            for _ in range(files):
                records = fold(pickle.load(f), alias)
                if corrections is not None and records and corrections.for_file(file_key(records[0])):
                    done = correct_file(records, corrections)
                    runs.extend(done.triples)
                    outcomes.append(done.outcomes)
                    continue
                for batch in graph_triple_batches(records, _BATCH):
                    runs.extend(batch)  # one large page: its triples a batch at a time
                outcomes.append({})
        os.unlink(path)
    return [str(p) for p in runs.flush()], outcomes


def _stream(files: list, work: Path, strict: bool, progress, date: str, jobs: int | None,
            scheduler: str | None, min_confidence: float = 0.0, corrections: Corrections | None = None
            ) -> BuildResult:
    """Two passes over the files with only the union names held: read, extract and settle each file
    and spill its records; then fold each file's records by the build-wide aliases into triples,
    written in sorted runs (``result.sorted``). Both passes run in the workers; a Dask cluster's
    workers do the first one's reading and extracting, and this process spills what they send."""
    from .extract.unions import union_aliases

    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs {jobs}: give 1 or more")
    jobs = default_jobs() if jobs is None else jobs
    keys = source_keys(files)
    todo = [(str(f), keys[f], strict, date, min_confidence) for f in files]
    workers = jobs if parallel(jobs, todo) else 1
    tasks = [(chunk, str(work / f"records-{i:06d}.pickle")) for i, chunk in enumerate(chunks(todo, workers))]
    if scheduler:
        pages = dask_pages(todo, scheduler)
        spilled = (_spill((next(pages) for _ in chunk), Path(path)) for chunk, path in tasks)
    else:
        spilled = ordered(_read_and_spill, tasks, workers)

    names: set[str] = set()
    spills: list[tuple[str, int]] = []  # each spill file and the number of files it holds

    def each_file():
        for (_chunk, path), (done, found) in zip(tasks, spilled):
            names.update(found)
            spills.append((path, sum(1 for d in done if not d.skipped)))
            yield from done

    result = BuildResult([], [])
    items = Sized(each_file(), len(todo))
    for item in progress(items) if progress else items:
        if skip(item, strict, result.skipped):
            continue
        result.notes.extend(item.notes)
        result.files.append(item.source)
        result.sources.append({"file": item.key, "sha256": item.sha256})
    if result.skipped and not result.files:
        raise InputError(f"none of the {len(result.skipped)} file(s) could be read: {result.skipped[0]}")
    alias = union_aliases(names)
    size = max(1, len(spills) // (8 * jobs))
    groups = [(spills[k : k + size], alias, str(work), f"run-{n:06d}", corrections)
              for n, k in enumerate(range(0, len(spills), size))]
    result.sorted = SortedTriples(work)
    parts = Sized(ordered(_sorted_runs, groups, workers), len(groups))
    outcomes: list[dict[str, str]] = []
    for runs, done in progress(parts, "making triples", "part") if progress else parts:
        result.sorted.adopt(runs)
        outcomes += done
    if corrections is not None:
        result.corrections = report(corrections, outcomes, (s["file"] for s in result.sources))
    return result


def build_store(
    sources: Iterable[str | os.PathLike],
    store: str | os.PathLike,
    strict: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
    date: str | None = None,
    jobs: int | None = 1,
    scheduler: str | None = None,
    corrections: str | os.PathLike | None = None,
    apply_corrections: bool = True,
):
    """Add ``sources`` to the persistent store at ``store`` (:mod:`kg.store`), reading only new and
    changed files, with the store's corrections applied (``corrections``: another file, which the store
    remembers; ``apply_corrections`` False: none, this time); returns what it did
    (:class:`kg.store.StoreReport`)."""
    from .store import GraphStore

    files = expand_sources(sources)  # a missing source is an error before the store is touched
    with GraphStore(store) as st:
        book = st.corrections(corrections, apply_corrections)
        report = st.update(files, strict=strict, date=date, jobs=jobs, progress=progress, scheduler=scheduler,
                           corrections=book, expanded=True)
        report.files = len(st.files)
    return report
