"""Split and extraction time against page size: both must grow linearly.

Pages of 0.1 to 20 MB are made from the seed pages and ../shared/corpus
(numbers varied, so that no two paragraphs repeat and the scanner-repeat filter
does not shrink them), and a worst case: a page of distinct lines with no
punctuation (every line reads as a headline), and news text with its line breaks
taken out (one paragraph: one article with thousands of programs). Each is split, then extracted,
in this process; the table gives seconds and characters per second.

    python benchmarks/bench_split.py [--sizes 0.1,0.5,1,5,20] [--kind news|lines|flat|all]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import extract  # noqa: E402
from kg.read import normalise  # noqa: E402
from kg.split import split  # noqa: E402
from kg.types import Page  # noqa: E402


def sources() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    corpus = ROOT.parent / "shared" / "corpus"
    texts += [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    return texts


def news_page(mb: float, seed: int = 1) -> str:
    rng = random.Random(seed)
    texts, out, size = sources(), [], 0
    while size < mb * 1_000_000:
        t = re.sub(r"\d+", lambda m: str(rng.randint(1, 99999)), rng.choice(texts))
        out.append(t)
        size += len(t.encode("utf-8"))
    return "\n".join(out)


def lines_page(mb: float, seed: int = 2) -> str:
    rng = random.Random(seed)
    alphabet = "工会职工服务开展活动帮扶项目资金万元困难群众培训技能竞赛劳模工匠基层组织建设省市县区镇村"
    out, size = [], 0
    while size < mb * 1_000_000:
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 30)))
        out.append(line)
        size += len(line.encode("utf-8")) + 1
    return "\n".join(out)


def flat_page(mb: float) -> str:
    """News text with its line breaks taken out: one paragraph, one article, many programs."""
    return news_page(mb, seed=3).replace("\n", "")


def measure(text: str) -> tuple[float, float, int]:
    page = Page(source="bench.txt", text=normalise(text), key="bench.txt")
    t0 = time.perf_counter()
    articles = split(page)
    t1 = time.perf_counter()
    for a in articles:
        extract(a)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(articles)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="0.1,0.25,0.5,1,2,5,10,20")
    ap.add_argument("--kind", choices=("news", "lines", "flat", "all"), default="all")
    args = ap.parse_args()
    from kg.nlp import tokenizer

    tokenizer().initialize()
    kinds = ("news", "lines", "flat") if args.kind == "all" else (args.kind,)
    make = {"news": news_page, "lines": lines_page, "flat": flat_page}
    print("| page | MB | chars | articles | split s | split chars/s | extract s | extract chars/s |")
    print("|---|---|---|---|---|---|---|---|")
    for kind in kinds:
        for mb in (float(s) for s in args.sizes.split(",")):
            text = make[kind](mb)
            s, e, n = measure(text)
            print(f"| {kind} | {mb:g} | {len(text):,} | {n:,} | {s:.2f} | {len(text) / s:,.0f} | {e:.1f} | "
                  f"{len(text) / e:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
