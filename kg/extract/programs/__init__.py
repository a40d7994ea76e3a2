"""Programs: what a union runs, where, and with how much, from one article.

Split by idea:

- :mod:`.labels`: trigger verbs, program heads, and the label a person would write;
- :mod:`.readings`: every program a sentence names (organised by, verb + object,
  quoted names and plans, headlines);
- :mod:`.subject`: who runs it: the sentence's subject, not a recipient or a supporter;
- :mod:`.money`: programs named only by the money or things they give;
- :mod:`.where`: which of the places named are where it happens.

This module walks the article's sentences once. A program takes its sentence's
amounts and places; money stated in the next sentences of its paragraph, and the
places of sentences that go on about it (``第一批职工安排在…疗养院``), of the scene a
story opens on, and of a later sentence naming it again, are added to it. Then
one program is kept per thing (:func:`_dedupe`), with the most specific of its places.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import replace

from ...gazetteer import gazetteer
from ...split import sentences
from ...types import Amount, Article, PlaceMention, Program, Sentence, UnionMention
from .judge import Candidate, features, program_judge
from .links import link_confidence, rated
from .labels import (COUNT, ENDS_IN_HEAD, HANDOUT, HEADS, QUOTE, TRIGGERS, bare, clean_label, content_words, core_name,
                     enumeration, mask_quotes, same_name)
from .money import BARE_FUND, MONEY_VERBS, money_reading
from .readings import GIVES_ONLY, ByOffset, Draft, breakdown, named_events, readings
from .subject import ADVERBIAL, Subjects, main_union, own_unions
from .where import ANAPHOR, located, most_specific, program_places

__all__ = ["HEADS", "TRIGGERS", "Candidate", "candidates", "clean_label", "enumeration", "extract", "main_union",
           "same_name"]


_CONTEST = re.compile(r"(比赛|竞赛|大赛)$")
_NOT_SPENT = {"received"}
"""Roles of sums that are not what a program spends (:data:`kg.extract.roles.ROLES`)."""


_CONTAINERS = {"活动", "行动", "工作", "服务", "项目", "工程", "计划", "系列活动", "主题活动", "专项行动"}
"""Heads that say something is done without saying what kind of thing (…活动, …行动)."""


def _kinds_differ(a: str, b: str) -> bool:
    """Whether two labels end in heads of different kinds (职工技能培训, 职工技能竞赛): two events, whatever
    words they share; a container head (送温暖活动 and 送温暖慰问) says nothing of kind."""
    ha, hb = ENDS_IN_HEAD.search(a), ENDS_IN_HEAD.search(b)
    return bool(ha and hb) and ha.group(1) != hb.group(1) and not {ha.group(1), hb.group(1)} & _CONTAINERS


def _same(a: Draft, b: Draft) -> bool:
    if not set(a.runners) & set(b.runners) or a.compound is not None and a.compound == b.compound:
        return False  # programs of different runners, or two parts of one A暨B, are never merged
    if a.core == b.core or a.label in b.label or b.label in a.label:
        return True
    if set(a.runners) != set(b.runners):
        return False
    if any(len(x.core) >= 2 and x.core != x.label and x.core in y.label for x, y in ((a, b), (b, a))):
        return True  # “三下乡”活动 and “送文化、送科技、送卫生”三下乡活动: the quoted name, written out
    ba, bb = content_words(a.label), content_words(b.label)
    shared = len(ba & bb)
    if (a.sentence.paragraph < 0 or b.sentence.paragraph < 0) and (
            shared or _CONTEST.search(a.label) and _CONTEST.search(b.label)):
        return True  # a headline sums up the body's program: one content word, or both a contest
    if (a.sentence.paragraph == b.sentence.paragraph and shared >= 1
            and not (QUOTE.search(a.label) and QUOTE.search(b.label)) and not _kinds_differ(a.label, b.label)):
        return True
    if shared and (ba <= bb or bb <= ba):
        return True  # 送温暖活动 after 春节送温暖慰问活动: a shorter mention of the program, said again
    return shared >= 2 and shared >= 0.4 * min(len(ba), len(bb))


_OUTCOME = re.compile(r"效益|销售额|营业额|交易额|成交额|产值|经济损失")
"""What a sum measures when it is no one's money (创造经济效益N元, 挽回经济损失N元): an outcome."""


