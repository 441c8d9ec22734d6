"""Loaders: the decoded text of .txt / .md / .html / .docx / .pdf, or a clear ``IngestError``.

- ``.txt``: encoding detected, never assumed: BOM (UTF-8 / UTF-16), then strict UTF-8, then strict
  GB18030 (a superset of GBK / GB2312), then charset-normalizer; text that still looks binary
  (NUL bytes, control characters, mostly undecodable) is refused.
- ``.md``: headings ``#`` and emphasis marks removed, pipe tables turned into tab-separated rows.
- ``.html``: block elements become lines, tables become tab-separated rows, scripts dropped.
- ``.docx``: paragraphs and tables in document order; a table row is one tab-separated line;
  Word automatic numbering (一、 （一） 1. … drawn by Word, absent from the text) is rendered back.
- ``.pdf``: pypdf text layer, pages separated by a blank line (page breaks are repaired by the
  parser); a PDF with (almost) no text is refused: "no text layer, OCR needed".

Every file is checked against ``IngestConfig.max_file_mb`` before it is read.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "gbk.txt"
>>> _ = p.write_bytes("（一）强化各级党委和政府科普工作领导责任。".encode("gbk"))
>>> load_text(p, IngestConfig())
'（一）强化各级党委和政府科普工作领导责任。'
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from ingest.config import IngestConfig
from ingest.types import IngestError


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _supported(config: IngestConfig) -> str:
    return ", ".join(config.suffixes)


def check_size(path: Path, config: IngestConfig) -> int:
    size = path.stat().st_size
    limit = int(config.max_file_mb * 1024 * 1024)
    if size > limit:
        raise IngestError(
            path, f"file is {size / 1024 / 1024:.1f} MB, larger than the {config.max_file_mb:g} MB limit",
            "raise IngestConfig.max_file_mb (policyqa ingest --max-file-mb N) or split the file")
    return size


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    if "\x00" in sample:
        return True
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd"
              or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(sample) > 0.02


def decode_bytes(data: bytes, path: Path) -> str:
    """Decode text bytes, detecting the encoding (see module docstring)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise IngestError(path, f"has a {enc} byte-order mark but invalid {enc} bytes ({exc.reason})",
                                  "re-save the file as UTF-8") from exc
    if b"\x00" in data[:20000]:
        raise IngestError(path, "looks like binary data (NUL bytes), not text",
                          "convert it to .txt/.docx/.pdf text first")
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text):
            return text
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detector failure is reported below
        best = None
    if best is not None:
        text = str(best)
        if not _looks_binary(text):
            return text
    raise IngestError(path, "could not be decoded as text (tried UTF-8, GB18030/GBK and detection); "
                            "it looks like binary data", "save it as UTF-8 text or convert it to .docx/.pdf")


def _read_text(path: Path) -> str:
    return decode_bytes(path.read_bytes(), path)


def _md_to_text(md: str) -> str:
    lines = []
    for line in md.splitlines():
        s = line.strip()
        if re.fullmatch(r"\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?", s):
            continue  # table separator row
        if s.startswith("|") and s.endswith("|") and s.count("|") >= 2:
            lines.append("\t".join(c.strip() for c in s[1:-1].split("|")))
            continue
        s = re.sub(r"^#{1,6}\s+", "", s)
        s = re.sub(r"(\*\*|__)(.+?)\1", r"\2", s)
        lines.append(s)
    return "\n".join(lines)


_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "section", "article", "title",
           "blockquote", "pre", "table")


# page chrome of government sites: navigation, breadcrumbs ("首页 > 政务公开 > 政策文件"), menus, footers
_CHROME = re.compile(r"(?:^|[-_\s])(?:nav|navbar|breadcrumbs?|crumbs?|menu|footer|position|location|dqwz)(?:$|[-_\s])", re.I)
_CRUMB_LINE = re.compile(r"^(?:当前位置[:：]?\s*)?首页\s*(?:[>›»＞/]|&gt;)")


