"""Programs: what a union runs, named the way a person would name it.

Readings of a sentence, strongest first:

1. a union *organises* something named before it: ``本届环卫工人节……由福建省总工会主办``;
2. a trigger verb (``开展``, ``举办``, ``启动``, ``打造`` …) and the noun phrase
   after it up to a program head (``活动``, ``行动``, ``机制``, ``竞赛`` …):
   ``开展“聚力脱贫、工会同行”系列主题活动``; for money verbs (``下拨``, ``捐助`` …)
   without a head, the purpose (``用于受灾职工生活救助``) or the fund itself;
3. a quoted name with a program head: ``“三述”活动``; a ``《…》`` plan after
   ``印发``/``出台``;
4. a headline ``<union> <verb> <object>``: ``青岛高新区总助力复工复产``, or
   ``<thing> 开馆/开班`` about the article's union.

The runner is the union named before the trigger in the same sentence (all of
them for ``由 A、B 主办，C 承办``), else the article's main union. Amounts and
places come from the sentence, and money stated in the next sentences of the
paragraph goes to the program before it (``……给予支持，共投入6万元``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..split import sentences
from ..types import Amount, Article, PlaceMention, Program, Sentence, UnionMention

TRIGGERS = (
    "探索建立", "创新开展", "组织开展", "持续开展", "广泛开展", "深入开展", "积极开展", "联合开展",
    "开展", "举办", "启动", "实施", "推出", "打造", "设立", "捐助", "下拨", "拨付", "投入",
    "建立", "开设", "签约", "开启", "创建", "搭建", "发起", "组建", "召开", "选树", "评选", "发放",
    "筹集", "开办", "推行", "构建", "举行", "印发", "出台", "制定", "发布", "引入", "建成", "新建",
    "送上", "送出", "送去", "赠送", "准备", "提供", "成立", "安排", "拨出", "增拨", "拨款", "划拨", "给予",
    "出资", "资助", "补贴", "列支", "筹措", "捐赠", "授予", "颁授",
)
"""Verbs saying a union does something. Each fires only when a program head follows
(:data:`HEADS`), or, for the money verbs, a fund or a sum in yuan (:func:`_funding`)."""
HEADS = (
    "系列活动", "主题活动", "专项行动", "帮扶项目", "试点项目", "部署会", "培训班", "大讲堂",
    "活动", "行动", "工程", "项目", "计划", "机制", "模式", "竞赛", "大赛", "比赛", "培训", "讲堂",
    "学堂", "课堂", "工作", "服务", "制度", "体系", "基地", "中心", "站点", "服务站", "驿站",
    "大会", "晚会", "展映", "展览", "宣讲", "慰问", "体检", "救助", "专班", "队伍", "联盟",
    "仪式", "讲座", "论坛", "基金", "工作法", "品牌", "直播", "夏令营", "运动会",
    "联赛", "招聘会", "义诊", "专场", "书屋", "之家", "方案", "办法", "服务队", "志愿服务队",
    "工作室", "创业园", "博物馆", "展厅", "工作站", "推进会", "座谈会", "观摩会", "分享会", "交流会",
    "演出", "第一课", "小组", "疗休养", "筛查", "书箱",
)
_HEAD_RE = "|".join(sorted(HEADS, key=len, reverse=True))
_TRIGGER_RE = "|".join(sorted(TRIGGERS, key=len, reverse=True))
ORGANISE = re.compile(r"由(?P<who>(?:[^，。；]{2,40}?(?:指导|支持)[，、])?[^，。；]{2,80}?)(?:共同)?(主办|承办|举办|组织|发起|主导)")
"""由 A 主办; 由 A 指导，B 主办 (A guides: B runs it)."""
_CO_ROLE = re.compile(r"[，,、]([^，。；]{2,40}?)(承办|协办|联合主办|共同主办)")
_QUOTE = re.compile(r"[“『「]([^“”『』「」\n]{2,24})[”』」]")
_BOOK = re.compile(r"《([^《》\n]{2,40})》")
_STOP = "，。；：！？、,;:!?（）()…—"
_LEAD = re.compile(
    r"^(了|过|起|好|一批|一系列|系列|一场|一次|一项|各类|各种|多项|多种|多场|相关|新的|新一轮|"
    r"\d{4}年度?|(\d+|[一二三四五六七八九十两]+)(场|次|项|个|期|批|家|所|座|处|支|名|大)|以上|今年|全年|首届|"
    r"第[一二三四五六七八九十\d]+(届|期|批)|"
    r"\d+(\.\d+)?[多余]?[万亿]?元)+"
)
_GENERIC = {
    "活动", "行动", "工作", "服务", "项目", "计划", "机制", "模式", "平台", "制度", "体系", "培训", "大会",
    "基地", "中心", "队伍", "方案", "办法", "品牌", "行", "周", "月", "节", "仪式", "这项工作", "相关工作",
    "各项工作", "此项工作", "该项目", "该活动", "此次活动", "本次活动", "这次活动", "这项活动", "工作要求",
    "具体工作", "一系列工作", "实施方案", "工作方案", "新机制", "新模式", "长效机制", "重要工作",
    "一项重要工作", "各项服务", "相关服务",
}
"""Labels too bare to name a program."""
_APPROACH = re.compile(r"(新模式|新机制|新路径|新格局|新路子|新局面|新体系)$")
"""``构建职工文体活动新模式``: a way of working described, not a program run."""
_EVENT_HEAD = re.compile(rf"({_HEAD_RE}|会|赛|节|展)$")
_HEADLINE_VERB = re.compile(
    r"(助力|推进|推动|打造|开展|举办|启动|协调|实施|建设|选树|引导|创新|深化|构筑|打出|开启|探索|搭建|"
    r"组织|举行|发放|设立|筹集|下拨|投入|赴|走进|深入|学习|调研|参观|考察|慰问|看望|走访|帮扶|援助|"
    r"捐助|捐赠|拨付|驰援)"
)
_SUPPORT = re.compile(r"^[^，。；]{0,3}(的)?(大力)?(支持|帮助|指导|协助|关心|带领|号召|示范引领|引领|推动)下")
_RECIPIENT = re.compile(r"(向|为|给|对|替|帮助|协助|支持|邀请|慰问|联系|来到|走进|从)$")
"""A union right after these is whom something is given or done to (向 X 下拨, 为 X), not the runner."""
_OTHER_SUBJECT = re.compile(
    r"各[^，。；：！？]{0,10}?工会(?!干部|组织)|"
    r"(?<![总])(各级|各地|各类|基层|全市|全省|全县|全区|企业|当地)?[\u4e00-\u9fff]{0,8}?"
    r"(工会(?!干部|组织)|党委|市委|省委|县委|区委|政府|人社局|发改委|[\u4e00-\u9fff]局|厅|团委|妇联|公司|集团|学校|医院|"
    r"组委会|委员会|委会|办公室|协会|商会|合作社)")
"""An explicit subject that is not a union the article names: a clause it opens has no union runner."""
_ADVERBIAL = re.compile(r"(近日|日前|近期|近年来|同时|此外|另外|今年|目前|随后|当天|期间|据悉|据了解|\d+月\d+日)*")
"""A union named in ``在……的支持下`` supports; it is not the runner."""
_AMOUNT_IN_LABEL = re.compile(r"\d+(\.\d+)?[多余]?[万亿]?元")
_NOUN_TAIL = set("金费款品卡证员者室群奖券业")
"""A head followed by one of these is part of a longer noun: 慰问金, 培训费, 活动室, 服务业."""
_COORD = re.compile(r"^\s*(、|和|与|及|以及|同|会同|联合|携手)\s*$")
"""What may stand between two unions that run something together: 南京市总工会、苏州市总工会."""
_ORG_AFTER = re.compile(
    r"[\u4e00-\u9fff]{0,12}?(公司|集团|商会|协会|银行|委员会|管委会|事务所|合作社|工作部|研究院)")
"""A place that opens an organisation's name (北京洁源企业商会) says where the body is, not the program."""
_GOES_TO = re.compile(r"(走进|来到|前往|深入|赴|在)$")
"""Before a place, where a program goes: 走进红岛街道青岛红福集团 is in 红岛街道, though a company follows."""
_ANAPHOR = re.compile(r"^(这是|这就是|此次|这次|该活动|该项目|活动中|活动期间)")
"""A sentence that names what the one before it described: its places carry over."""
_NAMED_OBJECT = re.compile(r"了?[^，。；：！？“”]{0,30}?的(“([^“”\n]{2,24})”)(?=[，。；！？]|$)")
_COMPLEMENT = re.compile(r"(成|为)(?![立员])")
"""打造成…品牌项目, 建设为…: what something is made into is a description, not a program."""
_FRAME = re.compile(r"(?:^|[，；：])[^，；：。]{0,12}?(?:结合|围绕|依托|借助|根据|按照|对照|随着|抓住|把握)[^，；：。]*$")
_FRAME_END = re.compile(r"[^，；：。]*(需求|机遇|契机|要求|实际|任务|目标|精神|特点|优势|形势|背景|之际)(?=[，；：。]|$)")
"""A clause 结合/借助 … 需求/机遇 frames the sentence: a verb inside it runs nothing
(结合当地新建扩建项目和企业用工需求; 借助省总工会推行数智转型工程的机遇)."""
_ANNIVERSARY = re.compile(r"[\d一二三四五六七八九十百]+周年")
"""成立100周年: an anniversary, not something founded."""
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


