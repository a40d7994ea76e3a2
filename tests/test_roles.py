"""Amount roles: what kind of amount each sum is, read from the words around it, on real sentences.

The sentences are from the seed pages and the train part of ``../shared/corpus`` (items ending 0–6),
as kg reads them (full-width punctuation). A role decides whether a sum is a program's money
(``total``) or something shown beside it, so a wrong one changes every total kg prints.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kg.extract.amounts import extract
from kg.extract.roles import ROLES, role_of
from kg.types import Article

SHARED = Path(__file__).resolve().parents[2] / "shared"

PASSAGES = [
    # (item, passage as kg reads it, {amount as written: (role, what a standard is per)})
    ("001", "陕西省总向甘肃青海捐助抗震救灾资金300万元",
     {"300万元": ("total", "")}),
    ("001", "会议决定向甘肃、青海两省工会捐助资金各150万元，用于慰问受灾职工群众和救灾人员。",
     {"各150万元": ("total", "")}),
    ("000", "山西省总经调研后给予支持，共投入6万元帮扶资金，为上村调运回5万颗约40亩土豆良种。",
     {"6万元": ("total", "")}),
    ("004", "4月份，市总工会开启2021年全市职工健康体检工作，筹集600万体检资金，"
            "为全市一万余名在职职工提供免费体检服务。",
     {"600万": ("total", "")}),
    ("001", "据介绍，2023年，"
            "广西壮族自治区总工会累计为5个定点帮扶村的168名困难学子和12户未消除风险的防返贫监测对象家庭发放资助金51.02万元，"
            "其中有63名高职（大专）以上在读学生获得资助。",
     {"51.02万元": ("total", "")}),
    ("183", "据了解，长春市总列支2000万元用于困难职工帮扶和防疫物资发放。",
     {"2000万元": ("total", "")}),
    ("212", "四川省总工会和甘孜州总工会也于第一时间分别拨付抗震救灾专项资金300万元、150万元。",
     {"300万元": ("total", ""), "150万元": ("total", "")}),
    ("220", "其中，省总工会本级筹集资金7747万元，计划对全省20余万名职工和近1.1万名困难职工开展慰问。",
     {"7747万元": ("total", "")}),
    ("206", "近期暴雨、洪涝灾害发生以来，全国总工会已向地方工会拨付救灾资金2100万元。",
     {"2100万元": ("total", "")}),
    ("141", "除全总每年投入“职工书屋”示范点建设的2000万元专项资金外，"
            "由各级工会自筹的“职工书屋”建设专项资金总额已达1.5亿多元。",
     {"2000万元": ("total", "")}),
    ("161", "市本级按照每人520元的检查标准，400个名额投入专项资金20.8万元。",
     {"20.8万元": ("total", ""), "520元": ("perUnit", "人")}),
    ("220", "市总工会积极争取了中央财政专项资金411.88万元、省级财政专项资金345.51万元，"
            "为今冬送温暖活动顺利开展提供了有力保障，此外，市总工会还投入76万余元资金，"
            "启动了对5个主城区环卫工人的慰问活动。",
     {"76万余元": ("total", "")}),
    ("101", "活动中，慰问组向每户困难家庭送上3000元慰问金及米、面、油等慰问品。",
     {"3000元": ("perUnit", "户")}),
    ("000", "中顺汽车服务有限公司另投入5万元，为该市97户在档困难职工家庭各送去慰问金500元。",
     {"500元": ("perUnit", ""), "5万元": ("received", "")}),
    ("136", "据悉，对新认定和重新确认的市级劳模工匠人才创新工作室，市总工会分别给予5万元、3万元的经费补助。",
     {"5万元": ("perUnit", ""), "3万元": ("perUnit", "")}),
    ("111", "另一部分是历年市总工会资助过的在档困难职工子女，对他们以奖学金形式实施资助直至完成学业，"
            "其中本科以上资助3000元，专科、高职资助2000元。",
     {"3000元": ("perUnit", "")}),
    ("302", "在当天的救助金发放中，"
            "因大病致贫的困难职工每人获得救助金5000元、因天灾致贫的困难职工分别获得救助金3000元、2000元，"
            "生活困难职工每人获得救助金1000元。",
     {"5000元": ("perUnit", "人"), "3000元": ("perUnit", "人")}),
    ("211", "一方面，增拨2510万元困难职工救助资金，每户平均救助2000元，最高不超过4000元，预计救助1万户。",
     {"2000元": ("perUnit", "户"), "不超过4000元": ("perUnit", "")}),
    ("133", "当选者将获颁“成都工匠”奖牌并获得一次性奖励2万元。",
     {"2万元": ("perUnit", "")}),
    ("163", "验收合格的，每个基层工会点位将给予10000元内的创建补助，其他点位将适当给予一定补助。",
     {"10000元": ("perUnit", "个")}),
    ("205", "活动现场，该市总为困难职工家庭新考入大学的子女每人发放助学金5000元，"
            "为困难职工家庭高中生每人发放助学金3000元。",
     {"3000元": ("perUnit", "人")}),
    ("001", "近年来，广西壮族自治区总工会设立“扶智纾困”帮扶项目，按照不同的资助标准，发放800元至7000元不等的资助金。",
     {"800元": ("rangeLow", ""), "7000元": ("rangeHigh", "")}),
    ("211", "同时下拨2000万元春节送温暖资金，每户慰问金500元至1000元，预计慰问3万户。",
     {"500元": ("rangeLow", "户"), "1000元": ("rangeHigh", "户"), "2000万元": ("total", "")}),
    ("001", "据悉，自2019年以来，"
            "自治区总工会向河池市东兰县的板逢村、鸾坡村、红里村、弄竹村、坤王村5个定点帮扶村发放资助金超过180万元。",
     {"超过180万元": ("cumulative", "")}),
    ("116", "5年来，全市参加大病医疗互助138万余人次，累计收缴互助金6000万余元，"
            "已结束的五期活动共为5000余人进行了大病互助补偿，共发补偿金5000万余元，为患大病职工提供了一个重要保障。",
     {"6000万余元": ("cumulative", ""), "5000万余元": ("cumulative", "")}),
    ("003", "2021年、2022年，省总工会共投入经费712万元，培训2.5万余名骨干。",
     {"712万元": ("cumulative", "")}),
    ("230", "据了解，峄城区总工会对特困职工子女的“金秋助学”活动已经连续开展了17年，17年来，"
            "共为3518名困难职工子女发放金秋助学金819万元。",
     {"819万元": ("cumulative", "")}),
    ("322", "据了解，该县总工会已连续10多年为环卫工人捐赠棉衣，累计投入 50多万元。",
     {"50多万元": ("cumulative", "")}),
    ("114", "近5年，各级工会组织累计筹集资金1298万元，帮助7318名贫困学子圆了上学梦。",
     {"1298万元": ("cumulative", "")}),
    ("000", "截至9月底，工会逢年过节慰问品发放人数为7923人，采购慰问品金额362.81万元，其中，"
            "采购贫困地区农产品金额达279.62万元，占比77%。",
     {"362.81万元": ("cumulative", ""), "279.62万元": ("part", "")}),
    ("304", "据了解，送温暖活动从即日起持续至春节期间，"
            "自治区总工会将安排不少于1000万元资金用于引导全区工会组织开展送温暖走访慰问。",
     {"不少于1000万元": ("target", "")}),
    ("183", "针对受疫情影响较大的小微企业，长春市总通过组织开展职工“双创”扶持小额贴息贷款，"
            "全年计划投入贴息资金1200万元。",
     {"1200万元": ("target", "")}),
    ("204", "目前全国总工会安排送温暖专项资金3.53亿元，各地工会通过多个渠道送温暖，"
            "预计全国工会可筹集总额50亿元送温暖资金。",
     {"50亿元": ("target", ""), "3.53亿元": ("total", "")}),
    ("166", "今年，市总工会将投入240万元分批组织2000名一线职工疗休养，全市工会系统计划安排6000名一线职工疗休养。",
     {"240万元": ("target", "")}),
    ("220", "在今年的元旦、春节“送温暖”活动中，全省各级工会预计筹集资金1.5亿元。",
     {"1.5亿元": ("target", "")}),
    ("220", "市总工会积极争取了中央财政专项资金411.88万元、省级财政专项资金345.51万元，"
            "为今冬送温暖活动顺利开展提供了有力保障。",
     {"411.88万元": ("received", ""), "345.51万元": ("received", "")}),
    ("324", "此次捐赠活动得到职工积极响应，大家纷纷解囊，短短三天时间就募集善款6000余元。",
     {"6000余元": ("received", "")}),
    ("116", "虽然杯水车薪，但相对于参加活动缴纳的36.5元互助金来说却是一个可观的数字，使患病职工减轻了负担。",
     {"36.5元": ("received", "")}),
    ("445", "在筹资助困行动中，黑龙江省总工会下拨资金5010万元，是2016年的4倍；其他各级工会筹集经费4713万元；"
            "爱心企业、劳模和社会各界捐助241万元；中央财政专项帮扶资金7501万元；企业筹资7193万元。",
     {"241万元": ("received", ""), "5010万元": ("total", "")}),
    ("002", "据初步统计，全省工会已筹集3000万元防暑降温专项资金，将分级、分层、分片组织开展慰问活动。",
     {"3000万元": ("received", "")}),
    ("330", "2017年全州各级工会配合相关部门清欠农民工工资4097.01万元，涉及人数4272人。",
     {"4097.01万元": ("received", "")}),
    ("224", "记者从会上获悉，日前，河南省总工会已安排430万元专项救灾资金，连同全国总工会下拨的200万元资金，"
            "将一起尽快补助到受灾地区。",
     {"200万元": ("received", ""), "430万元": ("total", "")}),
    ("212", "全国总工会紧急启动相关程序，于今日下拨四川省总工会抗震救灾补助资金500万元，其中全国总工会机关下拨200万元，"
            "中国职工发展基金会拨付100万元，另调拨200万元救灾物资。",
     {"100万元": ("part", ""), "500万元": ("total", "")}),
    ("491", "今年以来，全省工会系统累计投入防疫专项资金3294.91万元，其中省总工会拨付869万元，"
            "各市（州）总工会配套738.45万元。",
     {"869万元": ("part", "")}),
    ("181", "近日，市总工会通过专项资金下拨、企业捐赠等方式多方筹集资金454万元，分别给予杭锦旗154万元，"
            "东胜区150万元，康巴什区150万元，助力抗击疫情。",
     {"154万元": ("part", ""), "454万元": ("total", "")}),
    ("213", "在健康保障方面，甘肃省总筹集专项资金320万元，为1万名新就业形态劳动者构筑起坚实的“健康防护网”。其中，"
            "投入120万元赠送专项综合互助保障保险，投入200万元采用移动体检车上门服务。",
     {"120万元": ("part", "")}),
]
ROLE_TABLE = [(item, passage, surface, role, per)
              for item, passage, expected in PASSAGES for surface, (role, per) in expected.items()]
"""One row per amount: 63 of them."""


def _article(text: str) -> Article:
    return Article(id="t#1", source="t.txt", title="", text=text, span=(0, len(text)), paragraphs=(text,))


@pytest.mark.parametrize("item, passage, surface, role, per", ROLE_TABLE,
                         ids=[f"{r[0]}-{r[2]}-{r[3]}" for r in ROLE_TABLE])
def test_role_of_an_amount_in_a_real_sentence(item, passage, surface, role, per):
    found = [a for a in extract(_article(passage)) if a.text == surface]
    assert found, f"no amount {surface} in the passage"
    assert (found[0].role, found[0].per) == (role, per)


def test_the_table_is_real_and_covers_every_role_several_times():
    assert len(ROLE_TABLE) >= 40
    assert all(int(item) % 10 <= 6 for item, *_ in ROLE_TABLE)  # seeds (000-004) and the train part only
    counts = Counter(row[3] for row in ROLE_TABLE)
    assert set(counts) == set(ROLES) and min(counts.values()) >= 2, counts


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not here")
def test_the_table_quotes_the_items_as_kg_reads_them():
    """Each passage is cut from its item (the train part, or a seed page), so the table stays real."""
    from kg.read import read_page

    root = Path(__file__).resolve().parents[1] / "seeds"
    texts = {p.name[:3]: read_page(p).text for p in [*root.glob("*.txt"), *(SHARED / "corpus").glob("*.txt")]
             if int(p.name[:3]) % 10 <= 6}
    missing = []
    for item, passage, surface, *_ in ROLE_TABLE:
        cut = passage[max(0, passage.index(surface) - 12): passage.index(surface) + len(surface)]
        if cut.replace(" ", "") not in texts[item].replace(" ", ""):
            missing.append((item, cut))
    assert not missing


@pytest.mark.parametrize("before, after, role, per", [
    ("建设资金", "/个，共建成30个", "perUnit", "个"),
    ("比赛设一等奖", "，二等奖1万元", "perUnit", ""),
    ("全年力争投入", "", "target", ""),
    ("市总工会收到社会各界捐款", "", "received", ""),
    ("市总工会下拨", "，用于慰问困难职工", "total", ""),
])
def test_the_issues_own_wordings(before, after, role, per):
    assert role_of(before, after) == (role, per)


def test_a_count_keeps_its_measure_word_and_has_no_role():
    text = "其中有63名高职（大专）以上在读学生和14名今年考上全日制本科以上大学的学子获得资助，每人2000元。"
    got = {a.text: (a.unit, a.role) for a in extract(_article(text))}
    assert got == {"63名": ("名", ""), "14名": ("名", ""), "2000元": ("CNY", "perUnit")}
