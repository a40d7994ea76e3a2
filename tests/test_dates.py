"""Dates: what the text writes, the year it is given, and ``ukg:date`` in the graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from kg.pipeline import extract_sources
from kg.errors import InputError
from kg.extract import extract
from kg.extract.dates import find_dates
from kg.read import date_in_name, normalise
from kg.resolve import resolve
from kg.types import Article

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _article(text: str, title: str = "", page_date: str = "", byline: str = "") -> Article:
    text = normalise(text)
    return Article(id="t#1", source="t.txt", title=title, text=text, span=(0, len(text)),
                   paragraphs=tuple(text.split("\n")), headlines=(title,) if title else (),
                   page_date=page_date, byline=byline)


def _program_dates(*articles: Article) -> dict[str, str]:
    xs = resolve([extract(a) for a in articles])
    return {p.label: (p.date.lexical if p.date else "") for x in xs for p in x.programs}


SENTENCES = [
    # (text from the seed pages, page date, label, expected ukg:date)
    ("12月22日,陕西省总工会召开2023年第十五次主席办公会议,专题研究关于向甘肃、青海两省工会捐助抗震救灾资金事项。"
     "会议决定向甘肃、青海两省工会捐助资金各150万元,用于慰问受灾职工群众和救灾人员。",
     "", "慰问受灾职工群众和救灾人员", "2023-12-22"),
    ("据介绍,2023年,广西壮族自治区总工会累计为5个定点帮扶村的168名困难学子发放资助金51.02万元。",
     "", "发放资助金", "2023"),
    ("2018年10月,荆州市总工会成立职工素质提升工程工作领导小组,将职工素质提升工程纳入年度重点工作统一部署。",
     "", "职工素质提升工程工作领导小组", "2018-10"),
    ("6月16日,福建省总工会启动2020年防暑降温工作,广泛开展“送清凉”走访慰问活动。",
     "", "“送清凉”走访慰问活动", "2020-06-16"),
    # no year anywhere: the month and day stay undated ...
    ("6月16日,福建省总工会启动防暑降温工作,广泛开展“送清凉”走访慰问活动。",
     "", "“送清凉”走访慰问活动", ""),
    # ... unless the page's date gives it
    ("6月16日,福建省总工会启动防暑降温工作,广泛开展“送清凉”走访慰问活动。",
     "2020-06-18", "“送清凉”走访慰问活动", "2020-06-16"),
    # a sentence without a date takes the page's
    ("福建省总工会广泛开展“送清凉”走访慰问活动。", "2020-06-18", "“送清凉”走访慰问活动", "2020-06-18"),
    # the end of a period is not when it happened
    ("青岛市总工会开展“送清凉”活动,确保到2025年覆盖全市。", "", "“送清凉”活动", ""),
]


@pytest.mark.parametrize("text, page_date, label, expected", SENTENCES)
def test_program_dates_in_real_sentences(text, page_date, label, expected):
    assert _program_dates(_article(text, page_date=page_date))[label] == expected


@pytest.mark.parametrize("text, expected", [
    ("二〇二三年十二月二十二日", [("2023-12-22", "date")]),
    ("(2020年03月16日 07:52)", [("2020-03-16", "date")]),
    ("2006年7月份", [("2006-07", "gYearMonth")]),
    ("2021年度一线职工", [("2021", "gYear")]),
    ("发布时间：2023-12-25 来源", [("2023-12-25", "date")]),
    ("2月30日", []),
    ("2023年2月29日", []),
    ("2024年2月29日", [("2024-02-29", "date")]),
    ("价值1000年", []),
])
def test_date_forms(text, expected):
    assert [(d.lexical, d.datatype) for d in find_dates(text)] == expected


def test_month_and_day_take_the_year_of_the_article_not_of_another_article_on_the_page():
    first = _article("2018年10月,荆州市总工会成立职工素质提升工程工作领导小组。")
    second = Article(id="t#2", source="t.txt", title="", text="12月22日,陕西省总工会开展“送温暖”活动。",
                     span=(0, 10), paragraphs=("12月22日,陕西省总工会开展“送温暖”活动。",))
    assert _program_dates(first, second)["“送温暖”活动"] == ""


@pytest.mark.parametrize("name, expected", [
    ("2023-12-25_p01.txt", "2023-12-25"), ("20231225.txt", "2023-12-25"), ("gr_2023.12.25.txt", "2023-12-25"),
    ("001_69aa9dea666dac39.txt", ""), ("20231345.txt", ""), ("a20231225b.txt", ""),
])
def test_page_date_from_the_file_name(name, expected):
    assert date_in_name(name) == expected


def test_dates_in_the_graph_are_typed_and_keep_their_text(tmp_path):
    (tmp_path / "2020-06-18_p03.txt").write_text(
        "福建工会推动防疫防暑措施落实\n\n6月16日,福建省总工会启动防暑降温工作,广泛开展“送清凉”走访慰问活动。\n\n"
        "青岛市总工会开展“冬送温暖”活动\n\n青岛市总工会开展“冬送温暖”活动,走访困难职工。\n", encoding="utf-8")
    from kg.vocab import UKG

    g = extract_sources([tmp_path]).graph
    dated = {(str(s).rsplit("/", 1)[-1], str(o), o.datatype, str(g.value(s, UKG.dateText)))
             for s, o in g.subject_objects(UKG.date) if (s, rdflib.RDF.type, UKG.Program) in g}
    assert {("“送清凉”走访慰问活动", "2020-06-16", rdflib.XSD.date, "6月16日"),
            ("“冬送温暖”活动", "2020-06-18", rdflib.XSD.date, "2020-06-18")} <= dated


def test_build_date_option_dates_pages_without_one_and_refuses_a_bad_date(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("福建省总工会广泛开展“送清凉”走访慰问活动。\n", encoding="utf-8")
    from kg.vocab import UKG

    assert not list(extract_sources([tmp_path]).graph.objects(None, UKG.date))
    assert "2021-07-01" in {str(o) for o in extract_sources([tmp_path], date="2021-07-01").graph.objects(None, UKG.date)}
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        extract_sources([tmp_path], date="2021-13-01")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
def test_corpus_quarter_of_programs_dated_and_none_where_no_year_is_given():
    import re

    result = extract_sources([CORPUS])
    programs = [(x.article.source, p) for x in result.extractions for p in x.programs]
    dated = [(f, p) for f, p in programs if p.date is not None and p.date.datatype]
    assert len(dated) >= len(programs) / 4
    for f, _p in dated:
        text = (CORPUS / f).read_text(encoding="utf-8")
        assert re.search(r"(19|20)\d{2}\s*年|[一二][〇零○九][〇零○一二三四五六七八九]{2}年|(19|20)\d{2}[-/.]\d", text), f


CORPUS_DATES = [
    # (corpus item, part of a program label, expected ukg:date): what each item's text says
    ("113_chinanews.txt", "金秋助学活动", "2023-08-18"),        # 8月18日电, the year from 2023年8月17日 before it
    ("118_yxsgh.txt", "云南省职工医疗互助活动", "2004-07"),      # 2004年7月云南省总工会组织开展了…
    ("116_workercn.txt", "职工大病医疗互助活动", "2008-10"),     # 从2008年10月开始
    ("109_mztoday.txt", "腊八节送温暖活动", "2026-01-26"),       # 1月26日上午, the year from 日期:2026-01-26
    ("161_shaoxing.txt", "两癌", "2024-03-08"),                  # 3月8日启动 2024年女职工“两癌”筛查: the lead's year
]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("name, label, expected", CORPUS_DATES)
def test_program_dates_in_corpus_items(name, label, expected):
    result = extract_sources([CORPUS / name])
    dates = {p.date.lexical for x in result.extractions for p in x.programs if label in p.label and p.date}
    assert dates == {expected}


def test_a_day_that_does_not_exist_in_the_year_it_would_take_is_not_that_date():
    text = "2023年1月，福建省总工会开展“送清凉”活动。\n2月29日，福建省总工会开展“送温暖”活动。"
    dates = _program_dates(_article(text))
    assert dates["“送清凉”活动"] == "2023-01" and dates["“送温暖”活动"] == "2023-01"  # its article's, no 2023-02-29
