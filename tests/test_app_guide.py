"""The app's 问答 filters, suggested questions / follow-ups, status chips, 文件 tab and 修订对照 tab."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest

from chatbot import app_guide, render
from chatbot.answer import answer
from chatbot.app import AppConfig, create_app
from chatbot.app_revision import revision_html
from chatbot.config import AnswerConfig
from chatbot.revision import align_articles
from index.fake import HashEmbedder
from index.store import ClauseIndex
from ingest.pipeline import ingest_paths

FIX = Path(__file__).parent / "fixtures"
CFG = AnswerConfig(today="2026-12-03")
Q = "中华人民共和国行政复议法第一条是怎么规定的？"


@pytest.fixture(scope="module")
def app():
    docs = ingest_paths([FIX / "versions", Path(__file__).parent.parent / "data" / "corpus"], progress=False).documents
    index = ClauseIndex.build(docs, HashEmbedder())
    return create_app(index, answer_fn=answer, config=AppConfig(answer_config=CFG))


def _ids(pa, source):
    return next(d for d, m in pa.index.metas.items() if m.source == source)


def test_filters_in_the_chat_tab_restrict_the_answer(app):
    pa = app.policyqa
    old = _ids(pa, "行政复议法(2017-09-01).md")
    _, _, cites, copy, *_ = pa.ask(Q, [], [], [], [], [old], [], "", "")
    assert "行政复议法(2017-09-01)" in cites and "已被修订" in cites and "具体行政行为" in copy
    _, _, cites, *_ = pa.ask("扬州市到2025年公民具备科学素质比例要达到多少？", [], [], [], [], [], ["现行有效"], "", "")
    assert "pq-refused" in cites  # the ended plan is filtered out
    _, _, cites, *_ = pa.ask("扬州市到2025年公民具备科学素质比例要达到多少？", [], [], ["扬州市"], [], [], [], "2022-01-01", "")
    assert "规划期已结束" in cites


def test_a_bad_date_in_the_filters_is_a_clear_message(app):
    with pytest.raises(gr.Error, match="YYYY-MM-DD"):
        app.policyqa.ask(Q, [], [], [], [], [], [], "2024年", "")


def test_suggested_questions_come_from_clauses_and_follow_ups_from_the_cited_one(app):
    pa = app.policyqa
    qs = app_guide.suggestions(pa.index, answer, CFG)
    assert qs and all(not answer(q, pa.index, config=CFG).refused for q in qs)
    _, history, _, _, dd, *_ = pa.ask(qs[0], [], [])
    fus = app_guide.follow_up_questions(pa.index, dd.value, history)
    assert 1 <= len(fus) <= 3 and qs[0] not in fus
    sugg, fol = app_guide.after_answer(pa.index, dd.value, history)
    assert sugg.visible is False and fol.visible is True


def test_documents_tab_shows_titles_and_status_first(app):
    rows = app.policyqa.document_rows()
    heads = render.DOCUMENT_HEADERS
    assert heads[:2] == ["标题", "状态"] and heads[-1] == "doc_id"
    by_src = {r[heads.index("文件")]: r for r in rows}
    assert by_src["行政复议法(2017-09-01).md"][1].startswith("已被修订")
    assert by_src["002_6d36f68e28e89aa5.txt"][1].startswith("规划期已结束")


def test_revision_tab_defaults_to_a_version_pair_and_marks_words(app):
    from chatbot.app_revision import RevisionView

    view = RevisionView(app.policyqa)
    a, b = view.default_pair()
    assert app.policyqa.index.metas[a].source == "行政复议法(2017-09-01).md"
    html = view.show(b, a)  # given in the wrong order: still 2017 → 2023
    assert html.index("2017-09-01") < html.index("2023-09-01")
    assert "<del>具体</del>" in html and "<ins>" in html
    assert view.export(a, b, "docx").endswith(".docx")


def test_revision_html_escapes_document_text():
    rows = align_articles([("第一条", "原文<script>x</script>。")], [("第一条", "原文<script>x</script>，新增。")])
    html = revision_html(rows, "<b>甲</b>", "乙")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>甲</b>" not in html
