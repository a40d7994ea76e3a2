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
import os
import re
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


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` or raise :class:`UnreadableFileError`."""
    if not data.strip():
        raise UnreadableFileError(f"{name}: file is empty; give a page of text")
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data[:4096]:
            raise UnreadableFileError(
                f"{name}: looks binary (NUL bytes); give a text file (UTF-8 or GB18030)"
            )
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
        if controls > max(8, len(text[:4096]) // 100):
            raise UnreadableFileError(
                f"{name}: looks binary (control characters); give a text file (UTF-8 or GB18030)"
            )
        if not text.strip():
            raise UnreadableFileError(f"{name}: file is empty; give a page of text")
        return text, encoding
    raise UnreadableFileError(
        f"{name}: not UTF-8, UTF-16 or GB18030 text; re-save it as UTF-8"
    )


def read_page(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> Page:
    """Read one file as a :class:`Page`."""
    p = Path(path)
    if not p.exists():
        raise MissingPathError(f"{p}: no such file or folder; check the path")
    if p.is_dir():
        raise UnreadableFileError(f"{p}: is a folder; pass it as a source to read its *.txt files")
    size = p.stat().st_size
    if size > max_bytes:
        raise UnreadableFileError(
            f"{p.name}: {size:,} bytes is over the {max_bytes:,}-byte limit; split the file"
        )
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnreadableFileError(f"{p.name}: cannot be read ({e.strerror}); check its permissions") from e
    text, encoding = decode(data, p.name)
    return Page(source=p.name, text=normalise(text), path=str(p), encoding=encoding)


def expand_sources(sources: Iterable[str | os.PathLike]) -> list[Path]:
    """Turn files and folders into a sorted, de-duplicated list of files.

    A folder contributes its ``*.txt`` files (not recursive). A missing path
    raises :class:`MissingPathError`.
    """
    files: list[Path] = []
    for src in sources:
        p = Path(src)
        if not p.exists():
            raise MissingPathError(f"{p}: no such file or folder; check the path")
        if p.is_dir():
            found = sorted(q for q in p.glob("*.txt") if q.is_file())
            if not found:
                raise InputError(f"{p}: no *.txt files in this folder; give .txt files or a folder of them")
            files.extend(found)
        else:
            files.append(p)
    seen: set[Path] = set()
    out = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def read_pages(
    sources: Iterable[str | os.PathLike], strict: bool = False, skipped: list | None = None,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
) -> Iterator[Page]:
    """Yield a :class:`Page` per readable file under ``sources``.

    An unreadable file raises when ``strict``; otherwise its message is appended
    to ``skipped`` and the file is passed over. ``progress`` wraps the file list
    (a progress bar).
    """
    files = expand_sources(sources)
    for f in progress(files) if progress else files:
        try:
            yield read_page(f)
        except UnreadableFileError as e:
            if strict or skipped is None:
                raise
            skipped.append(str(e))
