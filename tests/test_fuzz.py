"""Property tests: no text makes extraction raise, and what it finds is always well formed.

Over random text and over seed and corpus pages mutated at random (slices cut,
repeated and moved, numbers of any length, controls, private-use characters
and non-characters put in), for every page:

- split and extract raise nothing, also on numbers of thousands of digits and on lines of tens of
  kilobytes dense with the words the extractors look for;
- article spans lie within the page, amounts are finite and not negative, and
  each amount's text stands in its article at its offset;
- every IRI is accepted by a strict parser (pyoxigraph reads the Turtle), and
  the Turtle read back by rdflib is isomorphic to the graph written.

``make test`` runs a few hundred examples (the ``ci`` profile, set in
``conftest.py``); ``make fuzz`` runs the ``fuzz`` profile, over ten thousand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is not installed (pip install -e '.[test]')")
pyoxigraph = pytest.importorskip("pyoxigraph")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rdflib import Graph  # noqa: E402
from rdflib.compare import isomorphic  # noqa: E402

from kg.errors import UnreadableFileError  # noqa: E402
from kg.extract import extract  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.read import decode, normalise  # noqa: E402
from kg.resolve import resolve  # noqa: E402
from kg.split import split  # noqa: E402
from kg.types import Page  # noqa: E402

from conftest import ROOT, SEEDS  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
PAGES = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
PAGES += [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))] if CORPUS.is_dir() else []

ODD = "\x00\x01\x07\x0b\x0c\x1b\x7f\x85\x9f\u00ad\u200b\u2028\u202e\ue000\uf8ff\ufdd0\ufffe\uffff\U0010fffd\ufeff"
NEWS = "工会总市省县区州开展举办下拨资金万元亿名人次活动项目“”《》，。、；：！？（）——…\n 0123456789.,一二三四五六七八九十百千"
pieces = st.one_of(
    st.text(alphabet=st.sampled_from(NEWS), max_size=40),
    st.text(alphabet=st.sampled_from(ODD), min_size=1, max_size=3),
    st.integers(min_value=0, max_value=10 ** 40).map(lambda n: f"{n}{'万亿元'[:n % 4]}"),
    st.sampled_from(["青岛市总工会", "省总工会", "市总", "全总", "本报讯（记者 张三）", "各150万元", "800至7000元",
                     "在福州市工人文化宫举行", "由福建省总工会主办", "（张葳）", "阅读提示", "#", "近日，"]),
    st.text(max_size=8),
)
random_pages = st.lists(pieces, max_size=60).map("".join)

KEYWORDS = ["青岛市总工会", "省总工会", "开展", "举办", "结合", "由", "主办", "“", "”", "《", "》", "活动", "项目",
            "需求", "下拨", "资金", "万元", "在", "社区", "、", "的", "为", "印发", "10", "三"]
digit_runs = st.tuples(st.sampled_from(["工会获", "下拨", "各", "近", ""]),
                       st.integers(1_500, 20_000), st.sampled_from("0123456789一三十,."),
                       st.sampled_from(["", "万元", "元", "名", ".5元", ",000元"])).map(
    lambda t: t[0] + (t[2] if t[2] not in ",." else "1" + t[2]) * (t[1] // (1 if t[2] not in ",." else 2)) + t[3])
"""A number far longer than any amount (a digit run, a Chinese numeral, thousands groups, a fraction)."""
dense_lines = st.tuples(st.lists(st.sampled_from(KEYWORDS), min_size=5, max_size=40),
                        st.integers(15_000, 60_000)).map(lambda t: ("".join(t[0]) * (t[1] // len("".join(t[0])) + 1))[:t[1]])
"""A line of 15-60 KB dense with the words the extractors look for, and no sentence end."""


@st.composite
def mutated_pages(draw):
    text = draw(st.sampled_from(PAGES))
    for _ in range(draw(st.integers(0, 6))):
        n = len(text)
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 400)))
        op = draw(st.sampled_from(["cut", "repeat", "move", "insert", "newline"]))
        if op == "cut":
            text = text[:a] + text[b:]
        elif op == "repeat":
            text = text[:b] + text[a:b] + text[b:]
        elif op == "move":
            piece, rest = text[a:b], text[:a] + text[b:]
            c = draw(st.integers(0, len(rest)))
            text = rest[:c] + piece + rest[c:]
        elif op == "insert":
            text = text[:a] + draw(pieces) + text[a:]
        else:
            text = text[:a] + "\n" + text[a:]
    return text[:60_000]


def check_page(raw: str) -> None:
    page = Page(source="p.txt", text=normalise(raw), key="p.txt")
    articles = split(page)
    for a in articles:
        assert 0 <= a.span[0] <= a.span[1] <= len(page.text)
    extractions = resolve([extract(a) for a in articles])
    for x in extractions:
        text = x.article.full_text
        for am in [*x.amounts, *(am for p in x.programs for am in p.amounts)]:
            assert am.value.is_finite() and am.value >= 0
            assert text[am.start : am.start + len(am.text)] == am.text
    g = build_graph(extractions)
    turtle = g.serialize(format="turtle")
    pyoxigraph.Store().load(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)  # strict IRIs
    back = Graph()
    back.parse(data=turtle, format="turtle")
    assert isomorphic(g, back)


@given(random_pages)
def test_random_text_never_breaks_extraction(text):
    check_page(text)


@pytest.mark.skipif(not PAGES, reason="no seed pages")
@given(mutated_pages())
def test_mutated_pages_never_break_extraction(text):
    check_page(text)


@given(st.one_of(digit_runs, dense_lines, st.tuples(random_pages, digit_runs, dense_lines).map("\n".join)))
@settings(max_examples=max(10, settings.default.max_examples // 10))
def test_long_numbers_and_dense_lines_never_break_extraction(text):
    check_page(text)


@given(st.binary(max_size=3000))
def test_any_bytes_decode_or_get_a_reason(data):
    try:
        text, _ = decode(data, "x.txt", notes=[])
    except UnreadableFileError as e:
        assert str(e).startswith("x.txt: ") and "\n" not in str(e)
    else:
        assert isinstance(text, str)
        check_page(text)


def test_the_corpus_is_there_or_says_why():
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent: the property tests mutate the seed pages only")
    assert len(PAGES) > len(list(Path(SEEDS).glob("*.txt")))
