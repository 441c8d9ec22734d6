"""A forwarding notice, the plan it issues and the plan's attachments are one line of a comparison
(issue 12: one cited line per document in scope, not one per file of a document)."""

from __future__ import annotations

from chatbot.compose import Candidate
from chatbot.compose_docs import one_per_family
from chatbot.sentences import split_sentences
from index.types import Hit
from ingest.types import Chunk, Clause, DocMeta


def _row(doc: str, region: str, parent: str, sup: float, text: str):
    c = Clause(f"{doc}/1", doc, f"{doc}.txt", "1", [], text)
    h = Hit(Chunk(c.clause_id, c.clause_id, doc, text, ""), c, DocMeta(doc, f"{doc}.txt", title=doc, region=region,
                                                                       parent_doc_id=parent), 0.0)
    return (doc, sup, Candidate(h, 0, split_sentences(text)[0], sup, sup, sup), [h])


NOTICE = _row("湖州通知", "湖州市", "", 0.2, "现将《湖州市全民科学素质提升行动实施方案》印发给你们。")
PLAN = _row("湖州方案", "湖州市", "湖州通知", 0.9, "围绕白茶、湖羊等特色产业，每年培训高素质农民2000人次以上。")
TABLE = _row("湖州指标", "湖州市", "湖州方案", 0.3, "湖州市全民科学素质提升行动主要指标。")
PROVINCE = _row("某省方案", "某省", "湖州通知", 0.8, "围绕茶叶、柑橘等特色产业开展农业科技培训。")


def test_a_notice_its_plan_and_the_plans_attachment_give_one_line_the_best_supported():
    assert [r[0] for r in one_per_family([NOTICE, PLAN, TABLE])] == ["湖州方案"]


def test_a_provinces_plan_forwarded_by_a_city_keeps_its_own_line():
    assert [r[0] for r in one_per_family([NOTICE, PROVINCE, PLAN])] == ["某省方案", "湖州方案"]


def test_a_family_member_named_one_by_one_keeps_its_line():
    assert [r[0] for r in one_per_family([NOTICE, PLAN, TABLE], {"湖州指标"})] == ["湖州方案", "湖州指标"]
