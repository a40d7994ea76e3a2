"""Extraction does work linear in a page's digit runs and line lengths (counted, never timed).

Work is counted as the lines of kg's own code run (a trace), and for the amount pattern, which
runs in C, as the longest digit run it is given: a run it must read again from each of its
digits made 工会获 + 10,000 digits take 15 s, a line dense with keywords minutes.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

import kg
from kg.extract import amounts, extract
from kg.extract.programs import labels
from kg.graph import build_graph
from kg.read import normalise
from kg.resolve import resolve
from kg.split import split
from kg.types import Article, Page

KG = str(Path(kg.__file__).parent)


def _article(text: str) -> Article:
    return split(Page(source="p.txt", text=normalise(text), key="p.txt"))[0]


def _work(text: str) -> int:
    """Lines of kg's code run to split, extract and resolve ``text`` and make its graph."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(KG):
            return None
        count += 1
        return trace

    page = Page(source="p.txt", text=normalise(text), key="p.txt")
    sys.settrace(trace)
    try:
        build_graph(resolve([extract(a) for a in split(page)]))
    finally:
        sys.settrace(None)
    return count


def _dense(seed: int, size: int) -> str:
    rng = random.Random(seed)
    words = ["青岛市总工会", "省总工会", "开展", "举办", "结合", "由", "主办", "“", "”", "《", "》", "活动",
             "项目", "需求", "下拨", "资金", "万元", "在", "社区", "、", "的", "为", "印发", "10", "三"]
    unit = "".join(rng.choice(words) for _ in range(rng.randint(5, 40)))
    return (unit * (size // len(unit) + 1))[:size]


@pytest.fixture(autouse=True)
def _warm():
    extract(_article("青岛市总工会开展“金秋助学”活动，发放助学金10万元。"))  # tables loaded outside the count


@pytest.mark.parametrize("line", [
    lambda n: "青岛市总工会开展“送温暖活动" * (n // 14),  # a quote left open before every trigger
    lambda n: "结合青岛市总工会开展送温暖活动" * (n // 15),  # a frame word, a union and a verb, over and over
    lambda n: "社区项目社区社区主办" * (n // 10),  # places nested in places, without end
    lambda n: "省总工会项目结合的在举办社区三需求主办万元三为" * (n // 24),  # every union a recipient (为 X)
    lambda n: _dense(4, n), lambda n: _dense(5, n), lambda n: _dense(7, n), lambda n: _dense(20, n),
], ids=["open-quotes", "frames", "nested-places", "recipients", "dense-4", "dense-5", "dense-7", "dense-20"])
def test_a_long_dense_line_costs_work_in_proportion(line):
    small, large = _work(line(3000)), _work(line(6000))
    assert large < 2.5 * small, (small, large)


def test_a_number_thousands_of_digits_long_is_read_once(monkeypatch):
    seen: list[str] = []
    pattern = amounts.PATTERN

    class Recording:
        def finditer(self, text):
            seen.append(text)
            return pattern.finditer(text)

    monkeypatch.setattr(amounts, "PATTERN", Recording(), raising=True)
    for digits in ("7" * 20_000, "三" * 20_000, "1" + ",000" * 5_000, "1." + "5" * 20_000):
        found = list(amounts.extract(_article(f"工会获{digits}万元，发放慰问金10万元。")))
        assert [a.text for a in found] == ["10万元"]
    longest = max(len(r) for t in seen for r in re.findall(r"[\d,.]+|[零〇一二两三四五六七八九十百千]+", t))
    assert longest <= amounts.MAX_DIGITS + 1


def test_a_number_of_up_to_forty_digits_is_still_read():
    found = list(amounts.extract(_article("工会获" + "0" * 30 + "12万元。")))
    assert [a.value for a in found] == [120000]


def test_object_after_reads_a_bounded_span_past_each_trigger():
    class Counting(str):
        reads = 0

        def __getitem__(self, i):
            Counting.reads += 1
            return str.__getitem__(self, i)

    s = "青岛市总工会开展“送温暖活动" * 1000
    masked = Counting(labels.mask_quotes(s))
    triggers = [m.end() for m in re.finditer(labels.TRIGGER_RE, masked)]
    for end in triggers:
        labels.object_after(s, masked, end)
    assert Counting.reads <= 4 * len(triggers) * (labels.SPAN_MAX + 1)  # a few reads a character


def test_quoted_spans_are_the_patterns_spans():
    rng = random.Random(1)
    for _ in range(5000):
        s = "".join(rng.choice("“”《》\nab") for _ in range(rng.randint(0, 30)))
        assert labels.quoted_spans(s, least=3) == [m.span() for m in re.finditer(r"“[^”]{3,}”", s)]
        assert labels.quoted_spans(s, "“”《》", one_line=True) == [
            m.span() for m in re.finditer(r"“[^”\n]*”|《[^》\n]*》", s)]
