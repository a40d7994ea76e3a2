"""Each extractor on real paragraphs from the seed pages."""

from decimal import Decimal

import pytest

from kg.errors import UnknownNameError
from kg.extract import EXTRACTORS, extract, get_extractor, places
from kg.types import Article


def art(text, title="", source="t.txt"):
    return Article(id="t#1", source=source, title=title, text=text, span=(0, len(text)),
                   paragraphs=tuple(text.split("\n")), headlines=(title,) if title else ())


UNION_CASES = [
    ("“三述”活动，是青岛市总淬炼干部队伍、提升服务效能的系列举措之一。",
     {("青岛市总工会", "青岛市总")}),
    ("本届环卫工人节由福建省总工会、省人大常委会环境与城乡建设工作委员会主办，福州市总工会承办。",
     {("福建省总工会", "福建省总工会"), ("福州市总工会", "福州市总工会")}),
    ("为了赛出示范效应，临夏州总和临夏市总工会深入企业开展赛前岗位技能培训。",
     {("临夏回族自治州总工会", "临夏州总"), ("临夏市总工会", "临夏市总工会")}),
    ("5月21日，淮北矿业集团朱仙庄矿工会举办“挑战自我 携手并进”心理拓展活动。",
     {("淮北矿业集团朱仙庄矿工会", "淮北矿业集团朱仙庄矿工会")}),
    ("内蒙古区总以1693户在档全国级困难职工为重点。", {("内蒙古自治区总工会", "内蒙古区总")}),
    ("在广西柳州市柳南区总工会多方协调和指导下，李师傅所在的企业开展了集体协商。",
     {("柳州市柳南区总工会", "广西柳州市柳南区总工会")}),
    ("全总有关负责人介绍。", {("中华全国总工会", "全总")}),
    ("据了解，象州县总结合工作特色开展了活动。", set()),  # 总结 is not 总工会
    # divisions no table has, read as written
    ("西营门街总工会在企业开展劳动竞赛。", {("西营门街总工会", "西营门街总工会")}),
    ("宝坻区霍各庄镇总工会开展“夏季送清凉”活动。", {("宝坻区霍各庄镇总工会", "宝坻区霍各庄镇总工会")}),
    ("7月16日，深圳龙岗区龙城街道总工会启动“送清凉”活动。",
     {("深圳龙岗区龙城街道总工会", "深圳龙岗区龙城街道总工会")}),  # 街道 ends a name here, no generic word
    ("各街道总工会开展活动。", set()),
    ("宁波市鄞州区总工会、钟公庙街道总工会联合开展送清凉活动。",
     {("宁波市鄞州区总工会", "宁波市鄞州区总工会"), ("钟公庙街道总工会", "钟公庙街道总工会")}),  # a list of unions
    # press names settle a bare union
    ("三秦大地寒意渐浓，省总工会启动送温暖活动。", {("陕西省总工会", "省总工会")}),
    ("冰城入冬，市总工会为环卫工人送去棉衣。", {("哈尔滨市总工会", "市总工会")}),
    # a company's name jieba does not know comes in single characters, tagged at random
    ("表达自己内心的感激和谢意。月盛斋公司工会负责人寄语。", {("月盛斋公司工会", "月盛斋公司工会")}),
    ("4月25日，峨边彝族自治县大电公司工会组织开展登山活动。",
     {("峨边彝族自治县大电公司工会", "峨边彝族自治县大电公司工会")}),
    ("面对困难，曾家山煤业分公司工会建立先进表彰机制。", {("曾家山煤业分公司工会", "曾家山煤业分公司工会")}),
    ("广西建工集团第五建筑工程有限责任公司工会开展技能竞赛。",
     {("广西建工集团第五建筑工程有限责任公司工会", "广西建工集团第五建筑工程有限责任公司工会")}),
    ("中铁九局三公司工会开展劳动竞赛。", {("中铁九局三公司工会", "中铁九局三公司工会")}),  # the group's third company
    # a district under the name it had as a county or a city, as older news writes it
    ("2009年，萧山市总工会开展送温暖活动。", {("萧山市总工会", "萧山市总工会")}),
    ("江宁县总工会开展招聘会。", {("江宁县总工会", "江宁县总工会")}),
    # a trade union's name ends at punctuation or a sum as well as before a verb; a national one starts with 中国
    ("黑龙江省交通工会、哈尔滨市总工会开展慰问。",
     {("黑龙江省交通工会", "黑龙江省交通工会"), ("哈尔滨市总工会", "哈尔滨市总工会")}),
    ("其中，北京市总100万元，中国金融工会180万元。",
     {("北京市总工会", "北京市总"), ("中国金融工会", "中国金融工会")}),
    ("中国海员建设工会开展关爱船员公益行动。", {("中国海员建设工会", "中国海员建设工会")}),
    ("由宜昌市教育局、宜昌市教育工会主办的比赛圆满落幕。", {("宜昌市教育工会", "宜昌市教育工会")}),
    ("走好中国特色社会主义工会发展道路。", set()),
    # …but words around a name stay out of it
    ("据梧桐街道总工会介绍，今年共慰问职工300人。", {("梧桐街道总工会", "梧桐街道总工会")}),  # 据: a preposition
    ("据梧桐大学工会介绍，今年共慰问职工300人。", {("梧桐大学工会", "梧桐大学工会")}),
    ("在临江市教育工会的指导下，活动顺利举行。", {("临江市教育工会", "临江市教育工会")}),  # 的 ends the name
    ("中国金融工会近日向灾区捐赠物资。", {("中国金融工会", "中国金融工会")}),  # a time word after it
    ("中国海员建设工会党组书记在会上讲话。", {("中国海员建设工会", "中国海员建设工会")}),
    ("临江市教育工会等单位参加活动。", {("临江市教育工会", "临江市教育工会")}),
    ("临江市教育工会副主席李明介绍了情况。", {("临江市教育工会", "临江市教育工会")}),  # an office after a name
    ("临江市教育工会积极开展送温暖活动。", {("临江市教育工会", "临江市教育工会")}),
    ("会上，港区工会主席李明作了发言。", set()),  # a bare trade before an office: a title in passing
    ("临江市教育工会干部参加了培训。", {("临江市教育工会", "临江市教育工会")}),  # a place makes it a name
    ("临江市调研工会工作。", set()),  # …but not before what 工会 makes one word with
    ("学校按照临江市教育工会有关要求开展活动。", {("临江市教育工会", "临江市教育工会")}),
    ("中华全国铁路总工会工作组来到车站。", {("中华全国铁路总工会", "中华全国铁路总工会")}),
    # words before a name stay out of it: a particle, a verb before the place that opens it
    ("围绕着梧桐街道总工会的部署开展活动。", {("梧桐街道总工会", "梧桐街道总工会")}),
    ("近日，启动临江电力有限公司工会服务站。", {("临江电力有限公司工会", "临江电力有限公司工会")}),
    ("认真落实东莞市塘厦镇总工会部署。", {("东莞市塘厦镇总工会", "东莞市塘厦镇总工会")}),
    ("连同东莞市塘厦镇总工会开展活动。", {("东莞市塘厦镇总工会", "东莞市塘厦镇总工会")}),
    ("玲珑街道总工会开展活动。", {("玲珑街道总工会", "玲珑街道总工会")}),  # an adjective opening a place's name
    ("吉林临江新区总工会开展送清凉活动。", {("临江新区总工会", "吉林临江新区总工会")}),  # a zone as written
    ("吉林通化东昌经开区总工会开展送清凉活动。", {("通化东昌经开区总工会", "吉林通化东昌经开区总工会")}),
    ("今年，经开区总工会投入资金80万元建设职工书屋。", {("经开区总工会", "经开区总工会")}),  # a zone alone: as written
    ("近日，浑江区板石街道梧桐社区工会开展活动。", {("浑江区板石街道梧桐社区工会", "浑江区板石街道梧桐社区工会")}),  # a
    ("近日，板石街道梧桐社区工会开展活动。", {("板石街道梧桐社区工会", "板石街道梧桐社区工会")}),  # street keeps its community
    # a railway section's, a customs house's, a zone committee's union: named as written, not a city's trade
    ("近日，梧桐铁路局临江车务段工会开展活动。", {("梧桐铁路局临江车务段工会", "梧桐铁路局临江车务段工会")}),
    ("近日，临江海关工会开展活动。", {("临江海关工会", "临江海关工会")}),
    ("近日，梧桐山管委会工会开展活动。", {("梧桐山管委会工会", "梧桐山管委会工会")}),
    ("在这一阶段工会组织职工开展竞赛。", set()),  # …a stage is none
    ("近日，临江监狱工会开展活动。", {("临江监狱工会", "临江监狱工会")}),  # a prison's, a motorway service area's
    ("近日，临江服务区工会开展活动。", {("临江服务区工会", "临江服务区工会")}),
    ("近日，中石油临江销售分公司工会开展活动。",  # a central enterprise's short name before its unit's place
     {("中石油临江销售分公司工会", "中石油临江销售分公司工会")}),  # (jieba: 中 and 石油, a noun before a place)
    ("在中铁临江公司工会的指导下，活动顺利举行。", {("中铁临江公司工会", "中铁临江公司工会")}),
    ("近日，临江大学文学院分工会开展活动。", {("临江大学文学院分工会", "临江大学文学院分工会")}),  # a branch union
    ("近日，梧桐机械厂一车间分工会开展活动。", {("梧桐机械厂一车间分工会", "梧桐机械厂一车间分工会")}),
    ("部分工会干部参加了培训。", set()),  # …some of the unions' cadres: none
    ("近日，临江一中工会开展活动。", {("临江一中工会", "临江一中工会")}),  # a numbered school (a place word to
    ("近日，临江职院工会开展活动。", {("临江职院工会", "临江职院工会")}),  # jieba), a college said short
    ("近日，临江市疾病预防控制中心工会开展活动。",  # a kind that ends a longer word (控制中心) is no union
     {("临江市疾病预防控制中心工会", "临江市疾病预防控制中心工会")}),  # of that kind alone (中心工会)
    ("白山日报社工会为职工送清凉。", {("白山日报社工会", "白山日报社工会")}),  # a paper's, a station's: as written,
    ("近日，白山广播电视台工会开展活动。", {("白山广播电视台工会", "白山广播电视台工会")}),  # not a city's trade
    ("梧桐社区社工会同民警走访困难家庭。", set()),  # social workers (社工), with the police
    ("近日，山东青岛西海岸新区总工会开展活动。", {("青岛西海岸新区总工会", "山东青岛西海岸新区总工会")}),  # a new
    # district, named by a stem and 新区, under its city (not a bare 区总工会)
    ("近日，白山经济开发区工会开展活动。", {("白山经济开发区工会", "白山经济开发区工会")}),  # a zone's longer forms
    ("近日，白山经济开发区工会工作委员会开展活动。",
     {("白山经济开发区工会工作委员会", "白山经济开发区工会工作委员会")}),
    ("白山市综合保税区工会为职工送清凉。", {("白山市综合保税区工会", "白山市综合保税区工会")}),
    ("日前，记者从江源区松树镇总工会获悉。", {("江源区松树镇总工会", "江源区松树镇总工会")}),  # 从 opens no
    # place (从江县) whose short name ends inside the next word
    ("其中国网临江供电公司工会捐款5万元。", {("国网临江供电公司工会", "国网临江供电公司工会")}),  # 国网 is one word
    ("各县（市）区、开发区总工会要组织职工开展健步走活动。", set()),  # many zones' federations
    ("东莞市梧桐镇总工会开展送清凉活动。据悉，镇总工会还举办了职工运动会。",  # a town's federation said again
     {("东莞市梧桐镇总工会", "东莞市梧桐镇总工会"), ("东莞市梧桐镇总工会", "镇总工会")}),  # with its level alone
    ("此外，街道总工会还举办了职工运动会。", set()),  # …but no street named: none
    ("近日，白山市妇联、团市委、市总工会开展送清凉活动。", {("白山市总工会", "市总工会")}),  # a list of bodies
    ("全省各市、县总工会开展送清凉活动。", set()),  # …not of levels
    # places that share one tail: each place's federation
    ("吉林省、辽宁省总工会联合举办职工技能大赛。", {("吉林省总工会", "吉林省"), ("辽宁省总工会", "辽宁省总工会")}),
    ("白山、通化两市总工会联合举办职工技能大赛。", {("白山市总工会", "白山"), ("通化市总工会", "通化")}),
    ("白山、通化、辽源等城市工会建立了维权联动机制。",
     {("白山市总工会", "白山"), ("通化市总工会", "通化"), ("辽源市总工会", "辽源")}),
    # an organisation's union by its kind alone, where the article names none of that kind: as first written
    ("我校工会举办了教职工运动会。此外，校工会还开展了金秋助学活动。", {("我校工会", "我校工会"), ("我校工会", "校工会")}),
    ("该行工会积极开展送温暖活动。", {("该行工会", "该行工会")}),
    ("企业工会要积极开展活动。", set()),  # any enterprise's
    ("市总工会下属机械厂工会开展活动。", {("市总工会", "市总工会"), ("机械厂工会", "机械厂工会")}),  # two names, not one
    ("临江县总工会按照县委部署和县工会代表大会的要求开展工作。", {("临江县总工会", "临江县总工会")}),  # no 和县
    ("白山市和浑江区总工会联合举办了职工运动会。", {("浑江区总工会", "浑江区总工会")}),  # no district called 和浑江区
    ("领导实地察看清华大学工会建设情况。", {("清华大学工会", "清华大学工会")}),  # a verb before a known name
    ("张华督导永定门街道总工会，了解职工需求。", {("永定门街道总工会", "永定门街道总工会")}),  # a verb jieba calls a
    # noun, before a street's own name
    # …before a place that opens the name, whatever jieba calls it (督导, 会见, 部署 are nouns to it)
    ("通化市领导会见临江电力有限公司工会。", {("临江电力有限公司工会", "临江电力有限公司工会")}),
    ("张华督导临江市环境卫生管理处工会，了解职工需求。", {("临江市环境卫生管理处工会", "临江市环境卫生管理处工会")}),
    ("通化市督导八道江区总工会开展活动。", {("八道江区总工会", "八道江区总工会")}),  # a district the gazetteer lacks
    ("白山市调研国家电网有限公司工会。", {("国家电网有限公司工会", "国家电网有限公司工会")}),  # a verb before a brand
    ("地方国家机关工会开展活动。", {("地方国家机关工会", "地方国家机关工会")}),  # a noun may qualify an organisation
    # what company and bureau names hold: an aside, Latin letters, two fields joined by 和
    ("近日，临江港务（集团）有限公司工会开展活动。", {("临江港务（集团）有限公司工会", "临江港务（集团）有限公司工会")}),
    ("近日，临江钢铁（集团）公司工会开展活动。", {("临江钢铁（集团）公司工会", "临江钢铁（集团）公司工会")}),
    ("近日，临江TCL电子有限公司工会开展活动。", {("临江TCL电子有限公司工会", "临江TCL电子有限公司工会")}),
    ("近日，白山市人力资源和社会保障局工会开展活动。",
     {("白山市人力资源和社会保障局工会", "白山市人力资源和社会保障局工会")}),
    ("临江港务公司和白山市文化和旅游局工会共同开展活动。",  # …but not a company and a bureau
     {("白山市文化和旅游局工会", "白山市文化和旅游局工会")}),
    ("近日，临江·梧桐文化产业园工会开展活动。", {("临江·梧桐文化产业园工会", "临江·梧桐文化产业园工会")}),  # two names
    ("近日，临江高新区—梧桐科技园工联会开展活动。", {("临江高新区—梧桐科技园工联会", "临江高新区—梧桐科技园工联会")}),
    ("近日，梧综区—临江物流园工联会开展活动。",  # …not after a word jieba does not know whole
     {("临江物流园工联会", "临江物流园工联会")}),
    ("近日，浑江区河口街道新就业形态劳动者工会联合会开展活动。",  # a street's federation of the workers it unites
     {("浑江区河口街道新就业形态劳动者工会联合会", "浑江区河口街道新就业形态劳动者工会联合会")}),
    # a union of workers named by what they do, after its place (jieba calls 外卖 a verb, 户外 a place word)
    ("近日，白山市新就业形态劳动者工会开展活动。", {("白山市新就业形态劳动者工会", "白山市新就业形态劳动者工会")}),
    ("浑江区外卖骑手工会为骑手送清凉。", {("浑江区外卖骑手工会", "浑江区外卖骑手工会")}),
    ("据白山市快递员工会介绍，今年共慰问职工。", {("白山市快递员工会", "白山市快递员工会")}),
    ("近日，白山市新业态劳动者工会成立。", {("白山市新业态劳动者工会", "白山市新业态劳动者工会")}),
    ("在白山市全体员工会上，市长讲话。", set()),  # …a meeting of all the staff is none
    ("白山市调研外卖骑手工会工作。", set()),  # …nor union work researched
    ("白山市赴浑江区总工会开展活动。", {("浑江区总工会", "浑江区总工会")}),  # 赴浑江区 is no district of 白山市
    ("山东能源临沂矿业集团工会开展活动。", {("山东能源临沂矿业集团工会", "山东能源临沂矿业集团工会")}),  # a brand: a
    # noun after a place written short
    ("深圳龙岗区平湖街道总工会开展活动。", {("深圳龙岗区平湖街道总工会", "深圳龙岗区平湖街道总工会")}),  # 龙岗区: a noun
    # to jieba, a place all the same
    ("资金主要用于临江供电公司工会开展活动。", {("临江供电公司工会", "临江供电公司工会")}),  # …or a place
    ("近日，梧桐市宏大机械有限公司工会组织开展了职工运动会。",  # an adjective inside a company's name
     {("梧桐市宏大机械有限公司工会", "梧桐市宏大机械有限公司工会")}),
    ("各车间积极响应机械厂工会号召。", {("机械厂工会", "机械厂工会")}),  # manner and verb, one word to jieba
    ("临江市直机关工会工作委员会开展活动。", {("临江市直机关工会工作委员会", "临江市直机关工会工作委员会")}),  # a 工委
    ("香港工会联合会举办职工技能大赛。", {("香港工会联合会", "香港工会联合会")}),  # its own name, not 香港特别行政区…
    ("澳门工会联合总会举办职工技能大赛。", {("澳门工会联合总会", "澳门工会联合总会")}),  # a federation's 联合总会
    ("临江市总工会机关工会为职工送上慰问品。", {("临江市总工会机关工会", "临江市总工会机关工会")}),  # the staff's own
    ("全总机关工会组织职工义务植树。", {("中华全国总工会机关工会", "全总机关工会")}),
    ("临江市总工会机关干部走访企业。", {("临江市总工会", "临江市总工会")}),  # the federation's offices: the federation
    ("近日，中铁十二局集团第五工程有限公司工会开展活动。",  # a numbered bureau, one numeral to jieba, inside a name
     {("中铁十二局集团第五工程有限公司工会", "中铁十二局集团第五工程有限公司工会")}),
    ("近日，快速物流公司工会开展活动。", {("快速物流公司工会", "快速物流公司工会")}),  # a manner opening a name
    # a 联合工会 is named by what it unites; after a body, 联合 is "jointly with"; after a count, many
    ("梧桐物流联合工会为货车司机送清凉。", {("梧桐物流联合工会", "梧桐物流联合工会")}),
    ("临江区新就业形态联合工会成立。", {("临江区新就业形态联合工会", "临江区新就业形态联合工会")}),
    ("梧桐镇党支部联合工会开展活动。", {("梧桐镇工会", "梧桐镇党支部联合工会")}),  # the branch with the union: X's
    ("临江市公交集团城际客运党支部联合工会组织志愿者。",
     {("临江市公交集团城际客运工会", "临江市公交集团城际客运党支部联合工会")}),  # whatever X's last word
    ("临江公司党委和工会开展慰问活动。", {("临江公司工会", "临江公司党委和工会")}),
    ("梧桐镇通过建立20个村级联合工会，服务农民工。", set()),
    ("浙江梧桐物流市场工会联合会成立后，梧桐物流联合工会开展了多项服务。",
     {("浙江梧桐物流市场工会联合会", "浙江梧桐物流市场工会联合会"), ("浙江梧桐物流市场工会联合会", "梧桐物流联合工会")}),
    ("据恒和软件公司工会介绍，今年共慰问职工300人。", {("恒和软件公司工会", "恒和软件公司工会")}),  # 和 inside it
    ("大力支持梧桐物流公司工会开展活动。", {("梧桐物流公司工会", "梧桐物流公司工会")}),
    ("慰问组还到滕州仲家汇商贸有限公司工会联合会走访。",
     {("滕州仲家汇商贸有限公司工会联合会", "滕州仲家汇商贸有限公司工会联合会")}),
]


