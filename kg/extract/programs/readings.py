"""Readings: every program a sentence names, with its runners.

Strongest first: a union *organises* something (``由 A 主办``); a trigger verb
and its object (``A 举办的 X`` too; money given and the act it pays for are one);
a quoted name with a program head, or a ``《plan》``; an event as the subject of
``举行``/``启动``; a headline ``<union> <verb> <object>`` or ``<union>：…``.
Headlines that name a place, not a union, are read by :mod:`kg.extract.programs`.
Places and amounts are added by :func:`..extract`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import accumulate

from ...nlp import pos_cut, runs_on, straddles
from ...types import Amount, PlaceMention, Sentence
from .labels import (APPROACH, BOOK, COUNT, ENDS_IN_HEAD, EVENT_HEAD, GENERIC, HANDOUT, HEAD_RE, HEADS, NOT_FIRST,
                     QUOTE, STOP, TRIGGER_RE, clean_label, core_name, enumeration, mask_quotes, noun_follows,
                     object_after, quoted_spans, verb_in_noun)
from .money import MONEY_VERBS, money_reading
from .subject import OFFICER, Subjects, says_own_place


GIVES_ONLY = {"配送", "配置", "返还", "减免"}
"""Verbs that name a program only by what they give (配送图书, 配置“漂流书箱”, 返还工会经费), never by a head."""
ORGANISE = re.compile(
    r"由(?:[^，。；]{2,40}?(?:指导|支持)[，、])?(?P<who>[^，。；]{2,80}?)(?:共同)?(主办|承办|举办|组织|发起|主导)")
"""由 A 主办; 由 A 指导，B 主办 (A guides: B runs it)."""
_CO_ROLE = re.compile(r"[，,、]([^，。；]{2,40}?)(承办|协办|联合主办|共同主办)")
_ORGANISED_BY = re.compile(r"(?:共同|联合)?(?:主办|承办)的")
"""A union right before these organises or hosts what follows (A主办的X)."""
_HOSTED = re.compile(r"(?:共同|联合|参与)?承办了?")
"""Between a host and the organiser of what it hosts (B承办了A主办的X)."""
_ASSISTS = "协办"
"""A union that only assists (C 协办) does not run it; one that hosts (承办) or co-organises does."""

_HEADLINE_VERB = re.compile(
    r"(助力|推进|推动|打造|开展|举办|启动|协调|实施|建设|选树|引导|创新|深化|构筑|打出|开启|探索|搭建|"
    r"组织|举行|发放|设立|筹集|下拨|投入|赴|走进|深入|学习|调研|参观|考察|慰问|看望|走访|帮扶|援助|"
    r"捐助|捐赠|拨付|驰援)"
)

_AMOUNT_IN_LABEL = re.compile(r"\d+(\.\d+)?[多余]?[万亿]?元")

_NAMED_OBJECT = re.compile(r"了?[^，。；：！？“”]{0,30}?的(“([^“”\n]{2,24})”)(?=[，。；！？]|$)")
_COMPLEMENT = re.compile(r"(成|为)(?![立员期])")
_HOLDS = ("开展", "举办")
_HELD_BY = ("开展", "举办", "组织", "主办", "承办", "举行", "发起", "建成", "设立", "打造", "创建")
"""Verbs whose relative clause names what the union holds or builds (市总工会举办的技能竞赛, 市总工会建成的第3个
驿站): its object is a program."""
_FOR_WHOM = re.compile(r"为(?!期)[^，。；：、]{2,12}?(送|开展|举办|提供|进行)")
"""开展为 X 送…等活动: an event held for someone, not a thing made into another (打造为…)."""
"""打造成…品牌项目, 建设为…: what something is made into is a description, not a program
(but 开展为期一个月的…: how long it lasts)."""
_FRAME = re.compile(r"(?:^|[，；：])[^，；：。]{0,12}?(?:结合|围绕|依托|借助|根据|按照|对照|随着|抓住|把握|落实|贯彻)")
_FRAME_END = re.compile(r"[^，；：。]*(需求|机遇|契机|要求|实际|任务|目标|精神|特点|优势|形势|背景|之际)(?=[，；：。]|$)")
"""A clause 结合/借助 … 需求/机遇 frames the sentence: a verb inside it runs nothing
(结合当地新建扩建项目和企业用工需求; 借助省总工会推行数智转型工程的机遇)."""
_MARKS = re.compile("[，；：。]")
_QUOTE_TAIL = re.compile(rf"[^{STOP}“”的为把被对将在向从与和此该这其本]{{0,6}}")
_HEAD = re.compile(HEAD_RE)
_ALSO = re.compile(r"[，,]([^，。；：！？“”]{2,24}?等(?:一?系列)?(?:活动|赛事|比赛))(?=[，。；！？]|$)")
"""A verb's second object after a comma, a list that sums itself up (…，A、B等系列活动)."""


