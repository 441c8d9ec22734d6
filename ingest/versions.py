"""Versions of one instrument in a collection, and links from a named title to a held document.

Two documents are versions of the same instrument when their titles agree once dates,
parenthesised notes and 修订/修正 marks are dropped, and they come from the same issuer (or,
when the text names no issuer, the same region and level). Pure functions over ``DocMeta``.

>>> from ingest.types import DocMeta
>>> a = DocMeta("a#0", "a.md", title="中华人民共和国行政复议法", region="中华人民共和国", version_date="2017-09-01")
>>> b = DocMeta("b#0", "b.md", title="中华人民共和国行政复议法（2023年修订）", region="中华人民共和国",
...             version_date="2023-09-01")
>>> [[m.doc_id for m in g] for g in version_groups([b, a]).values()]
[['a#0', 'b#0']]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ingest.normalize import fold
from ingest.types import DocMeta

_PAREN = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]")
_MARKS = re.compile(r"(?:(?:19|20)\d{2}\s*年?\s*(?:修订|修正|版)?|修订版|修正版|修订稿|修正案|修订|修正)$")


def version_key(title: str) -> str:
    """The title with dates, parentheses and revision marks removed (compared across versions).

    >>> version_key("上海市科学技术进步条例（2024年修订）"), version_key("《某省科普条例》2010年修正")
    ('上海市科学技术进步条例', '某省科普条例')
    >>> version_key("扬州市全民科学素质行动实施方案（2021—2025年）")
    '扬州市全民科学素质行动实施方案'
    """
    t = re.sub(r"\s+", "", fold(title)).replace("《", "").replace("》", "")
    prev = None
    while prev != t:
        prev = t
        t = _PAREN.sub("", t)
        t = _MARKS.sub("", t)
    return t


def sort_date(m: DocMeta) -> str:
    """The date that orders versions: the text's own version date, else its effective or issue date."""
    return m.version_date or m.effective_date or m.date


def _owner(m: DocMeta) -> tuple[str, ...]:
    return tuple(sorted(m.issuers)) if m.issuers else ("@" + m.region, m.level)


def version_groups(metas: Iterable[DocMeta]) -> dict[str, list[DocMeta]]:
    """Groups of two or more versions, oldest first, keyed by a group id (the key and owner).

    A document with no title, or attached to another in its file, is in no group.
    """
    buckets: dict[tuple[str, tuple[str, ...]], list[DocMeta]] = {}
    for m in metas:
        key = version_key(m.title)
        if len(key) < 4 or m.parent_doc_id:
            continue
        buckets.setdefault((key, _owner(m)), []).append(m)
    out: dict[str, list[DocMeta]] = {}
    for (key, owner), ms in sorted(buckets.items()):
        if len(ms) < 2:
            continue
        ms = sorted(ms, key=lambda m: (sort_date(m), m.doc_id))
        out[f"{key}@{'/'.join(owner).lstrip('@')}"] = ms
    return out


def later_versions(metas: Sequence[DocMeta]) -> dict[str, list[str]]:
    """doc_id → ids of the later versions in the collection, nearest first (same-date copies excluded)."""
    out: dict[str, list[str]] = {}
    for ms in version_groups(metas).values():
        for i, m in enumerate(ms):
            later = [n.doc_id for n in ms[i + 1 :] if sort_date(n) and sort_date(n) > sort_date(m)]
            if later:
                out[m.doc_id] = later
    return out


def title_index(metas: Iterable[DocMeta]) -> dict[str, list[DocMeta]]:
    """version key → documents with that key, oldest first (build once, look up many titles)."""
    out: dict[str, list[DocMeta]] = {}
    for m in metas:
        key = version_key(m.title)
        if len(key) >= 4:
            out.setdefault(key, []).append(m)
    for ms in out.values():
        ms.sort(key=lambda m: (sort_date(m), m.doc_id))
    return out


def find_titled(title: str, metas: Sequence[DocMeta] | Mapping[str, list[DocMeta]], before: str = "") -> list[str]:
    """Documents of the collection a named title designates (all its versions, oldest first).

    ``before``: only versions dated earlier than this ISO date (for "…同时废止").

    >>> from ingest.types import DocMeta
    >>> ms = [DocMeta("x#0", "x.txt", title="某省科学技术普及条例", version_date="2003-09-27")]
    >>> find_titled("某省科学技术普及条例", ms), find_titled("某省科学技术普及条例", ms, before="2000-01-01")
    (['x#0'], [])
    """
    key = version_key(title)
    if len(key) < 4:
        return []
    by_key = metas if isinstance(metas, Mapping) else title_index(metas)  # pass a title_index for many look-ups
    return [m.doc_id for m in by_key.get(key, []) if not before or not sort_date(m) or sort_date(m) < before]
