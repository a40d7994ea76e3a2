"""What kind of amount a stated sum is: the program's money, a standard, a range end, a sum over years …

A role is read from the words of the amount's sentence before it (the verb, ``每``,
``累计``, ``不少于``, who gives to whom) and the few characters after it (``/人``,
``至7000元``). Only ``total`` amounts are a program's money; the other roles are shown
as what they are, so that a reader's totals never add a standard to a sum, or a
range's two ends, or five years to one.
"""

from __future__ import annotations

import re

ROLES = ("total", "perUnit", "rangeLow", "rangeHigh", "cumulative", "target", "received", "part")
"""Every role, ``total`` first: what a union spends, grants, allocates or hands out for the program."""

_DASH = r"(?:至|到|—|－|-|~|～)"
_RANGE_HIGH = re.compile(rf"(?:\d|[万亿千元])\s*{_DASH}\s*$")
"""The amount ends a range: ``800元至`` before ``7000元``."""
_RANGE_LOW = re.compile(rf"^\s*{_DASH}\s*(?:\d|[一二三四五六七八九十])")
"""The amount starts a range: ``至7000元`` after ``800元``."""

_PER = "人次|人|户|名|位|个月|个|家|所|村|次|月|天|场|台|套|间|处|项|批|组|队|班|车间|工作室|站|点|学生|职工|会员"
_PER_AFTER = re.compile(rf"^\s*(?:/|每)\s*({_PER})")
"""``10万元/个``, ``500元/人``."""
_EACH = re.compile(rf"(?:每(?:一)?|人均|户均)(?!年|届|期|逢|当)({_PER})?")
"""``每人``, ``每户``, ``每个基层工会``, ``人均``; not ``每年`` (a yearly budget is the program's money)."""
_STANDARD = re.compile(r"标准|平均|最高|最低|单场|单次|[一二三四五六七八九十特]等奖|优秀奖|金奖|银奖|铜奖|"
                       r"本科|专科|高职|高中|中职|大学生|研究生|初中|小学")
"""A rate, a cap or a rank: ``补助标准``, ``最高不超过``, ``一等奖``, ``本科资助``."""
_AWARDEE = re.compile(r"(?:当选|获奖|受助|受益|入选)者")
"""Each of them gets it: ``当选者…获得一次性奖励2万元``."""
_EACH_GIVEN = re.compile(r"各(?!级|地|类|种|界|项|方|自|部门|单位|[省市县区乡镇村])")
"""``各`` before a verb (``各送去``), not ``各级``."""
_PEOPLE = re.compile(r"户|人|名|位|家庭|职工|学生|子女|会员|劳模|教师|工作室")
_UNIONS = re.compile(r"[省市县区州]?总工会|工会|[省市县区]总(?!体|计|额|数|价|投)")
"""A union named: two before ``分别`` give one sum each (``四川省总工会和甘孜州总工会…分别拨付``)."""

_PART = re.compile(r"其中|[（(]含[^）)]*$")
"""A share of a total stated before: ``500万元，其中全国总工会…200万元``, ``（含沈阳市总20万元）``."""

_CUMULATIVE = re.compile(r"(?<!发生)以来|年来(?!临)|多年|历年|先后|至今(?!年)|截至|截止|"
                         r"连续[\d一二三四五六七八九十多]+年|近[\d一二三四五六七八九十]+年|"
                         rf"\d{{4}}年{_DASH}\d{{4}}年|\d{{4}}年、\d{{4}}年")
"""A sum over a period: ``自2019年以来``, ``五年来``, ``2021年、2022年``; not ``疫情发生以来``
(since an event: what was spent on it)."""
_ONE_YEAR = re.compile(r"(?:\d{4}|今|去|当|全)年(?!以来|来|至|到|、)")
"""``2023年，…累计发放``: a year's sum, the program's money that year; ``累计`` alone is a sum over years."""
_TARGET = re.compile(r"计划(?![”」])|预计|预期|拟|力争|目标|确保|不少于|不低于|"
                     r"将(?:[^，。；]{0,3})(?:投入|安排|拨|下拨|拨付|发放|筹集|列支|拿出|资助|补助|给予|提供|投资)")
