from kg.read import read_page
from kg.split import sentences, split
from kg.types import Page

from conftest import SEEDS


def _page(prefix):
    return read_page(next(SEEDS.glob(prefix + "*.txt")))


def test_seed_000_articles_and_titles():
    arts = split(_page("000"))
    titles = [a.title for a in arts]
    assert titles[0] == "青岛市总着力打造“三化一型”干部队伍"
    assert "福建第25届环卫工人节庆祝活动举行" in titles
    assert "张家口市总引导社会力量参与解困脱困" in titles
    first = arts[0]
    assert first.byline == "本报讯（记者杨明清 通讯员张婧）"
    assert not first.text.startswith("本报讯")
    assert first.headlines[0] == "让年龄结构更合理、专业素养更高、开拓意识更强"


def test_column_break_inside_a_word_is_rejoined():
    first = split(_page("000"))[0]
    assert "青岛市总探索建立“理论培训+体悟实训”" in first.text
    assert "高素质工会干部队伍" in first.text
    assert "“班子成员带头述" in first.text


def test_photo_captions_are_photos():
    arts = split(_page("000"))
    photo = next(a for a in arts if a.title == "高职学生赛技能")
    assert photo.kind == "photo"
    assert "陈任川" not in photo.text


def test_scanner_repeats_are_dropped():
    page = _page("002")
    arts = split(page)
    repeated = "临夏市总工会主席王通华说"
    assert page.text.count(repeated) > 10
    assert sum(a.text.count(repeated) for a in arts) == 1


def test_fragment_joins_the_article_it_continues():
    arts = split(_page("002"))
    linxia = next(a for a in arts if a.title == "一场“香”飘万家的竞赛")
    assert "从“就业边缘人”变身成为“上班族”" in linxia.text  # 就业边 / 缘人 across a box


def test_spans_point_into_the_source():
    page = _page("004")
    for a in split(page):
        start, end = a.span
        assert 0 <= start < end <= len(page.text)
        assert a.paragraphs[0][:6] in page.text[start:end] or a.headlines


def test_no_text_is_lost_but_what_is_dropped_on_purpose():
    """Every body character of the page ends up in some article (bylines, credits and repeats aside)."""
    page = _page("001")
    kept = "".join(a.full_text for a in split(page))
    for line in page.text.split("\n"):
        line = line.strip()
        if len(line) > 40 and not line.startswith("本报"):
            assert line[5:25] in kept, line


def test_single_article_from_a_news_site():
    text = "# 西宁市总推进户外劳动者服务站点建设\n\n本报讯（记者那生祥）西宁市总工会今年新建站点50个。\n"
    arts = split(Page("one.txt", text))
    assert len(arts) == 1
    assert arts[0].title == "西宁市总推进户外劳动者服务站点建设"
    assert arts[0].text == "西宁市总工会今年新建站点50个。"


def test_sentences_have_offsets_into_full_text():
    a = split(_page("000"))[0]
    for s in sentences(a):
        assert a.full_text[s.start : s.start + len(s.text)] == s.text


def test_spans_are_offsets_into_the_decoded_file_even_with_crlf(tmp_path):
    raw = "\r\n\r\n西宁市总推进户外劳动者服务站点建设\r\n\r\n本报讯（记者那生祥）西宁市总工会今年新建站点50个。\r\n"
    f = tmp_path / "crlf.txt"
    f.write_bytes(raw.encode("utf-8"))
    (a,) = split(read_page(f))
    start, end = a.span
    assert raw[start:end].startswith("西宁市总推进") and raw[start:end].endswith("站点50个。")


def test_news_site_article_and_signature(tmp_path):
    from conftest import DATA

    (a,) = split(read_page(DATA / "site_article.txt"))
    assert a.title == "江苏省总工会投入1.2亿元开展“职工暖心行动”"
    assert a.byline == "新华网南京3月5日电（记者王明）" and a.text.startswith("近日，江苏省总工会启动")
    arts = split(read_page(DATA / "signed_article.txt"))
    assert len(arts) == 1 and not a.text.endswith("（王敏）")


def test_a_sentence_finished_on_the_next_line_is_not_a_headline():
    arts = split(_page("000"))
    shanxi = next(a for a in arts if a.title == "庄稼人站到了工会领奖台上")
    assert "陆续有贫困户加入到种植土豆微型品种的项目中来。" in shanxi.text
    assert shanxi.byline == "本报记者 刘建林 本报通讯员 贺芳芳"  # the byline printed further down the page


def test_headlines_printed_above_another_article_are_split_off_and_get_their_body_back():
    arts = split(_page("001"))
    binhai = arts[0]
    assert binhai.kind == "article" and binhai.title.startswith("江苏滨海县总")
    assert binhai.text.startswith("况，县总工会出台") and "滨海县总工会确定“揭榜挂帅”项目池" in binhai.text
    zhenkang = next(a for a in arts if a.title == "“干活的劲头更足了！”")
    assert "镇康县" in zhenkang.text and "揭榜" not in zhenkang.text  # the body printed under it, given back
    assert arts[1].title == "陕西省总向甘肃青海捐助抗震救灾资金300万元"
    anji = next(a for a in split(_page("003")) if a.title.startswith("浙江安吉县工会"))
    assert "安吉县总工会" in anji.text and "坪山" not in anji.text
    tianjin = next(a for a in split(_page("003")) if "天津市总工会" in a.text)
    assert tianjin.title.startswith("天津市总与市审计局建立协同贯通工作机制")


