"""How well union names survive the words around them: each annotated union name of the train part,
read alone, then after every word that stands before a union in the train texts and before every word
that follows one. A name kg reads alone but not in some context is a boundary the extractor gets wrong
(据X街道总工会, X教育工会的指导下), whatever union it happens to be.

    python benchmarks/union_contexts.py             # counts, and the contexts that lose most names
    python benchmarks/union_contexts.py --top 40

Reads the train part only (item numbers ending in 0-6): the check part is for aggregate scores.
Collective and place-word contexts (各, 全, 14个, 杭州市 before a district's union) are counted too;
they are meant to change the name.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from kg.extract import unions  # noqa: E402
from kg.nlp import pos_tokenizer  # noqa: E402
from kg.script import simplify  # noqa: E402
from kg.types import Article  # noqa: E402

_SIMPLIFIED_ONLY = re.compile("[總會區縣鄉聯]")


def read(text: str) -> set[str]:
    """The union names kg reads in one sentence."""
    article = Article(id="x#1", source="x.txt", title="", text=text, span=(0, len(text)), paragraphs=(text,))
    return {u.name for u in unions.extract(article)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--top", type=int, default=20, help="contexts to list (default 20)")
    args = ap.parse_args()
    gold = json.loads((SHARED / "gold" / "corpus.json").read_text(encoding="utf-8"))["files"]
    train = sorted(f for f in gold if int(f[:3]) % 10 < 7)
    names = sorted({u["names"][0] for f in train for u in gold[f]["unions"]
                    if not u.get("optional") and not _SIMPLIFIED_ONLY.search(u["names"][0])})
    alone = [n for n in names if n in read(f"近日，{n}开展了活动。")]
    before, after = Counter(), Counter()
    tag = pos_tokenizer()
    for f in train:
        text = simplify((SHARED / "corpus" / f).read_text(encoding="utf-8")).text
        for m in re.finditer("工会", text):
            words = tag.lcut(text[m.end() : m.end() + 8], HMM=False)
            if words and re.match(r"[\u4e00-\u9fff“《]", words[0].word):
                after[words[0].word] += 1
        for u in gold[f]["unions"]:
            for m in re.finditer(re.escape(u["names"][0]), text):
                words = tag.lcut(text[max(0, m.start() - 6) : m.start()], HMM=False)
                if words and re.match(r"[\u4e00-\u9fff]", words[-1].word) and words[-1].flag[:1] in "pcvdurmqtfa":
                    before[words[-1].word] += 1
    lost: Counter = Counter()
    for word, _n in after.most_common(150):
        lost["… " + word] = sum(n not in read(f"近日，{n}{word}了活动。") for n in alone)
    for word, _n in before.most_common(150):
        lost[word + " …"] = sum(n not in read(f"近日，{word}{n}开展了活动。") for n in alone)
    missed = sum(1 for v in lost.values() if v)
    print(f"{len(names)} train-part union names, {len(alone)} read alone; {len(lost)} contexts, "
          f"{missed} lose a name, {sum(lost.values())} names lost in all")
    for context, n in lost.most_common(args.top):
        print(f"{n:5d}  {context}")


if __name__ == "__main__":
    main()
