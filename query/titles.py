"""Titles a question names that no held document carries: "上海市科学技术普及条例是哪年施行的？"
when the collection holds 上海市科学技术进步条例 (and 河南省科学技术普及条例) must not be answered from
the similar one.

A title is read after a held region's name: the region, a run of content characters and a
regulation's ending (条例, 办法, 细则). It names a held document when its words are,
in order, in the title of one of that region's documents (科普条例 in 科学技术普及条例, so
abbreviations still name it), or when the documents cite it (《…》): then the question is about
what the held documents say of it.

>>> from ingest.types import DocMeta
>>> from query.mentions import read_mentions
>>> k = Known.from_metas([DocMeta("sh#0", "sh.md", title="上海市科学技术进步条例", region="上海市")])
>>> m = read_mentions("上海市科学技术普及条例是哪年施行的？", k)
>>> unknown_titles("上海市科学技术普及条例是哪年施行的？", m, k)
('上海市科学技术普及条例',)
>>> unknown_titles("上海科技进步条例第五条怎么规定？", read_mentions("上海科技进步条例第五条怎么规定？", k), k)
()
"""

from __future__ import annotations

import re

from lang.divisions import region_forms
from lang.text import in_order, squeeze
from lang.words import segmenter
from query.known import Known
from query.mentions import Mentions

_ENDING = r"(?:实施办法|管理办法|办法|条例|实施细则|细则)"  # the endings of regulations (plans are named loosely)
_TITLE_AFTER_REGION = re.compile(r"([\u4e00-\u9fff]{2,16}?)" + _ENDING)
# "北京条例和山东条例": a bare kind word after the place, then another place's — two documents, not one title
_NOT_A_TITLE = re.compile(r"^[在对于要将把和与及等各这那该本其从向是为有的里中]|^[两二三四五六]个?[地省市区县]|[的、哪谁么吗呢由]"
                          r"|^[两二三四五六七八九几多]+[个部份项]"  # "洛阳三个公交条例": a count of documents
                          r"|^(?:条例|办法|细则)")


def _names(short: str, long: str) -> bool:
    """Does ``short`` name the title ``long``: its characters in order (科普条例 in 科学技术普及条例), or
    each of its words somewhere in it (消防实施办法 in 实施《中华人民共和国消防法》办法)?

    >>> _names("消防实施办法", "实施中华人民共和国消防法办法"), _names("科学技术普及条例", "科学技术进步条例")
    (True, False)
    """
    if in_order(short, long):
        return True
    words = [w for w in segmenter().lcut(short) if w.strip()]
    return len(words) > 1 and all(w in long or (len(w) == 4 and w[:2] in long and w[2:] in long) for w in words)


def _bare(title: str, region: str) -> str:
    for f in sorted({squeeze(x) for x in region_forms(region)} | {squeeze(region)}, key=len, reverse=True):
        if title.startswith(f):
            return title[len(f):]
    return title


def unknown_titles(question: str, m: Mentions, known: Known) -> tuple[str, ...]:
    """Titles ``question`` names after a held region that no held or cited document carries (none
    when it also names a held one: "上海科技进步条例和上海市科普条例…" is about the held one too)."""
    q = squeeze(question)
    out: list[str] = []
    for s, e, region in m.spans:
        t = _TITLE_AFTER_REGION.match(q, e)
        if t is None or _NOT_A_TITLE.search(t.group(1)):
            continue
        words = t.group(0)
        held = [_bare(known.titles[d], region) for d in known.region_docs(region) if d in known.titles]
        if any(_names(words, h) for h in held):
            return ()
        if any(in_order(words, c) and any(squeeze(f) in c for f in region_forms(region)) for c in known.cited):
            return ()
        out.append(q[s:t.end()])
    return tuple(dict.fromkeys(out))
