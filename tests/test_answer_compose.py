"""Answer composer and refusal behaviour over a small stand-in index (hand-built clauses)."""

from __future__ import annotations

import re

import pytest
from fixtures.answer.fake_index import FakeIndex

from chatbot.answer import answer
from chatbot.cite import format_citation, render_answer
from chatbot.types import Answer


@pytest.fixture(scope="module")
def idx() -> FakeIndex:
    return FakeIndex()


def assert_grounded(a: Answer) -> None:
    """Every sentence cites; every citation is a retrieved clause; every [n] in the text is listed."""
    retrieved = {r["clause_id"] for r in a.retrieved}
    listed = {c.n for c in a.citations}
    assert a.sentences
    for s in a.sentences:
        assert s.citations, s.text
        assert set(s.citations) <= listed
    for c in a.citations:
        assert c.clause_id in retrieved
    assert {int(n) for n in re.findall(r"\[(\d+)\]", a.text)} == listed


def test_number_question_answers_with_the_sentence_holding_the_figure_and_year(idx):
    a = answer("安徽到2025年公民具备科学素质比例力争达到多少？", idx)
    assert not a.refused and a.qtype == "number"
    assert "16%" in a.text.replace(" ", "")
    assert "28%" not in a.text.replace(" ", "")  # the 2035 target is not the answer
    assert_grounded(a)
    assert len(a.text) <= 300


def test_the_other_year_is_picked_when_asked(idx):
    a = answer("安徽到2035年公民具备科学素质比例力争达到多少？", idx)
    assert "28%" in a.text.replace(" ", "")
    assert_grounded(a)


def test_a_year_no_document_sets_is_refused(idx):
    a = answer("安徽到2030年公民具备科学素质比例力争达到多少？", idx)
    assert a.refused and a.refusal_reason in ("unknown_year", "year_mismatch")
    assert a.citations == [] and not re.search(r"\[\d+\]", a.text)
    assert a.related, "nearest clauses are listed as related"
    assert a.text.startswith("文件中没有找到关于")


def test_a_province_no_document_covers_is_refused(idx):
    a = answer("广东省公民科学素质比例目标是多少？", idx)
    assert a.refused and a.refusal_reason == "unknown_place"
    assert "广东" in a.text


def test_unrelated_question_is_refused_with_related_clauses(idx):
    a = answer("青田县的科技馆免费开放时间是几点？", idx)
    assert a.refused and a.refusal_reason == "low_relevance"
    assert a.related and all(c.clause_id for c in a.related)


def test_quantity_asked_but_not_stated_is_refused(idx):
    a = answer("甘肃省科普经费占财政支出的比例是多少？", idx)
    assert a.refused


def test_responsible_question_answers_from_the_clause_units(idx):
    a = answer("青田县开展侨乡科普研学由哪个部门牵头？", idx)
    assert a.qtype == "responsible" and not a.refused
    assert "县科协" in a.text and "牵头单位" in a.text
    assert_grounded(a)


def test_responsible_with_labelled_units_in_a_provincial_plan(idx):
    a = answer("安徽加强科普人才队伍建设的责任单位是谁？", idx)
    assert "责任单位：省科协" in a.text
    assert a.citations[0].section_path.endswith("3.")


def test_law_article_is_cited_by_its_article_number(idx):
    a = answer("某市人均科普经费不低于多少？", idx)
    assert "2元" in a.text and not a.refused
    assert "第六条" in a.citations[0].section_path
    assert_grounded(a)


def test_comparison_gives_one_cited_line_per_document(idx):
    a = answer("安徽和甘肃在科普人才队伍建设上有何不同？", idx)
    assert a.qtype == "compare" and not a.refused
    lines = [s for s in a.sentences]
    assert len(lines) == 2
    titles = [c.title for c in a.citations]
    assert any("安徽" in t for t in titles) and any("甘肃" in t for t in titles)
    assert_grounded(a)


def test_comparison_of_responsible_units_across_documents(idx):
    a = answer("各地科普人才队伍建设的责任单位分别是什么？", idx)
    assert a.qtype == "compare"
    assert "省科协" in a.text and "省人社厅" in a.text
    assert_grounded(a)


def test_precedent_wording_quotes_each_clause_verbatim(idx):
    a = answer("各地关于老年人科普的原文怎么写？", idx)
    assert a.qtype == "precedent" and not a.refused
    assert len(a.sentences) >= 2
    for c in a.citations:
        assert c.text.replace("\n", "") in a.text  # verbatim
    assert_grounded(a)


