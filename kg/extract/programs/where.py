"""Places of a program: which of the places a text names are where it happens.

A place counts when it follows a locative (``来到滨州街社区``), is a venue, or
continues a list one of those opens; a place that opens another organisation's
name is where that body is; of a chain (``金安区三里桥街道金桥社区``) the most
specific counts, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from ...types import PlaceMention, UnionMention
from .labels import quoted_spans
from .subject import own_unions, recipients


_ORG_AFTER = re.compile(
    r"[\u4e00-\u9fff]{0,12}?(公司|集团|商会|协会|银行|委员会|管委会|事务所|合作社|工作部|研究院|局|厅|党委)")
"""A place that opens an organisation's name (X市Y商会, X市教育局, X社区党委) says where the body is, not the
program."""
_GOES_TO = re.compile(r"(走进|来到|前往|深入|赴|在)$")
"""Before a place, where a program goes: 走进红岛街道青岛红福集团 is in 红岛街道, though a company follows."""
ANAPHOR = re.compile(r"^(这是|这就是|此次|这次|该活动|该项目|活动中|活动期间)")
"""A sentence that names what the one before it described: its places carry over."""

_LOCATIVE = re.compile(r"(在|于|到|赴|来到|走进|深入|前往|进入|落户|位于)$")
_LIST_GAP = re.compile(r"(、[^，。；：！？、]{1,12})*(、|和|及|与|以及)")


def located(text: str, where: list[PlaceMention]) -> list[PlaceMention]:
    """The places where something is said to happen: after a locative (``来到滨州街社区``),
    venues, and the rest of a list one of those opens (``在吾悦广场、职工服务中心、高岳社区``)."""
    out: list[PlaceMention] = []
    for p in where:
        prev = out[-1] if out else None
        gap = text[prev.start + len(prev.surface) : p.start] if prev else None
        if (p.level == "venue" or _LOCATIVE.search(text, max(0, p.start - 2), p.start)
                or gap is not None and (gap == "" or _LIST_GAP.fullmatch(gap))):
            out.append(p)
    return out




def program_places(found: Iterable[PlaceMention], text: str, unions: list[UnionMention]) -> list[PlaceMention]:
    """The places that may be a program's: not inside a union's name (a venue may start with one:
    省总工会工人疗养院) unless the union is one the program reaches, nor in a quoted name, nor one that
    opens another organisation's name."""
    reached = recipients(text, unions)
    inside_unions = {i for u in unions if u.start not in reached for i in range(u.start, u.start + len(u.surface))}
    quoted = {i for a, b in quoted_spans(text, "“”《》", one_line=True) for i in range(a, b)}
    own = {level: name for level, name in own_unions(unions).items() if level in "省市县区"}
    found = [_own_site(p, own, unions) for p in found]
    return [p for p in found
            if (p.start not in inside_unions or p.level == "venue") and p.start not in quoted
            and not (_ORG_AFTER.match(text, p.start + len(p.surface)) and not _GOES_TO.search(text, max(0, p.start - 3), p.start)
                     and p.level != "venue")]


def _own_site(p: PlaceMention, own: dict[str, str], unions: list[UnionMention]) -> PlaceMention:
    """A site named from its level alone (市职工服务中心) is the article's own city's, as 市总工会 is: named
    with the locality of the article's own federation of that level (:func:`.subject.own_unions`)."""
    if p.level != "venue" or p.name[0] not in own or p.parents:
        return p
    federation = next(u for u in unions if u.name == own[p.name[0]])
    return replace(p, name=federation.locality + p.name[1:], parents=(*federation.locality_parents, federation.locality))


def most_specific(places: list[PlaceMention], enclosing: set[str], text: str) -> tuple[PlaceMention, ...]:
    """Each place once, less those that enclose the runner, a place written as the head of a chain
    (金安区三里桥街道金桥社区 and 东兰县的板逢村 give 金桥社区 and 板逢村; 支持A省、B省 keeps A省 though
    A省C市 precedes it), and those inside a venue's name (天津阳光赐来福车料有限公司 is in 天津市: its
    chain says so)."""
    seen: set[str] = set()
    kept: list[PlaceMention] = []
    venues = [(v.start, v.start + len(v.surface)) for v in places if v.level == "venue"]
    after = {(q.start, name) for q in places if q.level != "venue" for name in q.parents}
    for p in places:
        end = p.start + len(p.surface)
        end += text.startswith("的", end)
        if p.name in seen or p.name in enclosing or (end, p.name) in after or (
                p.level != "venue" and any(a <= p.start < b for a, b in venues)):
            continue
        seen.add(p.name)
        kept.append(p)
    return tuple(kept)
