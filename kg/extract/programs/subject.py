"""Subjects: who runs what a sentence tells of.

The runner is the union named before the verb, with the unions coordinated
with it (``南京市总工会、苏州市总工会``), not a recipient (``向 X 下拨``), nor one
that only supports (``在 X 的指导下``) or whose rules or money are followed (``按照 X 要求``); a clause whose subject is another body
(a department, a company, ``各级工会``) has no union runner, and clauses without
a subject of their own share the sentence's.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import cached_property

from ...types import Article, Sentence, UnionMention

_SUPPORT = re.compile(r"[^，。；]{0,3}(的)?(大力)?(支持|帮助|指导|协助|关心|带领|号召|示范引领|引领|推动)下")
"""A union named in ``在……的支持下`` supports; it is not the runner."""
_ITS_BODY = re.compile(r"(?:机关)?(?:党支部|党总支|党委|党组|团委|团支部|纪检组)(?!书记|副书记|成员|委员|组长|副组长)")
"""A party or youth body within a union, no union itself (X总工会机关党支部开展主题党日活动): what it does, the
union does not run; its officers (X总工会党组书记) speak for the union."""
RECIPIENT = re.compile(r"(向|为|给|对|替|帮助|协助|支持|邀请|慰问|联系|来到|走进|从|拨付|下拨|拨给|运抵|送达|资助|捐赠给)$")
"""A union right after these is whom something is given or done to (向 X 下拨, 为 X, 拨付 X), not the runner;
the program reaches its place."""
_GUIDED_BY = re.compile(r"(按照|根据|依据|依托|利用|借助|使用|落实|响应|参照|遵照|贯彻)$")
"""A union right after these is whose rules, money or call the clause follows (按照 X 要求, 利用 X 援助资金),
not who acts."""
OTHER_SUBJECT = re.compile(
    r"(?:(?!要求|号召|动员|部署|倡议|指导|带领)[\u4e00-\u9fff]){0,6}?各[^，。；：！？]{0,10}?工会(?!干部)|"
    r"(?<![总])(各级|各地|各类|基层|全市|全省|全县|全区|企业|当地)?[\u4e00-\u9fff]{0,8}?"
    r"(工会(?!干部|组织(?!开展|举办|实施|召开))|党委|市委|省委|县委|区委|政府|人社局|发改委|[\u4e00-\u9fff]局|厅|团委|妇联|公司|集团|学校|医院|"
    r"组委会|委员会|委会|办公室|协会|商会|合作社)")
"""An explicit subject that is not a union the article names: a clause it opens has no union runner."""
_OPENERS = r"近日|日前|近期|近年来|同时|此外|另外|今年|目前|随后|当天|期间|据悉|据了解|\d+月\d+日"
ADVERBIAL = re.compile(rf"({_OPENERS})*")
"""Words that open a clause before its subject."""
_SETTING = re.compile(rf"(({_OPENERS}|据[^，。；]{{0,10}}?(介绍|统计|报道|消息)|[^，。；]{{0,12}}?(以来|年来|期间)|"
                      r"[\d一二三四五六七八九十]+年|\d+月\d+日[上下]?午?|在[^，。；]{2,30}?下)[，,])*")
"""Clauses that only set the scene before a sentence's subject (据介绍，三年来，在市委的关心支持下，…): the
openers of :data:`ADVERBIAL` and the like, each a clause of its own."""

_COORD = re.compile(r"\s*(、|和|与|及|以及|(?:还|并|又|也|再次|积极|主动)?(?:同|会同|联合|携手))\s*")
"""What may stand between two unions that run something together: 南京市总工会、苏州市总工会, X还联合Y (all of
it)."""
_WITH = re.compile(r"\s*(还|并|又|也|共同|积极|主动)?(联合|会同|携手|协同|同|与|和)\s*")
"""A clause that opens with 联合 X: X is a partner of the subject the clause leaves unsaid."""


_CLAUSE = re.compile("[，。；：！？\n]")
_GOVERNS = re.compile(r"(?:还|先后|专门|积极|主动|及时)?(?:成立|组建|指导|走访|督导|调研|带领|筹建|建立|发起成立)(?:了)?")
"""A verb whose object is the union after it (X成立了Y, X指导Y): Y does not act in the clauses that follow."""
_SHARED_TAIL = re.compile(r"(?:[^、，。；：！？\s向为给对会]{1,6}?(?:省|市|县|区|州|旗|镇|乡|街道)[、和及])+$")
"""Places before a union's name that share its tail (A区、B区、C县总工会: three federations)."""