def _quote_tail(s: str, at: int) -> str | None:
    """What follows a quoted name at ``at`` that makes it a program's: up to the last head within six
    characters that ends a word (not 工程 of “金牌”工程师; 活动中心 goes on to 中心, 竞赛演讲比赛 to 比赛:
    a head before another qualifies it)."""
    reach = _QUOTE_TAIL.match(s, at).end()
    found = None
    for h in _HEAD.finditer(s, at, min(len(s), reach + 4)):
        if h.start() > reach:
            break
        if not runs_on(s, h.end()):
            found = s[at : h.end()]
    return found


_SUPPORTS = re.compile(r"[，,]?(?:主要)?(?:用于|用来|支持|资助|帮助)[^。；]{0,30}$")
"""Between money given and a later verb: what the money pays for (下拨N元资金，支持…开展X)."""
_ISSUED = re.compile(r"(印发|出台|制定|发布|实施)\s*$")
_WORD_REACH = 40
"""How far before a verb, a clause's end or a title the words of :data:`_PURPOSE`, :data:`_FRAME_END` and
:data:`_ISSUED` are looked for (they are two characters at most)."""

_HELD_VERBS = "举行|举办|开幕|启动|开班|开赛|开营|落幕|闭幕|结束|收官|拉开帷幕|拉开序幕|落下帷幕"
_HELD_VERB = rf"({_HELD_VERBS})(?=[，。；！？\n]|$)"
_HELD = re.compile(r"(启动仪式|开幕式|开班仪式|开营仪式|颁奖仪式|发放仪式|揭牌仪式|仪式|启动会|开班式)?"
                   r"(?:日前|近日|近期|昨日|昨天|今天|今日|当天|\d+月\d+日[上下]?午?)?"
                   r"(?:[，,]?(?:于|在)[^，。；：！？“”]{1,25}?)?(?:正式|隆重|顺利|圆满|成功)?" + _HELD_VERB)
"""An event as its sentence's subject: ``<event>启动仪式在…举行``, ``<event>日前在…举行``, ``<event>正式启动``,
``<event>圆满结束``, ``<event>拉开帷幕``."""
_COMES_VERBS = "走进|走入|来到|进驻"
_COMES = re.compile(rf"(?:再次|再度|首次|又|正式)?({_COMES_VERBS})(?=[^，。；：！？“”]{{2,20}}(?:[，。；！？\n]|$))")
"""An event as its clause's subject, come to a place: ``<event>走进建筑工地``."""
_ENDS_HELD, _COMES_VERB = re.compile(_HELD_VERB), re.compile(_COMES_VERBS)
_QUESTION = re.compile(r"[？?]\s*$")
_PASSIVE = ("被", "获", "受")
"""Right before a trigger: its subject is the one given to or acted on (被授予, 获授予), not the giver."""
_ATTENDS = re.compile(r"(参加|出席|参与|列席|观摩|应邀|获评|荣获|获得|入选|评为|成为|列入|纳入|命名为)了?$")
"""A verb right before a quoted name that says its subject attends what the name names, or is given it as a title
(获评“X示范项目”, 入选“X工程”), not runs it."""
_COMPOUND = re.compile(r"暨|及其")
"""What joins two events held as one (A暨B): each is a program."""
_PREDICATE_IN_SUBJECT = re.compile(r"(标志着|宣布|出席|参加|主持|将于|将在|即将|计划)")
"""A clause that tells of the event (宣布竞赛启动, 标志着…活动全面启动) names it as an object, not a subject."""

