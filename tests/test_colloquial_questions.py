"""Questions in everyday words, abbreviations and elliptical follow-ups on documents of this file's
own (issue 12: answers that hold on phrasings nobody tuned for). The whole answer path runs with the
HashEmbedder, so what is checked is the query stage and the composer, not the model."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from tests.answer_checks import answered, texts_index

HUBEI = """# 湖北省实施《中华人民共和国水产养殖技术推广法》办法

<!-- INFO END -->

第一条 为了推广水产养殖技术，根据《中华人民共和国水产养殖技术推广法》，结合本省实际，制定本办法。

第二条 各级人民政府应当设立水产养殖技术推广专项资金，用于水产养殖技术推广项目。

水产养殖技术推广专项资金，从财政当年支渔支出中安排和从渔业发展基金中按一定比例提取。

第三条 渔民经有关部门培训考核合格后，可以取得技术等级证书。

第四条 水产养殖技术推广站每周向渔民开放的咨询时间不少于20小时。每年开展流动服务车下乡服务活动不少于10场次。

第五条 实施专项检查，检查组应当在检查结束后五日内向被检查单位反馈初步意见。实施综合检查，检查组应当在检查结束后十日内向被检查单位书面反馈初步意见。

第六条 建设水产养殖技术展示基地，开展线上培训。

第七条 推广站开展线上培训，运用好“渔技通”“水产云课堂”等平台。

第八条 保障推广经费投入（省财政厅、省农业农村厅按职责分工负责）。

第九条 本办法自2020年3月1日起施行。
"""
HUNAN = """# 湖南省实施《中华人民共和国水产养殖技术推广法》办法

<!-- INFO END -->

第一条 为了推广水产养殖技术，制定本办法。

第二条 县级以上人民政府应当设立水产养殖技术推广专项资金。其资金的来源：（一）财政专项安排的推广资金；（二）渔业发展基金中用于技术推广的部分。

第三条 本办法自2019年1月1日起施行。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("fishery"), {"湖北办法.md": HUBEI, "湖南办法.md": HUNAN})


def test_an_abbreviation_the_documents_never_write_is_spelled_out_from_their_titles(index):
    a = answer("湖北渔民参加水养技术培训、考核过关以后能拿到什么证？", index)
    assert "水产养殖技术" in a.understood
    assert not a.refused, a.text
    assert "技术等级证书" in a.text


def test_everyday_units_and_at_least_are_read_as_the_documents_write_them(index):
    answered(answer("湖北的推广站一个礼拜起码得开放几个钟头？", index), "20小时")


def test_where_money_comes_from_is_answered_by_each_documents_source_sentence(index):
    a = answer("水养技术推广专项资金的钱从哪儿来？湖北和湖南对比一下。", index)
    assert not a.refused, a.text
    assert "支渔支出" in a.text and "渔业发展基金" in a.text


def test_a_sibling_named_in_a_follow_up_replaces_its_sibling_in_the_previous_question(index):
    first = "湖北搞专项检查，检查完了多少天内要把初步意见反馈给被检查单位？"
    a1 = answer(first, index)
    assert "五日" in a1.text
    a2 = answer("综合检查呢？", index, history=[{"role": "user", "content": first},
                                           {"role": "assistant", "content": a1.text}])
    assert "综合检查" in a2.resolved_question and "专项检查" not in a2.resolved_question
    assert not a2.refused and "十日" in a2.text


def test_when_a_document_starts_to_apply_is_its_entry_into_force(index):
    answered(answer("湖南这个办法是从哪天起开始实施的？", index), "2019年1月1日")


FIRE = """# 江西省实施《中华人民共和国消防法》办法

<!-- INFO END -->

第一条 为了预防火灾，根据《中华人民共和国消防法》，制定本办法。

第二条 禁止在建筑物的楼梯间、疏散走道停放电动自行车或者为电动自行车充电。

第三条 违反本办法第二条规定，在建筑物的楼梯间、疏散走道停放电动自行车或者为电动自行车充电的，由消防救援机构责令改正；拒不改正的，对个人处五百元以上一千元以下罚款。

第四条 重大火灾事故由县级以上人民政府应急管理部门组织调查；其他火灾事故由消防救援机构调查。

第五条 本办法自2021年5月1日起施行。
"""
MUSEUM = """# 九江市博物馆条例

<!-- INFO END -->

第一条 为了加强博物馆管理，制定本条例。

第二条 本条例自2022年10月1日起施行。
"""