def test_retrieved_holds_the_top_hits(idx):
    a = answer("青田县每年培训高素质农民多少人次？", idx)
    assert len(a.retrieved) >= 5
    assert "500人次" in a.text
    assert a.resolved_question == a.question


def test_citation_label_and_source_line(idx):
    a = answer("安徽加强科普人才队伍建设的责任单位是谁？", idx)
    c = a.citations[0]
    assert c.label.startswith("《安徽省新时代科学技术普及工作方案》（皖科才〔2023〕2号）")
    line = format_citation(c)
    assert "发布：安徽省科学技术厅" in line and "日期：2023-04-04" in line
    out = render_answer(a)
    assert "来源：" in out and c.text[:10] in out


def test_follow_up_carries_the_region_swap(idx):
    h = [{"role": "user", "content": "安徽加强科普人才队伍建设的责任单位是谁？"},
         {"role": "assistant", "content": "……"}]
    a = answer("那甘肃呢？", idx, history=h)
    assert a.resolved_question == "甘肃加强科普人才队伍建设的责任单位是谁？"
    assert "省人社厅" in a.text
    assert all("甘肃" in c.title for c in a.citations)


def test_answer_is_serialisable(idx):
    import json

    a = answer("青田县开展侨乡科普研学由哪个部门牵头？", idx)
    d = json.loads(json.dumps(a.to_dict(), ensure_ascii=False))
    assert d["citations"][0]["label"] and d["sentences"][0]["citations"] == [1]


def test_outline_question_lists_the_sub_headings_each_cited(idx):
    a = answer("青田县方案的重点任务包括哪些？", idx)
    assert not a.refused
    assert "青少年科学素质提升行动" in a.text and "农民科学素质提升行动" in a.text
    assert len(a.citations) == 2
    assert_grounded(a)


def test_unknown_place_next_to_a_known_one_is_noted_not_refused(idx):
    a = answer("安徽和广东的科普人才队伍建设有何不同？", idx)
    assert not a.refused
    assert "广东" in a.text and "安徽" in a.citations[0].title


def test_a_named_document_with_a_long_clause_is_judged_on_the_terms_the_documents_hold():
    """The question's framing (…数量上各有什么目标) is in no document: a long clause that holds the topic
    and a figure must not be diluted by it into 未找到 beside a short clause of the other document."""
    from chatbot.compose_docs import compose_compare
    from chatbot.config import AnswerConfig
    from index.types import Hit
    from ingest.types import Chunk, Clause, DocMeta
    from query import understand
    from query.known import Known

    long_text = ("2. 加强科普基础设施建设。完善科普基础设施在城市规划和建设中的布局，促进全省科普基础设施均衡发展。"
                 "鼓励建设具有地域、产业、学科等特色的科普基地，到2025年，认定各类科普基地800家以上。"
                 "推动省科技馆新馆建设，实现设区的市科技馆全覆盖。支持和鼓励各类企业开放研发机构、生产设施。"
                 "加强农村科普设施建设，推动流动科技馆、科普大篷车进乡村进社区。")
    metas = {"zj#0": DocMeta("zj#0", "zj.txt", title="浙江省科学技术普及工作方案", region="浙江省", level="省"),
             "hz#0": DocMeta("hz#0", "hz.txt", title="杭州市全民科学素质行动实施方案", region="杭州市", level="市")}
    texts = {"zj#0": long_text, "hz#0": "3. 强化科普基地建设。到2025年底，新评定市级科普教育基地60家以上。"}

    heading = {"zj#0": "一、重点任务", "hz#0": "二、发展目标"}
    filler = ["开展科普基地开放日活动。", "推动科普基地与学校合作。", "加强科普基地管理。", "支持科普基地创新发展。"]

    def hit(doc_id: str, n: int, text: str) -> Hit:
        c = Clause(clause_id=f"{doc_id}/{n}", doc_id=doc_id, source=metas[doc_id].source, section_path=f"一、（{n}）",
                   headings=[heading[doc_id]], text=text)
        return Hit(chunk=Chunk(chunk_id=c.clause_id, clause_id=c.clause_id, doc_id=doc_id, text=c.text, embed_text=""),
                   clause=c, meta=metas[doc_id], score=0.03)

    per_doc = {d: [hit(d, 1, texts[d])] + [hit(d, i + 2, t) for i, t in enumerate(filler)] for d in metas}
    q = understand("杭州和浙江在科普基地数量上各有什么目标？", [], Known.from_metas(list(metas.values())))
    draft = compose_compare(q.text, per_doc, q, AnswerConfig(), q.drop, named=True)
    lines = " ".join(p.text for p in draft.pieces)
    assert "800家" in lines and "60家" in lines and draft.missing_docs == []
