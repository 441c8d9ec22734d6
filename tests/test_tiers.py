"""Tiered provisions: "满N年/周岁" in a question picks the tier that starts at N, not the one that ends
there ("已满1年不满10年的" says 不满10年). Fixture invented in the shape of a municipal regulation."""

from __future__ import annotations

from chatbot.answer import answer
from chatbot.config import AnswerConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.parse import parse_text

RULES = """某市高龄老人津贴办法

第一条　为了保障高龄老人生活，制定本办法。

第二条　本市户籍老人按年龄领取高龄津贴：年满80周岁不满90周岁的，每人每月100元；年满90周岁不满100周岁的，每人每月300元；年满100周岁的，每人每月800元。

第三条　本办法自2025年1月1日起施行。
"""


def test_a_reached_threshold_picks_the_tier_that_starts_there():
    idx = ClauseIndex.build(parse_text(RULES, "rules.txt"), HashEmbedder())
    a = answer("老人年满90周岁，每月能领多少高龄津贴？", idx, config=AnswerConfig(today="2026-12-07"))
    assert "300元" in a.text and "100元" not in a.text, a.text
