"""Labels: what a program is called, the way a person would name it.

The noun phrase after a trigger up to its
last head, trimmed of filler (years, counts, sums); the items of an enumeration;
and whether two labels name one program.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...gazetteer import gazetteer
from ...lexicon import FUNDS, HEADS, TRIGGERS
from ...nlp import pos_cut

HEAD_RE = "|".join(sorted(HEADS, key=len, reverse=True))
TRIGGER_RE = "|".join(sorted(TRIGGERS, key=len, reverse=True))

QUOTE = re.compile(r"[“『「]([^“”『』「」\n]{2,24})[”』」]")
BOOK = re.compile(r"《([^《》\n]{2,40})》")
STOP = "，。；：！？、,;:!?（）()…—"
_LEAD = re.compile(
    r"^(了|过|起|好|一批|一系列|系列|一场|一次(?!性)|一项|各类|各种|多项|多种|多场|相关|新的|新一轮|"
    r"\d{4}年度?|(\d+|[一二三四五六七八九十两]+)个月|(\d+|[一二三四五六七八九十两]+)(场|次(?!性)|项|个|期|批|家|所|座|处|支|名|大|条)|以上|今年|全年|首届|首批|"
    r"第[一二三四五六七八九十\d]+(届|期|批|个|家|座|所)|"
    r"\d+(\.\d+)?[多余]?[万亿]?元)+"
)
GENERIC = {
    "活动", "行动", "工作", "服务", "项目", "计划", "机制", "模式", "平台", "制度", "体系", "培训", "大会",
    "基地", "中心", "队伍", "方案", "办法", "品牌", "行", "周", "月", "节", "仪式", "这项工作", "相关工作",
    "各项工作", "此项工作", "该项目", "该活动", "此次活动", "本次活动", "这次活动", "这项活动", "工作要求",
    "具体工作", "一系列工作", "实施方案", "工作方案", "新机制", "新模式", "长效机制", "重要工作",
    "一项重要工作", "各项服务", "相关服务",
}
"""Labels too bare to name a program."""
APPROACH = re.compile(r"(模式|新机制|路径|格局|新路子|新局面|新体系)$")
"""``构建职工文体活动新模式``, ``“工会+文旅”融合发展模式``: a way of working described, not a program run."""
EVENT_HEAD = re.compile(rf"({HEAD_RE}|会|赛|节|展)$")
ENDS_IN_HEAD = re.compile(rf"({HEAD_RE})$")
_HEADS_AT = re.compile(rf"(?=({HEAD_RE}))")
"""Every program head in a span, overlapping ones included (the head found at each position)."""
NOT_FIRST = STOP + "”』」》和与及并在对为等该此这其把向从将被到以"
"""What no program's name starts with: a mark, a closing quote, a conjunction, a preposition, a pronoun."""

AGENT = set("员者商")
"""After a verb, a noun of who does it: 配送员, 参赛者, 供应商."""


def verb_in_noun(s: str, end: int) -> bool:
    """Whether the verb ending at ``end`` is part of a noun: who does it (配送员), or the ceremony it names
    (启动仪式, 签约仪式: the ceremony is held, nothing is launched here)."""
    return s[end : end + 1] in AGENT or s.startswith("仪式", end)
_NOUN_TAIL = set("金费款品卡证员者室群奖券业")
"""A head followed by one of these is part of a longer noun: 慰问金, 培训费, 活动室, 服务业."""

_QUALIFIERS = {"工作", "活动", "服务"}
"""Heads that as often qualify the noun after them (工作岗位, 活动场所, 服务平台) as name what is done."""


def noun_follows(span: str, at: int) -> bool:
    """Whether a noun of two characters or more follows ``at`` (工作/岗位, 工作/思路, 工作/队员): 工作 then
    qualifies it, and names no work done."""
    if at >= len(span) or not "\u4e00" <= span[at] <= "\u9fff":
        return False
    word, flag = pos_cut(span[at : at + 4])[0]
    return len(word) >= 2 and flag in ("n", "nz", "ng")


_OPENS, _CLOSES = "“『「《", "”』」》"
_QUOTE_MARK = re.compile(f"[{_OPENS}{_CLOSES}]")
_MASK = str.maketrans(dict.fromkeys(STOP, "·"))


def mask_quotes(s: str) -> str:
    """``s`` with punctuation inside quotes replaced, so a quoted name is never cut."""
    if not any(c in s for c in _OPENS):
        return s
    out, depth, last = [], 0, 0
    for m in _QUOTE_MARK.finditer(s):  # the text between two marks, masked where a quote is open
        out.append(s[last : m.start()].translate(_MASK) if depth else s[last : m.start()])
        depth = depth + 1 if m.group() in _OPENS else max(0, depth - 1)
        out.append(m.group())
        last = m.end()
    out.append(s[last:].translate(_MASK) if depth else s[last:])
    return "".join(out)


