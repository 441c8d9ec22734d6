"""Questions that ask two things at once, and consequences said whole: a plan's measure asked with
its 责任单位 gets both; a penalty article's graded consequences (责令改正；情节严重的，撤销…) are
not cut after the first. Fixtures are invented in the shapes of a county plan and a city regulation."""

from __future__ import annotations

import pytest

from chatbot.answer import answer
from chatbot.config import AnswerConfig
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.parse import parse_text

CFG = AnswerConfig(today="2026-12-07")

PLAN = """某某县全民科学素质行动实施方案（2024—2026年）

二、重点任务

（一）青少年科学素质提升行动。开展科学调查体验活动，每所中小学每年至少组织一次科技节。（责任单位：县教育体育局、县科协）

（二）农民科学素质提升行动。组织农技人员下乡开展果树修剪、病虫害防治培训，每年培训农民不少于2000人次。（责任单位：县农业农村局、县科协）

（三）老年人科学素质提升行动。依托老年大学开展防范电信诈骗、健康养生等科普讲座，帮助老年人使用智能手机。（责任单位：县民政局、县卫生健康局）
"""

LAW = """某市科普场馆管理条例

第一章　总　则

第一条　为了规范科普场馆管理，制定本条例。

第二章　开放服务

第二条　科普场馆应当每周开放不少于五天，并公示开放时间。

第三章　法律责任

第三条　违反本条例第二条规定，科普场馆未按照规定开放的，由市科学技术行政部门责令改正；情节严重的，取消其科普场馆资格；造成损失的，依法承担赔偿责任。
"""


@pytest.fixture(scope="module")
def index() -> ClauseIndex:
    return ClauseIndex.build(parse_text(PLAN, "plan.txt") + parse_text(LAW, "law.txt"), HashEmbedder())


def test_a_measure_asked_with_its_responsible_units_gets_both(index):
    a = answer("某某县对老年人有什么安排？责任单位是谁？", index, config=CFG)
    assert "防范电信诈骗" in a.text and "县民政局" in a.text, a.text
    only_who = answer("某某县老年人科学素质提升行动的责任单位是谁？", index, config=CFG)
    assert "县民政局" in only_who.text and "防范电信诈骗" not in only_who.text, only_who.text


def test_a_penalty_article_is_quoted_with_its_heavier_consequence(index):
    a = answer("科普场馆未按照规定开放的，会怎么处理？", index, config=CFG)
    assert "责令改正" in a.text and "取消其科普场馆资格" in a.text, a.text


def test_the_article_that_penalises_a_rule_is_retrieved_right_after_it(index):
    from chatbot.retrieval import with_penalties
    from index.types import Hit
    from ingest.types import Chunk

    law = next(d for d, m in index.metas.items() if m.source == "law.txt")
    by_path = {c.section_path: c for c in index.doc_clauses(law)}

    def hit(path: str) -> Hit:
        c = by_path[path]
        return Hit(Chunk(c.clause_id, c.clause_id, c.doc_id, c.text, ""), c, index.metas[law], 0.0)

    out = with_penalties(index, [hit("第二章第二条"), hit("第一章第一条")])
    assert [h.clause.section_path for h in out] == ["第二章第二条", "第三章第三条", "第一章第一条"]
    out = with_penalties(index, [hit("第三章第三条"), hit("第二章第二条")])  # a penalty first: nothing to add
    assert [h.clause.section_path for h in out] == ["第三章第三条", "第二章第二条"]