def _clause_before(text: str, at: int) -> str:
    """The clause of ``text`` up to ``at``."""
    return re.split(r"[，。；：！？\n]", text[max(0, at - 40) : at])[-1]


_NEAR = 32
_LISTED_THINGS = re.compile("等")
"""In a handout's name, things listed before their kind (发放毛毯等慰问品, 送上米面油等年货): the handing out is a
detail of a program however long the list."""
_FUND_END = re.compile(r"(资金|经费|款项|善款|款|金|品|物资)$")


def _speaks_of(funding: str, program: str) -> bool:
    """Whether money or things named by ``funding`` are for ``program``: a content word in common, or a
    fund's word less its kind inside the program's name (助学金 for “金秋助学”活动, 慰问金 for 走访慰问)."""
    words = content_words(funding)
    if words & content_words(program):
        return True
    stems = (_FUND_END.sub("", w) for w in words)
    return any(len(stem) >= 2 and stem in program for stem in stems)


class _Held:
    """What a program holds, for telling which of another's places and amounts it lacks in time linear in
    their number (every program of a long sentence holds its thousands of amounts): the same objects by
    identity, else equal ones."""

    def __init__(self):
        self.ids: set[int] = set()
        self.values: set = set()
        self.seen = 0

    def new(self, items: list, held: list) -> list:
        """The ``items`` not in ``held`` (as ``[x for x in items if x not in held]``)."""
        for x in held[self.seen:]:
            self.ids.add(id(x))
            self.values.add(x)
        self.seen = len(held)
        return [x for x in items if id(x) not in self.ids and x not in self.values]


def _dedupe(drafts: list[Draft]) -> list[Draft]:
    """One program per thing in an article: same quoted name, one label inside another,
    or, in one paragraph, labels sharing a content word. A quoted name is preferred as label."""
    out: list[Draft] = []
    held: dict[tuple[int, str], _Held] = defaultdict(_Held)
    for d in drafts:
        # a long article's later mention is compared with its first and its most recent programs
        # only, which keeps this linear in article size; an article has far fewer programs than that
        near = out if len(out) <= _NEAR * 2 else out[:_NEAR] + out[-_NEAR:]
        same = next((o for o in near if _same(o, d)), None)
        if same is None and not d.funding:
            # 赠送微心愿礼物 …… 实现微心愿活动: the handout named first is a detail of the program named later
            same = next((o for o in near if o.funding and set(o.runners) & set(d.runners)
                         and _speaks_of(o.label, d.label)), None)
            if same is not None:
                same.label, same.core, same.sentence, same.funding = d.label, d.core, d.sentence, False
        if same is None and d.funding:
            # money named only by its fund goes to the runner's program it speaks of, else its latest
            mine = [o for o in near if set(o.runners) & set(d.runners) and not o.funding]
            same = next((o for o in mine if _speaks_of(d.label, o.label)), None)
            if same is None and mine and d.label.endswith("资金") and len(d.label) == 4:
                same = mine[-1]  # 下拨资金: money named by no more than its kind
            body = [o for o in mine if o.sentence.paragraph >= 0]
            if (same is None and (body or mine and d.sentence.paragraph >= 0)
                    and (len(d.label) <= 5 or _LISTED_THINGS.search(d.label)) and HANDOUT.fullmatch(d.label[2:])):
                # 赠送慰问品: things of the program the body told of last, else, for the body's, the headline's
                # (a headline's own handout, 发放观影卡, names its program)
                same = (body or mine)[-1]
        if same is None:
            out.append(d)
            continue
        renames = not d.funding or same.funding  # money or things for a program never rename it
        if renames and (QUOTE.search(d.label) and not QUOTE.search(same.label) or (
                same.sentence.paragraph < 0 <= d.sentence.paragraph and not QUOTE.search(same.label)
                and "工会" not in d.label)):
            # a quoted name is preferred, and the body's wording to a headline's
            same.label, same.core, same.sentence = d.label, d.core, d.sentence
        for r in d.runners:
            if r not in same.runners:
                same.runners.append(r)
        same.places += same.tie_from(d, held[id(same), "places"].new(d.places, same.places))
        same.amounts += same.tie_from(d, held[id(same), "amounts"].new(d.amounts, same.amounts))
    return _fold_details(out)


