"""From decoded text to Documents: split a file into its documents, read their metadata, emit clauses.

A file may hold several documents. A new one starts after a closed document (its signature date,
possibly followed by 抄送 / (此件公开发布) lines) when a title line follows, and at an ``附件N``
line. A cover notice ``关于印发《X》的通知`` followed by X itself is *one* document: X, with the
cover's 文号, date and issuers, and the cover's text as a ``header`` clause. Any other later
document (a plan forwarded by a notice, an attachment) is its own Document with ``parent_doc_id``
pointing at the file's first document; if the first document cites it as ``《…X…》（文号）``, that
文号 is its number.

Clause kinds: ``item`` (numbered clause), ``article`` (第X条 of a law), ``preamble`` (text before the
first numbered heading), ``header`` (the text of a cover / forwarding notice), ``table`` (one table
row, header row prepended), ``heading`` (a bare numbered heading with no body and no children),
``closing`` (抄送 / signature / date lines).

>>> text = "关于印发《青田县科普工作方案》的通知\\n各乡镇：\\n现印发给你们。\\n青田县科学技术局\\n2024年3月1日\\n" \\
...        "青田县科普工作方案\\n一、主要任务\\n（一）开展科普活动。每年不少于10场。（责任单位：县科协）\\n"
>>> [doc] = parse_text(text, "qt.txt", IngestConfig())
>>> doc.meta.title, doc.meta.region, doc.meta.level, doc.meta.date, doc.meta.doc_type
('青田县科普工作方案', '青田县', '县', '2024-03-01', '方案')
>>> [(c.section_path, c.kind, c.responsible) for c in doc.clauses]
[('', 'header', []), ('一、（一）', 'item', ['县科协'])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from ingest import meta as M
from ingest.config import IngestConfig
from ingest.dates import annotate
from ingest.normalize import Para, paragraphs
from ingest.structure import Node, build_tree, detect_marker
from ingest.types import Clause, DocMeta, Document
from ingest.units import responsible_units, split_units
from lang.dates import ADOPTION_LINE

_UNIT_COLUMNS = {"责任单位", "牵头单位", "配合单位", "责任部门", "牵头部门", "配合部门", "主责单位"}


@dataclass
class Segment:
    paras: list[Para]
    attachment: str = ""  # "附件2" when the segment starts with such a line
    title: str = ""
    title_folded: str = ""
    issuers: list[str] = field(default_factory=list)
    doc_number: str = ""
    dates: list[str] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    tail: list[Para] = field(default_factory=list)
    head: list[Para] = field(default_factory=list)  # leading letterhead / title block (not in body or tail)


def _is_title_like(p: Para, cfg: IngestConfig) -> bool:
    f = p.folded
    return (not p.table and M.is_plain(f) and len(f) <= cfg.title_max_chars and detect_marker(f) is None
            and not M.is_date_line(f) and not M.doc_number_of(p.text) and not M.issuers_of(f, p.text)
            and not M.is_public_note(f) and not M.is_red_header(f) and not M.is_attachment_heading(f))


def _is_closing(p: Para) -> bool:
    f = p.folded
    return (M.is_date_line(f) or M.is_public_note(f) or M.is_cc_line(f) or bool(M.issuers_of(f, p.text)))


def split_segments(paras: list[Para], cfg: IngestConfig) -> list[list[Para]]:
    """Cut a file's paragraphs where a new document starts (see module docstring)."""
    segs: list[list[Para]] = [[]]
    closed = body = False
    for p in paras:
        f = p.folded
        new = bool(segs[-1]) and (M.is_attachment_heading(f) or (closed and _is_title_like(p, cfg)))
        if new:
            segs.append([])
            closed = body = False
        segs[-1].append(p)
        if M.is_date_line(f) and body:
            closed = True
        elif closed and _is_closing(p):
            pass
        else:
            closed = False
            if not M.is_plain(f) or p.table or detect_marker(f):
                body = True
    return [s for s in segs if s]


