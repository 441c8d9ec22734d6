"""Comparisons across documents (issue 12): which documents a comparison names, and each
document's line chosen together with the others'.

The fixture is written here: a national law, two regulations of one province (one on the same
subject as the law, one on another) and one regulation of another province, all in 第X条."""

from __future__ import annotations

import pytest

from chatbot.align import aligned_lines
from chatbot.answer import answer
from chatbot.config import AnswerConfig
from chatbot.retrieval import known_of
from index.fake import HashEmbedder
from index.store import ClauseIndex
from index.types import Hit
from ingest.parse import parse_text
from ingest.types import Chunk, Clause, DocMeta
from query import Query, understand

CFG = AnswerConfig(today="2026-12-03")

LAW = """中华人民共和国全民阅读促进法

第一条　为了促进全民阅读，提高国民素质，制定本法。

第二条　本法所称全民阅读，是指国家倡导和保障公民开展的各类阅读活动。

第三条　每年4月23日所在周为全国阅读周。

第四条　本法自2025年1月1日起施行。
"""

HB_READING = """河北省全民阅读促进条例

第一条　为了推动全民阅读，建设书香河北，根据《中华人民共和国全民阅读促进法》，结合本省实际，制定本条例。

第二条　本条例所称全民阅读，是指在本省行政区域内开展的公益性阅读推广活动。

第三条　每年9月的第一周为本省阅读周。

第四条　本条例自2026年3月1日起施行。
"""

HB_SCIENCE = """河北省科学技术协会条例

第一条　为了保障科学技术协会依法开展工作，根据《中华人民共和国科学技术进步法》，结合本省实际，制定本条例。

第二条　科学技术协会组织开展学术交流和科学普及活动。

第三条　本条例自2015年5月1日起施行。
"""

SX_READING = """山西省全民阅读促进条例

第一条　为了促进全民阅读，根据有关法律、行政法规，结合本省实际，制定本条例。

第二条　每年4月的最后一周为本省全民阅读周。

第三条　本条例自2021年1月1日起施行。
"""


@pytest.fixture(scope="module")
def index() -> ClauseIndex:
    docs = (parse_text(LAW, "law.txt") + parse_text(HB_READING, "hb_reading.txt")
            + parse_text(HB_SCIENCE, "hb_science.txt") + parse_text(SX_READING, "sx_reading.txt"))
    return ClauseIndex.build(docs, HashEmbedder())


def _ids(index: ClauseIndex) -> dict[str, str]:
    return {m.source.split(".")[0]: d for d, m in index.metas.items()}


def test_a_law_named_by_its_title_ending_is_compared_with_a_province_named_by_place_and_kind(index):
    ids = _ids(index)
    q = understand("全民阅读促进法和河北省的条例，对全民阅读的定义有什么不同？", None, known_of(index))
    assert q.intent.value == "compare"
    assert {ids["law"], ids["hb_reading"]} <= set(q.doc_ids)  # the national law is not dropped for 河北
    assert ids["sx_reading"] not in q.doc_ids


def test_two_regulations_of_one_province_each_named_by_its_short_form(index):
    ids = _ids(index)
    q = understand("河北省的全民阅读促进条例和科协条例分别是根据什么制定的？", None, known_of(index))
    assert set(q.doc_ids) == {ids["hb_reading"], ids["hb_science"]}


def test_a_title_written_in_full_and_another_place_named_beside_it_are_both_in_scope(index):
    ids = _ids(index)
    q = understand("山西省全民阅读促进条例和河北的科协条例各是什么时候起施行的？", None, known_of(index))
    assert set(q.doc_ids) == {ids["sx_reading"], ids["hb_science"]}


def test_a_comparison_of_a_law_and_a_province_gives_one_cited_line_per_document(index):
    ids = _ids(index)
    a = answer("全民阅读促进法和河北省全民阅读促进条例，阅读周分别定在什么时候？", index, config=CFG)
    assert not a.refused, a.text
    cited = {c.doc for c in a.citations}
    assert {index.metas[ids["law"]].source, index.metas[ids["hb_reading"]].source} <= cited
    assert "4月23日" in a.text and "9月的第一周" in a.text


def _hit(doc: str, i: int, text: str) -> Hit:
    c = Clause(f"{doc}#0/{i}", f"{doc}#0", f"{doc}.txt", f"第{i}条", [], text)
    return Hit(Chunk(c.clause_id, c.clause_id, f"{doc}#0", text, ""), c, DocMeta(f"{doc}#0", f"{doc}.txt"), 0.0)


def test_each_document_answers_with_the_clause_that_says_what_the_others_say():
    """Alone, 山东's first-ranked clause (科普周 and 科普宣传 in general) wins on the question's words;
    its clause setting the 科学普及日, as the other two documents do, is the one the comparison needs."""
    per_doc = {
        "sd": [_hit("sd", 1, "各级人民政府应当在每年的科普周集中开展科普宣传活动。"),
               _hit("sd", 2, "每年9月第三个星期六为本省科学普及日，集中开展群众性科普宣传。")],
        "sx": [_hit("sx", 1, "每年5月第三个星期六为本省科学普及日，集中开展群众性科普宣传。")],
        "hn": [_hit("hn", 1, "每年4月第二个星期六为本省科学普及日，集中开展群众性科普宣传。")],
    }
    q = Query("", "山东、山西、河南的科普宣传日分别是哪天？")
    alone = aligned_lines(q.text, {"sd": per_doc["sd"]}, q)["sd"]  # the document ranked on its own
    together = aligned_lines(q.text, per_doc, q)
    assert alone is not None and alone.hit.clause.clause_id == "sd#0/1"
    assert together["sd"] is not None and together["sd"].hit.clause.clause_id == "sd#0/2"
    assert together["sx"].hit.clause.clause_id == "sx#0/1"


def test_the_national_law_named_by_its_level_and_kind_is_compared(index):
    ids = _ids(index)
    q = understand("阅读周的日期，国家法和山西条例分别怎么规定？", None, known_of(index))
    assert set(q.doc_ids) == {ids["law"], ids["sx_reading"]}
    assert "国家法" not in q.doc_terms  # a document's name, not the topic
    assert understand("国家法定节假日期间阅读周怎么安排？", None, known_of(index)).doc_ids == ()
