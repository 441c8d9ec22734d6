"""The query stage: what a question names (from the documents' own metadata and the lexicon),
what it asks, and follow-ups that edit the previous Query."""

from __future__ import annotations

import datetime

import pytest
from test_index_store import make_doc, sample_documents

from query import Intent, Known, understand
from query.asks import read_ask


def known(extra=()) -> Known:
    docs = sample_documents() + [
        make_doc("jl#0", "关于贯彻落实《关于新时代进一步加强科学技术普及工作的意见》的实施方案", "吉林省", "省",
                 [("一、（一）", "强化各级党委和政府的科普工作领导责任。")]),
        make_doc("qt#0", "青田县全民科学素质行动实施方案（2021—2025年）", "青田县", "县",
                 [("一、", "侨乡科普研学活动每年不少于10场。")]),
        *extra,
    ]
    return Known.from_metas([d.meta for d in docs], {d.meta.doc_id: "\n".join(c.text for c in d.clauses) for d in docs})


K = known()


def H(*qs: str) -> list[dict]:
    out = []
    for q in qs:
        out += [{"role": "user", "content": q}, {"role": "assistant", "content": "……[1]。"}]
    return out


@pytest.mark.parametrize("question, regions", [
    ("扬州市到2025年公民具备科学素质的比例是多少？", ("扬州市",)),
    ("扬州的目标是什么", ("扬州市",)),
    ("砀山在农民科学素质方面有什么举措？", ("砀山县",)),
    ("吉林怎么规定的", ("吉林省",)),
    ("安徽和甘肃在科普人才方面有何不同？", ("安徽省", "甘肃省")),
])
def test_regions_named_in_full_or_short_form_map_to_document_regions(question, regions):
    q = understand(question, None, K)
    assert q.regions == regions and q.unknown_places == ()


def test_every_lexicon_form_of_a_held_region_is_that_region():
    k = known([make_doc("xj#0", "新疆维吾尔自治区科普条例", "新疆维吾尔自治区", "省", [("第一条", "为了加强科普工作。")])])
    for form in ("新疆", "新疆自治区", "新疆维吾尔自治区"):
        assert understand(f"{form}的科普条例怎么规定？", None, k).regions == ("新疆维吾尔自治区",)


def test_title_ending_with_region_and_doc_number_name_the_document():
    assert understand("甘肃的若干措施对科普人才有何规定？", None, K).doc_ids == ("gs#0",)
    assert understand("安徽方案里科普人才队伍的目标", None, K).doc_ids == ("bz#1",)
    assert understand("甘科才〔2023〕1号文件讲了什么？", None, K).doc_ids == ("gs#0",)


@pytest.mark.parametrize("question, unknown", [
    ("浙江省的科普经费标准是多少？", ("浙江省",)),
    ("浙江有什么规定", ("浙江",)),
    ("杭州市的科普工作方案有哪些任务", ("杭州市",)),
    ("苏州的科普工作方案有哪些任务", ("苏州",)),  # a prefecture of the lexicon, written bare
    ("吉林市的科普目标是什么", ("吉林市",)),
    ("扬州和杭州市相比如何", ("杭州市",)),
])
def test_places_the_collection_does_not_hold_are_unknown(question, unknown):
    q = understand(question, None, K)
    assert q.unknown_places == unknown and not any(r.startswith(unknown[0][:2]) for r in q.regions)


def test_a_held_citys_province_is_context_not_an_unknown_place():
    assert understand("江苏扬州的科普目标是多少？", None, K).unknown_places == ()


@pytest.mark.parametrize("question", [
    "如何推进县域科普和智慧城市建设？", "全省科普经费如何保障？", "我市如何提出贯彻落实意见？",
    "各县市区要做什么", "科普工作纳入市场化运作吗", "城市社区科普有哪些要求", "如何保障老年人安康",
])
def test_common_words_ending_in_admin_suffixes_are_not_places(question):
    assert understand(question, None, K).unknown_places == ()


def test_years_periods_and_unheld_years():
    q = understand("扬州市2025年和2030年的目标分别是什么？", None, K)
    assert q.years == ("2025", "2030") and q.unknown_years == ("2030",)
    q = understand("“十四五”期间安徽的目标是多少？", None, K)
    assert q.periods[0].start == 2021 and q.periods[0].end == 2025
    assert understand("明年的目标是多少？", None, K, datetime.date(2024, 6, 1)).years == ("2025",)


