"""The one place jieba is loaded, with its pinned version and our user dictionary.

jieba is imported lazily (importing :mod:`kg` stays cheap) and a private
:class:`jieba.Tokenizer` is used, so our words never leak into a caller's
global jieba state. Its cache file goes to the system temp dir, as jieba does.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources

JIEBA_VERSION = "0.42.1"


def _import_jieba():
    try:
        import jieba
        import jieba.posseg
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"kg needs jieba=={JIEBA_VERSION}: pip install 'jieba=={JIEBA_VERSION}'"
        ) from e
    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=1)
def tokenizer():
    """The project's jieba tokenizer with ``kg/userdict.txt`` loaded."""
    jieba = _import_jieba()
    tk = jieba.Tokenizer()
    with resources.as_file(resources.files("kg") / "userdict.txt") as path:
        tk.load_userdict(str(path))
    return tk


@lru_cache(maxsize=1)
def pos_tokenizer():
    """A part-of-speech tokenizer over :func:`tokenizer`.

    Importing ``jieba.posseg`` already reads the default dictionary's tags for its own tokenizer (about
    0.4 s); ours has the same dictionary, so it starts from a copy of that table instead of reading the
    file again (our words' tags are added from the user dictionary on first use, as jieba does)."""
    jieba = _import_jieba()
    tk = tokenizer()
    default = jieba.posseg.dt
    if tk.get_dict_file().name != default.tokenizer.get_dict_file().name:  # pragma: no cover - pinned jieba
        return jieba.posseg.POSTokenizer(tk)
    pt = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    pt.tokenizer = tk
    pt.word_tag_tab = dict(default.word_tag_tab)
    return pt


def cut(text: str) -> list[str]:
    """Words of ``text`` (no HMM, so no invented words)."""
    return tokenizer().lcut(text, HMM=False)


def pos_cut(text: str) -> list:
    """Words of ``text`` with their parts of speech, as :func:`pos_tokenizer` gives them (no HMM): jieba's
    pairs, which unpack as ``(word, flag)``. Remembered: the same few words lead up to many names."""
    return list(_pos_cut(text))


@lru_cache(maxsize=1 << 15)
def _pos_cut(text: str) -> tuple:
    return tuple(pos_tokenizer().lcut(text, HMM=False))


def word_across(left: str, right: str) -> str | None:
    """The word jieba reads across the end of ``left`` and the start of ``right``, if any.

    Used to tell a column break in the middle of a word (``青`` / ``岛市总``)
    from a break between sentences.
    """
    a, b = left[-6:], right[:6]
    if not a or not b:
        return None
    pos = 0
    for w in tokenizer().lcut(a + b, HMM=False):
        if pos < len(a) < pos + len(w):
            return w
        pos += len(w)
    return None


def _crossing(text: str, at: int) -> tuple[int, int] | None:
    """The span of the word jieba reads across position ``at`` (a word that starts before it and ends
    after it), or None where a word ends there. Reads a few characters around it, and cuts them only where
    a dictionary word could cross."""
    if at <= 0 or at >= len(text) or not ("\u4e00" <= text[at - 1] <= "\u9fff" and "\u4e00" <= text[at] <= "\u9fff"):
        return None  # next to punctuation, a digit or an end: nothing to join with
    tk = tokenizer()
    tk.check_initialized()
    words = tk.FREQ
    if not any(words.get(text[at - k : at + j]) for k in range(1, min(at, 3) + 1) for j in (1, 2, 3)):
        return None  # no word of the dictionary reads across it: no need to cut the text around it
    lo = max(0, at - 6)
    pos = lo
    for w in tk.lcut(text[lo : at + 8], HMM=False):
        if pos + len(w) > at:
            return (pos, pos + len(w)) if pos < at else None
        pos += len(w)
    return None


def straddles(text: str, start: int, end: int) -> bool:
    """Whether jieba reads ``text[start:end]`` across a word's end: it starts inside a word that ends
    before ``end`` (资助 in 集资/助学, 组织开展 in 工会组织/开展). A span at the end of a longer word
    (大力开展) does not straddle."""
    word = _crossing(text, start)
    return word is not None and word[1] < end


def runs_on(text: str, end: int) -> bool:
    """Whether jieba reads a word across ``end``: the word holding ``text[end - 1]`` goes on past it (工程
    at the end of 金牌工程 in 金牌/工程师)."""
    return _crossing(text, end) is not None
