"""What follows a breach is asked or not: a question about the rule is not answered by the fine for
breaking it, a fine asked is the sentence stating it, "多久一次" needs a span or a schedule, "其他单位和
个人不得…" does not say who does, a signal's 生效期间 is not the document's entry into force, and a
follow-up naming a new situation ("那没申报呢？") keeps the previous question's short ask (罚多少钱).
Invented regulations of this file's own (a national law with chapters, two local ones); the
HashEmbedder throughout."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from lang.wording import in_text_words
from query import understand
from query.asks import read_ask
from tests.answer_checks import answered, flat, texts_index

NATIONAL_WETLANDS = """# 中华人民共和国湿地保护法

<!-- INFO END -->

## 第一章 总则

第一条 为了加强湿地保护，制定本法。

第二条 国务院林业草原主管部门应当定期组织开展全国湿地资源调查评价，并向社会公布调查结果。

第三条 国务院林业草原主管部门负责发布湿地生态预警信息。其他单位和个人不得向社会发布湿地生态预警信息。

## 第二章 法律责任

第四条 违反本法规定，未开展湿地资源调查的，由县级以上人民政府林业草原主管部门责令改正，对单位处一万元以上五万元以下罚款。

第五条 违反本法规定，擅自开垦湿地的，由县级以上人民政府林业草原主管部门责令停止违法行为，限期恢复原状；按照开垦面积，可以对个人处每平方米五十元以下的罚款、对单位处每平方米一百元以下的罚款。
"""
HUNAN_WETLANDS = """# 湖南省湿地保护条例

<!-- INFO END -->

第一条 为了加强湿地保护，根据有关法律，结合本省实际，制定本条例。

第二条 省人民政府林业主管部门应当每三年组织一次全省湿地资源调查，调查结果向社会公布。

第三条 省人民政府林业主管部门负责发布全省湿地生态预警信息。

第四条 违反本条例规定，擅自开垦湿地的，由县级以上人民政府林业主管部门责令停止违法行为；逾期不恢复原状的，按照开垦面积对个人处每平方米三十元罚款，对单位处每平方米八十元罚款。

第五条 湿地生态红色预警信号生效期间，湿地管理机构应当暂停湿地内的游览活动。

第六条 本条例自2023年3月1日起施行。
"""
JIANGXI_WELLS = """# 江西省地热水管理办法

<!-- INFO END -->

第一条 为了加强地热水管理，制定本办法。

第二条 开采地热水的单位应当安装计量设施，并向县级水行政主管部门申报开采量。

第三条 开采地热水的单位未安装计量设施的，由县级水行政主管部门责令限期安装，处五千元罚款。

第四条 开采地热水的单位未申报开采量的，由县级水行政主管部门责令改正，处二千元罚款。

第五条 违反本办法规定，未按期检测水质的，由县级水行政主管部门处一千元以下的罚款。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("penalty"), {
        "湿地保护法.md": NATIONAL_WETLANDS, "湖南湿地.md": HUNAN_WETLANDS, "江西地热水.md": JIANGXI_WELLS})


def test_how_often_is_answered_by_the_schedule_not_by_the_fine_for_skipping_it(index):
    a = answer("湖南的湿地资源调查多久搞一次？", index)
    answered(a, "每三年组织一次")
    assert "罚款" not in flat(a)


def test_how_often_with_no_span_or_schedule_stated_is_refused(index):
    a = answer("江西地热水管理办法规定水质多久检测一次？", index)
    assert a.refused and a.refusal_reason == "no_figure", a.text


def test_a_comparison_of_how_often_takes_a_schedule_without_a_figure(index):
    a = answer("湿地资源调查多久搞一次？国家湿地保护法和湖南条例有什么不同？", index)
    assert "定期" in flat(a) and "每三年" in flat(a), a.text
    assert "罚款" not in flat(a), a.text


def test_a_fine_asked_in_a_comparison_is_the_sentence_that_states_it(index):
    a = answer("擅自开垦湿地，国家湿地保护法和湖南条例按面积罚款的标准有什么不同？", index)
    assert "每平方米五十元以下" in flat(a) and "每平方米三十元" in flat(a), a.text


def test_who_issues_is_not_answered_by_who_may_not(index):
    a = answer("国家湿地保护法规定由谁向社会发布湿地生态预警信息？", index)
    answered(a, "国务院林业草原主管部门")
    assert "其他单位和个人不得" not in a.sentences[0].text, a.text  # the body that does it comes first


def test_a_signal_in_effect_is_not_a_question_about_the_entry_into_force(index):
    assert read_ask("湿地红色预警信号生效期间，游览活动怎么办？").meta_field == ""
    assert read_ask("湖南湿地保护条例什么时候生效？").meta_field == "effective"
    a = answer("湖南湿地生态红色预警信号生效期间，湿地里还能游览吗？", index)
    answered(a, "暂停湿地内的游览活动")


def test_a_follow_up_naming_a_new_situation_keeps_the_previous_short_ask(index):
    first = "江西开采地热水的单位没装计量设施，罚多少钱？"
    a1 = answer(first, index)
    answered(a1, "五千元")
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": a1.text}]
    q = understand("那没申报开采量呢？", history)
    assert "罚多少钱" in q.text and "申报开采量" in q.text, q.text
    answered(answer("那没申报开采量呢？", index, history=history), "二千元")


def test_an_if_follow_up_keeps_the_previous_short_ask(index):
    first = "江西开采地热水的单位没申报开采量，罚多少钱？"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": answer(first, index).text}]
    q = understand("要是没安装计量设施呢？", history)
    assert "罚多少钱" in q.text and "计量设施" in q.text, q.text
    answered(answer("要是没安装计量设施呢？", index, history=history), "五千元")


def test_a_follow_up_modifier_is_said_of_the_whole_word_it_heads():
    history = [{"role": "user", "content": "人工降雨作业的空域由谁去申请？"}, {"role": "assistant", "content": "由气象主管机构申请。"}]
    assert understand("那用飞机作业呢？", history).text.startswith("人工降雨用飞机作业的空域")


@pytest.mark.parametrize(("asked", "written"), [
    ("开荒种庄稼能不能顺着坡种", "开垦种植农作物能不能顺坡种"),
    ("防灾的钱从哪儿出", "防灾的经费来源"),
    ("用没考核合格的器具", "用未经考核合格的器具"),
    ("服刑的家人算不算进去", "服刑的家人是否计入"),
    ("保姆碰到有危险的活儿能不能拒绝", "家政服务人员碰到可能危及人身安全的服务"),
    ("消防车过收费站要不要交过路费", "要不要交车辆通行费"),
    ("合同示范文本是哪个部门定的", "合同示范文本是由哪个部门制定"),
    ("机构没有依法办理设立手续", "机构未依法办理设立手续"),
])
def test_everyday_words_are_read_as_the_texts_write_them(asked, written):
    assert written in in_text_words(asked)
