"""Money: a program named only by what it gives (``下拨200万元``, ``发放助学金``).

Money verbs fire without a program head when a fund, a handout or a sum in yuan
follows; the purpose (``用于受灾职工生活救助``) names the program when stated.
"""

from __future__ import annotations

import re

from ...lexicon import FUNDS, MONEY_VERBS
from .labels import HANDOUT, TRIGGER_RE, clean_label, is_clause, mask_quotes, object_after


_FUND = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:、[\u4e00-\u9fff]{1,8}?)*("
                   + "|".join(sorted(FUNDS, key=len, reverse=True)) + r")(?![\u4e00-\u9fff])")
"""A fund, open-ended: 专项资金, 救灾慰问资金, 助学金, 资助金, 互助保障金, 帮扶补助."""
BARE_FUND = re.compile(r"^[\u4e00-\u9fff]{2}(帮扶|专项|慰问|救助|配套|工会|补助)?(资金|经费|善款|款项|款物|物资)$")
"""A fund named by no more than its kind (投入帮扶资金, 下拨资金): money for the program just described."""
_RECEIVES = re.compile(r"收到|接收|获赠|接受")
"""Before a money verb in its clause: the money is given to the subject (收到X捐款, 接受X捐赠)."""
_SUM_OF = re.compile(r"(?:共计|合计|总计|共|计|总价值|价值)?[约近]?\d")
"""Where the sum of things handed out begins (慰问金共计10万元, 防暑物资价值5万元)."""
_YUAN_AFTER = re.compile(r"^[^，。；：]{0,10}?\d+(?:\.\d+)?[余多]?[万亿]?元")
"""A sum in yuan soon after the verb (下拨200万元): money named by nothing else."""


_FOR = re.compile(r"(?:对|为|向)(?P<whom>[\u4e00-\u9fff“”]{3,20}?)(?:分别|各|共|统一)?$")
_NOT_WHOM = re.compile(r"工会|职工|劳动者|家庭|群众|会员|人员|农民工|劳模|模范|学生|子女|对象|企业|公司|单位|([省市县区州])$")


def _by_recipient(s: str, trigger: re.Match, label: str) -> tuple[str, bool]:
    """Money named by its kind alone, named instead by what it supports where its clause says so before
    the verb (对入选的职工书屋分别给予…资金 → 职工书屋资助); a union, a place (…市), a body or
    people it reaches name nothing, and it stays money for a program (``label``, funding)."""
    m = _FOR.search(re.split(r"[，。；：！？]", s[: trigger.start()])[-1])
    whom = clean_label(m.group("whom").split("的")[-1]) if m else ""
    return (whom + "资助", False) if len(whom) >= 3 and not _NOT_WHOM.search(whom) else (label, True)


_REACHED = r"\d+(?:\.\d+)?[万千百]?[余多]?(?:名|人次|人|户|家|个|所|位|次)"
_ACT = re.compile(rf"^(?:并|还|共|先后|累计|分别|拟|将|专门)*(?P<act>[^，,\d]{{2,16}}?)(?:了)?"
                  rf"(?:{_REACHED}[^，,\d]{{0,12}}|[^，,\d]{{0,12}}?{_REACHED})$")
"""A clause that says what was done and to how many (救助患病职工300人次, 资助了40名学生)."""
_LIGHT = re.compile(r"^(?:在[\u4e00-\u9fff]{2,12}?)?(?:组织开展|开展|组织|实施|进行)(?P<what>[\u4e00-\u9fff“”]{2,12})$")
"""开展金秋助学, 在X县开展金秋助学: a light verb (where, first) and the act it names, a clause of its own."""
_BUYS = re.compile(r"^(?:为|给)[\u4e00-\u9fff]{2,12}?(?P<verb>购买|购置|发放|赠送|送去|送上|配发)(?P<what>[\u4e00-\u9fff]{2,10})$")
"""A clause that says whom the money buys things for, and what (为环卫工人购买意外保险)."""
_WHERE_FIRST = re.compile(r"^在(?:全[省市县区州]|[\u4e00-\u9fff]{2,6}?(?:省|市|县|区|州|镇|乡|街道))")
"""Where an act is done, said before it (在全省, 在X县): no part of its name."""
_OWN_TRIGGER = re.compile(TRIGGER_RE)
_OWN_SUBJECT = re.compile(r"(全|我|本|该)[省市县区州镇乡]|各")
"""A clause with a subject of its own (全区共有…, 各级工会…): not the giver's act."""
_LAST_QUOTE = re.compile(r"“[^“”]{2,12}”(?=[。；，]?$)")
"""A quoted name ending the clause."""
_SUM_ENDS = re.compile(r"\d+(?:\.\d+)?[余多]?[万亿]?元(?:资金|经费|善款|款项|款物)?$")
"""A clause that ends with its sum (筹集资金N万元，…): what the next clause does, the money pays for."""
_CAUSES = ("使", "让", "令", "吸引", "带动", "惠及", "覆盖", "受益", "帮助", "是", "占", "参加", "参与")
"""Verbs that tell what the money brought about, not what the giver did with it."""


