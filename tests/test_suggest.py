"""Suggested questions come from the collection's own clauses and are answered; follow-ups from cited clauses."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from chatbot.config import AnswerConfig
from chatbot.suggest import clause_topic, follow_ups, suggested_questions, target_question
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.parse import parse_text
from ingest.types import Clause

CFG = AnswerConfig(today="2026-12-03")
PLAN = """青田县全民科学素质行动实施方案（2021—2025年）

一、主要目标

到2025年，我县公民具备科学素质的比例达到15%，城乡之间科学素质差距明显缩小。

二、重点任务

（一）青少年科学素质提升行动

1. 加强学校科学教育。推动中小学开齐开足科学课程，每所中小学至少配备1名科技辅导员。（牵头单位：县教育局；配合单位：县科协、团县委）

2. 开展侨乡科普研学。每年组织青少年科普研学活动不少于20场。（牵头单位：县科协；配合单位：县教育局）
"""
LAW = """江北省科学技术普及条例

第一章　总　　则

第一条　为了加强科学技术普及工作，制定本条例。

第二章　保障措施

第二条　县级以上人民政府应当将科普经费列入本级财政预算，每年人均科普经费不低于1元。

第三条　科普场馆应当每年向公众免费开放不少于200天。
"""


@pytest.fixture(scope="module")
def index() -> ClauseIndex:
    return ClauseIndex.build(parse_text(PLAN, "qingtian.txt") + parse_text(LAW, "jiangbei.txt"), HashEmbedder())


def _docs(index):
    return [(index.metas[d], index.doc_clauses(d)) for d in index.metas]


def test_suggestions_are_drawn_from_clauses_of_each_kind(index):
    qs = suggested_questions(_docs(index), n=4)
    assert "青田到2025年公民具备科学素质的比例要达到多少？" in qs
    assert "青田加强学校科学教育由哪些单位负责？" in qs
    assert "《江北省科学技术普及条例》第二条是怎么规定的？" in qs  # the first article setting a figure


def test_suggestions_are_answered_not_refused(index):
    def ok(q: str) -> bool:
        return not answer(q, index, config=CFG).refused

    qs = suggested_questions(_docs(index), n=4, check=ok)
    assert len(qs) >= 3
    for q in qs:
        a = answer(q, index, config=CFG)
        assert not a.refused and a.citations, q


def test_superseded_documents_give_no_suggestions(index):
    law_id = next(d for d, m in index.metas.items() if m.source == "jiangbei.txt")
    qs = suggested_questions(_docs(index), n=6, skip=[law_id])
    assert qs and not any("江北" in q for q in qs)


def test_follow_ups_are_grounded_in_the_cited_clause(index):
    a = answer("青田县每年组织青少年科普研学活动不少于多少场？", index, config=CFG)
    assert not a.refused
    fus = follow_ups(a.citations, index.metas, index.doc_clauses, a.question)
    assert 1 <= len(fus) <= 3
    assert "青田开展侨乡科普研学由哪些单位负责？" in fus
    assert "各地对开展侨乡科普研学分别是怎么规定的？" in fus


def test_follow_up_points_to_the_next_clause_of_a_law(index):
    a = answer("江北省条例第二条是怎么规定的？", index, config=CFG)
    fus = follow_ups(a.citations, index.metas, index.doc_clauses, a.question)
    assert "《江北省科学技术普及条例》第三条是怎么规定的？" in fus


@pytest.mark.parametrize("text, expected", [
    ("到2025年，全市科普基地数量达到30个。", "到2025年科普基地数量要达到多少？"),
    ("推进科普信息化建设。", ""),
])
def test_target_questions_need_a_year_and_a_figure(text, expected):
    c = Clause("a#0/1", "a#0", "a.txt", "1.", [], text)
    assert target_question(c, "") == expected


def test_topic_skips_generic_headings():
    c = Clause("a#0/x", "a#0", "a.txt", "第一章第一条", ["第一章　总　　则"], "第一条 为了加强科学技术普及工作，制定本条例。")
    assert clause_topic(c) == ""