def quoted_spans(s: str, pairs: str = "“”", least: int = 0, one_line: bool = False) -> list[tuple[int, int]]:
    """The spans ``re.finditer`` gives for ``“[^”]{least,}”`` (an alternative for each open and close quote
    in ``pairs``; with ``one_line`` no line break inside), found in one pass: the pattern reads to the next
    close quote again from every open one, quadratic in a line of quotes left open."""
    close_of = dict(zip(pairs[0::2], pairs[1::2]))
    after: dict[str, int] = {}  # the first position of a close quote or line break at or after the last search

    def next_of(c: str, i: int) -> int:
        if after.get(c, -1) < i:
            found = s.find(c, i)
            after[c] = len(s) if found < 0 else found
        return after[c]

    spans: list[tuple[int, int]] = []
    for m in re.finditer("[" + re.escape(pairs[0::2]) + "]", s):
        i = m.start()
        if spans and i < spans[-1][1]:
            continue
        close = next_of(close_of[s[i]], i + 1)
        if close < len(s) and (not one_line or close < next_of("\n", i + 1)) and close - i - 1 >= least:
            spans.append((i, close + 1))
    return spans


def clean_label(label: str) -> str:
    """Trim leading filler: ``了``, ``一系列``, years, counts, sums of money."""
    label = label.strip(" ·")
    prev = None
    while prev != label:
        prev = label
        label = _LEAD.sub("", label).strip()
    return label


_PREDICATE = re.compile(r"(?<=.)(?:了|在(?!线)|出席|来自|哪些)|工(?:会|联会)(?:为|协助|帮助|向|对|给)")
"""Words that make what follows a trigger a clause of its own, not the name of what it does (X工会为Y服务:
a union and what it does for whom)."""


def is_clause(label: str) -> bool:
    """Whether a label, outside its quotes, is a clause of its own rather than a name (:data:`_PREDICATE`)."""
    return _PREDICATE.search(re.sub(r"“[^”]*”|《[^》]*》", "", label)) is not None


SPAN_MAX = 200
"""The farthest a noun phrase reaches after its trigger, quotes and all (the longest label the corpus has
is 60 characters): without it a quote left open made every trigger read the rest of the line."""


_ASIDE = re.compile(r"[（(][\u4e00-\u9fff]{1,6}[）)]")
"""A short aside inside a noun phrase: 职工（农民工）技能培训班, 服务（X）中心."""


_TOWARDS = re.compile(r"^(?:对|针对|面向)([\u4e00-\u9fff0-9]{2,14})$")
"""Whom a short program is for, written before it: 对X的慰问活动."""


_LISTED = re.compile(r"[^，。；：！？]{4,70}?、[^，。；：！？]{1,30}?等[^，。；：！？、]{0,10}的")
"""A list of things before 等…的 and the program it names (开办A、B、C等多种类型的职工学堂)."""


def _inside_the_name(span: str, start: int, end: int) -> bool:
    """Whether the trigger at ``start:end`` of an object's span is part of the name, as a noun: who does it
    (X配送员), or a ceremony named after what it is for (X启动仪式暨Y活动), though not after a program's
    head (X活动启动仪式 is X活动's) nor after one character (资助金发放仪式 read from 资助 leaves 金)."""
    if not verb_in_noun(span, end):
        return False
    return span[end : end + 1] in AGENT or start >= 2 and not ENDS_IN_HEAD.search(span, 0, start)


HANDOUT = re.compile(r"(?:[\u4e00-\u9fff]|“[\u4e00-\u9fff]{1,4}”){0,8}?(卡|券|礼包|慰问品|礼物|保险|书籍|图书|书箱|药品|用品|物品|年货|大礼包|物资|饮品|"
                      r"慰问金)(?![\u4e00-\u9fff])")
"""Things handed out (发放观影卡, 捐赠防暑用品): the handing out is the program."""
_NAMES_ITS_KIND = re.compile(rf"[\u4e00-\u9fff]{{0,4}}?({HEAD_RE})(等.*)?")
"""After a second trigger, no more than a few words and a head (…医疗补贴发放活动, …车票补贴关爱行动): the trigger
is a word of the name, not the start of another verb's object (but see :func:`_cut_at`)."""
_HOLDING = ("开展", "举办", "组织", "举行", "实施")
"""Verbs that hold an event: after money or things (投入资金开展X, 捐赠图书举办Y) each opens a clause of its own."""
_ENDS_IN_THINGS = re.compile(HANDOUT.pattern + "$")


