"""Write a build's files as one set: after a kill or a full disk, all are new or all are old.

The habits are sqlite's: check that the folder can be written before any work
is done; write every file into a staging folder inside the output folder,
flushed to disk, with a manifest (``kg-build.json``: each file's hash and size,
each source's hash) written last; only then rename the files into place, the
manifest last of all. A staging folder that holds its manifest is a finished
build that was cut off while renaming: the next build into the folder
completes it (rolls forward). One without is unfinished and is removed, as are
temporary files left by a killed ``kg view``. A lock keeps two builds from
writing one folder at once. Files get ordinary permissions (0644 under the
usual umask).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError

MANIFEST = "kg-build.json"
OUTPUT_NAMES = ("graph.ttl", "ontology.ttl", "graph.html")
"""Every file a build may write: one it did not write this time is removed, so none is left from an older build."""
_STAGING = ".kg-staging-"


def _errno(e: OSError) -> int | None:
    """The error number, also of an OSError raised by Rust code (pyoxigraph), which gives it only in
    its message: ``No space left on device (os error 28)``."""
    if e.errno is None:
        m = re.search(r"\(os error (\d+)\)", str(e))
        return int(m.group(1)) if m else None
    return e.errno


def output_error(path: Path, e: OSError, doing: str = "write") -> OutputError:
    """A one-line error for an OSError met while writing ``path``."""
    code = _errno(e)
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


def _through_temporary(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """``write`` a temporary file beside ``path`` (flushed to disk), then rename it to ``path``;
    nothing is left behind when it fails."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name (e.g. {path / 'view.html'})")
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise output_error(path, e) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


class OutputSet:
    """The output folder of one build, from the check before extraction to the last rename."""

    def __init__(self, out_dir: str | os.PathLike):
        self.dir = Path(out_dir)
        self.staging: Path | None = None
        self.files: dict[str, dict] = {}
        self._lock_fd: int | None = None
        self._created = False
        self._committed = False
        """True once the staged manifest is on disk: from then on the set rolls forward, never back."""

    def __enter__(self) -> OutputSet:
        self.prepare()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.staging is not None and not self._committed:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self._unlock()
        if exc_type is not None and self._created:
            try:
                self.dir.rmdir()  # a folder this failed build made, still empty
            except OSError:
                pass

    def prepare(self) -> None:
        """Create and lock the folder, finish or clear what a killed build left, open a staging folder."""
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
        self._lock()
        self.recover()
        try:
            self.staging = d / f"{_STAGING}{os.getpid()}-{secrets.token_hex(4)}"
            self.staging.mkdir()
            probe = self.staging / ".probe"
            _write_new(probe, b"")
            probe.unlink()
        except OSError as e:
            self.staging = None
            raise output_error(d, e) from None

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            return
        try:
            fd = os.open(self.dir, os.O_RDONLY)  # the folder itself is locked: no lock file is left
        except OSError as e:
            raise output_error(self.dir, e) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(f"{self.dir}: another kg build is writing here; wait for it or choose another -o") \
                from None
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the lock
            self._lock_fd = None

    def recover(self) -> list[str]:
        """Complete a build cut off while renaming, remove unfinished ones and stale temporary files."""
        done = []
        for st in sorted(self.dir.glob(_STAGING + "*")):
            manifest = st / MANIFEST
            if manifest.is_file():
                try:
                    names = list(json.loads(manifest.read_text(encoding="utf-8"))["files"])
                except (OSError, ValueError, KeyError, TypeError):
                    names = None
                if names is not None:
                    self._move_in(st, names)
                    done.append(st.name)
            shutil.rmtree(st, ignore_errors=True)
        for name in (*OUTPUT_NAMES, MANIFEST):
            for tmp in self.dir.glob(f".{name}.*.tmp"):
                tmp.unlink(missing_ok=True)
        return done

    def _move_in(self, staging: Path, names: list[str]) -> None:
        for name in names:
            if (staging / name).is_file():
                os.replace(staging / name, self.dir / name)
        for name in OUTPUT_NAMES:
            if name not in names:
                (self.dir / name).unlink(missing_ok=True)
        if (staging / MANIFEST).is_file():
            os.replace(staging / MANIFEST, self.dir / MANIFEST)
        _fsync_dir(self.dir)

    def write(self, name: str, data: str | bytes) -> Path:
        """Stage one output file."""
        assert self.staging is not None, "prepare() first"
        raw = data.encode("utf-8") if isinstance(data, str) else data
        try:
            _write_new(self.staging / name, raw)
        except OSError as e:
            raise output_error(self.dir / name, e) from None
        self.files[name] = {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
        return self.dir / name

    def write_with(self, name: str, write: Callable[[Path], object]) -> Path:
        """Stage one output file that ``write(path)`` writes itself (a file too big to hold as a string)."""
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
        """Write the manifest, then move every staged file into place; return the manifest's path."""
        assert self.staging is not None, "prepare() first"
        from . import __version__

        manifest = {"format": "kg-build/1", "kg": __version__, "files": dict(sorted(self.files.items())),
                    **(record or {})}
        try:
            _write_new(self.staging / MANIFEST,
                       (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
            _fsync_dir(self.staging)
            self._committed = True
            self._move_in(self.staging, list(self.files))
        except OSError as e:
            raise output_error(self.dir, e) from None
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging = None
        return self.dir / MANIFEST