@pytest.mark.parametrize("text, expected", UNION_CASES)
def test_unions(text, expected):
    found = {(u.name, u.surface) for u in get_extractor("unions")(art(text), {})}
    assert found == expected


def test_bare_union_resolved_from_the_article():
    a = art("在山西省总工会帮扶村表彰大会上，村民获得表彰。\n感谢省总工会驻村扶贫工作队对我的帮助。",
            title="庄稼人站到了工会领奖台上")
    names = [u.name for u in get_extractor("unions")(a, {})]
    assert names == ["山西省总工会", "山西省总工会"]
    a = art("10月15日，在岢岚县宋家沟乡，省总工会扶贫工作队开展表彰。")
    assert [u.name for u in get_extractor("unions")(a, {})] == ["山西省总工会"]


def test_a_bare_union_takes_the_place_its_sentence_names_else_the_one_the_article_names_most():
    # the headline's destination is not where the union belongs: the article names 福建 and 福州 more
    text = ("“农民工返乡爱心专列”驶向河南\n"
            "新春来临，省总工会、福建日报等部门联手开展“情满海西·情暖返乡路”活动。\n"
            "首趟专列从福州驶向河南，福建各界为农民工送行。")
    assert {u.name for u in get_extractor("unions")(art(text), {})} == {"福建省总工会"}
    # a round-up: 在广东，省总工会… is Guangdong's, whatever the article names most
    text = "在河北，滦州市总工会开展送温暖活动。河北各地工会纷纷响应。在广东，省总工会投入200万元。"
    assert "广东省总工会" in {u.name for u in get_extractor("unions")(art(text), {})}


def test_bare_union_without_locality_keeps_its_bare_name():
    [u] = get_extractor("unions")(art("市总工会签约健身场馆11家。"), {})
    assert (u.name, u.level, u.locality) == ("市总工会", "市", "")


@pytest.mark.parametrize("text", [
    "目前已有22个省、自治区、直辖市总工会推荐申报。", "各市总工会要抓好落实。", "四省市总工会签署协议。",
    "各区、县（市）总工会配套提供名额。", "矿区工会主席王某出席。",
])
def test_collective_mentions_never_become_one_union(text):
    assert list(get_extractor("unions")(art(text), {})) == []


def test_a_bare_union_is_settled_from_its_file(tmp_path):
    from kg.pipeline import extract_sources

    page = tmp_path / "p.txt"
    page.write_text("工会送礼，温暖过年\n来源：今日椒江\n近日，区总工会带着年货走访慰问，为留在椒江的职工送去温暖。\n",
                    encoding="utf-8")
    names = {u.name for x in extract_sources([page]).extractions for u in x.unions}
    assert names == {"椒江区总工会"}
    page.write_text("市总工会开展腊八节送温暖活动\n来源：绵竹市融媒体中心\n1月26日，市总工会为环卫工人送去腊八粥。\n",
                    encoding="utf-8")
    names = {u.name for x in extract_sources([page]).extractions for u in x.unions}
    assert names == {"绵竹市总工会"}


PLACE_CASES = [
    ("广西壮族自治区总工会援助河池市东兰县东兰镇板逢村", ["广西壮族自治区", "河池市", "东兰县", "东兰镇", "板逢村"]),
    ("在山西省总工会帮扶村表彰大会上，岢岚县宋家沟乡上村村民郝生生", ["山西省", "岢岚县", "宋家沟乡", "上村"]),
    ("让更多农村转移劳动力就业致富，助力乡村振兴", []),
    ("甘肃临夏州工会紧盯脱贫攻坚", ["甘肃省", "临夏回族自治州"]),
]


@pytest.mark.parametrize("text, expected", PLACE_CASES)
def test_places(text, expected):
    assert [p.name for p in get_extractor("places")(art(text), {})] == expected


def test_place_parents_from_gazetteer_and_text():
    found = {p.name: p.parents for p in get_extractor("places")(art("河池市东兰县东兰镇板逢村"), {})}
    assert found["东兰县"] == ("广西壮族自治区", "河池市")
    assert found["板逢村"] == ("广西壮族自治区", "河池市", "东兰县", "东兰镇")


AMOUNT_CASES = [
    ("共投入6万元帮扶资金", [("6万元", "60000", "CNY", "")]),
    ("采购慰问品金额362.81万元", [("362.81万元", "3628100", "CNY", "")]),
    ("仅两个小时销售额就超过88万元", [("超过88万元", "880000", "CNY", "atLeast")]),
    ("累计选派百余名干部", [("百余名", "100", "名", "atLeast")]),
    ("吸引了近20万人在线观看", [("近20万人", "200000", "人", "approx")]),
    ("月工资800元至7000元不等", [("800元", "800", "CNY", ""), ("7000元", "7000", "CNY", "")]),
    ("补助800至7000元", [("800", "800", "CNY", ""), ("7000元", "7000", "CNY", "")]),
    ("投入600万体检资金", [("600万", "6000000", "CNY", "")]),
    ("两村各150万元", [("各150万元", "1500000", "CNY", "")]),
    ("总投资3.53亿元，累计组织活动226场", [("3.53亿元", "353000000", "CNY", ""), ("226场", "226", "场", "")]),
    ("第十三届高等院校学生职业技能竞赛10月24日举办", []),
]


@pytest.mark.parametrize("text, expected", AMOUNT_CASES)
def test_amounts(text, expected):
    got = [(a.text, str(a.value), a.unit, a.qualifier) for a in get_extractor("amounts")(art(text), {})]
    assert got == expected


def _programs(text, title=""):
    return list(extract(art(text, title)).programs)


def test_program_with_trigger_and_money_in_the_next_sentence():
    text = ("武宏提出开展土豆良种培育试点项目的想法。"
            "山西省总经调研后给予支持，共投入6万元帮扶资金，为上村调运回土豆良种。")
    progs = _programs(text, title="山西省总在帮扶村选树“自主脱贫红旗示范户”——")
    potato = next(p for p in progs if "土豆" in p.label)
    assert potato.runners == ("山西省总工会",)
    assert [a.value for a in potato.amounts if a.unit == "CNY"] == [Decimal(60000)]
    assert "上村" in [p.name for p in potato.places]
    assert potato.evidence == "武宏提出开展土豆良种培育试点项目的想法。"


