"""A provision's day is not the document's date ("哪一天定为全民健身日", "优先发展" is not "先发"), a count
of documents is not a title ("三个公交条例"), the title block is not a provision, a comparison of
penalties keeps the other branch of a fine ("没有违法所得的，处…"), and a follow-up about "这几样证"
carries the things the previous turn named. Invented regulations of this file's own; the HashEmbedder."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from query import understand
from query.asks import read_ask
from tests.answer_checks import answered, flat, texts_index

NATIONAL_FERRIES = """# 城市轮渡条例

2001年3月1日 国务院第三十五次常务会议通过 2019年3月2日 修订

<!-- INFO END -->

第一条 为了规范城市轮渡运营，制定本条例。

第二条 国家实施城市轮渡优先发展战略，在规划、土地、财政等方面给予支持。

第三条 每年6月6日为轮渡安全日。

第四条 轮渡船舶应当随船携带船舶检验证书、船舶国籍证书和营运证。

第五条 轮渡企业以外的单位或者个人擅自从事轮渡运营的，由交通运输主管部门责令停止运营，没收违法所得，并处违法所得1倍以上5倍以下的罚款；没有违法所得或者违法所得不足1万元的，处1万元以上5万元以下的罚款。

第六条 违反本条例第四条规定，未随船携带证书的，由交通运输主管部门处二千元以上一万元以下罚款。

第七条 轮渡企业擅自变更航线、停靠码头的，由交通运输主管部门责令改正；拒不改正的，处1万元以上5万元以下的罚款。轮渡企业擅自中断运营服务的，由交通运输主管部门责令改正；拒不改正的，处5万元以上20万元以下的罚款。

第八条 遇有恶劣天气，轮渡企业可以暂停航行。每年的轮渡禁航期由市人民政府根据水文情况确定并公布。
"""
LOCAL_FERRIES = """# 宜昌市城市轮渡条例

<!-- INFO END -->

第一条 为了规范本市城市轮渡运营，制定本条例。

第二条 未取得经营许可擅自从事轮渡运营的，由市交通运输主管部门没收违法所得，并处一万元以上三万元以下罚款。

第三条 轮渡码头应当设置候船设施。
"""
THIRD_FERRIES = """# 九江市城市轮渡条例

<!-- INFO END -->

第一条 为了规范本市城市轮渡运营，制定本条例。

第二条 擅自从事轮渡运营的，由市交通运输主管部门责令停止运营，处五千元以上二万元以下罚款。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return texts_index(tmp_path_factory.mktemp("ferries"), {
        "城市轮渡条例.md": NATIONAL_FERRIES, "宜昌轮渡.md": LOCAL_FERRIES, "九江轮渡.md": THIRD_FERRIES})


def test_a_day_a_provision_sets_is_not_the_documents_date(index):
    assert read_ask("城市轮渡条例把每年的哪一天定为轮渡安全日？").meta_field == ""
    assert read_ask("城市轮渡条例第二条关于轮渡优先发展战略，原话是怎么写的？").meta_field == ""
    assert read_ask("两个条例哪个先发的？").meta_field == "date"
    answered(answer("城市轮渡条例把每年的哪一天定为轮渡安全日？", index), "6月6日")


def test_an_article_asked_with_its_topic_is_quoted(index):
    answered(answer("城市轮渡条例第二条关于轮渡优先发展战略，条文原话是怎么写的？", index), "优先发展战略")


def test_the_title_block_is_not_what_a_revised_law_provides(index):
    a = answer("新修订的城市轮渡条例对擅自从事轮渡运营是怎么规定的？", index)
    assert not a.refused and "常务会议通过" not in flat(a), a.text


def test_a_count_of_documents_is_not_an_unknown_title(index):
    a = answer("擅自从事轮渡运营，国家、宜昌、九江三个轮渡条例分别怎么罚？", index)
    answered(a, "一万元以上三万元以下", "五千元以上二万元以下")


def test_a_compared_fine_keeps_its_other_branch(index):
    a = answer("擅自从事轮渡运营，国家城市轮渡条例和宜昌条例分别怎么罚？", index)
    answered(a, "1万元以上5万元以下", "一万元以上三万元以下")


def test_a_follow_up_about_those_things_carries_what_the_last_turn_named(index):
    history = [{"role": "user", "content": "城市轮渡条例对轮渡船舶的证书有什么要求？"},
               {"role": "assistant", "content": "轮渡船舶应当随船携带船舶检验证书、船舶国籍证书和营运证。"}]
    q = understand("要是出海忘了把这几样证带在船上，会怎么罚？", history)
    assert "证书" in q.text, q.text
    answered(answer("要是出海忘了把这几样证带在船上，会怎么罚？", index, history=history), "二千元以上一万元以下")


def test_a_fine_for_refusing_to_correct_is_the_one_after_the_rule_asked(index):
    a = answer("城市轮渡条例规定，轮渡企业擅自中断运营服务，不改的话罚多少？", index)
    answered(a, "5万元以上20万元以下")
    assert "1万元以上5万元以下" not in flat(a), a.text


def test_a_calendar_day_asked_and_not_stated_is_refused(index):
    a = answer("城市轮渡条例规定的禁航期具体是从几月几号到几月几号？", index)
    assert a.refused and a.refusal_reason == "no_figure", a.text
