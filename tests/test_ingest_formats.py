"""The same document as UTF-8 / GBK / UTF-8-BOM .txt, .docx (with a table), text-layer .pdf (wrapped
lines and a page break inside a paragraph), .md and .html yields the same clause paths and texts.
Fixtures are generated here from one list of paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.config import IngestConfig
from ingest.load import load_text
from ingest.parse import parse_text

TITLE = "东阳县科普示范县创建工作方案"
PARAS = [
    "为深入贯彻《中华人民共和国科学技术普及法》，加快建设科普示范县，结合我县实际，制定本方案。",
    "一、工作目标",
    "1. 到2025年，全县公民具备科学素质的比例达到14%。（责任单位：县科协）",
    "2. 建成县级科普教育基地不少于8个，乡镇科普活动站实现全覆盖，各乡镇每年开展科普活动不少于12场次。"
    "（牵头单位：县科技局；配合单位：县财政局、各乡镇人民政府）",
    "二、重点任务",
    "（一）实施青少年科学素质提升行动",
    "1. 加强科学教育。每所中学至少建成1个标准化科学实验室，推动中小学开齐开足科学课程。〔责任单位：县教育局〕",
    "2. 开展馆校合作。县科技馆每年面向中小学生开放不少于100天。（县科协、县教育局按职责分工负责）",
    "（二）实施农民科学素质提升行动",
    "①培育高素质农民，每年培训300人；",
    "②推广科技小院，建设科技小院3个。",
    "三、任务分解",
]
TABLE = [["序号", "任务", "责任单位"], ["1", "建设科学实验室", "县教育局"], ["2", "培训高素质农民", "县农业农村局"]]
CLOSING = ["东阳县人民政府办公室", "2023年3月15日"]


def plain_text() -> str:
    rows = ["\t".join(r) for r in TABLE]
    return "\n".join([TITLE, *PARAS, *rows, *CLOSING]) + "\n"


def write_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=1)
    for p in PARAS:
        d.add_paragraph(p)
    t = d.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for i, row in enumerate(TABLE):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell
    for p in CLOSING:
        d.add_paragraph(p)
    d.save(str(path))


def write_pdf(path: Path, width: int = 24) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    lines = [TITLE]
    for p in PARAS:  # hard-wrap like a printed page
        lines += [p[i:i + width] for i in range(0, len(p), width)]
    lines += ["\t".join(r) for r in TABLE] + CLOSING
    y = 800
    for n, line in enumerate(lines):
        if n == 9:  # a page break in the middle of the 2nd item of 一、
            c.showPage()
            y = 800
        c.setFont("STSong-Light", 11)
        c.drawString(40, y, line)
        y -= 18
    c.showPage()
    c.save()


def write_md(path: Path) -> None:
    rows = ["| " + " | ".join(TABLE[0]) + " |", "|" + "---|" * len(TABLE[0])]
    rows += ["| " + " | ".join(r) + " |" for r in TABLE[1:]]
    body = [f"# {TITLE}", *[f"## {p}" if p.startswith(("一、", "二、", "三、")) else p for p in PARAS],
            "\n".join(rows), *CLOSING]
    path.write_text("\n\n".join(body) + "\n", encoding="utf-8")


def write_html(path: Path) -> None:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in TABLE)
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    closing = "".join(f"<p>{p}</p>" for p in CLOSING)
    path.write_text(f"<html><head><meta charset='utf-8'><title>x</title><style>p{{}}</style></head><body>"
                    f"<h1>{TITLE}</h1>{body}<table>{cells}</table>{closing}</body></html>", encoding="utf-8")


def clauses_of(path: Path):
    [doc] = parse_text(load_text(path, IngestConfig()), path.name, IngestConfig())
    return doc, [(c.section_path, c.kind, c.text, c.responsible) for c in doc.clauses]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    p = tmp_path_factory.mktemp("ref") / "plan.txt"
    p.write_text(plain_text(), encoding="utf-8")
    return clauses_of(p)


def test_reference_document_is_parsed_as_expected(reference):
    doc, clauses = reference
    assert doc.meta.title == TITLE and doc.meta.date == "2023-03-15" and doc.meta.region == "东阳县"
    assert [c[0] for c in clauses if c[1] == "item"] == [
        "一、1.", "一、2.", "二、（一）1.", "二、（一）2.", "二、（二）①", "二、（二）②"]
    rows = [c for c in clauses if c[1] == "table"]
    assert [r[0] for r in rows] == ["三、", "三、"] and rows[1][2] == "序号\t任务\t责任单位\n2\t培训高素质农民\t县农业农村局"
    assert rows[1][3] == ["县农业农村局"]


@pytest.mark.parametrize("kind", ["gbk", "gb18030", "utf-8-sig", "docx", "pdf", "md", "html"])
def test_same_clauses_in_every_format(tmp_path, reference, kind):
    if kind in ("gbk", "gb18030", "utf-8-sig"):
        path = tmp_path / "plan.txt"
        path.write_bytes(plain_text().encode(kind))
    else:
        path = tmp_path / f"plan.{kind}"
        {"docx": write_docx, "pdf": write_pdf, "md": write_md, "html": write_html}[kind](path)
    doc, clauses = clauses_of(path)
    assert clauses == reference[1]
    assert (doc.meta.title, doc.meta.date, doc.meta.region, doc.meta.level) == (TITLE, "2023-03-15", "东阳县", "县")


_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."),
           ("decimalEnclosedCircle", "%4")]


def write_docx_autonumbered(path: Path) -> None:
    """Like write_docx, but the numbering markers are Word automatic numbering, not text."""
    import re

    import docx
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{f}"/><w:lvlText w:val="{t}"/>'
                   f"</w:lvl>" for i, (f, t) in enumerate(_LEVELS))
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {ns} w:abstractNumId="90">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    d.add_heading(TITLE, level=1)
    markers = [(r"^[一二三四五六七八九十]+、", 0), (r"^（[一二三四五六七八九十]+）", 1), (r"^\d+\.\s*", 2), (r"^[①-⑳]", 3)]
    for p in PARAS:
        for rx, ilvl in markers:
            m = re.match(rx, p)
            if m:
                para = d.add_paragraph(p[m.end():])
                para._p.get_or_add_pPr().append(parse_xml(
                    f'<w:numPr {ns}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))
                break
        else:
            d.add_paragraph(p)
    t = d.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for i, row in enumerate(TABLE):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell
    for p in CLOSING:
        d.add_paragraph(p)
    d.save(str(path))


def test_word_automatic_numbering_is_rendered_back(tmp_path, reference):
    path = tmp_path / "auto.docx"
    write_docx_autonumbered(path)
    import docx

    stored = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "工作目标" in stored and "一、工作目标" not in stored  # the labels are not in the text
    _doc, clauses = clauses_of(path)
    assert clauses == reference[1]