def test_a_headline_of_what_a_union_does_for_whom_names_what_it_does():
    body = "近日，白山市总工会在浑江区举办活动，200余名环卫工人参加。"
    assert [(p.label, p.runners) for p in _programs(body, title="白山工会为环卫工人送清凉")] == [
        ("送清凉", ("白山市总工会",))]


def test_a_headline_that_says_who_acts_before_a_colon_names_what_it_does():
    body = "记者从杭州市总工会获悉，新开通的维权热线已接到求助200余次。"
    assert ("为快递小哥办理入会", ("杭州市总工会",)) in {
        (p.label, p.runners) for p in _programs(body, title="杭州市总：为快递小哥办理入会")}
    assert ("维权热线", ("杭州市总工会",)) in {  # …what its verb opens, where the verb is a trigger
        (p.label, p.runners) for p in _programs(body, title="杭州市总：为快递小哥开通维权热线")}
    # a place before the colon: its federation, the one the article names
    assert ("快递小哥就近入会", ("杭州市总工会",)) in {
        (p.label, p.runners) for p in _programs(body, title="杭州：快递小哥就近入会")}
    assert _programs(body, title="专访：快递小哥的一天") == []  # no place, no union: nobody said to act
    # a province and one of its cities before the colon: the city's federation
    body = "记者从杭州市总工会获悉，按照省总工会要求，新开通的维权热线已接到求助200余次。"
    assert ("快递小哥就近入会", ("杭州市总工会",)) in {
        (p.label, p.runners) for p in _programs(body, title="浙江杭州：快递小哥就近入会")}


def test_aid_a_union_gives_is_a_program():
    assert [p.label for p in _programs("临江市总工会为农民工提供免费法律援助，帮助讨回工资。")] == ["免费法律援助"]


def test_a_first_batch_and_its_count_are_no_part_of_a_name():
    assert [p.label for p in _programs("临江市总工会推出首批10条职工疗休养活动。")] == ["职工疗休养活动"]


def test_each_act_of_a_list_of_acts_is_a_program():
    progs = _programs("今年，临江市总工会创建劳模创新工作室20个、建成职工书屋15家。")
    assert {p.label for p in progs} == {"劳模创新工作室", "职工书屋"}


def test_a_label_ends_at_its_last_head_even_inside_another():
    assert [p.label for p in _programs("浑江区总工会建成户外劳动者服务站点18个。")] == ["户外劳动者服务站点"]  # not 服务站


def test_insurance_a_union_buys_for_workers_is_a_program_with_its_cost():
    (p,) = _programs("临江港务集团工会为一线职工购买了团体意外伤害保险，每年投入保费12万元。")
    assert (p.label, [a.text for a in p.amounts if a.unit == "CNY"]) == ("购买团体意外伤害保险", ["12万元"])


def test_one_time_is_no_count_before_a_name():
    (p,) = _programs("白山市总工会对新入会会员给予200元一次性入会补助。")
    assert p.label == "给予一次性入会补助"  # 一次性 is one word: no 一次 to trim, no 性入会补助 left


def test_a_count_after_an_item_of_a_list_is_no_part_of_its_name():
    assert [p.label for p in _programs("今年，临江市总工会新建职工之家15个、职工书屋9个。")] == ["职工之家"]


def test_a_head_before_another_qualifies_it():
    (p,) = _programs("青年职工参加临江市总工会组织的“安全生产”知识竞赛演讲比赛。")
    assert p.label == "“安全生产”知识竞赛演讲比赛"  # a speech contest on safety knowledge, not a knowledge contest


@pytest.mark.parametrize("text, label", [
    ("临江市总工会举办首届职工文化艺术节。", "职工文化艺术节"),
    ("临江市总工会举办“劳动最美”职工书画展。", "“劳动最美”职工书画展"),
    ("临江市总工会为双职工家庭举办暑期托管班。", "暑期托管班"),
    ("临江市总工会举办职工篮球赛。", "职工篮球赛"),  # any contest (赛)
    ("临江市总工会开展技术比武。", "技术比武"),
    ("临江市总工会举办劳模先进事迹报告会。", "劳模先进事迹报告会"),
    ("临江市总工会举办青年职工集体婚礼。", "青年职工集体婚礼"),
])
def test_festivals_exhibitions_contests_and_classes_are_programs(text, label):
    assert [(p.label, p.runners) for p in _programs(text)] == [(label, ("临江市总工会",))]


def test_a_unions_program_that_comes_to_a_place_is_run_by_it():
    body = "近日，活动在梧桐社区举行，200余名职工参加。"
    assert [(p.label, p.runners) for p in _programs(body, title="临江市总工会送清凉活动走进梧桐工地")] == [
        ("送清凉活动", ("临江市总工会",))]
    assert _programs("临江市总工会在梧桐社区开展活动。职工法律服务走进梧桐工地。") == []  # whose, the clause does not say


def test_a_launch_ceremony_is_a_noun_not_a_launch():
    (p,) = _programs("临江市总工会在梧桐广场举办2024年送清凉启动仪式暨安全生产宣传活动。")
    assert p.label == "送清凉启动仪式暨安全生产宣传活动"  # not cut after 启动, as if it launched 仪式暨…
    text = "在资助金发放仪式上，学生代表发言。今年，临江市总工会共发放资助金51万元。"
    assert [p.label for p in _programs(text)] == ["发放资助金"]  # no 金发放仪式, read from 资助 in 资助金


def test_a_headline_counting_new_things_of_a_programs_kind_names_them():
    body = "记者从邵阳市总工会获悉，今年以来新建的驿站已接待环卫工人2万余人次。"
    assert ("户外劳动者爱心驿站", ("邵阳市总工会",)) in {
        (p.label, p.runners) for p in _programs(body, title="湖南邵阳市新增12家户外劳动者爱心驿站")}
    assert _programs(body, title="湖南邵阳市新增12家超市") == []  # no program's kind


def test_money_given_for_an_act_is_one_program_named_by_the_act():
    progs = _programs("近日，甘肃省总工会拨付50万元专项资金用于支持白银、天水开展职工技能培训工作。")
    assert [(p.label, [a.text for a in p.amounts]) for p in progs] == [("职工技能培训工作", ["50万元"])]


def test_what_a_union_holds_named_after_a_relative_clause_is_a_program():
    progs = _programs("临江市总工会举办的首届职工运动会昨天开幕。临江市总工会精心准备的礼包送到职工手中。")
    assert [(p.label, p.runners) for p in progs] == [("职工运动会", ("临江市总工会",))]  # a handout is none
    (station,) = _programs("城东社区职工驿站正式启用，这是临江市总工会建成的第3座职工驿站。")
    assert (station.label, station.runners) == ("职工驿站", ("临江市总工会",))


def test_a_scheduled_program_is_one_an_aim_is_not():
    text = "五一前夕，临江市总工会将举行全市劳动模范表彰大会。市总工会还将开展劳模疗休养活动。"
    assert {p.label for p in _programs(text)} == {"全市劳动模范表彰大会", "劳模疗休养活动"}
    assert _programs("临江市总工会力争开展职工技能竞赛。") == []  # an aim


def test_what_a_union_says_it_will_go_on_doing_is_a_plan_not_a_program():
    text = ("今年夏天，临江市总工会举办了职工消夏晚会。下一步，市总工会将继续深化职工服务，在各车间举办职工技能培训班。"
            "梧桐公司工会表示，将持续发挥桥梁作用，围绕职工需求举办“梧桐夜话”读书沙龙。")
    assert [p.label for p in _programs(text)] == ["职工消夏晚会"]
    for done in ("如今后勤保障更加完善，临江市总工会举办了职工运动会。",  # 今后 inside 如今后勤
                 "梧桐公司工会将进一步扩大覆盖面，今年已举办“送清凉”活动12场。",  # the plan ends where the done begins
                 "活动现场，接下来，临江市总工会举办了颁奖仪式。",  # 接下来 telling what came next, 举办了: done
                 "临江市总工会即将启动“梧桐助学”活动。"):  # 即将: announced
        assert len(_programs(done)) == 1, done


def test_a_partner_joins_the_subject_a_clause_leaves_unsaid():
    text = ("春节前夕，临江市总工会走访慰问一线职工。\n"
            "随后，联合红星机械有限公司工会组织开展了“送文化到车间”慰问演出活动。")
    (show,) = [p for p in _programs(text) if "送文化" in p.label]
    assert set(show.runners) == {"临江市总工会", "红星机械有限公司工会"}  # not the partner alone


def test_co_organisers_all_run_the_event():
    text = ("今天下午，福建省第25届环卫工人节在福州市工人文化宫举行。\n"
            "本届环卫工人节以“疫路有您·礼赞先锋”为主题，由福建省总工会、省住房和城乡建设厅主办，福州市总工会承办。")
    from kg.extract.programs import candidates

    # what the readings propose (the judge then weighs it): the festival held, and 本届 of it organised
    progs = [c.program for c in candidates(art(text)) if "环卫工人节" in c.program.label]
    assert len(progs) == 1 and set(progs[0].runners) == {"福建省总工会", "福州市总工会"}
    assert "福州市工人文化宫" in [p.name for p in progs[0].places]  # where it was held


def test_named_program_in_quotes_and_duplicate_mentions_merge():
    text = ("据了解，象州县总结合工作特色及当下流行的传播工具，开展了“聚力脱贫、工会同行”系列主题活动。"
            "今年7月，象州县总连续召开“抗疫情促消费助脱贫”工作部署会，要求各级基层工会组织开展百万职工“抗疫情促消费助脱贫”行动。")
    labels = [p.label for p in _programs(text, title="工会扶贫走向线上化潮流化")]
    assert "“聚力脱贫、工会同行”系列主题活动" in labels
    assert sum("抗疫情促消费助脱贫" in label for label in labels) == 1


def test_supporting_union_is_not_the_runner():
    text = "去年以来，临夏州总工会在厦门市总工会的支持下，连续举办8场扶贫车间职业技能竞赛。"
    prog = next(p for p in _programs(text) if "技能竞赛" in p.label)
    assert prog.runners == ("临夏回族自治州总工会",)


def test_no_union_no_program():
    assert _programs("安居社区干部组织她们参加技能培训，开展手工艺品网上销售活动。") == []


def test_unknown_extractor_names_the_choices():
    with pytest.raises(UnknownNameError, match="choose one of: places, unions, amounts, programs, dates"):
        get_extractor("people")
    assert list(EXTRACTORS) == ["places", "unions", "amounts", "programs", "dates"]


def test_unions_named_together_both_run_it():
    from kg.read import read_page
    from kg.split import split

    from conftest import DATA

    (a,) = split(read_page(DATA / "site_article.txt"))
    progs = {p.label: p for p in extract(a).programs}
    assert progs["职工服务驿站"].runners == ("南京市总工会", "苏州市总工会")
    assert [x.text for x in progs["“职工暖心行动”"].amounts] == ["1.2亿元", "10万名"]  # 1.2亿元 stated twice: once
    assert "慰问" not in progs  # 发放慰问金 is no program named 慰问


@pytest.mark.parametrize("text, expected", [
    ("在临江市委的关心支持下，记者从临江市总工会获悉，今年举办了职工运动会。", ("职工运动会", ("临江市总工会",))),
    ("在临江市委的指导下，自实施“金秋助学”工程以来，临江市总工会一直抓好落实。", ("“金秋助学”工程", ("临江市总工会",))),
])
def test_whose_support_a_sentence_opens_with_is_no_subject(text, expected):
    # 在…下 sets the scene; the party committee it names is not the clause's subject
    assert [(p.label, p.runners) for p in _programs(text)] == [expected]


@pytest.mark.parametrize("text, runners", [
    ("江源区总工会承办了临江市总工会主办的职工运动会。", ("江源区总工会", "临江市总工会")),
    ("职工代表参加了临江市总工会主办的职工运动会。", ("临江市总工会",)),
])
def test_a_union_that_organises_in_a_relative_clause_runs_the_program(text, runners):
    assert [p.runners for p in _programs(text)] == [runners]


@pytest.mark.parametrize("text, runners", [
    ("临江市总工会机关党支部开展主题党日活动。", None),  # the party branch's, not the union's
    ("临江市总工会党组书记、主席张华带队开展送清凉活动。", ("临江市总工会",)),  # its officers speak for it
])
def test_a_party_body_within_a_union_runs_its_own_activities(text, runners):
    assert [p.runners for p in _programs(text)] == ([runners] if runners else [])


@pytest.mark.parametrize("text, runners", [
    ("2017年，临江市总工会成立了梧桐物流工会联合会，设立职工服务中心。", ("临江市总工会",)),
    ("临江市总工会走访梧桐物流公司工会，开展送清凉活动。", ("临江市总工会",)),
    ("临江市总工会指导梧桐物流公司工会开展送清凉活动。", ("梧桐物流公司工会",)),  # no comma: the union guided acts
    ("临江市总工会联合梧桐物流公司工会，开展送清凉活动。", ("临江市总工会", "梧桐物流公司工会")),
])
def test_a_union_the_last_clause_governs_does_not_act_in_the_next(text, runners):
    (p,) = _programs(text)
    assert p.runners == runners


