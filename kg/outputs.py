"""Write a build's files as one set: a reader sees all of the new files or all of the old ones, at
every moment of a build, after a kill and after a full disk.

An output folder (POSIX assumed: symbolic links, and ``rename(2)`` replacing one link by another in
one step; kg does not run on Windows)::

    graph.ttl     -> current/graph.ttl       a relative link per file, made once and left alone
    ontology.ttl  -> current/ontology.ttl
    graph.html    -> current/graph.html
    kg-build.json -> current/kg-build.json
    current       -> .kg-builds/ID           the pointer: the one name a build changes
    .kg-builds/ID/                           one build's files and its manifest

A build writes every file into a fresh ``.kg-builds/ID``, flushed to disk, with the manifest
(``kg-build.json``: the build's id, each file's hash and size, each source's hash) last; then one
``rename(2)`` of a new link over ``current`` switches every name at once, and the old build's folder
is removed. Each open of ``output/graph.ttl`` resolves ``current`` once, so it gets one build's file;
a reader that needs several files of one build resolves ``current`` once (``os.path.realpath``) and
opens them in that folder, and if a later build has removed it meanwhile gets "no such file", never
another build's file. A kill or a full disk before the switch leaves the old set (the next build
removes the unfinished folder); after it, the new one. A lock keeps two builds from writing one
folder at once. Files an older kg wrote in place are first moved under the pointer as they are, so
that readers see no change until the switch. Files get ordinary permissions (0644 under the usual
umask).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError

MANIFEST = "kg-build.json"
OUTPUT_NAMES = ("graph.ttl", "ontology.ttl", "graph.html")
"""Every file a build may write: one it did not write this time is gone from the new set."""
POINTER = "current"
"""The link to the current build's folder, in the output folder."""
BUILDS = ".kg-builds"
"""The folder of build folders, in the output folder."""
_LEGACY_STAGING = ".kg-staging-"


def errno_of(e: OSError) -> int | None:
    """The error number, also of an OSError raised by Rust code (pyoxigraph), which gives it only in
    its message: ``No space left on device (os error 28)``, or RocksDB's ``IO error: No space left on
    device``."""
    if e.errno is None:
        m = re.search(r"\(os error (\d+)\)", str(e))
        if m:
            return int(m.group(1))
        return errno.ENOSPC if "no space left on device" in str(e).lower() else None
    return e.errno


def output_error(path: Path, e: OSError, doing: str = "write") -> OutputError:
    """A one-line error for an OSError met while writing ``path``."""
    code = errno_of(e)
    if code == errno.ENOSPC:
        return OutputError(f"{path}: no space left on the device; free some and run again "
                           "(the previous outputs are untouched)")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"{path}: cannot {doing} it (permission denied); choose another -o or fix its permissions")
    if code == errno.ENOTDIR:
        return OutputError(f"{path}: a part of this path is a file, not a folder; choose another -o")
    return OutputError(f"{path}: cannot {doing} it ({e.strerror or e}); check the path")


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) with ``data``, flushed to disk, mode 0666 less the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write one file through a temporary file beside it and a rename."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _through_temporary(path, lambda tmp: _write_new(tmp, raw))


