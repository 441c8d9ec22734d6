"""Export precedent tables as Markdown and .docx (文件 | 条款 | 原文), written atomically."""

from __future__ import annotations

import html
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from chatbot.precedent import PrecedentGroup

HEADERS = ("文件", "条款", "原文")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _md_cell(text: str) -> str:
    """Table-cell safe and inert: no raw HTML, no column breaks; renders as the original text."""
    s = html.escape(text.strip(), quote=False).replace("|", "\\|")
    return "<br>".join(line.strip() for line in s.splitlines())


def rows(groups: Sequence[PrecedentGroup]) -> list[tuple[str, str, str]]:
    """(文件, 条款, 原文) for every clause: the document label, the section path, the verbatim text."""
    out = []
    for g in groups:
        doc = g.meta.citation_label()
        for it in g.items:
            out.append((doc, it.clause.section_path or "（正文）", it.clause.text))
    return out


def to_markdown(groups: Sequence[PrecedentGroup], topic: str = "") -> str:
    lines = []
    if topic:
        lines += [f"# 先例对照：{_md_cell(topic)}", ""]
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|---|---|---|")
    for doc, path, text in rows(groups):
        lines.append(f"| {_md_cell(doc)} | {_md_cell(path)} | {_md_cell(text)} |")
    return "\n".join(lines) + "\n"


def _atomic_write(path: Path, write) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_markdown(groups: Sequence[PrecedentGroup], path: Path, topic: str = "") -> Path:
    text = to_markdown(groups, topic)
    return _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def to_docx(groups: Sequence[PrecedentGroup], path: Path, topic: str = "") -> Path:
    """A Word document with one table (文件 | 条款 | 原文); the clause text is verbatim."""
    from docx import Document as DocxDocument

    doc = DocxDocument()
    doc.add_heading(f"先例对照：{topic}" if topic else "先例对照", level=1)
    data = rows(groups)
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = head
    for values in data:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = _XML_ILLEGAL.sub(" ", value)  # Word XML cannot hold control characters
    return _atomic_write(path, lambda tmp: doc.save(tmp))
