"""Program or not: a small logistic model decides what the readings propose.

The readings (:mod:`.readings`) find candidates by the structure of the clause;
whether a careful reader would count one as a program (not a description, an
aim, a duty or a meeting in passing) is learned from annotated news. Each
candidate is described by plain features: which reading found it, how its
label ends and begins, the words before it, who runs it, where in the article
it stands, what the clause says around it. ``tools/train_programs.py`` (``make
train``) fits the weights on the corpus's train part and writes
``kg/data/programs_model.json``; kg only reads that file, so building never needs
the corpus or scikit-learn. The probability is the program's ``ukg:confidence``;
a candidate below the model's threshold is dropped.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ...types import Program
from .labels import BOOK, QUOTE, content_words
from .readings import Draft

MODEL = "programs_model.json"

_FUTURE = re.compile(r"(将|要|拟|计划|力争|争取|预计|准备|即将|今后|下一步|明年)")
"""An aim or plan, not a thing done."""
_SPEECH = re.compile(r"(表示|指出|强调|说|介绍|认为|称|坦言|告诉记者)")
_DUTY = re.compile(r"(始终|一直|坚持|不断|持续|切实|充分|积极|努力)")


@dataclass(frozen=True)
class Candidate:
    """A program the readings propose, and what the judge weighs about it."""

    program: Program
    features: tuple[str, ...]


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    return str(next((e for e in edges if n <= e), f">{edges[-1]}"))


def features(d: Draft, main: str | None, mentions: Counter) -> tuple[str, ...]:
    """What the judge weighs about one candidate (``main``: the article's main union; ``mentions``:
    how often each union is named in the article)."""
    s, label = d.sentence.text, d.label
    at = s.find(label)
    before = s[:at] if at >= 0 else ""
    clause = re.split(r"[，。；：！？]", before)[-1] if before else ""
    out = [
        f"kind={d.kind}", f"funding={d.funding}", f"headline={d.sentence.paragraph < 0}",
        f"para={_bucket(max(d.sentence.paragraph, 0), (0, 1, 3, 6))}",
        f"end1={label[-1]}", f"end2={label[-2:]}", f"start1={label[0]}", f"start2={label[:2]}",
        f"quoted={bool(QUOTE.search(label))}", f"book={bool(BOOK.search(label))}",
        f"len={_bucket(len(label), (3, 5, 8, 12, 20))}",
        f"prev1={before[-1:] or '^'}", f"prev2={before[-2:] or '^'}",
        f"future={bool(_FUTURE.search(clause))}", f"speech={bool(_SPEECH.search(before))}",
        f"duty={bool(_DUTY.search(clause))}",
        f"main={main in d.runners}", f"runners={_bucket(len(d.runners), (1, 2))}",
        f"fed={all(r.endswith('总工会') for r in d.runners)}",
        f"often={_bucket(max((mentions.get(r, 0) for r in d.runners), default=0), (0, 1, 3))}",
        f"named_here={any(r in s for r in d.runners)}",
        f"amounts={bool(d.amounts)}", f"yuan={any(a.unit == 'CNY' for a in d.amounts)}",
        f"places={bool(d.places)}", f"union_in_label={'工会' in label}",
        f"digits={bool(re.search(r'[0-9０-９]', label))}",
    ]
    out += [f"w={w}" for w in sorted(content_words(label))]
    return tuple(out)


class Judge:
    """A logistic model over candidate features: weights by feature, an intercept, and the probability
    below which a candidate is dropped."""

    def __init__(self, weights: dict[str, float], intercept: float, threshold: float):
        self.weights, self.intercept, self.threshold = weights, intercept, threshold

    def probability(self, feats: tuple[str, ...]) -> float:
        z = self.intercept + sum(self.weights.get(f, 0.0) for f in feats)
        return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)


@lru_cache(maxsize=1)
def program_judge() -> Judge:
    """The shipped model, loaded once per process."""
    data = json.loads(resources.files("kg").joinpath("data", MODEL).read_text(encoding="utf-8"))
    return Judge(data["weights"], data["intercept"], data["threshold"])
