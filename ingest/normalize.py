"""Normalisation: width folding for matching, artefact removal and page-break repair.

The display text of a paragraph is always made of slices of the *decoded* source text (original
wording and punctuation), so every character keeps its source offset. Parsing and matching run on
``fold(text)``, a one-to-one character map (same length, so positions agree) that unifies
half-width and full-width variants: ``（一）`` and ``(一)`` both fold to ``(一)``, ``１．`` to ``1.``,
``〔〕［］【】`` to ``[]``.

>>> fold("（一）强化责任。（责任单位：省科协）")
'(一)强化责任。(责任单位:省科协)'
>>> [p.text for p in paragraphs("（四）强化责任。发挥优势，加大科普\\n\\n资源供给。（责任单位：省\\n\\n科协）\\n二、保障措施", ())]
['（四）强化责任。发挥优势，加大科普资源供给。（责任单位：省科协）', '二、保障措施']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lang.dates import ADOPTION_LINE
from lang.numbering import starts_numbered as _numbered
from lang.text import fold
from lang.units import LABEL_LINE_RX as RESP_LINE

TERMINAL = set("。!?;:」”)]") | {"…"}
OPENERS = {"(": ")", "[": "]", "《": "》", "“": "”", "「": "」"}
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?\s*$")
_BULLET = re.compile(r"^[-*•·]\s+")
_STRIP = " \t\u3000\r\ufeff\xa0"
_STRIP_TABLE = " \u3000\r\ufeff\xa0"


@dataclass
class Para:
    """A logical paragraph: display text assembled from pieces of the source text.

    ``pieces`` are ``(start, end, text)``: ``text`` is ``source[start:end]``, except for a joiner
    (a space inserted between two Latin words when a line break is repaired), which has
    ``start == end``.
    """

    pieces: list[tuple[int, int, str]] = field(default_factory=list)
    text: str = ""
    folded: str = ""
    table: bool = False
    _cum: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def from_pieces(cls, pieces: list[tuple[int, int, str]], table: bool = False) -> Para:
        text = "".join(p[2] for p in pieces)
        cum, n = [], 0
        for p in pieces:
            cum.append(n)
            n += len(p[2])
        return cls(pieces, text, fold(text), table, cum)

    @property
    def start(self) -> int:
        return self.pieces[0][0] if self.pieces else 0

    @property
    def end(self) -> int:
        return self.pieces[-1][1] if self.pieces else 0

    def source_pos(self, i: int) -> int:
        """Source offset of character ``i`` of ``text`` (``len(text)`` maps to ``end``)."""
        if i >= len(self.text):
            return self.end
        k = bisect.bisect_right(self._cum, i) - 1
        s, e, t = self.pieces[k]
        return s + min(i - self._cum[k], e - s)

    def sub(self, i: int, j: int | None = None) -> Para:
        """The paragraph cut to ``text[i:j]`` (pieces trimmed, offsets kept)."""
        j = len(self.text) if j is None else j
        out: list[tuple[int, int, str]] = []
        for k, (s, e, t) in enumerate(self.pieces):
            a, b = self._cum[k], self._cum[k] + len(t)
            lo, hi = max(a, i), min(b, j)
            if lo >= hi:
                continue
            if e > s:
                out.append((s + lo - a, s + hi - a, t[lo - a:hi - a]))
            else:
                out.append((s, e, t[lo - a:hi - a]))
        return Para.from_pieces(out, self.table)

    def strip(self) -> Para:
        lead = len(self.text) - len(self.text.lstrip(_STRIP))
        trail = len(self.text.rstrip(_STRIP))
        return self.sub(lead, max(lead, trail))


def _line_pieces(source: str, start: int, end: int, artefacts: list[re.Pattern[str]]) -> Para:
    """One physical line as a paragraph, artefacts removed and whitespace stripped."""
    line = source[start:end]
    cuts: list[tuple[int, int]] = []
    for rx in artefacts:
        cuts.extend(m.span() for m in rx.finditer(line))
    cuts.sort()
    pieces: list[tuple[int, int, str]] = []
    pos = 0
    for a, b in cuts:
        if a > pos:
            pieces.append((start + pos, start + a, line[pos:a]))
        pos = max(pos, b)
    if pos < len(line):
        pieces.append((start + pos, start + len(line), line[pos:]))
    para = Para.from_pieces(pieces)
    table = "\t" in para.text.strip(_STRIP_TABLE)
    if table:
        lead = len(para.text) - len(para.text.lstrip(_STRIP_TABLE))
        trail = len(para.text.rstrip(_STRIP))
        para = para.sub(lead, max(lead, trail))
        para.table = True
        return para
    para = para.strip()
    m = _BULLET.match(para.text)
    if m and len(para.text) > m.end():
        para = para.sub(m.end())
    return para


def is_marker_start(folded: str) -> bool:
    """Does a (folded) line start a numbered item, article or attachment?

    >>> is_marker_start("(二)强化责任"), is_marker_start("2025年，比例达到16%")
    (True, False)
    """
    return _numbered(folded) or bool(_ATTACHMENT.match(folded))


_CLOSERS = {v: k for k, v in OPENERS.items()}


class _Acc:
    """A paragraph being assembled line by line, with the join state kept incrementally
    (bracket depths, punctuation seen) so long wrapped paragraphs cost linear time."""

    def __init__(self, first: Para) -> None:
        self.lines = [first]
        self.table = first.table
        self.depth = {k: 0 for k in OPENERS}
        self.punct = False
        self.first_folded = first.folded
        self.last_text = first.text
        self._scan(first.folded)

    def _scan(self, folded: str) -> None:
        for ch in folded:
            if ch in OPENERS:
                self.depth[ch] += 1
            elif ch in _CLOSERS:
                k = _CLOSERS[ch]
                self.depth[k] = max(0, self.depth[k] - 1)
        self.punct = self.punct or bool(re.search(r"[。,，;、:!?]", folded))

    def add(self, para: Para) -> None:
        self.lines.append(para)
        self.last_text = para.text
        self._scan(para.folded)

    def unbalanced(self) -> bool:
        return any(self.depth.values())

    def para(self) -> Para:
        if len(self.lines) == 1:
            return self.lines[0]
        pieces: list[tuple[int, int, str]] = []
        prev: Para | None = None
        for line in self.lines:
            if prev is not None and re.match(r"[A-Za-z]", prev.text[-1]) and re.match(r"[A-Za-z]", line.text[0]):
                pieces.append((prev.end, prev.end, " "))  # a line break between two Latin words
            pieces.extend(line.pieces)
            prev = line
        return Para.from_pieces(pieces)


def _is_bare_heading(folded: str, heading_max: int) -> bool:
    return is_marker_start(folded) and len(folded) <= heading_max and not re.search(r"[。!?;,，:]", folded)


def _should_join(prev: _Acc, nxt: Para, heading_max: int) -> bool:
    """Page-break repair: does ``nxt`` continue ``prev`` (same sentence / same clause)?"""
    if prev.table or nxt.table:
        return False
    nf = nxt.folded
    if RESP_LINE.match(nf):
        return True  # a "（责任单位：…）" on its own line belongs to the clause before it
    if is_marker_start(nf) or nf.startswith(("——", "抄送", "抄报", "附件")) or ADOPTION_LINE.match(nf):
        return False  # a numbered item, a closing line, a law's history line ("2014年1月22日 …通过") starts anew
    if prev.unbalanced():
        return True
    last = fold(prev.last_text[-1])
    if last in TERMINAL:
        return False
    if last in ",、，":
        return True
    if len(prev.lines) == 1 and _is_bare_heading(prev.first_folded, heading_max):
        return False  # "一、总体要求" stays a heading line
    if not prev.punct:
        return False  # unpunctuated lines: titles, issuers, dates of the header and closing blocks
    return True


def paragraphs(source: str, artefact_patterns: Iterable[str], heading_max: int = 40) -> list[Para]:
    """Split decoded text into logical paragraphs, repairing page-break line breaks.

    A line is joined with the next non-blank line when it does not end a sentence and the next
    line does not start a new numbered item (even across blank lines); a ``（责任单位：…）`` line
    is always joined to the clause before it.

    >>> [p.text for p in paragraphs("我市坚持科学普及方针，充分发挥全民科学素质工\\n\\n作领导小组职能作用。\\n", ())]
    ['我市坚持科学普及方针，充分发挥全民科学素质工作领导小组职能作用。']
    """
    artefacts = [re.compile(p, re.S) for p in artefact_patterns]
    accs: list[_Acc] = []
    pos = 0
    n = len(source)
    while pos <= n:
        nl = source.find("\n", pos)
        end = n if nl < 0 else nl
        para = _line_pieces(source, pos, end, artefacts)
        if para.text:
            if accs and _should_join(accs[-1], para, heading_max):
                accs[-1].add(para)
            else:
                accs.append(_Acc(para))
        if nl < 0:
            break
        pos = nl + 1
    return [a.para() for a in accs]
