"""Read input files into :class:`~kg.types.Page` records.

Accepts UTF-8 (with or without BOM), UTF-16 with a BOM and GB18030/GBK, with
any line ends. Refuses, with a one-line reason, files that are empty, binary,
too large or not text in any of those encodings.

Half-width punctuation that news sites put between Chinese characters
(``,`` ``:`` ``(`` ``)`` ``;`` ``?`` ``!``) is turned into its full-width form
one character for one, so offsets into the text stay offsets into the file's
characters.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import InputError, MissingPathError, UnreadableFileError
from .types import Page

MAX_BYTES = 20 * 1024 * 1024
"""Files larger than this are refused: no newspaper page comes near it."""

_HALF_TO_FULL = {",": "，", ":": "：", "(": "（", ")": "）", ";": "；", "?": "？", "!": "！"}
_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》—…]"
_HALF_WIDTH = re.compile(
    rf"(?<={_CJK})[,:();?!]|[,:();?!](?={_CJK})"
)


def _to_full_width(text: str) -> str:
    return _HALF_WIDTH.sub(lambda m: _HALF_TO_FULL[m.group(0)], text)


def normalise(text: str) -> str:
    """Normalise line ends and half-width punctuation, one character for one.

    ``\r\n`` becomes a space and ``\n`` (the space is stripped with the line),
    so an offset into the result is an offset into the decoded file.
    """
    text = text.replace("\r\n", " \n").replace("\r", "\n").replace("\u3000", " ")
    return _to_full_width(text)


def _where(data: bytes, offset: int) -> str:
    """``line L, column C`` of a byte offset (columns in bytes)."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - data.rfind(b"\n", 0, offset)
    return f"line {line}, column {column}"


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the bytes read as Chinese or ASCII text that way, else None.

    Random bytes read as UTF-16 give characters all over the plane; text gives
    mostly CJK characters, CJK punctuation and ASCII.
    """
    best, best_share = None, 0.8
    for encoding in ("utf-16-le", "utf-16-be"):
        text = head[: len(head) // 2 * 2].decode(encoding, errors="replace")
        common = sum(1 for c in text if " " <= c <= "~" or c in "\n\r\t" or "\u4e00" <= c <= "\u9fff"
                     or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u2027")
        share = common / max(1, len(text))
        if share > best_share:
            best, best_share = encoding, share
    return best


_REPLACEABLE = 0.001
"""UTF-8 text with at most this share of undecodable bytes is read with U+FFFD for them (a damaged byte),
not refused: more is another encoding."""


def decode(data: bytes, name: str, notes: list[str] | None = None) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` or raise :class:`UnreadableFileError`.

    A few damaged bytes in UTF-8 text are read as U+FFFD, with a note naming where
    the first one is appended to ``notes``; without ``notes`` they are refused.
    """
    if not data.strip():
        raise UnreadableFileError(f"{name}: file is empty; give a page of text")
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in data[:4096]:
        wide = _utf16_without_bom(data[:4096])
        if wide is None:
            raise UnreadableFileError(f"{name}: looks binary (NUL bytes); give a text file (UTF-8 or GB18030)")
        candidates = [wide]
    else:
        candidates = ["utf-8", "gb18030"]
    first_bad: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            first_bad = first_bad or e
            if encoding.startswith("utf-8"):
                bad = data.decode(encoding, errors="replace").count("\ufffd") - data.count("\ufffd".encode())
                if bad <= max(1, _REPLACEABLE * len(data)) and notes is not None:
                    notes.append(f"{name}: {bad} byte{'s' if bad > 1 else ''} not UTF-8 (the first at "
                                  f"{_where(data, e.start)}) read as U+FFFD; re-save the file as UTF-8 to fix it")
                    text = data.decode(encoding, errors="replace")
                else:
                    continue
            else:
                continue
        _check_text(text, name)
        return text, encoding
    where = f" (the first bad byte at {_where(data, first_bad.start)})" if first_bad else ""
    raise UnreadableFileError(f"{name}: not UTF-8, UTF-16 or GB18030 text{where}; re-save it as UTF-8")


def _check_text(text: str, name: str) -> None:
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text[:4096]) // 100):
        raise UnreadableFileError(
            f"{name}: looks binary (control characters); give a text file (UTF-8 or GB18030)"
        )
    if not text.strip():
        raise UnreadableFileError(f"{name}: file is empty; give a page of text")


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(mode: int) -> str | None:
    """What a file that is not a regular file is (``a named pipe (FIFO)`` …), or None."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _stat(p: Path) -> os.stat_result:
    """``os.stat`` with the errors said plainly: missing, a dangling link, a symlink loop."""
    try:
        return os.stat(p)
    except FileNotFoundError:
        if os.path.islink(p):
            raise UnreadableFileError(f"{p}: a symbolic link to {os.readlink(p)}, which does not exist; "
                                      "fix or remove the link") from None
        raise MissingPathError(f"{p}: no such file or folder; check the path") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise UnreadableFileError(f"{p}: a symbolic link loop; point the link at a file") from None
        raise UnreadableFileError(f"{p}: cannot be read ({e.strerror}); check its permissions") from None


def _read_bytes(p: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of a regular file; a FIFO or device never blocks or floods the build."""
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise UnreadableFileError(f"{p}: a symbolic link loop; point the link at a file") from None
        raise UnreadableFileError(f"{p.name}: cannot be read ({e.strerror}); check its permissions") from None
    try:
        st = os.fstat(fd)
        what = _not_regular(st.st_mode)
        if what:
            raise UnreadableFileError(f"{p.name}: is {what}, not a regular file; give a text file")
        if st.st_size > max_bytes:
            raise UnreadableFileError(
                f"{p.name}: {st.st_size:,} bytes is over the {max_bytes:,}-byte limit; split the file")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise UnreadableFileError(f"{p.name}: over the {max_bytes:,}-byte limit; split the file")
        return b"".join(chunks)
    except OSError as e:
        raise UnreadableFileError(f"{p.name}: cannot be read ({e.strerror}); check the file") from None
    finally:
        os.close(fd)


