"""Unions: every mention, resolved to one canonical full name.

jieba never tags a union (``陕西省/ns 总工会/n``), so mentions are found from
their tails: ``总工会``, ``工会联合会``, ``工会联盟``, ``工会(工作)委员会``, ``工会`` and the
press's short ``X总`` (``青岛市总``). What stands before the tail decides the name:

- a chain of places (``泰安市泰山区``, ``巢湖亚父街道``, ``临夏州``), expanded to
  full names: ``临夏州总工会`` → ``临夏回族自治州总工会``;
- an organisation (``淮北矿业集团朱仙庄矿``), read back word by word with jieba;
- nothing but a level (``市总``, ``省总工会``, ``州总工会``): resolved from the
  article's own locality, first from the unions it names, then from its places.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..gazetteer import Division, choose, divisions_in, gazetteer
from ..nlp import cut, pos_cut, pos_tokenizer, runs_on, straddles
from ..types import Article, UnionMention
from . import places as _places

NATIONAL = "中华全国总工会"
_TAILS = ("工会联合总会", "工会联合会", "工会工作委员会", "工会委员会", "工会联盟", "工会")
_ZONES = ("经济技术开发区", "高新技术产业开发区", "高新技术开发区", "经济开发区", "工业园区", "产业园区", "综合保税区",
          "保税区", "高新区", "开发区", "经开区", "新区", "园区", "高区")
"""How a zone's name ends after its place's, the longer forms first (白山经济开发区: not 白山 and 经济…)."""
_NOT_AFTER_ZONG = set("结体书经监量数额计共投规裁站队院公厂值是算之的而要能局统理指台署社馆长师价产收支"
                      "成分务人面里行部目揽干冠决动评工调编会账")
_LEVELS = ("自治区", "自治州", "省", "市", "县", "区", "州", "旗")
_ORG_END = re.compile(
    r"(公司|集团|矿|厂|医院|学校|中学|小学|大学|学院|局|银行|中心|站|所|院|协会|商会|行业|系统|车间|"
    r"机关|场|馆|店|部|队|处|园|村|社区|街道|镇|乡|分会|企业|委员会|基地|港|总站|集团有限公司|报社|出版社|合作社|电视台|电台|(?<![阶手地路时片身])段|海关|管委会|监狱|服务区|(?<=[一二三四五六七八九十])[中小]|职院|职校|技校|卫校)$"
)
_GENERIC = {"基层", "各级", "当地", "兄弟", "外地", "企业", "全国", "全省", "全市", "全县", "本级", "上级",
            "所在", "职工", "会员", "非公", "所属", "各", "该", "本", "其", "乡镇", "村", "社区", "街道",
            "机关", "行业", "系统", "产业", "村级", "乡村", "镇", "乡", "园区", "新区", "单位"}
_LEAD_VERBS = {"联合", "组织", "协调", "指导", "支持", "帮助", "推动", "会同", "带领", "邀请", "走访", "慰问",
               "参加", "参与", "成立", "组建", "依托", "通过", "来到", "深入", "发动", "号召", "督促", "鼓励",
               "引导", "动员", "要求", "指派", "委托", "携手", "牵头", "举办", "开展", "召开", "表彰"}
"""Verbs that stand before an organisation's name; any other two-character verb may be inside one (快递)."""
_NOUNISH = ("n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "j", "eng", "vn", "an", "b", "l")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_UNITS = set("局处厂院所队师团")
"""A numbered unit of an organisation (十二局, 三处): one word to jieba, a numeral."""
_NUMBERED = re.compile(r"[一二三四五六七八九十]{1,2}")
"""A numeral inside a name, between its parent and a unit (X局一公司, X集团五公司): the unit's number."""
_NUMBERED_SCHOOL = re.compile(r"[一二三四五六七八九十]{1,2}[中小]")
"""A numbered school said short (X一中, X三小): one word to jieba, which calls it a place."""


@dataclass(frozen=True)
class _Link:
    """One element of a place chain."""

    name: str
    surface: str
    division: Division | None = None


_UNLISTED = re.compile(r"(?<=[市州盟])([\u4e00-\u9fff]{2,3}?)(区|县|旗)")


def unlisted_divisions(text: str) -> set[str]:
    """Districts and counties the gazetteer lacks, seen right after a listed city (``深圳市坪山区``)."""
    g = gazetteer()
    out = set()
    for m in _UNLISTED.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        name = m.group(0)
        if (g.candidates(name, free_text=False) or g.match_at(m.group(1) + m.group(2), 0, free_text=False)
                or m.group(1)[0] in "和与及" or g.candidates(name[1:], free_text=False)):
            continue  # X市和Y区, X市赴Y区: two places and a word between, not a district named 和Y or 赴Y
        after_city = any(g.full.get(before[-n:], [None])[0] is not None
                         and g.full[before[-n:]][0].level == "city" for n in range(2, len(before) + 1))
        if after_city and _places._stem_ok(m.group(1)):
            out.add(name)
    return out


def parse_chain(s: str, unlisted: frozenset[str] | set[str] = frozenset()) -> list[_Link] | None:
    """Read ``s`` wholly as a chain of places, or return None.

    ``unlisted`` names divisions missing from the gazetteer that the text itself vouches for.
    """
    g = gazetteer()
    out: list[_Link] = []
    i = 0
    while i < len(s):
        hit = next((u for u in unlisted if s.startswith(u, i)), None)
        if hit is not None:
            out.append(_Link(hit, hit))
            i += len(hit)
            continue
        m = g.match_at(s, i, free_text=False)
        if m is not None:
            surface, cands = m
            d = choose(cands, [x.division for x in out if x.division])
            if out and out[-1].division is not None and out[-1].division.level == "county":
                return None  # 会同浑江区: a county encloses no county or city; the chain starts later
            out.append(_Link(d.name, surface, d))
            i += len(surface)
            continue
        for z in _ZONES:
            if s.startswith(z, i) and out:
                out.append(_Link(z, z))
                i += len(z)
                break
        else:
            sub = _places._sub_place_at(s, i)
            if sub is None:
                return None
            out.append(_Link(sub[0], sub[0]))
            i += len(sub[0])
    return out or None


@lru_cache(maxsize=1 << 16)
def _starts_in(window: str) -> tuple[int, ...]:
    """Where jieba starts a word in a short window: the same few words lead up to many unions' names."""
    out, pos = [], 0
    for w in cut(window):
        out.append(pos)
        pos += len(w)
    return tuple(out)


def _chain_before(text: str, end: int, unlisted: set[str] = frozenset()) -> tuple[int, tuple[_Link, ...]] | None:
    """The longest place chain that ends exactly at ``end`` and starts at a word boundary."""
    first = max(0, end - 24)
    hit = _chain_in(text[first:end], frozenset(unlisted))
    return None if hit is None else (first + hit[0], hit[1])


@lru_cache(maxsize=1 << 14)
def _chain_in(window: str, unlisted: frozenset[str]) -> tuple[int, tuple[_Link, ...]] | None:
    """:func:`_chain_before` within the 24 characters read back (cached: the same few words lead up to
    many unions' names, and the chain depends on them alone)."""
    end = len(window)
    starts = set(_starts_in(window)) | {0}
    names = {m.start() for m in gazetteer().name_start.finditer(window)}
    for k in sorted(starts):
        if k >= end or not _HAN.match(window[k]):
            continue
        if (k not in names and not _places.SUFFIX_START.search(window, k + 1, min(end, k + _places.MAX_STEM + 1))
                and not any(window.startswith(u, k) for u in unlisted)):
            continue  # no division, street or village can start here
        chain = parse_chain(window[k:end], unlisted)
        if chain and (chain[0].division is None or chain[0].surface == chain[0].division.name
                      or len(chain) == 1 or k + len(chain[0].surface) in starts):
            return k, tuple(chain)  # …but not a place's short name ending inside a word (从江 of 从江源区)
    return None


def canonical_place(chain: list[_Link]) -> tuple[str, tuple[str, ...]]:
    """The place part of a union's name, and its enclosing places.

    Provinces are dropped before a city, and cities before a county; a
    district keeps its city (``柳州市柳南区``), a street or zone the nearest
    division before it (``巢湖市亚父街道``), a community or village its street
    or town too.
    """
    g = gazetteer()
    last = chain[-1]
    if last.division is not None:
        d = last.division
        parents = tuple(p.name for p in g.parents(d))
        if d.level == "county" and d.name.endswith("区"):
            city = next((x.division for x in reversed(chain[:-1])
                         if x.division is not None and x.division.level == "city"), None)
            if city is not None:
                return city.name + d.name, parents
        return d.name, parents
    before = next((x for x in reversed(chain[:-1]) if x.division is not None), None)
    if before is None:
        return "".join(x.name for x in chain), ()
    parents = (*[p.name for p in g.parents(before.division)], before.name)
    if last.name.endswith(_ZONES):  # 临江新区, 通化东昌经开区: a zone's name as written, without its province
        return "".join(x.surface for x in chain if x.division is None or x.division.level != "province"), parents
    after = chain[max(i for i, x in enumerate(chain) if x is before) + 1 :]
    return before.name + "".join(x.name for x in after), parents  # 浑江区板石街道梧桐社区: a street keeps its community


_DIVISION_SUFFIXES = {"街道", "镇", "乡", "街"}
_WRITTEN = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:县|区|镇|乡|街道|街|旗))$")


