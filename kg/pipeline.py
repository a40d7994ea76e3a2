"""The whole job: sources → pages → articles → extractions → graph → files.

:func:`extract_sources` is the library entry point; :func:`build` also writes
the outputs. Both are what ``kg build`` calls.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph

from .extract import extract
from .graph import graph_triple_batches, graph_triples
from .export import SortedTriples
from .errors import ExtractionError, InputError, UnreadableFileError
from .outputs import OutputSet, output_error
from .read import expand_sources, source_keys
from .resolve import resolve
from .script import simplify
from .split import split
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
    """Set when the HTML view left nodes out (over its node ceiling)."""
    _graph: Graph | None = field(default=None, repr=False)
    sorted: SortedTriples | None = field(default=None, repr=False)
    """A streamed build's triples, on disk (:func:`build`); ``triples`` stays empty then."""

    @property
    def graph(self) -> Graph:
        """The graph as an rdflib ``Graph``, made on first use (a large one costs seconds and memory)."""
        if self._graph is None:
            from .export import rdflib_graph

            self._graph = rdflib_graph(self.triples)
        return self._graph

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


def check_date(date: str | None) -> str:
    """``date`` as ``YYYY-MM-DD``; a one-line error for anything else."""
    import datetime

    if not date:
        return ""
    try:
        return datetime.date.fromisoformat(date.strip()).isoformat()
    except ValueError:
        raise InputError(f"--date {date!r}: give the pages' date as YYYY-MM-DD, e.g. 2023-12-25") from None


@dataclass(frozen=True)
class _PageDone:
    """What one worker made of one file: its extractions, or why it was skipped."""

    path: str
    key: str = ""
    source: str = ""
    sha256: str = ""
    extractions: tuple[Extraction, ...] = ()
    notes: tuple[str, ...] = ()
    skipped: str = ""
    unreadable: bool = False
    """The file could not be read (rather than kg failing on it)."""


def _do_page(job: tuple[str, str, bool, str]) -> _PageDone:
    """Read, split and extract one file: the unit of work of ``--jobs``, the same in a worker and in-process."""
    from .read import read_page

    path, key, strict, date = job
    notes: list[str] = []
    try:
        page = read_page(path, key=key, notes=None if strict else notes)
    except UnreadableFileError as e:
        return _PageDone(path, skipped=str(e), unreadable=True)
    if date and not page.date:
        page = replace(page, date=date)
    try:
        reading = simplify(page.text)  # traditional script and pinyin artefacts read as simplified
        found = tuple(reading.as_written(extract(article)) for article in split(replace(page, text=reading.text)))
    except Exception as e:  # noqa: BLE001 - one page must not kill a build
        return _PageDone(path, key=page.key, skipped=(
            f"{page.key}: kg failed on this page ({type(e).__name__}: "
            f"{' '.join(str(e).split())[:120]}); please report it with the file"))
    return _PageDone(path, page.key, page.source, page.sha256, found, tuple(notes))


PARALLEL_FROM = 1_000_000
"""Bytes of input below which workers cost more than they save (each loads its part of jieba's tables)."""


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def skip(item: _PageDone, strict: bool, skipped: list[str]) -> bool:
    """Whether a file's result is a skip: noted in ``skipped``, or raised with ``strict``."""
    if not item.skipped:
        return False
    if strict:
        raise (UnreadableFileError if item.unreadable else ExtractionError)(item.skipped)
    skipped.append(item.skipped)
    return True


class _Sized:
    """An iterator with a length, so that a progress bar knows the total."""

    def __init__(self, it: Iterator, n: int):
        self._it, self._n = it, n

    def __iter__(self):
        return self._it

    def __len__(self) -> int:
        return self._n


