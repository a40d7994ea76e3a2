"""Places: divisions from the gazetteer, and towns, streets, villages and zones below them.

Divisions are found by their full or press names (``福建``, ``临夏州``). Below
the county, a name is read from a boundary (punctuation, a preposition, the
end of a division) up to a place suffix (``宋家沟乡``, ``上村``, ``亚父街道``),
and refused when its stem reads as ordinary words (``帮扶村``, ``城乡``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from functools import lru_cache

from ..gazetteer import divisions_in, gazetteer
from ..nlp import pos_cut
from ..types import Article, PlaceMention

SUB_SUFFIXES = ("街道", "社区", "高新区", "开发区", "经开区", "新区", "镇", "乡", "村", "嘎查", "苏木")
_SUFFIX = re.compile("|".join(SUB_SUFFIXES))
_SUFFIX_AHEAD = re.compile("(?=%s)" % "|".join(SUB_SUFFIXES))
SUFFIX_START = re.compile("[%s]" % "".join(sorted({s[0] for s in SUB_SUFFIXES})))
"""A character a suffix starts with: where none is near, no name below the county ends."""
_SUB_LEVEL = {"街道": "town", "镇": "town", "乡": "town", "苏木": "town",
              "社区": "village", "村": "village", "嘎查": "village",
              "高新区": "zone", "开发区": "zone", "经开区": "zone", "新区": "zone"}

_BOUNDARY = set("的在和与及由是了为对向把被将经从到让给同跟等以于其各每此这那个入驻进赴来去回至往有但也并又更让据受着")
_INSIDE_NAME = re.compile(r"各庄")
"""A boundary character that is inside a place name here: 各 of 霍各庄, 马各庄 (northern village names)."""
_NOT_AFTER = {"乡": "村镇亲土情愁音贤", "村": "庄落级委", "镇": "村"}
"""A suffix followed by one of these is part of a longer word (乡村, 村落), not a place."""
_HAN = re.compile(r"[\u4e00-\u9fff]")
_STOP_STEMS = {
    "农", "乡", "山", "整", "驻", "本", "全", "邻", "该", "进", "回", "出", "城", "集", "小",
    "家", "老", "下", "返", "故", "异", "各", "每", "此", "这", "那", "村", "社", "街", "新",
    "大", "中", "重", "名", "古", "边", "外", "空", "强", "富", "美", "好",
}
_STOP_ENDINGS = {
    "贫困", "帮扶", "示范", "重点", "试点", "结对", "城市", "美丽", "文明", "特色", "旅游",
    "产业", "搬迁", "移民", "行政", "自然", "农业", "乡镇", "城乡", "新农", "所在", "周边",
    "当地", "附近", "全国", "全省", "全市", "全县", "基层", "偏远", "深度", "定点", "脱贫",
    "农村", "乡村", "家乡", "城镇", "小康", "数字", "智慧", "平安", "和谐", "幸福", "生态",
}
_COMMON = {
    "农村", "乡村", "整村", "走村", "全村", "山村", "渔村", "邻村", "进村", "驻村", "回村", "出村",
    "下乡", "返乡", "城乡", "老乡", "家乡", "故乡", "乡镇", "城镇", "小镇", "集镇", "重镇", "古镇",
}
"""Two-character words that end in a place suffix but name no place."""
_NOT_FIRST = set("年月日户个名家位人次元万亿多总")
MAX_STEM = 7
MAX_CHAIN = 8
"""The most places a place is named inside (省 市 县 乡 村 and a few more): a line of place words
(社区社区社区…) nests no deeper, so a mention's chain, and the graph's walk of it, stay short."""


_MEASURES = set("场个次名批项位届期件")
"""Measure words: a numeral before one counts things (一场, 两个), unlike 三里 in 三里桥."""
_PROPER = ("ns", "nr", "nz", "nrt")
"""What jieba calls a proper name."""


@lru_cache(maxsize=1 << 16)
def _stem_ok(stem: str) -> bool:
    """Whether ``stem`` may open a place name: no stop word or ending, no verb or adjective among its words
    (cached: a page dense with place words asks of the same few stems thousands of times)."""
    if not stem or stem in _STOP_STEMS or any(stem.endswith(e) for e in _STOP_ENDINGS):
        return False
    if not all(_HAN.match(c) for c in stem) or stem[0] in _NOT_FIRST:
        return False
    if len(stem) == 1:
        return True
    common = False  # a common noun read so far: a proper name after it is another word's (督导永定门街道)
    for word, flag in pos_cut(stem):
        if common and len(word) >= 2 and flag in _PROPER:
            return False
        common = common or len(word) >= 2 and flag in ("n", "vn")
        if flag[:1] == "m" and len(word) >= 2 and word[-1] in _MEASURES:
            return False  # 一场, 两个: how many, never part of a name
        if flag[:1] == "m" and len(stem) >= 3 or _INSIDE_NAME.fullmatch(word):
            continue  # 三里桥, 八里庄: numerals inside a name; 霍各庄
        if len(word) >= 2 and flag[:1] in ("v", "a", "d", "p", "c", "u", "r", "m", "q", "t", "l"):
            return False
    return True


def _sub_place_at(text: str, b: int, listed: bool = False) -> tuple[str, str] | None:
    """A sub-county place name starting at boundary ``b``: ``(name, suffix)``.

    ``listed``: the name stands in a list of places (``九王庄村、西霍各庄村``), which vouches
    for a stem that alone might read as words; only the suffix must follow it.
    """
    for n in range(1, MAX_STEM + 1):
        c = text[b + n - 1 : b + n]
        if not c or not _HAN.match(c) or (c in _BOUNDARY and not _INSIDE_NAME.match(text, b + n - 1)):
            return None
        m = _SUFFIX.match(text, b + n)
        if m is None:
            continue
        suf = m.group(0)
        after = text[m.end() : m.end() + 1]
        if after and after in _NOT_AFTER.get(suf, ""):
            continue
        stem = text[b : b + n]
        if (stem + suf)[-2:] not in _COMMON and (_stem_ok(stem) or listed and len(stem) >= 2
                                                 and _SUFFIX.match(text, b + n) and stem[0] not in _NOT_FIRST
                                                 and not any(stem.endswith(e) for e in _STOP_ENDINGS)):
            return stem + suf, suf
    return None


def _in_a_list(text: str, start: int, end: int, ends: dict) -> bool:
    """Whether ``text[start:end]`` is an item of a list of places: a place ends before its 、, or one follows."""
    if text[start - 1 : start] == "、" and (start - 1) in ends:
        return True
    return text[end : end + 1] == "、" and _sub_place_at(text, end + 1) is not None


VENUE = re.compile(
    r"(?:在|于|走进|来到|进入|深入|赴|到)(?P<venue>[\u4e00-\u9fff]{2,16}?"
    r"(?:工人文化宫|文化宫|博物馆|纪念馆|展览馆|图书馆|体育馆|体育中心|体育场|广场|公园|中学|小学|大学|学院|"
    r"学校|医院|会堂|礼堂|剧院|电影院|影院|俱乐部|活动中心|服务中心|产业园|工业园|创业园))"
)
"""A named venue after a preposition of place: ``在福州市工人文化宫举行``, ``走进阜阳市第二十中学``.
Kept only when its name starts with a place, which also gives its ``partOf`` chain."""


_SITE_NAME = (r"[\u4e00-\u9fff]{2,14}?"
              r"(?:宾馆|酒店|饭店|大酒店|枢纽|工业园|产业园|科技园|公园|广场|车站|东站|西站|南站|北站|火车站|"
              r"会展中心|展览中心|文化中心|创意园|疗养院|休养院|有限公司|有限责任公司|股份公司|集团|工厂)")
_SITE_AHEAD = r"(?=[\u4e00-\u9fff]{0,8}?(?:举行|举办|开展|召开|开幕|启动|内|里|门前|站前|项目|施工|建设|现场|，|。|、|参观|慰问|看望|为|向))"
SITE = re.compile(
    rf"(?:在|于|走进|来到|前往|深入|赴|(?<=先后)到|(?<=分别)到)(?P<venue>{_SITE_NAME}){_SITE_AHEAD}"
)
"""A named site after a preposition of place, whatever its name starts with: ``在南艳湖公园举行``,
``走进北京城市副中心综合交通枢纽``, ``在尤溪宾馆举办``: where the program happens. Halls and
museums (``工匠博物馆``) are often named by what they hold, so they need a place in their name (:data:`VENUE`)."""
_NEXT_SITE = re.compile(rf"、(?P<venue>{_SITE_NAME}){_SITE_AHEAD}")
"""The next of a list of sites (先后到A有限公司、B有限公司、C集团): each is where the program went."""
HELD_AT = re.compile(
    r"在(?P<venue>[\u4e00-\u9fff]{4,18}?)(?=(?:隆重|正式|顺利|成功|集中|联合|共同)?"
    r"(?:举行|举办|开展|启动|召开|开幕|开班|开营|揭牌|开赛))"
)
"""Wherever something is held, whatever it is called: ``在通用机械厂四车间举办``, ``在银昆高速…施工现场启动``,
``在金鹏广场和琅琊山庙会举办`` (each of a list)."""
_NOT_A_SITE = re.compile(r"^(该|此|各|全|本|这|那|其|每|线上|线下|网上|基层|一线)|(期间|前夕|之际|以来|之时|范围|之中|"
                         r"活动|仪式|形式|方式|基础|过程|层面|领域|方面|地区|之间|时|后|前|内|中|上|下|里)$")
_SITE_FLAGS = ("n", "ns", "nt", "nz", "nr", "j", "l", "eng")
_COMPANY_TAIL = re.compile(r"(股份)?有限(责任)?公司")
_GENERIC_SITES = {"公园", "广场", "文化中心", "车站", "酒店", "宾馆"}


def extract(article: Article, found: Mapping[str, tuple] | None = None) -> Iterator[PlaceMention]:
    """Every place named in the article's headlines and body, in text order."""
    text = article.full_text
    g = gazetteer()
    ends: dict[int, tuple[str, ...]] = {}
    out: list[PlaceMention] = []
    for i, surface, d in divisions_in(text):
        chain = tuple(p.name for p in g.parents(d))
        out.append(PlaceMention(d.name, surface, i, d.level, chain))
        ends[i + len(surface)] = (*chain, d.name)

    siblings: dict[int, tuple[str, ...]] = {}  # where a listed place ends: what encloses it, and the next item
    covered = {k for p in out for k in range(p.start, p.start + len(p.surface))}
    # a name can start only within a stem's length before a suffix: look there, not everywhere
    near = sorted({b for m in _SUFFIX_AHEAD.finditer(text) for b in range(max(0, m.start() - MAX_STEM), m.start())})
    past = 0
    for i in near:
        if i < past or i in covered:
            continue
        boundary = (i == 0 or text[i - 1] in _BOUNDARY and not _INSIDE_NAME.match(text, i - 1)
                    or not _HAN.match(text[i - 1]) or i in ends)
        if not boundary:
            continue
        m = _sub_place_at(text, i)
        if m is None:
            m = _sub_place_at(text, i, listed=True)
            if m is None or not _in_a_list(text, i, i + len(m[0]), ends):
                continue
        name, suf = m
        if any(k in covered for k in range(i, i + len(name))):
            continue
        # 东兰县板逢村, 东兰县的板逢村、鸾坡村: each village lies in 东兰县
        parents = ends.get(i) or (ends.get(i - 1) if text[i - 1 : i] == "的" else None) or (
            siblings.get(i - 1, ()) if text[i - 1 : i] == "、" else ())
        parents = parents[-MAX_CHAIN:]
        out.append(PlaceMention(name, name, i, _SUB_LEVEL[suf], parents))
        ends[i + len(name)] = (*parents, name)
        siblings[i + len(name)] = parents
        past = i + len(name)
    out.sort(key=lambda p: p.start)
    starts = [p.start for p in out]
    venues = []
    for m in VENUE.finditer(text):
        name = m.group("venue")
        lo = bisect_left(starts, m.start("venue"))
        inside = [p for p in out[lo : bisect_left(starts, m.end("venue"), lo)]
                  if p.start + len(p.surface) <= m.end("venue")]
        if not inside or inside[0].start != m.start("venue") or inside[-1].surface == name:
            continue  # only venues named with their place: 福州市工人文化宫, not a bare 工匠博物馆
        parents = (*inside[-1].parents, inside[-1].name) if inside else ()
        venues.append(PlaceMention(name, name, m.start("venue"), "venue", parents))
    named = {v.start for v in venues}
    for m in _sites(text):
        name = m.group("venue")
        if m.start("venue") in named or name[0] in "该此各全本这那其每" or "的" in name or name in _GENERIC_SITES:
            continue
        lo = bisect_left(starts, m.start("venue"))
        inside = [p for p in out[lo : bisect_left(starts, m.end("venue"), lo)]
                  if p.start + len(p.surface) <= m.end("venue")]
        parents = (*inside[-1].parents, inside[-1].name) if inside else ()
        tail = _COMPANY_TAIL.match(text, m.end("venue"))
        if tail:
            name += tail.group(0)  # 青岛红福集团有限公司: the company's whole name
        at = m.start("venue")
        if inside and inside[0].start == at and inside[0].level in ("town", "village"):
            # 走进红岛街道青岛红福集团: a site in a street, not one named after it
            at += len(inside[0].surface)
            name = name[len(inside[0].surface):]
            if len(name) < 4 or name in _GENERIC_SITES:
                continue
        venues.append(PlaceMention(name, name, at, "venue", parents))
    named |= {v.start for v in venues}
    for m in HELD_AT.finditer(text):
        at = m.start("venue")
        for part in re.split(r"(和|及|、)", m.group("venue")):
            if part in ("和", "及", "、"):
                at += len(part)
                continue
            if at not in named and _site(part):
                lo = bisect_left(starts, at)
                inside = [p for p in out[lo : bisect_left(starts, at + len(part), lo)]
                          if p.start + len(p.surface) <= at + len(part)]
                if not (inside and inside[0].start == at and inside[0].surface == part):  # a place already
                    parents = (*inside[-1].parents, inside[-1].name) if inside else ()
                    venues.append(PlaceMention(part, part, at, "venue", parents))
            at += len(part)
    out.extend(venues)
    out.sort(key=lambda p: p.start)
    yield from out


def _sites(text: str) -> Iterator[re.Match]:
    """:data:`SITE` matches, each followed by the rest of the list it opens."""
    for m in SITE.finditer(text):
        yield m
        end = m.end("venue")
        while (nxt := _NEXT_SITE.match(text, end)) is not None:
            yield nxt
            end = nxt.end("venue")


@lru_cache(maxsize=1 << 12)
def _site(name: str) -> bool:
    """Whether a name between 在 and 举办 is a site: four characters or more, no time or manner
    (期间, 形式) nor a relative clause (的), ending in a noun."""
    if len(name) < 4 or "的" in name or _NOT_A_SITE.search(name):
        return False
    return pos_cut(name)[-1].flag.startswith(_SITE_FLAGS)