def atomic_write_with(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Like :func:`atomic_write`, for a file that ``write(temporary path)`` writes itself."""

    def written(tmp: Path) -> None:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())

    return _through_temporary(path, written)


def replace_file(path: str | os.PathLike, data: str | bytes) -> None:
    """Like :func:`atomic_write`, but an OSError is raised as it is: for a caller that says itself
    what a failed write means (the store)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    _replace_with(Path(path), lambda tmp: _write_new(tmp, raw))


def _replace_with(path: Path, write: Callable[[Path], object]) -> None:
    """``write`` a temporary file beside ``path`` (flushed to disk), then rename it to ``path``;
    nothing is left behind when it fails."""
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _through_temporary(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """:func:`_replace_with`, with a one-line error."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name (e.g. {path / 'view.html'})")
    try:
        _replace_with(path, write)
    except OSError as e:
        raise output_error(path, e) from None
    return path


def lock_folder(folder: Path, busy: str) -> int | None:
    """Lock ``folder`` for this process (``flock`` on the folder itself: no lock file is left, and the
    lock goes with the process); ``busy`` is the error when another holds it. Return the descriptor
    to close to unlock (None where there is no ``flock``)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as e:
        raise output_error(folder, e) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise OutputError(busy) from None
    return fd


def _remove(path: Path) -> None:
    """Remove a file, a link or a whole folder, whatever is left of it."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _is_link_through_pointer(path: Path) -> bool:
    """Whether ``path`` is the link a build makes for its name: ``NAME -> current/NAME``."""
    try:
        return os.readlink(path) == f"{POINTER}/{path.name}"
    except OSError:
        return False


def _relink(path: Path, target: str) -> None:
    """Make ``path`` a symbolic link to ``target`` in one step: a new link renamed over the old name."""
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    os.symlink(target, tmp)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class OutputSet:
    """The output folder of one build, from the check before extraction to the switch."""

    def __init__(self, out_dir: str | os.PathLike):
        self.dir = Path(out_dir)
        self.id = ""
        """This build's id: the name of its folder under ``.kg-builds``, also in its manifest."""
        self.staging: Path | None = None
        """This build's folder, where its files are written; ``current`` points to it after the switch."""
        self.scratch: Path | None = None
        """A folder for the build's work files (spilled records, sorted runs), removed at the end."""
        self.files: dict[str, dict] = {}
        self._lock_fd: int | None = None
        self._created = False
        self._switched = False

    def __enter__(self) -> OutputSet:
        try:
            self.prepare()
        except BaseException as e:
            self.__exit__(type(e), e, None)
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        for folder in (self.scratch,) if self._switched else (self.scratch, self.staging):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        self.scratch = self.staging = None
        self._unlock()
        if exc_type is not None and self._created:
            for folder in (self.dir / BUILDS, self.dir):  # a folder this failed build made, still empty
                try:
                    folder.rmdir()
                except OSError:
                    pass

    def prepare(self) -> None:
        """Create and lock the folder, clear what a killed build left, open this build's folder."""
        d = self.dir
        if d.exists() and not d.is_dir():
            raise OutputError(f"{d}: is a file, not a folder; give -o a folder")
        try:
            self._created = not d.exists()
            d.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise OutputError(f"{d}: a part of this path is a file, not a folder; choose another -o") from None
        except OSError as e:
            raise output_error(d, e, "create") from None
        pointer = d / POINTER
        if pointer.exists() and not pointer.is_symlink():
            raise OutputError(f"{pointer}: is in the way of kg's link to the current build; move it or "
                              "choose another -o")
        self._lock()
        self.recover()
        self.id = f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
        try:
            self.staging = d / BUILDS / self.id
            self.staging.mkdir(parents=True)
            self.scratch = d / BUILDS / f"{self.id}.work"
            self.scratch.mkdir()
            probe = self.staging / ".probe"
            _write_new(probe, b"")
            probe.unlink()
        except OSError as e:
            raise output_error(d, e) from None
        try:
            os.symlink(".probe", probe)
            probe.unlink()
        except OSError as e:
            raise OutputError(f"{d}: this file system refuses symbolic links ({e.strerror or e}), which kg "
                              "needs to switch the outputs at once; choose an -o on a POSIX file system") from None

    def _lock(self) -> None:
        self._lock_fd = lock_folder(self.dir, f"{self.dir}: another kg build is writing here; wait for it or "
                                    "choose another -o")

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the lock
            self._lock_fd = None

    def current(self) -> Path | None:
        """The folder of the build readers see now (``current`` resolved once), if there is one."""
        try:
            target = os.readlink(self.dir / POINTER)
        except OSError:
            return None
        folder = self.dir / target
        if Path(target).parent != Path(BUILDS) or not folder.is_dir():
            return None
        return folder

    def recover(self) -> list[str]:
        """Remove what a killed build left (its unfinished folder, the folder it switched away from,
        temporary files and links) and finish what an older kg left cut off while renaming; return
        the names of the build folders removed."""
        keep = self.current()
        removed = []
        builds = self.dir / BUILDS
        if builds.is_dir():
            for folder in sorted(builds.iterdir()):
                if keep is None or folder.name != keep.name:
                    _remove(folder)
                    removed.append(folder.name)
        for st in sorted(self.dir.glob(_LEGACY_STAGING + "*")):
            self._finish_legacy(st)
        for name in (*OUTPUT_NAMES, MANIFEST, POINTER):
            for tmp in self.dir.glob(f".{name}.*.tmp"):
                tmp.unlink(missing_ok=True)
            link = self.dir / name
            if _is_link_through_pointer(link) and not link.exists():
                link.unlink()  # a name the current build has no file for
        return removed

    def _finish_legacy(self, staging: Path) -> None:
        """An older kg's staging folder: with its manifest it was cut off while renaming its files into
        place, and is finished; without, it is unfinished. Either way it goes."""
        manifest = staging / MANIFEST
        try:
            names = list(json.loads(manifest.read_text(encoding="utf-8"))["files"])
        except (OSError, ValueError, KeyError, TypeError):
            names = None
        if names is not None:
            for name in (*names, MANIFEST):
                if (staging / name).is_file():
                    os.replace(staging / name, self.dir / name)
        shutil.rmtree(staging, ignore_errors=True)

    def write(self, name: str, data: str | bytes) -> Path:
        """Write one output file into this build's folder."""
        assert self.staging is not None, "prepare() first"
        raw = data.encode("utf-8") if isinstance(data, str) else data
        try:
            _write_new(self.staging / name, raw)
        except OSError as e:
            raise output_error(self.dir / name, e) from None
        self.files[name] = {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
        return self.dir / name

    def write_with(self, name: str, write: Callable[[Path], object]) -> Path:
        """Write one output file that ``write(path)`` writes itself (a file too big to hold as a string)."""
        assert self.staging is not None, "prepare() first"
        path = self.staging / name
        digest, size = hashlib.sha256(), 0
        try:
            write(path)
            with open(path, "rb+") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
                    size += len(block)
                os.fsync(f.fileno())
        except OSError as e:
            raise output_error(self.dir / name, e) from None
        self.files[name] = {"sha256": digest.hexdigest(), "bytes": size}
        return self.dir / name

    def publish(self, record: dict | None = None) -> Path:
        """Write the manifest, then switch the folder to this build in one step and remove the old one;
        return the manifest's path."""
        assert self.staging is not None, "prepare() first"
        from . import __version__

        manifest = {"format": "kg-build/1", "kg": __version__, "build": self.id,
                    "files": dict(sorted(self.files.items())), **(record or {})}
        try:
            _write_new(self.staging / MANIFEST,
                       (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
            _fsync_dir(self.staging)
            _fsync_dir(self.staging.parent)
            self._link_names([*self.files, MANIFEST])
            _relink(self.dir / POINTER, f"{BUILDS}/{self.id}")  # the switch
            self._switched = True
            _fsync_dir(self.dir)
        except OSError as e:
            raise output_error(self.dir, e) from None
        for name in OUTPUT_NAMES:
            if name not in self.files and _is_link_through_pointer(self.dir / name):
                (self.dir / name).unlink()
        for folder in (self.dir / BUILDS).iterdir():
            if folder.name != self.id:
                _remove(folder)
        return self.dir / MANIFEST

    def _link_names(self, names: list[str]) -> None:
        """Make each output name a link through the pointer, before the switch. Files an older kg wrote
        in place become the current build first (hard links, no copy), so that no reader sees a change."""
        d = self.dir
        in_place = [n for n in (*OUTPUT_NAMES, MANIFEST) if (d / n).is_file() and not (d / n).is_symlink()]
        if in_place and self.current() is None:
            old = d / BUILDS / f"{self.id}.old"
            old.mkdir()
            for name in in_place:
                try:
                    os.link(d / name, old / name)
                except OSError:
                    shutil.copy2(d / name, old / name)
            _fsync_dir(old)
            _relink(d / POINTER, f"{BUILDS}/{old.name}")
        for name in dict.fromkeys([*in_place, *names]):
            if not _is_link_through_pointer(d / name):
                _relink(d / name, f"{POINTER}/{name}")
        _fsync_dir(d)
