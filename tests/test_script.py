"""Traditional script and converter artefacts: read as simplified, quoted as written."""

import re

import pytest

from kg.pipeline import extract_sources
from kg.read import normalise
from kg.script import is_pinyin, simplify
from kg.vocab import UKG

from conftest import SEEDS, seed_text

SIMPLIFIED = (
    "雁江区总工会为农民工办技能培训\n"
    "本报讯（记者 杨光）10月12日，资阳市雁江区总工会在老君镇大溪村举办贫困村农民工技能培训班，"
    "区总工会向50名困难职工发放慰问金共计3万元。\n"
)
TRADITIONAL = (
    "雁江區總工會為農民工辦技能培訓\n"
    "本報訊（記者 楊光）10月12日，資陽市雁江區總工會在老君鎮大溪村舉辦貧困村農民工技能培訓班，"
    "區總工會向50名困難職工發放慰問金共計3萬元。\n"
)
ARTEFACTS = (
    "雁江区(qū)总工会为农民工办技能培训\n"
    "本报讯（记者 杨光）10月12日，资阳市雁江区(qū)总工会在老君镇(zhèn)大溪村举办贫困村农民工技能培训班，"
    "区(qū)总工会向50名困难职工发放慰问金共计3万元。\n"
)


def _triples(tmp_path, name: str, text: str) -> tuple[set, set]:
    """The triples of one page, as strings: those that quote the page (evidence, span) apart."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "page.txt").write_text(text, encoding="utf-8")
    quoting = {str(UKG.evidence), str(UKG.span)}
    triples = {(t.subject.value, t.predicate.value, t.object.value) for t in extract_sources([folder]).triples}
    return {t for t in triples if t[1] not in quoting}, {t for t in triples if t[1] in quoting}


def _evidence(quoting: set) -> list[str]:
    return sorted(o for _s, p, o in quoting if p == str(UKG.evidence))


def test_a_traditional_page_gives_the_simplified_pages_triples_with_evidence_as_written(tmp_path):
    facts, quoting = _triples(tmp_path, "simplified", SIMPLIFIED)
    trad_facts, trad_quoting = _triples(tmp_path, "traditional", TRADITIONAL)
    assert trad_facts == facts
    labels = {o for _s, p, o in trad_facts if p.endswith("#label")}
    assert {"资阳市雁江区总工会", "贫困村农民工技能培训班", "大溪村", "3万元"} <= labels  # simplified labels
    assert _evidence(trad_quoting) == [
        "10月12日，資陽市雁江區總工會在老君鎮大溪村舉辦貧困村農民工技能培訓班，"
        "區總工會向50名困難職工發放慰問金共計3萬元。"]
    assert {o for _s, p, o in trad_quoting if p == str(UKG.span)} == {o for _s, p, o in quoting
                                                                      if p == str(UKG.span)}


@pytest.mark.parametrize("script, seed", [("s2t", "001"), ("s2hk", "000")])  # Hong Kong's variants too (衞生)
def test_a_real_page_converted_to_traditional_gives_the_same_facts(tmp_path, script, seed):
    import opencc

    text = seed_text(seed)
    traditional = opencc.OpenCC(script).convert(text)
    assert len(traditional) == len(text) and "總工會" in traditional
    facts, quoting = _triples(tmp_path, "simplified", text)
    trad_facts, trad_quoting = _triples(tmp_path, "traditional", traditional)
    assert trad_facts == facts
    evidence, trad_evidence = _evidence(quoting), _evidence(trad_quoting)
    assert len(trad_evidence) == len(evidence) > 10
    assert {opencc.OpenCC("hk2s").convert(e) for e in trad_evidence} == set(evidence)
    # quoted as the page writes it (but for sentences the splitter joined across a column break)
    assert (sum(e in normalise(traditional) for e in trad_evidence) == sum(e in normalise(text) for e in evidence)
            > 10)


def test_pinyin_left_by_a_converter_is_read_as_the_clean_page(tmp_path):
    facts, _ = _triples(tmp_path, "clean", SIMPLIFIED)
    with_pinyin, quoting = _triples(tmp_path, "artefacts", ARTEFACTS)
    assert with_pinyin == facts
    assert _evidence(quoting) == [  # as written, brackets made full-width as on any page (kg.read)
        "10月12日，资阳市雁江区（qū）总工会在老君镇（zhèn）大溪村举办贫困村农民工技能培训班，"
        "区（qū）总工会向50名困难职工发放慰问金共计3万元。"]
    assert {o for _s, p, o in quoting if p == str(UKG.span)} == {f"0-{len(ARTEFACTS.rstrip())}"}


def test_spans_map_back_to_the_text_as_written():
    reading = simplify("为助力脱贫，关(guān)爱农(nóng)民工，由雁江區（qū）總工會主辦")
    assert reading.text == "为助力脱贫，关爱农民工，由雁江区总工会主办"
    start = reading.text.index("雁江区总工会")
    end = start + len("雁江区总工会")
    assert reading.written[reading.start(start) : reading.end(end)] == "雁江區（qū）總工會"
    assert reading.quote("农民工，由雁江区总工会") == "农(nóng)民工，由雁江區（qū）總工會"


@pytest.mark.parametrize("text", [
    "查(TCT)结果显示，市总工会开展活动。",      # an abbreviation in brackets
    "依照条款（a）执行，区总工会（app）上线。",  # an enumeration letter, a word that is no pinyin
])
def test_brackets_that_are_not_pinyin_stay(text):
    assert simplify(text).as_is


def test_pinyin_is_one_syllable():
    assert all(is_pinyin(w) for w in ("qū", "xiàn", "zhèn", "lǜ", "qu", "zhen", "xian4"))
    assert not any(is_pinyin(w) for w in ("a", "tct", "app", "on", "english"))


def test_a_simplified_page_is_read_as_written():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        reading = simplify(text)
        if path.name.startswith("002"):  # one traditional 級 among 8,929 characters: its line is converted
            assert not reading.as_is and len(reading.text) == len(text)
            assert [(a, b) for a, b in zip(text, reading.text) if a != b] == [("級", "级")]
        else:
            assert reading.as_is and reading.text is text


def test_a_conversion_that_changes_a_lines_length_is_done_character_by_character(monkeypatch):
    import kg.script

    class Lengthening:
        """A converter whose phrase table writes one phrase longer than it was."""

        def convert(self, text: str) -> str:
            return text.replace("區總工會", "区总工会会").replace("區", "区").replace("總", "总").replace("會", "会")

    monkeypatch.setattr(kg.script, "_converter", lambda: Lengthening())
    monkeypatch.setattr(kg.script, "_traditional", lambda: re.compile("[區總會]"))
    reading = simplify("雁江區總工會开展活动\n第二行")
    assert reading.text == "雁江区总工会开展活动\n第二行"