_PURPOSE = re.compile(r"(为|以|要|将|需|应|必须|旨在|以便|力争)$")
_END_VERBS = re.compile(r"(开班|开馆|开幕|举行|启动|落幕|召开|开营|开赛|揭牌|成立|上线)$")


@dataclass
class _Draft:
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


def _mask_quotes(s: str) -> str:
    """``s`` with punctuation inside quotes replaced, so a quoted name is never cut."""
    out, depth = [], 0
    for c in s:
        if c in "“『「《":
            depth += 1
        elif c in "”』」》":
            depth = max(0, depth - 1)
        out.append("·" if depth and c in _STOP else c)
    return "".join(out)


def clean_label(label: str) -> str:
    """Trim leading filler: ``了``, ``一系列``, years, counts, sums of money."""
    label = label.strip(" ·")
    prev = None
    while prev != label:
        prev = label
        label = _LEAD.sub("", label).strip()
    return label


def _object_after(s: str, masked: str, pos: int) -> str | None:
    """The noun phrase after a trigger ending at ``pos``, up to the last program head."""
    end, depth, quoted = pos, 0, [0]  # quoted[i]: characters inside quotes among the span's first i
    while end < len(masked) and (masked[end] not in _STOP or masked[end] == "、") and end - pos - quoted[-1] < 40:
        depth += masked[end] in "“《"
        quoted.append(quoted[-1] + (depth > 0))
        depth -= depth > 0 and masked[end] in "”》"
        end += 1
    span = s[pos:end]
    if not span or span[0] in _STOP + "”』」》":
        return None
    inner = next((m for m in re.finditer(_TRIGGER_RE, _mask_quotes(span)[1:])
                  if span[m.start() : m.start() + 1] not in "”』」》"
                  and quoted[m.start() + 2] == quoted[m.start() + 1]), None)  # “成都工匠”评选命名活动: a noun
    if inner:
        span = span[: inner.start() + 1]
    best = None
    for m in re.finditer(_HEAD_RE, span):
        # a long quoted name counts as one word: the phrase outside quotes is what must be short
        if m.end() - quoted[m.end()] <= 36 and span[m.end() : m.end() + 1] not in _NOUN_TAIL:
            best = m.end()
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
        quoted = _QUOTE.search(head[0]) or _BOOK.search(head[0])
        label = (quoted.group(0) + head[1]) if quoted and not _QUOTE.search(head[1]) else head[1]
    if len(label) < 2 or label in _GENERIC or _APPROACH.search(label) or label[0] in _STOP + "”』」》和与及并在对为等该此这其把向从将被":
        return None
    return label


