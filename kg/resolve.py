"""Make each union one node across the build.

The extractors name a union from what one article says, and fold the names
within that article; articles differ in how much they say (``柳南区总`` here,
``柳州市柳南区总工会`` there), so the same folding
(:func:`kg.extract.unions.union_aliases`) runs once more over the whole build.
Before that, a bare ``市总工会`` that its article could not settle is settled
from the rest of its file (other articles' unions, datelines, source lines), or
kept with its bare name.
"""

from __future__ import annotations

from dataclasses import replace

from .extract.dates import settle as date_file
from .extract.programs import same_name
from .extract.unions import matches_level, union_aliases
from .gazetteer import divisions_in, gazetteer
from .types import Extraction, UnionMention

def _settle_bare(extractions: list[Extraction]) -> dict[tuple[str, str], UnionMention]:
    """For each (file, bare name), the union the rest of the file settles it to.

    First the unions the file names at that level, when they agree on one
    locality; then the places of the file's bylines, datelines and source lines.
    """
    by_file: dict[str, list[Extraction]] = {}
    for x in extractions:
        by_file.setdefault(x.article.source_key or x.article.source, []).append(x)
    g = gazetteer()
    out: dict[tuple[str, str], UnionMention] = {}
    for key, xs in by_file.items():
        bare = {(u.name, u.level) for x in xs for u in x.unions if u.level}
        if not bare:
            continue
        named = [u for x in xs for u in x.unions if not u.level and u.locality]
        bylines = [(d.name, tuple(p.name for p in g.parents(d)))
                   for x in xs for _i, _s, d in divisions_in(x.article.byline + " " + x.article.title)]
        for name, level in bare:
            rest = name[len(level):]
            fits = {u.locality: u for u in named if matches_level(u.locality, level)}
            if len(fits) == 1:
                u = next(iter(fits.values()))
                out[(key, name)] = UnionMention(u.locality + rest, name, 0, u.locality, u.locality_parents, True)
                continue
            for place, parents in bylines:
                hit = next((c for c in (place, *reversed(parents)) if matches_level(c, level)), None)
                if hit is not None:
                    ps = tuple(parents[: parents.index(hit)]) if hit in parents else parents
                    out[(key, name)] = UnionMention(hit + rest, name, 0, hit, ps, True)
                    break
            else:
                back = any(x.article.full_text[u.start - 1 : u.start] == "该" for x in xs for u in x.unions
                           if u.name == name and u.start > 0)
                d = _named_by_stem(" ".join(x.article.byline + " " + x.article.full_text for x in xs), level,
                                   least=1 if back else 2)
                if d is not None:
                    ps = tuple(p.name for p in g.parents(d))
                    out[(key, name)] = UnionMention(d.name + rest, name, 0, d.name, ps, True)
    return out


def _named_by_stem(text: str, level: str, least: int = 2):
    """The one district or county whose name less its suffix the text writes at least ``least`` times
    (``椒江`` for a bare 区总工会 in a page from 今日椒江), or None. Once is enough for ``该区总工会``,
    which refers back to a district the text has named (``从彭山北站出发``)."""
    if level not in ("区", "县", "旗"):
        return None
    g = gazetteer()
    counts: dict = {}
    for n in (2, 3):
        for i in range(len(text) - n + 1):
            stem = text[i : i + n]
            for d in g.full.get(stem + level, ()):
                if d.level == "county":
                    counts[d] = counts.get(d, 0) + 1
    top = sorted(counts.items(), key=lambda kv: -kv[1])
    if top and top[0][1] >= least and (len(top) == 1 or top[1][1] < top[0][1]):
        return top[0][0]
    return None


def _dated(extractions: list[Extraction]) -> list[Extraction]:
    """Articles and programs dated file by file (:func:`kg.extract.dates.settle`), in their order."""
    by_file: dict[str, list[int]] = {}
    for i, x in enumerate(extractions):
        by_file.setdefault(x.article.source_key or x.article.source, []).append(i)
    out = list(extractions)
    for idx in by_file.values():
        for i, x in zip(idx, date_file([extractions[i] for i in idx])):
            out[i] = x
    return out


_LOOK_BACK = 64
"""How many of a file's programs a later report is compared with: a page reports a program again nearby."""


def _merge_programs(extractions: list[Extraction]) -> list[Extraction]:
    """One program per thing a file reports: a later article's program with a runner and a name in
    common with an earlier article's (``技能竞赛``, ``扶贫车间职业技能竞赛``) is that one reported again."""
    seen_in: dict[str, list] = {}
    out = []
    for x in extractions:
        seen = seen_in.setdefault(x.article.source_key or x.article.source, [])
        programs = []
        for p in x.programs:
            first = next((q for q in reversed(seen[-_LOOK_BACK:]) if q.article != p.article
                          and set(q.runners) & set(p.runners) and same_name(q.label, p.label)), None)
            if first is None:
                seen.append(p)
            else:
                p = replace(p, label=first.label, node=first.node or first.article)
            programs.append(p)
        out.append(replace(x, programs=tuple(programs)) if tuple(programs) != x.programs else x)
    return out


def settle(extractions: list[Extraction]) -> list[Extraction]:
    """What each file settles by itself: its dates, its bare unions from the rest of the file, and
    the programs it reports more than once.

    Works on whole files, in any grouping: ``settle(a + b) == settle(a) + settle(b)`` when no
    file is split between ``a`` and ``b`` (what lets a store settle only the files that changed).
    """
    extractions = _dated(extractions)
    settled = _settle_bare(extractions)
    if not settled:
        return _merge_programs(extractions)
    out = []
    for x in extractions:
        key = x.article.source_key or x.article.source
        new = {u.name: settled[(key, u.name)] for u in x.unions if u.level and (key, u.name) in settled}
        if new:
            unions = tuple(replace(u, name=new[u.name].name, locality=new[u.name].locality,
                                   locality_parents=new[u.name].locality_parents, from_context=True, level="")
                           if u.name in new and u.level else u for u in x.unions)
            programs = tuple(replace(p, runners=tuple(dict.fromkeys(new[r].name if r in new else r
                                                                   for r in p.runners)))
                             for p in x.programs)
            x = replace(x, unions=unions, programs=programs)
        out.append(x)
    return _merge_programs(out)


def union_names(extractions: list[Extraction]) -> set[str]:
    """The settled union names of some extractions: what the build-wide folding reads."""
    return {u.name for x in extractions for u in x.unions if not u.level}


def fold(extractions: list[Extraction], alias: dict[str, str]) -> list[Extraction]:
    """The extractions with union names folded by ``alias`` (:func:`kg.extract.unions.union_aliases`)."""
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


def resolve(extractions: list[Extraction]) -> list[Extraction]:
    """The same extractions with articles and programs dated, bare unions settled from their file,
    and union names folded build-wide."""
    extractions = settle(extractions)
    return fold(extractions, union_aliases(union_names(extractions)))
