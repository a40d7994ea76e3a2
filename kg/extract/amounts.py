"""Amounts: sums of money in yuan and counts with their measure word.

Found with a pattern beside segmentation (jieba splits ``150万元`` and, without
HMM, ``51.02``). Chinese numerals are read by cn2an on the number span only:
run over whole text it rewrites idioms (``八方支援``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Context, Decimal, InvalidOperation

from ..types import Amount, Article
from .roles import role_of

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
MEASURES = (
    "人次", "余人", "户次", "万人", "元", "名", "人", "场", "个", "户", "家", "所", "项", "支",
    "批", "座", "处", "份", "台", "辆", "件", "套", "间", "期", "次", "亩", "头", "只", "本",
    "册", "条", "家次", "班", "届", "组", "对", "盒", "箱", "袋", "斤", "吨", "公斤", "千克",
)
_MAGNITUDES = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
               "千": Decimal(1000), "百万": Decimal(10) ** 6, "千万": Decimal(10) ** 7}
_QUAL_BEFORE = {"近": "approx", "约": "approx", "大约": "approx", "将近": "approx",
                "超过": "atLeast", "超": "atLeast", "逾": "atLeast", "多达": "atLeast",
                "不少于": "atLeast", "不低于": "atLeast", "至少": "atLeast",
                "不到": "atMost", "不足": "atMost", "最多": "atMost", "不超过": "atMost"}
_MONEY_NOUNS = "资金|经费|补助|补贴|奖金|慰问金|善款|捐款|款|救助金|帮扶金|基金"

_NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_DIGITS}]+)"
_UNIT = "|".join(sorted({m for m in MEASURES if m != "元" and m != "余人"}, key=len, reverse=True))
_QB = "|".join(sorted(_QUAL_BEFORE, key=len, reverse=True))
PATTERN = re.compile(
    rf"(?P<each>各)?(?P<qb>{_QB})?(?P<num>{_NUM})(?P<i1>余|多)?(?P<mag>万亿|百万|千万|亿|万|千)?(?P<i2>余|多)?"
    rf"(?:(?P<yuan>元)|(?P<unit>{_UNIT})(?!小时|月|星期|钟头|工作日|半小时)|(?=[\u4e00-\u9fff]{{0,4}}(?:{_MONEY_NOUNS})))"
    rf"(?P<qa>以上|以内|左右)?"
)


def parse_number(s: str) -> Decimal | None:
    """``'51.02'`` → 51.02, ``'一百五十'`` → 150, ``'1,000'`` → 1000."""
    s = s.replace(",", "")
    if s and s[0].isdigit():
        try:
            return Decimal(s)
        except InvalidOperation:
            return None
    try:
        import cn2an
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("kg needs cn2an for Chinese numerals: pip install cn2an") from e
    if s[0] in "十百千":
        s = "一" + s
    try:
        return Decimal(str(cn2an.cn2an(s, "smart")))
    except (ValueError, KeyError, TypeError, InvalidOperation):
        return None


MAX_VALUE = Decimal(10) ** 16
"""Above this (ten thousand trillion: more than any budget or head count) a digit run is not an amount."""
_CONTEXT = Context(prec=60)


def _normal(value: Decimal) -> Decimal | None:
    """``value`` in its plain form (``1500000``, ``51.02``), or None when it cannot be an amount."""
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_CONTEXT)
    return value.normalize(_CONTEXT)


MAX_DIGITS = 40
"""A digit run longer than this (one of forty digits is ten million times :data:`MAX_VALUE`) is no
amount, nor is any part of it; nor is a run of Chinese numerals as long."""
_TOO_LONG = re.compile(rf"(?:\d{{{MAX_DIGITS + 1},}}|\d{{1,3}}(?:,\d{{3}}){{{MAX_DIGITS // 3},}})(?:,\d{{3}})*(?:\.\d+)?"
                       rf"|\.\d{{{MAX_DIGITS + 1},}}|[{_CN_DIGITS}]{{{MAX_DIGITS + 1},}}")


def _blank_long_numbers(text: str) -> str:
    """``text`` with every run of :data:`MAX_DIGITS` digits or more (and the groups and fraction joined to it)
    as spaces, offsets kept: the pattern then reads each run once instead of again from each of its digits,
    which made the time quadratic in the run's length."""
    return _TOO_LONG.sub(lambda m: " " * len(m.group(0)), text)


