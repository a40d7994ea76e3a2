"""Rebuild ``kg/data/links_model.json``: how sure kg is of each way it links a program (``make train``).

Reads the corpus's train part (item numbers ending in 0-6) and its annotations
from ``../shared``; the check part is never read. The train part is extracted as
``kg build`` does (the program judge included: run after ``tools/train_programs.py``),
and each link is scored as the scorer (``../shared/gold/README.md``) would:

- a runner link, among programs whose label names an annotated program of the file:
  right when one of them is run by that union, wrong when none is;
- a place link, among programs matched to a required annotated program: right when
  it matches one of its places, wrong when it matches none and is not the union's
  own locality;
- an amount in yuan: right when the union's sum is annotated, wrong when it is not.

A link matching only optional annotations counts neither way. The precision of each
way is shrunk towards that of all links of its kind (two links' worth), so a way
seen a few times says little. The same inputs give the same file byte for byte.

    python tools/train_links.py
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.evaluate import own_locality  # noqa: E402
from kg.extract.programs.links import AMOUNT_HOWS, PLACE_HOWS, RUNNER_HOWS  # noqa: E402
from kg.pipeline import extract_sources  # noqa: E402

OUT = ROOT / "kg" / "data" / "links_model.json"
PRIOR = 2
"""Links' worth of the kind's precision that each way's precision is shrunk towards."""


def train_files(shared: Path) -> tuple[list[Path], dict]:
    gold = json.loads((shared / "gold" / "corpus.json").read_text(encoding="utf-8"))["files"]
    files = [shared / "corpus" / name for name in sorted(gold)
             if int(name[:3]) % 10 < 7 and (shared / "corpus" / name).is_file()]
    return files, gold


def score_links(extractions, gold: dict) -> dict[str, Counter]:
    """``(kind, way, right)`` counts of every link the extractions make, scored against ``gold``."""
    counts = {"runner": Counter(), "place": Counter(), "amount": Counter()}
    for x in extractions:
        ann = gold.get(x.article.source)
        if ann is None:
            continue
        names = {u["names"][0]: set(u["names"]) for u in ann.get("unions", [])}

        def runs(g: dict, runner: str) -> bool:
            return runner in names.get(g["union"], {g["union"]})

        for p in x.programs:
            named = [g for g in ann.get("programs", []) if any(k in p.label for k in g["keys"])]
            hits = [g for g in named if any(runs(g, r) for r in p.runners)]
            if named and not (hits and all(g.get("optional") for g in hits)):
                counts["runner"][p.runner_how, bool(hits)] += 1
            match = next((g for g in hits if not g.get("optional")), None)
            for pm in p.places if match is not None else ():
                places = match.get("places", [])
                ok = [g for g in places if any(pm.name in n or n in pm.name for n in g["names"])]
                if ok and all(g.get("optional") for g in ok) or not ok and any(own_locality(pm.name, r)
                                                                               for r in p.runners):
                    continue
                counts["place"][pm.how, bool(ok)] += 1
            for a in p.amounts:
                if a.unit != "CNY":
                    continue
                sums = [m for m in ann.get("money", []) if any(runs(m, r) for r in p.runners)
                        and abs(a.value - Decimal(str(m["value"]))) <= abs(Decimal(str(m["value"]))) * Decimal("0.005")]
                if sums and all(m.get("optional") for m in sums):
                    continue
                counts["amount"][a.how, bool(sums)] += 1
    return counts


def precision(counts: Counter, ways: tuple[str, ...]) -> tuple[dict[str, float], dict[str, list[int]]]:
    """Each way's precision, shrunk towards the kind's (``*``), and its ``[right, wrong]`` counts."""
    right, wrong = sum(n for (_, ok), n in counts.items() if ok), sum(n for (_, ok), n in counts.items() if not ok)
    overall = (right + 1) / (right + wrong + 2)
    table, seen = {"*": round(overall, 3)}, {"*": [right, wrong]}
    for way in ways:
        r, w = counts[way, True], counts[way, False]
        if r + w:
            table[way] = round((r + PRIOR * overall) / (r + w + PRIOR), 3)
            seen[way] = [r, w]
    return table, seen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    args = ap.parse_args()
    files, gold = train_files(args.shared)
    counts = score_links(extract_sources(files).extractions, gold)
    data = {"format": "kg-links/1",
            "about": "the precision of each way kg links a program, measured on the corpus's train part by "
                     "tools/train_links.py (make train); a link's ukg:confidence",
            "files": len(files), "precision": {}, "counts": {}}
    for kind, ways in (("runner", RUNNER_HOWS), ("place", PLACE_HOWS), ("amount", AMOUNT_HOWS)):
        data["precision"][kind], data["counts"][kind] = precision(counts[kind], ways)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for kind in ("runner", "place", "amount"):
        print(kind, " ".join(f"{w}={p} ({'/'.join(map(str, data['counts'][kind][w]))})"
                             for w, p in data["precision"][kind].items()))


if __name__ == "__main__":
    main()