def read_segment(paras: list[Para], cfg: IngestConfig) -> Segment:
    """Header block (title, 文号, issuers, date), body and closing block of one document."""
    seg = Segment(paras)
    i = 0
    if paras and M.is_attachment_heading(paras[0].folded):
        seg.attachment = paras[0].text.strip().rstrip(":：")
        i = 1
    head_end = i  # end of the leading run of header lines (letterhead, 文号, title, draft mark, date)
    title_parts: list[Para] = []
    extra: list[Para] = []
    title_done = toc = False
    while i < len(paras):
        p = paras[i]
        f = p.folded
        if re.sub(r"\s", "", f) == "目录":
            i = _skip_toc(paras, i + 1, cfg)
            title_done = toc = True
            continue
        if p.table or not M.is_plain(f) or detect_marker(f):
            break
        paren = bool(re.match(r"^\(.*\)$", f.strip()))
        if M.doc_number_of(p.text):
            seg.doc_number = seg.doc_number or p.text.strip()
        elif M.is_red_header(f) or M.is_status_note(f) or M.is_public_note(f):
            pass
        elif M.is_date_line(f):
            seg.dates.append(M.iso_date(f))
        elif not paren and _ADOPTED_LINE.match(f.strip()):
            # "1999年4月29日 第九届全国人民代表大会常务委员会第九次会议通过": history, not title
            seg.dates.append(M.iso_date(_ADOPTED_LINE.match(f.strip()).group(1)))
            title_done = title_done or bool(title_parts)  # the history follows the title: "总则" after it is body
        elif title_parts and not paren and _MONTH_START.match(f.strip()):
            title_done = True  # a history line broken mid-date ("2014年9月26" / "日…批准"): the title has ended
        elif M.issuers_of(f, p.text):
            seg.issuers += [x for x in M.issuers_of(f, p.text) if x not in seg.issuers]
            title_done = title_done or bool(title_parts)
        elif paren and title_parts and not title_done and _YEAR_RANGE.match(f.strip()):
            title_parts.append(p)  # （2021—2025年）
        elif not paren and not title_done and len(title_parts) < 3:
            title_parts.append(p)
        else:
            title_done = True
            note = _ADOPTED.match(f.strip())
            if note:
                seg.dates.append(M.iso_date(note.group(1)))
            extra.append(p)
        if not extra and not toc:
            head_end = i + 1
        i += 1
    seg.head = paras[:head_end]
    seg.title = "".join(p.text.strip() for p in title_parts)
    seg.title_folded = "".join(p.folded.strip() for p in title_parts)
    rest = extra + paras[i:]
    j = len(rest)
    while j > 0 and _is_closing(rest[j - 1]) and not rest[j - 1].table:
        j -= 1
    seg.body, seg.tail = rest[:j], rest[j:]
    for p in seg.tail:
        if M.is_date_line(p.folded):
            seg.dates.append(M.iso_date(p.folded))
        else:
            seg.issuers += [x for x in M.issuers_of(p.folded, p.text) if x not in seg.issuers]
    return seg


_YEAR_RANGE = re.compile(r"^\(\s*\d{4}\s*年?\s*[-—–~至－]+\s*\d{4}\s*年?\s*\)$")
_ADOPTED_LINE = ADOPTION_LINE  # history, not title
_MONTH_START = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月")  # no title starts with a year and month
_ADOPTED = re.compile(r"^\(\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日).*(通过|公布|发布|修订|修正|批准|施行)")


def _skip_toc(paras: list[Para], i: int, cfg: IngestConfig) -> int:
    """Index after a table of contents (目录): its entries are bare headings, and it ends where the
    first entry appears again as the real heading."""
    first = None
    j = i
    while j < len(paras):
        f = re.sub(r"\s", "", paras[j].folded)
        m = detect_marker(paras[j].folded)
        if m is None or not M.is_plain(paras[j].folded) or len(f) > cfg.heading_max_chars:
            return j
        if first is None:
            first = f
        elif f == first:
            return j
        j += 1
    return i


