"""The static page at size: `kg build` with and without it, and `kg view`, as whole processes.

    python benchmarks/bench_page.py [CORPUS] [--mb MB] [--work DIR] [--old SRC] [--runs N]

CORPUS is a folder of pages, only read (default: an MB-megabyte corpus of ``bench_scale.make_corpus``,
made once in --work; MB default 30). Times, N
runs each (median, and the peak RSS of the largest process of the run, workers and children
included): ``kg build CORPUS -o OUT`` as a user runs it (over the page's ceiling it writes no
``graph.html``), the same with ``--max-nodes`` above the graph's size (the page of the whole graph),
with ``--no-html``, and ``kg view OUT/graph.ttl`` (the page of the most relevant nodes, up to the
ceiling). With ``--old SRC`` (a checkout of an older kg) the same commands run on its code too, one
run each, but the whole-graph page (the old page drew every node it carried). Prints Markdown for
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ask import timed  # noqa: E402


def commands(corpus: Path, work: Path) -> list[tuple[str, list[str] | None]]:
    out = work / "out"
    return [
        ("kg build CORPUS -o OUT", ["build", str(corpus), "-o", str(out), "-q"]),
        ("kg build CORPUS -o OUT --max-nodes 10000000 (the whole graph's page)",
         ["build", str(corpus), "-o", str(out), "-q", "--max-nodes", "10000000"]),
        ("kg build CORPUS -o OUT --no-html", ["build", str(corpus), "-o", str(out), "-q", "--no-html"]),
        ("kg view OUT/graph.ttl", ["view", str(out / "graph.ttl"), "-o", str(work / "view.html")]),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="?")
    ap.add_argument("--mb", type=float, default=30.0)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-page"))
    ap.add_argument("--old", type=Path, help="the source folder of an older kg to compare with")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.corpus is None:
        from bench_scale import make_corpus

        args.corpus = args.work / f"C{args.mb:g}"
        if not args.corpus.is_dir():
            args.corpus.mkdir()
            make_corpus(args.corpus, args.mb)
    rows = []
    for name, argv in commands(args.corpus.resolve(), args.work.resolve()):
        runs = [timed(argv, ROOT) for _ in range(args.runs)]
        new = (statistics.median(r[0] for r in runs), max(r[1] for r in runs))
        old = timed(argv, args.old) if args.old and "whole graph" not in name else None
        rows.append((name, new, old))
        print(name, new, old, file=sys.stderr, flush=True)
    print("| command | now: wall, peak RSS | before: wall, peak RSS |")
    print("|---|---|---|")
    for name, new, old in rows:
        before = f"{old[0]:.1f} s, {old[1]:,.0f} MiB" if old else "—"
        print(f"| `{name}` | {new[0]:.1f} s, {new[1]:,.0f} MiB | {before} |")


if __name__ == "__main__":
    main()
