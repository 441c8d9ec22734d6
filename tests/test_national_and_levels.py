"""Naming the national instrument by its issuer and an abbreviated subject ("国务院绿化条例"), levels of
government in follow-ups ("县级的呢？"), who sets a rule when the law names the body as the subject
of its sentence, and prepositions that are not part of a place name. Documents of this file's own
(invented texts under real place names); the HashEmbedder, since the model is not the point."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from tests.answer_checks import answered, flat, texts_index

NATIONAL = """# 城市绿化条例

<!-- INFO END -->

第一条 为了促进城市绿化事业的发展，制定本条例。

第二条 国务院城市建设行政主管部门主管全国城市绿化工作。

第三条 擅自砍伐城市树木的，由城市人民政府城市绿化行政主管部门责令停止侵害，可以并处每株二千元以下罚款。

第四条 本条例自1992年8月1日起施行。
"""
LUOYANG = """# 洛阳市城市绿化条例

<!-- INFO END -->

第一条 为了加强城市绿化管理，根据《城市绿化条例》，制定本条例。

第二条 市园林绿化主管部门应当会同市自然资源主管部门制定古树名木养护技术规范，明确养护标准和巡查要求。

第三条 省级和设区的市建设的综合性公园应当达到一级公园建设标准。县（市、区）建设的综合性公园应当达到二级公园以上建设标准。

第四条 擅自砍伐城市树木的，由园林绿化主管部门责令停止侵害，处每株五千元以上一万元以下罚款。

第五条 违反本条例第二条规定，养护单位未按古树名木养护技术规范养护的，由园林绿化主管部门责令改正，可以处一千元以上五千元以下罚款。

第六条 本条例自2021年1月1日起施行。
"""
NANYANG = """# 南阳市城市绿化条例

<!-- INFO END -->

第一条 为了加强城市绿化管理，制定本条例。

第二条 擅自砍伐城市树木的，由城市绿化行政主管部门处每株三千元罚款。

第三条 本条例自2019年5月1日起施行。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("greening"),
                       {"城市绿化条例.md": NATIONAL, "洛阳市城市绿化条例.md": LUOYANG, "南阳市城市绿化条例.md": NANYANG})


def _titles(a) -> set[str]:
    return {c.title for c in a.citations}


@pytest.mark.parametrize("how", ["国务院绿化条例", "国家层面的绿化条例", "国家的城市绿化条例"])
def test_the_national_instrument_named_by_issuer_and_subject_is_compared_too(index, how):
    a = answer(f"擅自砍伐城市树木，{how}和洛阳条例分别怎么罚？", index)
    assert not a.refused, a.text
    assert {"城市绿化条例", "洛阳市城市绿化条例"} <= _titles(a), a.text
    assert "南阳市城市绿化条例" not in _titles(a)
    assert "二千元" in flat(a) and "五千元以上一万元" in flat(a)


def test_who_sets_a_rule_is_the_body_whose_sentence_sets_it_not_the_penalty_for_breaking_it(index):
    a = answer("洛阳的古树名木养护技术规范由谁来定？", index)
    answered(a, "市园林绿化主管部门", "市自然资源主管部门")
    assert "罚款" not in flat(a)


def test_a_level_follow_up_replaces_the_levels_the_previous_question_named(index):
    first = "洛阳条例里，省里和地级市建的综合性公园要达到啥标准？"
    a1 = answer(first, index)
    a2 = answer("县级的呢？", index, history=[{"role": "user", "content": first}, {"role": "assistant", "content": a1.text}])
    assert "县级" in a2.resolved_question and "地级市" not in a2.resolved_question, a2.resolved_question
    answered(a2, "二级公园")


def test_a_preposition_before_a_county_word_is_not_read_as_a_place(index):
    a = answer("江苏省城市绿化条例对县里建的公园有什么要求？", index)
    assert a.refused and a.refusal_reason == "unknown_place"
    assert "未涵盖江苏省（" in a.text, a.text  # 江苏省 alone: not 江苏省、例对县


def test_a_comparison_of_provisions_is_not_answered_by_the_title_blocks(tmp_path):
    """"审定通过的品种" is a thing the provisions govern, not a question about when the documents were adopted."""
    head = "# {city}市种子条例\n\n2021年3月1日 {city}市人民代表大会常务委员会第九次会议通过\n\n<!-- INFO END -->\n\n"
    a_text = head.format(city="洛阳") + "第一条 为了规范种子管理，制定本条例。\n\n第二条 引进外省审定通过的主要农作物品种的，应当向市农业农村部门备案。\n"
    b_text = head.format(city="南阳") + "第一条 为了规范种子管理，制定本条例。\n\n第二条 引种外省审定通过的品种，引种者应当进行适应性试验。\n"
    index = texts_index(tmp_path, {"洛阳种子.md": a_text, "南阳种子.md": b_text})
    a = answer("把外省审定通过的品种引到洛阳或南阳种，两地的要求有啥区别？", index)
    assert not a.refused, a.text
    assert "会议通过" not in flat(a), a.text
    assert "备案" in flat(a) and "适应性试验" in flat(a)
