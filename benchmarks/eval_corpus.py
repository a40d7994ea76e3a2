"""Scores on the seeds and on ../shared/corpus, whole and by halves (odd- and even-numbered items).

Rules are tuned on the odd half and checked on the even one: a change that helps
one half and hurts the other fits strings, not language.

    python benchmarks/eval_corpus.py            # the table
    python benchmarks/eval_corpus.py --explain odd   # and the mistakes of one half
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from kg.pipeline import extract_sources  # noqa: E402
from kg.evaluate import METRICS, evaluate, format_report, load_gold  # noqa: E402


def half(gold: dict, which: str) -> dict:
    keep = (lambda n: int(n[:3]) % 2 == 1) if which == "odd" else (lambda n: int(n[:3]) % 2 == 0)
    return {**gold, "files": {k: v for k, v in gold["files"].items() if which == "all" or keep(k)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--explain", choices=("seeds", "all", "odd", "even"))
    args = ap.parse_args()
    rows = []
    seeds = extract_sources([ROOT / "seeds"]).graph
    reports = {"seeds dev": evaluate(seeds, load_gold(SHARED / "gold" / "dev.json"))}
    corpus = extract_sources([SHARED / "corpus"]).graph
    gold = load_gold(SHARED / "gold" / "corpus.json")
    for which in ("all", "odd", "even"):
        reports[f"corpus {which}"] = evaluate(corpus, half(gold, which))
    print("| set | " + " | ".join(METRICS) + " | mean |")
    print("|---|" + "---|" * (len(METRICS) + 1))
    for name, r in reports.items():
        rows.append(f"| {name} | " + " | ".join(f"{r.scores[m].f1:.3f}" for m in METRICS) + f" | {r.mean_f1:.3f} |")
    print("\n".join(rows))
    if args.explain:
        print(format_report(reports["seeds dev" if args.explain == "seeds" else f"corpus {args.explain}"],
                            explain=True))


if __name__ == "__main__":
    main()
