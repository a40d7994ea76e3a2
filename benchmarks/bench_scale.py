"""Throughput by stage on corpora of given sizes, against bare jieba on the same text.

    python benchmarks/bench_scale.py [MB ...]        (default: 1 10)

A corpus of N MB is made from the seed pages and ../shared/corpus (when present), each copy with
its numbers varied and its union and place names rotated, so caches and de-duplication don't
flatter us. For each size, in one process: read+split, each extractor, resolve, graph, Turtle and
N-Triples export, HTML, with characters per second and share of the total; peak RSS; bare
``jieba.lcut`` and ``jieba.posseg.lcut`` on the same text (the floor). Then end-to-end
``kg build --no-html`` with --jobs 1 and --jobs 2, and a store build, as separate processes.
Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

_ROTATE = ["青岛", "福州", "西宁", "荆州", "威海", "柳州", "黄山", "临夏", "太原", "成都", "鹤岗", "绍兴"]


def make_corpus(folder: Path, mb: float, seed: int = 7) -> int:
    """Write about ``mb`` MB of pages into ``folder``; return the number of characters."""
    rnd = random.Random(seed)
    sources = sorted((ROOT / "seeds").glob("*.txt")) + (sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [])
    texts = [p.read_text(encoding="utf-8") for p in sources]
    target, size, chars, i = int(mb * 1_000_000), 0, 0, 0
    while size < target:
        text = texts[i % len(texts)]
        a, b = rnd.sample(_ROTATE, 2)
        text = re.sub(r"\d+", lambda m: str(int(m.group(0)) + rnd.randint(1, 9)), text.replace(a, b))
        name = f"{i:06d}_{sources[i % len(sources)].stem[:20]}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
        chars += len(text)
        i += 1
    return chars


def stages(folder: Path) -> tuple[dict[str, float], int, float]:
    """Seconds per stage of a one-process build, the characters read, and peak RSS in MB."""
    import kg.extract as ex
    from kg.explorer import render_view
    from kg.export import ntriples_of, rdflib_graph, turtle_of
    from kg.graph import graph_triples
    from kg.read import read_pages
    from kg.resolve import resolve
    from kg.split import split

    t: dict[str, float] = {"read+split": 0.0, **{f"extract: {n}": 0.0 for n in ex.EXTRACTORS}}
    timed = {}
    for name, fn in ex.EXTRACTORS.items():
        def wrap(article, found, fn=fn, name=name):
            t0 = time.perf_counter()
            out = tuple(fn(article, found))
            t[f"extract: {name}"] += time.perf_counter() - t0
            return out
        timed[name] = wrap
    real = dict(ex.EXTRACTORS)
    ex.EXTRACTORS.update(timed)
    chars, extractions = 0, []
    try:
        for page in read_pages([folder]):
            t0 = time.perf_counter()
            articles = split(page)
            t["read+split"] += time.perf_counter() - t0
            chars += len(page.text)
            extractions.extend(ex.extract(a) for a in articles)
    finally:
        ex.EXTRACTORS.update(real)
    t0 = time.perf_counter()
    extractions = resolve(extractions)
    t["resolve"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    triples = graph_triples(extractions)
    t["graph"] = time.perf_counter() - t0
    for name, fn in (("Turtle", turtle_of), ("N-Triples", ntriples_of),
                     ("HTML view (with its rdflib graph)", lambda ts: render_view(rdflib_graph(ts)))):
        t0 = time.perf_counter()
        fn(triples)
        t[name] = time.perf_counter() - t0
    return t, chars, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floors(folder: Path) -> dict[str, float]:
    """Seconds for bare jieba on the same text, after its dictionary is loaded."""
    import jieba
    import jieba.posseg

    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    jieba.setLogLevel(60)
    jieba.initialize()
    out = {}
    for name, fn in (("jieba.lcut", jieba.lcut), ("jieba.posseg.lcut", jieba.posseg.lcut)):
        t0 = time.perf_counter()
        fn(text)
        out[name] = time.perf_counter() - t0
    return out


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process, measured by /usr/bin/time where there is one
    (a child's ru_maxrss on Linux starts from its parent's size at fork: this benchmark's)."""
    import os
    import shutil

    t0 = time.perf_counter()
    timer = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    with tempfile.NamedTemporaryFile("r") as out:
        full = [timer, "-f", "%M", "-o", out.name, *cmd] if timer else cmd
        p = subprocess.Popen(full, cwd=ROOT)
        _pid, status, usage = os.wait4(p.pid, 0)
        if status:
            raise SystemExit(f"{' '.join(cmd)} failed")
        wall = time.perf_counter() - t0
        text = out.read().strip().splitlines()
        rss = int(text[-1]) / 1024 if timer and text and text[-1].isdigit() else usage.ru_maxrss / 1024
    return wall, rss


