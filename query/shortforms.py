"""How a question writes a held title: in full, by its ending (普及条例), or in short form, its
characters in order before the title's kind word (河南省科普条例 for 河南省科学技术普及条例). Pure
functions used by ``query.mentions``.
"""

from __future__ import annotations

from lang.divisions import find_divisions, region_forms
from lang.text import squeeze, type_word
from query.known import core_title

# What may stand between a place and a bare kind word that still names that place's document (甘肃的若干措施).
_BARE_KIND_AFTER = ("", "的", "这个", "那个", "这份", "那份", "该", "的这个", "的那个", "的这份", "的那份", "新", "旧", "新版", "旧版",
                    "现行", "最新")


def longest_tail_in(t: str, q: str, min_len: int) -> str:
    """The longest ending of ``t`` (``min_len`` characters or more) that ``q`` contains, or "" (the
    longest first; no ending longer than ``q`` is tried).

    >>> longest_tail_in("河南省科学技术普及条例", "河南的普及条例第二条", 2)
    '普及条例'
    """
    if len(t) < min_len or t[-min_len:] not in q:  # every longer ending ends with this one
        return ""
    return next((t[-n:] for n in range(min(len(t), len(q)), min_len - 1, -1) if t[-n:] in q), "")


def subsequence_at(short: str, long: str) -> int:
    """Where ``short`` starts as an in-order subsequence of ``long`` (-1: it is not one)."""
    pos, first = 0, -1
    for ch in short:
        pos = long.find(ch, pos)
        if pos < 0:
            return -1
        first = pos if first < 0 else first
        pos += 1
    return first


def short_forms(q: str, titles: dict[str, str], region: str) -> dict[str, tuple[int, int, str, int]]:
    """How the question writes each title of a region, in full or in short form, before the title's
    kind word (…条例, …方案): (characters of the name matched in order, 1 if the match keeps the
    name's head, the phrase as written, where its kind word ends). A document whose kind word the question never writes is
    absent, and so is one whose kind word stands in other words (河北省全民健身条例规定的…); the kind word
    right after the place (扬州的方案) scores 0.

    河南省科普条例 writes 河南省科学技术普及条例 in short form (科普: 科…普, from the head), and
    社会科学普及条例 only without its head; 北京志愿服务条例 writes 北京市志愿服务促进条例:

    >>> s = short_forms("河南省科普条例第二条", {"a": "河南省科学技术普及条例", "b": "河南省社会科学普及条例",
    ...                                            "c": "河南省消防条例"}, "河南省")
    >>> s["a"], s["b"], "c" in s
    ((2, 1, '科普条例', 7), (2, 0, '科普条例', 7), False)
    >>> short_forms("扬州的方案", {"y": "扬州市全民科学素质行动实施方案（2021—2025年）"}, "扬州市")
    {'y': (0, 0, '方案', 5)}
    """
    forms = sorted({squeeze(f) for f in region_forms(region)} | {squeeze(region)}, key=len, reverse=True)
    out: dict[str, tuple[int, int, str, int]] = {}
    for d, title in titles.items():
        core = squeeze(core_title(title))
        end = type_word(core, shortest=True) or core[-2:]
        mid = core[: len(core) - len(end)]
        for f in forms:
            if mid.startswith(f):
                mid = mid[len(f):]
                break
        best: tuple[int, int, str, int] | None = None
        i = q.find(end) if end else -1
        while i >= 0:
            before = q[max(0, i - 16): i]
            cut = max((before.rfind(f) + len(f) for f in forms if f in before), default=0)
            before = _after_places(before[cut:])  # the place written before the name is not part of it (山东条例)
            got = (0, 0, end, i + len(end)) if before in _BARE_KIND_AFTER else None  # 甘肃的若干措施; not 河北省…规定的
            for n in range(len(before), 1, -1):
                at = subsequence_at(before[-n:], mid)
                if at >= 0:
                    got = (n, int(at == 0), q[i - n: i + len(end)], i + len(end))
                    break
            if got is not None and (best is None or got[:2] > best[:2]):
                best = got
            i = q.find(end, i + 1)
        if best is not None:
            out[d] = best
    return out


def _after_places(text: str) -> str:
    """``text`` without the places written together at its start ("和郑州的" → "的"): in "河南和郑州的
    条例" the kind word is 河南's as much as 郑州's.

    >>> _after_places("和郑州的"), _after_places("、浙江省的"), _after_places("的科普")
    ('的', '的', '的科普')
    """
    while text[:1] in ("和", "与", "及", "、", "跟", "同", ",", "，"):
        rest = text[1:]
        form = next((f for d in find_divisions(rest[:12]) for f in sorted(d.forms(), key=len, reverse=True)
                     if rest.startswith(squeeze(f))), "")
        if not form:
            break
        text = rest[len(squeeze(form)):]
    return text