def _cut_at(span: str, inner: re.Match) -> bool:
    """Whether a second trigger in the phrase after a verb (``inner``, found in ``span[1:]``) ends its object:
    unless it is a word of one name (:data:`_NAMES_ITS_KIND`), but always where a head or money ends the words
    before it (金秋助学活动启动仪式: the program, then its ceremony), where it holds an event after money or things
    given (:data:`_HOLDING`: 投入专项资金开展X), or where what follows it is bare (支持工会开展各项活动)."""
    before, at = span[: inner.start() + 1], inner.end() + 1
    kind = _NAMES_ITS_KIND.fullmatch(span, at)
    given = before.endswith(FUNDS) or _ENDS_IN_THINGS.search(before) is not None
    return (kind is None or ENDS_IN_HEAD.search(before) is not None or inner.group() in _HOLDING and given
            or bare(span[at : kind.end(1)]))


def object_after(s: str, masked: str, pos: int) -> str | None:
    """The noun phrase after a trigger ending at ``pos``, up to the last program head; a short aside in
    brackets does not end it."""
    stop = min(len(masked), pos + SPAN_MAX)
    masked = masked[:pos] + _ASIDE.sub(lambda m: "·" * len(m.group(0)), masked[pos:stop]) + masked[stop:]
    end, depth, inq = pos, 0, [0]  # inq[i]: characters inside quotes among the span's first i
    # a list (A、B、C等…的X) may run longer: the program is named after it
    reach = 70 if _LISTED.match(masked, pos, min(stop, pos + 80)) else 40
    while end < stop and (masked[end] not in STOP or masked[end] == "、") and end - pos - inq[-1] < reach:
        depth += masked[end] in "“《"
        inq.append(inq[-1] + (depth > 0))
        depth -= depth > 0 and masked[end] in "”》"
        end += 1
    span = s[pos:end]
    purpose = re.search(r"用于|用来", span)
    if purpose:
        span = span[: purpose.start()]  # 筹集4000万资金用于走访慰问: what the money is for names it, see money
    if not span or span[0] in STOP + "”』」》":
        return None
    inner = next((m for m in re.finditer(TRIGGER_RE, mask_quotes(span)[1:])
                  if span[m.start() : m.start() + 1] not in "”』」》"
                  and inq[m.start() + 2] == inq[m.start() + 1]
                  and not _inside_the_name(span, m.start() + 1, m.end() + 1)),
                 None)  # “梧桐工匠”评选命名活动: where a second trigger begins, the first one's object ends
    if inner and _cut_at(span, inner):
        span = span[: inner.start() + 1]
    best = None
    for m in _HEADS_AT.finditer(span):  # overlapping: 服务站点 ends in 站点 as well as holding 服务站
        head = m.group(1)
        end = m.start() + len(head)
        # a long quoted name counts as one word: the phrase outside quotes is what must be short
        if (end - inq[end] <= reach - 4 and span[end : end + 1] not in _NOUN_TAIL
                and not (head in _QUALIFIERS and noun_follows(span, end))):
            best = end
    if best is None:
        return None
    for o, c in (("“", "”"), ("《", "》")):
        if span[:best].count(o) > span[:best].count(c):
            close = span.find(c, best)
            if close < 0:
                return None
            best = close + 1
    label = clean_label(span[:best])
    outside = re.sub(r"“[^”]*”|《[^》]*》", lambda m: "·" * len(m.group(0)), label)
    if "的" in outside:
        cut = outside.rindex("的")
        head = (label[:cut], label[cut + 1 :])
        quoted = QUOTE.search(head[0]) or BOOK.search(head[0])
        towards = _TOWARDS.match(head[0])
        if quoted and not QUOTE.search(head[1]):
            label = quoted.group(0) + head[1]
        elif towards and len(head[1]) <= 4 and "的" not in towards.group(1):
            label = clean_label(towards.group(1)) + head[1]  # 对环卫工人的慰问活动: whom it reaches names it
        else:
            label = head[1]
    if len(label) < 2 or label in GENERIC or APPROACH.search(label) or label[0] in NOT_FIRST or bare(label):
        return None
    if is_clause(label):
        return None  # 部署了…工作, 仪式在…中心, 某某出席相关活动: a clause, not a name
    return label




_BARE_WORDS = frozenset({"工作", "工会", "各项", "相关", "有关", "各类", "多项", "一些", "部分"})
"""Words before a head that say only whose it is or how many: with them alone a label names no program."""


