"""Make each union one node across the build.

The extractors name a union from what one article says, and fold the names
within that article; articles differ in how much they say (``柳南区总`` here,
``柳州市柳南区总工会`` there), so the same folding
(:func:`kg.extract.unions.union_aliases`) runs once more over the whole build.
"""

from __future__ import annotations

from dataclasses import replace

from .extract.unions import union_aliases
from .types import Extraction

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