def _cited_number(parent_text: str, title: str) -> str:
    """文号 that a parent document gives for ``title``: ``《关于印发X的通知》（皖科才〔2023〕2号）``."""
    key = M.title_key(title)
    if not key:
        return ""
    f = M.fold(parent_text)
    for m in re.finditer(r"《([^《》]{4,120})》\s*\(\s*(" + M.DOCNO_RX.pattern + r")\s*\)", f):
        cited = M.title_key(m.group(1))
        if cited == key or re.fullmatch(r"关于(印发|转发)" + re.escape(key) + r"的(通知|函)", cited):
            return parent_text[m.start(2):m.end(2)]
    return ""


class _Emitter:
    def __init__(self, doc_id: str, source: str, cfg: IngestConfig) -> None:
        self.doc_id, self.source, self.cfg = doc_id, source, cfg
        self.clauses: list[Clause] = []
        self.ids: set[str] = set()

    def add(self, paras: list[Para], path: str, headings: list[str], kind: str, text: str | None = None) -> None:
        if not paras:
            return
        order = len(self.clauses)
        text = "\n".join(p.text for p in paras) if text is None else text
        cid = f"{self.doc_id}/{path or 'p' + str(order)}"
        if cid in self.ids:
            cid = f"{cid}@{order}"
        self.ids.add(cid)
        self.clauses.append(Clause(
            clause_id=cid, doc_id=self.doc_id, source=self.source, section_path=path, headings=list(headings),
            text=text, responsible=responsible_units(text), kind=kind,
            start=paras[0].start, end=paras[-1].end, order=order))

    def items(self, items: list[Para], path: str, headings: list[str], kind: str) -> None:
        run: list[Para] = []
        table: list[Para] = []

        def flush_table() -> None:
            if not table:
                return
            header, rows = table[0], table[1:]
            if not rows:
                self.add([header], path, headings, "table")
            cols = [i for i, h in enumerate(header.text.split("\t")) if h.strip() in _UNIT_COLUMNS]
            for r in rows:
                self.add([r], path, headings, "table", text=header.text + "\n" + r.text)
                cells = r.text.split("\t")
                extra = [u for i in cols if i < len(cells) for u in split_units(cells[i])]
                c = self.clauses[-1]
                c.responsible += [u for u in extra if u not in c.responsible]
            table.clear()

        for p in items:
            if p.table:
                self.add(run, path, headings, kind)
                run = []
                table.append(p)
            else:
                flush_table()
                run.append(p)
        self.add(run, path, headings, kind)
        flush_table()

    def tree(self, node: Node, path: str, headings: list[str], root_kind: str) -> None:
        if node.type == "root":
            self.items(node.items, "", [], root_kind)
        elif node.type == "label":
            self.items(node.items, path, headings, "item")
        else:
            kind = "article" if node.type == "law_tiao" else "item"
            only_heading = len(node.items) == 1 and not node.items[0].table
            f = node.items[0].folded if only_heading else ""
            just_heading = only_heading and not f[f.find("。") + 1:].strip() if "。" in f else only_heading
            if only_heading and (node.bare or (just_heading and node.children)):
                if not node.children:
                    self.add(node.items, path, headings, "heading")
            elif node.bare and len(node.items) > 1 and node.items[1].table:
                # "三、任务分解" followed by its table: the heading goes into the rows' heading chain
                self.items(node.items[1:], path, headings + [node.heading], kind)
            else:
                self.items(node.items, path, headings, kind)
        below = headings + ([node.heading] if node.heading else [])
        for child in node.children:
            self.tree(child, path + child.marker, below, root_kind)


def _contiguous(block: list[Para], pos: dict[int, int]) -> bool:
    """Whether ``block`` is a run of consecutive paragraphs of the file (so one clause can span it)."""
    idx = [pos.get(id(p), -1) for p in block]
    return all(b == a + 1 for a, b in zip(idx, idx[1:], strict=False)) and -1 not in idx