_KIND_ONLY = re.compile(r"(?:专项|奖补|补助|帮扶|慰问|救助|配套|工会)?(?:资金|经费|善款|款项|款物|慰问金)")


def _kind_only(d: Draft) -> bool:
    """Money named by no more than its kind (投入专项资金, 送上慰问金); a thing handed out is named by
    what it is (发放观影卡) and stays itself."""
    if d.label[:2] in GIVES_ONLY:
        return False  # 返还工会经费, 减免租金: what is given back or let off is the program
    rest = d.label[2:] if d.label[:2] in MONEY_VERBS else d.label
    return d.funding and bool(_KIND_ONLY.fullmatch(rest))


def _fold_details(drafts: list[Draft]) -> list[Draft]:
    """Money named by no more than its kind is a detail of a program of the same runner: the nearest
    one its paragraph tells of, else the article's nearest, else what the same sentence gives money
    for (筹集资金X万元，分别给予A、B)."""
    order = {id(d): i for i, d in enumerate(drafts)}
    out = [d for d in drafts if not _kind_only(d)]
    by_runner: dict[str, list[Draft]] = defaultdict(list)
    for o in out:
        for r in o.runners:
            by_runner[r].append(o)
    for d in (d for d in drafts if _kind_only(d)):
        mine = list({id(o): o for r in d.runners for o in by_runner[r][:_NEAR]}.values())
        named = [o for o in mine if not o.funding]
        para = [o for o in named if o.sentence.paragraph == d.sentence.paragraph]
        pool = para or named or [o for o in mine if o.sentence.start == d.sentence.start]
        if not pool:
            out.append(d)
            for r in d.runners:
                by_runner[r].append(d)
            continue
        same = min(pool, key=lambda o: abs(o.sentence.start - d.sentence.start))
        same.amounts += same.tie_from(d, [a for a in d.amounts if a not in same.amounts])
        same.places += same.tie_from(d, [p for p in d.places if p not in same.places])
    return sorted(out, key=lambda d: order[id(d)])


_ITEM = re.compile(r"\s*(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是]"
                   r"|第[一二三四五六七八九十]{1,3}[，、])")
"""A paragraph that opens as an item of a numbered list (1. 2、 （一） 一是 第二，): the next of what the list tells."""
_TOPIC = re.compile(r"[\u4e00-\u9fff]{2,8}方面[，,]")
"""A paragraph of a summary that opens with its topic (帮扶救助方面，…): its clauses without a subject are
the article's union's, as in the lead."""
_AGAIN = re.compile(r"(?:据悉|据了解|另悉|此外)?[，,]?(?:本届|本次|此次|这次|该)(大赛|比赛|竞赛|赛事|活动|行动|项目|培训)")
"""A sentence that opens by naming again the event told of before (本届大赛, 此次活动)."""


def _told_of_again(sent: Sentence, drafts: list[Draft]) -> Draft | None:
    """The program a sentence opening with an anaphor (:data:`_AGAIN`) names again: the last one named
    before it whose label ends in the same kind of thing."""
    m = _AGAIN.match(sent.text)
    if m is None:
        return None
    kind = m.group(1)[-1]  # 赛, 动, 目, 训
    return next((d for d in reversed(drafts) if not d.funding and d.sentence.start < sent.start
                 and d.label.endswith(kind)), None)


_MONEY_VERB = re.compile("|".join(sorted(MONEY_VERBS, key=len, reverse=True)))


def _federations_named(unions: list[UnionMention], says) -> dict[str, UnionMention]:
    """The article's federations whose place ``says`` finds, as written or without its suffix (``says``:
    ``headline.__contains__``, ``text.startswith``)."""
    return {u.name: u for u in unions if u.locality and u.name.endswith("总工会")
            and (says(u.locality) or len(u.locality) > 2 and says(u.locality[:-1]))}