_MONEY_TRIGGERS = ("捐助", "捐赠", "捐款", "下拨", "拨付", "投入", "筹集", "发放", "拨出", "增拨", "拨款", "划拨",
                   "给予", "出资", "资助", "补贴", "列支", "筹措", "安排", "送上", "送出", "送去", "赠送", "提供",
                   "准备", "授予")
_FUND = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:、[\u4e00-\u9fff]{1,8}?)*(资金|经费|善款|款项|款物|物资|[\u4e00-\u9fff]?[助奖补]学?金|慰问金|"
                   r"救助金|补助|补贴|奖励|奖金|互助金|保障金)(?![\u4e00-\u9fff])")
"""A fund, open-ended: 专项资金, 救灾慰问资金, 助学金, 资助金, 互助保障金, 帮扶补助."""
_HANDOUT = re.compile(r"[\u4e00-\u9fff]{0,8}?(卡|券|礼包|慰问品|礼物|保险|书籍|药品|用品|年货|大礼包|物资|饮品|"
                      r"慰问金)(?![\u4e00-\u9fff])")
_BARE_FUND = re.compile(r"^[\u4e00-\u9fff]{2}(帮扶|专项|慰问|救助|配套|工会|补助)?(资金|经费|善款|款项|款物|物资)$")
"""A fund named by no more than its kind (投入帮扶资金, 下拨资金): money for the program just described."""
_YUAN_AFTER = re.compile(r"^[^，。；：]{0,10}?\d+(?:\.\d+)?[余多]?[万亿]?元")
"""Things handed out (发放观影卡, 捐赠防暑用品): the handing out is the program."""