@pytest.fixture(scope="module")
def laws(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("fire"), {"江西消防办法.md": FIRE, "九江博物馆条例.md": MUSEUM})


def _follow(index, first: str, then: str):
    a1 = answer(first, index)
    return a1, answer(then, index, history=[{"role": "user", "content": first}, {"role": "assistant", "content": a1.text}])


def test_a_short_name_with_the_words_of_a_held_title_in_another_order_names_it(laws):
    a = answer("江西消防实施办法第2条的原文是什么？", laws)
    assert not a.refused, a.text
    assert "楼梯间" in a.text and a.citations[0].section_path.endswith("第二条")


def test_a_penalty_after_the_rule_is_said_without_restating_the_rule(laws):
    _, a = _follow(laws, "江西消防办法管不管在楼道里给电瓶车充电？", "违反了怎么罚？")
    assert not a.refused, a.text
    assert "违反本办法第二条规定的，由消防救援机构责令改正" in a.text and "五百元以上一千元以下罚款" in a.text


def test_a_follow_up_naming_only_another_document_asks_it_the_same_question(laws):
    _, a = _follow(laws, "江西消防办法是哪天开始施行的？", "那九江的博物馆条例呢？")
    assert "施行" in a.resolved_question and "博物馆条例" in a.resolved_question
    assert not a.refused and "2022年10月1日" in a.text


def test_who_does_the_act_asked_is_the_body_named_doing_it(laws):
    answered(answer("江西重大火灾事故由谁来组织调查？", laws), "应急管理部门")


def test_a_count_asked_in_one_kind_of_thing_is_not_answered_by_a_count_of_another(index):
    a = answer("湖北的推广站一共配了几辆流动服务车？", index)
    assert a.refused and a.refusal_reason == "no_figure", a.text


def test_a_tables_header_row_does_not_name_the_unit_responsible(tmp_path):
    form = "某市科技工作任务分解表\n\n序号\t省方案任务\t我市贯彻落实意见\t责任单位\t配合单位\t备注\n"
    idx = texts_index(tmp_path, {"分解表.txt": form})
    a = answer("某市任务分解表里第一项任务的责任单位是谁？", idx)
    assert a.refused, a.text
    assert not answer("某市任务分解表要填哪些栏目？", idx).refused


def test_a_tables_columns_and_a_draft_mark_are_read_from_the_document(tmp_path):
    plan = ("某县全民科学素质行动实施方案\n（征求意见稿）\n\n一、总体要求\n到2025年，全县公民具备科学素质的比例达到12%。\n")
    form = "某县科普任务分解表\n\n序号\t任务\t责任单位\t完成时限\t备注\n1\t建设科普e站\t县科协\t2024年底\t\n"
    idx = texts_index(tmp_path, {"方案.txt": plan, "分解表.txt": form})
    a = answer("某县任务分解表要填哪几栏？", idx)
    assert not a.refused and "序号、任务、责任单位、完成时限、备注" in a.text, a.text
    b = answer("某县这个实施方案是正式印发稿吗？", idx)
    assert not b.refused and "征求意见稿" in b.text, b.text


def test_where_something_is_to_be_built_is_refused_when_no_place_is_named(index):
    a = answer("湖北的水产养殖技术展示基地准备建在哪个市？", index)
    assert a.refused, a.text


def test_names_asked_are_the_quoted_ones_and_which_units_is_a_responsibility(index):
    answered(answer("湖北推广站搞线上培训用的是哪几个平台？", index), "渔技通")
    answered(answer("湖北推广经费保障是哪几家负责的？", index), "省财政厅")