def _local_union(headline: str, unions: list[UnionMention]) -> str | None:
    """The one federation of the article whose place a headline that names no union names (its province,
    city or county, as written or without its suffix), else None; of a province's and one of its cities'
    (浙江杭州), the city's."""
    found = _federations_named(unions, headline.__contains__)
    inner = [n for n, u in found.items()
             if not any(v.locality != u.locality and u.locality in _enclosing(v) for v in found.values())]
    return inner[0] if len(inner) == 1 else None


def _opening_union(text: str, unions: list[UnionMention]) -> str | None:
    """The federation of the place ``text`` opens with (``白山市…推进会``), where the article names it and no
    other federation of a place it opens with."""
    found = _federations_named(unions, text.startswith)
    return next(iter(found)) if len(found) == 1 else None


def _clause_of(s: str, label: str) -> str:
    """The clause of ``s`` that names ``label``, from its subject (after the time it opens with) to the label's end."""
    at = s.find(label)
    if at < 0:
        return label
    clause = s[max(s.rfind(c, 0, at) for c in "，。；：！？") + 1 : at] + label
    return clause[ADVERBIAL.match(clause).end() :]


def _enclosing(u: UnionMention) -> set[str]:
    """The places that enclose a union's locality: as read with it, else as the gazetteer has them (a
    bare 市总工会 settled from the article may carry none)."""
    if u.locality_parents:
        return set(u.locality_parents)
    g = gazetteer()
    return {p.name for d in g.candidates(u.locality) for p in g.parents(d)}


_SAYS = re.compile(r"([\u4e00-\u9fff]{2,8})[：:]\s*([^，。；！？]{3,24})")


def _place_says(sent: Sentence, unions: list[UnionMention]) -> list[Draft]:
    """A headline ``<place>：<what is done>`` (the press's way of saying who acts): what its federation does."""
    m = _SAYS.match(sent.text)
    if m is None or (local := _local_union(m.group(1), unions)) is None:
        return []
    label = clean_label(m.group(2).strip())
    return [Draft(label, sent, [local], label, kind="headline", runner_how="headline")] if len(label) >= 3 else []


_COUNTED = re.compile(COUNT + r"\s*([^，。；！？\d]{2,24})$")


def _place_counts(sent: Sentence, unions: list[UnionMention]) -> list[Draft]:
    """A headline of a place that counts new things of a program's kind (``X市新增12家职工驿站``):
    the things, of the federation of that place the article names."""
    m = _COUNTED.search(sent.text)
    if m is None or not ENDS_IN_HEAD.search(m.group(1)):
        return []
    local = _local_union(sent.text[: m.start()], unions)
    if local is None:
        return []
    label = clean_label(m.group(1).strip())
    return [Draft(label, sent, [local], core_name(label), kind="headline", runner_how="headline")]


_PART_END = re.compile(r"[；;﹔]")
"""What ends a part of a sentence that tells of one thing done (…，筹集资金N元；开展X，资助N人；…)."""


def _part_of(sent: Sentence, at: int) -> int:
    """Which semicolon-separated part of ``sent`` the article offset ``at`` is in."""
    return len(_PART_END.findall(sent.text, 0, max(0, at - sent.start)))


def _parts(sent: Sentence, drafts: list[Draft]) -> dict[int, set[int]]:
    """The programs (by ``id``) each part of a sentence names, where it names programs in more than one part:
    a sum or place in such a part is theirs alone; one in a part naming none is every program's."""
    if not _PART_END.search(sent.text):
        return {}
    found: dict[int, set[int]] = defaultdict(set)
    for d in drafts:
        at = sent.text.find(d.label)
        if at >= 0:
            found[_part_of(sent, sent.start + at)].add(id(d))
    return found if len(found) > 1 else {}