def _html_to_text(html: str) -> str:
    """Text of an HTML page, one block per line, without scripts and page chrome.

    >>> print(_html_to_text('<div class="nav">首页 &gt; 政务公开</div><h1>某县科普方案</h1><p>一、总体要求</p>'))
    某县科普方案
    一、总体要求
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for bad in soup(["script", "style", "noscript", "head", "nav", "header", "footer"]):
        bad.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        attrs = getattr(tag, "attrs", None) or {}
        names = " ".join([*(attrs.get("class") or []), str(attrs.get("id") or "")])
        if names.strip() and _CHROME.search(names) and len(tag.get_text(strip=True)) < 200:
            tag.decompose()
    for tr in soup.find_all("tr"):
        cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
        tr.replace_with(soup.new_string("\n" + "\t".join(cells) + "\n"))
    for br in soup.find_all("br"):
        br.replace_with(soup.new_string("\n"))
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before(soup.new_string("\n"))
        tag.insert_after(soup.new_string("\n"))
    text = soup.get_text()
    lines = [ln.strip(" \r\xa0") for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln and not _CRUMB_LINE.match(ln))


def _read_docx(path: Path) -> str:
    try:
        import docx
        from docx.document import Document as _Doc
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover
        raise IngestError(path, "python-docx is not installed", "pip install python-docx") from exc
    try:
        d: _Doc = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError(path, f"is not a readable .docx (corrupt or not a Word 2007+ file: {_one_line(exc)})",
                          "open and re-save it in Word/WPS, or export it as .pdf/.txt") from exc
    except Exception as exc:
        raise IngestError(path, f"is not a readable .docx ({type(exc).__name__}: {_one_line(exc)})",
                          "open and re-save it in Word/WPS") from exc
    from ingest.docx_numbering import Numbering
    from ingest.normalize import fold, is_marker_start

    numbering = Numbering(d)
    lines: list[str] = []
    for block in d.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.replace("\n", " ").strip()
            label = numbering.label(block)  # Word automatic numbering is not in the text
            if label and text and not is_marker_start(fold(text)):
                text = label + text
            lines.append(text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _read_pdf(path: Path, config: IngestConfig) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover
        raise IngestError(path, "pypdf is not installed", "pip install pypdf") from exc
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise IngestError(path, f"is not a readable PDF ({_one_line(exc)})", "re-export it as PDF or .docx") from exc
    except Exception as exc:
        raise IngestError(path, f"is not a readable PDF ({type(exc).__name__}: {_one_line(exc)})",
                          "re-export it as PDF or .docx") from exc
    chars = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if not pages or chars < config.min_pdf_chars_per_page * len(pages):
        raise IngestError(path, f"PDF has no text layer ({chars} characters on {len(pages)} pages), OCR needed",
                          "run OCR (e.g. ocrmypdf) or provide the .docx/.txt version")
    return "\n\n".join(p.strip("\n") for p in pages)


def load_text(path: Path, config: IngestConfig | None = None) -> str:
    """Decoded text of a supported file; raises ``IngestError(path, reason, hint)`` otherwise."""
    cfg = config or IngestConfig()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in cfg.suffixes:
        raise IngestError(path, f"unsupported file type '{suffix or '(none)'}'",
                          f"supported formats: {_supported(cfg)}")
    if not path.is_file():
        raise IngestError(path, "does not exist or is not a file", "check the path")
    if check_size(path, cfg) == 0:
        raise IngestError(path, "is empty (0 bytes)", "nothing to ingest; remove it or add the document text")
    if suffix == ".txt":
        text = _read_text(path)
    elif suffix in (".md", ".markdown"):
        text = _md_to_text(_read_text(path))
    elif suffix in (".html", ".htm"):
        text = _html_to_text(_read_text(path))
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _read_pdf(path, cfg)
    if not text.strip():
        raise IngestError(path, "contains no text (only whitespace)", "nothing to ingest")
    return text
