"""How well kg reads union names of shapes no annotated item need contain, in the sentences news puts
them in: invented names in the common shapes of a union's name (a company, a bank's branch, a hospital,
a school, a bureau and its offices, a trade's federation, a 工委, a numbered bureau, an aside, Latin
letters, two fields joined by 和, two names joined by a mark, a street's federation, a group of workers named by their work, a railway section, a customs house, a
numbered school, a disease control centre, a central enterprise's unit, a branch union) after the words
and before the clauses that stand around unions, and the sentence-level edits kg should not notice (a
speaker and a verb before the name); then the same names after another body and what it does to them
(``通化市领导会见X``, ``白山市赴X``), where jieba calls many of the verbs nouns. It needs nothing from
``../shared``.

    python benchmarks/union_shapes.py          # the count, and every sentence whose name is not read

A name lost is one kg reads other than as written in that sentence.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import unions  # noqa: E402
from kg.types import Article  # noqa: E402

NAMES = """
中国石油天然气集团有限公司工会 国家电网有限公司工会 中国建设银行临江分行工会 临江市第一人民医院工会 临江大学工会
临江市公安局机关工会 临江市教育局工会 临江市中级人民法院工会 临江市第三中学工会 临江港集团有限公司工会委员会
临江市快递行业联合工会 临江市梧桐社区工会联合会 临江市总工会机关工会 中铁建工集团有限公司工会 上汽通用五菱汽车股份有限公司工会
临江市环境卫生管理处工会 临江市邮政分公司工会 临江市直机关工会工作委员会 临江市梧桐区人民医院工会 临江市出租汽车行业工会联合会
临江市交通运输局工会 临江市税务局机关工会 临江职业技术学院工会 临江市第二中学工会 中国移动临江分公司工会
临江市人民检察院工会 临江日报社工会 临江市农业农村局工会 临江市市场监督管理局工会 临江钢铁集团有限责任公司工会
临江市烟草专卖局工会 临江市人民医院工会 临江电厂工会 临江市水务集团工会 临江市自来水公司工会
中国工商银行临江分行工会 临江市中医院工会 临江市妇幼保健院工会 临江师范学院工会 临江市外卖配送行业工会
中铁十二局集团第五工程有限公司工会 临江港务（集团）有限公司工会 临江钢铁（集团）公司工会 临江TCL电子有限公司工会
临江市住房和城乡建设局工会 临江市人力资源和社会保障局工会 临江·梧桐文化产业园工会 临江高新区—梧桐科技园工联会
浑江区河口街道新就业形态劳动者工会联合会 临江市新就业形态劳动者工会 临江市外卖骑手工会 临江市快递员工会 临江市户外劳动者工会
临江市新业态劳动者工会 梧桐铁路局临江车务段工会 临江海关工会 梧桐山管委会工会 临江监狱工会 临江服务区工会
临江一中工会 临江职院工会 临江市疾病预防控制中心工会 中石油临江销售分公司工会 临江大学文学院分工会 临江广播电视台工会
""".split()
"""Invented names in the shapes unions are named in (临江 and 梧桐 are no real places)."""

CONTEXTS = (
    "近日，{}开展活动。", "{}积极开展送温暖活动。", "据{}介绍，今年共慰问职工。", "在{}的指导下，活动顺利举行。",
    "市总工会副主席张华走访{}，了解情况。", "{}、临江市总工会联合举办活动。", "{}主席张华表示，今年将继续开展活动。",
    "由{}主办的职工运动会开幕。", "{}为职工送上慰问品。", "市总工会向{}拨付资金。", "临江市总工会和{}共同举办活动。",
    "今年以来，{}累计投入资金50万元。", "张华督导{}，了解职工需求。",
)


BODIES = ("白山市", "吉林省白山市", "通化市领导", "浑江区人社局")
"""Who acts on the union: a city, a province and its city, a city's leaders, a district's bureau."""
VERBS = ("走访", "调研", "慰问", "督导", "考察", "看望", "指导", "检查", "来到", "前往", "莅临", "赴", "到", "联合",
         "协助", "支持", "表彰", "会见", "约谈", "部署", "督查", "视察", "观摩", "参观", "帮助", "资助", "向")
"""What news says one body does to or with a union."""


def read(text: str) -> set[str]:
    """The union names as written that kg reads in one sentence."""
    article = Article(id="x#1", source="x.txt", title="", text=text, span=(0, len(text)), paragraphs=(text,))
    return {u.surface for u in unions.extract(article)}


def main() -> None:
    lost = [(c.format(n), read(c.format(n))) for n in NAMES for c in CONTEXTS if n not in read(c.format(n))]
    print(f"{len(NAMES)} names × {len(CONTEXTS)} contexts: {len(lost)} of {len(NAMES) * len(CONTEXTS)} not read as written")
    for text, got in lost:
        print(f"  {text}  →  {sorted(got)}")
    acted = [f"{b}{v}{n}开展活动。" for n in NAMES for b in BODIES for v in VERBS]
    lost = [(t, read(t)) for t, n in zip(acted, [n for n in NAMES for _ in BODIES for _ in VERBS]) if n not in read(t)]
    print(f"after a body and its verb ({len(BODIES)} × {len(VERBS)}): {len(lost)} of {len(acted)} not read as written")
    for text, got in lost:
        print(f"  {text}  →  {sorted(got)}")


if __name__ == "__main__":
    main()