def recipients(text: str, unions: list[UnionMention], offset: int = 0) -> set[int]:
    """Where the unions something is given or done to start (``text`` begins at article offset ``offset``):
    after 向/拨付… (:data:`RECIPIENT`), and the items of a list that opens so (拨付A总工会N元、B总工会N元,
    向A、B各拨付)."""
    out: set[int] = set()
    last_end = -1
    for u in sorted(unions, key=lambda u: u.start):
        b = u.start - offset
        shared = _SHARED_TAIL.search(text, max(0, b - 40), b)  # 向A区、B区、C县总工会: the list opens after 向
        at = shared.start() if shared else b
        if RECIPIENT.search(text, max(0, at - 4), at) or (
                last_end >= 0 and text[b - 1 : b] in "、和及" and not _CLAUSE.search(text, last_end, b)):
            out.add(u.start)
            last_end = b + len(u.surface)
    return out


def main_union(article: Article, unions: list[UnionMention]) -> str | None:
    """The union the article is about: named in a headline, else most often as one that acts (a mention in
    passing, :func:`_in_passing`, counts only where every mention is one)."""
    if not unions:
        return None
    heads_len = sum(len(h) + 1 for h in article.headlines)
    text = article.full_text
    acting = Counter(u.name for u in unions if not _in_passing(text, u))
    counts = acting if acting else Counter(u.name for u in unions)
    for u in unions:
        if u.start < heads_len:
            counts[u.name] += 3
    best = max(counts.values())
    return next(u.name for u in unions if counts[u.name] == best)


_FRAME_OPEN = re.compile(r"在[^，。；：！？]*$")
"""A clause opened by 在 before a union; with :data:`_FRAME_CLOSE` after it (在A、B的正确领导下), a frame."""
_FRAME_CLOSE = re.compile(r"[^，。；：！？]*?(?:领导|指导|支持|帮助|关心|关怀|推动|协助|带领|号召|部署|倡导)下")
OFFICER = re.compile(r"(?:党组|机关)?(?:常务)?(?:副主席|主席|副书记|书记|负责人|领导|干部|工作人员)")
"""An office in a union, right after its name: what follows tells of the officer, not of the union acting."""


def _in_passing(text: str, u: UnionMention) -> bool:
    """Whether a mention names its union in passing, not as one that acts: inside ``在…的指导下``, after a
    word that makes it a recipient or a guide, or before an officer's title (X工会主席张华讲话)."""
    end = u.start + len(u.surface)
    before = text[max(0, u.start - 4) : u.start]
    return (_supported(text, u.start, end) or RECIPIENT.search(before) is not None
            or _GUIDED_BY.search(before) is not None or OFFICER.match(text, end) is not None)


def _supported(text: str, start: int, end: int) -> bool:
    """Whether the union named at ``text[start:end]`` only supports or guides: ``X的大力支持下`` after it, or
    inside a frame ``在A、B的正确领导下`` that opens before it."""
    return bool(_SUPPORT.match(text, end) or _FRAME_OPEN.search(text[max(0, start - 30) : start])
                and _FRAME_CLOSE.match(text, end, end + 30))


_OWN = re.compile(r"(我|本|全)(省|市|区|县|州|旗)")
"""我市, 本区, 全县: the article's own place, standing as a clause's subject."""


def says_own_place(text: str) -> bool:
    """Whether ``text`` names the article's own place as a possible subject (我市, 本区, 全县)."""
    return _OWN.search(text) is not None