_COUNT = re.compile("了?" + COUNT)
_ANNIVERSARY = re.compile(r"[\d一二三四五六七八九十百]+周年")
"""成立100周年: an anniversary, not something founded."""

_PURPOSE = re.compile(r"(为|以|要|需|应|必须|旨在|以便|力争)$")
"""Before a verb, what makes it an aim or a duty (力争开展, 要举办), not a thing done or scheduled: ``将举行``
(will hold) is a program the news announces, with its date and money."""
_PLAN = re.compile(r"(?<!如)(?:接下来|下一步|今后)|未来[，,]|(?<!即)将(?:继续|持续|进一步|不断|坚持|着力|全力|加大|深化|积极|逐步|努力)")
"""Where a sentence turns to what is planned: a trigger or a quoted name after it is a plan (下一步，… 举办X;
将继续开展X; 表示，将持续…开展“X”; 将积极/将努力…, an intention as 力争 is an aim), not a thing done; a bare
``将``/``还将`` + verb is a program announced (将举行, 即将启动)."""
_DONE = re.compile(r"[，,；;][^，,；;。]{0,6}?(?:今年|去年|目前|截至|此前|已经|已|近年来|\d{4}年)")
"""A clause that turns back to what is done (…将进一步扩大覆盖面，今年已开展X): the plan before it ends there."""


_END_VERBS = re.compile(r"(开班|开馆|开幕|举行|启动|落幕|召开|开营|开赛|揭牌|成立|上线)$")


def _issued_before(s: str, at: int) -> bool:
    """Whether ``s[:at]`` ends with :data:`_ISSUED` (印发《…》), looked for at its end only, not from the
    sentence's start for every book title."""
    end = at
    while end and s[end - 1].isspace():
        end -= 1
    return bool(_ISSUED.search(s, max(0, end - _WORD_REACH), at))


def _framed(s: str, marks: list[int], start: int, end: int) -> bool:
    """Whether the verb at ``s[start:end]`` stands in a frame clause: :data:`_FRAME` opens its clause and
    :data:`_FRAME_END` ends it. The clause is found from the sentence's marks, not read again from the
    sentence's start and to its end for each verb (quadratic in a long sentence of verbs)."""
    i = bisect_left(marks, start)
    before = marks[i - 1] if i else 0
    if i and s[before] == "。" or not _FRAME.match(s, before, start):
        return False
    j = bisect_left(marks, end)
    clause_end = marks[j] if j < len(marks) else len(s)
    return bool(_FRAME_END.match(s, max(end, clause_end - _WORD_REACH)))


@dataclass
class Draft:
    label: str
    sentence: Sentence
    runners: list[str]
    core: str
    places: list[PlaceMention] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    funding: bool = False
    """Named only by its money (下拨帮扶资金): in a paragraph that has a program, it funds that one."""
    share: tuple[int, int] | None = None
    """``(i, n)`` for the i-th of n runners that 分别 give the n sums that follow, in order."""
    after: int = 0
    """Offset in the sentence after which its own sums are stated (for ``share``)."""
    named_at: tuple[int, int] | None = None
    """Where in the article an anaphor's antecedent names it (此项赛事 → 鹤岗市第三届…大赛): its places count."""
    compound: tuple[int, int] | None = None
    """Where the compound it is a part of stands (its sentence's start, its offset there): the parts of
    ``A暨B`` are two programs, however alike their names."""
    kind: str = "trigger"
    """Which reading found it: ``organise``, ``trigger``, ``quote``, ``plan``, ``held``, ``headline`` or ``share``."""
    runner_how: str = ""
    """How its runners were found: the subject of its clause, 我市 (``own``), the article's main union
    (``fallback``), the federation of the place its clause opens with (``place``), or the reading itself
    (``organise``, ``share``, ``headline``)."""
    place_how: dict = field(default_factory=dict)
    """How each of its places was tied to it (:data:`.links.PLACE_HOWS`), the first way kept."""
    amount_how: dict = field(default_factory=dict)
    """How each of its amounts was tied to it (:data:`.links.AMOUNT_HOWS`), the first way kept."""

    def tie(self, items: list, how: str) -> list:
        """``items``, noting that they were tied to this program ``how`` (the first way noted wins)."""
        store = self.amount_how if items and isinstance(items[0], Amount) else self.place_how
        for x in items:
            store.setdefault(x, how)
        return items

    def tie_from(self, other: Draft, items: list) -> list:
        """``items`` of ``other``, merged into this program: each keeps the way it was tied to ``other``."""
        for x in items:
            ways = other.amount_how if isinstance(x, Amount) else other.place_how
            (self.amount_how if isinstance(x, Amount) else self.place_how).setdefault(x, ways.get(x, "sentence"))
        return items