"""A plan or a floor: ``计划投入``, ``预计筹集``, ``将投入``, ``不少于1000万元``."""
_RECEIVED = re.compile(r"争取|募集|募捐|收到|接收|接受|获得|获赠|收缴|缴纳|申请|讨回|追回|挽回|清欠|带动|拉动|"
                       r"销售额|营业额|产值|效益|收入|收益|带来|捐款总|财政|(?:工会|政府)下拨的\s*$")
"""Money the union receives, raises from others or reports for others (``争取…资金``, ``募集善款``,
``带动消费``, ``全国总工会下拨的``)."""
_GIVER = re.compile(r"(?<![向为给对])(?:公司|企业|集团|银行|政府|爱心人士|社会各界|单位)"
                    r"[^，。；向为给]{0,12}?(?:另|也|还|共|合计)?(?:投入|捐|出资|筹资|资助|投资|下拨|拨付)")
"""Another body gives: ``中顺汽车服务有限公司另投入``, ``爱心企业…捐助``."""
_OTHERS = re.compile(r"(?<![向为给对动])(?:(?:各级|[全各][国省市县区州地](?:各级)?)工会(?:组织|系统)?|工会系统|两级工会)")
"""Unions reported together (``全省各级工会``, ``全市工会``, ``工会系统``): money reported for others."""

_CLAUSE = re.compile(r"[，,；;：:]")
_YUAN = re.compile(r"\d[万亿]?元")


def role_of(before: str, after: str, surface: str = "", earlier: str = "") -> tuple[str, str]:
    """The role of an amount, and what a standard is per (``人``, ``户``; empty when not said).

    ``before`` is its sentence up to the amount, ``after`` the rest of the sentence,
    ``surface`` the amount as written (``不少于1000万元``), ``earlier`` the sentence before
    (where the total that a ``其中`` shares out may be stated).
    """
    clause = _CLAUSE.split(before)[-1]
    if _RANGE_HIGH.search(before):
        return "rangeHigh", _per(clause, after)
    if _RANGE_LOW.match(after):
        return "rangeLow", _per(clause, after)
    per = _per(clause, after)
    if per or _EACH.search(clause) or _STANDARD.search(clause) or _AWARDEE.search(before):
        return "perUnit", per
    each = _EACH_GIVEN.search(clause)
    if each and _PEOPLE.search(clause[: each.start()]):
        return "perUnit", ""  # 为97户困难职工家庭各送去慰问金500元; 向两省工会捐助资金各150万元 stays as stated
    share = "分别" in clause or "分别" in before and len(clause) <= 8  # 分别给予杭锦旗154万元，东胜区150万元
    by = _CLAUSE.split(before[: before.rfind("分别")])[-1]
    if share and _PEOPLE.search(clause):
        return "perUnit", ""  # 困难职工分别获得救助金3000元、2000元
    part = _PART.search(before)
    if part and "本级" not in clause and _YUAN.search(earlier + before[: part.start()]):
        return "part", ""  # 其中，省总工会本级筹集: its own money; 其中 with no sum before it lists things
    if share and len(_UNIONS.findall(by)) < 2:
        if _YUAN.search(before[: before.rfind("分别")]):
            return "part", ""  # 筹集资金454万元，分别给予杭锦旗154万元: shares of the sum before
        return "perUnit", ""  # 分别给予5万元、3万元的经费补助: one sum per kind of recipient
    if _CUMULATIVE.search(before) or "累计" in before and not _ONE_YEAR.search(before):
        return "cumulative", ""
    if _TARGET.search(clause) or surface.startswith(("不少于", "不低于", "至少")):
        return "target", ""
    giver = _GIVER.search(clause) and not re.search("方式|渠道", clause)  # 通过…企业捐赠等方式筹集: the union raises it
    if _RECEIVED.search(clause) or giver or _OTHERS.search(before):
        return "received", ""
    return "total", ""


def _per(clause: str, after: str) -> str:
    """What a standard is per: ``每人`` → ``人``, ``/个`` → ``个``."""
    m = _PER_AFTER.match(after)
    if m:
        return m.group(1)
    found = _EACH.findall(clause)
    return found[-1] if found else ""