def _funding(s: str, trigger: re.Match) -> tuple[str | None, bool]:
    """A donation or grant: what the money is for (``用于受灾职工生活救助``), else ``下拨帮扶资金``.

    The second value is true when only the money names it.
    """
    if trigger.group(0) not in _MONEY_TRIGGERS:
        return None, False
    clause = re.split(r"[。；！？]", s[trigger.end():], maxsplit=1)[0]
    purpose = re.search(r"用于([^，。；、]{2,20})", clause)
    if purpose:
        label = clean_label(purpose.group(1))
        return (label, False) if len(label) >= 2 else (None, False)
    first = re.split(r"[，,]", clause, maxsplit=1)[0]
    after_sum = re.sub(r"^.*?\d+(?:\.\d+)?[余多]?[万亿]?元的?", "", first)  # 共价值20余万元的慰问品 → 慰问品
    for thing in dict.fromkeys((clean_label(first).lstrip("的"), clean_label(after_sum))):
        handout = _HANDOUT.match(thing)
        if handout:
            return trigger.group(0) + handout.group(0), True  # what is handed out: a detail of a program
        fund = _FUND.match(thing)
        if fund:
            return trigger.group(0) + fund.group(0), True
    if _YUAN_AFTER.match(clause):
        return trigger.group(0) + "资金", True  # a bare 下拨200万元
    return None, False


_ENDS_IN_HEAD = re.compile(rf"({_HEAD_RE})$")


def enumeration(label: str) -> list[str]:
    """The items of an enumerated label, each a program: ``A、B、C`` gives A, B and C; items that
    share one head get it (``“送岗位”“送清凉”活动`` → ``“送岗位”活动``, ``“送清凉”活动``)."""
    quotes = re.fullmatch(r"((?:“[^”]{1,20}”){2,})等?([\u4e00-\u9fff]{0,6})", label)
    if quotes:
        head = quotes.group(2)
        return [q + head for q in re.findall(r"“[^”]+”", quotes.group(1))]
    masked = _mask_quotes(label)
    if "、" not in masked:
        return [label]
    cuts = [i for i, c in enumerate(masked) if c == "、"]
    items, start = [], 0
    for c in cuts + [len(label)]:
        items.append(label[start:c].strip())
        start = c + 1
    if any(len(i) < 2 for i in items):
        return [label]
    last = re.sub(r"^等", "", items[-1])
    shared = _ENDS_IN_HEAD.search(last)
    lone = re.match(r"^(.{2,10}?)等(.*)$", last)
    if lone and shared and re.match(r"(各类|各种|多种|多项|多类|一系列|系列)", lone.group(2)):
        items[-1] = lone.group(1)  # “招聘周”、“援助月活动”等各类招聘活动: a kind, and named items of it
        return items
    if lone and shared:
        items[-1], head = lone.group(1), lone.group(2)  # A、B等慰问活动: the head is shared
        return [i if _ENDS_IN_HEAD.search(i) else i + head for i in items]
    if all(_ENDS_IN_HEAD.search(i) for i in items):
        return items
    if shared and all(len(i) <= 8 for i in items[:-1]):
        return [i if _ENDS_IN_HEAD.search(i) else i + shared.group(1) for i in items]
    return [label]


def _core(label: str) -> str:
    q = _QUOTE.search(label) or _BOOK.search(label)
    return q.group(1) if q else label


class _ByOffset:
    """Mentions sorted by offset, so that those in a sentence are found by bisection (linear in article size)."""

    def __init__(self, items):
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]

    def within(self, sent: Sentence | None) -> list:
        if sent is None:
            return []
        lo = bisect_left(self.starts, sent.start)
        return self.items[lo : bisect_left(self.starts, sent.start + len(sent.text), lo)]


def main_union(article: Article, unions: list[UnionMention]) -> str | None:
    """The union the article is about: named in a headline, else most often."""
    if not unions:
        return None
    heads_len = sum(len(h) + 1 for h in article.headlines)
    counts = Counter(u.name for u in unions)
    for u in unions:
        if u.start < heads_len:
            counts[u.name] += 3
    best = max(counts.values())
    return next(u.name for u in unions if counts[u.name] == best)


_ANAPHORIC_HEADS = {"赛事", "比赛", "大赛", "竞赛", "活动", "行动", "工程", "项目", "培训"}
_EVENT_NP = re.compile(r"(?:^|[，。；！？\n])([\u4e00-\u9fff“”·]{2,24}?(?:大赛|竞赛|比赛|活动|行动|工程))")


def _events(text: str) -> tuple[list[int], list[tuple[str, int, int]]]:
    """Events named at the start of a clause (for 此项赛事, 本次活动): where each ends, its label and where it starts.

    Computed once per article, so that each anaphor looks back by bisection, not by rescanning."""
    ends, labels = [], []
    for m in _EVENT_NP.finditer(text):
        label = clean_label(m.group(1))
        if label not in _GENERIC and len(label) >= 4 and not re.match(r"(整个|整场|这|该|此|本|各|每|全|那)", label):
            ends.append(m.end())
            labels.append((label, m.start(1), m.end()))
    return ends, labels