def _written_division_before(text: str, end: int) -> tuple[int, str, tuple[str, ...]] | None:
    """A division the gazetteer lacks, as the text writes it before 总工会 (西营门街总工会,
    宝坻区霍各庄镇总工会): ``(start, place, enclosing places)``, read back word by word while
    the words are names, so that 开展了 or 这次 never join it."""
    window = text[max(0, end - 12) : end]
    if not _WRITTEN.search(window):
        return None
    words = pos_cut(window)
    k, right = end, ""
    for w, flag in reversed(words):
        suffix = k == end and w in _DIVISION_SUFFIXES  # X街道总工会: 街道 ends the name, it is no generic word here
        if (not all(_HAN.match(c) for c in w) or flag[:1] in ("v", "u", "p", "r", "c", "d", "m", "q", "f", "t")
                or flag[:1] == "z" and len(w) > 1 or _manner_and_verb(w, flag) or w in _GENERIC and not suffix
                or right == "ns" and (flag == "a" or flag == "n" and len(w) > 1 and not _placelike(w))):
            # 落实X市, 督导X区: a word before a place is no part of it (玲珑街道 is; 龙岗区 is a place jieba
            # calls a noun)
            break
        k, right = k - len(w), flag
    name = text[k:end]
    if (len(name) < 3 or not _WRITTEN.search(name) or name in _LEVELS or name in _ZONES
            or name in ("自治区", "自治州", "自治县") or collective(text, k)):
        return None
    head = gazetteer().match_at(name, 0, free_text=False)
    if head and len(head[0]) < len(name):
        d = choose(head[1], [])
        return k, name, (*[p.name for p in gazetteer().parents(d)], d.name)
    return k, name, ()


_PLACE_ENDS = _LEVELS + tuple(sorted(_DIVISION_SUFFIXES))


def _placelike(word: str) -> bool:
    """Whether a word is a division's name, or written as one (with its level's suffix)."""
    return word.endswith(_PLACE_ENDS) or bool(gazetteer().candidates(word))


def _stops_name(word) -> bool:
    """Whether a word read backwards ends a name: a particle, preposition, pronoun or quantifier
    (据, 在, 的), whatever else jieba might call it."""
    return len(word.word) == 1 and (word.word in _NOT_IN_NAME or word.flag == "p" or word.flag.startswith("u"))


def _unknown_name_run(words: list, i: int, before: str) -> bool:
    """Whether the single character ``words[i]`` is in a run of at most three that opens a name:
    the run starts the text read (after punctuation, not a digit: 5月起), follows a place, or follows
    a word that ends a name (据X公司工会介绍, 在X公司工会的指导下)."""
    if _stops_name(words[i]):
        return False
    lo = i
    while lo > 0 and len(words[lo - 1].word) == 1:
        lo -= 1
    hi = i
    while hi + 1 < len(words) and len(words[hi + 1].word) == 1:
        hi += 1
    run = "".join(words[j].word for j in range(lo, hi + 1))
    if len(run) > 3 or any(c in _NOT_IN_NAME for c in run):
        return False
    return (lo == 0 and not before.isdigit()) or lo > 0 and words[lo - 1].flag == "ns"


def _manner_and_verb(word: str, flag: str) -> bool:
    """Whether a four-character word jieba calls a noun is a manner and a verb (大力支持, 全力配合): the
    clause's predicate before a name, never part of it."""
    if len(word) != 4 or flag not in ("n", "nr", "l", "i"):
        return False
    tags = pos_tokenizer().word_tag_tab
    return tags.get(word[2:]) == "v" and tags.get(word[:2]) in ("a", "ad", "d", "n")


def _before_opener(taken: list[tuple[str, str]], flag: str) -> bool:
    """Whether a word tagged ``flag`` before the name read so far is outside it: a verb before a proper name
    jieba knows (a place, an organisation, a brand) opens no name (实地察看X大学工会,
    启动临江X公司工会, 调研国家电网X公司工会). (A person's name before one is not read so: jieba calls parts
    of organisations' names people's.)"""
    if not taken or len(taken[0][0]) < 2:
        return False
    return taken[0][1] in _PROPER and flag in ("v", "vn")


_PROPER = ("ns", "nt", "nz")
"""What jieba calls a proper name: a place, an organisation, another name (not its abbreviations: 通信 is one)."""


def _central(words: list, i: int) -> bool:
    """Whether ``words[i]`` is (part of) a central enterprise's short name before its unit's place: 中铁, 中石油
    (jieba: 中 and 石油), whatever jieba calls it."""
    w = words[i].word
    return len(w) == 2 and w[0] == "中" or i >= 1 and words[i - 1].word == "中" and len(w) <= 2


