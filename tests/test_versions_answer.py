"""Answers use the version in force, mention the earlier wording, and carry every document's status."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.answer import answer
from chatbot.cite import render_answer
from chatbot.config import AnswerConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.parse import parse_text
from ingest.pipeline import ingest_paths

FIX = Path(__file__).parent / "fixtures"
TODAY = AnswerConfig(today="2026-12-03")

# another shape: a provincial regulation revised (parenthesised adoption note, then a header history)
OLD = """江北省科学技术普及条例

（2004年7月30日江北省第十届人民代表大会常务委员会第十次会议通过）

第一条　为了加强科学技术普及工作，制定本条例。

第二条　县级以上人民政府应当将科普经费列入本级财政预算，每年人均科普经费不低于0.5元。

第三条　本条例自2004年10月1日起施行。
"""
NEW = """江北省科学技术普及条例

2004年7月30日 江北省第十届人民代表大会常务委员会第十次会议通过

2024年9月27日 江北省第十四届人民代表大会常务委员会第十二次会议修订

第一章　总　　则

第一条　为了加强科学技术普及工作，提高公民科学素质，制定本条例。

第二条　科普是公益事业，是社会主义现代化建设的重要内容。

第三条　县级以上人民政府应当将科普经费列入本级财政预算，每年人均科普经费不低于1元，并逐步提高。

第四条　本条例自2025年1月1日起施行。
"""


@pytest.fixture(scope="module")
def law_index() -> ClauseIndex:
    docs = ingest_paths([FIX / "versions", Path(__file__).parent.parent / "data" / "corpus"], progress=False).documents
    return ClauseIndex.build(docs, HashEmbedder())


@pytest.fixture(scope="module")
def reg_index() -> ClauseIndex:
    docs = parse_text(OLD, "jiangbei_2004.txt") + parse_text(NEW, "jiangbei_2024.txt")
    return ClauseIndex.build(docs, HashEmbedder())


def test_article_in_both_versions_cites_the_later_first_and_the_earlier_wording(law_index):
    a = answer("中华人民共和国行政复议法第一条是怎么规定的？", law_index, config=TODAY)
    assert not a.refused
    first, second = a.citations[0], a.citations[1]
    assert first.doc == "行政复议法(2023-09-01).md" and first.status == "现行有效"
    assert "主渠道作用" in a.sentences[0].text
    assert second.doc == "行政复议法(2017-09-01).md" and second.status == "已被修订"
    assert a.sentences[1].text.startswith("2017年版第一条曾规定：“") and "具体行政行为" in a.sentences[1].text
    assert second.superseded_by == first.doc_id


def test_a_named_past_version_is_used(law_index):
    a = answer("2017年版中华人民共和国行政复议法第九条是怎么规定的？", law_index, config=TODAY)
    assert [c.doc for c in a.citations] == ["行政复议法(2017-09-01).md"]
    assert "六十日" in a.text and "已被2023年版修订" in a.text


def test_before_revision_words_select_the_previous_version(law_index):
    a = answer("修订前的中华人民共和国行政复议法第一条是怎么规定的？", law_index, config=TODAY)
    assert a.citations[0].doc == "行政复议法(2017-09-01).md"


def test_fact_question_answers_from_the_text_in_force(reg_index):
    a = answer("江北省人均科普经费不低于多少？", reg_index, config=TODAY)
    assert not a.refused, a.text
    assert a.citations[0].doc == "jiangbei_2024.txt" and "1元" in a.sentences[0].text
    assert any(s.text.startswith("2004年版第二条曾规定") and "0.5元" in s.text for s in a.sentences)


def test_before_the_revision_takes_effect_the_old_text_answers(reg_index):
    a = answer("江北省人均科普经费不低于多少？", reg_index, config=AnswerConfig(today="2024-11-01"))
    assert a.citations[0].doc == "jiangbei_2004.txt" and a.citations[0].status == "现行有效"


def test_every_citation_shows_the_status_in_text_and_json(law_index):
    a = answer("扬州市到2025年公民具备科学素质比例要达到多少？", law_index, config=TODAY)
    c = a.citations[0]
    assert c.status == "规划期已结束" and c.status_note == "规划期2021—2025年已结束"
    assert "【规划期已结束" in render_answer(a)
    d = a.to_dict()["citations"][0]
    assert {"status", "effective_date", "superseded_by"} <= set(d)


def test_an_ended_plan_period_is_said_in_the_answer(law_index):
    a = answer("扬州市到2025年公民具备科学素质比例要达到多少？", law_index, config=TODAY)
    assert "19%" in a.text
    assert "规划期2021—2025年已结束，截至2026-12-03" in a.text
    during = answer("扬州市到2025年公民具备科学素质比例要达到多少？", law_index,
                    config=AnswerConfig(today="2024-06-01"))
    assert "已结束" not in during.text and during.citations[0].status == "现行有效"


def test_this_year_resolves_against_today(law_index):
    a = answer("今年扬州市公民具备科学素质比例要达到多少？", law_index, config=TODAY)
    assert a.resolved_question.startswith("2026年扬州市")
    assert a.refused and "2026" in a.text  # no document sets a 2026 figure
    b = answer("今年扬州市公民具备科学素质比例要达到多少？", law_index, config=AnswerConfig(today="2025-03-01"))
    assert not b.refused and "19%" in b.text


def test_comparison_footer_names_no_cover_letter_and_no_title_twice(law_index):
    a = answer("各地对科普基础设施建设有哪些要求？", law_index, config=TODAY)
    footer = next((line for line in a.text.splitlines() if line.startswith("（以下文件未找到相关规定")), "")
    assert "工作提示" not in footer and "任务分解表" not in footer  # the cited 安徽 plan's cover and attachment
    titles = footer.split("：", 1)[-1].rstrip("）").split("、") if footer else []
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("question", ["中华人民共和国行政复议法第一条是怎么规定的？", "江北省人均科普经费不低于多少？"])
def test_earlier_wording_is_cited_from_the_recorded_retrieved_list(law_index, reg_index, question):
    """The superseded version is filtered out of the ranking, and then its article is cited for the
    earlier wording: that clause must still be in the list the answer reports (validity 1.00)."""
    a = answer(question, law_index if "行政复议法" in question else reg_index, config=TODAY)
    recorded = {h["clause_id"] for h in a.retrieved}
    assert any(c.status == "已被修订" for c in a.citations)
    assert all(c.clause_id in recorded for c in a.citations), [c.clause_id for c in a.citations]