@pytest.mark.parametrize("text, label", [("临江市总工会下拨100万元。", "下拨资金"), ("临江市总工会向灾区捐款100万元。", "捐款")])
def test_a_bare_sum_is_named_by_its_verb(text, label):
    assert [p.label for p in _programs(text)] == [label]  # 捐款 names money already: no 捐款资金


def test_money_a_later_paragraph_gives_the_event_it_names_again_is_that_events():
    text = ("梧桐县总工会举办第三届职工技能大赛。\n县总工会主席王芳表示，将对获奖选手给予奖励。\n"
            "据悉，本届大赛奖金总额10万元，由县总工会列支。")
    contest = next(p for p in _programs(text) if p.label == "职工技能大赛")
    assert [(a.text, a.how) for a in contest.amounts if a.unit == "CNY"] == [("10万元", "antecedent")]


def test_a_summary_paragraph_opening_with_its_topic_is_the_articles_unions():
    text = ("2023年，白山市总工会认真履行维权服务基本职责。\n帮扶救助方面，走访慰问困难职工1200户。\n"
            "文化体育方面，成功举办全市职工篮球联赛。")
    assert {(p.label, p.runners) for p in _programs(text)} == {("全市职工篮球联赛", ("白山市总工会",))}


def test_money_a_union_receives_is_no_program_of_its_own():
    assert _programs("临江市总工会收到梧桐集团捐款10万元。") == []  # the company gives: the union is given to


@pytest.mark.parametrize("text", [
    "临江市总工会向浑江区总工会、江源区总工会各拨付资金20万元。",  # not 江源区总工会, the list's second
    "临江市总工会向浑江区、江源区、抚松县总工会各拨付资金20万元。",  # places that share one 总工会
])
def test_every_union_of_a_list_a_grant_goes_to_is_a_recipient(text):
    (prog,) = _programs(text)
    assert prog.runners == ("临江市总工会",)


def test_a_total_stated_before_its_breakdown_is_the_givers():
    # 其中 breaks the sum down by who gave it; the total before it is still the giver's money
    (prog,) = _programs("临江市总工会投入300万元，其中市总工会本级150万元，各区县工会150万元。")
    assert prog.runners == ("临江市总工会",)
    assert sorted(a.value for a in prog.amounts if a.unit == "CNY") == [Decimal(1500000), Decimal(3000000)]


def test_this_union_is_the_union_named_last():
    text = "临江市总工会今年开展了送温暖活动。同时，该工会还举办了职工运动会。"
    assert [(p.label, p.runners) for p in _programs(text)] == [
        ("送温暖活动", ("临江市总工会",)), ("职工运动会", ("临江市总工会",))]  # 该工会 is no other body


@pytest.mark.parametrize("text, labels", [
    ("浑江区总工会打造“一站式”维权服务平台。", []),  # the quote describes the platform: no program named “一站式”
    ("浑江区总工会为环卫工人送去“暖冬礼包”。", ["“暖冬礼包”"]),  # the quote is what is given
    ("临江市总工会签约“一元健身”健身场馆11家。", ["“一元健身”"]),  # a count after it: the quote names the program
])
def test_a_quoted_word_after_a_verb_names_a_program_unless_it_describes_a_noun(text, labels):
    assert [p.label for p in _programs(text)] == labels


def test_a_handout_named_with_a_quoted_word_is_a_program():
    (prog,) = _programs("近日，临江市总工会向300名快递员发放了暖“心”礼包。")
    assert (prog.label, prog.runners) == ("发放暖“心”礼包", ("临江市总工会",))


@pytest.mark.parametrize("text, label", [
    ("临江市总工会为200名困难职工送去慰问金共计10万元。", "送去慰问金"),
    ("临江市总工会为梧桐区环卫工人发放防暑降温物资价值10万元。", "发放防暑降温物资"),  # what the things are worth
    ("临江市总工会为一线职工送去防暑降温物品，价值10万元。", "送去防暑降温物品"),
])
def test_a_handout_and_its_sum_name_the_handout(text, label):
    (prog,) = _programs(text)
    assert (prog.label, [a.value for a in prog.amounts if a.unit == "CNY"]) == (label, [Decimal(100000)])


def test_a_handout_the_body_tells_of_is_the_headlines_program():
    # one program per thing: what the body hands out belongs to the program its headline names
    progs = _programs("3月5日，临江市总工会在梧桐社区举行活动，为环卫工人送上慰问品。", title="临江市总工会开展送清凉活动")
    assert [(p.label, p.runners) for p in progs] == [("送清凉活动", ("临江市总工会",))]


def test_a_list_of_things_handed_out_is_a_detail_of_the_program_however_long():
    text = ("春节前夕，临江市总工会开展“暖冬行动”，走访慰问困难职工。\n"
            "在浑江区的梧桐小区，临江市总工会志愿者为环卫工人们发放毛毯等慰问品。")
    assert [p.label for p in _programs(text, title="临江市总工会开展“暖冬行动”")] == ["“暖冬行动”"]


def test_a_union_given_a_title_runs_nothing_by_it():
    assert _programs("白山市总工会被授予“全国模范职工之家”称号。") == []  # 被: given to, not giving
    assert [p.label for p in _programs("白山市总工会授予“白山工匠”称号10名。")] == ["“白山工匠”"]  # …it gives it


def test_a_union_that_attends_a_named_program_does_not_run_it():
    assert _programs("临江市总工会机关干部参加“金秋助学”活动。") == []
    assert _programs("浑江区总工会成功入选“全省工会服务品牌”培育计划。") == []  # selected into another's plan
    assert _programs("临江市总工会主席张华出席“工会送温暖”行动启动仪式。") == []
    assert [p.runners for p in _programs("临江市总工会开展“金秋助学”活动。")] == [("临江市总工会",)]


@pytest.mark.parametrize("when", ["", "日前", "3月5日", "昨日"])
def test_an_event_held_when_and_where_its_sentence_says(when):
    text = f"临江市职工技能大赛{when}在梧桐体育馆举行，此次活动由临江市总工会主办。"
    assert [(p.label, p.runners) for p in _programs(text)] == [("临江市职工技能大赛", ("临江市总工会",))]


@pytest.mark.parametrize("joins", ["联合", "还联合", "积极联合", "会同", "携手"])
def test_a_union_and_its_partner_both_run_it_whatever_the_adverb(joins):
    text = f"1月30日，白山市总工会{joins}浑江区总工会在广场举办“工会送岗位”招聘会。"
    (prog,) = _programs(text)
    assert prog.runners == ("白山市总工会", "浑江区总工会")  # 会同 is also a county's short name: not here


def test_gbk_page_federations_donations_and_partners():
    from kg.read import read_page
    from kg.split import split

    from conftest import DATA

    page = read_page(DATA / "gbk_page.txt")
    assert page.encoding == "gb18030"
    (a,) = split(page)
    x = extract(a)
    assert "广东省邮政快递行业工会联合会" in {u.name for u in x.unions}  # 省… read from the article's province
    progs = {p.label: p for p in x.programs}
    assert progs["受灾职工生活救助"].runners == ("广东省总工会",)  # 下拨…，用于受灾职工生活救助
    assert [m.value for m in progs["受灾职工生活救助"].amounts] == [Decimal(5000000)]
    assert progs["“暖蜂行动”"].runners == ("广东省总工会", "广东省邮政快递行业工会联合会")  # A联合B开展
    assert progs["慰问辖区内受灾的困难职工家庭"].runners == ("深圳市宝安区总工会",)  # 拨付专项资金N元，慰问…: what it pays for


def test_named_venues_with_their_place():
    text = "今天下午，福建省第25届环卫工人节在福州市工人文化宫举行。劳模走进工匠博物馆。"
    venues = [(p.name, p.parents) for p in get_extractor("places")(art(text), {}) if p.level == "venue"]
    assert venues == [("福州市工人文化宫", ("福建省", "福州市"))]  # a bare 工匠博物馆 is not kept


def test_a_place_opening_an_organisation_name_is_not_where_the_program_is():
    text = ("张家口市总工会联合北京洁源企业商会深入河北省沽源县西辛营乡寄宿制学校"
            "开展“爱心助学，筑梦前行”捐赠活动。")
    (prog,) = _programs(text)
    assert [(p.name, p.parents[-1]) for p in prog.places] == [("河北省沽源县西辛营乡寄宿制学校", "西辛营乡")]


def _runs(text):
    return {(p.runners, p.label, tuple(a.text for a in p.amounts if a.unit == "CNY")) for p in _programs(text)}


def test_money_verbs_fire_when_a_sum_in_yuan_follows():
    assert _runs("长春市总工会列支2000万元用于困难职工帮扶。") == {(("长春市总工会",), "困难职工帮扶", ("2000万元",))}
    assert _runs("太原市总工会紧急下拨200万元。") == {(("太原市总工会",), "下拨资金", ("200万元",))}
    assert _runs("太原市总工会为受灾职工安排住处。") == set()  # a money verb with no money: nothing


def test_money_named_by_its_fund_goes_to_the_program_it_speaks_of():
    got = _runs("太原市总工会举行金秋助学活动启动仪式。\n据介绍，太原市总工会本级发放助学金达147.3万元。")
    assert got == {(("太原市总工会",), "金秋助学活动", ("147.3万元",))}


def test_the_runner_is_not_a_recipient():
    got = _runs("山西省总工会向太原市总工会下拨帮扶资金50万元。")
    assert got == {(("山西省总工会",), "下拨帮扶资金", ("50万元",))}


def test_a_union_that_only_guides_does_not_run_it():
    text = ("在张家口市总工会引导下，北京洁源企业商会深入河北省沽源县西辛营乡寄宿制学校"
            "开展“爱心助学，筑梦前行”捐赠活动。")
    assert _programs(text) == []


def test_no_fallback_when_another_body_is_the_subject():
    text = "太原市总工会开展送温暖活动。\n太原市人社局举办春风行动专场招聘会。\n各级工会组织开展技能竞赛。"
    assert {p.label for p in _programs(text)} == {"送温暖活动"}


def test_every_union_of_a_kind_as_the_subject_runs_nothing_of_the_articles_union():
    text = "太原市总工会开展送温暖活动。\n各级工会组织还建成“职工书箱”等200多个。"
    assert {p.label for p in _programs(text)} == {"送温暖活动"}


def test_a_provinces_unions_of_every_level_are_a_subject_of_their_own():
    text = ("吉林省总工会部署送温暖工作。\n"
            "截至目前，吉林省各级工会组织共拨付救灾资金800万元，用于帮扶受灾职工。")
    assert _programs(text) == []  # what all the province's unions raised is none of the federation's own
    text = ("吉林省总工会召开会议。\n"
            "会议要求全省各级工会组织认真谋划，开展“千名干部下基层”走访慰问活动。")  # what it asks of them: its own
    assert [(p.label, p.runners) for p in _programs(text)] == [("“千名干部下基层”走访慰问活动", ("吉林省总工会",))]


def test_unions_of_many_levels_organising_run_nothing_of_the_articles_union():
    text = ("临江机械有限公司工会积极开展职工技能培训。\n"
            "车间班组两级工会组织开展了“安全月”劳动竞赛，在各工段开展了“无事故”劳动竞赛。")  # 工会组织开展: they organise
    assert [p.label for p in _programs(text)] == ["职工技能培训"]


def test_a_shorter_mention_in_another_paragraph_is_the_same_program():
    text = ("临汾市总工会启动“两节”送温暖走访慰问活动，慰问困难职工500户。\n"
            "元旦前夕，临汾市总工会负责人到企业开展送温暖活动，为职工送去米面油。")
    assert [p.label for p in _programs(text)] == ["“两节”送温暖走访慰问活动"]


def test_a_paragraph_that_names_no_union_gives_no_program_to_the_articles_union():
    text = ("太原市总工会开展送温暖活动。\n记者了解到，近年来当地产业工人队伍不断壮大。\n"
            "同时开展技能竞赛活动，参赛选手300余名。")
    assert {p.label for p in _programs(text)} == {"送温暖活动"}
    named = text.replace("同时开展", "太原市总工会同时开展")
    assert {p.label for p in _programs(named)} == {"送温暖活动", "技能竞赛活动"}


def test_a_headline_naming_no_union_but_a_place_is_that_places_federations():
    text = ("全国总工会启动劳模休养五年计划，全总将组织各地劳模参加休养。\n"
            "据了解，吉林省总工会今年将组织120名劳动模范到疗养院休养。")
    runs = {(p.label, p.runners) for p in _programs(text, title="吉林省劳动模范休养活动启动")}
    assert ("吉林省劳动模范休养活动", ("吉林省总工会",)) in runs  # not the article's most named union, 全总


def test_programs_of_different_runners_are_not_merged():
    text = "太原市总工会开展“送温暖”行动。大同市总工会开展“送温暖”行动。"
    assert {p.runners for p in _programs(text)} == {("太原市总工会",), ("大同市总工会",)}


def test_programs_sharing_only_a_place_name_are_two():
    # one paragraph, two things done; 临江 in both labels does not make them one program
    text = "会上，临江区总工会回顾了一年的工作。组织开展临江职工书画比赛；出台《临江职工文化建设五年规划方案》。"
    labels = {p.label for p in _programs(text)}
    assert labels == {"临江职工书画比赛", "《临江职工文化建设五年规划方案》"}