def _readings(sent: Sentence, unions: _ByOffset, fallback: str | None,
              is_headline: bool, antecedent: tuple[str, int, int] = ("", 0, 0)) -> Iterator[_Draft]:
    """Every program the sentence names, with its runners (before places and amounts are added).

    ``antecedent`` is the event the text named last before the sentence, for anaphoric subjects,
    with its offset in the article."""
    s = sent.text
    masked = _mask_quotes(s)
    here = unions.within(sent)
    taken: list[tuple[int, int]] = []

    # the sentence's subject when it is another body: clauses without a subject of their own share it
    # (各级工会将多方筹资，共为350名学生发放助学金)
    start = _ADVERBIAL.match(s)
    opener = _OTHER_SUBJECT.match(masked, start.end() if start else 0)
    if opener and any(u.start - sent.start <= opener.end() and opener.start() <= u.start - sent.start
                      + len(u.surface) for u in here):
        opener = None

    def runner_before(pos: int) -> list[str]:
        clause = max(s.rfind(c, 0, pos) for c in "，；：。！？") + 1
        lead = _ADVERBIAL.match(s, clause)
        head = lead.end() if lead else clause
        other = _OTHER_SUBJECT.match(masked, head, pos)
        if not other and clause > 0:
            # a subject set off by a comma (各区、县（市）总工会，配套提供…): the segment before is only the subject
            start = max(s.rfind(c, 0, clause - 1) for c in "，；：。！？") + 1
            lead = _ADVERBIAL.match(s, start)
            whole = _OTHER_SUBJECT.match(masked, lead.end() if lead else start, clause - 1)
            other = whole if whole and whole.end() == clause - 1 else None
        if other and any(u.start - sent.start <= other.end() and other.start() <= u.start - sent.start
                         + len(u.surface) for u in here):
            other = None  # 全国总工会办公厅: the union's own office
        before = [u for u in here if u.start - sent.start < pos
                  and not _SUPPORT.match(s[u.start - sent.start + len(u.surface):])
                  and not _RECIPIENT.search(s[max(0, u.start - sent.start - 3) : u.start - sent.start])
                  and not (other and u.start - sent.start < other.start())]
        if not before:
            if other or opener:
                return []  # the clause's subject is another body (市人社局, 各级工会, a company): no fallback
            return [fallback] if fallback else []
        runners = [before[-1]]
        for u in reversed(before[:-1]):
            gap = s[u.start - sent.start + len(u.surface) : runners[0].start - sent.start]
            if not _COORD.match(gap):
                break
            runners.insert(0, u)
        return list(dict.fromkeys(u.name for u in runners))

    # 1. organised by: the thing named at the start of the sentence
    for m in ORGANISE.finditer(masked):
        guide = re.match(r"[^，。；]{2,40}?(?:指导|支持)[，、]", masked[m.start("who") : m.end("who")])
        first = m.start("who") + (guide.end() if guide else 0)
        who = [u.name for u in here if sent.start + first <= u.start < sent.start + m.end("who")]
        if not who:
            continue
        end = m.end()
        while co := _CO_ROLE.match(masked, end):  # ，C 承办，D 协办: co-organisers that are unions run it too
            who += [u.name for u in here if co.start(1) <= u.start - sent.start < co.end(1)]
            end = co.end()
        who = list(dict.fromkeys(who))
        if masked[end : end + 1] == "的":
            # 由 A 主办、B 承办的 <program>: the program is named after the organisers
            label = _object_after(s, masked, end + 1)
            if label:
                yield _Draft(label, sent, who, _core(label))
                taken.append((0, end + 1 + len(label)))
            continue
        subject = re.split(r"[以在于由，,]", s[: m.start()], maxsplit=1)[0]
        subject = re.sub(r"(是|均|都|则|将|还)$", "", subject)
        anaphoric = re.match(r"^(此项|该项|本项|本届|本次|此次|这次|该|今年的?|首届)", subject)
        subject = clean_label(subject[anaphoric.end():] if anaphoric else subject)
        named_at = None
        if anaphoric and subject in _ANAPHORIC_HEADS and antecedent[0]:
            subject, *span = antecedent  # 此项赛事是由市总工会主办: the contest named before
            named_at = (span[0], span[1])
        if 2 <= len(subject) <= 30 and _EVENT_HEAD.search(subject):
            yield _Draft(subject, sent, who, _core(subject), named_at=named_at)
            taken.append((0, m.end()))

    speech = [(m.start(), m.end()) for m in re.finditer(r"“[^”]{25,}”", s)]

    # 2. trigger verb + object
    for m in re.finditer(_TRIGGER_RE, masked):
        if (any(a <= m.start() < b for a, b in taken + speech) or _PURPOSE.search(s[: m.start()])
                or _ANNIVERSARY.match(s, m.end()) or _COMPLEMENT.match(s, m.end())
                or _FRAME.search(s, 0, m.start()) and _FRAME_END.match(s, m.end())):
            continue
        if s[m.start() - 1 : m.start()] in ("、",) or s[m.end() : m.end() + 1] in ("、", "，", "的"):
            continue  # 工会精心准备的礼包: a verb inside a relative clause names no program
        label, funding = _object_after(s, masked, m.end()), False
        if label is not None and m.group(0) == "提供" and label.endswith("服务"):
            label = None  # 提供冷热饮水、纳凉休息等服务: what a place offers, not a program run
        if label is None:
            # 送去“暖冬礼包”, 准备了装有口罩、食品的“暖心包”: a quoted name is the object; one that
            # names a handout (礼包, 卡) is a detail of a program
            q = _QUOTE.match(s, m.end())
            name, content = (q.group(0), q.group(1)) if q else (None, "")
            if q is None and (q := _NAMED_OBJECT.match(s, m.end())):
                name, content = q.group(1), q.group(2)
            label, funding = (name, bool(_HANDOUT.fullmatch(content))) if name else _funding(s, m)
            if label is None:
                continue
        runners = runner_before(m.start())
        if len(runners) > 1 and s[max(0, m.start() - 2) : m.start()] == "分别":
            # A、B 分别拨付 300万元、150万元: each runner gives its own sum
            for i, r in enumerate(runners):
                yield _Draft(label, sent, [r], _core(label), funding=funding, share=(i, len(runners)),
                             after=m.end())
            taken.append((m.start(), m.end() + len(label)))
            continue
        if runners:
            items = enumeration(label)
            if not label.startswith("“"):
                items = items[:1]  # an unquoted list is one activity described by its first item
            for item in items:
                yield _Draft(item, sent, runners, _core(item), funding=funding)
            taken.append((m.start(), m.end() + len(label)))

    # 3. quoted names with a head, and 《plans》
    for m in _QUOTE.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        tail = re.match(rf"[^{_STOP}“”的为把被对将在向从与和]{{0,6}}?({_HEAD_RE})", s[m.end():])
        if tail is None:
            continue
        label = m.group(0) + tail.group(0)
        runners = runner_before(m.start())
        if runners:
            yield _Draft(label, sent, runners, m.group(1))
    for m in _BOOK.finditer(s):
        if re.search(r"(印发|出台|制定|发布|实施)\s*$", s[: m.start()]) and re.search(
            r"(计划|方案|办法|意见|通知|规定|细则|纲要)$", m.group(1)
        ):
            runners = runner_before(m.start())
            if runners:
                yield _Draft(m.group(0), sent, runners, m.group(1))

    # 4. a headline: <union> <verb> <object>, or <thing> 开馆/开班/举行 about the article's union
    if is_headline and here and not taken:
        u = here[0]
        rest = s[u.start - sent.start + len(u.surface):].strip().lstrip("：:，、 ")
        if rest:
            rest = re.split(r"[，。；]|——", rest)[0].strip()
            rest = _END_VERBS.sub("", rest)
            vm = _HEADLINE_VERB.match(rest)
            rest = _AMOUNT_IN_LABEL.sub("", rest)
            if 3 <= len(rest) <= 24 and (vm or " " in s):
                yield _Draft(clean_label(rest), sent, [u.name], _core(rest))
    elif is_headline and fallback and _END_VERBS.search(s):
        thing = clean_label(_END_VERBS.sub("", s).strip())
        if 3 <= len(thing) <= 20:
            yield _Draft(thing, sent, [fallback], _core(thing))


