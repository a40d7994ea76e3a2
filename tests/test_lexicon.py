"""The word lists extraction reads are data, weighed on annotated news by tools/derive_lexicon.py."""

import importlib.util
import json
import sys

from kg import lexicon
from kg.extract import extract
from kg.types import Article

from conftest import ROOT


def _tool():
    spec = importlib.util.spec_from_file_location("derive_lexicon", ROOT / "tools" / "derive_lexicon.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _shared(tmp_path, texts: dict[str, str], gold: dict):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "gold").mkdir()
    for name, text in texts.items():
        (tmp_path / "corpus" / name).write_text(text, encoding="utf-8")
    (tmp_path / "gold" / "corpus.json").write_text(json.dumps({"format": "ukg-gold/1", "files": gold}, ensure_ascii=False),
                                                   encoding="utf-8")
    return tmp_path


def test_a_verb_before_annotated_programs_in_several_files_is_seen_as_a_trigger_and_a_seed_word_the_text_contradicts_goes(tmp_path):
    tool = _tool()
    texts, gold = {}, {}
    for i, thing in enumerate(("书法培训", "象棋比赛", "职工运动会")):
        name = f"{i:03d}_news.txt"  # numbers ending 0-6: the train part
        texts[name] = (f"甲市总工会近日创办{thing}。甲市总工会召开会议，部署工作。\n"
                       "会上，甲市总工会召开座谈会，召开大会，召开了一次会议，召开联席会议。\n")
        gold[name] = {"unions": [{"names": ["甲市总工会"]}],
                      "programs": [{"union": "甲市总工会", "keys": [thing]}], "money": []}
    shared = _shared(tmp_path, texts, gold)
    obs = tool.observe(shared, tool.train_files(shared))
    assert len(obs.triggers["创办"].files) == 3 and obs.triggers["创办"].precision() == 1.0
    assert obs.triggers["召开"].uses >= 10 and obs.triggers["召开"].precision() == 0.0
    seed = {"triggers": ["开展", "召开"], "heads": ["活动"], "money_verbs": [], "funds": []}
    lists = tool.lexicon(obs, {"add": {"files": 3, "precision": 0.7}, "drop": {"uses": 10, "precision": 0.05}}, seed)
    assert "创办" in lists["triggers"] and "开展" in lists["triggers"]  # supported: added; unseen: kept
    assert "召开" not in lists["triggers"]  # used ten times and never for a program: dropped


def test_extraction_reads_its_trigger_verbs_and_heads_from_the_shipped_lists():
    assert lexicon.TRIGGERS and lexicon.HEADS and set(lexicon.MONEY_VERBS) <= set(lexicon.TRIGGERS)
    verb = next(v for v in ("开展", "举办") if v in lexicon.TRIGGERS)
    head = next(h for h in ("活动", "竞赛") if h in lexicon.HEADS)
    text = f"青岛市总工会{verb}职工读书{head}。"
    article = Article(id="t#1", source="t.txt", title="", text=text, span=(0, len(text)), paragraphs=(text,), headlines=())
    assert [(p.runners, p.label) for p in extract(article).programs] == [(("青岛市总工会",), f"职工读书{head}")]
