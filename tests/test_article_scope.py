"""A named 第X条 is read in the document the question names, even when it also names that
document's city, whose other laws have a 第X条 too."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from chatbot.config import AnswerConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.parse import parse_text

KEPU = """绵阳市科学技术普及条例

第一条　为了加强科学技术普及工作，制定本条例。

第二条　市人民政府应当将科普经费列入本级财政预算。

第三条　禁止以科普为名从事封建迷信活动。
"""
WENMING = """绵阳市文明行为促进条例

第一条　为了促进文明行为，制定本条例。

第二条　文明行为促进工作坚持共建共享。

第三条　禁止在公共场所吸烟和随地吐痰。
"""
TOURISM = """绵阳市旅游条例

第一条　为了发展旅游业，制定本条例。

第二条　旅游发展坚持保护优先。

第三条　禁止破坏旅游资源。
"""


@pytest.fixture(scope="module")
def city_index() -> ClauseIndex:
    docs = parse_text(KEPU, "mianyang_kepu.txt") + parse_text(WENMING, "mianyang_wenming.txt") \
        + parse_text(TOURISM, "mianyang_tourism.txt")
    return ClauseIndex.build(docs, HashEmbedder())


def test_named_document_and_its_city_cite_only_that_documents_article(city_index):
    ans = answer("绵阳市科普条例第三条禁止什么？", city_index, config=AnswerConfig(today="2026-12-03"))
    assert not ans.refused
    assert {c.title for c in ans.citations} == {"绵阳市科学技术普及条例"}
    assert "封建迷信" in ans.text and "吸烟" not in ans.text


def test_article_with_no_document_named_is_read_in_the_best_ranked_document(city_index):
    ans = answer("旅游条例第三条禁止什么？", city_index, config=AnswerConfig(today="2026-12-03"))
    assert {c.title for c in ans.citations} == {"绵阳市旅游条例"}
    assert "旅游资源" in ans.text