def same_name(a: str, b: str) -> bool:
    """Whether two labels name one program: the same quoted name, or one label inside the other
    (``技能竞赛``, ``扶贫车间职业技能竞赛``); a label too short to tell (``培训``) names nothing alone."""
    if a == b or _core(a) == _core(b) and _core(a) != a:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and short in long


_GENERIC_BIGRAMS = {"活动", "工作", "服务", "职工", "全市", "全省", "全县", "开展", "系列", "主题", "工会",
                    "组织", "举办", "项目", "计划", "机制", "模式", "平台", "制度", "一系", "广大"}


def _bigrams(label: str) -> set[str]:
    """The content words of a label (jieba's words of two or more characters, less generic ones)."""
    from ..nlp import cut

    return {w for w in cut(re.sub(r"[^\u4e00-\u9fff]", " ", label)) if len(w) >= 2} - _GENERIC_BIGRAMS


def _same(a: _Draft, b: _Draft) -> bool:
    if not set(a.runners) & set(b.runners):
        return False  # programs of different runners are never merged
    if a.core == b.core or a.label in b.label or b.label in a.label:
        return True
    if set(a.runners) != set(b.runners):
        return False
    ba, bb = _bigrams(a.label), _bigrams(b.label)
    shared = len(ba & bb)
    if shared and (a.sentence.paragraph < 0 or b.sentence.paragraph < 0):
        return True  # a headline sums up the body's program: one content word in common is enough
    if (a.sentence.paragraph == b.sentence.paragraph and shared >= 1
            and not (_QUOTE.search(a.label) and _QUOTE.search(b.label))):
        return True
    return shared >= 2 and shared >= 0.4 * min(len(ba), len(bb))


