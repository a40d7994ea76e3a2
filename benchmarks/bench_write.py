"""Writing a large graph: kg's sorted writer against pyoxigraph's bulk load of the same N-Triples.

    python benchmarks/bench_write.py [TRIPLES]        (default: 1000000)

The triples are a real build's (the seeds and ../shared/corpus when present) copied with their
IRIs suffixed until there are TRIPLES of them, so the graph has kg's shape: long Chinese IRIs,
many literals, subjects with a dozen properties. Times, best of three, in one process:
``turtle_of`` on the list held in memory; :class:`kg.export.SortedTriples` (what ``kg build``
uses: sorted runs on disk, merged) to Turtle and to N-Triples; pyoxigraph's ``Store.bulk_load``
of the N-Triples file (into an in-memory store). Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"


def graph_of(n: int) -> list:
    """``n`` distinct triples of kg's shape."""
    import pyoxigraph as ox

    from kg.pipeline import extract_sources

    sources = [ROOT / "seeds"] + ([CORPUS] if CORPUS.is_dir() else [])
    base = extract_sources(sources).triples
    out, k = [], 0
    while len(out) < n:
        def copy(t, k=k):
            return ox.NamedNode(f"{t.value}-{k}") if isinstance(t, ox.NamedNode) and "/id/" in t.value else t
        out += [ox.Triple(copy(t.subject), t.predicate, copy(t.object)) for t in base]
        k += 1
    return out[:n]


def best(fn, times: int = 3) -> float:
    out = []
    for _ in range(times):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def main(n: int) -> None:
    import pyoxigraph as ox

    from kg.export import SortedTriples, turtle_of

    triples = graph_of(n)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        nt = tmp / "g.nt"
        ox.serialize(triples, output=str(nt), format=ox.RdfFormat.N_TRIPLES)
        size = nt.stat().st_size

        def sorted_write(method: str):
            def go():
                runs = SortedTriples(tmp)
                for i in range(0, len(triples), 5_000):
                    runs.extend(triples[i : i + 5_000])
                getattr(runs, method)(tmp / "out")
                runs.close()
            return go

        rows = [
            ("`turtle_of`, the list in memory (`kg export`)", best(lambda: turtle_of(triples))),
            ("`SortedTriples` to Turtle (`kg build`: runs on disk, merged)", best(sorted_write("write_turtle"))),
            ("`SortedTriples` to N-Triples", best(sorted_write("write_ntriples"))),
        ]
        load = best(lambda: ox.Store().bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES))
    print(f"### Writing {n:,} triples ({size:,} bytes of N-Triples)\n")
    print("| writer | seconds | against the bulk load |\n|---|---|---|")
    for name, sec in rows:
        print(f"| {name} | {sec:.2f} | {sec / load:.2f}x |")
    print(f"| pyoxigraph `Store().bulk_load` of the same N-Triples | {load:.2f} | 1.00x |")
    print(f"\npeak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
