"""Pages in traditional script, or with converter artefacts, read as simplified.

The extractors, the gazetteer and jieba's dictionary know simplified Chinese. A
page in traditional script (``雁江區總工會``), or one that a converter left with a
character's pinyin after it (``區(qū)``, ``鎮(zhèn)``), is read through a
:class:`Reading`: the text extraction sees (artefacts dropped, lines with a
traditional character converted by OpenCC's ``hk2s``, one character for one) and
the way back to the text as written, so that spans and evidence point at the page as written while labels
come out simplified.

Which characters are traditional is OpenCC's word, not ours: those its tables
change on their own. A page with none of them and no artefact, which is nearly
every page, is read as it is, at the cost of one regular-expression scan.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from .types import Extraction

_IDEOGRAPH = "\u3400-\u9fff\uf900-\ufaff"

_ARTEFACT = re.compile(rf"(?<=[{_IDEOGRAPH}])[(（]([a-z\u00e0-\u01dc]{{1,7}}[1-5]?)[)）]")
"""A run of lowercase letters in brackets right after a Chinese character: a pinyin artefact if
:func:`is_pinyin` says so."""

_SYLLABLE = re.compile(
    r"(?:[bpm](?:a|o|e|ai|ei|ao|ou|an|en|ang|eng|u|i|ie|iao|iu|ian|in|ing)"
    r"|f(?:a|o|ei|ou|an|en|ang|eng|u)"
    r"|[dt](?:a|e|ai|ei|ao|ou|an|en|ang|eng|ong|u|uo|ui|uan|un|i|ia|ie|iao|iu|ian|ing)"
    r"|[nl](?:a|o|e|ai|ei|ao|ou|an|en|ang|eng|ong|u|uo|uan|un|v|ve|i|ia|ie|iao|iu|ian|in|iang|ing)"
    r"|[gkh](?:a|e|ai|ei|ao|ou|an|en|ang|eng|ong|u|ua|uo|uai|ui|uan|un|uang)"
    r"|[jqx](?:i|ia|ie|iao|iu|ian|in|iang|ing|iong|u|ue|uan|un)"
    r"|(?:[zcs]h?|r)(?:a|e|i|ai|ei|ao|ou|an|en|ang|eng|ong|u|ua|uo|uai|ui|uan|un|uang)"
    r"|y(?:a|o|e|i|ao|ou|an|in|ang|ing|ong|u|ue|uan|un)"
    r"|w(?:u|a|o|ai|ei|an|en|ang|eng)"
    r"|a|o|e|ai|ei|ao|ou|an|en|ang|eng|er)[1-5]?"
)
"""One Hanyu Pinyin syllable without tone marks (``ü`` written ``v``), with an optional tone digit."""


def is_pinyin(word: str) -> bool:
    """Whether ``word`` is one pinyin syllable: with tone marks (``qū``), or without them and longer
    than a letter (``qu``; a bare ``a`` is an enumeration, not a reading)."""
    plain = "".join(c for c in unicodedata.normalize("NFD", word.replace("ü", "v"))
                    if not unicodedata.combining(c))
    plain = plain.replace("u\u0308", "v")
    if not _SYLLABLE.fullmatch(plain):
        return False
    return plain != word or len(word) > 1


@lru_cache(maxsize=1)
def _converter():
    """OpenCC's ``hk2s``: its ``t2s`` tables after Hong Kong's variants (衞, 枱, 敍) are read as the standard
    characters, which ``t2s`` alone leaves as written. (``tw2s`` is not used: it reads every 著 as 着, 显著
    included.)"""
    import opencc

    return opencc.OpenCC("hk2s")


@lru_cache(maxsize=1)
def _traditional() -> re.Pattern:
    """A character class of the characters OpenCC's tables (:func:`_converter`) change when they stand alone."""
    chars = "".join(chr(o) for o in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00)))
    simplified = _converter().convert("\n".join(chars)).split("\n")
    changed = "".join(c for c, s in zip(chars, simplified) if s != c)
    return re.compile(f"[{re.escape(changed)}]")


