"""Asking a graph at size: every saved query and kg stats, on a graph file and on a store, as whole processes.

    python benchmarks/bench_ask.py [MB] [--work DIR] [--old SRC] [--runs N]

Makes (once, kept in --work) a corpus of MB megabytes (default 30, ``bench_scale.make_corpus``), its
``kg build -o`` graph file and its ``kg build --store`` store. Then times, N runs each (median, and the
peak RSS of the process): ``kg query GRAPH --saved NAME`` for every saved query (the load included),
``kg query --store DIR --saved NAME``, ``kg stats GRAPH`` and ``kg stats --store DIR``. With ``--old
SRC`` (a checkout of an older kg, e.g. ``git worktree add /tmp/kg-old HEAD~5``) the same commands run
on its code too, one run each (the old ones take minutes). Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

BINDS = {"in-place": "place=青岛市", "programs-of-union": "union=青岛市总", "what-is-program": "program=送清凉"}


def timed(argv: list[str], src: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process running ``python -m kg.cli ARGV`` on the code in ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", *argv], cwd=src, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"kg {' '.join(argv)} failed on {src}")
    return wall, usage.ru_maxrss / 1024


def prepare(work: Path, mb: float) -> tuple[Path, Path]:
    """The graph file and the store of an ``mb`` MB corpus under ``work``, made when missing."""
    from bench_scale import make_corpus

    corpus, out, store = work / f"C{mb:g}", work / f"O{mb:g}", work / f"S{mb:g}"
    if not corpus.is_dir():
        corpus.mkdir(parents=True)
        make_corpus(corpus, mb)
    kg = [sys.executable, "-m", "kg.cli"]
    if not (out / "graph.ttl").exists():
        subprocess.run([*kg, "build", str(corpus), "-o", str(out), "--no-html", "-q"], check=True, cwd=ROOT)
    if not store.is_dir():
        subprocess.run([*kg, "build", str(corpus), "--store", str(store), "-q"], check=True, cwd=ROOT)
    return out / "graph.ttl", store


def commands(graph: Path, store: Path) -> list[tuple[str, list[str]]]:
    from kg.sparql import saved_queries

    out = []
    for name in saved_queries():
        bind = ["--bind", BINDS[name]] if name in BINDS else []
        out.append((f"kg query GRAPH --saved {name}", ["query", str(graph), "--saved", name, *bind]))
        out.append((f"kg query --store --saved {name}", ["query", "--store", str(store), "--saved", name, *bind]))
    out.append(("kg stats GRAPH", ["stats", str(graph)]))
    out.append(("kg stats --store", ["stats", "--store", str(store)]))
    out.append(("kg stats GRAPH --network", ["stats", str(graph), "--network"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mb", nargs="?", type=float, default=30.0)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-ask"))
    ap.add_argument("--old", type=Path, help="the source folder of an older kg to compare with")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    graph, store = prepare(args.work, args.mb)
    size = graph.stat().st_size / 1e6
    print(f"{args.mb:g} MB of pages: graph.ttl {size:.0f} MB; median of {args.runs} runs, peak RSS\n")
    print("| command | seconds | peak MB |" + (" before: seconds | before: peak MB |" if args.old else ""))
    print("|---|---|---|" + ("---|---|" if args.old else ""))
    for label, argv in commands(graph, store):
        runs = [timed(argv, ROOT) for _ in range(args.runs)]
        row = f"| `{label}` | {statistics.median(r[0] for r in runs):.2f} | {max(r[1] for r in runs):.0f} |"
        if args.old and "--network" not in argv:
            old_argv = [a for a in argv if a != "--network"]
            wall, rss = timed(old_argv, args.old)
            row += f" {wall:.1f} | {rss:.0f} |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
