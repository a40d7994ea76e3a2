"""Make each union one node across the build.

The extractors name a union from what one article says; articles differ in
how much they say (``柳南区总`` here, ``柳州市柳南区总工会`` there). A name that
ends another, longer name found in the build, where the extra part is a chain
of places or the shorter name is itself specific (an organisation's own union),
is folded into the longer one. Where two longer names would fit, nothing is
folded: better two nodes than a wrong merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .extract.unions import parse_chain
from .types import Extraction

_GENERIC_TAILS = ("总工会", "工会", "工会联合会", "工会联盟", "工会委员会")


def union_aliases(names: Iterable[str]) -> dict[str, str]:
    """Map each union name that should fold into a longer one to that name."""
    names = sorted(set(names), key=lambda n: (-len(n), n))
    out: dict[str, str] = {}
    for short in names:
        longer = [n for n in names if len(n) > len(short) and n.endswith(short)]
        fits = []
        for n in longer:
            extra = n[: len(n) - len(short)]
            if parse_chain(extra) or (len(short) >= 5 and short not in _GENERIC_TAILS
                                      and not parse_chain(short[: -2] or "x")):
                fits.append(n)
        targets = {out.get(n, n) for n in fits}
        if len(targets) == 1:
            out[short] = targets.pop()
    return out


def resolve(extractions: list[Extraction]) -> list[Extraction]:
    """The same extractions with union names folded build-wide."""
    names = {u.name for x in extractions for u in x.unions}
    alias = union_aliases(names)
    if not alias:
        return extractions
    out = []
    for x in extractions:
        unions = tuple(replace(u, name=alias.get(u.name, u.name)) for u in x.unions)
        programs = tuple(
            replace(p, runners=tuple(dict.fromkeys(alias.get(r, r) for r in p.runners)))
            for p in x.programs
        )
        out.append(replace(x, unions=unions, programs=programs))
    return out