def test_terms_drop_only_the_region_names_used_as_filters():
    assert understand("砀山县农民科学素质提升行动怎么做？", None, K).terms == "农民科学素质提升行动怎么做?"
    assert understand("浙江省农民科学素质提升行动怎么做？", None, K).terms == "浙江省农民科学素质提升行动怎么做？"


@pytest.mark.parametrize("question, intent", [
    ("甘肃和吉林在科普人才队伍建设上有何不同？", Intent.COMPARISON),
    ("砀山县青少年科学素质提升行动由哪个部门牵头？", Intent.RESPONSIBILITY),
    ("扬州关于科技志愿服务的原文怎么写？", Intent.PRECEDENT),
    ("扬州市到2025年公民具备科学素质比例要达到多少？", Intent.NUMBER),
    ("甘肃省如何加强科普人才队伍建设？", Intent.FACT),
    ("扬州的方案文号是多少？", Intent.DOCUMENT),
    ("你好", Intent.OUT_OF_SCOPE),
])
def test_intent_from_the_wording(question, intent):
    assert understand(question, None, K).intent == intent


def test_ask_flags():
    a = read_ask("各地公民科学素质目标分别是多少？")
    assert a.intent == Intent.COMPARISON and a.asks_number and a.collective
    assert read_ask("安徽有哪几项科普工程？").asks_quantity is False
    assert read_ask("某市科普经费人均不低于几元？").unit == "元"


def test_region_only_follow_up_replaces_the_region_of_the_previous_query():
    q = understand("那甘肃呢？", H("安徽到2025年公民科学素质比例目标是多少？"), K)
    assert q.text == "甘肃到2025年公民科学素质比例目标是多少？"
    assert q.regions == ("甘肃省",) and q.years == ("2025",) and q.intent == Intent.NUMBER


def test_unknown_region_follow_up_keeps_the_unknown_name_so_it_can_be_refused():
    q = understand("那浙江呢？", H("安徽到2025年公民科学素质比例目标是多少？"), K)
    assert q.unknown_places == ("浙江",) and q.regions == () and q.text.startswith("浙江到2025年")


def test_year_only_follow_up_replaces_the_year():
    q = understand("2035年呢？", H("安徽到2025年公民科学素质比例目标是多少？"), K)
    assert q.text == "安徽到2035年公民科学素质比例目标是多少？" and q.regions == ("安徽省",) and q.years == ("2035",)


def test_new_ask_attaches_to_the_previous_topic():
    q = understand("责任单位是谁？", H("安徽省如何加强科普人才队伍建设？"), K)
    assert q.text == "安徽省如何加强科普人才队伍建设的责任单位是谁？" and q.intent == Intent.RESPONSIBILITY
    q = understand("它的牵头单位是谁？", H("青田县侨乡科普研学活动每年不少于多少场？"), K)
    assert q.text.startswith("青田县侨乡科普研学活动") and q.regions == ("青田县",)


def test_chain_of_follow_ups_keeps_topic():
    q = understand("吉林呢？", H("安徽到2025年公民科学素质比例目标是多少？", "那甘肃呢？"), K)
    assert q.text == "吉林到2025年公民科学素质比例目标是多少？" and q.regions == ("吉林省",)


def test_complete_question_is_its_own_query_and_keeps_the_previous_region_only_when_it_names_none():
    assert understand("甘肃省如何加强科普人才队伍建设？", H("安徽有哪些科普工程？"), K).regions == ("甘肃省",)
    q = understand("银龄科普行动具体怎么做？", H("扬州市的方案对老年人科学素质有什么安排？"), K)
    assert q.text == "扬州市银龄科普行动具体怎么做？" and q.regions == ("扬州市",)
    assert understand("各地公民科学素质目标分别是多少？", H("扬州市的目标是多少？"), K).regions == ()


def test_bare_mention_without_history_is_an_overview_not_a_topic():
    q = understand("那甘肃呢？", None, K)
    assert q.intent == Intent.OVERVIEW and q.regions == ("甘肃省",) and q.text == "甘肃" and "那" not in q.topic
    assert understand("那浙江呢？", [], K).unknown_places == ("浙江",)


def test_current_question_already_in_history_is_not_its_own_context():
    h = H("安徽到2025年公民科学素质比例目标是多少？") + [{"role": "user", "content": "那甘肃呢？"}]
    assert understand("那甘肃呢？", h, K).text == "甘肃到2025年公民科学素质比例目标是多少？"


def test_articles_are_read_from_this_turn_only():
    assert understand("第6条怎么规定的？", None, K).articles == ("第六条",)
    assert understand("那甘肃呢？", H("安徽第六条怎么规定的？"), K).articles == ()


