"""Scores on the seeds and on ../shared/corpus, whole and by parts.

The train part (item numbers ending in 0-6) is for reading item by item; the
check part (ending in 7-9) is for aggregate scores only. A change that helps the
train part and not the check part fits strings, not language.

    python benchmarks/eval_corpus.py                  # the table
    python benchmarks/eval_corpus.py --explain train  # and the train part's mistakes
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


def part(gold: dict, which: str) -> dict:
    """The gold of ``all`` items, of the ``train`` part (numbers ending 0-6) or of the ``check`` part."""
    def keep(name: str) -> bool:
        return which == "all" or (int(name[:3]) % 10 < 7) == (which == "train")
    return {**gold, "files": {k: v for k, v in gold["files"].items() if keep(k)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--explain", choices=("seeds", "train"))
    args = ap.parse_args()
    rows = []
    seeds = extract_sources([ROOT / "seeds"]).graph
    reports = {"seeds dev": evaluate(seeds, load_gold(SHARED / "gold" / "dev.json"))}
    corpus = extract_sources([SHARED / "corpus"]).graph
    gold = load_gold(SHARED / "gold" / "corpus.json")
    for which in ("all", "train", "check"):
        reports[f"corpus {which}"] = evaluate(corpus, part(gold, which))
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
