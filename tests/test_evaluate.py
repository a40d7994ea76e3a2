"""Scoring follows shared/gold/README.md, and the seeds hold their floor."""

import pytest
from rdflib import Graph

from kg.errors import GoldFileError
from kg.evaluate import evaluate, load_gold

from conftest import DATA, ROOT

TTL = """
@prefix ukg: <https://w3id.org/ukg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/> .
:a a ukg:Article ; ukg:sourceFile "f.txt" .
:u1 a ukg:Union ; rdfs:label "甲市总工会" ; ukg:mentionedIn :a ; ukg:runs :p1, :p2, :p3 .
:u2 a ukg:Union ; rdfs:label "甲市总" ; ukg:mentionedIn :a .
:u3 a ukg:Union ; rdfs:label "丙工会" ; ukg:mentionedIn :a .
:p1 a ukg:Program ; rdfs:label "“三述”活动" ; prov:wasDerivedFrom :a ; ukg:inPlace :x, :y ; ukg:amount :m .
:p2 a ukg:Program ; rdfs:label "三述工作法" ; prov:wasDerivedFrom :a .
:p3 a ukg:Program ; rdfs:label "送清凉" ; prov:wasDerivedFrom :a .
:x a ukg:Place ; rdfs:label "乙村" . :y a ukg:Place ; rdfs:label "甲市" .
:m a ukg:Amount ; ukg:unit "CNY" ; ukg:value "60300"^^xsd:decimal .
"""
GOLD = {"format": "ukg-gold/1", "files": {"f.txt": {
    "unions": [{"names": ["甲市总工会", "甲市总"]}, {"names": ["丙工会"], "optional": True}],
    "programs": [{"union": "甲市总工会", "keys": ["三述"], "places": [{"names": ["乙村"]}, {"names": ["丁镇"]}]},
                 {"union": "甲市总工会", "keys": ["送清凉"], "optional": True}],
    "money": [{"union": "甲市总工会", "value": 60000}]}}}


def test_scoring_rules_on_a_tiny_graph():
    g = Graph()
    g.parse(data=TTL, format="turtle")
    s = evaluate(g, GOLD).scores
    # the union split in two labels: one TP, one FP; the optional union is neutral
    assert (s["unions"].tp, s["unions"].fp, s["unions"].fn) == (1, 1, 0)
    # two programs match one gold program: one TP, one duplicate FP; 送清凉 is optional
    assert (s["runs"].tp, s["runs"].fp, s["runs"].fn) == (1, 1, 0)
    # 乙村 matches, 甲市 is the union's own locality (neutral), 丁镇 missed
    assert (s["places"].tp, s["places"].fp, s["places"].fn) == (1, 0, 1)
    # 60300 is within 0.5 % of 60000
    assert (s["money"].tp, s["money"].fp, s["money"].fn) == (1, 0, 0)


