"""Who does the act asked, and the penalty of the rule asked about: "由哪一级政府来调处" asks who
调处s; "向哪个部门申请" asks the body applied to; "由哪个部门主管" the body that is the 主管部门; a
body naming what it made ("本机构制定的规范") does not 制定 it; a penalty article that names the rule
by number ("违反本条例第六条规定的，…") answers "…怎么处理"; a penalty and its next step go together;
a grant asked is not answered by losses in 元; the definition written "（三）X，即Y，是指…".
Invented regulations of this file's own; the HashEmbedder throughout."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from lang.aspects import asked_term, defines
from lang.figures import figure_tokens, payment_named
from lang.units import asked_act, does_act, enforces
from lang.wording import in_text_words
from tests.answer_checks import answered, flat, texts_index

FOREST_DISPUTES = """# 云南省林地权属争议处理条例

<!-- INFO END -->

第一条 为了公正、及时处理林地权属争议，制定本条例。

第二条 林地权属争议实行分级处理：
（一）个人之间的林地使用权争议由乡（镇）人民政府处理。
（二）单位之间的林地权属争议，由县级人民政府处理。
（三）跨县级行政区域的林地权属争议，由争议双方共同的上一级人民政府处理。

第三条 各级人民政府处理林地权属争议的工作人员在处理工作中成绩显著的，由同级人民政府或者上级人民政府给予表彰。

第四条 申请处理林地权属争议的，当事人应当向争议林地所在地的县级人民政府林业主管部门提交申请书。受理申请的林业主管部门应当在十日内作出是否受理的决定。

第五条 省人民政府林业主管部门是本省林地权属争议处理工作的主管部门，负责全省林地权属争议处理的指导和监督。县级人民政府林业主管部门负责具体工作。

第六条 争议处理协议书示范文本由省林业主管部门会同省司法行政部门制定。鼓励当事人使用示范文本，并将本单位制定的调解规则作为协议的附件。

第七条 在争议林地内不得实施下列行为：
（一）砍伐林木；
（二）修建房屋、道路等设施。

第八条 违反本条例第七条第二项规定的，由县级人民政府林业主管部门责令停止违法行为，处二千元以上一万元以下罚款；经责令仍不改正的，处一万元以上三万元以下罚款。

第九条 县级人民政府应当组织林业、自然资源等部门加强争议林地的日常巡查，及时调处争议林地内修建房屋、道路等设施引发的矛盾。

第十条 擅自在争议林地内砍伐林木的，由县级人民政府林业主管部门没收违法所得；情节严重的，处五千元以上二万元以下罚款。

第十一条 因林地权属争议造成的直接经济损失在五十万元以上的，为重大争议。

第十二条 本条例下列用语的含义：
（一）林地，是指郁闭度零点二以上的乔木林地以及竹林地；
（二）争议林地，即权属不清的林地，是指两个以上当事人对其所有权或者使用权主张权利的林地。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("who_acts"), {"云南林地权属争议.md": FOREST_DISPUTES})


@pytest.mark.parametrize(("question", "act"), [
    ("跨县的争议由哪一级政府来调处？", "调处"),
    ("示范文本是哪个部门定的？", "制定"),
    ("补贴的标准由谁来定？", "制定"),
    ("当事人要向哪个部门申请处理？", "向申请"),
    ("被拒绝了找哪个部门投诉？", "向投诉"),
    ("做了好事找谁去认定？", "认定"),
    ("这项工作由哪个部门主管？", "主管"),
    ("谁来把人带走？", ""),
    ("这项工作谁牵头？", ""),
])
def test_the_act_asked_is_read_past_the_body_and_its_helpers(question, act):
    assert asked_act(question) == act


def test_a_body_naming_what_it_made_does_not_do_the_act():
    assert not does_act("制定", "并将本单位制定的调解规则作为协议的附件")
    assert does_act("制定", "协议书示范文本由省林业主管部门会同省司法行政部门制定")
    assert does_act("制定", "补贴的标准，由省司法行政部门会同同级财政部门，根据当地经济发展水平和服务成本等确定")
    assert does_act("向申请", "当事人应当向争议林地所在地的县级人民政府林业主管部门提交申请书")
    assert not does_act("向申请", "受理申请的林业主管部门应当在十日内作出是否受理的决定")
    assert does_act("主管", "省人民政府林业主管部门是本省林地权属争议处理工作的主管部门")
    assert not does_act("主管", "由县级人民政府林业主管部门责令停止违法行为")
    assert does_act("责令", "由街道办事处责令限期改正")
    assert enforces("责令") and not enforces("制定")