def test_a_speaker_line_stays_in_its_article():
    from kg.split import split
    from kg.types import Page

    text = ("市总工会开展送清凉活动\n近日，青岛市总工会开展送清凉活动，为一线职工送去清凉饮品。\n"
            "青岛某物流公司员工 张三：\n“工会的关心让我们很暖心。”\n")
    articles = split(Page(source="p.txt", text=text))
    assert len(articles) == 1 and "张三：" in articles[0].text


def test_a_line_cut_by_a_column_break_is_no_headline_of_the_story_that_goes_on_after_it():
    arts = split(_page("002"))
    assert not any(a.title.startswith("福建省总还提出") for a in arts)
    fujian = next(a for a in arts if a.title == "福建工会推动防疫防暑措施“双落实”")
    assert fujian.text.endswith("福建省总还提出，要积极应对疫情给高")
    luosifen = next(a for a in arts if a.title == "螺蛳粉生产线转起来啦")
    assert "一起，感受到螺蛳粉产业经济跳动的脉搏。" in luosifen.text and "柳南区总开展" in luosifen.text
    assert any(a.title == "技能竞赛释放多重效应" for a in arts)  # a headline after the story taken up again


def test_a_web_articles_section_titles_stay_in_it_and_a_new_story_does_not():
    story = ("杜集区总工会开展送清凉系列活动\n近日，杜集区总工会开展送清凉系列活动。\n"
             "以心暖新，传递清凉关怀\n外卖骑手每天穿行在大街小巷。工会在驿站发放礼包。\n"
             "以爱助力，守护一线坚守\n盛夏时节，多家工会驿站同步开展送清凉活动。\n")
    arts = split(Page(source="web.txt", text=story))
    assert len(arts) == 1 and "多家工会驿站同步开展送清凉活动" in arts[0].text
    assert "以爱助力，守护一线坚守。" in arts[0].text  # a section title, read as a sentence of its own
    for lead in ("5月8日，青岛市总工会举办职工技能竞赛。", "青岛市总工会举办职工技能竞赛。"):  # a dateline, a new place
        arts = split(Page(source="page.txt", text=story + "青岛市总工会举办技能竞赛\n" + lead + "\n"))
        assert [a.title for a in arts] == ["杜集区总工会开展送清凉系列活动", "青岛市总工会举办技能竞赛"]


def test_a_web_articles_photo_caption_and_credit_line_stay_in_it():
    story = ("【鼓楼】工会互助有保障，二次救助暖人心\n发布日期：2023-05-12 09:30:00\n"
             "5月11日上午，鼓楼区职工二次救助金发放仪式举行。12名职工获得救助。\n"
             "我区职工代表李明代表受救助的职工上台发言\n"
             "会后，区总工会负责人看望了住院治疗的职工。\n"
             "拟稿人：王芳   核稿人：赵强   来源：鼓楼区总工会\n")
    arts = split(Page(source="web.txt", text=story))
    assert len(arts) == 1  # a caption of twenty characters is no new story's headline
    assert "看望了住院治疗的职工" in arts[0].text and "拟稿人" not in arts[0].text  # credits are no text


def test_captions_credited_after_a_slash_are_each_a_photo_of_their_own():
    page = ("（无标题）\n"
            "6月5日，临江县总工会在市体育馆举办职工羽毛球赛，全市40支队伍的300余名职工参赛。/ 临江 供图\n"
            "6月8日，梧桐区总工会为新入会的200名快递员、外卖骑手赠送了装有雨衣和水杯的暖心礼包。/ 梧桐 供图\n"
            "5月1日，白山市总工会召开大会，表彰了50名劳动模范和20个先进集体，并为他们颁发证书。/ 李明 摄\n")
    arts = split(Page(source="captions.txt", text=page))
    assert [a.kind for a in arts] == ["photo", "photo", "photo"]  # three pictures, not one story
    assert "供图" not in arts[0].text and arts[1].text.startswith("6月8日")


def test_a_sites_line_under_a_headline_keeps_it_with_its_body():
    # the site's name, address, date and source under a headline are no body of a story of their own
    page = ("[临江日报]快递员的一天\n"
            "临江市政府门户网站 www.linjiang.example   2019年03月05日   来源:临江日报\n"
            "\n风雨中的送件人 工会送来了雨衣\n\n"
            "为帮梧桐区300多位快递员安心送件，临江市总工会送去雨衣和水杯。\n")
    arts = split(Page(source="site.txt", text=page))
    assert [a.title for a in arts] == ["[临江日报]快递员的一天"]
    assert "临江市总工会送去雨衣和水杯" in arts[0].text and "www" not in arts[0].text
    dated = split(Page(source="dated.txt", text="临江市总工会开展送清凉活动\n2024-05-10 08:30:00\n"
                                                 "7月21日，临江市总工会为一线职工送上清凉。\n"))
    assert dated[0].headlines == ("临江市总工会开展送清凉活动",)  # a date and time alone is no headline
