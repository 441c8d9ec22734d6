"""县道 / 乡道 are classes of road, not places, and "那乡道和村道呢？" swaps both in for 县道; a penalty naming
its rule by number brings the rule next to it; a compared provision reads on to the sentence that answers
("…应当在接到查询后三日内书面答复"); the body asked is not the act asked ("由哪一级政府负责"); 老字号 is not a 文号;
utilities and vehicles in everyday words. Invented regulations of this file's own; the HashEmbedder."""

from __future__ import annotations

import re

import pytest

from chatbot.answer import answer
from chatbot.retrieval import known_of
from lang.units import asked_act
from lang.wording import in_text_words, wording
from query import understand
from query.asks import read_ask
from tests.answer_checks import answered, flat, texts_index

RURAL_ROADS = """# 江西省农村公路条例

<!-- INFO END -->

第一条 为了加强农村公路的建设、养护和管理，制定本条例。

第二条 县级人民政府负责本行政区域内农村公路的发展工作。省人民政府交通运输主管部门应当加强对农村公路工作的指导。

第十条 县道的日常养护由县级农村公路管理机构组织实施；乡道、村道的日常养护由乡（镇）人民政府组织实施。

第十一条 有下列行为之一的，由县级交通运输主管部门责令改正，对单位处五千元以上二万元以下罚款，对个人处二百元以上一千元以下罚款：
（一）擅自占用、挖掘农村公路的；
（二）在农村公路上打场晒粮、堆放物品的；
（三）向农村公路排水沟倾倒垃圾的。

第十二条 禁止在农村公路上打场晒粮、堆放物品。禁止向农村公路排水沟倾倒垃圾。
"""
NINGDE_WATER = """# 宁德市城市供水条例

<!-- INFO END -->

第一条 为了加强城市供水管理，制定本条例。

第九条 建设工程开工前，建设单位应当向供水企业查明地下供水管线情况。供水企业应当在接到查询后三日内书面答复。

第十条 供水企业应当保持不间断供水。
"""
PUTIAN_WATER = """# 莆田市城市供水条例

<!-- INFO END -->

第一条 为了加强城市供水管理，制定本条例。

第九条 建设工程开工前，建设单位应当向供水企业查询施工范围内的地下供水管线。供水企业应当及时提供相关资料。

第十条 供水企业应当建立水质检测制度。
"""
LIBRARIES = """# 南平市公共图书馆条例

<!-- INFO END -->

第一条 为了促进公共图书馆事业发展，制定本条例。

第五条 公共图书馆应当自取得登记证书之日起三个月内向公众开放。

第二十条 公共图书馆自取得登记证书之日起三个月内未向公众开放的，由文化主管部门责令改正；拒不改正的，由登记管理机关撤销登记。
"""
NATIONAL_GAS = """# 城镇燃气管理条例

<!-- INFO END -->

第一条 为了加强城镇燃气管理，制定本条例。

第三条 燃气工作应当坚持统筹规划、保障安全、确保供应、规范服务、节能高效的原则。
"""
FUZHOU_GAS = """# 福州市燃气管理条例

<!-- INFO END -->

第一条 为了加强本市燃气管理，制定本条例。

第三条 燃气工作遵循统筹规划、保障安全、确保供应、规范服务、方便用户的原则。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("roads"), {
        "江西农村公路.md": RURAL_ROADS, "宁德供水.md": NINGDE_WATER, "莆田供水.md": PUTIAN_WATER,
        "南平图书馆.md": LIBRARIES, "城镇燃气.md": NATIONAL_GAS, "福州燃气.md": FUZHOU_GAS})


def two_turns(index, first: str, then: str):
    """The answers to ``first`` and to the follow-up ``then`` asked after it."""
    a1 = answer(first, index)
    return a1, answer(then, index, history=[{"role": "user", "content": first}, {"role": "assistant", "content": a1.text}])


def test_a_road_class_is_not_an_unknown_place_and_sibling_classes_swap_in_together(index):
    first = "江西省农村公路条例规定县道的日常养护由谁来组织？"
    q = understand(first, None, known_of(index))
    assert q.regions == ("江西省",) and not q.unknown_places, (q.regions, q.unknown_places)
    _, a2 = two_turns(index, first, "那乡道和村道呢？")
    assert "乡道和村道的日常养护" in a2.resolved_question, a2.resolved_question
    answered(a2, "乡（镇）人民政府组织实施")
    assert "未涵盖" not in flat(a2), a2.text


def test_a_compared_provision_reads_on_to_the_sentence_that_answers(index):
    a = answer("工地开工前查地下供水管线，宁德和莆田的供水条例对供水企业的答复分别怎么规定？", index)
    answered(a, "三日内书面答复", "及时提供相关资料")


def test_a_follow_up_about_breaking_the_last_rule_asks_its_penalty(index):
    a1, a2 = two_turns(index, "南平图书馆条例规定，图书馆拿到登记证书以后多久之内要对公众开放？", "那过了期限还不开放会怎么样？")
    answered(a1, "三个月内")
    assert "登记证书" in a2.resolved_question and "多久" not in a2.resolved_question, a2.resolved_question
    answered(a2, "撤销登记")


def test_the_same_ask_of_another_document_with_an_ask_of_its_own(index):
    a1, a2 = two_turns(index, "国务院《城镇燃气管理条例》里燃气工作要坚持哪些原则？", "那福州的燃气条例呢？有没有多出来什么原则？")
    answered(a1, "节能高效")
    assert "燃气工作" in a2.resolved_question and "《》" not in a2.resolved_question, a2.resolved_question
    answered(a2, "方便用户")
    assert {c.title for c in a2.citations} == {"福州市燃气管理条例"}, a2.text


def test_a_new_situation_is_not_a_sibling_of_the_last_turns_words():
    history = [{"role": "user", "content": "图书馆拿到登记证书以后多久之内要对公众开放？"},
               {"role": "assistant", "content": "应当自取得登记证书之日起三个月内向公众开放。"}]
    assert "要要是" not in understand("要是不开放呢？", history).text


def test_the_body_asked_is_not_the_act_asked():
    scored = understand("房屋征收与补偿工作由哪一级政府负责？", None).scored  # 负责 is read as the unit asked
    assert "负责" not in scored and asked_act(scored) == "", scored
    assert asked_act("由哪级人民政府批准？") == "批准"


def test_an_old_trade_name_is_not_a_document_number():
    assert read_ask("上海的老字号企业的传统手艺有什么扶持？").meta_field == ""
    assert read_ask("这份通知的发文字号是什么？").meta_field == "doc_number"


@pytest.mark.parametrize(("asked", "written"), [
    ("电梯关人了，维保单位多长时间内要赶到？", "困人"),
    ("电梯关人了，维保单位多长时间内要赶到？", "维护保养"),
    ("在家里倒煤气罐残液罚多少钱？", "瓶装燃气"),
    ("个人能不能搞管道燃气的经营？", "从事管道燃气"),
    ("城市水价怎么定？请比较上海市供水管理条例和青岛市城市供水条例", "供水管理条例"),
    ("平时能不能随便用消防栓里的水？", "消火栓（消防供水设施）"),
    ("自来水公司因为修设备要停水，得提前多久通知？", "停止供水"),
    ("自来水公司因为修设备要停水，得提前多久通知？", "供水企业"),
    ("大货车司机扣满十二分要学习几天？", "大型货车驾驶人"),
    ("大货车司机扣满十二分要学习几天？", "记分满"),
    ("驾照被扣了怎么办？", "机动车驾驶证"),
    ("小微企业要不要建应急救援队伍？", "小型企业或者微型企业"),
    ("博物馆能不能做文物买卖生意？", "商业经营活动"),
    ("房子被征收，是先拿补偿还是先搬走？", "房屋"),
    ("房子被征收，是先拿补偿还是先搬走？", "搬迁"),
])
def test_utilities_vehicles_houses_and_trade_are_read_in_the_documents_words(asked, written):
    assert written in in_text_words(asked)


def test_within_how_long_is_answered_in_minutes_or_hours_as_well_as_days():
    _, marks = wording("维保单位必须多长时间内赶到？")
    assert any(re.search(m, "应当在三十分钟内赶到现场") for m in marks), marks


def test_a_penalty_naming_its_rule_by_number_brings_the_rule_next_to_it():
    from chatbot.retrieval import with_rules
    from index.types import Hit
    from ingest.types import Clause, DocMeta

    texts = {"第二十八条": "第二十八条 燃气用户不得实施下列行为：（一）盗用燃气；（二）倾倒燃气残液。",
             "第四十九条": "第四十九条 违反本条例规定，销售不合格燃气器具的，可处以一万元以下罚款。",
             "第五十条": "第五十条 违反本条例规定，有第二十八条规定行为之一的，由燃气行政主管部门责令改正，给予警告；"
                        "逾期不改正的，对个人用户可处以五百元以下罚款。"}
    clauses = [Clause(f"g#0/{k}", "g#0", "g.md", k, [], t) for k, t in texts.items()]
    meta = DocMeta("g#0", "g.md", title="福建省燃气管理条例")

    class Index:
        def doc_clauses(self, doc_id):
            return clauses

    hits = [Hit.of_clause(clauses[2], meta, 1.0), Hit.of_clause(clauses[1], meta, 0.9)]
    out = with_rules(Index(), hits)
    assert [h.clause.section_path for h in out] == ["第五十条", "第二十八条", "第四十九条"]
    assert with_rules(Index(), [Hit.of_clause(clauses[1], meta, 1.0)])[0].clause.section_path == "第四十九条"