def test_bad_gold_files(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text("{\"format\": \"other\"}", encoding="utf-8")
    with pytest.raises(GoldFileError, match="not a ukg-gold/1 file"):
        load_gold(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(GoldFileError, match="not valid JSON"):
        load_gold(bad)


FLOOR = {"unions": 0.95, "runs": 0.82, "places": 0.74, "money": 0.95}
MEAN_FLOOR = 0.88
"""Places 0.714: dev.json does not list one venue kg finds (a training class held 在市职工服务中心)."""


def test_seed_scores_hold_the_floor(seed_build):
    """A regression floor on the dev annotations (measured: mean 0.888; runs 0.837, places 0.750)."""
    report = evaluate(seed_build.graph, load_gold(DATA / "dev.json"))
    for metric, floor in FLOOR.items():
        assert report.scores[metric].f1 >= floor, (metric, report.scores[metric].f1)
    assert report.mean_f1 >= MEAN_FLOOR


def test_explain_lists_every_mistake_with_its_evidence():
    g = Graph()
    g.parse(data=TTL + ':p2 <https://w3id.org/ukg/ontology#evidence> "甲市总工会推出三述工作法。" .',
            format="turtle")
    report = evaluate(g, GOLD)
    got = {(m.metric, m.kind, m.item, m.evidence) for m in report.mistakes}
    assert got == {
        ("unions", "fp", "甲市总 (a second label of 甲市总工会)", ""),
        ("runs", "fp", "甲市总工会 → 三述工作法 (a second program for gold 三述)", "甲市总工会推出三述工作法。"),
        ("places", "fn", "丁镇 (for 甲市总工会 → “三述”活动)", ""),
    }
    data = report.explain_dict()
    assert data["mistakes"]["f.txt"]["runs"][0]["evidence"] == "甲市总工会推出三述工作法。"


def test_several_gold_files_at_once(tmp_path, capsys):
    import json

    from kg.cli import main

    ttl = tmp_path / "g.ttl"
    ttl.write_text(TTL, encoding="utf-8")
    other = {"format": "ukg-gold/1", "files": {"other.txt": {"unions": [{"names": ["乙县总工会"]}]}}}
    (tmp_path / "a.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    assert main(["evaluate", str(ttl), str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--explain",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["files"]) == {"f.txt", "other.txt"}
    assert data["mistakes"]["other.txt"]["unions"] == [{"kind": "fn", "item": "乙县总工会"}]
    assert main(["evaluate", str(ttl), str(tmp_path / "a.json"), str(tmp_path / "a.json")]) == 1
    assert "f.txt is annotated in" in capsys.readouterr().err


CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_GOLD = ROOT.parent / "shared" / "gold" / "corpus.json"
CORPUS_FLOOR = {"unions": 0.95, "runs": 0.78, "places": 0.78, "money": 0.94}
CORPUS_MEAN_FLOOR = 0.86
PART_FLOOR = {"train": 0.88, "check": 0.82}
CHECK_FLOOR = {"unions": 0.88, "runs": 0.70, "places": 0.77, "money": 0.93}
"""The check part, metric by metric: the issue asks each of them to reach 0.70."""


def corpus_part(gold: dict, which: str) -> dict:
    """The train part (item numbers ending in 0-6) or the check part (7-9) of the corpus gold."""
    return {**gold, "files": {k: v for k, v in gold["files"].items() if (int(k[:3]) % 10 < 7) == (which == "train")}}


@pytest.mark.skipif(not (CORPUS.is_dir() and CORPUS_GOLD.is_file()),
                    reason="../shared/corpus and ../shared/gold/corpus.json are absent (kept out of the repository)")
def test_corpus_scores_hold_the_floor():
    """276 real news items from ~200 sites (measured: mean 0.867, runs 0.781, places 0.789; train 0.882, check 0.826,
    its runs 0.703)."""
    from kg.pipeline import extract_sources

    graph = extract_sources([CORPUS]).graph
    gold = load_gold(CORPUS_GOLD)
    report = evaluate(graph, gold)
    for metric, floor in CORPUS_FLOOR.items():
        assert report.scores[metric].f1 >= floor, (metric, report.scores[metric].f1)
    assert report.mean_f1 >= CORPUS_MEAN_FLOOR
    for which, floor in PART_FLOOR.items():
        mean = round(evaluate(graph, corpus_part(gold, which)).mean_f1, 3)  # the check part: aggregate only
        assert mean >= floor, which
    check = evaluate(graph, corpus_part(gold, "check"))
    for metric, floor in CHECK_FLOOR.items():
        assert round(check.scores[metric].f1, 3) >= floor, ("check", metric)


@pytest.mark.skipif(not (CORPUS.is_dir() and CORPUS_GOLD.is_file()),
                    reason="../shared/corpus and ../shared/gold/corpus.json are absent (kept out of the repository)")
@pytest.mark.parametrize("tool, shipped, needs", [
    ("derive_lexicon.py", "lexicon.json", None),  # the word lists
    ("train_programs.py", "programs_model.json", "sklearn"),  # the judge
    ("train_links.py", "links_model.json", None),  # the link precisions
])
def test_make_train_reproduces_each_shipped_file_byte_for_byte(tmp_path, tool, shipped, needs):
    if needs:
        pytest.importorskip(needs, reason="training needs scikit-learn: pip install -e '.[train]'")
    import subprocess
    import sys

    out = tmp_path / shipped
    subprocess.run([sys.executable, str(ROOT / "tools" / tool), "-o", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == (ROOT / "kg" / "data" / shipped).read_bytes()
