"""The web app's handlers, called directly (no server): chat, citations, precedent, documents."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest
from app_fixture import XSS_TEXT, build_fixture_index, fake_answer, fixture_documents

from chatbot import render
from chatbot.app import create_app
from ingest.types import Clause, DocMeta, Document, IngestError


class _Result:
    def __init__(self, documents, errors):
        self.documents, self.errors = documents, errors


def _ingest_stub(paths):
    """Parses 'title|region|text' files; anything else is an IngestError (like a real bad file)."""
    docs, errors = [], []
    for p in paths:
        parts = Path(p).read_text(encoding="utf-8", errors="replace").split("|")
        if len(parts) != 3:
            errors.append(IngestError(str(p), "无法识别的文件格式"))
            continue
        title, region, text = parts
        meta = DocMeta(
            f"{Path(p).stem}#0", Path(p).name, title=title, region=region, level="市", content_hash=text
        )
        clause = Clause(f"{meta.doc_id}/一、", meta.doc_id, meta.source, "一、", [], text)
        docs.append(Document(meta, [clause], text))
    return _Result(docs, errors)


def _ingest_one(path, stem):
    result = _ingest_stub([path])
    if result.errors:
        raise result.errors[0]
    return result.documents


def _store_app(tmp_path, **kw):
    """An app over a DocStore: the fixture documents as files in a corpus folder, a saved index."""
    from index.docstore import DocStore
    from index.fake import HashEmbedder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for d in fixture_documents():
        (corpus / d.meta.source).write_text(f"{d.meta.title}|{d.meta.region}|{d.text}", encoding="utf-8")
    store = DocStore(corpus, tmp_path / "ix", HashEmbedder(), ingest_one=_ingest_one)
    store.open()
    return create_app(None, answer_fn=fake_answer, store=store, **kw), corpus


@pytest.fixture
def app():
    return create_app(build_fixture_index(), answer_fn=fake_answer, ingest_fn=_ingest_stub)


def test_create_app_builds_blocks_without_starting_a_server(app):
    assert isinstance(app, gr.Blocks)
    assert app.policyqa.index is not None
    assert not getattr(app, "is_running", False)


def test_ask_returns_messages_with_citation_markers_and_chips(app):
    pa = app.policyqa
    display, history, cites, copy, dd, context, cleared = pa.ask("扬州市公民具备科学素质的比例", [], [])
    assert [m["role"] for m in display] == ["user", "assistant"]
    assert "\\[1\\]" in display[1]["content"]  # markdown-escaped [1] renders as [1]
    assert 'class="pq-chip"' in cites and "扬府办发〔2022〕37号" in cites
    assert history[0] == {"role": "user", "content": "扬州市公民具备科学素质的比例"}
    assert "[1]" in history[1]["content"]
    assert copy.startswith(history[1]["content"]) and "来源：" in copy
    assert "到2025年，扬州市公民具备科学素质的比例达到18%。" in copy.split("来源：")[1]  # verbatim clause
    assert "<mark>" in context  # the first citation is opened in context
    assert cleared == ""


def test_follow_up_passes_history_and_shows_resolved_question(app):
    pa = app.policyqa
    seen = []

    def spy(question, index, history=None, **kw):
        seen.append(list(history or []))
        return fake_answer(question, index, history=history)

    pa._answer_fn = spy
    display, history, *_ = pa.ask("扬州市公民具备科学素质的比例", [], [])
    display, history, *_ = pa.ask("那安徽省呢", history, display)
    assert seen[1] == history[:2]
    assert "理解为" in display[-1]["content"]
    assert len(display) == 4


def test_refused_answer_is_marked_and_lists_related_clauses(app):
    display, _, cites, copy, *_ = app.policyqa.ask("浙江省科普经费是多少", [], [])
    assert display[-1]["content"].startswith("**⚠ 文件中没有找到")
    assert "pq-refused" in cites and "文件中未找到" in cites
    assert "相关条款" in cites and "pq-related" in cites
    assert "文件中没有找到" in copy


def test_answer_error_is_shown_in_chat_not_raised(app):
    pa = app.policyqa

    def boom(*a, **k):
        raise RuntimeError("model <b>down</b>")

    pa._answer_fn = boom
    display, history, *_ = pa.ask("问题", [], [])
    assert "出错了" in display[-1]["content"] and "<b>" not in display[-1]["content"]
    assert history == []


def test_open_citation_shows_neighbours_with_the_cited_clause_highlighted(app):
    html = app.policyqa.open_clause("anhui#0/二、（一）")
    assert html.count("<mark>") == 1
    marked = html.split("<mark>")[1].split("</mark>")[0]
    assert "每个市至少建成一座科技馆" in marked
    assert "全省公民具备科学素质的比例" in html  # the clause before it, in context
    assert "皖政办〔2021〕10号" in html


def test_clause_with_markup_is_rendered_escaped_everywhere(app):
    pa = app.policyqa
    ctx = pa.open_clause("anhui#0/三、")
    prec = pa.precedent("加强科普宣传严禁篡改")
    tree = pa.show_document("anhui#0")
    for html in (ctx, prec, tree):
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(2)&gt;" in html
    bubble = render.md_text(XSS_TEXT)
    assert "<script>" not in bubble and "<img" not in bubble


def test_citation_chip_attribute_cannot_break_out():
    from chatbot.types import Answer, Citation

    c = Citation(
        1, "a.txt", "a#0", 'a#0/"><img src=x onerror=alert(1)>', '标题"><b>', "", [], "", "一、", XSS_TEXT
    )
    html = render.citations_html(Answer("q", "q", "t[1]", [], [c]))
    assert "<img" not in html and "<b>" not in html and "<script>" not in html


def test_chip_click_event_opens_that_clause(app):
    evt = gr.EventData(None, {"clause_id": "dangshan#0/三、"})
    dd, html = app.policyqa.on_chip(evt)
    assert "县科协负责牵头" in html.split("<mark>")[1]


def test_precedent_search_groups_clauses_by_document_in_level_order(app):
    html = app.policyqa.precedent("科普基础设施建设")
    assert 'data-docs="3"' in html
    order = [html.index(t) for t in ("安徽省", "扬州市全民", "砀山县")]
    assert order == sorted(order)  # 省 → 市 → 县


def test_precedent_filters_restrict_documents(app):
    html = app.policyqa.precedent("科普基础设施建设", regions=["扬州市"])
    assert 'data-docs="1"' in html and "扬州市" in html and "砀山县" not in html
    html = app.policyqa.precedent("科普基础设施建设", levels=["省", "县"])
    assert 'data-docs="2"' in html


def test_precedent_filter_choices_come_from_the_index(app):
    regions, levels, types = app.policyqa.filter_updates()
    assert regions.choices == [(r, r) for r in ["安徽省", "扬州市", "砀山县"]] or regions.choices == [
        "安徽省",
        "扬州市",
        "砀山县",
    ]
    assert [c[0] if isinstance(c, tuple) else c for c in levels.choices] == ["省", "市", "县"]


def test_export_markdown_and_docx_round_trip(app):
    from docx import Document as Docx

    pa = app.policyqa
    md = Path(pa.export_markdown("科普基础设施建设")).read_text(encoding="utf-8")
    assert md.splitlines()[2] == "| 文件 | 条款 | 原文 |"
    assert "推进科普基础设施建设，新建科普场馆三处，完善科技馆体系。" in md
    table = Docx(pa.export_docx("科普基础设施建设")).tables[0]
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert cells[0] == ["文件", "条款", "原文"]
    assert ["《扬州市全民科学素质行动实施方案（2021—2025年）》（扬府办发〔2022〕37号）", "二、（一）",
            "推进科普基础设施建设，新建科普场馆三处，完善科技馆体系。"] in cells  # fmt: skip


def test_default_export_dir_is_made_on_first_export_and_removed_with_the_app():
    import gc

    from chatbot.app import PolicyApp

    pa = PolicyApp(build_fixture_index(), answer_fn=fake_answer)
    assert pa._export_dir is None  # an app that never exports leaves nothing in /tmp
    folder = Path(pa.export_markdown("科普基础设施建设")).parent
    assert folder.is_dir() and folder.name.startswith("policyqa-export-")
    del pa
    gc.collect()
    assert not folder.exists()


def test_export_with_no_results_returns_no_file(app):
    assert app.policyqa.export_markdown("") is None


def test_documents_table_lists_metadata_and_clause_counts(app):
    rows = {r[-1]: r for r in app.policyqa.document_rows()}
    assert set(rows) == {"anhui#0", "yangzhou#0", "dangshan#0"}
    y = dict(zip(render.DOCUMENT_HEADERS, rows["yangzhou#0"], strict=True))
    assert y["标题"] == "扬州市全民科学素质行动实施方案（2021—2025年）"  # the title first, not the id
    assert y["文号"] == "扬府办发〔2022〕37号" and y["条款数"] == 3 and y["状态"].startswith("现行有效")


def test_document_tree_shows_section_paths(app):
    html = app.policyqa.show_document("yangzhou#0")
    assert "二、（二）" in html and "农民科学素质提升行动" in html


def test_upload_adds_good_files_and_reports_bad_ones_keeping_index_intact(app, tmp_path):
    pa = app.policyqa
    saved = []
    pa.on_change = saved.append
    good = tmp_path / "hefei.txt"
    good.write_text("合肥市科普条例|合肥市|合肥市建设科普示范社区。", encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    status, rows, dd, *_ = pa.upload([str(good), str(bad)])
    status = status.replace("\\", "")  # Markdown escapes
    assert "broken.pdf" in status and "无法导入" in status
    assert "合肥市科普条例" in status
    assert {r[-1] for r in rows} == {"anhui#0", "yangzhou#0", "dangshan#0", "hefei#0"}
    assert pa.index.clauses["anhui#0/二、（一）"].text.startswith("加强科普基础设施建设")
    assert saved == [pa.index]
    assert "合肥市建设科普示范社区" in pa.open_clause("hefei#0/一、")


def test_upload_copies_files_into_the_corpus_folder_and_drops_failures(tmp_path):
    app, corpus = _store_app(tmp_path)
    src = tmp_path / "in"
    src.mkdir()
    (src / "hefei.txt").write_text("合肥|合肥市|文本。", encoding="utf-8")
    (src / "bad.txt").write_text("no fields", encoding="utf-8")
    app.policyqa.upload([str(src / "hefei.txt"), str(src / "bad.txt")])
    names = sorted(p.name for p in corpus.iterdir() if not p.name.startswith("."))
    assert names == ["anhui.txt", "dangshan.txt", "hefei.txt", "yangzhou.txt"]
    assert "hefei#0" in {r["id"] for r in app.policyqa.store.docs()}


def test_only_bad_files_leave_the_index_unchanged(app, tmp_path):
    pa = app.policyqa
    before = dict(pa.index.clauses)
    bad = tmp_path / "x.doc"
    bad.write_bytes(b"\x00\x01")
    status, *_ = pa.upload([str(bad)])
    assert "x\\.doc" in status
    assert pa.index.clauses.keys() == before.keys()


def test_remove_document_drops_its_clauses_and_persists(app, tmp_path):
    pa = app.policyqa
    saved = []
    pa.on_change = saved.append
    status, rows, *_ = pa.remove("dangshan#0")
    assert "已移除" in status
    assert "dangshan#0" not in pa.index.metas
    assert not [c for c in pa.index.clauses.values() if c.doc_id == "dangshan#0"]
    assert {r[-1] for r in rows} == {"anhui#0", "yangzhou#0"}
    assert saved == [pa.index]
    assert "砀山县" not in pa.precedent("科普基础设施建设")
    assert "不在索引中" in pa.open_clause("dangshan#0/三、")


def test_remove_moves_the_file_out_of_the_corpus_folder_into_the_trash(tmp_path):
    app, corpus = _store_app(tmp_path)
    before = (corpus / "yangzhou.txt").read_bytes()
    app.policyqa.remove("yangzhou#0")
    assert not (corpus / "yangzhou.txt").exists()
    [kept] = (corpus / ".policyqa" / "trash").iterdir()
    assert kept.name.endswith("--yangzhou.txt") and kept.read_bytes() == before
    assert "yangzhou#0" not in app.policyqa.index.metas


def test_default_answer_function_is_the_offline_composer_with_follow_ups_and_refusals():
    from fixtures.answer.fake_index import FakeIndex

    pa = create_app(FakeIndex()).policyqa  # no answer_fn: chatbot.answer.answer
    display, history, cites, copy, *_ = pa.ask("青田县到2025年公民具备科学素质的比例是多少？", [], [])
    assert "15%" in display[-1]["content"] and "\\[1\\]" in display[-1]["content"]
    assert "青政办发〔2022〕15号" in cites and "来源：" in copy
    display, history, *_ = pa.ask("那安徽省呢？", history, display)
    assert display[-1]["content"].startswith("*理解为：") and "16%" in display[-1]["content"]
    display, history, cites, *_ = pa.ask("浙江省杭州市科普经费是多少？", history, display)
    assert display[-1]["content"].startswith("**⚠ ") and "pq-refused" in cites and "pq-related" in cites


def test_upload_status_shows_file_names_and_errors_as_text(app, tmp_path):
    bad = tmp_path / "[x](javascript:alert(1))<img src=x onerror=alert(1)>.pdf"
    bad.write_bytes(b"junk")
    status, *_ = app.policyqa.upload([str(bad)])
    assert "<img" not in status and "](javascript" not in status


def test_render_doctests():
    import doctest

    assert doctest.testmod(render).failed == 0


def test_failed_upload_with_the_name_of_an_indexed_document_keeps_its_source_file(tmp_path):
    app, corpus = _store_app(tmp_path)
    before = (corpus / "yangzhou.txt").read_bytes()
    upload = tmp_path / "in" / "yangzhou.txt"
    upload.parent.mkdir()
    upload.write_text("not a parsable upload", encoding="utf-8")
    status, rows, *_ = app.policyqa.upload([str(upload)])
    assert "yangzhou" in status.replace("\\", "")
    assert (corpus / "yangzhou.txt").read_bytes() == before
    assert "yangzhou#0" in {r[-1] for r in rows}
    assert "yangzhou#0" in app.policyqa.store.open().metas  # and in the saved index


def test_admin_token_is_required_for_upload_and_remove(tmp_path):
    app, corpus = _store_app(tmp_path, admin_token="s3cret")
    pa = app.policyqa
    good = tmp_path / "hefei.txt"
    good.write_text("合肥市科普条例|合肥市|合肥市建设科普示范社区。", encoding="utf-8")
    status, *_ = pa.upload([str(good)], "wrong")
    assert "管理口令" in status and "hefei#0" not in pa.index.metas
    status, *_ = pa.remove("yangzhou#0", "")
    assert "管理口令" in status and "yangzhou#0" in pa.index.metas and (corpus / "yangzhou.txt").exists()
    pa.upload([str(good)], "s3cret")
    assert "hefei#0" in pa.index.metas


def test_read_only_app_neither_shows_nor_serves_upload_and_remove(tmp_path):
    app, _ = _store_app(tmp_path, read_only=True)
    apis = {fn.api_name for fn in app.fns.values()}
    assert "upload" not in apis and "remove" not in apis and "ask" in apis
    status, *_ = app.policyqa.remove("yangzhou#0")
    assert "只读" in status and "yangzhou#0" in app.policyqa.index.metas


def test_apostrophes_are_not_escaped_twice_and_long_clauses_are_shortened_with_details():
    assert render.md_text("it's") == "it's"
    long = "科普" * 300 + "<b>"
    html = render.clause_text_html(long)
    assert "展开全文（共 603 字）" in html and "<b>" not in html and html.count("&lt;b&gt;") == 1
    assert len(html.split("<details")[0]) < 260
