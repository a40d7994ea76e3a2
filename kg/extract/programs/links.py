"""How sure kg is of a program's links: that a union runs it, that it happens at a place, that an amount is its.

Each link is made in one of a few ways: a runner is the subject of the program's clause,
the article's own federation (我市), its main union, an organiser (由 A 主办), a giver in a
breakdown; a place is named in the program's sentence, inside the name of a union it goes to,
in the sentence before (此次…), in a later sentence of its paragraph, in the scene the story
opens on; an amount is stated in its sentence, as one of the sums 分别 given, in a breakdown
by giver, in a later sentence of its paragraph, in a later paragraph that names its event again
(本届大赛奖金总额N元). ``tools/train_links.py`` (``make train``)
measures on the corpus's train part how often each way is right, and writes
``kg/data/links_model.json``: a link's ``ukg:confidence`` is the measured precision of the way
that made it. Building only reads that file.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from importlib import resources

MODEL = "links_model.json"

RUNNER_HOWS = ("subject", "own", "fallback", "organise", "share", "headline", "place")
"""How a program's runners were found (:attr:`kg.types.Program.runner_how`)."""
PLACE_HOWS = ("sentence", "recipient", "lead", "previous", "antecedent", "named-again", "scene", "paragraph")
"""How a place was tied to a program (:attr:`kg.types.PlaceMention.how`)."""
AMOUNT_HOWS = ("sentence", "respective", "share", "paragraph", "antecedent")
"""How an amount was tied to a program (:attr:`kg.types.Amount.how`)."""


@lru_cache(maxsize=1)
def link_precision() -> dict[str, dict[str, float]]:
    """The shipped table: for ``runner``, ``place`` and ``amount``, the precision of each way (``*``: of all)."""
    return json.loads(resources.files("kg").joinpath("data", MODEL).read_text(encoding="utf-8"))["precision"]


def link_confidence(kind: str, how: str) -> float:
    """The confidence of a ``kind`` link made ``how``: that way's measured precision, else the kind's."""
    table = link_precision().get(kind, {})
    return table.get(how, table.get("*", 1.0))


def rated(item, kind: str, how: str):
    """A place or amount of a program, with the way it was tied and that way's confidence."""
    return replace(item, how=how, confidence=link_confidence(kind, how))