class _Covered:
    """Whether an offset lies within any of some spans, by bisection (a long sentence holds thousands:
    testing each span for each verb was quadratic)."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(accumulate((b for _, b in spans), max))

    def __contains__(self, at: int) -> bool:
        i = bisect_right(self.starts, at)
        return i > 0 and self.reach[i - 1] > at


def _planned(masked: str) -> _Covered:
    """The stretches of a sentence that tell of plans: from each :data:`_PLAN` to the end, or to a clause
    that turns back to what is done (:data:`_DONE`)."""
    spans: list[tuple[int, int]] = []
    for m in _PLAN.finditer(masked):
        if spans and m.start() < spans[-1][1]:
            continue
        done = _DONE.search(masked, m.end())
        spans.append((m.start(), done.start() if done else len(masked)))
    return _Covered(spans)


class ByOffset:
    """Mentions sorted by offset, so that those in a sentence are found by bisection (linear in article size)."""

    def __init__(self, items):
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]

    def within(self, sent: Sentence | None) -> list:
        if sent is None:
            return []
        lo = bisect_left(self.starts, sent.start)
        return self.items[lo : bisect_left(self.starts, sent.start + len(sent.text), lo)]


_ANAPHORIC_HEADS = {"赛事", "比赛", "大赛", "竞赛", "活动", "行动", "工程", "项目", "培训"}
_EVENT_NP = re.compile(r"(?:^|[，。；！？\n])([\u4e00-\u9fff“”·]{2,24}?(?:大赛|竞赛|比赛|活动|行动|工程))")


def named_events(text: str) -> tuple[list[int], list[tuple[str, int, int]]]:
    """Events named at the start of a clause (for 此项赛事, 本次活动): where each ends, its label and where it starts.

    Computed once per article, so that each anaphor looks back by bisection, not by rescanning."""
    ends, labels = [], []
    for m in _EVENT_NP.finditer(text):
        label = clean_label(m.group(1))
        if label not in GENERIC and len(label) >= 4 and not re.match(r"(整个|整场|这|该|此|本|各|每|全|那)", label):
            ends.append(m.end())
            labels.append((label, m.start(1), m.end()))
    return ends, labels


_BREAKDOWN = re.compile(r"(?:^|[，。；：])其中[，,：:]?")
_SEGMENT = re.compile(r"[^，。；、,;（）()]+")


def breakdown(sent: Sentence, unions: ByOffset, amounts: ByOffset, label: str,
              funding: bool = False) -> Iterator[Draft]:
    """A total broken down by giver (``…共捐款X万元。其中，A总N万元，B总M万元（含C总K万元）``):
    each union that opens an item of the list gives its own sum to the program told of (``label``;
    ``funding`` when only its money names it, as :attr:`Draft.funding`)."""
    m = _BREAKDOWN.search(sent.text)
    if m is None or not label:
        return
    at = sent.start
    for i, seg in enumerate(_SEGMENT.finditer(sent.text, m.end())):
        first = seg.start() + (sent.text.startswith("含", seg.start()))
        who = [u for u in unions.within(sent) if u.start - at == first]
        sums = [a for a in amounts.within(sent) if seg.start() <= a.start - at < seg.end() and a.unit == "CNY"]
        if who and sums:
            # each giver's sum is that giver's total, though the list is a part of the sum stated before it
            given = replace(sums[0], role="total") if sums[0].role == "part" else sums[0]
            yield Draft(label, sent, [who[0].name], core_name(label), amounts=[given], funding=funding, kind="share",
                        runner_how="share", amount_how={given: "share"})
        elif i == 0:
            return  # 其中拨付A工会N万元、B工会M万元: a list of whom it goes to, not of givers


_TRIGGER = re.compile(TRIGGER_RE)
_MAY_NAME = re.compile(rf"{TRIGGER_RE}|[“『「《由]|主办|承办|{_HELD_VERBS}|{_COMES_VERBS}")
"""What a sentence needs for any reading below to find a program in it (a headline aside): a trigger, a quote
or a title, 由 or 主办的 (organised by), an event's verb (举行, 走进)."""


