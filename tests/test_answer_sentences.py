"""Sentence tools the composer relies on, over clause text in the shapes the corpus uses."""

from __future__ import annotations

from chatbot.sentences import (
    has_figure,
    responsible_groups,
    split_raw,
    split_sentences,
    strip_responsible,
    trim_to,
    years_in,
)
from query.asks import read_ask as detect_qtype


def test_sentences_do_not_split_inside_brackets_or_quotes():
    t = "开展“科学之夜”活动。构建“上下贯通；内外联动”格局。（责任单位：省科协；配合单位：省教育厅）"
    assert split_raw(t) == ["开展“科学之夜”活动。", "构建“上下贯通；内外联动”格局。", "（责任单位：省科协；配合单位：省教育厅）"]


def test_responsible_units_in_every_bracket_style():
    assert responsible_groups("加强宣传。〔责任单位:市委组织部等,各县(市、区)政府、功能区管委会〕") == [
        "责任单位:市委组织部等,各县(市、区)政府、功能区管委会"
    ]
    assert responsible_groups("任务：培育青少年群体。[牵头单位：县教育局、县科协、各镇（园区）]") == [
        "牵头单位：县教育局、县科协、各镇（园区）"
    ]
    assert responsible_groups("开展竞赛。（县总工会、县人力资源和社会保障局按职责分工负责）") == [
        "县总工会、县人力资源和社会保障局按职责分工负责"
    ]
    assert responsible_groups("加强科普交流。(责任部门：省科协、省科技厅)") == ["责任部门：省科协、省科技厅"]
    assert responsible_groups("第五条 科学技术协会（以下简称科协）负责组织活动。") == []


def test_answer_sentences_leave_out_numbering_and_responsible_units():
    t = "3. 加强科普人才队伍建设。到2025年，注册科技志愿者超过50万人。（责任单位：省科协；配合单位：省科技厅）"
    assert [s.text for s in split_sentences(t)] == ["加强科普人才队伍建设。", "到2025年，注册科技志愿者超过50万人。"]
    assert strip_responsible(t).endswith("超过50万人。")


def test_law_article_number_is_not_part_of_the_sentence():
    assert split_sentences("第六条 市人民政府每年安排的科普经费，人均不低于2元。")[0].text.startswith("市人民政府")


def test_a_figure_is_a_quantity_not_a_year_or_a_cited_title():
    assert has_figure("到 2025 年，认定各类科普基地 1000 家以上。")
    assert has_figure("力争达到16%。")
    assert not has_figure("到2035年，科学文化软实力显著增强。")
    assert not has_figure("依据《全民科学素质行动规划纲要（2021—2035年）》制定本方案。")
    assert years_in("依据《规划纲要（2021—2035年）》，到2025年达到19%。") == ["2025"]


def test_trim_keeps_the_part_with_the_figure_verbatim():
    s = "优化科普资源配置，扩大科普资源和服务覆盖面，持续强化科普基地建设，到2025年，认定各类科普基地1000家以上，争创一批国家级科普教育基地。"
    out = trim_to(s, 40, keep=["1000"])
    assert "1000家以上" in out and len(out) <= 41
    assert out.rstrip("。") in s


def test_question_types_from_wording():
    assert detect_qtype("扬州市到2025年公民具备科学素质比例要达到多少？").intent == "number"
    assert detect_qtype("青田县的牵头单位是哪个？").intent == "responsible"
    assert detect_qtype("各地公民科学素质目标分别是多少？").intent == "compare"
    assert detect_qtype("各地公民科学素质目标分别是多少？").asks_number
    assert detect_qtype("第六条原文是怎么写的？").intent == "precedent"
    assert detect_qtype("安徽有哪几项科普工程？").asks_quantity is False
    assert detect_qtype("某市科普经费人均不低于几元？").unit == "元"
