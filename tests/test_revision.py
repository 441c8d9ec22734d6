"""修订对照: article alignment by text (renumbered articles), marked words, .md/.docx export, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.revision import align_articles, compare_clauses, marked, summary
from chatbot.revision_export import to_markdown, write_docx
from ingest.pipeline import ingest_file
from policyqa.cli import main

VERSIONS = Path(__file__).parent / "fixtures" / "versions"
OLD, NEW = VERSIONS / "行政复议法(2017-09-01).md", VERSIONS / "行政复议法(2023-09-01).md"


@pytest.fixture(scope="module")
def rows():
    old, new = ingest_file(OLD, None)[0], ingest_file(NEW, None)[0]
    return compare_clauses(old.clauses, new.clauses)


def _row(rows, old_label="", new_label=""):
    return next(r for r in rows if (not old_label or r.old_label == old_label)
                and (not new_label or r.new_label == new_label))


def test_every_article_of_both_versions_appears_once(rows):
    olds = [r.old_label for r in rows if r.old_label]
    news = [r.new_label for r in rows if r.new_label]
    assert len(olds) == len(set(olds)) == 43  # 2017 text: 第一条…第四十三条
    assert len(news) == len(set(news)) == 90  # 2023 text: 第一条…第九十条
    s = summary(rows)
    assert s["added"] > 30 and s["changed"] > 20 and s["removed"] >= 1


def test_first_article_changed_with_words_marked(rows):
    r = _row(rows, "第一条", "第一条")
    assert r.kind == "changed"
    deleted = "".join(t for tag, t in r.diff if tag == "delete")
    inserted = "".join(t for tag, t in r.diff if tag == "insert")
    assert "具体" in deleted
    assert "发挥行政复议化解行政争议的主渠道作用" in inserted
    assert marked(r.diff, "old").count("~~") >= 2 and "**" in marked(r.diff, "new")


def test_renumbered_articles_are_matched_by_text_not_number(rows):
    # the sixty-day time limit: 2017 第九条 → 2023 第二十条
    r = _row(rows, old_label="第九条")
    assert r.new_label == "第二十条" and r.kind == "changed" and "六十日" in r.new_text
    # the right to sue after review: 2017 第五条 → 2023 第十条
    assert _row(rows, old_label="第五条").new_label == "第十条"


def test_new_articles_are_added(rows):
    r = _row(rows, new_label="第九条")
    assert r.kind == "added" and "表彰和奖励" in r.new_text and r.old_label == ""


def test_order_keeping_alignment_handles_a_removed_and_an_inserted_article():
    old = [("第一条", "为了加强科学技术普及工作，制定本条例。"), ("第二条", "科普工作由科学技术行政部门主管。"),
           ("第三条", "本条例自2004年1月1日起施行。")]
    new = [("第一条", "为了加强科学技术普及工作，制定本条例。"), ("第二条", "科普是公益事业，各级人民政府应当予以支持。"),
           ("第三条", "本条例自2025年10月1日起施行。")]
    rows = align_articles(old, new)
    assert [(r.kind, r.old_label, r.new_label) for r in rows] == [
        ("same", "第一条", "第一条"), ("removed", "第二条", ""), ("added", "", "第二条"), ("changed", "第三条", "第三条")]


def test_markdown_escapes_document_text():
    rows = align_articles([("第一条", "原文<b>粗</b>|列")], [("第一条", "原文<b>粗</b>|列，新增")])
    md = to_markdown(rows, "甲", "乙")
    assert "<b>" not in md and "&lt;b&gt;" in md and "\\|列" in md


def test_docx_export_marks_deleted_and_inserted_words(rows, tmp_path):
    from docx import Document

    out = write_docx(rows, tmp_path / "对照.docx", "旧", "新")
    table = Document(str(out)).tables[0]
    assert table.rows[0].cells[3].text == "原条文"
    first = table.rows[1]
    assert first.cells[0].text == "第一条" and first.cells[2].text == "修改"
    struck = [r.text for r in first.cells[3].paragraphs[0].runs if r.font.strike]
    bold = [r.text for r in first.cells[4].paragraphs[0].runs if r.bold]
    assert "具体" in "".join(struck) and "主渠道作用" in "".join(bold)


def test_cli_diff_writes_markdown_and_orders_versions_by_date(tmp_path, capsys):
    out = tmp_path / "diff.md"
    assert main(["diff", str(NEW), str(OLD), "-o", str(out)]) == 0  # given newest first
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 修订对照：《中华人民共和国行政复议法（2017-09-01）》→《中华人民共和国行政复议法（2023-09-01）》")
    assert "| 第九条 | 第二十条 | 修改 |" in text
    assert "earlier version" in capsys.readouterr().err


def test_cli_diff_unknown_document_is_a_clean_error(tmp_path, capsys):
    code = main(["diff", "no-such-file.md", str(OLD), "--corpus", str(VERSIONS)])
    assert code == 2
    err = capsys.readouterr().err
    assert "no-such-file.md" in err and "matches no file and no document" in err
