"""Time per page over fuzzed pages: the pages ``make fuzz`` draws, through split, extract, resolve and graph.

Pages come from the strategies of ``tests/test_fuzz.py`` (random text, seed and corpus
pages mutated, numbers thousands of digits long, lines of 15-60 KB dense with keywords),
drawn by hypothesis with a fixed seed. Each page is timed alone in this process, jieba
loaded beforehand; the table gives the percentiles and the slowest pages.

    python benchmarks/bench_fuzz.py [--pages 10000] [--seed N] [--times FILE] [--save-slow DIR]
    python benchmarks/bench_fuzz.py --report FILE ...   # one table from the times of several runs

Two runs with different seeds (one a core) and ``--report`` over their times make one sample.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.extract import extract  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.read import normalise  # noqa: E402
from kg.resolve import resolve  # noqa: E402
from kg.split import split  # noqa: E402
from kg.types import Page  # noqa: E402
from test_fuzz import dense_lines, digit_runs, mutated_pages, random_pages  # noqa: E402

SHAPES = {"random": random_pages, "mutated": mutated_pages(), "digits": digit_runs, "dense": dense_lines}


def run_page(text: str) -> float:
    """Seconds to split, extract, resolve and make the graph of one page."""
    t0 = time.perf_counter()
    page = Page(source="p.txt", text=normalise(text), key="p.txt")
    build_graph(resolve([extract(a) for a in split(page)]))
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--save-slow", metavar="DIR", help="write pages slower than --slow-over here")
    ap.add_argument("--slow-over", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--times", metavar="FILE", help="write each page's shape, size and seconds here (JSON lines)")
    ap.add_argument("--report", nargs="+", metavar="FILE", help="print the tables of these times files")
    args = ap.parse_args()
    if args.report:
        report([tuple(json.loads(line)) for f in args.report for line in open(f, encoding="utf-8")])
        return
    from kg.nlp import tokenizer

    tokenizer().initialize()
    run_page("青岛市总工会开展“金秋助学”活动，发放助学金10万元。")  # load the remaining tables
    times: list[tuple[float, str, int]] = []
    shape = st.sampled_from(sorted(SHAPES)).flatmap(lambda k: st.tuples(st.just(k), SHAPES[k]))

    @seed(args.seed)
    @settings(max_examples=args.pages, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(shape)
    def time_one(drawn):
        kind, text = drawn
        secs = run_page(text)
        times.append((secs, kind, len(text)))
        if args.times:
            with open(args.times, "a", encoding="utf-8") as f:
                f.write(json.dumps([secs, kind, len(text)]) + "\n")
        if args.save_slow and secs > args.slow_over:
            Path(args.save_slow).mkdir(parents=True, exist_ok=True)
            (Path(args.save_slow) / f"{len(times):05d}-{kind}.txt").write_text(text, encoding="utf-8")
        if len(times) % 500 == 0:
            print(f"  {len(times)} pages", file=sys.stderr, flush=True)

    time_one()
    report(times)


def report(times: list[tuple[float, str, int]]) -> None:
    """The percentiles of all pages, and by shape."""
    secs = sorted(t for t, _, _ in times)

    def pct(p: float) -> float:
        return secs[min(len(secs) - 1, int(p / 100 * len(secs)))]

    print("| pages | median s | p99 s | p99.9 s | max s | over 2 s | total s |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {len(secs):,} | {statistics.median(secs):.3f} | {pct(99):.2f} | {pct(99.9):.2f} | {secs[-1]:.2f} | "
          f"{sum(t > 2 for t in secs)} | {sum(secs):.0f} |")
    print()
    print("| shape | pages | median s | max s | largest page (chars) |")
    print("|---|---|---|---|---|")
    for kind in sorted(SHAPES):
        mine = [(t, n) for t, k, n in times if k == kind]
        if mine:
            print(f"| {kind} | {len(mine):,} | {statistics.median(t for t, _ in mine):.3f} | "
                  f"{max(t for t, _ in mine):.2f} | {max(n for _, n in mine):,} |")
    print()
    print("slowest:", ", ".join(f"{k} {n:,} chars {t:.2f} s" for t, k, n in sorted(times, reverse=True)[:5]))


if __name__ == "__main__":
    main()