def _verbs(s: str, masked: str) -> Iterator[re.Match]:
    """The trigger verbs of a sentence that jieba does not read across a word's end: 资助 in 集资/助学 is
    none, and where 组织开展 is (工会组织/开展), its 开展 is still tried."""
    pos = 0
    while (m := _TRIGGER.search(masked, pos)) is not None:
        if not straddles(s, m.start(), m.end()):
            yield m
            pos = m.end()
        else:
            pos = m.start() + 1


def _qualifies_a_noun(s: str, at: int) -> bool:
    """Whether what follows a quoted name at ``at`` is a short noun phrase that ends its clause (…“一站式”维权
    服务平台。): the quote then describes that noun; a count, a verb or a long phrase after it (“X”健身场馆11家,
    “X”进行表彰) leaves the quote the name of what is done."""
    tail = re.match(r"[^，。；：！？,;:!?\n]*", s[at:]).group(0)
    if not 2 <= len(tail) <= 12 or not re.fullmatch(r"[\u4e00-\u9fff]+", tail):
        return False
    return all(w.flag in ("n", "vn", "nz", "ng") for w in pos_cut(tail))


def _held(s: str, masked: str, covered: _Covered, subjects: Subjects) -> Iterator[Draft]:
    """Events named as the subject of 举行/启动 (``“X”劳动竞赛暨Y专项竞赛启动仪式在此举行``) or, after their
    union, of 走进 and a place (``X总工会送清凉活动走进建筑工地``): each of a compound's parts (暨) is a
    program, run by the union its clause names before it, else the article's."""
    held = [*_HELD.finditer(masked)] if _ENDS_HELD.search(masked) else []  # the verb first: the rest is slow
    comes = [*_COMES.finditer(masked)] if _COMES_VERB.search(masked) else []
    for m in sorted([*held, *comes], key=lambda m: m.start()):
        if m.start() in covered:
            continue
        clause_start = max(masked.rfind(c, 0, m.start()) for c in "，。；：！？\n") + 1
        phrase = s[clause_start : m.start()]
        if not phrase or _PREDICATE_IN_SUBJECT.search(phrase):
            continue
        named = [u for u in subjects.here if clause_start <= u.start - subjects.sent.start < m.start()]
        if not named and m.re is _COMES:
            continue  # 宣讲团走进校园 under a photo: whose it is, the clause does not say
        if named:  # <union>“…”送温暖活动正式启动: what follows the last union named
            u = named[-1]
            phrase = s[u.start - subjects.sent.start + len(u.surface) : m.start()]
        phrase = phrase.split("的")[-1] if "的" in re.sub(r"“[^”]*”", "", phrase) else phrase
        parts = _COMPOUND.split(phrase.split("——")[-1])
        compound = (subjects.sent.start, m.start()) if len(parts) > 1 else None
        for part in parts:
            label = clean_label(part.strip(" ·-"))
            if (len(label) < 4 or len(label) > 40 or not EVENT_HEAD.search(label) or label.endswith("工作")
                    or label in GENERIC
                    or label in HEADS or label[0] in NOT_FIRST):
                continue
            runners = subjects.before(m.start())
            if runners:
                yield Draft(label, subjects.sent, runners, core_name(label), compound=compound, kind="held",
                            runner_how=subjects.how)


