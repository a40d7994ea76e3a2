"""Dates as the text writes them: ``2023年12月22日``, ``2023年5月``, ``2020年``, ``12月22日``, ``2023-12-25``.

Each mention keeps what the text said and nothing more: a ``12月22日`` has no
year here. The year comes later (:func:`kg.resolve.date_programs`), from the
article, then the page, then the page's date, never from today's date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from ..types import Article, DateMention, Extraction

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}


def _cn_number(text: str) -> int | None:
    """``十二`` → 12, ``二十二`` → 22, ``三十一`` → 31, ``12`` → 12."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CN_DIGIT.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    t = _CN_DIGIT.get(tens, -1) if tens else 1
    o = _CN_DIGIT.get(ones, -1) if ones else 0
    return None if t < 0 or o < 0 else t * 10 + o


def _cn_year(text: str) -> int | None:
    """``2023`` → 2023, ``二〇二三`` → 2023."""
    if text.isdigit():
        return int(text)
    digits = [_CN_DIGIT.get(c) for c in text]
    return None if None in digits else int("".join(map(str, digits)))


_Y = r"(?P<y>(?:19|20)\d{2}|[一二][〇零○九][〇零○一二三四五六七八九]{2})"
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
DATE = re.compile(
    rf"(?<![\d.])(?:{_Y}\s?年(?:度|份)?\s?(?:{_M}\s?月份?(?:\s?{_D}\s?[日号])?)?"
    rf"|(?P<m2>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s?月(?P<d2>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s?[日号]"
    rf"|(?P<y3>(?:19|20)\d{{2}})[-/.](?P<m3>1[0-2]|0?[1-9])[-/.](?P<d3>3[01]|[12]\d|0?[1-9]))(?![\d])"
)
"""A year (with month, with day), a month and day without a year, or an ISO-like date."""

_PERIOD_END = ("到", "至", "迄", "—", "–", "-", "~", "～")
"""What comes right before the end of a period (``到2020年``, ``2014—2018年``): not when a thing happened."""


def _valid(y: int | None, m: int | None, d: int | None) -> bool:
    if y is not None and not 1900 <= y <= 2099:
        return False
    if y is not None and m and d:
        import datetime

        try:
            datetime.date(y, m, d)
        except ValueError:
            return False  # 2023年2月29日
    if m is not None and not 1 <= m <= 12:
        return False
    if d is not None:
        if m is None or not 1 <= d <= 31:
            return False
        if d > (29 if m == 2 else 30 if m in (4, 6, 9, 11) else 31):
            return False
    return True


def find_dates(text: str, offset: int = 0) -> list[DateMention]:
    """Every date mention in ``text``, offsets shifted by ``offset``."""
    out: list[DateMention] = []
    for m in DATE.finditer(text):
        g = m.groupdict()
        if g["y"]:
            y, mo, d = _cn_year(g["y"]), g["m"] and _cn_number(g["m"]), g["d"] and _cn_number(g["d"])
        elif g["m2"]:
            y, mo, d = None, _cn_number(g["m2"]), _cn_number(g["d2"])
        else:
            y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
        mo = mo or None
        d = d or None
        if not _valid(y, mo, d):
            continue
        end_of_period = text[max(0, m.start() - 3): m.start()].rstrip().endswith(_PERIOD_END)
        out.append(DateMention(m.group(0), offset + m.start(), y, mo, d, end_of_period))
    return out


def extract(article: Article, found: Mapping[str, tuple]) -> list[DateMention]:
    """The article's date mentions: byline first (offset -1), then headlines and body in order."""
    out = [DateMention(d.text, -1, d.year, d.month, d.day, d.end_of_period) for d in find_dates(article.byline)]
    return out + find_dates(article.full_text)


def page_date(iso: str) -> DateMention | None:
    """A page's ``YYYY-MM-DD`` date as a mention (its text is the date itself)."""
    if not iso:
        return None
    y, m, d = (int(n) for n in iso.split("-"))
    return DateMention(iso, -1, y, m, d)


def _with_year(d: DateMention, year: int | None) -> DateMention:
    """``d`` with the year it takes from its context, unless it has one, or the day does not exist then
    (``2月29日`` in 2023 stays undated)."""
    if d.year is not None or year is None or not _valid(year, d.month, d.day):
        return d
    return replace(d, year=year)


def settle(extractions: list[Extraction]) -> list[Extraction]:
    """Date the articles and programs of one file.

    A ``12月22日`` takes the year of the nearest earlier date in its article that
    gives year and month, else of the first such date in the article, else of a
    year its lead gives (not ``2013年以来``), else of the file's first dated byline, else of the page's date; without any it stays
    undated. (Other articles' dates are not the page's: they tell of other times.) An article's date
    is the first dated mention of its byline, headlines or lead paragraph, else
    the page's date, else a year its lead gives; a program's is the first date of
    its sentence (not the end of a period), else its article's.
    """
    page = page_date(extractions[0].article.page_date) if extractions else None
    on_page = next((d.year for x in extractions for d in x.dates if d.start < 0 and d.year and d.month),
                   page.year if page else None)
    out = []
    for x in extractions:
        art = x.article
        text = art.full_text
        lead_end = sum(len(h) + 1 for h in art.headlines) + (len(art.paragraphs[0]) if art.paragraphs else 0)
        anchors = [d for d in x.dates if d.year and d.month and not d.end_of_period]
        lead_year = next((d.year for d in x.dates if d.year and d.start < lead_end and not d.end_of_period
                          and not text.startswith("以来", d.start + len(d.text))), None)
        default = anchors[0].year if anchors else lead_year or on_page

        def year_at(start: int) -> int | None:
            earlier = [d.year for d in anchors if d.start <= start]
            return earlier[-1] if earlier else default

        known = [_with_year(d, year_at(d.start)) for d in x.dates]
        lead = [d for d in known if d.start < lead_end and d.year and not d.end_of_period]
        date = next((d for d in lead if d.month), None) or page or next(iter(lead), None)
        programs = []
        for p in x.programs:
            if p.sentence:
                start, end = p.sentence
            else:
                start = text.find(p.evidence)
                end = start + len(p.evidence)
            own = None
            if start >= 0:
                own = next((d for d in known if start <= d.start < end
                            and d.year and not d.end_of_period), None)
            programs.append(replace(p, date=own or date))
        out.append(replace(x, dates=tuple(known), date=date, programs=tuple(programs)))
    return out