def _do_pages(jobs: list) -> list[_PageDone]:
    return [_do_page(j) for j in jobs]


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _dask_pages(jobs_list: list, scheduler: str) -> Iterator[_PageDone]:
    """Each file's result, in file order, from the workers of the Dask cluster at ``scheduler`` (they
    read the files themselves: the paths must be theirs too)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs Dask's distributed package: pip install 'dask[distributed]'") from None
    try:
        client = Client(scheduler, timeout=10)
    except (OSError, TimeoutError, ValueError) as e:
        raise InputError(f"--scheduler {scheduler}: no Dask scheduler answers there "
                         f"({' '.join(str(e).split())[:120]}); start one or give its address") from None
    with client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = _chunks([(str(Path(j[0]).resolve()), *j[1:]) for j in jobs_list], workers)
        for future in client.map(_do_pages, chunks, pure=False):
            yield from future.result()


def _chunks(items: list, jobs: int) -> list[list]:
    """``items`` in chunks for ``jobs`` workers: a few chunks each, at most 16 items a chunk."""
    size = max(1, min(16, len(items) // (4 * jobs)))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _parallel(jobs: int, jobs_list: list) -> bool:
    """Whether worker processes pay for themselves on these files."""
    return jobs > 1 and len(jobs_list) > 1 and sum(_size(j[0]) for j in jobs_list) >= PARALLEL_FROM


def _ordered(fn: Callable, args: list, jobs: int) -> Iterator:
    """``fn(a)`` for each of ``args``, in order, from ``jobs`` worker processes (here for 1), with a
    few calls in flight, not all: results wait to be used, in order."""
    if jobs <= 1 or len(args) <= 1:
        yield from map(fn, args)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    from .nlp import pos_tokenizer

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":  # load the dictionaries and tables once here; every worker inherits them
        from .gazetteer import gazetteer

        pos_tokenizer().lcut("工会开展活动")
        gazetteer()
        simplify("工會")
    with ProcessPoolExecutor(max_workers=min(jobs, len(args)),
                             mp_context=multiprocessing.get_context(method)) as pool:
        try:
            ahead: deque = deque()
            for a in args:
                ahead.append(pool.submit(fn, a))
                if len(ahead) >= 4 * jobs:
                    yield ahead.popleft().result()
            while ahead:
                yield ahead.popleft().result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _pages_done(jobs_list: list, jobs: int, scheduler: str | None = None) -> Iterator[_PageDone]:
    """Each file's result, in file order, from ``jobs`` worker processes (in this process for 1), or
    from a Dask cluster when ``scheduler`` gives its address."""
    if scheduler:
        yield from _dask_pages(jobs_list, scheduler)
        return
    if not _parallel(jobs, jobs_list):
        yield from map(_do_page, jobs_list)
        return
    for done in _ordered(_do_pages, _chunks(jobs_list, jobs), jobs):
        yield from done


def extract_sources(
    sources: Iterable[str | os.PathLike],
    strict: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
    date: str | None = None,
    jobs: int | None = 1,
    scheduler: str | None = None,
) -> BuildResult:
    """Read, split and extract every file under ``sources``; return the graph and records.

    ``date`` (``YYYY-MM-DD``) is the date of pages whose file name gives none.
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
    work = [(str(f), keys[f], strict, date) for f in files]
    extractions: list[Extraction] = []
    result = BuildResult([], extractions)
    done = _Sized(_pages_done(work, default_jobs() if jobs is None else jobs, scheduler), len(work))
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
    result.triples = graph_triples(result.extractions)
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
) -> BuildResult:
    """Build the graph of ``sources`` and write ``graph.ttl``, ``ontology.ttl`` and ``graph.html``.

    The output folder is checked before anything is read, and the files are
    written as one set (:mod:`kg.outputs`) with a manifest, ``kg-build.json``.

    Unlike :func:`extract_sources`, nothing grows with the corpus but what the build-wide
    folding needs (the union names): each file's settled records wait on disk until the
    folding is known, its triples are sorted in runs on disk, and the Turtle is merged from
    them. The result holds the counts, not the records or the triples (its ``graph`` is
    read back from the Turtle when asked for, as the HTML view does).

    ``progress(items, stage="reading", unit="file")`` wraps each long stage's items (a
    progress bar: :func:`tqdm.tqdm` fits).
    """
    from .explorer import DEFAULT_MAX_NODES, render_view
    from .export import ontology_text, rdflib_graph

    files = expand_sources(sources)  # a missing source is an error before any folder is made
    date = check_date(date)
    with OutputSet(out_dir) as out:
        work = out.staging / "work"
        try:
            work.mkdir()
            result = _stream(files, work, strict, progress, date, jobs, scheduler)
        except OSError as e:  # spilling records or sorted runs: reading errors are KgErrors
            raise output_error(out.dir, e) from None
        result.outputs["turtle"] = out.write_with("graph.ttl", result.sorted.write_turtle)
        result.sorted.close()
        result.outputs["ontology"] = out.write("ontology.ttl", ontology_text())
        if html:
            import pyoxigraph as ox

            staged = out.staging / "graph.ttl"
            result._graph = rdflib_graph(ox.parse(path=str(staged), format=ox.RdfFormat.TURTLE))
            view = render_view(result.graph, max_nodes=max_nodes or DEFAULT_MAX_NODES)
            result.outputs["html"] = out.write("graph.html", view.html)
            result.view_notice = view.notice
        result.outputs["manifest"] = out.publish({"sources": result.sources, "skipped": result.skipped})
    return result