def _before_place(words: list, i: int, taken: list[tuple[str, str]]) -> bool:
    """Whether ``words[i]``, a common noun before the place or brand that opens the name read
    so far, is outside it: jieba calls many verbs nouns (督导, 会见, 部署X公司). Two exceptions: a brand, a
    noun after a place written short (中国铁路太原局, 山东能源临沂矿业集团); and a noun before an
    organisation jieba knows, which it may qualify (中央国家机关)."""
    w, flag = words[i]
    if (not taken or taken[0][1] not in ("ns", "nz") or flag != "n" or len(w) < 2 or _placelike(w)
            or _ORG_END.search(w) or _central(words, i)):
        return False
    if i == 0:
        return True
    prev, prev_flag = words[i - 1]
    return not (prev_flag == "ns" and len(prev) > 1 and not prev.endswith(_LEVELS))


class _Word(NamedTuple):
    """A word and its part of speech, as jieba's pairs are (an aside in brackets is one word, tagged nz)."""

    word: str
    flag: str


_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_JOINERS = ("·", "—")
"""A mark that joins two names in one (a single dash, not a pair: ——X is an aside)."""
_ASIDE_IN_NAME = re.compile(r"[（(][\u4e00-\u9fff]{1,6}[）)]")
"""An aside inside a company's name: ``X（集团）有限公司``, ``X（中国）有限公司``."""


def _name_run(text: str, end: int, reach: int = 20) -> tuple[int, list[_Word]]:
    """The words before ``end`` that a name may be made of, and where they start: Chinese characters and
    Latin letters (``TCL``), and asides in brackets between them (``（集团）``), each aside one word."""
    k, pieces = end, []
    while True:
        stop = k
        while k > 0 and _NAME_CHAR.match(text[k - 1]) and end - k < reach:
            k -= 1
        if k == stop:
            break
        pieces.insert(0, (k, stop))
        if (k >= 2 and text[k - 1] in _JOINERS and _NAME_CHAR.match(text[k - 2]) and text[k - 2] not in _JOINERS
                and end - k < reach):
            pieces.insert(0, (k - 1, k))  # 临江·梧桐文化产业园, X高新区—Y科技园: two names joined in one
            k -= 1
            continue
        aside = _ASIDE_IN_NAME.search(text, max(0, k - 8), k)
        if aside is None or aside.end() != k or aside.start() == 0 or not _NAME_CHAR.match(text[aside.start() - 1]):
            break
        pieces.insert(0, (aside.start(), k))
        k = aside.start()
    words: list = []
    for a, b in pieces:
        if _ASIDE_IN_NAME.fullmatch(text, a, b) or text[a:b] in _JOINERS:
            words.append(_Word(text[a:b], "nz"))
        else:
            words += pos_cut(text[a:b])  # jieba's pairs: a word and its flag, as _Word
    return k, words


_BUREAU = re.compile(r"(局|厅|委员会|委|部|办公室|署)$")


def _joins_a_bureau(before: _Word, taken: list[tuple[str, str]]) -> bool:
    """Whether 和 after the word ``before`` joins two fields in one government body's name (住房和城乡建设局,
    人力资源和社会保障局), not two bodies (人社局和住建局) or a union and a body."""
    w, flag = before
    return (bool(taken) and _BUREAU.search("".join(t for t, _ in taken)) is not None and flag in _NOUNISH
            and len(w) > 1 and "工会" not in w and w not in _GENERIC and not _ORG_END.search(w) and not _placelike(w))


def _org_before(text: str, end: int, any_end: bool = False) -> str | None:
    """An organisation's name ending at ``end`` (``淮北矿业集团朱仙庄矿``); with ``any_end``, whatever its
    last word (what a 工会联合会 unites: ``X产业链``, ``X生活园区``)."""
    k, words = _name_run(text, end)
    if not words:
        return None
    taken: list[tuple[str, str]] = []
    opens = True  # whether the name opens the run read, or follows a word that ends a name (据, 在)
    for i in range(len(words) - 1, -1, -1):
        w, flag = words[i]
        if (w in _JOINING and taken and i >= 1 and len(words[i - 1].word) == 1 and not _stops_name(words[i - 1])
                and (i == 1 and not _HAN.match(text[k - 1 : k] or "x") or i > 1 and _stops_name(words[i - 2]))):
            taken[:0] = [(words[i - 1].word, "nz"), (w, "nz")]  # 恒和软件公司: one character and 和 are no two names
            break
        if w in _JOINERS and (i == 0 or len(words[i - 1].word) < 2 or words[i - 1].flag not in _NOUNISH):
            break  # 梧综区—X园: what stands before the dash is no name jieba knows whole; the name is after it
        if w == "和" and i >= 1 and _joins_a_bureau(words[i - 1], taken):
            taken.insert(0, (w, flag))  # 住房和城乡建设局: two fields, one bureau
            continue
        inner_verb = flag in ("v", "a", "d", "ad") and taken and w not in _LEAD_VERBS and len(w) == 2
        # jieba cuts a name it does not know into single characters and tags them at random
        # (three characters tagged m, v, ng before 公司): a run of them inside a name is part of it
        if flag == "q" and len(w) == 1 and (words[i - 1].flag == "m" if i else text[k - 1 : k].isdigit()):
            break  # 14个村级联合工会: a count, not part of the name
        unknown = len(w) == 1 and taken and _unknown_name_run(words, i, text[k - 1 : k])
        unknown = unknown or w == "中" and taken and _central(words, i + 1)  # 中 of 中石油
        ordinal = (flag == "m" and w.startswith("第") and not w.endswith(("届", "次", "期", "批", "年"))
                   and taken)  # 第五建筑工程有限责任公司
        ordinal = ordinal or (flag == "m" and _NUMBERED.fullmatch(w) is not None and taken and i > 0
                              and words[i - 1].flag in _NOUNISH)  # 中铁X局一公司: the group's first company
        ordinal = ordinal or (flag == "m" and len(w) > 1 and w[-1] in _UNITS and taken)  # 中铁十二局集团: a bureau
        ordinal = ordinal or _NUMBERED_SCHOOL.fullmatch(w) is not None  # 临江一中: a numbered school, a place to jieba
        if (flag not in _NOUNISH and not (len(w) == 1 and flag in ("n", "ng", "q", "k"))
                and not inner_verb and not unknown and not ordinal):
            opens = _stops_name(words[i])
            break
        division = w in _DIVISION_SUFFIXES and i >= 1 and words[i - 1].flag == "ns"  # X街道: a street's name
        if ((w in _GENERIC and taken and not division) or w in _LEAD_VERBS or _manner_and_verb(w, flag)
                or _before_opener(taken, flag) or _before_place(words, i, taken)
                or "工会" in w):  # another union's name ends before this one's begins
            opens = False
            break
        taken.insert(0, (w, flag))
    while taken and (taken[0][1] == "v" or taken[0][1] in ("a", "d", "ad") and len(taken[0][0]) == 2 and not opens):
        taken.pop(0)  # a verb may sit inside a name (邮政快递行业), not at its start; nor a manner (快速物流公司
        # opening a clause is a name)
    while len(taken) > 1 and taken[0][1] in ("vn", "v") and taken[1][1] == "ns":
        taken.pop(0)  # 启动X市Y公司: a place opens the name, the verb before it is the clause's
    taken = [w for w, _flag in taken]
    name = "".join(taken)
    if (len(name) < 2 or not (any_end or _ORG_END.search(name)) or name in _GENERIC
            or len(name) == 2 and name[0] == "全"):
        return None  # 全局, 全厂: all of one's own bureau or factory, no name
    return name