_SENTENCE_END = re.compile(r"[。！？!?\n]")


ROLE_REACH = 500
"""The farthest from an amount its role is read (a corpus sentence is under 300 characters): a
sentence without end, read whole for each of its thousands of amounts, made the time quadratic."""


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding ``at`` starts, looked for no farther back than :data:`ROLE_REACH`."""
    reach = max(0, at - ROLE_REACH)
    return max(reach - 1, *(text.rfind(c, reach, at) for c in "。！？!?\n")) + 1


def _role(text: str, start: int, end: int, surface: str) -> tuple[str, str]:
    """The role of the amount at ``text[start:end]``, from its sentence and the one before."""
    begin = _sentence_start(text, start)
    stop = _SENTENCE_END.search(text, end, end + ROLE_REACH)
    end_before, reach = begin, max(0, begin - ROLE_REACH)
    while end_before > reach and text[end_before - 1] in "。！？!?\n":
        end_before -= 1
    earlier = text[_sentence_start(text, end_before): begin]
    return role_of(text[begin:start], text[end: stop.start() if stop else end + ROLE_REACH], surface, earlier)


def extract(article: Article, found: Mapping[str, tuple] | None = None) -> Iterator[Amount]:
    """Every amount in the article's full text, in order, a sum of money with its role; a range gives two."""
    text = article.full_text
    for m in PATTERN.finditer(_blank_long_numbers(text)):
        start = m.start()
        before = text[max(0, start - 1) : start]
        num = m.group("num")
        if before == "第" or before.isdigit() or before == ".":
            continue
        if not m.group("yuan") and not m.group("unit") and not m.group("mag"):
            continue
        if not num[0].isdigit() and len(num) == 1 and num in "十百千" and not m.group("i1"):
            continue
        if num == "一" and not m.group("mag"):
            continue  # 一支队伍, 一场活动: an article, not a count
        value = parse_number(num)
        if value is None:
            continue
        magnitude = _MAGNITUDES[m.group("mag")] if m.group("mag") else Decimal(1)
        unit = "CNY" if m.group("yuan") or not m.group("unit") else m.group("unit")
        qualifier = ""
        if m.group("qb"):
            qualifier = _QUAL_BEFORE[m.group("qb")]
        elif m.group("i1") or m.group("i2") or m.group("qa") == "以上":
            qualifier = "atLeast"
        elif m.group("qa") == "以内":
            qualifier = "atMost"
        elif m.group("qa") == "左右":
            qualifier = "approx"
        total = _normal(value * magnitude)
        if total is None:
            continue
        low = _RANGE_LOW.search(text, max(0, start - 12), start)
        if low and low.end() == start:
            low_value = parse_number(low.group("num"))
            low_mag = _MAGNITUDES[low.group("mag")] if low.group("mag") else magnitude
            low_total = _normal(low_value * low_mag) if low_value is not None else None
            if low_total is not None:
                low_text = low.group("num") + (low.group("mag") or "")
                role, per = (_role(text, low.start(), low.start() + len(low_text), low_text) if unit == "CNY"
                             else ("", ""))
                yield Amount(low_text, low_total, unit, low.start(), qualifier, role, per)
        role, per = _role(text, start, m.end(), m.group(0)) if unit == "CNY" else ("", "")
        yield Amount(m.group(0), total, unit, start, qualifier, role, per)


_RANGE_LOW = re.compile(r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?P<mag>万|亿)?(?:至|到|—|-|~|～)")
"""The unit-less first end of a range: ``800至`` in ``800至7000元``."""