def test_now_is_not_a_year_and_a_doc_number_is_not_a_quantity():
    q = understand("扬州现在公民科学素质比例是多少？", None, K, datetime.date(2026, 1, 1))
    assert q.years == () and q.unknown_years == ()
    assert not understand("扬州方案的文号多少？", None, K).asks_quantity


def test_an_unknown_place_stays_content_and_a_demonstration_county_is_not_a_place():
    q = understand("砀山县的实施方案是依据宿州哪个文件制定的？", None, K)
    assert q.unknown_places == ("宿州",) and "宿州" not in q.drop
    assert understand("甘肃要创建几个全国科普示范县？", None, K).unknown_places == ()


def test_one_character_abbreviations_name_provinces_where_a_place_starts_a_phrase():
    assert understand("请问皖方案里科普人才队伍的目标是什么？", None, K).regions == ("安徽省",)
    assert understand("甘若干措施里说的科普联盟叫什么名字？", None, K).regions == ("甘肃省",)
    assert understand("浙有没有科普经费的规定？", None, K).unknown_places == ("浙",)
    assert understand("新时代科普工作有哪些要求？", None, K).regions == ()


def test_year_in_chinese_numerals_follow_up_replaces_the_year_like_digits():
    hist = H("青田县2025年科学素质比例目标？")
    for follow in ("二〇三〇年的呢", "那到二〇三〇年呢？", "2030年的呢"):
        q = understand(follow, hist)
        assert q.text == "青田县2030年科学素质比例目标？", follow
        assert q.years == ("2030",)
    assert understand("青田县到二〇三〇年的比例？").text == "青田县到2030年的比例？"


def test_a_rank_after_a_held_place_is_not_another_place():
    q = understand("扬州省级科学教育综合示范学校的建设目标是多少所？", None, K)
    assert q.regions == ("扬州市",) and q.unknown_places == ()  # 扬州 + 省级, not a place 扬州省
    assert understand("扬州省的目标是多少？", None, K).unknown_places == ("扬州省",)
    assert understand("吉林市的科普基地有多少？", None, K).unknown_places == ("吉林市",)  # a real look-alike


def test_a_count_of_provinces_is_not_a_place_name():
    q = understand("请对比一下皖吉甘三省干部科学素质提升的责任单位", None, K)
    assert q.unknown_places == ()  # not a place 甘三省
    assert understand("浙江、福建和江西三省的目标？", None, K).unknown_places == ("浙江", "福建", "江西")  # not 江西三省


def _laws_known() -> Known:
    """Many laws of a few regions, as a large collection has them (none of them the bundled ones)."""
    law = [("第一条", "为了规范本行政区域内的有关工作，制定本条例。")]
    docs = [
        make_doc("zy#0", "志愿服务条例", "", "国家", law, doc_type="条例"),
        make_doc("jsh#0", "全民健身条例", "", "国家", law, doc_type="条例"),
        make_doc("sczy#0", "四川省志愿服务促进条例", "四川省", "省", law, doc_type="条例"),
        make_doc("scjz#0", "四川省家政服务条例", "四川省", "省", law, doc_type="条例"),
        make_doc("hnkp#0", "湖南省科学技术普及条例", "湖南省", "省", law, doc_type="条例"),
        make_doc("hnsk#0", "湖南省社会科学普及条例", "湖南省", "省", law, doc_type="条例"),
        make_doc("gdgx#0", "广东省城市更新条例", "广东省", "省", law, doc_type="条例"),
        make_doc("gdkj#0", "广东省科学技术进步条例", "广东省", "省", law, doc_type="条例"),
        make_doc("fjzm#0", "中国（福建）自由贸易试验区条例", "福建省", "省", law, doc_type="条例"),
        make_doc("fjjs#0", "福建省全民健身条例", "福建省", "省", law, doc_type="条例"),
        make_doc("hbgd#0", "湖北省实施《中华人民共和国土地管理法》的规定", "湖北省", "省", law, doc_type="规定"),
        make_doc("hbjz#0", "湖北省家政服务条例", "湖北省", "省", law, doc_type="条例"),
    ]
    return Known.from_metas([d.meta for d in docs])