_NEAR = 32


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    """One program per thing in an article: same quoted name, one label inside another,
    or, in one paragraph, labels sharing a content word. A quoted name is preferred as label."""
    out: list[_Draft] = []
    for d in drafts:
        # a long article's later mention is compared with its first and its most recent programs
        # only, which keeps this linear in article size; an article has far fewer programs than that
        near = out if len(out) <= _NEAR * 2 else out[:_NEAR] + out[-_NEAR:]
        same = next((o for o in near if _same(o, d)), None)
        if same is None and not d.funding:
            # 赠送微心愿礼物 …… 实现微心愿活动: the handout named first is a detail of the program named later
            same = next((o for o in near if o.funding and set(o.runners) & set(d.runners)
                         and _bigrams(o.label) & _bigrams(d.label)), None)
            if same is not None:
                same.label, same.core, same.sentence, same.funding = d.label, d.core, d.sentence, False
        if same is None and d.funding:
            # money named only by its fund goes to the runner's program it speaks of, else its latest
            mine = [o for o in near if set(o.runners) & set(d.runners) and not o.funding]
            same = next((o for o in mine if _bigrams(o.label) & _bigrams(d.label)), None)
            if same is None and mine and d.label.endswith("资金") and len(d.label) == 4:
                same = mine[-1]  # 下拨资金: money named by no more than its kind
            body = [o for o in mine if o.sentence.paragraph >= 0]
            if same is None and body and len(d.label) <= 5 and _HANDOUT.fullmatch(d.label[2:]):
                same = body[-1]  # 赠送慰问品: things of the program the body told of last, not a headline's
        if same is None:
            out.append(d)
            continue
        if d.funding and not same.funding:
            pass  # money or things for a program never rename it
        elif _QUOTE.search(d.label) and not _QUOTE.search(same.label) or (
                same.sentence.paragraph < 0 <= d.sentence.paragraph and not _QUOTE.search(same.label)
                and "工会" not in d.label):
            # a quoted name is preferred, and the body's wording to a headline's
            same.label, same.core, same.sentence = d.label, d.core, d.sentence
        for r in d.runners:
            if r not in same.runners:
                same.runners.append(r)
        same.places += [p for p in d.places if p not in same.places]
        same.amounts += [a for a in d.amounts if a not in same.amounts]
    return out


def _distinct(amounts: list[Amount]) -> tuple[Amount, ...]:
    """One amount per stated quantity: a headline and its body repeating ``1.2亿元`` state it once."""
    seen: dict[tuple, Amount] = {}
    for a in sorted(amounts, key=lambda a: a.start):
        seen.setdefault((a.text, a.value, a.unit), a)
    return tuple(seen.values())


