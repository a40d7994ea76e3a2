"""The project's jieba: our dictionary, and part-of-speech tags as jieba's own tokenizer gives them."""

from importlib import resources

from kg.nlp import pos_cut, pos_tokenizer, runs_on, tokenizer

from conftest import SEEDS


def test_part_of_speech_tags_are_jiebas_own_over_our_dictionary():
    import jieba
    import jieba.posseg

    own = jieba.Tokenizer()
    with resources.as_file(resources.files("kg") / "userdict.txt") as path:
        own.load_userdict(str(path))
    reference = jieba.posseg.POSTokenizer(own)  # read from the dictionary file, as jieba does
    text = next(SEEDS.glob("000*.txt")).read_text(encoding="utf-8")[:3000]
    assert [tuple(p) for p in pos_tokenizer().lcut(text, HMM=False)] == [tuple(p) for p in reference.lcut(text, HMM=False)]
    assert pos_tokenizer().tokenizer is tokenizer()


def test_a_word_read_across_a_position():
    text = "表彰金牌工程师"
    assert runs_on(text, text.index("工程") + 2)  # 工程师: 工程 ends inside a word
    assert not runs_on("开展送温暖活动，", 7)  # 活动 ends at the comma


def test_remembered_cuts_are_jiebas_and_each_caller_gets_its_own_list():
    text = "临江市梧桐机械有限公司工会开展职工技能竞赛"
    words = pos_cut(text)
    assert [tuple(p) for p in words] == [tuple(p) for p in pos_tokenizer().lcut(text, HMM=False)]
    words.pop()  # a caller that changes its list changes no later caller's
    assert [tuple(p) for p in pos_cut(text)] == [tuple(p) for p in pos_tokenizer().lcut(text, HMM=False)]