_JOINING = {"和", "与", "及"}
"""Conjunctions that, after a lone character opening a name, are inside it (恒和软件, 信和物流)."""
_NOT_IN_NAME = set("的了在向为由对和与及等是将把被从给以于至我全各该本其每这那此")
"""Single characters that end a name read backwards: particles, prepositions, pronouns, quantifiers."""
_NAME_CLOSERS = set("，、。；：！？,;:!?)）")
_NATION = ("中华全国", "中国")
_GENERIC_ORG = re.compile(r"(分|总|子)?" + _ORG_END.pattern.removesuffix("$"))
"""An organisation named by its kind alone (公司, 分公司, 集团): no proper name to fold by."""
_SECTOR_FLAGS = ("n", "vn", "nz", "nt", "j", "nr")
_ORGANISES = {"主办", "承办", "协办"}
"""What a union does to an event, whatever jieba tags it (主办 is a "distinguishing" word to it)."""
_NOT_A_SECTOR = {"职工", "员工", "会员", "女职工", "工人", "干部", "群众", "组织", "工作", "单位", "本单位", "联合"}
_PERSON_END = set("者员手")
"""How a word for people who do some work ends (劳动者, 快递员, 骑手)."""
_WORKERS_MAX = 9
"""The longest group of workers a union is named by, after its place (新就业形态劳动者)."""


_PARTY = {"党组", "党组书记"}
"""A union's party group, written right after its name."""
_OFFICES = {"主席", "副主席", "副", "负责人", "常务副主席"}
"""Offices held in a union: after a trade and its place (X市教育工会主席), a name; after a bare trade
(矿区工会主席), a title that names the union only in passing."""


def _qualifies_next(text: str, end: int, offices: bool = True) -> bool:
    """Whether the 工会 ending at ``end`` qualifies the word after it (工会干部, 工会劳动保护, 工会工作: a verb
    used as a noun) rather than ending a union's name: a union named by a trade alone is a subject, or its
    name ends at punctuation or a sum (省X工会、省Y工会; 中国X工会N万元)."""
    if text[end : end + 1] in _NAME_CLOSERS or text[end : end + 1].isdigit() or text[end : end + 1] in "的等“《":
        return False  # X工会的指导, X工会等单位, X工会“职工之家”: the union's, a name that ends
    after = pos_cut(text[end : end + 6])
    if after and (after[0].flag in ("t", "ad") or after[0].word in _PARTY or _manner_and_verb(*after[0])
                  or offices and after[0].word in _OFFICES):
        return False  # X工会近日…, X工会积极…, X工会党组书记, X工会副主席: a name that ends
    return not after or (after[0].flag[:1] not in ("v", "p", "d", "c", "r") or after[0].flag == "vn") \
        and after[0].word not in _ORGANISES  # r: 本级 (X工会本级捐款), 这, 该


_UNION_WORK = ("工作", "建设", "组织")
"""What 工会 makes one word with (工会工作, 工会建设): after a place and a trade, the union's work, not a union."""


def _acts_next(text: str, at: int) -> bool:
    """Whether 工会 and the word at ``at`` are one compound (X市调研工会工作: researching union work)."""
    return text.startswith(_UNION_WORK, at)


def _sector_before(text: str, end: int, unlisted: set[str]) -> tuple[int, str, str, tuple[str, ...]] | None:
    """A trade or company union's name ending at ``end`` (before 工会) that no organisation suffix marks:
    a place and a trade (``太原市网约车``, ``北京市快递行业``), or a company's short name opening a clause
    (``太钢``), or a national trade union (``中国X``). Returns the start, the name, and the place and its
    parents (empty for a company or a national union). A place before the trade makes it a name before a
    noun (X市教育工会干部), not before a verb used as one (X市调研工会工作); without one, 工会 may qualify
    the next word (培育工会干部)."""
    first = max(0, end - 16)
    words = pos_cut(text[first:end])
    taken, k = [], end
    workers = False
    for w, flag in reversed(words):
        if not taken and w[-1] in _PERSON_END and len(w) <= 3 and flag in (*_SECTOR_FLAGS, "zg") \
                and w not in _NOT_A_SECTOR:
            workers = True  # 劳动者工会, 骑手工会, 快递员工会: the union of workers named by their work
        elif workers and 1 <= len(taken) < 3 and w not in _GENERIC and w not in _NOT_A_SECTOR \
                and w not in _LEAD_VERBS and (len(w) >= 2 and flag in (*_SECTOR_FLAGS, "v", "s")
                                              or len(w) == 1 and flag == "a" and len(taken) == 2):
            pass  # 外卖骑手, 户外劳动者, 新就业形态劳动者, 新业态劳动者: what the workers do, or where
        elif flag not in _SECTOR_FLAGS or w in _GENERIC or w in _NOT_A_SECTOR or len(taken) == 2:
            break
        taken.insert(0, w)
        k -= len(w)
    sector = "".join(taken)
    if (not 2 <= len(sector) <= (_WORKERS_MAX if workers else 6)
            or sector.startswith(("全", "各", "两", "多", "几", "该", "本")) or sector in _LEVELS):
        return None
    if workers and (len(sector) > 6 or any(f in ("v", "s", "zg") for w, f in words if w in taken)):
        chain = _chain_before(text, k, unlisted)  # a group named by what it does is a union only after its place
        if chain is None or _qualifies_next(text, end + 2) and _acts_next(text, end + 2):
            return None
        j, links = chain
        place, parents = canonical_place(links)
        return j, place + sector, place, parents
    qualifies = _qualifies_next(text, end + 2)
    for nation in _NATION:
        if len(sector) <= 5 and text.startswith(nation, k - len(nation)) and not qualifies:
            return k - len(nation), nation + sector, "", ()  # 中国农林水利气象工会: the national trade union
    if sector[0] in "省市县区州旗" and len(sector) > 2 and (chain := _chain_before(text, k + 1, unlisted)) is not None:
        k, sector = k + 1, sector[1:]  # 湘西州/教育: the level closes the place (湘西州), not opens the trade
    else:
        chain = _chain_before(text, k, unlisted)
    if chain is not None and not (qualifies and _acts_next(text, end + 2)):
        j, links = chain
        place, parents = canonical_place(links)
        return j, place + sector, place, parents
    if (len(taken) == 1 and len(sector) <= 3 and dict(words)[sector] != "vn"
            and not _qualifies_next(text, end + 2, offices=False)  # stricter than ``qualifies``: no office after
            and (k == 0 or text[k - 1] in "，。；：！？、\n")):
        return k, sector, "", ()
    return None


_LEVEL_TRADE = re.compile(r"(?:(?<![\u4e00-\u9fff])|(?<=[的了在向为由对和与及等是将把被从给以于至本我]))"
                          r"([省市县区州])(?:[（(]([\u4e00-\u9fff]{2,12})[）)])?([\u4e00-\u9fff]{2,4})$")
