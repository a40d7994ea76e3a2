"""A store after a change, and `kg serve --store` starting, as whole processes.

    python benchmarks/bench_store.py [MB ...] [--work DIR] [--old SRC] [--runs N]     (default: 1 30)

For each size, makes (once, kept in --work) a corpus of MB megabytes (``bench_scale.make_corpus``) and
its store, built by this code (and by the code in SRC with ``--old``: a checkout of an older kg, e.g.
``git worktree add /tmp/kg-old HEAD~5``; its store is built by it). Then, N runs each, on a fresh copy
of the store every run (the store built once is never changed): ``kg build CORPUS --store COPY`` with one
file changed, ``kg remove --store COPY FILE``, and ``kg serve --store STORE`` from its start to the first
answered query. Medians and peak RSS; with ``--old`` the same commands on the old code beside them (run
in turn with this code's, the new/old ratio taken pair by pair), and whether the two stores export the
same Turtle after the change. Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ask import timed  # noqa: E402  (wall seconds and peak RSS of `python -m kg.cli ARGV` on a code)

ADDED = "\n\n青岛市总工会开展“冬送温暖”活动\n\n青岛市总工会开展“冬送温暖”活动，走访慰问困难职工100户，发放慰问金20万元。\n"
FIRST_ANSWER = "SELECT (COUNT(*) AS ?n) WHERE { ?u a ukg:Union }"


def _env(src: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(src)}


def prepare(work: Path, mb: float, sources: dict[str, Path]) -> tuple[Path, dict[str, Path]]:
    """The corpus of ``mb`` MB under ``work`` and a store of it built by each code in ``sources``."""
    from bench_scale import make_corpus

    corpus = work / f"C{mb:g}"
    if not corpus.is_dir():
        corpus.mkdir(parents=True)
        make_corpus(corpus, mb)
    stores = {}
    for label, src in sources.items():
        store = work / label / f"S{mb:g}"
        code = subprocess.run([sys.executable, "-c", "from kg.store import code_fingerprint as f; print(f())"],
                              check=True, cwd=src, env=_env(src), capture_output=True, text=True).stdout.strip()
        meta = store / "kg-store.json"
        if not meta.is_file() or json.loads(meta.read_text(encoding="utf-8"))["code"] != code:  # else all is read
            shutil.rmtree(store, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", str(store), "-q"],
                           check=True, cwd=src, env=_env(src))
        stores[label] = store
    return corpus, stores


def first_answer(store: Path, src: Path) -> float:
    """Seconds from starting ``kg serve --store`` to its first answered query; the server is then stopped."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = urllib.parse.urlencode({"query": FIRST_ANSWER}).encode()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)],
                            cwd=src, env=_env(src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(urllib.request.Request(
                        f"http://127.0.0.1:{port}/query", data=data, headers={"Accept": "text/csv"}), timeout=120) as r:
                    r.read()
                return time.perf_counter() - t0
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(f"kg serve --store {store} stopped on {src}") from None
                time.sleep(0.02)
    finally:
        proc.terminate()
        proc.wait()


def changed_run(corpus: Path, store: Path, copy: Path, src: Path, changed: Path, keep: Path | None = None):
    """``kg build --store`` on a copy of ``store`` with ``changed`` edited; the copy is kept as ``keep``."""
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["cp", "-a", str(store), str(copy)], check=True)
    text = changed.read_bytes()
    changed.write_bytes(text + ADDED.encode("utf-8"))
    try:
        result = timed(["build", str(corpus), "--store", str(copy), "-q"], src)
    finally:
        changed.write_bytes(text)
    if keep is not None:
        shutil.rmtree(keep, ignore_errors=True)
        copy.rename(keep)
    return result


def removed_run(store: Path, copy: Path, src: Path, name: str):
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["cp", "-a", str(store), str(copy)], check=True)
    return timed(["remove", "--store", str(copy), name], src)


def same_export(a: Path, b: Path, sources: dict[str, Path], work: Path) -> bool:
    outs = []
    for (label, src), store in zip(sources.items(), (a, b)):
        out = work / f"{label}.ttl"
        subprocess.run([sys.executable, "-m", "kg.cli", "export", "--store", str(store), "-o", str(out)],
                       check=True, cwd=src, env=_env(src), stdout=subprocess.DEVNULL)
        outs.append(out.read_bytes())
        out.unlink()
    return outs[0] == outs[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=float, default=[1.0, 30.0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-store"))
    ap.add_argument("--old", type=Path, help="the source folder of an older kg to compare with")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    sources = {"new": ROOT, **({"old": args.old.resolve()} if args.old else {})}
    print(f"median of {args.runs} runs (each on a fresh copy of the store), peak RSS of the process\n")
    for mb in args.sizes:
        corpus, stores = prepare(args.work, mb, sources)
        files = sorted(corpus.glob("*.txt"))
        changed = files[len(files) // 2]
        removed = files[len(files) // 3].name
        copy = args.work / "copy"
        measures = {label: [[], [], []] for label in sources}
        for i in range(args.runs):  # the codes in turn, run by run: a drift of the machine's speed hits both
            for label, src in sources.items():
                keep = args.work / f"changed-{label}" if i == 0 else None
                measures[label][0].append(changed_run(corpus, stores[label], copy, src, changed, keep))
                measures[label][1].append(removed_run(stores[label], copy, src, removed))
                measures[label][2].append((first_answer(stores[label], src), 0.0))
        shutil.rmtree(copy, ignore_errors=True)
        print(f"### {mb:g} MB: {len(files):,} files\n")
        head = "| command | seconds | peak MB |" + (" before: seconds | before: peak MB | new/old, pair by pair |"
                                                  if args.old else "")
        print(head + "\n|---|---|---|" + ("---|---|---|" if args.old else ""))
        names = ["`kg build --store` again, one file changed", "`kg remove --store`, one file",
                 "`kg serve --store` to its first answer"]
        for i, name in enumerate(names):
            row = f"| {name} |"
            for label in sources:
                runs = measures[label][i]
                rss = f"{max(r[1] for r in runs):.0f}" if i < 2 else "—"
                row += f" {statistics.median(r[0] for r in runs):.2f} | {rss} |"
            if args.old:
                pairs = zip(measures["new"][i], measures["old"][i])
                row += f" {statistics.median(a[0] / b[0] for a, b in pairs):.3f} |"
            print(row)
        if args.old:
            same = same_export(args.work / "changed-new", args.work / "changed-old", sources, args.work)
            print(f"\nafter the change, `kg export --store` gives the same Turtle on both stores: {same}")
        for label in sources:
            shutil.rmtree(args.work / f"changed-{label}", ignore_errors=True)
        print(flush=True)


if __name__ == "__main__":
    main()
