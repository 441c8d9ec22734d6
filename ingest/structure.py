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

from ingest.normalize import Para, fold  # noqa: F401  (fold: used by the doctests)
from lang.numbering import LAW_RANK as _LAW_RANK
from lang.numbering import Marker, detect_marker  # noqa: F401  (re-exported: the ladder lives in lang/)


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