def _add_head(em: _Emitter, head: list[Para], paras: list[Para], pos: dict[int, int]) -> None:
    """Put a document's letterhead / title block (issuing bodies, 文件, 文号, title, （征求意见稿）) into a
    ``header`` clause: the first clause when that is a header starting right after it, else a header of
    its own (id ``<doc_id>/head``, first in reading order; the other clauses keep their ids)."""
    if not head or not _contiguous(head, pos):
        return
    nxt = pos[id(head[-1])] + 1
    first = em.clauses[0] if em.clauses else None
    if first is not None and first.kind == "header" and nxt < len(paras) and first.start == paras[nxt].start:
        first.text = "\n".join(p.text for p in head) + "\n" + first.text
        first.start = head[0].start
        return
    em.add(head, "", [], "header")
    c = em.clauses.pop()
    em.ids.discard(c.clause_id)
    c.clause_id = f"{em.doc_id}/head"
    em.clauses.insert(0, c)
    for n, c in enumerate(em.clauses):
        c.order = n


def _meta_for(seg: Segment, doc_id: str, source: str) -> DocMeta:
    meta = DocMeta(doc_id=doc_id, source=source, title=seg.title, issuers=list(seg.issuers),
                   doc_number=seg.doc_number, date=seg.dates[0] if seg.dates else "",
                   doc_type=M.doc_type_of(seg.title))
    return meta


def _place(meta: DocMeta, seg_text: str) -> None:
    region, level = M.region_level(meta.title)
    if not region:
        for iss in meta.issuers:
            region, level = M.region_level(iss)
            if region:
                break
    if not region:
        region, level = M.province_in_text(seg_text)
    meta.region, meta.level = region, level


def parse_text(text: str, source: str, config: IngestConfig | None = None, stem: str | None = None) -> list[Document]:
    """Parse the decoded text of one file into its documents (metadata + clauses in reading order).

    Document ids are ``<stem>#<n>``; ``stem`` defaults to the file name without its extension.
    """
    cfg = config or IngestConfig()
    source = PurePath(source).name
    stem = stem or PurePath(source).stem
    paras = paragraphs(text, cfg.artefact_patterns, cfg.heading_max_chars)
    segs = [read_segment(s, cfg) for s in split_segments(paras, cfg)]
    pos = {id(p): n for n, p in enumerate(paras)}
    docs: list[Document] = []
    k = 0
    while k < len(segs):
        seg = segs[k]
        doc_id = f"{stem}#{len(docs)}"
        cover: Segment | None = None
        fwd = M.forwarded_title(seg.title_folded, seg.title)
        if fwd and k + 1 < len(segs) and M.title_key(segs[k + 1].title) == M.title_key(fwd):
            cover, seg = seg, segs[k + 1]
            k += 1
        meta = _meta_for(seg, doc_id, source)
        if cover is not None:
            meta.title = seg.title or fwd
            meta.doc_number = cover.doc_number or seg.doc_number
            meta.issuers = list(cover.issuers or seg.issuers)
            meta.date = (cover.dates or seg.dates or [""])[0]
            meta.doc_type = M.doc_type_of(meta.title)
        elif not seg.title and fwd:
            meta.title = fwd
        if docs and cover is None:
            parent = docs[0]
            meta.parent_doc_id = parent.meta.doc_id
            if not meta.doc_number:
                parent_text = "\n".join(c.text for c in parent.clauses)
                meta.doc_number = _cited_number(parent_text, meta.title)
        seg_text = "\n".join(p.text for p in seg.paras)
        _place(meta, seg_text)
        em = _Emitter(doc_id, source, cfg)
        is_notice = cover is not None
        if cover is not None:
            # the cover notice with its letterhead, then the title block of the document it issues
            block = cover.head + cover.body + cover.tail + seg.head
            if not _contiguous(block, pos):
                block = cover.body + cover.tail
            em.add(block, "", [], "header")
        elif meta.doc_type in ("通知", "") and k + 1 < len(segs) and not segs[k + 1].attachment:
            is_notice = True  # a notice forwarding the next document
        tree = build_tree(seg.body, cfg.labels, cfg.heading_max_chars)
        em.tree(tree, "", [], "header" if is_notice and cover is None else "preamble")
        em.add(seg.tail, "", [], "closing")
        if cover is None:
            _add_head(em, seg.head, paras, pos)
        annotate(meta, [c.text for c in em.clauses])
        docs.append(Document(meta=meta, clauses=em.clauses, text=text))
        k += 1
    return docs
