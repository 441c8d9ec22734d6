"""Write a LawRefBook Markdown law as .docx or .html (how two laws of ``eval/corpora/laws2/`` were made).

The ``laws2`` gold set covers other file formats with real text: two of its six laws are
converted from the LawRefBook ``.md`` with this script, so the loaders for Word and HTML see
the same 第X章/第X条 text a user would hand in. ``# title`` becomes the Word title / ``<h1>``,
``## 第X章`` a heading, every other non-empty line one paragraph; the LawRefBook marker
``<!-- INFO END -->`` is dropped (a real Word or web copy has none)::

    python scripts/laws2_formats.py SOURCE.md eval/corpora/laws2/NAME.docx
    python scripts/laws2_formats.py SOURCE.md eval/corpora/laws2/NAME.html
"""

from __future__ import annotations

import argparse
import html
import os
from pathlib import Path


def blocks(md: str) -> list[tuple[str, str]]:
    """``(kind, text)`` per non-empty line: kind is ``title``, ``heading`` or ``p``.

    >>> blocks("# 人工影响天气管理条例\\n\\n<!-- INFO END -->\\n## 第一章 总则\\n第一条 为了加强管理，制定本条例。")
    [('title', '人工影响天气管理条例'), ('heading', '第一章 总则'), ('p', '第一条 为了加强管理，制定本条例。')]
    """
    out: list[tuple[str, str]] = []
    for line in md.splitlines():
        s = line.strip()
        if not s or s.startswith("<!--"):
            continue
        if s.startswith("# "):
            out.append(("title", s[2:].strip()))
        elif s.startswith("#"):
            out.append(("heading", s.lstrip("#").strip()))
        else:
            out.append(("p", s))
    return out


def to_html(parts: list[tuple[str, str]]) -> str:
    title = next((t for k, t in parts if k == "title"), "")
    tag = {"title": "h1", "heading": "h2", "p": "p"}
    body = "\n".join(f"<{tag[k]}>{html.escape(t)}</{tag[k]}>" for k, t in parts)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8"><title>{html.escape(title)}</title></head>\n'
            f"<body>\n{body}\n</body>\n</html>\n")


def write_docx(parts: list[tuple[str, str]], dest: Path) -> None:
    import docx

    d = docx.Document()
    for kind, text in parts:
        if kind == "title":
            d.add_heading(text, level=0)
        elif kind == "heading":
            d.add_heading(text, level=1)
        else:
            d.add_paragraph(text)
    d.save(str(dest))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("dest", type=Path, help="ends in .docx or .html")
    args = ap.parse_args(argv)
    parts = blocks(args.source.read_text(encoding="utf-8"))
    tmp = args.dest.with_name(args.dest.name + ".tmp" + args.dest.suffix)
    if args.dest.suffix == ".docx":
        write_docx(parts, tmp)
    elif args.dest.suffix in (".html", ".htm"):
        tmp.write_text(to_html(parts), encoding="utf-8")
    else:
        ap.error(f"{args.dest}: expected a .docx or .html destination")
    os.replace(tmp, args.dest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