def own_unions(unions: list[UnionMention]) -> dict[str, str]:
    """The article's own federation at each level (``市`` → ``X市总工会``): the one it names most."""
    counts = Counter(u.name for u in unions if u.name.endswith("总工会") and u.locality)
    out: dict[str, str] = {}
    for name, _n in counts.most_common():
        level = name[-4]
        out.setdefault(level, name)
    return out


class Subjects:
    """Who runs what one sentence tells of, clause by clause."""

    def __init__(self, sent: Sentence, masked: str, here: list[UnionMention], fallback: str | None,
                 own: dict[str, str] | None = None):
        self.sent, self.masked, self.here, self.fallback = sent, masked, here, fallback
        self.own = own or {}
        self.how = ""
        """How :meth:`before` found its last answer: ``subject``, ``own`` (我市) or ``fallback``."""
        self.named_at = [u.start - sent.start for u in here]
        self.longest = max((len(u.surface) for u in here), default=0)
        self._own_at: dict[int, re.Match | None] = {}
        """For the clause ending at each mark, the 我市 of it or of the nearest one before with a subject."""

    # what follows is read on the first question asked: most sentences have no verb to ask about

    @cached_property
    def opener(self) -> re.Match | None:
        """The sentence's subject when it is another body: clauses without a subject of their own share it
        (各级工会将多方筹资，共为350名学生发放助学金)."""
        s = self.sent.text
        start = ADVERBIAL.match(s, _SETTING.match(s).end())
        opener = OTHER_SUBJECT.match(self.masked, start.end())
        return None if opener and self._inside_union(opener) else opener

    @cached_property
    def marks(self) -> list[int]:
        """Where the sentence's clause marks stand (，。；：！？ and line ends)."""
        return [m.start() for m in _CLAUSE.finditer(self.sent.text)]

    @cached_property
    def bodies(self) -> list[UnionMention]:
        """Unions named with a party or youth body of theirs after them (X总工会机关党支部): that body acts."""
        s, at = self.sent.text, self.sent.start
        return [u for u in self.here if _ITS_BODY.match(s, u.start - at + len(u.surface))]

    @cached_property
    def able(self) -> list[UnionMention]:
        """The unions that may run something: not one that supports (在 X 的指导下) nor a recipient (向 X)."""
        s, at = self.sent.text, self.sent.start
        reached = recipients(s, self.here, at)  # 向A、B各拨付: B is given to as A is
        return [u for u in self.here if not _supported(s, u.start - at, u.start - at + len(u.surface))
                and u not in self.bodies and u.start not in reached
                and not _GUIDED_BY.search(s[max(0, u.start - at - 2) : u.start - at])]

    @cached_property
    def starts(self) -> list[int]:
        """Where each of :attr:`able` starts in the sentence, for bisection."""
        return [u.start - self.sent.start for u in self.able]

    def _mark_before(self, pos: int) -> int:
        """Where the last clause mark before ``pos`` stands (-1: none), by bisection: a long sentence of
        verbs was read back to its start for each."""
        i = bisect_left(self.marks, pos)
        return self.marks[i - 1] if i else -1

    def _inside_union(self, m: re.Match) -> bool:
        """Whether the body matched overlaps a union the sentence names (全国总工会办公厅: its own office);
        only the unions that start near it are tried."""
        at = self.sent.start
        near = self.here[bisect_left(self.named_at, m.start() - self.longest) : bisect_right(self.named_at, m.end())]
        return any(u.start - at <= m.end() and m.start() <= u.start - at + len(u.surface) for u in near)

    def _subject_of_object(self, runners: list[UnionMention]) -> list[UnionMention]:
        """For a verb in a clause of its own, the unions its clause leaves unsaid: those the last clause's verb
        governs (X成立了Y, X走访Y, X指导Y) are its objects, and its subject, X, runs what the next clause tells
        of; unions the last clause only coordinates (X、Y, X联合Y) all run it."""
        s, at = self.sent.text, self.sent.start
        first = runners[0].start - at
        clause = self._mark_before(first) + 1
        subjects = [u for u in self.able if clause <= u.start - at < first]
        if not subjects:
            return runners
        v = subjects[-1]
        between = s[v.start - at + len(v.surface) : first]
        if not _GOVERNS.fullmatch(between):
            return runners  # X、Y or X联合Y: both run it
        mine = [v]
        for u in reversed(subjects[:-1]):
            if not _COORD.fullmatch(s, u.start - at + len(u.surface), mine[0].start - at):
                break
            mine.insert(0, u)
        return mine

    def _own_before(self, clause: int) -> re.Match | None:
        """我市, 本区 opening an earlier clause of the sentence, the nearest one with a subject of its own."""
        s, masked = self.sent.text, self.masked
        first = min(bisect_left(self.marks, clause - 1), len(self.marks) - 1)
        seen = []
        found = None
        for i in range(first, -1, -1):  # the clause ending at each mark, back; each answer kept for the next ask
            if i in self._own_at:
                found = self._own_at[i]
                break
            seen.append(i)
            lead = ADVERBIAL.match(s, self.marks[i - 1] + 1 if i else 0).end()
            mine = _OWN.match(s, lead)
            if mine or OTHER_SUBJECT.match(masked, lead, self.marks[i]):
                found = mine
                break
        for i in seen:
            self._own_at[i] = found
        return found

    def before(self, pos: int) -> list[str]:
        """The runners of the verb at ``pos``: the union before it in its clause, with those coordinated
        with it (and the article's main union, where the clause opens 联合 X); else, unless another body
        is the subject, the article's main union."""
        self.how = ""
        s, masked, at = self.sent.text, self.masked, self.sent.start
        clause = self._mark_before(pos) + 1
        lead = ADVERBIAL.match(s, clause)
        other = OTHER_SUBJECT.match(masked, lead.end() if lead else clause, pos)
        if not other and clause > 0:
            # a subject set off by a comma (各区、县（市）总工会，配套提供…): the segment before is only the subject
            start = self._mark_before(clause - 1) + 1
            lead = ADVERBIAL.match(s, start)
            whole = OTHER_SUBJECT.match(masked, lead.end() if lead else start, clause - 1)
            other = whole if whole and whole.end() == clause - 1 else None
        if other and self._inside_union(other):
            other = None
        runners: list[UnionMention] = []
        # the unions before the verb, last first, as far as they are coordinated with the last
        for i in range(bisect_left(self.starts, pos) - 1, -1, -1):
            u = self.able[i]
            if other and u.start - at < other.start():
                break  # this union and all before it stand before the clause's own subject
            if runners and not _COORD.fullmatch(s, u.start - at + len(u.surface), runners[0].start - at):
                break
            runners.insert(0, u)
        if runners and self._mark_before(pos) >= runners[-1].start - at + len(runners[-1].surface):
            runners = self._subject_of_object(runners)  # X成立了Y，设立Z: X sets Z up, not Y
        if not runners:
            mine = _OWN.match(s, ADVERBIAL.match(s, clause).end())
            if mine is None and not other and not any(u.start - at < pos for u in self.able):
                mine = self._own_before(clause)  # 我市开展X，通过Y…: the last clause's 我市 is this one's subject
            if mine and mine.group(2) in self.own and not s.startswith(("工会", "各", "总"), mine.end()):
                self.how = "own"
                return [self.own[mine.group(2)]]  # 我市积极开展…: the city's own federation
            if other or self.opener or any(clause <= u.start - at < pos for u in self.bodies):
                return []  # the clause's subject is another body (市人社局, 各级工会, a company, X工会机关党支部)
            self.how = "fallback"
            return [self.fallback] if self.fallback else []
        self.how = "subject"
        first = runners[0].start - at
        partner = _WITH.fullmatch(s, ADVERBIAL.match(s, clause).end(), first)
        names = list(dict.fromkeys(u.name for u in runners))
        if partner and self.fallback and not other and not self.opener and self.fallback not in names:
            return [self.fallback, *names]  # 联合 X 举办…: X joins the sentence's unsaid subject, the article's union
        return names