"""A bare level opens the name: after punctuation or a function word (和省交通, 了县教育, 本县…), not inside a
place; an aside may say which division it is (市（张掖市）教育)."""


def _level_trade_before(text: str, end: int) -> tuple[int, str, str, str] | None:
    """A trade named after a bare level, ending at ``end`` (before 工会): ``县教育``, ``省交通`` (the trade
    union of the article's county or province). Returns its start, the level, the trade and the aside
    naming the division ('' when none)."""
    m = _LEVEL_TRADE.search(text, max(0, end - 19), end)
    if m is None or _qualifies_next(text, end + 2):
        return None
    trade = m.group(3)
    words = pos_cut(trade)
    if len(words) != 1 or words[0].flag not in _SECTOR_FLAGS or trade in _NOT_A_SECTOR or trade in _GENERIC:
        return None
    return m.start(), m.group(1), trade, m.group(2) or ""


_LEVEL_OF = {"省": "province", "市": "city", "州": "city", "县": "county", "区": "county"}
"""The gazetteer's level of a division named by its level's character."""


def _aside_division(aside: str, level: str) -> Division | None:
    """The one division an aside names at the level before it (州（X自治州）: the prefecture)."""
    if not aside:
        return None
    found = [d for d in gazetteer().candidates(aside, free_text=False) if d.level == _LEVEL_OF[level]]
    return found[0] if len(found) == 1 else None


def matches_level(locality: str, level: str) -> bool:
    if level in ("工会联盟", "工会联合会"):
        return False
    if level == "区":
        return locality.endswith(("区", "自治区"))
    if level == "州":
        return locality.endswith("州") and not locality.endswith("市")
    return locality.endswith(level)


@dataclass
class _Raw:
    start: int
    end: int
    surface: str
    name: str = ""
    locality: str = ""
    parents: tuple[str, ...] = ()
    level: str = ""
    """For a bare mention (``市总``), the level to resolve."""
    rest: str = ""
    """For a bare organisation (``省邮政快递行业工会联合会``), what follows the level."""


_NATIONAL_TRADE = re.compile(r"(?:中华全国|中国)(?P<trade>[\u4e00-\u9fff]{2,8}?)(?:总工会|工会全国委员会|工会)"
                             r"|全国(?P<trade2>[\u4e00-\u9fff]{2,4}?)总工会")
"""A national trade union: 中国农林水利气象工会, 中国国防邮电工会全国委员会, 中华全国X总工会 (全国X总工会);
its trade is a word of its own, and its 工会 qualifies no word after it (…工会发展道路: an idea, no union)."""
_JOINED_UNITS = set("乡镇村级街道区社业园楼")
"""What a 联合工会 unites, by the last character before it: a township's, a village level's, a trade's."""
_NOT_A_TRADE = re.compile(r"各|级|地方|基层|工会|总|省|市|县|区|的|和|与|及|、")
"""What no trade's name holds: levels, places, conjunctions."""


def _national_trade_name(m: re.Match) -> str:
    """The name a reader writes: 中华全国 for a 全国…总工会, 中国X工会 for its 全国委员会."""
    if m.group("trade2"):
        return "中华全国" + m.group("trade2") + "总工会"
    return m.group(0).removesuffix("全国委员会")


_BODY_END = re.compile(r"(委|局|部|厅|办|会|联|处|科|室|队|所|院|校|司|团|府|支部|中心)$")
"""What ends the name of a body that could act jointly with a union (X党支部联合工会开展…)."""


def _unites_before(text: str, end: int) -> bool:
    """Whether the noun before 联合工会 ending at ``end`` names what the union unites (物流, 新就业形态), not a
    body acting jointly with a union."""
    words = pos_cut(text[max(0, end - 8) : end])
    return bool(words) and words[-1].flag in _NOUNISH and len(words[-1].word) >= 2 and not _BODY_END.search(
        words[-1].word) and words[-1].word not in _GENERIC