def readings(sent: Sentence, unions: ByOffset, fallback: str | None,
              is_headline: bool, antecedent: tuple[str, int, int] = ("", 0, 0),
              own: dict[str, str] | None = None) -> Iterator[Draft]:
    """Every program the sentence names, with its runners (before places and amounts are added).

    ``antecedent`` is the event the text named last before the sentence, for anaphoric subjects,
    with its offset in the article; ``own`` the article's federation by level, for 我市 as a subject."""
    s = sent.text
    here = unions.within(sent)
    if not here and fallback is None and not says_own_place(s):
        return  # no union named, none to fall back on, no 我市: nothing here has a runner
    if not is_headline and not _MAY_NAME.search(s):
        return  # no verb, quote, title, 由 or event verb: a sentence of the story around its programs
    if _QUESTION.search(s):
        return  # 开展了哪些帮扶活动？: a question asks what is done, it tells of nothing done
    masked = mask_quotes(s)
    planned = _planned(masked)
    taken: list[tuple[int, int]] = []

    subjects = Subjects(sent, masked, here, fallback, own)
    runner_before = subjects.before

    starts = [u.start - sent.start for u in here]

    def named_within(a: int, b: int) -> list[str]:
        """The unions named from ``a`` to ``b`` in the sentence (by bisection: there may be thousands)."""
        return [u.name for u in here[bisect_left(starts, a) : bisect_left(starts, b)]]

    # 1. organised by: the thing named at the start of the sentence
    for m in ORGANISE.finditer(masked):
        who = named_within(m.start("who"), m.end("who"))
        if not who:
            continue
        end = m.end()
        while co := _CO_ROLE.match(masked, end):  # ，C 承办，D 协办: hosts and co-organisers run it too
            if co.group(2) != _ASSISTS:
                who += named_within(co.start(1), co.end(1))
            end = co.end()
        who = list(dict.fromkeys(who))
        if masked[end : end + 1] == "的":
            # 由 A 主办、B 承办的 <program>: the program is named after the organisers
            label = object_after(s, masked, end + 1)
            if label:
                yield Draft(label, sent, who, core_name(label), kind="organise", runner_how="organise")
                taken.append((0, end + 1 + len(label)))
            continue
        subject = re.split(r"[以在于由，,]", s[: m.start()], maxsplit=1)[0]
        subject = re.sub(r"(是|均|都|则|将|还)$", "", subject)
        anaphoric = re.match(r"^(此项|该项|本项|本届|本次|此次|这次|该|今年的?|首届)", subject)
        subject = clean_label(subject[anaphoric.end():] if anaphoric else subject)
        named_at = None
        if anaphoric and subject in _ANAPHORIC_HEADS and antecedent[0]:
            subject, start, end = antecedent  # 此项赛事是由市总工会主办: the contest named before
            named_at = (start, end)
        if 2 <= len(subject) <= 30 and EVENT_HEAD.search(subject) and subject not in GENERIC and subject not in HEADS:
            yield Draft(subject, sent, who, core_name(subject), named_at=named_at, kind="organise",
                        runner_how="organise")
            taken.append((0, m.end()))

    # 1b. organised by, said in a relative clause without 由: <union>主办的<program> (B承办了A主办的X)
    for m in _ORGANISED_BY.finditer(masked):
        if any(a <= m.start() < b for a, b in taken):
            continue
        who = [u for u in here if u.start - sent.start + len(u.surface) == m.start()]
        if not who:
            continue
        label = object_after(s, masked, m.end())
        if not label:
            continue
        runners = runner_before(m.start())  # A、B共同主办的X: all the organisers coordinated
        if who[0].name not in runners:
            continue
        first = min(u.start for u in here if u.name in runners) - sent.start
        before = [u for u in here if u.start - sent.start + len(u.surface) <= first]
        if before and _HOSTED.fullmatch(s, before[-1].start - sent.start + len(before[-1].surface), first):
            runners = [before[-1].name, *runners]  # B承办了A主办的X: the host runs it too
        yield Draft(label, sent, runners, core_name(label), kind="organise", runner_how="organise")
        taken.append((m.start(), m.end() + len(label)))

    speech = _Covered(quoted_spans(s, least=25))
    marks = [m.start() for m in _MARKS.finditer(s)]
    reach = max((b for _, b in taken), default=0)  # every span taken starts before the verbs still to come

    # 2. trigger verb + object
    given: Draft | None = None  # the last money given in the sentence, and where its phrase ends
    given_end = 0
    for m in _verbs(s, masked):
        held_for = m.group(0).endswith(_HOLDS) and _FOR_WHOM.match(s, m.end())
        if (m.start() < reach or m.start() in speech or _PURPOSE.search(s, max(0, m.start() - _WORD_REACH), m.start())
                or m.start() in planned and not s.startswith(("了", "过"), m.end())  # 接下来，…举办了X: done
                or _ANNIVERSARY.match(s, m.end()) or _COMPLEMENT.match(s, m.end()) and not held_for
                or _framed(s, marks, m.start(), m.end())):
            continue
        if s[max(0, m.start() - 1) : m.start()] in _PASSIVE:
            continue  # 被授予“X”称号, 被评选为…: the subject is given to, it gives nothing
        relative = s[m.end() : m.end() + 1] == "的" and m.group(0).endswith(_HELD_BY)  # 工会举办的<program>
        if not relative and s[m.end() : m.end() + 1] in ("、", "，", "的"):
            continue  # 工会精心准备的礼包: a verb inside a relative clause names no program, but what it holds;
            # 策划、举办X: the last of a list of verbs takes the object (创建A、建成B: each verb its own)
        if verb_in_noun(s, m.end()):
            continue  # 物流配送员, 启动仪式: the verb inside a noun
        at = m.end() + 1 if held_for or relative else m.end()  # 开展为环卫工人送清凉等活动: for whom, then what
        label, funding = (object_after(s, masked, at) if m.group(0) not in GIVES_ONLY else None), False
        if label is not None and m.group(0) == "提供" and label.endswith("服务"):
            label = None  # 提供冷热饮水、纳凉休息等服务: what a place offers, not a program run
        if label is None:
            # 送去“暖冬礼包”, 准备了装有口罩、食品的“暖心包”: a quoted name is the object; one that
            # names a handout (礼包, 卡) is a detail of a program
            count = _COUNT.match(s, m.end())  # 评选10名“岗位能手”: how many, then the title
            q = QUOTE.match(s, count.end() if count else m.end())
            if q is not None and _qualifies_a_noun(s, q.end()):
                q = None  # 打造“一站式”维权服务平台: the quote qualifies the noun that ends the clause
            name, content = (q.group(0), q.group(1)) if q else (None, "")
            if q is None and (q := _NAMED_OBJECT.match(s, m.end())):
                name, content = q.group(1), q.group(2)
            label, funding = (name, bool(HANDOUT.fullmatch(content))) if name else money_reading(s, m)
            if label is None:
                continue
            if (not name and not funding and label not in re.split(r"[，,]", s[m.end() :], maxsplit=1)[0]
                    and any(b <= m.start() and not re.search(r"[；﹔]", s[b : m.start()]) for _a, b in taken)):
                continue  # 开展X活动，投入N元，慰问… (or …用于Y): the money, and what it pays for, are
                # the program named before in the clause
        runners = runner_before(m.start())
        if len(runners) > 1 and s[max(0, m.start() - 2) : m.start()] == "分别":
            # A、B 分别拨付 300万元、150万元: each runner gives its own sum
            for i, r in enumerate(runners):
                yield Draft(label, sent, [r], core_name(label), funding=funding, share=(i, len(runners)),
                            after=m.end(), runner_how=subjects.how)
            taken.append((m.start(), m.end() + len(label)))
            reach = max(reach, m.end() + len(label))
            continue
        if runners:
            items = enumeration(label)
            if not label.startswith("“"):
                items = items[:1]  # an unquoted list is one activity described by its first item
            if (given is not None and given.runners == runners and not label.startswith("“") and not funding
                    and m.group(0) not in MONEY_VERBS and _SUPPORTS.search(s, given_end, m.start())):
                given.label, given.core, given.funding = items[0], core_name(items[0]), False
                given = None  # 下拨N元资金，支持…开展X: the money is X's, one program named by what it pays for
            else:
                made = [Draft(item, sent, runners, core_name(item), funding=funding, runner_how=subjects.how)
                        for item in items]
                yield from made
                if m.group(0) in MONEY_VERBS:
                    given, given_end = made[0], m.end() + len(label)
                at_end = s.find(label, m.end()) + len(label)
                more = _ALSO.match(s, at_end) if not funding and at_end >= len(label) else None
                if more and not re.search(TRIGGER_RE, more.group(1)):
                    also = clean_label(more.group(1))  # 举行A，B、C等系列活动: the verb's second object
                    yield Draft(also, sent, runners, core_name(also), runner_how=subjects.how)
                    label = s[m.end() : more.end()]
            taken.append((m.start(), m.end() + len(label)))
            reach = max(reach, m.end() + len(label))

    # 3. quoted names with a head, and 《plans》
    covered = _Covered(taken)
    for m in QUOTE.finditer(s):
        if m.start() in covered or m.start() in planned or _framed(s, marks, m.start(), m.end()):
            continue  # 为落实“X”活动要求: what the clause follows, not what it does
        tail = _quote_tail(s, m.end())
        if tail is None or tail.endswith("工作") and noun_follows(s, m.end() + len(tail)):
            continue  # “四门”工作理念: 工作 qualifies a noun, no work done
        label = m.group(0) + tail
        if APPROACH.search(label):
            continue  # “文旅+康养”融合发展模式: a way of working, not a program run
        if _ATTENDS.search(s, max(0, m.start() - 4), m.start()):
            continue  # X工会干部参加“Y”活动: who attends does not run it
        runners = runner_before(m.start())
        if runners:
            yield Draft(label, sent, runners, m.group(1), kind="quote", runner_how=subjects.how)
    for m in BOOK.finditer(s):
        if _issued_before(s, m.start()) and re.search(
            r"(计划|方案|办法|意见|通知|规定|细则|纲要)$", m.group(1)
        ):
            runners = runner_before(m.start())
            if runners:
                yield Draft(m.group(0), sent, runners, m.group(1), kind="plan", runner_how=subjects.how)

    # 4. an event as the subject: <event>(启动仪式)在…举行, <union><event>正式启动
    for d in _held(s, masked, _Covered(taken), subjects):
        taken.append((0, len(s)))  # a sentence that holds an event is no headline of another
        yield d

    # 5. a headline: <union> <verb> <object>, or <thing> 开馆/开班/举行 about the article's union
    if is_headline and here and not taken:
        u = here[0]
        rest = s[u.start - sent.start + len(u.surface):].strip().lstrip("：:，、 ")
        if rest:
            rest = re.split(r"[，。；]|——", rest)[0].strip()
            rest = _END_VERBS.sub("", rest)
            if OFFICER.match(rest):
                rest = ""  # <union>党组书记、主席张华参加活动: what its officer does or attends
            for_whom = _FOR_WHOM.match(rest)
            if for_whom:
                rest = rest[for_whom.start(1):]  # <union>为环卫工人送清凉: what it does for them
            vm = for_whom or _HEADLINE_VERB.match(rest)
            rest = _AMOUNT_IN_LABEL.sub("", rest)
            says = re.match(r"\s*[：:]", s[u.start - sent.start + len(u.surface):])  # <union>：<what it does>
            if 3 <= len(rest) <= 24 and (vm or says or " " in s or ENDS_IN_HEAD.search(rest)):  # …完成…关爱行动
                yield Draft(clean_label(rest), sent, [u.name], core_name(rest), kind="headline", runner_how="headline")
    elif is_headline and fallback and _END_VERBS.search(s):
        thing = clean_label(_END_VERBS.sub("", s).strip())
        if 3 <= len(thing) <= 20:
            yield Draft(thing, sent, [fallback], core_name(thing), kind="headline", runner_how="fallback")