def _spill(items: Iterable[_PageDone], path: Path) -> tuple[list[_PageDone], set[str]]:
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


def _read_and_spill(task: tuple[list, str]) -> tuple[list[_PageDone], set[str]]:
    """Pass one of a streamed build, for a chunk of files: read, split, extract, settle, spill."""
    jobs_list, path = task
    return _spill(map(_do_page, jobs_list), Path(path))


_BATCH = 10_000
"""Triples made and turned into N-Triples lines at once when a file's records become sorted runs."""


def _sorted_runs(task: tuple[list[tuple[str, int]], dict, str, str]) -> list[str]:
    """Pass two, for some spill files: fold each file's records by the build-wide aliases, make its
    triples, and write them in sorted runs (:class:`kg.export.SortedTriples`); return the runs."""
    import pickle

    from .resolve import fold

    spills, alias, folder, name = task
    runs = SortedTriples(folder, name=name)
    for path, files in spills:
        with open(path, "rb") as f:
            for _ in range(files):
                for batch in graph_triple_batches(fold(pickle.load(f), alias), _BATCH):
                    runs.extend(batch)  # one large page: its triples a batch at a time
        os.unlink(path)
    return [str(p) for p in runs.flush()]


def _stream(files: list, work: Path, strict: bool, progress, date: str, jobs: int | None,
            scheduler: str | None) -> BuildResult:
    """Two passes over the files with only the union names held: read, extract and settle each file
    and spill its records; then fold each file's records by the build-wide aliases into triples,
    written in sorted runs (``result.sorted``). Both passes run in the workers; a Dask cluster's
    workers do the first one's reading and extracting, and this process spills what they send."""
    from .extract.unions import union_aliases

    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs {jobs}: give 1 or more")
    jobs = default_jobs() if jobs is None else jobs
    keys = source_keys(files)
    todo = [(str(f), keys[f], strict, date) for f in files]
    workers = jobs if _parallel(jobs, todo) else 1
    tasks = [(chunk, str(work / f"records-{i:06d}.pickle")) for i, chunk in enumerate(_chunks(todo, workers))]
    if scheduler:
        pages = _dask_pages(todo, scheduler)
        spilled = (_spill((next(pages) for _ in chunk), Path(path)) for chunk, path in tasks)
    else:
        spilled = _ordered(_read_and_spill, tasks, workers)

    names: set[str] = set()
    spills: list[tuple[str, int]] = []  # each spill file and the number of files it holds

    def each_file():
        for (_chunk, path), (done, found) in zip(tasks, spilled):
            names.update(found)
            spills.append((path, sum(1 for d in done if not d.skipped)))
            yield from done

    result = BuildResult([], [])
    items = _Sized(each_file(), len(todo))
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
    groups = [(spills[k : k + size], alias, str(work), f"run-{n:06d}")
              for n, k in enumerate(range(0, len(spills), size))]
    result.sorted = SortedTriples(work)
    parts = _Sized(_ordered(_sorted_runs, groups, workers), len(groups))
    for runs in progress(parts, "making triples", "part") if progress else parts:
        result.sorted.adopt(runs)
    return result


def build_store(
    sources: Iterable[str | os.PathLike],
    store: str | os.PathLike,
    strict: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
    date: str | None = None,
    jobs: int | None = 1,
    scheduler: str | None = None,
):
    """Add ``sources`` to the persistent store at ``store`` (:mod:`kg.store`), reading only new and
    changed files; returns what it did (:class:`kg.store.StoreReport`)."""
    from .store import GraphStore

    files = expand_sources(sources)  # a missing source is an error before the store is touched
    with GraphStore(store) as st:
        report = st.update(files, strict=strict, date=date, jobs=jobs, progress=progress, scheduler=scheduler)
        report.files = len(st.files)
    return report