def _find(text: str) -> list[_Raw]:
    unlisted = unlisted_divisions(text)
    found: list[_Raw] = []
    taken: set[int] = set()

    def add(r: _Raw) -> None:
        if any(i in taken for i in range(r.start, r.end)):
            return
        taken.update(range(r.start, r.end))
        found.append(r)

    for m in re.finditer(r"中华全国总工会|全国总工会|全总(?!结|体|数|量|额)", text):
        add(_Raw(m.start(), m.end(), m.group(0), NATIONAL))
    for m in _NATIONAL_TRADE.finditer(text):
        trade = "trade" if m.group("trade") else "trade2"
        if (not _NOT_A_TRADE.search(m.group(trade)) and not straddles(text, m.start(trade), m.start(trade) + 2)
                and not (m.group(0).endswith("工会") and not m.group(0).endswith("总工会")
                         and _qualifies_next(text, m.end()))):
            add(_Raw(m.start(), m.end(), m.group(0), _national_trade_name(m)))

    anchors: list[tuple[int, int, str]] = []
    joint: set[int] = set()  # where a body acting with its union stands (X党委和工会): X is named whatever its end
    for m in re.finditer("工会", text):
        j = m.start()
        tail = next(t for t in _TAILS if text.startswith(t, j))
        if text[j - 1 : j] == "总":
            anchors.append((j - 1, j + 2, "总工会"))
        elif text[j - 2 : j] == "联合" and tail == "工会" and (text[j - 3 : j - 2] in _JOINED_UNITS
                                                                 or _unites_before(text, j - 2)):
            # 响塘乡联合工会, 村级联合工会, X物流联合工会: the union of many small units (not X党支部联合工会开展:
            # a body jointly with the union)
            anchors.append((j - 2, j + 2, "联合工会"))
        elif tail == "工会" and text[j - 1 : j] == "分" and text[j - 2 : j] not in _NOT_A_BRANCH:
            anchors.append((j - 1, j + 2, "分工会"))  # X学院分工会, X车间分工会: a branch of an organisation's union
        elif tail == "工会" and (body := _JOINT_BODY.search(text, max(0, j - 6), j)) is not None:
            anchors.append((body.start(), j + 2, "工会"))  # X党支部联合工会开展…: X's party branch and X's union
            joint.add(body.start())
        else:
            anchors.append((j, j + len(tail), tail))
    for m in re.finditer("工联会", text):
        anchors.append((m.start(), m.end(), "工联会"))  # the press's short 工会联合会
    for m in re.finditer("总", text):
        j = m.start()
        nxt = text[j + 1 : j + 2]
        if text.startswith("工会", j + 1) or nxt in _NOT_AFTER_ZONG:
            continue
        anchors.append((j, j + 1, "总"))

    for start, end, tail in sorted(anchors):
        if tail == "分工会":
            org = _org_before(text, start, any_end=True)
            if org is not None:
                add(_Raw(start - len(org), end, text[start - len(org) : end], org + tail))
            continue
        chain = _chain_before(text, start, unlisted)
        if chain is not None and text[chain[0] : chain[0] + 1] in "和与及" and _HAN.match(text[chain[0] - 1 : chain[0]] or "x"):
            chain = None  # A工会和县总工会, 发展大局和县工会…: 和 joins two things, it opens no place (和县)
        if chain is not None:
            k, links = chain
            last = links[-1]
            if tail == "总" and not (last.name.endswith(_LEVELS) or last.surface.endswith(_LEVELS)):
                continue
            if tail == "工会" and text[k - 1 : k] == "驻":
                continue  # 驻惠州工会工作服务站: a station in that place, not its union
            place, parents = canonical_place(links)
            if (tail == "工会" and len(links) == 1 and last.division is not None and last.division.level == "province"
                    and last.surface != last.division.name and not last.surface.endswith(_LEVELS)):
                continue  # 河南工会这五年, 河南工会为职工撑腰: a province's unions, all of them
            # 青岛工会 is the city's federation: 青岛市总工会; 长法村工会 stays as written
            federation = tail in ("总", "总工会") or (tail == "工会" and last.division is not None)
            full_tail = "总工会" if federation else tail
            if (not federation and len(links) == 1 and last.division is not None
                    and last.division.level == "province" and last.surface != last.division.name):
                # 香港工会联合会: a province's short name is the union's own, not 香港特别行政区工会联合会
                add(_Raw(k, end, text[k:end], text[k:end], place, parents))
                continue
            add(_Raw(k, end, text[k:end], place + full_tail, place, parents))
            continue
        if tail == "总工会":
            written = _written_division_before(text, start)
            if written is not None and "工会" not in written[1]:
                k, place, parents = written
                add(_Raw(k, end, text[k:end], place + "总工会", place, parents))
                continue
        bare_tail = tail in ("总", "总工会") or (
            tail == "工会" and text[start - 1 : start] in "省市县区州旗" and start >= 1
            and not _HAN.match(text[start - 2 : start - 1] or "x"))  # 市工会, not 矿区工会
        zone = next((z for z in _ZONES if text.startswith(z, start - len(z))), None) if tail == "总工会" else None
        if (zone is not None and not _HAN.match(text[start - len(zone) - 1 : start - len(zone)] or "x")
                and not collective(text, start - len(zone))):
            add(_Raw(start - len(zone), end, zone + tail, zone + tail))  # 经开区总工会 alone: the zone's, as written
            continue
        if bare_tail:
            for lv in _LEVELS:
                if text.startswith(lv, start - len(lv)):
                    if not collective(text, start - len(lv)):
                        add(_Raw(start - len(lv), end, text[start - len(lv) : end], level=lv))
                    break
            if tail != "工会":
                continue
            if any(r.end == end for r in found):
                continue
        org = _org_before(text, start, any_end=tail in _FEDERATIONS or tail == "联合工会" or start in joint)
        if org is None and tail == "工会":
            sector = _sector_before(text, start, unlisted)
            if sector is not None:
                k, name, place, parents = sector
                add(_Raw(k, end, text[k:end], name + tail, place, parents))
                continue
            trade = _level_trade_before(text, start)
            if trade is not None:  # 县教育工会: the trade union of the article's county
                k, lv, name, aside = trade
                division = _aside_division(aside, lv)
                if division is not None:  # 州（湘西…自治州）教育工会: the county or prefecture the aside names
                    parents = tuple(p.name for p in gazetteer().parents(division))
                    add(_Raw(k, end, text[k:end], division.name + name + tail, division.name, parents))
                else:
                    add(_Raw(k, end, text[k:end], level=lv, rest=name + tail))
                continue
        if org is not None and org[0] in "省市县区" and not parse_chain(org[:2]):
            add(_Raw(start - len(org), end, text[start - len(org) : end], level=org[0], rest=org[1:] + tail))
        elif org is not None:  # as written: X党支部联合工会 names X工会
            add(_Raw(start - len(org), end, text[start - len(org) : end], org + tail))
        elif tail in ("工会联盟", "工会联合会", "工联会"):
            add(_Raw(start, end, tail, level="工会联合会" if tail == "工联会" else tail))
    found.sort(key=lambda r: r.start)
    for r in _sharing_a_tail(text, found, unlisted):
        add(r)
    found.sort(key=lambda r: r.start)
    for r in found:
        if text.startswith(_OFFICE, r.end) and (r.name or r.level + (r.rest or "总工会")).endswith("总工会"):
            # X市总工会机关工会: the union of the federation's own staff, not the federation
            r.end, r.surface = r.end + len(_OFFICE), r.surface + _OFFICE
            if r.name:
                r.name += _OFFICE
            else:
                r.rest = (r.rest or "总工会") + _OFFICE
    _aliases_and_anaphora(text, found)
    found.sort(key=lambda r: r.start)
    return found


_LIST_COUNT = re.compile(r"(?:[两二三四五六七八九十]+[省市县区州](?:[一二三四五六七八九十]+[省市县区州])?|等(?:城市|地区?|省市|市县|市)?)"
                         r"(?=总工会|工会)")
"""What sums up a list of places before the tail they share: 两市, 三省一市, 等城市 (A、B两市总工会)."""


def _sharing_a_tail(text: str, found: list[_Raw], unlisted: set[str]) -> list[_Raw]:
    """The federations of a list of places that share one tail (吉林省、辽宁省总工会; 白山、通化两市总工会;
    A、B、C等城市工会): one for each place, named by it. The last place's union, when read already, is kept."""
    # where a list's places end: before the 、 that ends the one before a union read already (吉林省、|辽宁省总工会),
    # or before the count that sums them up (白山、通化|两市总工会); and how many places the list needs besides
    lists = [(r.start - 1, 1) for r in found
             if r.locality and r.name.endswith("总工会") and text[r.start - 1 : r.start] == "、"]
    lists += [(m.start(), 2) for m in _LIST_COUNT.finditer(text)]
    out: list[_Raw] = []
    for at, least in lists:
        places = []
        while (chain := _chain_before(text, at, unlisted)) is not None and chain[0] >= at - 12:
            places.append((chain[0], at, chain[1]))
            if text[chain[0] - 1 : chain[0]] != "、":
                break
            at = chain[0] - 1
        if len(places) >= least:
            for start, stop, links in places:
                place, parents = canonical_place(list(links))
                out.append(_Raw(start, stop, text[start:stop], place + "总工会", place, parents))
    return out


