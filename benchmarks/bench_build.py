"""Speed and peak memory of `kg build` on the seeds, and on the seeds repeated 20 times.

Each run is a fresh process (so jieba's start-up and the peak RSS are its own).
Prints a Markdown table for the README.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(src: Path, out: Path) -> tuple[float, float]:
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(src), "-o", str(out), "-q"], check=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main() -> None:
    seeds = ROOT / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        many = tmp / "x20"
        many.mkdir()
        for i in range(20):
            for f in seeds.glob("*.txt"):
                shutil.copy(f, many / f"{i:02d}_{f.name}")
        chars = sum(len(f.read_text(encoding="utf-8")) for f in many.glob("*.txt"))
        rows = []
        for name, src in (("seeds (5 files)", seeds), (f"seeds x20 (100 files, {chars:,} chars)", many)):
            wall, rss = run(src, tmp / "out")
            rows.append((name, wall, rss))
    print("| input | wall time | peak RSS |")
    print("|---|---|---|")
    for name, wall, rss in rows:
        print(f"| {name} | {wall:.1f} s | {rss:.0f} MB |")


if __name__ == "__main__":
    main()