def test_each_part_of_a_sentence_keeps_its_own_sum():
    # a summary sentence of parts split by semicolons: each program takes the sums of its part only
    text = ("去年，临江市总工会筹集资金400万元，救助患病职工2800人次﹔筹集资金120万元，开展金秋助学，"
            "资助困难职工子女270人﹔筹集资金20万元，开展医疗互助活动。")
    sums = {p.label: sorted(a.value for a in p.amounts if a.unit == "CNY") for p in _programs(text)}
    assert sums == {"救助患病职工": [Decimal(4000000)], "金秋助学": [Decimal(1200000)],
                    "医疗互助活动": [Decimal(200000)]}


def test_money_then_where_and_what_it_pays_for():
    text = "今年，临江市总工会筹集资金120万元，在东兰县开展金秋助学，资助学生20人；筹集资金5万元，在凤山县开展医疗互助活动。"
    found = {p.label: ([a.value for a in p.amounts if a.unit == "CNY"], [x.name for x in p.places])
             for p in _programs(text)}
    assert found == {"金秋助学": ([Decimal(1200000)], ["东兰县"]), "医疗互助活动": ([Decimal(50000)], ["凤山县"])}


def test_a_union_doing_something_for_someone_is_a_clause_not_a_name():
    # what the money is for, or what a verb reaches, told as a union's own act: no program is named by it
    text = "临江市总工会下拨资金200万元，主要用于各区工会帮助社区开展困难职工帮扶。"
    ((label, sums),) = [(p.label, [a.value for a in p.amounts]) for p in _programs(text)]
    assert label == "下拨资金" and sums == [Decimal(2000000)]  # the grant stays, named by its kind
    text = "一些地方成立工联会为货车司机提供服务的同时，临江市总工会出台《临江市快递员权益保障方案》。"
    assert [p.label for p in _programs(text)] == ["《临江市快递员权益保障方案》"]


def test_organisers_named_before_the_program():
    text = "日前，由合肥市总工会主办，合肥经开区总工会承办的合肥市网约配送员技能竞赛在南艳湖公园举行。"
    (prog,) = _programs(text)
    assert prog.label == "合肥市网约配送员技能竞赛"
    assert set(prog.runners) == {"合肥市总工会", "合肥经开区总工会"}
    assert "南艳湖公园" in [p.name for p in prog.places]  # a site after 在, whatever its name starts with


@pytest.mark.parametrize("text, site", [
    ("尤溪县总工会在尤溪宾馆举办全县工资集体协商指导员培训班。", "尤溪宾馆"),
    ("北京市总工会慰问组走进北京城市副中心综合交通枢纽，为一线职工送上温暖包。", "北京城市副中心综合交通枢纽"),
])
def test_sites_after_a_preposition_of_place(text, site):
    assert site in [p.name for p in get_extractor("places")(art(text), {})]


def test_every_site_of_a_list_of_sites_visited():
    text = "慰问组先后到临江汇通物流有限公司、临江安泰物业管理有限公司，为职工送去清凉。"
    assert [p.name for p in get_extractor("places")(art(text), {}) if p.level == "venue"] == [
        "临江汇通物流有限公司", "临江安泰物业管理有限公司"]


@pytest.mark.parametrize("text, sites", [
    ("5月25日，公司工会在通用机械厂四车间举办了行车工技术比武大赛。", ["通用机械厂四车间"]),
    ("滁州市总工会在金鹏玖玖广场和琅琊山庙会举办招聘会。", ["金鹏玖玖广场", "琅琊山庙会"]),  # each of a list
    ("劳动竞赛在银昆高速固原过境段施工现场启动。", ["银昆高速固原过境段施工现场"]),
    ("市总工会在全市范围内开展送温暖活动。", []),  # how far, not where
    ("在春节前夕开展走访慰问。", []),  # when
    ("在边远地区、分散作业的职工中开展慰问。", []),  # who, not a named site
])
def test_wherever_something_is_held_is_a_site(text, sites):
    assert [p.name for p in get_extractor("places")(art(text), {}) if p.level == "venue"] == sites


def test_a_site_named_from_its_level_is_the_articles_own():
    (prog,) = _programs("芜湖市总工会近日发文。\n5月20日，芜湖市第一期专题培训班在市职工服务中心开班。")
    assert "芜湖市职工服务中心" in [p.name for p in prog.places]  # as 市总工会 is 芜湖市总工会


def test_a_verb_read_across_two_words_is_no_verb():
    labels = [p.label for p in _programs("在集资助学活动中，吉林省总工会下拨资金3000万元。")]
    assert labels == ["下拨资金"]  # not 学活动: 资助 straddles 集资 and 助学
    assert [p.label for p in _programs("辽宁省总工会组织开展职工技能竞赛。")] == ["职工技能竞赛"]


def test_a_clause_after_a_trigger_is_no_programs_name():
    labels = [p.label for p in _programs("吉林省总工会举行启动仪式在市职工服务中心。")]
    assert not any("在市" in label for label in labels)  # 仪式在市…中心 is where, not what
    assert [p.label for p in _programs("市总工会开展“了不起的劳动者”宣讲活动。")] == ["“了不起的劳动者”宣讲活动"]


def test_bare_generic_heads_are_not_programs():
    assert _programs("中华全国总工会要求抓紧制定实施方案。") == []
    assert _programs("本届大赛由中华全国总工会、人力资源社会保障部主办，陕西省总工会承办。") == []  # which contest?
    (named,) = _programs("“安康杯”知识竞赛由市总工会主办。")
    assert named.label == "“安康杯”知识竞赛"


def test_a_headline_label_does_not_start_with_its_colon():
    progs = _programs("1月24日，枣庄市总工会走访慰问困难职工。", title="枣庄市总工会：新春送温暖 关怀暖人心")
    assert all(not p.label.startswith(("：", ":")) for p in progs)


@pytest.mark.parametrize("label, items", [
    ("“送岗位”“送清凉”“送体检”活动", ["“送岗位”活动", "“送清凉”活动", "“送体检”活动"]),
    ("夏送清凉、冬送温暖等慰问活动", ["夏送清凉慰问活动", "冬送温暖慰问活动"]),
    ("保安技能竞赛、烘焙培训、插花培训", ["保安技能竞赛", "烘焙培训", "插花培训"]),
    ("“聚力脱贫、工会同行”系列主题活动", ["“聚力脱贫、工会同行”系列主题活动"]),  # a 、 inside a name does not cut it
])
def test_enumerations_give_their_items_not_the_list(label, items):
    from kg.extract.programs import enumeration

    assert enumeration(label) == items


def test_quoted_items_of_a_list_are_programs_each():
    labels = {p.label for p in _programs("合肥市总工会开展“送岗位”“送清凉”“送体检”活动。")}
    assert labels == {"“送岗位”活动", "“送清凉”活动", "“送体检”活动"}
    labels = {p.label for p in _programs("合肥市总工会举办网约配送员技能竞赛、建设工会驿站。")}
    assert labels == {"网约配送员技能竞赛"}


def test_a_written_division_never_swallows_the_words_before_it():
    names = {u.name for u in get_extractor("unions")(art("阳光公司开展了西营门街总工会第五届劳动竞赛。"), {})}
    assert names == {"西营门街总工会"}


def test_runners_that_each_give_a_sum_get_their_own():
    got = _runs("南京市总工会、苏州市总工会分别下拨300万元、150万元专项资金。")
    # two programs, one per giver (one label would make them one node): each named with its giver
    assert got == {(("南京市总工会",), "南京市总工会下拨资金", ("300万元",)),
                   (("苏州市总工会",), "苏州市总工会下拨资金", ("150万元",))}


def test_short_names_defined_in_the_text_and_back_references():
    t = ("广州地铁集团有限公司工会（以下简称“地铁工会”）开展技能竞赛。地铁工会还为职工送上慰问品。"
         "深圳华星光电有限公司工会成立职工书屋，该公司工会还开展读书活动。")
    got = [(u.surface, u.name) for u in get_extractor("unions")(art(t), {})]
    assert got == [("广州地铁集团有限公司工会", "广州地铁集团有限公司工会"), ("地铁工会", "广州地铁集团有限公司工会"),
                   ("深圳华星光电有限公司工会", "深圳华星光电有限公司工会"), ("该公司工会", "深圳华星光电有限公司工会")]


@pytest.mark.parametrize("text, named", [
    ("江汉科技学院工会举办读书会。会后，校工会开展了“金秋助学”活动。", "江汉科技学院工会"),  # 校: a 学院
    ("西湖农商银行工会成立。该行工会还开展送温暖活动。", "西湖农商银行工会"),
    ("我校工会开展教职工运动会。湖西师范大学工会主席讲话。", "湖西师范大学工会"),  # named after it
    ("华南电力有限公司工会召开大会，会后由公司工会组织开展技能竞赛。", "华南电力有限公司工会"),
])
def test_a_union_called_by_its_organisations_kind_is_the_articles_union_of_that_kind(text, named):
    got = {(u.surface, u.name) for u in get_extractor("unions")(art(text), {})}
    assert {n for _, n in got} == {named}, got
    assert len(got) == 2  # the full name and the kind alone, both of it


def test_the_end_of_an_organisations_name_is_not_its_kind_alone():
    got = {u.name for u in get_extractor("unions")(art("江南商贸有限公司工会联合会开展送温暖活动。"), {})}
    assert got == {"江南商贸有限公司工会联合会"}


def test_a_list_of_places_vouches_for_its_items():
    text = "在平安家园社区、九王庄村等7个驿站，工作人员送上饮品。帮扶村、示范村都有。"
    names = [p.name for p in get_extractor("places")(art(text), {})]
    assert "平安家园社区" in names and "九王庄村" in names
    assert "帮扶村" not in names and "示范村" not in names  # words ending in 村 are still no places


def test_a_handout_worth_a_sum_funds_the_program_it_belongs_to():
    text = ("洛江区总工会开展“夏送清凉”慰问一线职工活动。\n"
            "据悉，洛江区总工会共为25个工地的工作人员赠送凉茶、风油精等共价值20余万元的慰问品。")
    assert _runs(text) == {(("洛江区总工会",), "“夏送清凉”慰问一线职工活动", ("20余万元",))}


def test_an_anaphoric_subject_is_the_event_named_before():
    text = ("经过前期选拔，鹤岗市第三届职工职业技能大赛于8月23日全面启动。整个比赛预计8月底结束。"
            "此项赛事是由鹤岗市总工会主办，市人社局共同协办。")
    assert {(p.runners, p.label) for p in _programs(text)} == {(("鹤岗市总工会",), "鹤岗市第三届职工职业技能大赛")}


def test_a_count_before_a_bare_head_is_no_name():
    assert _runs("福田区总工会推出5大活动，覆盖线上线下。") == set()
    assert _runs("晋中市总工会共开展了五期活动。") == set()
    assert _runs("晋中市总工会开展了五期职工大病医疗互助活动。") == {(("晋中市总工会",), "职工大病医疗互助活动", ())}


def test_a_subject_set_off_by_a_comma_still_opens_the_clause():
    text = "绍兴市总工会启动女职工“两癌”筛查公益活动。\n同时，各区、县（市）总工会，配套提供1200个公益服务名额。"
    assert {label for _r, label, _m in _runs(text)} == {"女职工“两癌”筛查公益活动"}


def test_a_place_a_program_goes_to_counts_though_a_company_follows():
    progs = _programs("5月26日，由青岛市总工会主办的“劳动者之歌”公益性文艺演出走进红岛街道青岛红福集团有限公司。")
    assert [(p.label, [pl.name for pl in p.places]) for p in progs] == [("“劳动者之歌”公益性文艺演出", ["红岛街道", "青岛红福集团有限公司"])]
    # a place that opens the subject's name is where that body is, not the program
    assert _programs("在张家口市总工会引导下，北京洁源企业商会开展“爱心助学”捐赠活动。") == []


def test_northern_village_names_with_ge_zhuang_are_places():
    got = [(p.name, p.level) for p in places.extract(art(
        "在霍各庄镇平安家园社区、九王庄村、西霍各庄村、东霍各庄村等7个户外劳动者驿站送上清凉饮品。"), {})]
    assert got == [("霍各庄镇", "town"), ("平安家园社区", "village"), ("九王庄村", "village"),
                   ("西霍各庄村", "village"), ("东霍各庄村", "village")]
    assert [p.name for p in places.extract(art("各村、各乡镇工会要做好送清凉工作。"), {})] == []


def test_a_verb_right_after_a_quoted_name_is_part_of_the_name():
    progs = _programs("本报讯 成都市总工会日前启动2020年“成都工匠”评选命名活动。在今年“五一”前将有700名优秀工匠获得命名。",
                      title="“成都工匠”评选活动启动")
    assert [p.label for p in progs] == ["“成都工匠”评选活动"]  # one program, not a second 命名活动


def test_a_trigger_inside_a_name_that_ends_in_its_head_does_not_cut_it():
    assert [p.label for p in _programs("白山市总工会开展职工医疗补贴发放活动。")] == ["职工医疗补贴发放活动"]
    text = "浑江区总工会推出“春风送岗”返乡职工车票补贴关爱行动等三项举措。"
    assert [p.label for p in _programs(text)] == ["“春风送岗”返乡职工车票补贴关爱行动"]  # not a second 关爱行动
    # after money or things given, a verb that holds an event opens a clause of its own
    assert [p.label for p in _programs("临江市总工会投入专项资金开展帮扶活动。")] == ["帮扶活动"]
    assert [p.label for p in _programs("临江市总工会捐赠图书举办读书活动。")] == ["读书活动"]


