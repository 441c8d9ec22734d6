"""Residents' questions in everyday words on regulations of this file's own (invented texts under real
place names): 狗 / 抽烟 / 扔 / 死了 as the texts write them (lang.everyday), "X算不算Y" read as asking
Y's definition, a fee asked is not a fine stated, a unit asked must be stated, the next step of a
penalty follows it, 京沪 is two places and 国家 listed with them the national instrument, who approves
is not who fines, and a follow-up "M的H呢？" replaces the noun H heads. The HashEmbedder throughout."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from tests.answer_checks import answered, flat, texts_index

KAIFENG_DOGS = """# 开封市养犬管理条例

<!-- INFO END -->

第一条 为了规范养犬行为，制定本条例。

第二条 养犬实行登记制度。养犬人应当向所在地的区公安机关申请登记，领取养犬登记证。

第三条 携犬出户的，应当为犬只束犬链，犬链长度不得超过一点五米。禁止携犬乘坐公共汽车和城市轨道交通。

第四条 犬只死亡的，养犬人应当将犬尸深埋或者送交无害化处理场所，不得随意遗弃。

第五条 伪造、买卖养犬登记证的，由公安机关处二千元罚款。

第六条 本条例所称烈性犬，是指经鉴定具有攻击性的犬只，不包括警用犬和导盲犬。
"""
KAIFENG_SMOKE = """# 开封市控制吸烟条例

<!-- INFO END -->

第一条 为了控制吸烟，制定本条例。

第二条 本条例所称吸烟，是指吸入、呼出烟草烟雾或者电子烟气雾的行为。

第三条 在禁止吸烟场所吸烟的，由卫生健康主管部门责令改正，可以处五十元罚款；拒不改正的，处二百元罚款。

第四条 经营者未在禁止吸烟场所设置禁烟标识的，由卫生健康主管部门责令限期改正；逾期不改正的，处二千元以上一万元以下罚款。
"""
KAIFENG_FIREWORKS = """# 开封市烟花爆竹燃放管理条例

<!-- INFO END -->

第一条 为了加强烟花爆竹燃放管理，制定本条例。

第二条 春节期间，限制燃放区域内可以燃放烟花爆竹的时间为农历除夕至正月初五。

第三条 燃放烟花爆竹产生的噪声应当符合国家标准，不得干扰居民正常生活。
"""
NATIONAL_PARKS = """# 城市公园条例

<!-- INFO END -->

第一条 为了加强城市公园管理，制定本条例。

第二条 擅自砍伐公园树木的，由园林绿化主管部门处每株五千元罚款。
"""
BEIJING_PARKS = """# 北京市公园条例

<!-- INFO END -->

第一条 为了加强公园管理，制定本条例。

第二条 因重大工程确需占用公园绿地的，应当向区园林绿化部门提出申请。区园林绿化部门应当自受理之日起十日内提出意见，并报市人民政府批准。

第三条 擅自砍伐公园树木的，由园林绿化部门处每株一万元罚款。
"""
SHANGHAI_PARKS = """# 上海市公园管理条例

<!-- INFO END -->

第一条 为了加强公园管理，制定本条例。

第二条 擅自砍伐公园树木的，由绿化管理部门处每株二万元罚款。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("everyday"), {
        "开封养犬.md": KAIFENG_DOGS, "开封控烟.md": KAIFENG_SMOKE, "开封烟花.md": KAIFENG_FIREWORKS, "公园条例.md": NATIONAL_PARKS,
        "北京公园.md": BEIJING_PARKS, "上海公园.md": SHANGHAI_PARKS})


@pytest.mark.parametrize(("question", "said"), [
    ("开封家里狗死了，能直接扔垃圾桶里吗？", "不得随意遗弃"),
    ("在开封遛狗能带狗坐地铁吗？", "禁止携犬乘坐"),
    ("开封遛狗的时候狗绳最长能多长？", "一点五米"),
])
def test_everyday_words_find_the_clause_that_says_it_in_the_texts_words(index, question, said):
    answered(answer(question, index), said)


def test_is_x_a_y_is_answered_by_what_y_is_defined_as(index):
    a = answer("开封控烟条例里，抽电子烟算不算吸烟？", index)
    answered(a, "电子烟气雾")
    b = answer("开封的导盲犬算不算烈性犬？", index)
    answered(b, "不包括警用犬和导盲犬")


def test_a_fee_asked_is_not_answered_by_a_fine(index):
    a = answer("开封办养狗登记证，每年要交多少管理费？", index)
    assert a.refused and a.refusal_reason == "no_figure", a.text
    assert not answer("开封伪造养犬登记证罚多少钱？", index).refused


def test_a_unit_asked_must_be_stated(index):
    a = answer("开封携犬出户，犬链长度不得超过多少公里？", index)
    assert a.refused and a.refusal_reason == "no_figure", a.text
    answered(answer("开封携犬出户，犬链长度不得超过多少米？", index), "一点五米")


def test_a_penalty_comes_with_its_next_step_and_not_another_articles_next_step(index):
    a = answer("开封在禁烟的地方抽烟，罚款是多少钱？", index)
    answered(a, "五十元", "二百元")
    assert "二千元以上一万元" not in flat(a)  # the step after another article's penalty (经营者)


def test_two_one_character_places_and_the_nation_listed_with_them_are_compared(index):
    a = answer("擅自砍伐公园树木，国家条例和京沪条例分别怎么罚？", index)
    titles = {c.title for c in a.citations}
    assert {"城市公园条例", "北京市公园条例", "上海市公园管理条例"} <= titles, a.text
    b = answer("擅自砍伐公园树木，国家、北京、上海分别怎么罚？", index)
    assert {"城市公园条例", "北京市公园条例", "上海市公园管理条例"} <= {c.title for c in b.citations}, b.text


def test_who_approves_is_the_body_that_approves_not_the_one_that_fines(index):
    a = answer("北京占用公园绿地找谁审批？", index)
    answered(a, "市人民政府批准")
    assert "罚款" not in flat(a)


def test_a_follow_up_names_another_kind_of_the_thing_asked_about(index):
    first = "北京要占用公园绿地，找谁审批？"
    a1 = answer(first, index)
    a2 = answer("重大工程的公园绿地呢？", index, history=[{"role": "user", "content": first},
                                                   {"role": "assistant", "content": a1.text}])
    assert "重大工程的公园绿地" in a2.resolved_question and "占用" in a2.resolved_question, a2.resolved_question


@pytest.mark.parametrize("question", ["开封春节期间每天几点到几点可以放鞭炮？", "开封放鞭炮的噪声不能超过多少分贝？"])
def test_a_time_of_day_or_a_decibel_figure_asked_must_be_stated(index, question):
    a = answer(question, index)
    assert a.refused and a.refusal_reason == "no_figure", a.text