@lru_cache(maxsize=1 << 14)
def bare(label: str) -> bool:
    """Whether a label says no more than what kind of thing it is: a head after words that only count,
    point or say whose (各项活动, 哪些活动, 工作项目, 工会工作); ``慰问活动`` says what is done.
    (Cached, and read only where the label ends in a head: every reading's label is asked.)"""
    if not ENDS_IN_HEAD.search(label) or QUOTE.search(label) or BOOK.search(label):
        return False
    words = pos_cut(label)
    i = 0
    while i < len(words) - 1 and (words[i].word in _BARE_WORDS or words[i].flag in ("m", "q", "r")):
        i += 1
    rest = "".join(w.word for w in words[i:])
    while (lead := next((b for b in _BARE_WORDS if rest.startswith(b) and len(rest) > len(b)), None)) is not None:
        rest = rest[len(lead):]  # 工会工作, one word to jieba
    return rest != label and rest in HEADS


COUNT = r"(?:\d+|[一二三四五六七八九十百千两]+)[多余]?[个家所处座条支名项场次批户期位对]"
"""A count of things: a numeral and a measure word (15个, 两家, 20余名); a program's name never ends in one
nor starts with one (:data:`_LEAD` has more fillers)."""
_COUNT_AFTER = re.compile(COUNT + "$")


def enumeration(label: str) -> list[str]:
    """The items of an enumerated label, each a program: ``A、B、C`` gives A, B and C; items that
    share one head get it (``“送岗位”“送清凉”活动`` → ``“送岗位”活动``, ``“送清凉”活动``)."""
    quotes = re.fullmatch(r"((?:“[^”]{1,20}”){2,})等?([\u4e00-\u9fff]{0,6})", label)
    if quotes:
        head = quotes.group(2)
        return [q + head for q in re.findall(r"“[^”]+”", quotes.group(1))]
    masked = mask_quotes(label)
    if "、" not in masked:
        return [label]
    cuts = [i for i, c in enumerate(masked) if c == "、"]
    items, start = [], 0
    for c in cuts + [len(label)]:
        items.append(_COUNT_AFTER.sub("", label[start:c].strip()))  # 职工之家15个、职工书屋: how many, not a name
        start = c + 1
    if any(len(i) < 2 for i in items):
        return [label]
    last = re.sub(r"^等", "", items[-1])
    shared = ENDS_IN_HEAD.search(last)
    lone = re.match(r"^(.{2,10}?)等(.*)$", last)
    if lone and shared and re.match(r"(各类|各种|多种|多项|多类|一系列|系列)", lone.group(2)):
        items[-1] = lone.group(1)  # “招聘周”、“援助月活动”等各类招聘活动: a kind, and named items of it
        return items
    if lone and shared:
        items[-1], head = lone.group(1), lone.group(2)  # A、B等慰问活动: the head is shared
        return [i if ENDS_IN_HEAD.search(i) else i + head for i in items]
    if all(ENDS_IN_HEAD.search(i) for i in items):
        return items
    if shared and all(len(i) <= 8 for i in items[:-1]):
        return [i if ENDS_IN_HEAD.search(i) else i + shared.group(1) for i in items]
    return [label]


def core_name(label: str) -> str:
    q = QUOTE.search(label) or BOOK.search(label)
    return q.group(1) if q else label


def same_name(a: str, b: str) -> bool:
    """Whether two labels name one program: the same quoted name, or one label inside the other
    (``技能竞赛``, ``扶贫车间职业技能竞赛``); a label too short to tell (``培训``) names nothing alone."""
    if a == b or core_name(a) == core_name(b) and core_name(a) != a:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and short in long


_GENERIC_WORDS = {"活动", "工作", "服务", "职工", "全市", "全省", "全县", "开展", "系列", "一系列", "主题", "工会",
                  "组织", "举办", "项目", "计划", "机制", "模式", "平台", "制度", "广大", "各地", "各级", "全国",
                  "期间", "困难职工", "广大职工", "企业"}


@lru_cache(maxsize=1 << 14)
def content_words(label: str) -> frozenset[str]:
    """The content words of a label (jieba's words of two or more characters, less generic ones and places:
    two labels that share only 临江 are not one program)."""
    g = gazetteer()
    return frozenset(w for w, flag in pos_cut(re.sub(r"[^\u4e00-\u9fff]", " ", label))
                     if len(w) >= 2 and flag != "ns" and not any(g.candidates(w + end, False) for end in _PLACE_ENDS)
                     ) - _GENERIC_WORDS


_PLACE_ENDS = ("", "区", "县", "市")
"""A word is a place when it names a division as it stands or with one of these (顺德 for 顺德区)."""


