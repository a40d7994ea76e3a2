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
    """A part-of-speech tokenizer over :func:`tokenizer`."""
    jieba = _import_jieba()
    return jieba.posseg.POSTokenizer(tokenizer())


def cut(text: str) -> list[str]:
    """Words of ``text`` (no HMM, so no invented words)."""
    return tokenizer().lcut(text, HMM=False)


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