def extract(article: Article, found: Mapping[str, tuple] | None = None) -> Iterator[Program]:
    """Programs of the article, one per name, each with runners, places and amounts."""
    if found is None:
        from . import amounts as _a, places as _p, unions as _u

        found = {"unions": tuple(_u.extract(article)), "places": tuple(_p.extract(article)),
                 "amounts": tuple(_a.extract(article))}
    unions: list[UnionMention] = list(found.get("unions", ()))
    if not unions:
        return
    inside_unions = {i for u in unions for i in range(u.start, u.start + len(u.surface))}
    text = article.full_text
    quoted = {i for m in re.finditer(r"“[^”\n]*”|《[^》\n]*》", text) for i in range(m.start(), m.end())}
    places: list[PlaceMention] = [
        p for p in found.get("places", ())
        if (p.start not in inside_unions or p.level == "venue") and p.start not in quoted
        and not (_ORG_AFTER.match(text, p.start + len(p.surface)) and not _GOES_TO.search(text, 0, p.start)
                 and p.level != "venue")]
    amounts: list[Amount] = list(found.get("amounts", ()))
    fallback = main_union(article, unions)
    sents = sentences(article)
    events = _events(text)

    union_places = {u.locality for u in unions} | {p for u in unions for p in u.locality_parents}
    first = next((t for t in sents if t.paragraph == 0), None)
    by_place, by_amount, by_union = _ByOffset(places), _ByOffset(amounts), _ByOffset(unions)
    lead = by_place.within(first)
    drafts: list[_Draft] = []
    last_in_para: dict[int, _Draft] = {}
    by_name: dict[str, _Draft] = {}
    scene: list[PlaceMention] = []
    previous: Sentence | None = None
    for sent in sents:
        is_headline = sent.paragraph < 0
        before = bisect_right(events[0], sent.start)
        antecedent = events[1][before - 1] if before else ("", 0, 0)
        found_here = list(_readings(sent, by_union, fallback, is_headline, antecedent))
        named = [d for d in found_here if not d.funding]
        found_here = named + [d for d in found_here if d.funding  # 启动X，投入1.2亿元：X's money
                              and not any(set(d.runners) & set(n.runners) for n in named)]
        detail = sent.paragraph in last_in_para and found_here and all(
            d.funding and (_BARE_FUND.search(d.label) or _bigrams(d.label) & _bigrams(last_in_para[sent.paragraph].label))
            for d in found_here)
        if detail:
            found_here = []  # 共投入6万元帮扶资金: money for the program just described
        money = by_amount.within(sent)
        where = by_place.within(sent)
        if is_headline and all(p.name in union_places for p in where):
            where += [p for p in lead if p not in where]
        elif previous is not None and previous.paragraph == sent.paragraph and _ANAPHOR.match(sent.text):
            where = by_place.within(previous) + where
        previous = sent
        at = located(text, where)
        in_venue = [(p.start, p.start + len(p.surface)) for p in at if p.level == "venue"]
        speakers = {u.name for u in by_union.within(sent) if not any(a <= u.start < b for a, b in in_venue)}
        for q in _QUOTE.finditer(sent.text):
            d = by_name.get(q.group(1))
            if d is not None and d not in found_here and (not speakers or speakers & set(d.runners)):
                d.places += [p for p in at if p not in d.places]  # the program named again, and where
        if found_here:
            for d in found_here:
                d.amounts = list(money)
                if d.share is not None:
                    sums = [a for a in money if a.unit == "CNY" and a.start >= sent.start + d.after]
                    if len(sums) == d.share[1]:
                        d.amounts = [a for a in money if a.unit != "CNY"] + [sums[d.share[0]]]
                d.places = list(where)
                if d.named_at is not None:
                    d.places += [p for p in by_place.items if d.named_at[0] <= p.start < d.named_at[1]
                                 and p not in d.places]
                if _QUOTE.search(d.label):
                    by_name.setdefault(d.core, d)
                drafts.append(d)
            first = next((d for d in found_here if not d.funding), None)
            first = next((d for d in drafts if d.sentence.paragraph < 0 and not d.funding), first)
            if scene and not is_headline and first is not None and sent.paragraph <= 2:
                if fallback in first.runners and all(p.name in union_places for p in first.places):
                    first.places += [p for p in scene if p not in first.places]
                scene = None  # the scene is the first program's, not a handout's (送去“暖冬礼包”)
            last_in_para[sent.paragraph] = max(found_here, key=lambda d: sent.text.rfind(d.label))
        elif sent.paragraph in last_in_para and (detail or any(a.unit == "CNY" for a in money)):
            d = last_in_para[sent.paragraph]
            if not speakers or speakers & set(d.runners):
                d.amounts += [a for a in money if a not in d.amounts]
                d.places += [p for p in where if p not in d.places]
        elif sent.paragraph in last_in_para and at:
            d = last_in_para[sent.paragraph]
            if not speakers or speakers & set(d.runners):
                d.places += [p for p in at if p not in d.places]  # 第一批职工安排在无锡工人太湖疗养院
        elif scene is not None and not is_headline and sent.paragraph <= 1 and speakers <= {fallback}:
            scene += at  # the scene a story opens with, before it names its program

    union_by_name = {u.name: u for u in unions}
    for d in _dedupe(drafts):
        enclosing: set[str] = set()
        for r in d.runners:
            u = union_by_name.get(r)
            if u is not None:
                enclosing.update(u.locality_parents)
        seen: set[str] = set()
        kept: list[PlaceMention] = []
        venues = [(v.start, v.start + len(v.surface)) for v in d.places if v.level == "venue"]
        chains = {c for q in d.places if q.level != "venue" for c in q.parents}
        for p in d.places:
            if p.name in seen or p.name in enclosing or p.name in chains or p.level != "venue" and any(
                    a <= p.start < b for a, b in venues):
                continue  # 金安区三里桥街道金桥社区, 天津阳光赐来福车料有限公司: the most specific, once
            seen.add(p.name)
            kept.append(p)
        yield Program(
            label=d.label,
            article=article.id,
            evidence=d.sentence.text,
            runners=tuple(d.runners),
            places=tuple(kept),
            amounts=_distinct(d.amounts),
        )
