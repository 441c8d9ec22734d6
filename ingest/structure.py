"""The numbering ladder of 公文 and laws, and the clause tree built from it.

Levels are positional: a marker *type* (一、 / （一） / 1. / （1） / ① / 第X编章节条) takes the level at
which it first appears under its parent, so a document may skip a level or put ``1.`` directly
under ``一、``. A marker is accepted only when it continues its level (the successor of the open item
of that type), or opens a new level with 1 (or continues a numbering that runs across parents,
like （一）…（二十八） under 一、…六、). Anything else is body text: a ``2.`` that does not follow
``1.``, ``一是…二是…``, a cross-reference such as ``第三条规定…``. Inside a law article nothing opens
a new level: the （一）（二） items of an article stay in the article (one clause per article).

Lines such as ``——突出价值引领。`` are list items *inside* the clause they belong to (they are not
numbered, so they never open a level). Labels such as ``任务：`` / ``措施：1.…`` (``IngestConfig.labels``)
form an unnumbered level: they appear in the heading chain of what follows, not in the path.

Section paths use one display form per marker type: ``一、`` ``（一）`` ``1.`` ``（1）`` ``①``
``第一章`` (full-width parentheses, half-width dot, no spaces), whatever width the source used,
so ``(一) 强化…`` in the text has path element ``（一）``. The clause text keeps the original.

>>> m = detect_marker(fold("(二十八) 完善科普激励机制。"))
>>> (m.type, m.num, m.display)
('cn_paren', 28, '（二十八）')
>>> detect_marker(fold("2025年，比例达到16%")) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.meta import _cn_int
from ingest.normalize import Para, fold  # noqa: F401  (fold: used by the doctests)

_CN = "零〇一二三四五六七八九十百千"
_LAW_RX = re.compile(rf"^第\s*([{_CN}\d]+)\s*([编章节条])")
_CN_TOP_RX = re.compile(rf"^([{_CN}]+)\s*、\s*")
_CN_PAREN_RX = re.compile(rf"^\(\s*([{_CN}]+)\s*\)\s*")
_AR_DOT_RX = re.compile(r"^(\d{1,3})\s*[.、](?!\d)\s*")
_AR_PAREN_RX = re.compile(r"^\(\s*(\d{1,3})\s*\)\s*")
_CIRCLED_RX = re.compile(r"^([①-⑳])\s*")
_LAW_TYPES = {"编": "law_bian", "章": "law_zhang", "节": "law_jie", "条": "law_tiao"}
_LAW_RANK = {"law_bian": 0, "law_zhang": 1, "law_jie": 2, "law_tiao": 3}
_XREF_AFTER = re.compile(r"^(规定|所|的|之|中|至|和|或|、|,|第|款|项|以|及|有关|明确)")


@dataclass
class Marker:
    type: str
    num: int
    display: str  # canonical display form used in section paths
    end: int  # where the marker (and following spaces) ends in the paragraph text
    spaced: bool = False  # followed by whitespace (laws: "第一条　…")


def detect_marker(folded: str) -> Marker | None:
    """The numbering marker a (folded) paragraph starts with, or None."""
    m = _LAW_RX.match(folded)
    if m:
        rest = folded[m.end():]
        if _XREF_AFTER.match(rest.lstrip()) and not rest[:1].isspace():
            return None
        num = _cn_int(m.group(1))
        end = m.end() + (len(rest) - len(rest.lstrip()))
        return Marker(_LAW_TYPES[m.group(2)], num, f"第{m.group(1)}{m.group(2)}", end, rest[:1].isspace() or not rest)
    for rx, typ in ((_CN_TOP_RX, "cn"), (_CN_PAREN_RX, "cn_paren"), (_AR_PAREN_RX, "ar_paren"),
                    (_AR_DOT_RX, "ar_dot"), (_CIRCLED_RX, "circled")):
        m = rx.match(folded)
        if not m:
            continue
        g = m.group(1)
        if typ == "circled":
            return Marker(typ, ord(g) - ord("①") + 1, g, m.end())
        num = int(g) if g.isdigit() else _cn_int(g)
        if num <= 0:
            return None
        display = {"cn": f"{g}、", "cn_paren": f"（{g}）", "ar_paren": f"（{num}）", "ar_dot": f"{num}."}[typ]
        return Marker(typ, num, display, m.end())
    return None


def is_bare_heading(para: Para, marker: Marker, heading_max: int) -> bool:
    """A numbered line that is only a heading (``三、提升行动``), not a clause with its own text."""
    rest = para.folded[marker.end:]
    return len(rest) <= heading_max and not re.search(r"[。!?;]", rest)


def heading_text(para: Para, marker: Marker, heading_max: int) -> str:
    """Heading of a numbered paragraph as written: the whole line if bare, else up to the first 。."""
    if is_bare_heading(para, marker, heading_max):
        return para.text.strip()
    cut = para.folded.find("。", marker.end)
    return para.text[:cut].strip() if cut > 0 else para.text[: marker.end + heading_max].strip()


@dataclass
class Node:
    type: str  # "root" | "label" | marker type
    num: int = 0
    marker: str = ""  # path element ("" for root and labels)
    heading: str = ""
    bare: bool = False
    items: list[Para] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


def build_tree(paras: list[Para], labels: tuple[str, ...], heading_max: int) -> Node:
    """Arrange body paragraphs into the clause tree (see module docstring)."""
    root = Node("root")
    stack: list[Node] = [root]
    last_num: dict[str, int] = {}
    label_rx = re.compile(r"^(" + "|".join(sorted(map(re.escape, labels), key=len, reverse=True)) + r")\s*:\s*") \
        if labels else None

    def in_article() -> bool:
        return any(n.type == "law_tiao" for n in stack)

    def try_push(para: Para) -> bool:
        m = detect_marker(para.folded)
        if m is None:
            return False
        level = next((i for i, n in enumerate(stack) if n.type == m.type), None)
        if level is not None:
            if m.num != stack[level].num + 1:
                return False
            del stack[level:]
        else:
            if m.type.startswith("law_"):
                rank = _LAW_RANK[m.type]
                # a law unit closes deeper law units and everything under them
                cut = next((i for i, n in enumerate(stack) if n.type in _LAW_RANK and _LAW_RANK[n.type] >= rank), None)
                if cut is not None:
                    del stack[cut:]
                if m.type == "law_tiao" and not m.spaced and m.num != last_num.get(m.type, 0) + 1:
                    return False
            elif in_article():
                return False
            if m.num != 1 and m.num != last_num.get(m.type, 0) + 1:
                return False
        node = Node(m.type, m.num, m.display, heading_text(para, m, heading_max),
                    is_bare_heading(para, m, heading_max) and m.type != "law_tiao", [para])
        stack[-1].children.append(node)
        stack.append(node)
        last_num[m.type] = m.num
        return True

    for para in paras:
        if para.table:
            stack[-1].items.append(para)
            continue
        lm = label_rx.match(para.folded) if label_rx and not in_article() else None
        if lm and detect_marker(para.folded) is None:
            # a label replaces the previous label and closes the items opened under it
            lab = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].type == "label"), None)
            if lab is not None:
                del stack[lab:]
            node = Node("label", heading=para.text[: lm.end()].rstrip(" :：\u3000"))
            stack[-1].children.append(node)
            stack.append(node)
            rest = para.sub(lm.end())
            if rest.text and not try_push(rest):
                node.items.append(para)
            continue
        if not try_push(para):
            stack[-1].items.append(para)
    return root