def main(sizes: list[float]) -> None:
    import platform

    print(f"machine: {platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores, "
          f"Python {platform.python_version()}\n")
    for mb in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            src = tmp / "src"
            src.mkdir()
            chars = make_corpus(src, mb)
            n = len(list(src.glob("*.txt")))
            code = ("import sys, json; sys.path.insert(0, sys.argv[1]); from benchmarks.bench_scale import stages; "
                    "from pathlib import Path; t, c, rss = stages(Path(sys.argv[2])); print(json.dumps([t, c, rss]))")
            out = subprocess.run([sys.executable, "-c", code, str(ROOT), str(src)], check=True, capture_output=True,
                                 text=True, cwd=ROOT).stdout
            import json

            t, _c, rss = json.loads(out.splitlines()[-1])
            fl = floors(src)
            total = sum(t.values())
            print(f"### {mb:g} MB: {n:,} files, {chars:,} characters\n")
            print("| stage | seconds | chars/s | share |")
            print("|---|---|---|---|")
            for name, sec in t.items():
                print(f"| {name} | {sec:.2f} | {chars / sec / 1000:,.0f}k | {100 * sec / total:.0f} % |")
            print(f"| **all stages, one process** | **{total:.2f}** | **{chars / total / 1000:,.0f}k** | peak RSS "
                  f"{rss:.0f} MB |")
            for name, sec in fl.items():
                print(f"| floor: bare `{name}`, same text | {sec:.2f} | {chars / sec / 1000:,.0f}k | "
                      f"kg is {sec / total:.2f}x |")
            kg = [sys.executable, "-m", "kg.cli", "build", str(src), "-q"]
            w1, r1 = run([*kg, "-o", str(tmp / "o1"), "--no-html", "--jobs", "1"])
            w2, r2 = run([*kg, "-o", str(tmp / "o2"), "--no-html", "--jobs", "2"])
            ws, rs = run([*kg, "--store", str(tmp / "store"), "--jobs", "2"])
            wr, rr = run([*kg, "--store", str(tmp / "store"), "--jobs", "2"])
            same = (tmp / "o1" / "graph.ttl").read_bytes() == (tmp / "o2" / "graph.ttl").read_bytes()
            print("\n| end to end | wall | chars/s | peak RSS |\n|---|---|---|---|")
            for name, w, r in (("kg build --no-html --jobs 1", w1, r1), ("kg build --no-html --jobs 2", w2, r2),
                               ("kg build --store (new store), --jobs 2", ws, rs),
                               ("kg build --store again (nothing changed)", wr, rr)):
                print(f"| {name} | {w:.1f} s | {chars / w / 1000:,.0f}k | {r:.0f} MB |")
            lcut = fl["jieba.lcut"]
            print(f"\n--jobs 2 / --jobs 1: {w1 / w2:.2f}x; Turtle byte-identical: {same}; end to end against bare "
                  f"`jieba.lcut` on the same text: {lcut / w1:.2f}x with --jobs 1, {lcut / w2:.2f}x with --jobs 2\n")


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [1, 10])