def act_after(rest: str) -> str | None:
    """What the money of a clause pays for, told by the next clause when it opens with the giver's act
    and how many it reached (``筹集资金N万元，救助患病职工300人次``) or with a light verb and an act
    (``…，开展金秋助学``): its name, without the count."""
    m = _LIGHT.match(rest)
    if m:
        return m.group("what")
    m = _BUYS.match(rest)
    if m and HANDOUT.fullmatch(m.group("what")):
        return m.group("verb") + m.group("what")  # 投入N元，为环卫工人购买意外保险: the things it buys
    m = _ACT.match(rest)
    if m is None:
        return None
    act = _WHERE_FIRST.sub("", re.sub(rf"了|{_REACHED}", "", rest[m.start("act") :]))  # 在全省建设X: 建设X
    if act.startswith(_CAUSES) or _OWN_TRIGGER.match(act) or _OWN_SUBJECT.match(act) or not 4 <= len(act) <= 14:
        return None  # 打造X站点10个: a trigger names its own program, the money goes with it
    return act


CLAUSE_REACH = 500
"""The farthest past its verb a grant's purpose or fund is looked for (a corpus sentence is under 300
characters): reading to the end of a long unpunctuated line from every verb was quadratic."""


def _bare(s: str, trigger: re.Match, label: str, clause: str) -> tuple[str, bool]:
    """Money named by its kind alone: named by the act the next clause pays for, else by whom it supports.
    A program the rest of the clause names by a trigger and a head takes the money instead (投入N元，联动
    各地…，开展X活动)."""
    parts = re.split(r"[，,]", clause, maxsplit=2)
    sum_ends = len(parts) > 1 and _SUM_ENDS.search(parts[0]) is not None
    act = act_after(parts[1]) if sum_ends else None
    if act and len(parts) > 2:
        at = trigger.end() + len(parts[0]) + len(parts[1]) + 2
        masked = mask_quotes(s)
        if any(object_after(s, masked, m.end()) for m in _OWN_TRIGGER.finditer(s, at, trigger.end() + len(clause))):
            act = None
    if act is None and sum_ends:
        named = _LAST_QUOTE.search(clause)  # 投入N元，…为环卫工人“送清凉”: what the money is for, named
        if named and not _OWN_TRIGGER.search(clause[len(parts[0]) :]):
            act = named.group(0)
    return (act, False) if act else _by_recipient(s, trigger, label)


def money_reading(s: str, trigger: re.Match) -> tuple[str | None, bool]:
    """A donation or grant: what the money is for (``用于受灾职工生活救助``), else ``下拨帮扶资金``.

    The second value is true when only the money names it.
    """
    if trigger.group(0) not in MONEY_VERBS:
        return None, False
    if _RECEIVES.search(re.split(r"[，。；：！？,]", s[: trigger.start()])[-1]):
        return None, False  # 收到爱心企业捐款N元: the union is given the money; the giver's act is not its program
    clause = re.split(r"[。；﹔！？]", s[trigger.end() : trigger.end() + CLAUSE_REACH], maxsplit=1)[0]
    purpose = re.search(r"用于([^，。；、]{2,20})", clause)
    label = clean_label(purpose.group(1)) if purpose else ""
    if purpose and not is_clause(label):  # 用于各区工会帮助…: a clause of its own; the money stays named by its kind
        return (label, False) if len(label) >= 2 else (None, False)
    first = re.split(r"[，,]", clause, maxsplit=1)[0]
    after_sum = re.sub(r"^.*?\d+(?:\.\d+)?[余多]?[万亿]?元的?", "", first)  # 共价值20余万元的慰问品 → 慰问品
    for thing in dict.fromkeys((clean_label(first).lstrip("的"), clean_label(after_sum))):
        handout = HANDOUT.match(thing)
        if handout:
            return trigger.group(0) + handout.group(0), True  # what is handed out: a detail of a program
        fund = _FUND.match(thing)
        if fund:
            label = trigger.group(0) + fund.group(0)
            return _bare(s, trigger, label, clause) if BARE_FUND.search(label) else (label, True)
    handout = HANDOUT.fullmatch(clean_label(_SUM_OF.split(first, maxsplit=1)[0]))
    if handout:
        return trigger.group(0) + handout.group(0), True  # 送去慰问金共计10万元: the things, then their sum
    if _YUAN_AFTER.match(clause):
        verb = trigger.group(0)  # a bare 下拨200万元 gives 资金; 捐款, 拨款 name money already
        return _bare(s, trigger, verb if verb.endswith("款") else verb + "资金", clause)
    return None, False