_NOT_A_BRANCH = {"部分", "区分", "充分", "划分", "十分", "过分", "处分", "积分", "年分", "月分"}
"""Words ending in 分 before 工会 that make no branch union (部分工会干部: some of the unions' cadres)."""
_OFFICE = "机关工会"
"""What follows a federation's name in the name of the union of its own staff."""
_FEDERATIONS = ("工会联合总会", "工会联合会", "工联会")
"""Unions of many: their name is what they unite, whatever its last word (X产业链工会联合会)."""
_SHORT_FOR = re.compile(r"[（(](?:以下|下文)?简称[“\"]?([^”\"）)]{2,12})[”\"]?[）)]")
_JOINT_BODY = re.compile(r"(?:党支部|党总支|党委|团委|行政)(?:联合|和|与|、)$")
"""A body of the same organisation acting with its union (X党支部联合工会, X党委和工会): the union is X's."""
_THIS_UNION = re.compile(r"(?:(?<![\u4e00-\u9fff])|(?<=[由向在为与和对据经]))(?:该|本)工会(?!联合会|委员会|联盟|工作|干部|组织)")
"""该工会, 本工会 opening a clause or after a preposition (由该工会主办): the union the text named last."""
_BACK = re.compile(r"(该|我|本)?(分公司|公司|集团|厂|矿|企业|单位|院|校|行|站|局|中心)工会")
_BARE_LOCAL = re.compile(r"(镇|乡|街道)(?:总工会|工会)(?!联合会|委员会|联盟|工作|干部|组织)")
"""A town's or street's union said with its level alone (镇总工会, 街道工会): the one the article named."""
_LONGER_TAILS = ("联合会", "委员会", "联盟")
"""What may follow 工会 in a longer union's name (X工会联合会)."""
_KIND_IN_NAME = {"校": ("校", "大学", "学院"), "院": ("院",), "行": ("银行",)}
"""How a named organisation of a kind is written where its kind is one character: 校 for 大学, 行 for 银行."""
_NOT_BEFORE_KIND = set("各全多诸几两数每")
_BEFORE_KIND_FLAGS = ("v", "vd", "p", "c", "d")
"""A verb, preposition, conjunction or adverb before 公司工会: the kind alone (由公司工会, 组织公司工会), not the
end of a name (有限公司工会)."""


def _aliases_and_anaphora(text: str, found: list[_Raw]) -> None:
    """``X工会（以下简称“Y”）`` makes each later Y a mention of X; ``该公司工会``, ``我校工会`` and a
    ``公司工会`` opening a clause are the article's union of that kind, the one named last before (else
    first after). Either replaces what was read there before."""

    def put(new: _Raw) -> None:
        found[:] = [r for r in found if r.end <= new.start or r.start >= new.end]
        found.append(new)

    for r in list(found):
        m = _SHORT_FOR.match(text, r.end)
        if m is None or not r.name:
            continue
        short = m.group(1)
        for later in re.finditer(re.escape(short), text[m.end():]):
            k = m.end() + later.start()
            put(_Raw(k, k + len(short), short, r.name, r.locality, r.parents))
    for m in _THIS_UNION.finditer(text):  # 该工会: the union named last before
        before = [r for r in found if r.name and r.end <= m.start()]
        if before:
            r = max(before, key=lambda n: n.end)
            put(_Raw(m.start(), m.end(), m.group(0), r.name, r.locality, r.parents))
    of_level = {lv: sorted((r for r in found if r.name.endswith((lv + "工会", lv + "总工会"))), key=lambda r: r.end)
                for lv in ("镇", "乡", "街道")}
    ends = {lv: [r.end for r in named] for lv, named in of_level.items()}
    for m in _BARE_LOCAL.finditer(text):
        before = bisect_right(ends[m.group(1)], m.start())
        if before and _opens_name(text, m.start()):  # 镇总工会 standing alone (not 梧桐镇总工会, a name read
            r = of_level[m.group(1)][before - 1]  # already): the town's federation the article named last before
            put(_Raw(m.start(), m.end(), m.group(0), r.name, r.locality, r.parents))
    as_written: dict[str, str] = {}
    for m in _BACK.finditer(text):
        if not m.group(1) and not _opens_name(text, m.start()):
            continue  # X电力分公司工会, X城区供电公司工会: the end of a name, not the kind alone
        kinds = _KIND_IN_NAME.get(m.group(2), (m.group(2),))
        named = [r for r in found if r.name and (r.end <= m.start() or r.start >= m.end())
                 and any(k in r.name[:-2] for k in kinds)]
        if named:
            before = [r for r in named if r.end <= m.start()]
            r = max(before, key=lambda n: n.end) if before else min(named, key=lambda n: n.start)
            put(_Raw(m.start(), m.end(), m.group(0), r.name, r.locality, r.parents))
        elif m.group(2) not in _GENERIC and m.group(2) != "单位" and not text.startswith(_LONGER_TAILS, m.end()):
            # 该行工会, 我校工会 and no bank or school named: that organisation's union, named as the article
            # first writes it (one per file: see kind_only); 企业工会, 该单位工会: any enterprise's, a unit's
            put(_Raw(m.start(), m.end(), m.group(0), as_written.setdefault(m.group(2), m.group(0))))


def _opens_name(text: str, start: int) -> bool:
    """Whether an organisation's kind at ``start`` (``公司``) stands alone: after punctuation, or after a
    word that is not part of a name (``由公司工会``, ``组织公司工会``), and not after 各 or 全 (many of them)."""
    aside = _ASIDE_IN_NAME.search(text, max(0, start - 8), start)
    if aside is not None and aside.end() == start and aside.start() > 0 and _NAME_CHAR.match(text[aside.start() - 1]):
        return False  # X钢铁（集团）公司工会: the end of a name with an aside in it
    if start == 0 or not _HAN.match(text[start - 1]):
        return True
    if text[start - 1] in _NOT_BEFORE_KIND or straddles(text, start, start + 2) or runs_on(text, start):
        return False  # …or the kind ends a longer word (控制中心 of X疾病预防控制中心): the end of a name
    return pos_cut(text[max(0, start - 6) : start])[-1].flag in _BEFORE_KIND_FLAGS


_COLLECTIVE_BEFORE = set("各全多诸几两数等、）)省市县区") | set("0123456789一二三四五六七八九十百")


def collective(text: str, start: int) -> bool:
    """Whether the bare level at ``start`` names many unions: 各市总工会, 各城区总工会, 四省市总工会,
    22个省、自治区、直辖市总工会, 县(市)总工会, 市县两级."""
    if text[max(0, start - 2) : start] == "直辖" or re.search(r"(?:省|市|县|区|州|旗)[、（(][^，。、]{0,3}$",
                                                              text[max(0, start - 8) : start]):
        return True  # 省、自治区、直辖市总工会; 县（市）总工会
    if re.search(r"各[城省市县区州旗乡镇]{1,2}$", text[max(0, start - 3) : start]):
        return True  # 各城区总工会, 各县市区总工会: each of some levels (not 霍各庄镇, a name)
    before = text[max(0, start - 2) : start]
    if before.endswith("个"):
        before = before[:-1]
    if before.endswith("、") and (text.endswith("工会", 0, start - 1)
                                 or _HAN.match(text[start - 2 : start - 1] or "x")
                                 and text[start - 2] not in "省市县区州旗盟镇乡"):
        return False  # A区总工会、B街道总工会, 市妇联、团市委、市总工会: the next of a list of bodies, not 省、市总工会
    return bool(before) and before[-1] in _COLLECTIVE_BEFORE


