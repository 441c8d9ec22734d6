"""修订对照 as Markdown and .docx: one row per article (原条文 | 修订后条文 | 变化), changed words marked.

Markdown marks deleted words ~~like this~~ and inserted words **like this**; the .docx shows
deleted words struck through in red and inserted words bold and underlined in blue. Text is
escaped (Markdown) and stripped of XML-illegal characters (.docx); files are written atomically.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from chatbot.export import _atomic_write
from chatbot.revision import RevisionRow, marked, summary

KIND_LABEL = {"same": "未改", "changed": "修改", "added": "新增", "removed": "删除"}
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _esc(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("*", "\\*").replace("~", "\\~")


def _escaped_diff(row: RevisionRow) -> list[tuple[str, str]]:
    return [(tag, _esc(t)) for tag, t in row.diff]


def summary_line(rows: Sequence[RevisionRow]) -> str:
    """``修改 31 条，新增 58 条，删除 11 条，未改 1 条``."""
    s = summary(rows)
    return "，".join(f"{KIND_LABEL[k]} {s[k]} 条" for k in ("changed", "added", "removed", "same"))


def to_markdown(rows: Sequence[RevisionRow], old_title: str, new_title: str, include_same: bool = False) -> str:
    """The comparison table in Markdown (unchanged articles left out unless ``include_same``).

    >>> from chatbot.revision import align_articles
    >>> rows = align_articles([("第一条", "为了加强科普工作，制定本条例。")], [("第一条", "为了加强科普工作，提高素质，制定本条例。")])
    >>> print(to_markdown(rows, "某省科普条例（2003）", "某省科普条例（2025）").splitlines()[-1])
    | 第一条 | 第一条 | 修改 | 为了加强科普工作，制定本条例。 | 为了加强科普工作，**提高素质，**制定本条例。 |
    """
    lines = [f"# 修订对照：《{_esc(old_title)}》→《{_esc(new_title)}》", "", summary_line(rows) + "。", "",
             "| 原条 | 现条 | 变化 | 原条文 | 修订后条文 |", "|---|---|---|---|---|"]
    for r in rows:
        if r.kind == "same" and not include_same:
            continue
        if r.kind == "changed":
            d = _escaped_diff(r)
            old_cell, new_cell = marked(d, "old"), marked(d, "new")
        else:
            old_cell, new_cell = _esc(r.old_text), _esc(r.new_text)
        kind = KIND_LABEL[r.kind] + ("（移动）" if r.moved else "")
        lines.append(f"| {r.old_label} | {r.new_label} | {kind} | {old_cell} | {new_cell} |")
    return "\n".join(lines) + "\n"


def write_markdown(rows: Sequence[RevisionRow], path: Path, old_title: str, new_title: str) -> Path:
    text = to_markdown(rows, old_title, new_title)
    return _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def _runs(paragraph, diff: Sequence[tuple[str, str]], side: str) -> None:
    from docx.shared import RGBColor

    for tag, text in diff:
        text = _XML_ILLEGAL.sub(" ", text)
        if tag == "equal":
            paragraph.add_run(text)
        elif tag == "delete" and side == "old":
            run = paragraph.add_run(text)
            run.font.strike = True
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        elif tag == "insert" and side == "new":
            run = paragraph.add_run(text)
            run.bold = True
            run.underline = True
            run.font.color.rgb = RGBColor(0x00, 0x33, 0xAA)


def write_docx(rows: Sequence[RevisionRow], path: Path, old_title: str, new_title: str) -> Path:
    """A Word document: heading, summary line, one table row per added / removed / changed article."""
    from docx import Document as DocxDocument

    doc = DocxDocument()
    doc.add_heading(f"修订对照：《{old_title}》→《{new_title}》", level=1)
    doc.add_paragraph(summary_line(rows) + "。删除的字词以红色删除线标出，新增的字词以蓝色粗体下划线标出。")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, ("原条", "现条", "变化", "原条文", "修订后条文"), strict=True):
        cell.text = head
    for r in rows:
        if r.kind == "same":
            continue
        cells = table.add_row().cells
        cells[0].text, cells[1].text = r.old_label, r.new_label
        cells[2].text = KIND_LABEL[r.kind] + ("（移动）" if r.moved else "")
        if r.kind == "changed":
            _runs(cells[3].paragraphs[0], r.diff, "old")
            _runs(cells[4].paragraphs[0], r.diff, "new")
        else:
            cells[3].text = _XML_ILLEGAL.sub(" ", r.old_text)
            cells[4].text = _XML_ILLEGAL.sub(" ", r.new_text)
    return _atomic_write(path, lambda tmp: doc.save(tmp))