def test_an_industry_is_no_program_head():
    text = ("成都市总工会日前启动“成都工匠”评选活动。\n"
            "据了解，此次评选范围为在成都重点发展的五大先进制造业和五大新兴服务业中，具有工艺专长的产业高技能人才。")
    assert {label for _r, label, _m in _runs(text)} == {"“成都工匠”评选活动"}


def test_trade_and_company_unions_without_an_organisation_suffix():
    def unions(text):
        return {(u.name, u.locality) for u in extract(art(text)).unions}

    assert unions("太原市网约车工会把书屋建在高架桥下、充电桩旁。") == {("太原市网约车工会", "太原市")}
    assert unions("在推进中，太钢工会依托职工书屋，建立“科技攻关小组”。") == {("太钢工会", "")}
    # 工会 qualifying the next word is no union of its own
    assert unions("通过多种路径，培育工会干部市场化意识。") == set()
    assert unions("福建各级工会将灵活运用工会劳动监督“一书两函”制度。") == set()


def _where(prog):
    return [p.name for p in prog.places]


def test_places_of_the_sentences_that_go_on_about_a_program():
    progs = _programs("慈溪市总工会组织开展了一线职工健康疗休养活动。疗休养分两批进行，第一批职工安排在"
                      "杭州工人疗养院，第二批安排在省总工会工人疗养院。")  # 省: the article's own province
    assert [(p.label, _where(p)) for p in progs] == [
        ("一线职工健康疗休养活动", ["杭州工人疗养院", "浙江省总工会工人疗养院"])]
    # a sentence about another union's doings gives this program no place
    progs = _programs("慈溪市总工会组织开展了职工疗休养活动。宁波市总工会在北仑区春晓街道慰问职工。")
    assert [_where(p) for p in progs if p.runners == ("慈溪市总工会",)] == [[]]


def test_a_story_that_opens_on_a_scene_places_its_program_there():
    text = ("1月18日，一批批外卖骑手来到荣成市宁津街道东墩社区。\n"
            "荣成市总工会的工作人员为骑手送去“暖冬礼包”。这是荣成市总工会“暖冬关爱”专项活动现场的一幕。")
    (prog,) = _programs(text)
    assert prog.label == "“暖冬关爱”专项活动" and _where(prog) == ["东墩社区"]


def test_a_program_named_again_brings_the_places_of_that_sentence():
    text = ("杜集区总工会依托工会驿站，开展“清凉一夏·驿路相伴”送清凉系列活动。\n"
            "多家工会驿站同步开展“清凉一夏·驿路相伴”送清凉活动，分别在博庄社区、高岳社区等驿站开展。")
    (prog,) = _programs(text)
    assert _where(prog) == ["博庄社区", "高岳社区"]


def test_an_anaphor_brings_the_places_of_what_it_refers_to():
    text = "鹤岗市第三届职工职业技能大赛于8月23日全面启动。此项赛事由鹤岗市总工会主办，全市共设8个赛区。"
    (prog,) = _programs(text)
    assert prog.label == "鹤岗市第三届职工职业技能大赛" and _where(prog) == ["鹤岗市"]


def test_the_most_specific_place_of_a_chain_once():
    (prog,) = _programs("六安市总工会与结对社区——金安区三里桥街道金桥社区对接，开展疫情防控志愿服务活动。")
    assert [(p.name, p.parents[-2:]) for p in prog.places] == [("金桥社区", ("金安区", "三里桥街道"))]


def test_an_anniversary_is_not_something_founded():
    labels = [p.label for p in _programs(
        "黄山市总工会组织开展“看电影 学党史”——庆祝中国共产党成立100周年优秀影片主题展映活动。")]
    assert labels and not any("周年" in label and not label.startswith("“") for label in labels)


def test_a_handout_named_first_is_a_detail_of_the_program_named_later():
    got = [p.label for p in _programs("活动中，福建省总工会向环卫工人赠送微心愿礼物。\n"
                                      "据悉，福建省总工会持续开展帮助环卫工人实现微心愿活动。")]
    assert got == ["帮助环卫工人实现微心愿活动"]


def test_named_items_of_a_kind_are_programs_each():
    labels = {p.label for p in _programs("会宁县总工会积极举办“民营企业招聘周”、“就业援助月活动”等各类就业援助招聘活动。")}
    assert labels == {"“民营企业招聘周”", "“就业援助月活动”"}


def test_clauses_without_a_subject_share_the_sentence_s_other_subject():
    text = ("益阳市总工会举办金秋助学活动。\n"
            "各级工会将多方筹资，共为350名贫困学生发放助学金98万元。")
    assert _runs(text) == {(("益阳市总工会",), "金秋助学活动", ())}


def test_money_named_by_its_kind_funds_the_runners_program_told_of_later():
    text = ("县总工会投入专项资金12万元。\n"
            "县总工会联合县医院开展女职工健康体检活动，为300名女职工免费体检。")
    assert _runs(text) == {(("县总工会",), "女职工健康体检活动", ("12万元",))}


def test_money_given_on_after_it_is_raised_is_one_program():
    text = "市总工会多方筹集资金90万元，分别给予两个园区40万元、50万元，帮助受灾职工渡过难关。"
    assert len(_programs(text)) == 1


def test_every_village_of_a_list_lies_in_the_county_named_before_it():
    text = "广西壮族自治区总工会向百色市凌云县的加尤村、伶站村发放帮扶资金20万元。"
    x = extract(art(text))
    villages = [p for p in x.places if p.level == "village"]
    assert [(p.name, p.parents[-1]) for p in villages] == [("加尤村", "凌云县"), ("伶站村", "凌云县")]
    (prog,) = x.programs
    assert [p.name for p in prog.places] == ["加尤村", "伶站村"]  # the county once, on its villages' chain


def test_a_short_aside_in_brackets_does_not_end_a_programs_name():
    (prog,) = _programs("宜都市总工会在全市开展职工（农民工）技能培训班评选。")
    assert prog.label == "职工（农民工）技能培训班"


def test_a_place_opening_a_government_bodys_name_is_where_the_body_is():
    (prog,) = _programs("江西省总工会联合省人社厅、九江市教育局举办网络招聘会。")
    assert prog.places == ()
    (prog,) = _programs("江西省总工会在九江市举办网络招聘会。")
    assert [p.name for p in prog.places] == ["九江市"]


def test_the_union_a_grant_goes_to_says_where_it_reaches():
    (prog,) = _programs("全国总工会向山西省总工会紧急拨付救灾资金300万元，用于慰问受灾职工。")
    assert [p.name for p in prog.places] == ["山西省"]


def test_every_union_of_a_list_a_grant_goes_to_says_where_it_reaches():
    text = "湖南省总工会拨付长沙市总工会补助资金50万元、湘西州总工会30万元和株洲市总工会20万元。"
    (prog,) = _programs(text)
    assert [p.name for p in prog.places] == ["长沙市", "湘西土家族苗族自治州", "株洲市"]


def test_a_place_named_again_in_a_list_is_kept_though_a_chain_began_with_it():
    text = "云南昭通市鲁甸县地震后，全国总工会紧急下拨救灾资金500万元，支持云南、四川两省工会开展抗震救灾工作。"
    (prog,) = _programs(text)
    assert [p.name for p in prog.places] == ["鲁甸县", "云南省", "四川省"]  # not 昭通市: a chain's head


def test_each_link_says_how_it_was_made_and_how_sure_kg_is_of_that_way():
    from kg.extract.programs.links import link_confidence

    text = ("全国总工会向山西省总工会紧急拨付救灾资金300万元，用于慰问受灾职工。\n"
            "同时开展“金秋助学”活动，为120名困难职工子女发放助学金24万元。")
    b, a = _programs(text)
    assert (a.runner_how, b.runner_how) == ("fallback", "subject")
    assert a.runner_confidence == link_confidence("runner", "fallback") < b.runner_confidence
    assert [(p.name, p.how) for p in b.places] == [("山西省", "recipient")]
    assert [(x.text, x.how) for x in a.amounts if x.unit == "CNY"] == [("24万元", "sentence")]
    assert all(0 < x.confidence < 1 for x in (*a.amounts, *b.amounts, *b.places))


def test_a_fund_with_a_name_of_its_own_is_a_program_though_a_program_precedes():
    text = ("长春市总工会开展送温暖和帮扶服务，发放帮扶资金700万元。"
            "为9395名患病职工发放互助保障金842万元。")
    assert _runs(text) == {(("长春市总工会",), "送温暖和帮扶服务", ("700万元",)),
                           (("长春市总工会",), "发放互助保障金", ("842万元",))}


def test_a_long_quoted_name_counts_as_one_word_of_its_label():
    text = ("由全国总工会宣传教育部、河北省总工会、河北省体育局联合举办的“中国梦·劳动美---凝心铸魂跟党走团结"
            "奋斗新征程”全国职工工间操展演暨太极拳交流大赛，6月4日在承德市开幕。")
    (prog,) = _programs(text)
    assert prog.runners == ("中华全国总工会", "河北省总工会") and prog.label.endswith("工间操展演暨太极拳交流大赛")


def test_who_guides_does_not_run_and_who_hosts_does():
    text = ("4月25日，由汕头市总工会指导，南澳县总工会主办，汕头市工人文化宫承办的“2023年南澳县庆祝‘五一’"
            "国际劳动节职工文艺演出”在南澳县文化广场隆重举行。")
    (prog,) = _programs(text)
    assert prog.runners == ("南澳县总工会",) and prog.label.endswith("职工文艺演出”")


def test_a_quoted_name_ending_the_object_is_the_program():
    (prog,) = _programs("彭山区总工会专门为他们准备了装有口罩、消毒湿纸巾、食品和饮用水的“暖心包”。")
    assert prog.label == "“暖心包”"


def test_funds_granted_and_funds_named_by_a_list():
    assert _runs("襄阳市总工会向姚庵村授予乡村振兴资金12万元。") == {
        (("襄阳市总工会",), "授予乡村振兴资金", ("12万元",))}
    assert _runs("椒江区总工会为300名外来员工提供20元的亲情、乡情连线电话补贴。") == {
        (("椒江区总工会",), "提供亲情、乡情连线电话补贴", ("20元",))}


@pytest.mark.parametrize("text, county", [
    ("登上大巴前往凉山州木里县水电七局建设项目", "木里藏族自治县"),
    ("甘肃积石山发生6.2级地震", "积石山保安族东乡族撒拉族自治县"),
    ("工会向积石山县受灾职工送去棉被", "积石山保安族东乡族撒拉族自治县"),
])
def test_county_short_forms_after_their_parent_or_with_their_suffix(text, county):
    assert county in [p.name for p in get_extractor("places")(art(text), {})]


def test_a_county_short_form_alone_is_not_read():
    assert [p.name for p in get_extractor("places")(art("他在积石山上种树"), {})] == []


def test_the_district_union_refers_back_to_a_district_named_once(tmp_path):
    from kg.pipeline import extract_sources

    page = tmp_path / "p.txt"
    page.write_text("“春风”专车助农民工返岗\n2月29日，3辆返岗专车从彭山北站出发。"
                    "该区总工会专门为他们准备了装有口罩和食品的“暖心包”。\n", encoding="utf-8")
    runs = {(r, p.label) for x in extract_sources([page]).extractions for p in x.programs for r in p.runners}
    assert runs == {("彭山区总工会", "“暖心包”")}


@pytest.mark.parametrize("text", [
    "广东省总工会计划在全省建设5000个“爱心妈妈小屋”，将其打造成广东女职工工作的品牌项目。",  # made into
    "白银市总工会结合当地新建扩建项目和企业用工需求，推荐职工就业。",  # a frame, not a deed
    "全国总工会将体育活动与工会工作相结合，构建职工文体活动新模式。",  # a way of working
    "省总工会探索“工会+文旅”融合发展模式，推动职工疗休养提质扩面。",  # a way of working, named in quotes
    "霍各庄镇总工会的驿站可随时免费提供冷热饮水、纳凉休息、应急充电等服务。",  # what a place offers
])
def test_descriptions_are_not_programs(text):
    assert [p.label for p in _programs(text)] in ([], ["“爱心妈妈小屋”"])


def test_how_long_a_program_lasts_is_not_what_it_is_made_into():
    assert [p.label for p in _programs("合肥市总工会举办为期三天的职工技能培训班。")] == ["职工技能培训班"]


def test_a_verb_after_a_framing_phrase_still_runs_its_program():
    labels = [p.label for p in _programs("白银市总工会依托白银市新科技职业学校成立“职工、农民工培训基地”。")]
    assert labels == ["“职工、农民工培训基地”"]


@pytest.mark.parametrize("text, label", [
    ("临江市总工会启动了对300名快递员的慰问活动。", "快递员慰问活动"),
    ("梧桐区总工会开展了针对新就业形态劳动者的关爱活动。", "新就业形态劳动者关爱活动"),
    ("梧桐区总工会举办了面向一线职工的“梧桐杯”技能竞赛。", "“梧桐杯”技能竞赛"),  # a quoted name is enough
])
def test_whom_a_short_program_is_for_is_part_of_its_name(text, label):
    assert [p.label for p in _programs(text)] == [label]