def _given(sent: Sentence, before: str) -> tuple[str, bool]:
    """What a breakdown's sums are given for: the last money verb before ``其中`` in the sentence or
    the one before it, with the fund it gives (``…共投入抗旱专项资金X万元。其中…`` → ``投入抗旱专项资金``;
    a bare ``共捐款X万元`` → ``捐款``)."""
    head = sent.text.split("其中", 1)[0]
    for text in (head, before):
        verbs = list(_MONEY_VERB.finditer(text))
        if verbs:
            label, funding = money_reading(text, verbs[-1])
            if label and label.startswith(verbs[-1].group(0)) and label in text:  # as written, not 捐款资金
                return label, funding
            return verbs[-1].group(0), False
    return "", False


def _givers(sent: Sentence, money: list[Amount], by_union: ByOffset, fallback: str | None,
            own: dict[str, str]) -> dict[int, frozenset[str] | None]:
    """For each sum of a sentence (by ``id``), who gives it: the unions its clause names as its subject, none
    (an empty set) when another body is the subject, or ``None`` when the clause names no subject. Read once
    per sum, not once per program and sum (a long line of both was quadratic)."""
    if not money:
        return {}
    subjects = Subjects(sent, mask_quotes(sent.text), by_union.within(sent), fallback, own)
    out: dict[int, frozenset[str] | None] = {}
    for a in money:
        who = subjects.before(a.start - sent.start)
        out[id(a)] = None if subjects.how == "fallback" else frozenset(who)
    return out


def _distinct(amounts: list[Amount]) -> tuple[Amount, ...]:
    """One amount per stated quantity: a headline and its body repeating ``1.2亿元`` state it once."""
    seen: dict[tuple, Amount] = {}
    for a in sorted(amounts, key=lambda a: a.start):
        seen.setdefault((a.text, a.value, a.unit), a)
    return tuple(seen.values())


def extract(article: Article, found: Mapping[str, tuple] | None = None) -> Iterator[Program]:
    """Programs of the article, one per name, each with runners, places, amounts and the
    probability that a careful reader counts it as a program (its confidence)."""
    judge = program_judge()
    for c in candidates(article, found):
        p = judge.probability(c.features)
        if p >= judge.threshold:
            yield replace(c.program, confidence=p)


