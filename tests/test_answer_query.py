"""The answerer over one understood Query: a bare mention with no history, chit-chat, comparisons
limited to the documents in scope, and every citation inside the recorded retrieval."""

from __future__ import annotations

import pytest
from fixtures.answer.fake_index import FakeIndex

from chatbot.answer import answer
from chatbot.refusal import Refusal


@pytest.fixture(scope="module")
def idx():
    return FakeIndex()


def cited_in_recorded(a) -> bool:
    return {c.clause_id for c in a.citations} <= {r["clause_id"] for r in a.retrieved}


def test_bare_follow_up_without_history_is_an_overview_of_that_region(idx):
    a = answer("那甘肃呢？", idx)
    assert not a.refused and "那甘肃" not in a.text and "甘肃省" in a.text
    assert a.citations and {c.doc_id for c in a.citations} == {d for d, m in idx.metas.items() if m.region == "甘肃省"}
    assert cited_in_recorded(a)


def test_bare_unknown_region_is_refused_naming_it_and_what_is_covered(idx):
    a = answer("那浙江呢？", idx)
    assert a.refused and a.refusal_reason == Refusal.REGION_NOT_COVERED
    assert a.text.startswith("文件中没有找到关于浙江的规定") and "已收录地区" in a.text and "甘肃省" in a.text


def test_chit_chat_is_out_of_scope(idx):
    a = answer("你好", idx)
    assert a.refused and a.refusal_reason == Refusal.OUT_OF_SCOPE and not a.related


def test_comparison_cites_one_line_per_named_document_and_nothing_outside_the_scope(idx):
    a = answer("甘肃和安徽在科普人才方面有何不同？", idx)
    regions = {idx.metas[c.doc_id].region for c in a.citations}
    assert regions == {"甘肃省", "安徽省"} and len(a.citations) == 2
    assert cited_in_recorded(a)


def test_the_understood_query_is_reported(idx):
    a = answer("那甘肃呢？", idx, history=[{"role": "user", "content": "安徽到2025年公民具备科学素质的比例是多少？"},
                                         {"role": "assistant", "content": "……"}])
    assert a.resolved_question.startswith("甘肃到2025年") and "地区：甘肃省" in a.understood