def test_money_raised_is_named_by_the_act_the_next_clause_pays_for():
    text = ("临江市总工会筹集资金400万元，救助患病职工300人次；筹集资金100万元，开展金秋助学，"
            "资助困难职工子女500人。")
    assert [(p.label, [a.text for a in p.amounts if a.unit == "CNY"]) for p in _programs(text)] == [
        ("救助患病职工", ["400万元"]), ("金秋助学", ["100万元"])]
    # a quoted name ending the sum's sentence names what it pays for
    text = "今年夏天，临江市总工会投入12万元，组织志愿者到建筑工地为500名工人“送清凉”。"
    assert [p.label for p in _programs(text)] == ["“送清凉”"]
    # where the act is done, said before it, is no part of its name (its place, still)
    (p,) = _programs("白山市总工会筹集资金20万元，在抚松县救助困难职工200人。")
    assert (p.label, [x.name for x in p.places]) == ("救助困难职工", ["抚松县"])
    # …and so do the things it buys, and for whom
    assert [p.label for p in _programs("临江市总工会投入资金50万元，为梧桐区环卫工人购买意外保险。")] == ["购买意外保险"]
    # what the money brought about is no act of the giver's, nor a clause with a subject of its own
    assert [p.label for p in _programs("临江市总工会筹集资金30万元，帮助300名学子圆了上学梦。")] == ["筹集资金"]
    assert [p.label for p in _programs("临江县总工会投入680万元，全区共有职工服务阵地122个。")] == ["投入资金"]
    # the program named before in the clause takes the money and the act
    text = "梧桐区总工会开展冬季送温暖活动，共投入资金200万元，慰问困难职工3000户。"
    assert [p.label for p in _programs(text)] == ["冬季送温暖活动"]


def test_what_the_money_is_for_names_the_program():
    labels = [p.label for p in _programs("全国总工会筹集了4000万资金用于“两节”期间各地工会走访慰问特困职工。")]
    assert labels == ["“两节”期间各地工会走访慰问特困职工"]


@pytest.mark.parametrize("text, label", [
    ("中华全国总工会14日开始向845个职工书屋示范点配送图书。", "配送图书"),
    ("国网临汾供电公司工会配置“漂流书箱”，每季一次流转到变电站。", "“漂流书箱”"),
    ("长春市总工会为小微企业全额返还工会经费。", "返还工会经费"),
    ("长春市总工会对承租工会房屋的个体工商户减免3个月租金。", "减免租金"),
    ("岳西县总工会为受伤职工送上互助医疗理赔金1.2万元。", "送上互助医疗理赔金"),  # any X金 is money
])
def test_programs_named_by_what_a_union_gives(text, label):
    assert [p.label for p in _programs(text)] == [label]


def test_what_a_union_gives_back_or_lets_off_is_a_program_beside_the_others_of_its_sentence():
    text = "临江市总工会为困难企业返还工会经费，并为承租商户减免3个月租金，同时开展“春风行动”招聘服务。"
    assert [p.label for p in _programs(text)] == ["返还工会经费", "减免租金", "“春风行动”招聘服务"]


def test_a_verb_inside_a_noun_names_nothing():
    text = "由合肥市总工会主办的合肥市网约配送员技能竞赛举行，吸引了外卖配送平台的11支队伍、物流配送员参加。"
    assert [p.label for p in _programs(text)] == ["合肥市网约配送员技能竞赛"]


def test_a_headline_contest_is_the_body_s_contest():
    text = "西营门街总工会在天津阳光赐来福车料有限公司开展了西营门街总工会第五届五比一创劳动竞赛。"
    progs = _programs(text, title="西营门街总工会举办企业职工技能比赛")
    assert [p.label for p in progs] == ["企业职工技能比赛"]  # one program, by the label that names no union


def test_the_unions_of_each_urban_district_are_no_one_union():
    names = {u.name for u in get_extractor("unions")(art("活动由黄石市总工会牵头，各城区总工会积极参与。"), {})}
    assert names == {"黄石市总工会"}


def test_every_program_carries_the_judges_confidence():
    from kg.extract.programs import candidates
    from kg.extract.programs.judge import program_judge

    article = art("5月21日，淮北矿业集团朱仙庄矿工会举办“挑战自我 携手并进”心理拓展活动。")
    (c,) = candidates(article)
    (p,) = _programs(article.text)
    assert 0 < p.confidence <= 1 and p.confidence == program_judge().probability(c.features)


def test_a_total_broken_down_by_giver_gives_each_union_its_own_sum():
    text = ("截至目前，各级工会捐款已达4011万元。其中，北京市总100万元，辽宁省总90万元（含沈阳市总20万元），"
            "中国金融工会180万元。")
    got = {(p.runners, p.label, tuple(a.text for a in p.amounts)) for p in _programs(text)}
    assert got >= {(("北京市总工会",), "北京市总工会捐款", ("100万元",)),
                   (("辽宁省总工会",), "辽宁省总工会捐款", ("90万元",)),
                   (("沈阳市总工会",), "沈阳市总工会捐款", ("20万元",)),
                   (("中国金融工会",), "中国金融工会捐款", ("180万元",))}
    # each giver's sum is its own total, counted in its money (a share of the sum stated before it)
    assert {a.role for p in _programs(text) if "捐款" in p.label and p.runners != () for a in p.amounts
            if a.text != "4011万元"} == {"total"}


def test_a_breakdown_names_each_share_by_the_fund_its_total_gives():
    text = ("今年，全省各级工会共投入抗旱专项资金600万元，其中甘肃省总工会拨付200万元，"
            "各市总工会配套400万元。")
    (share,) = [p for p in _programs(text) if p.runners == ("甘肃省总工会",)]
    assert share.label == "投入抗旱专项资金" and [a.text for a in share.amounts] == ["200万元"]
    # money named by no more than its kind goes to the program the giver runs
    text = ("甘肃省总工会启动“冬日暖阳”送温暖活动。全省工会共筹集资金900万元。其中，甘肃省总工会本级筹集"
            "300万元，白银市总工会筹集200万元。")
    mine = [p for p in _programs(text) if p.runners == ("甘肃省总工会",)]
    assert [p.label for p in mine] == ["“冬日暖阳”送温暖活动"] and "300万元" in [a.text for a in mine[0].amounts]


def test_a_long_list_before_its_program_leaves_the_program_its_name():
    text = "临江市总工会开办法律讲堂、育儿知识、茶艺插花、书法绘画、舞蹈健身、摄影技能等多种类型的职工学堂30期。"
    assert [p.label for p in _programs(text)] == ["职工学堂"]  # not the first item, cut off by length


def test_a_quoted_name_in_a_frame_clause_is_what_the_union_follows_not_runs():
    text = "为贯彻“安康杯”竞赛精神，临江市总工会组织开展了安全知识培训。"
    assert [p.label for p in _programs(text)] == ["安全知识培训"]  # not “安康杯”竞赛


def test_a_verb_s_second_object_after_a_comma_is_a_program_too():
    text = "临江市总工会将举行劳动模范座谈会，职工书画展、摄影展、文艺汇演等系列活动。"
    assert [p.label for p in _programs(text)] == ["劳动模范座谈会", "职工书画展、摄影展、文艺汇演等系列活动"]


def test_what_a_program_brought_about_is_no_money_of_it():
    progs = _programs("临江市总工会开展职工技术革新活动，创造经济效益300万元。")
    assert [(p.label, [a.text for a in p.amounts]) for p in progs] == [("职工技术革新活动", [])]


def test_a_share_of_a_breakdown_is_where_its_sentence_says():
    text = ("临江县、梧岭县遭受洪灾后，全国总工会下拨吉林省总工会救灾资金500万元，其中全国总工会机关下拨300万元，"
            "中国职工发展基金会拨付200万元。")
    (share,) = [p for p in _programs(text) if p.runners == ("中华全国总工会",)]
    assert {"临江县", "吉林省"} <= {p.name for p in share.places}


def test_a_company_union_named_by_its_kind_is_that_articles_company_never_one_named_elsewhere():
    from kg.extract.unions import union_aliases

    # across a build: 公司工会 in one file is not 宿州市公司工会 of another
    assert union_aliases(["公司工会", "宿州市公司工会", "柳南区总工会", "柳州市柳南区总工会"]) == {
        "柳南区总工会": "柳州市柳南区总工会"}
    # within one article it is the company the article names
    names = {u.name for u in get_extractor("unions")(art("月盛斋公司工会组织职工捐款。公司工会负责人介绍了情况。"), {})}
    assert names == {"月盛斋公司工会"}


def test_an_organisations_name_written_short_in_one_article_is_that_organisations_union():
    from kg.extract.unions import union_aliases

    names = ["临江市公路管理局工会", "临江市公路局工会", "公司工会"]
    assert union_aliases(names, within_article=True) == {"临江市公路局工会": "临江市公路管理局工会"}
    assert union_aliases(names) == {}  # across files a short name may be another's
    # a name two longer ones could be written short for is neither
    assert union_aliases(["临江市公路局工会", "临江市公路管理局工会", "临江市公路养护局工会"], within_article=True) == {}


def test_a_district_many_cities_have_is_not_another_files_district_of_that_name():
    from kg.extract.unions import union_aliases

    # four cities have a 鼓楼区: a file that names no city is not about the one another file names
    assert union_aliases(["鼓楼区总工会", "福州市鼓楼区总工会", "柳南区总工会", "柳州市柳南区总工会"]) == {
        "柳南区总工会": "柳州市柳南区总工会"}
    assert union_aliases(["鼓楼区总工会", "福州市鼓楼区总工会"], within_article=True) == {
        "鼓楼区总工会": "福州市鼓楼区总工会"}  # within one article it is the one the article names


def test_one_union_written_with_and_without_its_division_word_in_an_article_is_one_union():
    from kg.extract.unions import union_aliases

    names = ["麻城工业园工会联合会", "麻城市工业园工会联合会", "朝阳区总工会", "朝阳市总工会"]
    assert union_aliases(names, within_article=True) == {"麻城工业园工会联合会": "麻城市工业园工会联合会"}
    assert union_aliases(names) == {}  # across files a name says no more than it says


def test_a_breakdown_of_whom_money_goes_to_gives_the_recipients_nothing_to_run():
    text = "省总工会下拨专项资金117万元，其中拨付兰州市总工会补助资金65万元、临夏州总工会35万元、甘南州总工会17万元。"
    runners = {r for p in _programs(text) for r in p.runners}
    assert runners and not runners & {"兰州市总工会", "临夏回族自治州总工会", "甘南藏族自治州总工会"}


def test_my_city_as_a_subject_is_the_articles_own_federation():
    text = ("进入七月，我市迎来持续高温天气。内江市总工会深入企业慰问。为保障一线职工的身体健康，"
            "我市积极开展“送清凉”活动。东兴区总工会也派出慰问组。")
    progs = _programs(text, title="东兴区总工会：“娘家人”撑起“清凉伞”")
    assert ("“送清凉”活动", ("内江市总工会",)) in {(p.label, p.runners) for p in progs}
    # 全市各级工会 is every union of the city, not its federation
    assert _programs("内江市总工会召开会议。全市各级工会开展“送清凉”活动。") == []


@pytest.mark.parametrize("text, expected", [
    # the event is the subject: each part of A暨B is a program of the union the article is about
    ("泉州市总工会近日召开会议。\n8日上午，“建功新时代”泉州市职工劳动竞赛暨滨江新区项目建设专项劳动竞赛启动仪式在此举行。",
     {(("泉州市总工会",), "“建功新时代”泉州市职工劳动竞赛"), (("泉州市总工会",), "滨江新区项目建设专项劳动竞赛")}),
    # a union named before the event runs it
    ("泉州市总工会“温暖冬日”春节送温暖活动正式启动。", {(("泉州市总工会",), "“温暖冬日”春节送温暖活动")}),
    ("泉州市总工会第三届职工技能大赛圆满结束。", {(("泉州市总工会",), "职工技能大赛")}),  # its end tells it was held
    # told of, not held: someone announces it, or 启动 has an object
    ("泉州市总工会近日召开会议。\n会上，市长宣布竞赛启动。", set()),
    ("白山、通化等市启动职工疗休养合作，让职工受益。", set()),
    ("白山、通化等市总工会启动职工疗休养合作，让职工受益。",  # …what each city's federation starts: its object
     {(("白山市总工会", "通化市总工会"), "职工疗休养")}),
])
def test_an_event_that_is_its_sentences_subject_is_a_program(text, expected):
    assert {(p.runners, p.label) for p in _programs(text)} == expected


@pytest.mark.parametrize("subject, runs", [
    ("全省各级工会服务站", False),  # another body is the subject, after clauses that only set the scene
    ("河北省总工会", True),
])
def test_the_sentences_subject_is_found_past_clauses_that_set_the_scene(subject, runs):
    text = f"河北省总工会召开全委会。\n据介绍，两年来，{subject}积极与律师事务所合作，开展了职工普法宣传活动。"
    got = {(p.runners, p.label) for p in _programs(text, title="河北省总工会召开全委会")}
    assert got == ({(("河北省总工会",), "职工普法宣传活动")} if runs else set())