def test_which_level_of_government_settles_is_the_sentence_where_it_does(index):
    a = answer("云南两个县之间跨县级行政区域的林地权属争议，由哪一级政府来处理？", index)
    answered(a, "共同的上一级人民政府")
    assert "表彰" not in flat(a), a.text


def test_the_body_applied_to_is_not_the_one_that_accepts(index):
    a = answer("云南申请处理林地权属争议，当事人要向哪个部门申请？", index)
    answered(a, "县级人民政府林业主管部门提交申请书")


def test_the_competent_body_is_the_one_said_to_be_it(index):
    answered(answer("云南林地权属争议处理工作由哪个部门主管？", index), "省人民政府林业主管部门是本省")


def test_who_made_the_model_text_is_not_the_body_naming_its_own_rules(index):
    a = answer("云南林地争议处理协议书示范文本是哪个部门定的？", index)
    answered(a, "省林业主管部门会同省司法行政部门制定")


def test_a_penalty_article_naming_the_rule_answers_what_happens(index):
    a = answer("云南在争议林地里修建房屋，怎么处理？", index)
    answered(a, "二千元以上一万元以下罚款")


def test_a_penalty_goes_with_its_next_step_and_a_next_step_with_its_penalty(index):
    a = answer("云南在争议林地里修建房屋，罚多少钱？", index)
    answered(a, "二千元以上一万元以下罚款", "一万元以上三万元以下罚款")
    b = answer("云南擅自在争议林地砍伐林木的，罚多少钱？", index)
    answered(b, "五千元以上二万元以下罚款", "没收违法所得")


def test_a_grant_asked_is_not_answered_by_losses_in_yuan(index):
    assert payment_named("每户能补助多少钱？") == "补助|补贴|资助" and payment_named("罚多少钱？") == ""
    a = answer("云南林地权属争议，每户能补助多少钱？", index)
    assert a.refused and a.refusal_reason == "no_figure", a.text


def test_a_definition_written_with_its_other_name_is_found(index):
    assert defines("争议林地", "（二）争议林地，即权属不清的林地，是指两个以上当事人对其主张权利的林地。")
    assert asked_term("条例里“争议林地”这个词原文是怎么界定的？") == "争议林地"
    a = answer("云南林地权属争议处理条例里“争议林地”的原文表述是什么？", index)
    answered(a, "两个以上当事人对其所有权或者使用权主张权利")


def test_ten_thousand_written_as_ten_wan_is_a_figure():
    assert figure_tokens("有不少于十万元的开办资金，惠及千家万户") == ["十万元"]


@pytest.mark.parametrize(("asked", "written"), [
    ("没拿许可就私自开幼儿园", "未取得许可就擅自举办幼儿园"),
    ("对上了年纪的失业人员", "对年龄较大的失业人员"),
    ("在小区里养鸡养鸭", "在小区里饲养家畜家禽"),
    ("路人用AED急救", "路人用自动体外除颤仪急救"),
    ("录像至少得留多少天", "保存"),
    ("造谣说要地震", "制造、散布谣言说要地震"),
    ("律师能不能收当事人的钱", "律师能不能收取当事人的钱"),
    ("遗体能拉到外地去火化吗", "遗体能运往外地去火化吗"),
    ("不小心抓到了野生动物怎么办", "误捕野生动物"),
    ("这种告示算数吗", "这种告示是否有效"),
    ("出海忘了把证带在船上", "出海未将证随船携带"),
    ("把茶地拿去种别的或者挖鱼塘", "改种其他作物或者挖塘养殖"),
    ("公交公司停运不干了", "终止运营"),
    ("车开到半路坏了走不了", "运营中发生故障不能正常行驶"),
])
def test_everyday_words_are_read_in_the_documents_words(asked, written):
    assert written in in_text_words(asked)


def test_a_body_charged_with_a_matter_does_it_and_one_answered_to_does_not():
    assert does_act("监管", "县级以上人民政府应急管理部门对本行政区域内的消防工作实施监督管理")
    assert does_act("监督", "县级林业主管部门负责林地权属争议处理的统一监督管理")
    assert not does_act("监督", "当事人应当依法接受林业主管部门的监督检查")
    assert does_act("养护", "（四）居住区内的古树，养护责任人为业主委托的物业服务企业。")