@pytest.mark.parametrize("question, doc_ids", [
    ("四川志愿服务条例第五条怎么规定？", ("sczy#0",)),  # the place's own law, not the national 志愿服务条例
    ("志愿服务条例第五条怎么规定？", ("zy#0",)),
    ("湖南省科普条例第二条对科普怎么定义？", ("hnkp#0",)),  # 科普 keeps the head of 科学技术普及
    ("广东新条例对科技成果转化有什么要求？", ()),  # 新条例 is not the ending of 城市更新条例
    ("福建条例关于健身活动的原文", ()),  # 福建 is a place before 条例, not a short form of the 自贸区条例
    ("湖北省全民健身条例规定的全民健身日是哪天？", ()),  # 规定 is a verb here; the national law is not 湖北's
])
def test_a_short_or_partial_title_names_only_the_document_it_writes(question, doc_ids):
    assert understand(question, None, _laws_known()).doc_ids == doc_ids


def test_a_law_named_with_a_place_the_collection_does_not_hold_is_not_the_national_law():
    q = understand("辽宁省全民健身条例规定的全民健身日是哪天？", None, _laws_known())
    assert q.doc_ids == () and "辽宁省" in q.unknown_places


def test_a_special_economic_zone_regulation_belongs_to_its_city_for_questions(tmp_path):
    from ingest.config import IngestConfig
    from ingest.load import load_text
    from ingest.parse import parse_text

    path = tmp_path / "zone.md"
    path.write_text("# 厦门经济特区科学技术普及条例\n\n2020年6月1日 厦门市人民代表大会常务委员会通过\n\n"
                    "## 第一章 总则\n\n第一条 为了加强科学技术普及工作，制定本条例。\n\n"
                    "第二条 市、区人民政府应当将科普经费列入财政预算。\n", encoding="utf-8")
    (doc,) = parse_text(load_text(path, IngestConfig()), path.name, IngestConfig())
    assert (doc.meta.title, doc.meta.region, doc.meta.level) == ("厦门经济特区科学技术普及条例", "厦门市", "市")
    k = known([doc])
    for question in ("厦门的科普经费怎么保障？", "厦门市科普经费怎么保障", "厦门经济特区的科普经费怎么保障？"):
        q = understand(question, None, k)
        assert q.regions == ("厦门市",) and q.unknown_places == (), question


@pytest.mark.parametrize("first, follow, intent", [
    ("扬州实施青少年科学素质提升行动由谁负责？", "配合的单位都有谁？", Intent.RESPONSIBILITY),
    ("扬州实施青少年科学素质提升行动由谁负责？", "都有哪些具体举措？", Intent.FACT),
])
def test_a_follow_up_that_only_asks_keeps_the_previous_topic_and_is_no_comparison(first, follow, intent):
    q = understand(follow, H(first), K)
    assert q.intent == intent and "青少年科学素质提升行动" in q.text and q.regions == ("扬州市",)


def test_abbreviations_written_together_and_counted_are_each_a_province():
    assert understand("皖吉三省的科普条例分别有什么打算？", None, K).regions == ()  # two characters, three counted
    k = known([make_doc("ah#0", "安徽省新时代科学技术普及工作方案", "安徽省", "省", [("一、", "推动修订科普条例。")]),
               make_doc("gs#0", "甘肃省科普若干措施", "甘肃省", "省", [("一、", "适时修订科普条例。")])])
    q = understand("皖吉甘三省让科技部门建立的协调机制分别是什么？", None, k)
    assert set(q.regions) == {"安徽省", "吉林省", "甘肃省"} and q.intent == Intent.COMPARISON


def test_a_place_written_right_before_a_held_county_qualifies_it():
    k = known([make_doc("bc#0", "宾川县全民科学素质行动实施方案（2024—2026年）", "宾川县", "县",
                        [("二、（四）", "老年人科学素质提升行动。")])])
    for question in ("云南宾川县的方案对老年人有什么安排？", "云南省宾川县的方案对老年人有什么安排？",
                     "大理州宾川县的方案对老年人有什么安排？"):
        q = understand(question, None, k)
        assert q.regions == ("宾川县",) and q.unknown_places == (), question
    assert understand("云南的方案对老年人有什么安排？", None, k).unknown_places == ("云南",)


def test_a_title_starting_with_a_common_noun_gives_no_region_that_questions_would_match(tmp_path):
    from ingest.config import IngestConfig
    from ingest.load import load_text
    from ingest.parse import parse_text

    path = tmp_path / "division.md"
    path.write_text("# 行政区划管理条例\n\n2018年10月10日 国务院公布\n\n第一条 为了加强行政区划管理，制定本条例。\n",
                    encoding="utf-8")
    (doc,) = parse_text(load_text(path, IngestConfig()), path.name, IngestConfig())
    assert doc.meta.region == ""
    q = understand("行政复议法第十二条，哪些事项不属于行政复议范围？", None, known([doc]))
    assert q.regions == () and q.unknown_places == ()
