"""Questions worded unlike their answer are answered; near misses stay refused (issue 12).

On fixture documents of this file's own (a county plan forwarded by a notice, with a preamble
basis sentence and numbered items; a provincial 办法 in 第X条): the basis asked as 上位依据 /
按哪份文件定的, the last provision asked as 收尾的那一条, a spoken question whose word seams
(里跟, 建个) the collection never writes, a number of days asked where the text states months,
a sum of money asked as 多少财政资金. The whole answer path runs with the HashEmbedder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from answer_checks import answered, fixture_index

from chatbot.answer import answer
from chatbot.sentences import idf_weights
from lang.figures import has_days, has_figure
from lang.words import unseen_bigrams
from query.asks import read_ask

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "phrasing"


@pytest.fixture(scope="module")
def index():
    built = fixture_index(FIXTURES, 3)
    assert len(built.metas) == 3
    return built


@pytest.mark.parametrize("question", [
    "海原那个方案的上位依据是什么文件？",
    "海原的提升方案是按自治区哪份文件定的？",
    "海原县出台这个提升方案，是为了落实哪份上级文件？",
])
def test_the_basis_asked_in_other_words_is_the_basis_sentence_cited_first(index, question):
    a = answer(question, index)
    answered(a, "宁夏回族自治区青少年科技教育三年行动计划", "宁政办发〔2023〕45号")
    cited = a.citations[0].clause_id
    assert cited.endswith("/p0") or "preamble" in cited or cited == a.retrieved[0]["clause_id"]
    assert a.retrieved[0]["clause_id"] == cited  # found by reading the document: reported first


def test_the_basis_of_a_regulation_and_its_entry_into_force(index):
    answered(answer("青海湿地补助办法的上位法依据是什么？", index), "青海省湿地保护条例")
    answered(answer("青海湿地补助办法是哪天开始生效的？", index), "2024年7月1日")


@pytest.mark.parametrize("question", ["海原方案收尾的那一条讲的是什么？", "海原的提升方案最后一项是关于什么的？"])
def test_the_last_provision_is_read_at_the_end_of_the_document(index, question):
    a = answer(question, index)
    answered(a, "强化督导评估")
    assert a.retrieved[0]["clause_id"] == a.citations[0].clause_id


def test_the_last_article_of_a_regulation(index):
    answered(answer("青海湿地补助办法最后一条是什么内容？", index), "2024年7月1日")


def test_seams_of_a_spoken_question_weigh_as_common_words():
    written = {"方案", "航天", "场馆", "建设", "科普"}
    seams = unseen_bigrams(["方案里跟航天有关要建个什么场馆"], written)
    assert {"里跟", "跟航", "建个"} <= set(seams)
    assert "起征" not in unseen_bigrams(["个人所得税的起征点"], written)  # an absent term is no seam
    w = idf_weights({"航天", "跟航", "起征"}, ["建设航天科普体验馆", "组织学生参观", "开放实验室"], seams)
    assert w["跟航"] == 1.0 < w["起征"]


def test_a_spoken_question_is_answered_from_the_clause_it_is_about(index):
    a = answer("海原方案里跟航天有关要建个啥场馆", index)
    answered(a, "航天科普体验馆")


def test_days_asked_where_the_text_states_months_is_refused(index):
    a = answer("在湿地保护区搞生态养殖的，经营满几天才能申请补助？", index)
    assert a.refused and a.refusal_reason == "no_figure", a.text
    answered(answer("林草部门收到补助申请以后几天内要审核完？", index), "十五日")


@pytest.mark.parametrize("question", [
    "海原方案给每所学校补贴多少钱？",
    "海原县每年给青少年科技教育安排多少财政资金？",
    "海原方案对校车安全是怎么规定的？",
])
def test_near_misses_stay_refused(index, question):
    a = answer(question, index)
    assert a.refused, a.text


def test_the_lexicon():
    assert read_ask("每年给家庭教育基金安排多少财政资金？").unit == "元"
    assert read_ask("一年能休几天年休假？").unit == "日"
    assert not has_figure("为深入贯彻党的二十大精神，落实十九届五中全会部署")
    assert has_figure("实施五大工程")
    assert has_days("自收到补助申请之日起十五日内") and not has_days("于5月16日前报送") and not has_days("满六个月以上")
