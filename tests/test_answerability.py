"""Answerable questions are answered however they are worded; near-miss questions are still refused.

Figures written in Chinese numerals (六十日, 三分之一), questions said the way people talk
(能免税吗, 谁牵头办, 几号前交到哪儿) and near misses (a fee the text never sets, a post it never
names), on fixture documents of this file's own: a provincial regulation with 第X条 and a
工作提示 + 方案 of another province. The whole answer path runs (ingest, index with the
deterministic HashEmbedder, query, compose, refusal).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from answer_checks import answered, fixture_index

from chatbot.answer import answer
from lang.figures import figure_tokens, has_figure, has_money
from lang.units import asked_post
from lang.wording import in_text_words, plain
from query import Intent
from query.asks import read_ask
from query.understand import plain_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "answerability"


@pytest.fixture(scope="module")
def index():
    return fixture_index(FIXTURES, 2)


# ------------------------------------------------------------------ the lexicon


@pytest.mark.parametrize("text, tokens", [
    ("可以自知道该行政决定之日起六十日内提出", ["六十日"]),
    ("超过二十年的，不予受理", ["二十年"]),
    ("应当自受理申请之日起十五个工作日内作出决定", ["十五个工作日"]),
    ("比例不低于三分之一", ["三分之一"]),
    ("研发经费占生产总值的百分之二点五以上", ["百分之二点五"]),
    ("处违法所得五倍以下的罚款", ["五倍"]),
    ("保证学生每天至少有一小时体育活动时间", ["一小时"]),
    ("每年至少召开一次全体会议", ["一次"]),
    ("自收到申请之日起一年内", ["一年"]),
    ("罚款一万元以上五万元以下", ["一万元", "五万元"]),
    ("到2025年，认定科普基地 1000 家以上，比例达到15%", ["1000", "15%"]),
])
def test_figure_tokens_read_chinese_numerals_and_digits(text, tokens):
    assert figure_tokens(text) == tokens
    assert has_figure(text)


@pytest.mark.parametrize("text", [
    "第二十条 本条例自公布之日起施行。",  # an article number
    "“十四五”时期，建设一批科普基地。",  # a plan period, 一批
    "2021—2025年，一年来成效显著。",  # a span, 一年来
    "二〇二三年，打造一个中心、千家万户受益。",  # a year in numerals, 一个 as a word, 千家万户
    "第十四个五年规划和二〇三五年远景目标纲要",
])
def test_years_ordinals_periods_and_words_are_not_figures(text):
    assert figure_tokens(text) == []
    assert not has_figure(text)


def test_money_is_a_sum_in_yuan_not_a_count():
    assert has_money("涉及款额三千元以下的") and has_money("每人每年不少于0.1元")
    assert not has_money("聘请科普讲师100名，每年开展巡讲200场以上") and not has_money("推进一元化管理")


def test_in_text_words_replaces_colloquial_terms():
    assert "免征" in in_text_words("云南进口科普用品能免税吗？")
    assert "日前" in in_text_words("几号前交落实情况？") and "报送" in in_text_words("交到哪儿？")
    assert "日内" in in_text_words("多少天内可以申请复查？")
    assert "联系人" in in_text_words("有问题找谁联系？")
    assert "未休" in in_text_words("没休完的年假怎么算？")
    assert "是指" in in_text_words("“年度”是什么意思？")


def test_plain_drops_padding_but_keeps_the_documents_own_words():
    assert plain("能不能告诉我科普联盟叫什么名字？") == "科普联盟？"
    assert plain("第三条银龄科普展开说说") == "第三条银龄科普"
    assert "可以" in plain("可以委托几名代理人？") and "已经" in plain("已经依法受理的")


def test_responsibility_ask_reads_as_unit_and_other_intents_keep_it():
    assert "单位" in plain_text("科普云南活动谁牵头办？", Intent.RESPONSIBILITY)
    assert "谁" not in plain_text("科普云南活动由哪个单位负责？", Intent.RESPONSIBILITY)
    assert plain_text("科普云南活动谁牵头办？", Intent.FACT) == "科普云南活动谁牵头？"


def test_money_and_post_asks_are_read():
    assert read_ask("科普讲师讲一次课给多少钱？").unit == "元"
    assert read_ask("课酬标准是多少？").unit == "元"
    assert read_ask("研发经费占生产总值多少？").unit == ""  # a share, not a sum
    assert read_ask("要聘请多少名科普讲师？").unit == "名"
    assert asked_post("云南省科协主席是谁？") == "主席" and asked_post("主席团由哪些人组成") == ""
    assert asked_post("责任单位是谁？") == ""


# ------------------------------------------------------------------ the answer path


def test_days_written_in_numerals_answer_a_how_many_days_question(index):
    answered(answer("某省行政复查条例规定，知道行政决定后多少天内可以申请复查？", index), "六十日")


def test_years_written_in_numerals_answer_a_how_many_years_question(index):
    answered(answer("因不动产申请复查，行政决定作出多少年后就不再受理？", index), "二十年")


def test_a_fraction_answers_a_lowest_share_question(index):
    answered(answer("省级财政科技专项资金用于基础研究的比例不能低于多少？", index), "三分之一")


def test_a_definition_question_is_answered(index):
    answered(answer("复查条例里说的“年度”是什么意思？", index), "公历年度")


def test_colloquial_tax_question_is_answered_from_the_exemption(index):
    answered(answer("云南进口科普用品能免税吗？", index), "免征进口关税")


def test_colloquial_responsibility_question_finds_the_lead_unit(index):
    answered(answer("科普云南活动谁牵头办？", index), "省科协")


def test_colloquial_deadline_question_finds_date_and_recipient(index):
    answered(answer("云南的工作提示让大家几号前交落实情况？交到哪儿？", index), "6月10日", "省科技厅")


def test_contact_question_finds_the_contact(index):
    answered(answer("云南这个工作提示有问题找谁联系？", index), "李明")


def test_a_fee_the_text_never_sets_is_refused(index):
    a = answer("云南科普讲师讲一次课给多少钱？", index)
    assert a.refused and a.refusal_reason == "no_figure", a.text


def test_a_yearly_budget_the_text_never_states_is_refused(index):
    a = answer("云南每年科普财政经费是多少万元？", index)
    assert a.refused, a.text


def test_the_holder_of_a_post_the_text_never_names_is_refused(index):
    for q in ("云南省科协主席是谁？", "请问云南省科协主席叫什么名字？"):
        a = answer(q, index)
        assert a.refused and a.refusal_reason == "low_relevance", (q, a.text)


def test_a_sum_the_text_states_is_answered(index):
    answered(answer("复查事项涉及多少钱以下的可以适用简易程序？", index), "三千元")