_NAME_DATE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})([-_.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?![0-9A-Za-z])")


def date_in_name(name: str) -> str:
    """The date an archive's file name gives (``2023-12-25_p01.txt``, ``20231225.txt``), as ``YYYY-MM-DD``, or ``""``."""
    import datetime

    m = _NAME_DATE.search(name)
    if not m:
        return ""
    try:
        return datetime.date(int(m.group(1)), int(m.group(3)), int(m.group(4))).isoformat()
    except ValueError:
        return ""


def read_page(path: str | os.PathLike, max_bytes: int = MAX_BYTES, key: str | None = None,
              notes: list[str] | None = None) -> Page:
    """Read one file as a :class:`Page`.

    ``key`` tells the file apart from others of the same base name in one build;
    ``notes`` collects warnings about a file that was read all the same (damaged bytes).
    """
    p = Path(path)
    st = _stat(p)
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFileError(f"{p}: is a folder; pass it as a source to read its *.txt files")
    what = _not_regular(st.st_mode)
    if what:
        raise UnreadableFileError(f"{p.name}: is {what}, not a regular file; give a text file")
    data = _read_bytes(p, max_bytes)
    text, encoding = decode(data, p.name, notes)
    return Page(source=p.name, text=normalise(text), path=str(p), encoding=encoding, key=key or p.name,
                sha256=hashlib.sha256(data).hexdigest(), date=date_in_name(p.name))


def expand_sources(sources: Iterable[str | os.PathLike]) -> list[Path]:
    """Turn files and folders into a sorted, de-duplicated list of files.

    A folder contributes its ``*.txt`` entries that are not folders (not
    recursive); a FIFO or a broken link among them is kept, so that reading it
    says what is wrong. A missing path raises :class:`MissingPathError`.
    """
    files: list[Path] = []
    for src in sources:
        p = Path(src)
        if not os.path.lexists(p):
            raise MissingPathError(f"{p}: no such file or folder; check the path")
        if p.is_dir():
            found = sorted(q for q in p.glob("*.txt") if not q.is_dir())
            if not found:
                raise InputError(f"{p}: no *.txt files in this folder; give .txt files or a folder of them")
            files.extend(found)
        else:
            files.append(p)
    seen: set[str] = set()
    out = []
    for f in files:
        try:
            key = str(f.resolve(strict=False))
        except (OSError, RuntimeError):  # a symlink loop: keep it, reading it says so
            key = str(f.absolute())
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def source_keys(files: list[Path]) -> dict[Path, str]:
    """A name per file that is unique in the build: the base name, or as many trailing folders as needed.

    ``day1/page.txt`` and ``day2/page.txt`` stay apart (their articles get different IRIs)
    while both keep ``page.txt`` as their ``ukg:sourceFile``.
    """
    by_name: dict[str, list[Path]] = {}
    for f in files:
        by_name.setdefault(f.name, []).append(f)
    keys: dict[Path, str] = {}
    for name, group in by_name.items():
        if len(group) == 1:
            keys[group[0]] = name
            continue
        parts = {f: f.absolute().parts for f in group}
        for n in range(2, max(len(v) for v in parts.values()) + 1):
            tails = {f: "/".join(v[-n:]) for f, v in parts.items()}
            if len(set(tails.values())) == len(group):
                break
        keys.update(tails)
    return keys


def read_pages(
    sources: Iterable[str | os.PathLike], strict: bool = False, skipped: list | None = None,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None, notes: list | None = None,
) -> Iterator[Page]:
    """Yield a :class:`Page` per readable file under ``sources``.

    An unreadable file raises when ``strict``; otherwise its message is appended
    to ``skipped`` and the file is passed over. Warnings about files read all the
    same go to ``notes`` (with ``strict``, such a file is unreadable). ``progress``
    wraps the file list (a progress bar).
    """
    files = expand_sources(sources)
    keys = source_keys(files)
    for f in progress(files) if progress else files:
        try:
            yield read_page(f, key=keys[f], notes=None if strict else notes)
        except UnreadableFileError as e:
            if strict or skipped is None:
                raise
            skipped.append(str(e))