def candidates(article: Article, found: Mapping[str, tuple] | None = None) -> list[Candidate]:
    """What the readings propose as the article's programs, one per thing, before :mod:`.judge` decides."""
    if found is None:
        from .. import amounts as _a, places as _p, unions as _u

        found = {"unions": tuple(_u.extract(article)), "places": tuple(_p.extract(article)),
                 "amounts": tuple(_a.extract(article))}
    unions: list[UnionMention] = list(found.get("unions", ()))
    if not unions:
        return []
    text = article.full_text
    places = program_places(found.get("places", ()), text, unions)
    amounts: list[Amount] = list(found.get("amounts", ()))
    fallback = main_union(article, unions)
    own = own_unions(unions)
    sents = sentences(article)
    events = named_events(text)

    union_places = {u.locality for u in unions} | {p for u in unions for p in u.locality_parents}
    lead_sentence = next((t for t in sents if t.paragraph == 0), None)
    by_place, by_amount, by_union = ByOffset(places), ByOffset(amounts), ByOffset(unions)
    in_unions = {i for u in unions for i in range(u.start, u.start + len(u.surface))}
    # the headlines, the lead and the paragraphs that name the main union: elsewhere it runs nothing without a
    # subject (a paragraph about another body, or about another union, tells of theirs)
    told = {t.paragraph for t in sents if t.paragraph <= 1 or any(u.name == fallback for u in by_union.within(t))
            or _TOPIC.match(t.text)}
    firsts: dict[int, Sentence] = {}
    for t in sents:
        firsts.setdefault(t.paragraph, t)
    for para, t in sorted(firsts.items()):  # a list's items, each a paragraph naming no union, go on with its told
        if para not in told and para - 1 in told and _ITEM.match(t.text) and not by_union.within(t):
            told.add(para)
    lead = by_place.within(lead_sentence)
    drafts: list[Draft] = []
    last_in_para: dict[int, Draft] = {}
    by_name: dict[str, Draft] = {}
    scene: list[PlaceMention] | None = []
    """Where the story opens, until its first program takes it (then None)."""
    previous: Sentence | None = None
    previous_text = ""
    for sent in sents:
        is_headline = sent.paragraph < 0
        before = bisect_right(events[0], sent.start)
        antecedent = events[1][before - 1] if before else ("", 0, 0)
        found_here = [d for d in readings(sent, by_union, fallback if sent.paragraph in told else None, is_headline,
                                          antecedent, own) if not bare(d.label)]
        if is_headline:
            for d in found_here:
                if d.runner_how == "fallback" and (local := _local_union(sent.text, unions)) is not None:
                    d.runners, d.runner_how = [local], "headline"  # X省…活动启动: X省's federation
        for d in found_here:
            if (d.runner_how == "fallback" and (local := _opening_union(_clause_of(sent.text, d.label), unions))
                    is not None and local != fallback):
                d.runners, d.runner_how = [local], "place"  # 白山市…推进会 told in a district union's article
        if is_headline and not found_here and not by_union.within(sent):
            found_here = _place_says(sent, unions) or _place_counts(sent, unions)
        named = [d for d in found_here if not d.funding or d.label[:2] in GIVES_ONLY]  # 返还工会经费 names itself
        found_here = named + [d for d in found_here if d not in named  # 启动X，投入1.2亿元：X's money
                              and not any(set(d.runners) & set(n.runners) for n in named)]
        given, by_fund = _given(sent, previous_text) if "其中" in sent.text else ("", False)
        previous_text = sent.text
        shares = list(breakdown(sent, by_union, by_amount, given, by_fund)) if given else []
        if shares:
            for d in shares:  # each giver's own sum: not the sentence's money for what it names; its places
                d.places = d.tie(by_place.within(sent), "sentence")
            split_at = sent.text.index("其中")
            before = [d for d in found_here if 0 <= sent.text.find(d.label[:2]) < split_at]
            for d in before:  # 投入N元，其中…: the total its giver states before the breakdown is its own
                d.amounts = d.tie([a for a in by_amount.within(sent)
                                   if a.start < sent.start + split_at and a.unit == "CNY"], "sentence")
                d.places = d.tie(by_place.within(sent), "sentence")
            drafts += [d for d in before if d.amounts] + shares
            continue
        described = last_in_para.get(sent.paragraph)
        detail = described is not None and found_here and all(
            d.funding and (BARE_FUND.search(d.label) or content_words(d.label) & content_words(described.label))
            for d in found_here)
        if detail:
            found_here = []  # 共投入6万元帮扶资金: money for the program just described
        money = [a for a in by_amount.within(sent) if not _OUTCOME.search(_clause_before(text, a.start))]
        where = by_place.within(sent)
        came: dict[PlaceMention, str] = {p: "recipient" if p.start in in_unions else "sentence" for p in where}
        if is_headline and all(p.name in union_places for p in where):
            where += [p for p in lead if p not in where]
            for p in lead:
                came.setdefault(p, "lead")
        elif previous is not None and previous.paragraph == sent.paragraph and ANAPHOR.match(sent.text):
            where = by_place.within(previous) + where
            for p in where:
                came.setdefault(p, "previous")
        previous = sent
        at = located(text, where)
        in_venue = [(p.start, p.start + len(p.surface)) for p in at if p.level == "venue"]
        speakers = {u.name for u in by_union.within(sent) if not any(a <= u.start < b for a, b in in_venue)}
        for q in QUOTE.finditer(sent.text):
            d = by_name.get(q.group(1))
            if d is not None and d not in found_here and (not speakers or speakers & set(d.runners)):
                d.places += d.tie([p for p in at if p not in d.places], "named-again")  # named again, and where
        if found_here:
            parts = _parts(sent, found_here)

            def ours(d: Draft, at: int) -> bool:
                """Whether what stands at ``at`` is ``d``'s: in its part of the sentence, or in one naming none."""
                return id(d) in parts.get(_part_of(sent, at), {id(d)})

            giver = _givers(sent, money, by_union, fallback, own)

            def gives(d: Draft, a: Amount) -> bool:
                """Whether sum ``a`` may be ``d``'s: its clause names no subject, or one of ``d``'s runners;
                not another union's or body's (X省总工会投入N元，引导各级工会投入M元，Y市总工会启动Z: neither is Z's)."""
                who = giver[id(a)]
                return who is None or not who.isdisjoint(d.runners)

            for d in found_here:
                d.amounts = d.tie([a for a in money if ours(d, a.start) and gives(d, a)], "sentence")
                if d.share is not None:
                    sums = [a for a in money if a.unit == "CNY" and a.start >= sent.start + d.after]
                    if len(sums) == d.share[1]:
                        d.amounts = [a for a in money if a.unit != "CNY"] + [sums[d.share[0]]]
                        d.amount_how[sums[d.share[0]]] = "respective"
                d.places = [p for p in where if ours(d, p.start)]
                for p in d.places:
                    d.place_how.setdefault(p, came[p])
                if d.named_at is not None:
                    d.places += d.tie([p for p in by_place.items if d.named_at[0] <= p.start < d.named_at[1]
                                       and p not in d.places], "antecedent")
                if QUOTE.search(d.label):
                    by_name.setdefault(d.core, d)
                drafts.append(d)
            # the scene goes to the headline's program, else to the first named here (not a handout's:
            # 送去“暖冬礼包”)
            main = next((d for d in drafts if d.sentence.paragraph < 0 and not d.funding),
                        next((d for d in found_here if not d.funding), None))
            if scene and not is_headline and main is not None and sent.paragraph <= 2:
                if fallback in main.runners and all(p.name in union_places for p in main.places):
                    main.places += main.tie([p for p in scene if p not in main.places], "scene")
                scene = None
            last_in_para[sent.paragraph] = max(found_here, key=lambda d: sent.text.rfind(d.label))
        elif sent.paragraph in last_in_para and (detail or any(a.unit == "CNY" for a in money)):
            d = last_in_para[sent.paragraph]
            if not speakers or speakers & set(d.runners):
                # money a later sentence says was received (接受…捐助) is not what the program spends
                d.amounts += d.tie([a for a in money if a not in d.amounts and a.role not in _NOT_SPENT], "paragraph")
                d.places += d.tie([p for p in where if p not in d.places], "paragraph")
        elif (told_of := _told_of_again(sent, drafts)) is not None and any(a.unit == "CNY" for a in money):
            # 据悉，本届大赛奖金总额N元 in a later paragraph: the money of the event named before
            told_of.amounts += told_of.tie([a for a in money if a not in told_of.amounts and a.role not in _NOT_SPENT],
                                           "antecedent")
        elif sent.paragraph in last_in_para and at:
            d = last_in_para[sent.paragraph]
            if not speakers or speakers & set(d.runners):
                d.places += d.tie([p for p in at if p not in d.places], "paragraph")  # 第一批职工安排在…疗养院
        elif scene is not None and not is_headline and sent.paragraph <= 1 and speakers <= {fallback}:
            scene += at  # the scene a story opens with, before it names its program

    union_by_name = {u.name: u for u in unions}
    mentions = Counter(u.name for u in unions)
    out = []
    final = _dedupe(drafts)
    shared = Counter(d.label for d in final)
    for d in final:
        if shared[d.label] > 1 and len(d.runners) == 1:
            d.label = d.runners[0] + d.label  # 捐款 of each giver: one program each, never across runners
    for d in final:
        enclosing: set[str] = set()
        for r in d.runners:
            u = union_by_name.get(r)
            if u is not None:
                enclosing.update(u.locality_parents)
        program = Program(
            label=d.label,
            article=article.id,
            evidence=d.sentence.text,
            sentence=(d.sentence.start, d.sentence.start + len(d.sentence.text)),
            runners=tuple(d.runners),
            places=tuple(rated(p, "place", d.place_how.get(p, "sentence")) for p in most_specific(d.places, enclosing, text)),
            amounts=tuple(rated(a, "amount", d.amount_how.get(a, "sentence")) for a in _distinct(d.amounts)),
            runner_how=d.runner_how,
            runner_confidence=link_confidence("runner", d.runner_how),
        )
        out.append(Candidate(program, features(d, fallback, mentions)))
    return out