def _resolve_bare(raw: list[_Raw], article: Article, places: tuple) -> None:
    """Name bare mentions (``市总``) from the article: its named unions first, then its places."""
    if all(r.name for r in raw):
        return
    named = [r for r in raw if r.name and r.locality]
    g = gazetteer()
    localities = [(d.name, tuple(p.name for p in g.parents(d)))
                  for _i, _surface, d in divisions_in(article.byline)]
    localities += [(p.name, p.parents) for p in places if p.level in ("province", "city", "county")]
    by_level: dict[str, tuple[list[_Raw], list[int]]] = {}
    for r in raw:
        if r.name:
            continue
        lv = r.level
        if lv not in by_level:
            if lv in ("工会联盟", "工会联合会"):
                pick = [n for n in raw if n.name.endswith(lv)]
            else:
                pick = [n for n in named if matches_level(n.locality, lv)]
            by_level[lv] = pick, [n.start for n in pick]
        pick, starts = by_level[lv]
        before = bisect_left(starts, r.start)
        chosen = (pick[before - 1] if before else pick[0]) if pick else None
        if chosen is not None:
            r.locality, r.parents = chosen.locality, chosen.parents
            r.name = chosen.locality + r.rest if r.rest else chosen.name
            continue
        text = article.full_text
        near = [p for p in places if p.start < r.start and p.level in ("province", "city", "county")
                and "\n" not in text[p.start : r.start] and "。" not in text[p.start : r.start]]
        for p in reversed(near):  # 在<省>，省总工会…: the place its own sentence names just before
            hit = next((c for c in (p.name, *reversed(p.parents)) if matches_level(c, lv)), None)
            if hit is not None:
                r.locality = hit
                r.parents = tuple(p.parents[: p.parents.index(hit)]) if hit in p.parents else p.parents
                r.name = hit + (r.rest or "总工会")
                break
        if r.name:
            continue
        votes: dict[str, list] = {}
        for i, (name, parents) in enumerate(localities):
            hit = next((c for c in (name, *reversed(parents)) if matches_level(c, lv)), None)
            if hit is not None:
                enclosing = tuple(parents[: parents.index(hit)]) if hit in parents else parents
                votes.setdefault(hit, [0, -i, enclosing])[0] += 1
        if votes:
            # the place the article names most, counting what lies in it (a city for its province), not
            # the first: a headline's 驶向<省> is not where a 省总工会 writing from elsewhere belongs
            hit, (_n, _first, enclosing) = max(votes.items(), key=lambda kv: kv[1][:2])
            r.locality, r.parents, r.name = hit, enclosing, hit + (r.rest or "总工会")


_GENERIC_TAILS = ("总工会", "工会", "工会联合总会", "工会联合会", "工会联盟", "工会工作委员会", "工会委员会")


@lru_cache(maxsize=1 << 14)
def kind_only(name: str) -> bool:
    """Whether a union's name says no more than a kind or a level (``公司工会``, ``我校工会``, ``市总工会``):
    it names one union in its own file, never the same union as another file's name alike."""
    tail = next((t for t in ("总工会", *_TAILS) if name.endswith(t)), None)
    if tail is None:
        return False
    rest = name[: len(name) - len(tail)]
    return (not rest or rest in _LEVELS or rest in _GENERIC or rest in _ZONES or _GENERIC_ORG.fullmatch(rest) is not None
            or _BACK.fullmatch(rest + "工会") is not None)


_SHORTENED_MIN = 7
"""The shortest name read as another's written short: shorter ones (公司工会) are kinds, not names."""


def _in_order(short: str, long: str) -> bool:
    """Whether the characters of ``short`` stand in ``long`` in order (交通局 in 交通运输局)."""
    it = iter(long)
    return all(c in it for c in short)


def union_aliases(names: Iterable[str], within_article: bool = False) -> dict[str, str]:
    """Map each union name that should fold into a longer one to that name.

    A name that ends a longer one, where the extra part is a chain of places
    (``柳南区总工会`` in ``柳州市柳南区总工会``) or the shorter name is itself
    specific (``朱仙庄矿工会``), folds into it. Where two longer names would fit,
    nothing is folded: better two nodes than a wrong merge. An organisation named by
    its kind alone (``公司工会``) folds only ``within_article``: it is the union of the
    company the article is about, never of one another file names; so does an organisation's
    name written short (``X交通局工会`` for ``X交通运输局工会``).
    """
    names = sorted(set(names), key=lambda n: (-len(n), n))
    ending: dict[str, list[str]] = {}
    for n in names:
        for k in range(1, len(n)):
            ending.setdefault(n[k:], []).append(n)
    out: dict[str, str] = {}
    for short in names:
        tail = next((t for t in _TAILS if short.endswith(t)), "")
        generic = bool(_GENERIC_ORG.fullmatch(short[: len(short) - len(tail)]))
        if kind_only(short) and not within_article:
            continue  # 公司工会, 经开区总工会: one per file, never another file's named one
        # 鼓楼区总工会 names one of four districts: another file's 福州市鼓楼区总工会 is not this one's
        shared_name = not within_article and len(gazetteer().candidates(short.removesuffix("总工会"))) > 1
        longer = [] if shared_name else ending.get(short, [])
        fits = []
        for n in longer:
            extra = n[: len(n) - len(short)]
            if generic or parse_chain(extra) or (len(short) >= 5 and short not in _GENERIC_TAILS
                                                 and not parse_chain(short[: -2] or "x")):
                fits.append(n)  # 公司工会 after X公司工会 in one article: that company's
        targets = {out.get(n, n) for n in fits}
        if len(targets) == 1:
            out[short] = targets.pop()
    if within_article:
        # X交通局工会 after X交通运输局工会, X电力公司工会 after X电力有限公司工会: an organisation's name
        # written short, its characters in order; only where one longer name fits
        for short in names:
            if short in out or len(short) < _SHORTENED_MIN or short.endswith("总工会"):
                continue
            written = next((short.removesuffix(t) + "工会联合会" for t in ("工联会", "联合工会") if short.endswith(t)),
                           short)  # X工联会, X联合工会: the article's X…工会联合会, written short
            fits = [n for n in names if len(n) > len(written) and n.endswith(written[-3:]) and _in_order(written, n)]
            if len(fits) == 1 and fits[0] not in out:
                out[short] = fits[0]
        # X工业园工会联合会 and X区工业园工会联合会 in one article: one union, named with its division
        by_key = {n[:k] + n[k + 1:]: n for n in names for k in range(2, min(len(n), 8)) if n[k] in "省市区县"}
        for short in names:
            long = by_key.get(short)
            if long is not None and short not in out and long not in out:
                out[short] = long
    return out


def extract(article: Article, found: Mapping[str, tuple] | None = None) -> Iterator[UnionMention]:
    """Every union mention in the article, with a canonical name.

    A bare mention the article cannot settle (``市总工会`` with no city in sight) keeps
    its bare name and its level; :func:`kg.resolve.resolve` looks in the rest of the file.
    """
    text = article.full_text
    raw = _find(text)
    places = found["places"] if found and "places" in found else tuple(_places.extract(article))
    _resolve_bare(raw, article, places)
    alias = union_aliases((r.name for r in raw if r.name), within_article=True)
    for r in raw:
        if r.name:
            yield UnionMention(alias.get(r.name, r.name), r.surface, r.start, r.locality, r.parents,
                               from_context=bool(r.level))
        elif r.level in _LEVELS:
            yield UnionMention(r.level + (r.rest or "总工会"), r.surface, r.start, level=r.level)