def _by_character(line: str) -> str:
    """``line`` converted one character at a time: a character whose conversion is not one character
    stays as written, so the length cannot change."""
    parts = _converter().convert("\n".join(line)).split("\n")
    if len(parts) != len(line):
        parts = [_converter().convert(c) for c in line]
    return "".join(s if len(s) == 1 else c for c, s in zip(line, parts))


def _t2s(text: str) -> str:
    """``text`` in simplified script, one character for one: lines with a traditional character go
    through the converter (its phrase tables included), and one whose length that changes, character by
    character."""
    trad = _traditional()
    if not trad.search(text):
        return text
    convert = _converter().convert
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if trad.search(line):
            s = convert(line)
            lines[i] = s if len(s) == len(line) else _by_character(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class Reading:
    """A text as extraction reads it and the way back to the text as written.

    Only artefacts are dropped (conversion keeps the length), so the way back is where
    they were: from ``cuts[k]`` on, a position in :attr:`text` is ``shifts[k]`` characters
    further on in :attr:`written`.
    """

    text: str
    """Simplified, artefacts dropped: what the splitter and the extractors read."""
    written: str
    """The text as written."""
    cuts: tuple[int, ...] = ()
    shifts: tuple[int, ...] = ()

    @property
    def as_is(self) -> bool:
        """True when the text is read as written (a simplified page without artefacts)."""
        return self.text == self.written

    def start(self, i: int) -> int:
        """Where position ``i`` of :attr:`text` is in :attr:`written`."""
        k = bisect_right(self.cuts, i) - 1
        return i + (self.shifts[k] if k >= 0 else 0)

    def end(self, i: int) -> int:
        """Where an end ``i`` of :attr:`text` is in :attr:`written`: after the character before it,
        so a span never ends on an artefact."""
        return self.start(i - 1) + 1 if i > 0 else 0

    def quote(self, piece: str, start: int = 0, end: int | None = None) -> str:
        """``piece``, read from :attr:`text` between ``start`` and ``end``, as written.

        A piece the splitter put together (two halves of a word cut by a column break) is
        taken in the longest parts found there; a part not found (a full stop the splitter
        added) stays as read.
        """
        if self.as_is:
            return piece
        out, at = [], start
        i = 0
        while i < len(piece):
            found = self.text.find(piece[i:], at, end)
            size = len(piece) - i
            if found < 0:  # the longest prefix of the rest found after ``at``: finding is monotone in length
                low, high = 0, size - 1
                while low < high:
                    mid = (low + high + 1) // 2
                    if self.text.find(piece[i : i + mid], at, end) >= 0:
                        low = mid
                    else:
                        high = mid - 1
                size = low
                found = self.text.find(piece[i : i + size], at, end) if size else -1
            if found < 0:
                out.append(piece[i])
                i += 1
                continue
            out.append(self.written[self.start(found) : self.end(found + size)])
            at, i = found + size, i + size
        return "".join(out)

    def as_written(self, x: Extraction) -> Extraction:
        """``x``, read from :attr:`text`, with its article's span and its programs' evidence
        pointing at the text as written; labels stay as read."""
        if self.as_is:
            return x
        start, end = x.article.span
        article = replace(x.article, span=(self.start(start), self.end(end)))
        programs = tuple(replace(p, evidence=self.quote(p.evidence, start, end)) for p in x.programs)
        return replace(x, article=article, programs=programs)


def simplify(text: str) -> Reading:
    """How to read ``text``: in simplified script, without converter artefacts (``區(qū)`` is read ``区``).

    A text with neither is read as written, and :attr:`Reading.as_is` is True.
    """
    cuts, shifts, parts, last, gone = [], [], [], 0, 0
    for m in _ARTEFACT.finditer(text):
        if not is_pinyin(m.group(1)):
            continue
        parts.append(text[last : m.start()])
        gone += m.end() - m.start()
        last = m.end()
        cuts.append(m.end() - gone)
        shifts.append(gone)
    if parts:
        parts.append(text[last:])
        clean = "".join(parts)
    else:
        clean = text
    simplified = _t2s(clean)
    if simplified == text:
        return Reading(text, text)
    return Reading(simplified, text, tuple(cuts), tuple(shifts))
