"""The word lists extraction reads: trigger verbs, program heads, money verbs and fund nouns.

They are data, not code: ``tools/derive_lexicon.py`` (``make train``) weighs a
seed vocabulary on the annotated train part of the corpus (each word's support in
files and its precision there) and writes the lists it keeps to
``kg/data/lexicon.json``; kg only reads the file, so building never needs the
corpus. Loaded once, when extraction is first imported.
"""

from __future__ import annotations

import json
from importlib import resources

LEXICON = "lexicon.json"


def _load() -> dict:
    return json.loads(resources.files("kg").joinpath("data", LEXICON).read_text(encoding="utf-8"))


_DATA = _load()
TRIGGERS: tuple[str, ...] = tuple(_DATA["triggers"])
"""Verbs saying a union does something; each fires only when a program head follows, or, for the
money verbs, a fund or a sum in yuan."""
HEADS: tuple[str, ...] = tuple(_DATA["heads"])
"""The last word of a program's name: 活动, 竞赛, 驿站."""
MONEY_VERBS: tuple[str, ...] = tuple(_DATA["money_verbs"])
"""Triggers that give money or things: a fund or a sum after them names a program without a head."""
FUNDS: tuple[str, ...] = tuple(_DATA["funds"])
"""What money is given as: 资金, 慰问金, 助学金."""
