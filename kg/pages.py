"""One file's work (read, convert the script, split, extract) and the ways of running it over many
files: in this process, in worker processes, or on a Dask cluster.

The unit of ``--jobs`` and of the store's incremental builds alike: :mod:`kg.pipeline` and
:mod:`kg.store` both run files through :func:`pages_done` and judge each result with :func:`skip`.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ExtractionError, InputError, UnreadableFileError
from .extract import extract
from .script import simplify
from .split import split
from .types import Extraction


def check_date(date: str | None) -> str:
    """``date`` as ``YYYY-MM-DD``; a one-line error for anything else."""
    if not date:
        return ""
    try:
        return datetime.date.fromisoformat(date.strip()).isoformat()
    except ValueError:
        raise InputError(f"--date {date!r}: give the pages' date as YYYY-MM-DD, e.g. 2023-12-25") from None


@dataclass(frozen=True)
class PageDone:
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


def do_page(job: tuple[str, str, bool, str, float]) -> PageDone:
    """Read, split and extract one file: the unit of work of ``--jobs``, the same in a worker and in-process.
    Programs the judge is less sure of than the job's minimum confidence are dropped."""
    from .read import read_page

    path, key, strict, date, min_confidence = job
    notes: list[str] = []
    try:
        page = read_page(path, key=key, notes=None if strict else notes)
    except UnreadableFileError as e:
        return PageDone(path, skipped=str(e), unreadable=True)
    if date and not page.date:
        page = replace(page, date=date)
    try:
        reading = simplify(page.text)  # traditional script and pinyin artefacts read as simplified
        found = tuple(sure(reading.as_written(extract(article)), min_confidence)
                      for article in split(replace(page, text=reading.text)))
    except Exception as e:  # noqa: BLE001 - one page must not kill a build
        return PageDone(path, key=page.key, skipped=(
            f"{page.key}: kg failed on this page ({type(e).__name__}: "
            f"{' '.join(str(e).split())[:120]}); please report it with the file"))
    return PageDone(path, page.key, page.source, page.sha256, found, tuple(notes))


def sure(x: Extraction, min_confidence: float) -> Extraction:
    """``x`` without what kg is less sure of than ``min_confidence``: programs, the places and amounts
    tied to a program, and a program's runners (a program left with none goes too)."""
    if min_confidence <= 0:
        return x
    kept = []
    for p in x.programs:
        if p.confidence < min_confidence or p.runners and p.runner_confidence < min_confidence:
            continue
        kept.append(replace(p, places=tuple(pl for pl in p.places if pl.confidence >= min_confidence),
                            amounts=tuple(a for a in p.amounts if a.confidence >= min_confidence)))
    return replace(x, programs=tuple(kept))


def check_confidence(value: float) -> float:
    """``value`` when it is a probability, else a one-line error naming the fix."""
    if not 0 <= value <= 1:
        raise InputError(f"--min-confidence {value}: give a number from 0 to 1 (0 keeps everything)")
    return value


PARALLEL_FROM = 1_000_000
"""Bytes of input below which workers cost more than they save (each loads its part of jieba's tables)."""


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def skip(item: PageDone, strict: bool, skipped: list[str]) -> bool:
    """Whether a file's result is a skip: noted in ``skipped``, or raised with ``strict``."""
    if not item.skipped:
        return False
    if strict:
        raise (UnreadableFileError if item.unreadable else ExtractionError)(item.skipped)
    skipped.append(item.skipped)
    return True


class Sized:
    """An iterator with a length, so that a progress bar knows the total."""

    def __init__(self, it: Iterator, n: int):
        self._it, self._n = it, n

    def __iter__(self):
        return self._it

    def __len__(self) -> int:
        return self._n


def do_pages(jobs: list) -> list[PageDone]:
    return [do_page(j) for j in jobs]


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def dask_pages(jobs_list: list, scheduler: str) -> Iterator[PageDone]:
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
        parts = chunks([(str(Path(j[0]).resolve()), *j[1:]) for j in jobs_list], workers)
        for future in client.map(do_pages, parts, pure=False):
            yield from future.result()


def chunks(items: list, jobs: int) -> list[list]:
    """``items`` in chunks for ``jobs`` workers: a few chunks each, at most 16 items a chunk."""
    size = max(1, min(16, len(items) // (4 * jobs)))
    return [items[i : i + size] for i in range(0, len(items), size)]


def parallel(jobs: int, jobs_list: list) -> bool:
    """Whether worker processes pay for themselves on these files."""
    return jobs > 1 and len(jobs_list) > 1 and sum(_size(j[0]) for j in jobs_list) >= PARALLEL_FROM


def ordered(fn: Callable, args: list, jobs: int) -> Iterator:
    """``fn(a)`` for each of ``args``, in order, from ``jobs`` worker processes (here for 1), with a
    few calls in flight, not all: results wait to be used, in order."""
    if jobs <= 1 or len(args) <= 1:
        yield from map(fn, args)
        return
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


def pages_done(jobs_list: list, jobs: int, scheduler: str | None = None) -> Iterator[PageDone]:
    """Each file's result, in file order, from ``jobs`` worker processes (in this process for 1), or
    from a Dask cluster when ``scheduler`` gives its address."""
    if scheduler:
        yield from dask_pages(jobs_list, scheduler)
        return
    if not parallel(jobs, jobs_list):
        yield from map(do_page, jobs_list)
        return
    for done in ordered(do_pages, chunks(jobs_list, jobs), jobs):
        yield from done