@pytest.mark.parametrize("text, runner", [
    ("和静县总工会利用乌鲁木齐市总工会援助资金开展工会干部培训。", "和静县总工会"),
    ("宝鸡市总工会按照陕西省总工会有关要求，开展职工技能竞赛。", "宝鸡市总工会"),
])
def test_a_union_whose_money_or_rules_are_used_does_not_run_it(text, runner):
    assert {p.runners for p in _programs(text)} == {(runner,)}


@pytest.mark.parametrize("text, label, amounts", [
    # a quoted short name written out in full elsewhere: one program
    ("南宁市总工会在某村开展“送温暖、送文化、送法律”工会服务基层三送活动。\n据了解，本次“三送”活动受到群众欢迎。",
     "“送温暖、送文化、送法律”工会服务基层三送活动", []),
    # the fund (助学金) of a program named by what it is for (金秋助学): its money, not a program of its own
    ("南宁市总工会今年金秋助学金发放，共发放助学金12万元。\n据了解，南宁市总工会的“金秋助学”活动已经连续开展了17年。",
     "“金秋助学”活动", ["12万元"]),
])
def test_mentions_of_one_program_are_one_program(text, label, amounts):
    assert [(p.label, [a.text for a in p.amounts]) for p in _programs(text)] == [(label, amounts)]


@pytest.mark.parametrize("text, names", [
    ("中国能源化学地质工会举办职工技能竞赛。", {"中国能源化学地质工会"}),
    ("中国国防邮电工会全国委员会主办竞赛，中国国防邮电工会还发来贺信。", {"中国国防邮电工会"}),
    ("全国海运总工会为灾区捐款。", {"中华全国海运总工会"}),
    ("坚持走中国特色社会主义工会发展道路。", set()),  # an idea, not a union
    ("湘潭县响塘乡联合工会开展送温暖活动。", {"湘潭县响塘乡联合工会"}),
    ("梧桐物流党支部联合工会开展慰问。", {"梧桐物流工会"}),  # jointly with X's union: no 联合工会 of that name
    ("临港科技产业园工联会开展活动。", {"临港科技产业园工联会"}),  # the press's short 工会联合会
    ("蛇口港货运行业工会联合会成立，工联会还开展活动。", {"蛇口港货运行业工会联合会"}),
    ("湘西州教育工会开展慰问。", {"湘西土家族苗族自治州教育工会"}),  # the level closes the place
    ("福建省总工会领导到晋江市调研工会工作。", {"福建省总工会"}),  # 调研 is what they do; 工会工作 the work
    ("太原市网约车工会成立。", {"太原市网约车工会"}),
    ("保靖县总工会慰问教师。湘西州教育工会和县总工会发放慰问金。",  # 和 joins two unions: no 和县
     {"保靖县总工会", "湘西土家族苗族自治州教育工会"}),
    ("全局工会活动丰富多彩。", set()),  # all of one's own bureau
    ("河南工会这五年", set()),  # a province's unions, all of them (河南各级工会)
    ("青岛工会开展送温暖活动。", {"青岛市总工会"}),  # a city's: its federation
    # a trade after a bare level: the trade union of the article's province or county
    ("甘肃省总工会部署慰问。省交通工会和省邮政工会开展慰问一线职工活动。",
     {"甘肃省总工会", "甘肃省交通工会", "甘肃省邮政工会"}),
    ("临泽县总工会慰问教师。困难教师得到了县教育工会送来的慰问金。", {"临泽县总工会", "临泽县教育工会"}),
    ("全县教育工会干部参加培训。", set()),  # all of the county's: no one union
    ("市（张掖市）教育工会开展慰问。", {"张掖市教育工会"}),  # an aside says which city
    # a union of many is named by what it unites, whatever that ends in
    ("会上，新城生活园区工会联合会主席介绍了经验。", {"新城生活园区工会联合会"}),
    ("临江港口货物运输行业工会联合会成立。临江港运工联会还开展了慰问。", {"临江港口货物运输行业工会联合会"}),
    ("该单位工会联合会开展了哪些活动。", set()),  # a unit, no name
    ("职工之家里举办了一场梧桐街道总工会职工市集活动。", {"梧桐街道总工会"}),  # 一场 counts, it names nothing
])
def test_national_trade_unions_joint_unions_and_trade_unions_of_a_place(text, names):
    assert {u.name for u in get_extractor("unions")(art(text), {}) if u.name != "工会"} == names


@pytest.mark.parametrize("text, labels", [
    ("四川省总工会明确“四门”工会工作理念和全省工会“345”工作思路。", []),  # 工作 qualifies 理念, 思路
    ("吉林省总工会已累计开展10万多个工作岗位的招聘。", []),
    ("四川省总工会开展“夏送清凉”工作，慰问一线职工。", ["“夏送清凉”工作"]),  # work done
    ("四川省总工会加快打造功能完善的职工活动场所。", []),  # a place for activities, not one held
    ("临江市总工会拨付资金支持基层开展各项活动。", []),  # any activities: none named
    ("临江市总工会推出了一系列工作项目。", []),
    ("临江市总工会开展慰问活动，看望环卫工人。", ["慰问活动"]),  # what is done is said
    ("临江市总工会启动2024年工会工作。", []),  # 工会工作: one word to jieba, and the work in general
    ("临江市总工会获“优秀组织奖”此次竞赛共有20支队伍参加。", []),  # 此次 points back: no name of the contest
])
def test_work_that_qualifies_a_noun_is_no_program(text, labels):
    assert [p.label for p in _programs(text)] == labels


@pytest.mark.parametrize("title, labels", [
    ("甘肃省总工会牵头完成千名快递员暖心关爱行动", ["牵头完成千名快递员暖心关爱行动"]),
    ("甘肃省总工会牵头完成万名劳动者的调查", []),  # no program head: a report, not a program
])
def test_a_headline_of_a_union_and_an_event_names_a_program(title, labels):
    assert [p.label for p in _programs("甘肃省总工会近日召开会议。", title=title)] == labels


def test_a_union_that_only_assists_does_not_run_it():
    (prog,) = _programs("哈尔滨市职工技能大赛由哈尔滨市总工会主办，道里区总工会承办，南岗区总工会协办。")
    assert set(prog.runners) == {"哈尔滨市总工会", "道里区总工会"}  # 承办 hosts it; 协办 only assists


@pytest.mark.parametrize("text, labels", [
    ("青岛市总工会表彰“金牌”工程师。", []),  # 工程 goes on into 工程师: no head there
    ("青岛市总工会建成“书香”活动中心。", ["“书香”活动中心"]),  # 活动 goes on into 活动中心
])
def test_a_quoted_names_head_ends_a_word(text, labels):
    assert [p.label for p in _programs(text)] == labels


@pytest.mark.parametrize("text, labels", [
    ("天津市总工会开展为环卫工人送清凉、健康体检等活动。", ["环卫工人送清凉活动"]),  # held for someone
    ("天津市总工会开展为期一个月的技能竞赛。", ["技能竞赛"]),
    ("天津市总工会把驿站打造为职工之家。", []),  # made into: a description
])
def test_an_event_held_for_someone(text, labels):
    assert [p.label for p in _programs(text)] == labels


def test_a_quoted_title_after_a_count_names_what_is_chosen():
    assert [p.label for p in _programs("重庆市总工会评选了10名“岗位能手”。")] == ["“岗位能手”"]


@pytest.mark.parametrize("text, label", [
    ("山西省总工会对重点支持的省级创新工作室分别给予8万元资金支持。", "省级创新工作室资助"),  # what it supports
    ("长春市总工会为困难职工发放资金。", "发放资金"),  # people are whom it reaches, not what it is
    ("全国总工会向四川省总工会下拨资金500万元。", "下拨资金"),  # a union it goes to
])
def test_money_named_by_its_kind_is_named_by_the_thing_it_supports(text, label):
    assert [p.label for p in _programs(text)] == [label]


def test_an_event_named_with_its_place_is_that_places_federations_in_another_unions_article():
    text = ("10月9日，白山市职工技能大赛决赛在浑江区体育馆举行，白山市总工会副主席张华出席。\n"
            "浑江区总工会组织30名职工参赛，为参赛职工送去慰问品。\n"
            "浑江区总工会还开展了送清凉活动。")
    runs = {p.label: (p.runners, p.runner_how) for p in _programs(text)}
    assert runs["白山市职工技能大赛决赛"] == (("白山市总工会",), "place")  # not the article's own union's


def test_two_events_of_different_kinds_in_one_paragraph_are_two_programs_though_they_share_a_word():
    labels = [p.label for p in _programs("白山市总工会开展职工技能培训，举办职工技能竞赛。")]
    assert labels == ["职工技能培训", "职工技能竞赛"]
    same = [p.label for p in _programs("白山市总工会开展送温暖活动，走访慰问困难职工。今年的送温暖慰问共慰问职工300人。")]
    assert same == ["送温暖活动"]  # …but an activity and the same activity's kind are one


def test_a_street_union_said_again_with_its_level_alone_runs_what_it_does():
    text = "白山市浑江区梧桐街道总工会开展送清凉活动。\n此外，街道总工会还举办了职工运动会。"
    runs = {p.label: p.runners for p in _programs(text)}
    assert runs["职工运动会"] == ("浑江区梧桐街道总工会",)


def test_a_sum_another_union_or_body_gives_in_its_clause_is_not_the_programs():
    text = "吉林省总工会投入资金500万元，引导各级工会投入1.2亿元，白山市总工会启动职工疗休养专项行动。"
    runs = {p.label: p for p in _programs(text)}
    assert runs["职工疗休养专项行动"].runners == ("白山市总工会",)
    assert runs["职工疗休养专项行动"].amounts == ()  # the province's and many unions' money, not the city's
    assert [a.text for a in runs["投入资金"].amounts] == ["500万元"]


def test_a_question_tells_of_no_program():
    assert _programs("问：白山市总工会今年开展了哪些帮扶活动？") == []
    assert [p.label for p in _programs("答：今年以来，白山市总工会开展“送温暖”活动。")] == ["“送温暖”活动"]


def test_a_headline_of_what_a_unions_officer_does_is_no_program_of_its():
    progs = _programs("7月14日，白山市总工会开展“送清凉”活动。", title="白山市总工会党组书记、主席张华参加活动")
    assert [p.label for p in progs] == ["“送清凉”活动"]


def test_the_items_of_a_numbered_list_are_the_lists_unions():
    text = ("白山市总工会今年办好十件实事。\n1.开展“送清凉”活动，慰问一线职工500余人。\n2.举办职工技能竞赛，30名职工参赛。\n"
            "3.开展金秋助学活动，资助困难职工子女100名。\n4.建成户外劳动者服务站点20个。")
    runs = {p.label: p.runners for p in _programs(text)}
    assert runs == {label: ("白山市总工会",) for label in ("“送清凉”活动", "职工技能竞赛", "金秋助学活动", "户外劳动者服务站点")}


def test_an_agreement_a_union_signs_is_a_program():
    progs = _programs("白山市总工会与市企业联合会签订工资集体协商协议，覆盖职工2万人。")
    assert [(p.label, p.runners) for p in progs] == [("工资集体协商协议", ("白山市总工会",))]
    assert _programs("浑江区总工会帮助职工签订劳动合同。") == []  # a worker's own contract is none of the union's


def test_a_hotline_a_union_opens_is_a_program():
    progs = _programs("近日，白山市总工会开通职工维权服务热线，为职工提供法律咨询。")
    assert [(p.label, p.runners) for p in progs] == [("职工维权服务热线", ("白山市总工会",))]


def test_a_school_a_union_founds_and_a_team_it_forms_are_programs():
    assert [p.label for p in _programs("临江市总工会创办职工学堂。")] == ["职工学堂"]
    assert [p.label for p in _programs("临江市总工会组建劳模宣讲团，深入企业宣讲。")] == ["劳模宣讲团"]  # not 劳模宣讲


def test_a_union_inside_a_frame_of_guidance_runs_nothing_its_clause_tells_of():
    progs = _programs("梧桐公司工会在白山市总工会的正确领导下开展送温暖活动。")
    assert [(p.label, p.runners) for p in progs] == [("送温暖活动", ("梧桐公司工会",))]


def test_the_articles_union_is_one_that_acts_not_one_named_in_passing():
    text = ("梧桐银行职工代表大会日前召开，市金融工会主席张华到会讲话。\n"
            "梧桐银行工会在临江县总工会和市金融工会的关心指导下做好各项工作。一是坚持开展“送温暖”活动；二是开展公益活动。")
    runs = {p.label: p.runners for p in _programs(text)}
    assert runs["“送温暖”活动"] == ("梧桐银行工会",)  # not the trade union named twice, as a speaker's title and a guide


def test_a_clause_after_one_opened_by_our_city_shares_its_subject():
    text = ("浑江区总工会为环卫工人送去清凉礼包。市总工会也积极行动。\n"
            "入夏以来，我市举办“清凉一夏”活动，依托“四进”服务，把关怀带到工地。")
    runs = {p.label: p.runners for p in _programs(text)}
    assert runs["“四进”服务"] == runs["“清凉一夏”活动"] == ("白山市总工会",)  # not the article's district union


def test_rooms_for_working_mothers_and_a_service_bus_are_programs():
    assert [p.label for p in _programs("临江市总工会建成爱心妈妈小屋20个。")] == ["爱心妈妈小屋"]
    assert [p.label for p in _programs("临江市总工会在企业设立母婴室15个。")] == ["母婴室"]
    assert [p.label for p in _programs("临江市总工会开通职工服务直通车。")] == ["职工服务直通车"]
