"""How often the money the gold marks optional carries a role other than ``total`` in kg's graph.

The gold (``../shared/gold/corpus.json``, GUIDE.md) marks as optional the amounts that are
per-person standards, range ends, totals over years, and money a union receives or reports
for others: none of them is a program's money. Each optional money item (union, yuan) is
matched, as ``kg evaluate`` matches money, to the graph's CNY amounts of the programs that
union runs in that file (value within 0.5 %); an item counts as kept out of the totals when
none of its matched amounts has the role ``total``. The required items are checked the
other way round (how many of them are totals), so that the figure is not bought by giving
every amount another role.

    python benchmarks/money_roles.py          # the figures, whole corpus and by part
    python benchmarks/money_roles.py --list   # and, in the train part, each matched optional item and
                                              # each required one that is not a total

Item numbers ending in 7-9 are the check part: only their aggregate is printed.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from kg.evaluate import load_gold  # noqa: E402
from kg.pipeline import extract_sources  # noqa: E402

AMOUNTS = """
SELECT ?file ?union ?yuan ?role ?text WHERE {
  ?u a ukg:Union ; rdfs:label ?union ; ukg:runs ?p .
  ?p prov:wasDerivedFrom/ukg:sourceFile ?file ; ukg:amount ?a .
  ?a ukg:unit "CNY" ; ukg:value ?yuan ; ukg:text ?text .
  OPTIONAL { ?a ukg:amountRole ?r }
  BIND(COALESCE(?r, "") AS ?role)
}"""


def part(name: str) -> str:
    return "train" if int(name[:3]) % 10 <= 6 else "check"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--list", action="store_true",
                    help="print the train part's matched optional items and its required ones that are not totals")
    args = ap.parse_args()
    from kg.sparql import run_query

    graph = extract_sources([SHARED / "corpus"]).graph
    gold = load_gold(SHARED / "gold" / "corpus.json")
    found: dict[tuple[str, str], list[tuple[Decimal, str, str]]] = defaultdict(list)
    for row in run_query(graph, AMOUNTS).rows:
        found[(row["file"], row["union"])].append((Decimal(str(row["yuan"])), row["role"], row["text"]))

    counts: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0])  # (part, optional) → [matched, as expected]
    for fname, ann in sorted(gold["files"].items()):
        names = {g["names"][0]: g["names"] for g in ann.get("unions", [])}
        for item in ann.get("money", []):
            value = Decimal(str(item["value"]))
            hits = [(v, role, text) for name in names.get(item["union"], [item["union"]])
                    for v, role, text in found.get((fname, name), ())
                    if abs(v - value) <= abs(value) * Decimal("0.005")]
            if not hits:
                continue
            optional = bool(item.get("optional"))
            kept_out = all(role != "total" for _, role, _ in hits)
            for key in ((part(fname), optional), ("all", optional)):
                counts[key][0] += 1
                counts[key][1] += kept_out if optional else not kept_out
            if args.list and part(fname) == "train" and (optional or kept_out):
                mark = ("ok   " if kept_out else "TOTAL") if optional else "REQUIRED, NOT TOTAL"
                said = "、".join(f"{text} ({role})" for _, role, text in hits)
                print(f"{mark} {fname} {item['union']} {value}: {said}")
    print("| part | optional items matched | with a role other than total | required items matched | with role total |")
    print("|---|---|---|---|---|")
    for p in ("all", "train", "check"):
        (om, ok), (rm, rk) = counts[(p, True)], counts[(p, False)]
        print(f"| {p} | {om} | {ok} ({ok / om:.0%}) | {rm} | {rk} ({rk / rm:.0%}) |" if om and rm else f"| {p} | – |")


if __name__ == "__main__":
    main()
