"""修订对照 for drafters: article-by-article alignment of two versions of one instrument.

Articles are matched by text similarity, not by number (a revision renumbers): an order-keeping
alignment first, then articles that moved. Each row is ``same``, ``changed`` (with the words that
changed marked), ``added`` or ``removed``.

>>> old = [("第一条", "为了加强科学技术普及工作，制定本条例。"), ("第二条", "本条例自2004年1月1日起施行。")]
>>> new = [("第一条", "为了加强科学技术普及工作，提高公民科学素质，制定本条例。"),
...        ("第二条", "科普是公益事业。"), ("第三条", "本条例自2025年10月1日起施行。")]
>>> [(r.kind, r.old_label, r.new_label) for r in align_articles(old, new)]
[('changed', '第一条', '第一条'), ('added', '', '第二条'), ('changed', '第二条', '第三条')]
>>> marked(align_articles(old, new)[0].diff, "new")
'为了加强科学技术普及工作，**提高公民科学素质，**制定本条例。'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.types import Clause

_LABEL = re.compile(r"^\s*(第[一二三四五六七八九十百零〇两\d]+条)\s*")
_SPACE = re.compile(r"[\s\u200b\u3000]+")
MATCH_MIN = 0.35  # bigram similarity for two articles to be versions of each other
MOVED_MIN = 0.5  # higher bar for an article matched out of order


@dataclass(frozen=True)
class RevisionRow:
    kind: str  # "same" | "changed" | "added" | "removed"
    old_label: str  # 第X条 in the earlier version ("" when added)
    new_label: str
    old_text: str
    new_text: str
    similarity: float = 0.0
    moved: bool = False  # matched out of order
    diff: list[tuple[str, str]] = field(default_factory=list)  # ("equal"|"delete"|"insert", text)


def article_units(clauses: Sequence[Clause]) -> list[tuple[str, str]]:
    """(第X条 label, text without the label) of a document's articles; numbered clauses when it has none."""
    arts = [c for c in clauses if c.kind == "article"]
    units = arts or [c for c in clauses if c.kind not in ("header", "heading") and c.text.strip()]
    out = []
    for c in units:
        text = _SPACE.sub("", c.text)
        m = _LABEL.match(text)
        label = m.group(1) if m else (c.section_path or f"p{c.order}")
        out.append((label, text[m.end():] if m else text))
    return out


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams (0..1).

    >>> round(similarity("本法自1999年10月1日起施行。", "本法自2024年1月1日起施行。"), 2)
    0.6
    """
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Character diff merged into readable spans: one-character islands of equal text join the change."""
    ops: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            ops.append(("equal", a[i1:i2]))
        else:
            if i2 > i1:
                ops.append(("delete", a[i1:i2]))
            if j2 > j1:
                ops.append(("insert", b[j1:j2]))
    # absorb short equal islands between changes (差 1 字的碎片 reads badly)
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(ops):
        tag, text = ops[i]
        if (tag == "equal" and len(text) <= 1 and 0 < i < len(ops) - 1 and ops[i - 1][0] != "equal"
                and ops[i + 1][0] != "equal"):
            out.append(("delete", text))
            out.append(("insert", text))
        else:
            out.append((tag, text))
        i += 1
    merged: list[tuple[str, str]] = []
    pend_d, pend_i = "", ""
    for tag, text in out + [("equal", "")]:
        if tag == "delete":
            pend_d += text
        elif tag == "insert":
            pend_i += text
        else:
            if pend_d:
                merged.append(("delete", pend_d))
            if pend_i:
                merged.append(("insert", pend_i))
            pend_d = pend_i = ""
            if text:
                merged.append(("equal", text))
    return merged


def marked(diff: Sequence[tuple[str, str]], side: str, deleted: str = "~~{}~~", inserted: str = "**{}**") -> str:
    """One side of a diff with its changed words marked (Markdown by default)."""
    parts = []
    for tag, text in diff:
        if tag == "equal":
            parts.append(text)
        elif tag == "delete" and side == "old":
            parts.append(deleted.format(text))
        elif tag == "insert" and side == "new":
            parts.append(inserted.format(text))
    return "".join(parts)


def _monotone(sim: list[list[float]]) -> list[tuple[int, int]]:
    n, m = len(sim), len(sim[0]) if sim else 0
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(score[i - 1][j], score[i][j - 1])
            s = sim[i - 1][j - 1]
            if s >= MATCH_MIN:
                best = max(best, score[i - 1][j - 1] + s)
            score[i][j] = best
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        s = sim[i - 1][j - 1]
        if s >= MATCH_MIN and score[i][j] == score[i - 1][j - 1] + s:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif score[i][j] == score[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def align_articles(old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]) -> list[RevisionRow]:
    """Rows in the new version's order; removed articles appear where they stood in the old one."""
    sim = [[similarity(a, b) for _, b in new] for _, a in old]
    pairs = dict((j, i) for i, j in _monotone(sim))
    used_old = set(pairs.values())
    moved: set[int] = set()
    for j in range(len(new)):  # articles moved elsewhere: best remaining match above a higher bar
        if j in pairs:
            continue
        cands = [(sim[i][j], i) for i in range(len(old)) if i not in used_old]
        if cands:
            s, i = max(cands)
            if s >= MOVED_MIN:
                pairs[j] = i
                used_old.add(i)
                moved.add(j)
    rows: list[RevisionRow] = []
    anchors = sorted((j, i) for j, i in pairs.items() if j not in moved)
    next_old = 0

    def flush(upto: int) -> None:  # removed articles that stood before old article ``upto``
        nonlocal next_old
        while next_old < upto:
            if next_old not in used_old:
                ol, ot = old[next_old]
                rows.append(RevisionRow("removed", ol, "", ot, ""))
            next_old += 1

    for j, (nl, nt) in enumerate(new):
        i = pairs.get(j)
        if i is not None and j not in moved:
            flush(i)
            next_old = max(next_old, i + 1)
        elif i is None:  # an insertion: removals before the next anchored article come first
            flush(next((ai for aj, ai in anchors if aj > j), len(old)))
        if i is None:
            rows.append(RevisionRow("added", "", nl, "", nt))
            continue
        ol, ot = old[i]
        kind = "same" if ot == nt else "changed"
        rows.append(RevisionRow(kind, ol, nl, ot, nt, round(sim[i][j], 3), j in moved,
                                word_diff(ot, nt) if kind == "changed" else [("equal", nt)]))
    for i in range(next_old, len(old)):
        if i not in used_old:
            ol, ot = old[i]
            rows.append(RevisionRow("removed", ol, "", ot, ""))
    return rows


def compare_clauses(old: Sequence[Clause], new: Sequence[Clause]) -> list[RevisionRow]:
    """修订对照 of two documents' clauses (see ``align_articles``)."""
    return align_articles(article_units(old), article_units(new))


def summary(rows: Sequence[RevisionRow]) -> dict[str, int]:
    """Counts per kind, e.g. ``{"same": 3, "changed": 40, "added": 50, "removed": 1}``."""
    out = {"same": 0, "changed": 0, "added": 0, "removed": 0}
    for r in rows:
        out[r.kind] += 1
    return out


def best_match(text: str, candidates: Sequence[tuple[str, str]]) -> tuple[int, float]:
    """Index and similarity of the candidate article closest to ``text`` (-1 when none qualifies)."""
    body = _LABEL.sub("", _SPACE.sub("", text))
    best, best_s = -1, MATCH_MIN
    for k, (_, t) in enumerate(candidates):
        s = similarity(body, t)
        if s >= best_s:
            best, best_s = k, s
    return best, (best_s if best >= 0 else 0.0)
