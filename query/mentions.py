"""What a question names: held regions (any written form), documents (文号, title, title ending +
region), and places the collection does not cover.

>>> from ingest.types import DocMeta
>>> k = Known.from_metas([DocMeta("gs#0", "gs.txt", title="甘肃省关于新时代进一步加强科学技术普及工作的若干措施",
...                               region="甘肃省"),
...                       DocMeta("yz#0", "yz.txt", title="扬州市全民科学素质行动实施方案（2021—2025年）", region="扬州市")])
>>> m = read_mentions("甘肃的若干措施和浙江、苏州有何不同？", k)
>>> m.regions, m.doc_ids, m.unknown_places
(('甘肃省',), ('gs#0',), ('浙江', '苏州'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lang.divisions import SUFFIXES, abbreviations, find_divisions, lookup, province_of, region_forms
from lang.text import squeeze
from query.known import Known, core_title

# A generic admin name in a question: suffix with the two characters before it.
_ADMIN_MENTION = re.compile(r"(?=([\u4e00-\u9fff]{2})(特别行政区|自治区|自治州|自治县|省|市|县))")
# Characters that make "X市"/"X县"/"X省" a common word rather than a place (城市, 超市, 全省, 县级市 ...).
# A numeral right before the suffix counts places (皖吉甘三省, 五市, 十县) rather than naming one.
_NOT_PLACE_BEFORE = set("城都超上股夜集早门楼车菜全各本我该外节反分县市省区每他此其一两几多哪等个级辖副范强"
                        "二三四五六七八九十")
_NOT_PLACE_FIRST = set("全各本我该每此其这那等和与及的在对于是为到从向将把以由请问看查说")
_NOT_PLACE_AFTER = set("场民域级城容值面井况情")


@dataclass(frozen=True)
class Mentions:
    regions: tuple[str, ...] = ()
    spans: tuple[tuple[int, int, str], ...] = ()  # (start, end, region) in the squeezed text
    written: tuple[str, ...] = ()  # how each region / unknown place is written
    doc_ids: tuple[str, ...] = ()
    unknown_places: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # title endings the question names documents by


def _find_known(q: str, k: Known) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Held regions as (start, end, region) without overlaps, and look-alikes (吉林市 when only
    吉林省 is held) as unknown names."""
    spans: list[tuple[int, int, str]] = []
    unknown: list[str] = []
    taken = [False] * len(q)
    forms = dict(k.forms)
    for d in find_divisions(q):  # lexicon forms of held regions (新疆自治区 for 新疆维吾尔自治区)
        r = k.region_of(d.full)
        if r:
            for f in d.forms():
                forms.setdefault(squeeze(f), r)
    for form in sorted((f for f in forms if f in q), key=len, reverse=True):  # only forms the question holds
        for m in re.finditer(re.escape(form), q):
            s, e = m.start(), m.end()
            if any(taken[s:e]):
                continue
            region = forms[form]
            if form != squeeze(region):  # a short form followed by another suffix is another place
                nxt = next((suf for suf in SUFFIXES if q.startswith(suf, e)), "")
                if nxt and q[e + len(nxt):e + len(nxt) + 1] in _NOT_PLACE_AFTER:
                    nxt = ""  # 扬州省级示范学校: 省级 is a rank, not a suffix naming 扬州省
                if nxt and not region.endswith(nxt) and lookup(form + nxt) != lookup(region):
                    unknown.append(form + nxt)
                    taken[s:e + len(nxt)] = [True] * (e + len(nxt) - s)
                    continue
            taken[s:e] = [True] * (e - s)
            spans.append((s, e, region))
    for i, d in abbreviations(q):  # 皖方案, 甘若干措施: a held province by its one-character name
        r = k.region_of(d.full)
        if r and not taken[i]:
            taken[i] = True
            spans.append((i, i + 1, r))
    spans.sort()
    return spans, unknown


def _unknown_places(q: str, spans: list[tuple[int, int, str]], k: Known) -> list[str]:
    covered = [False] * len(q)
    for s, e, _ in spans:
        covered[s:e] = [True] * (e - s)
    for t in k.occurring(q, k.docs_by_title):  # a quoted title of a held document is not a place mention
        i = q.find(t) if t else -1
        while i >= 0:  # every non-overlapping occurrence, left to right
            covered[i:i + len(t)] = [True] * len(t)
            i = q.find(t, i + len(t))
    held_provinces = {province_of(r) for r in k.regions}
    found: list[tuple[int, str]] = []
    for d in find_divisions(q):  # every listed division not held (a held city's province is context)
        if k.region_of(d.full) or (d.level == "province" and d.full in held_provinces):
            continue
        for form in sorted(d.forms(), key=len, reverse=True) + list(d.abbr):
            i = q.find(form)
            if len(form) == 1:
                i = next((j for j, a in abbreviations(q) if a == d and q[j] == form), -1)
            if i >= 0 and not any(covered[i:i + len(form)]):
                covered[i:i + len(form)] = [True] * len(form)
                found.append((i, form))
                break
    for m in _ADMIN_MENTION.finditer(q):  # counties and other places below prefecture level
        s = m.start()
        prefix, suf = m.group(1), m.group(2)
        e = s + 2 + len(suf)
        if any(covered[s:e]) or prefix[-1] in _NOT_PLACE_BEFORE or prefix[0] in _NOT_PLACE_FIRST:
            continue
        if e < len(q) and q[e] in _NOT_PLACE_AFTER:
            continue
        covered[s:e] = [True] * (e - s)
        found.append((s, prefix + suf))
    found.sort()
    return list(dict.fromkeys(name for _, name in found))


def _title_tails(title: str, min_len: int) -> list[str]:
    return _title_tails_of(squeeze(core_title(title)), min_len)


def _title_tails_of(t: str, min_len: int) -> list[str]:
    """Endings of a squeezed core title, longest first, down to ``min_len`` characters."""
    return [t[-n:] for n in range(len(t), min_len - 1, -1)]


def _longest_tail_in(t: str, q: str, min_len: int) -> str:
    """The longest ending of ``t`` (``min_len`` characters or more) that ``q`` contains, or "" (the
    first of ``_title_tails_of(t, min_len)`` found in ``q``; no ending longer than ``q`` is tried).

    >>> _longest_tail_in("河南省科学技术普及条例", "河南的普及条例第二条", 2)
    '普及条例'
    """
    if len(t) < min_len or t[-min_len:] not in q:  # every longer ending ends with this one
        return ""
    return next((t[-n:] for n in range(min(len(t), len(q)), min_len - 1, -1) if t[-n:] in q), "")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _abbreviated(q: str, titles: dict[str, str], region: str, tail_len: int) -> dict[str, int]:
    """Documents whose title the question writes in short form before the shared ending
    (河南省科普条例 for 河南省科学技术普及条例: 科普 is in order in 科学技术普及); score = the
    length of the short form. Only documents with the longest (>= 2) short form are returned.

    >>> _abbreviated("郑州市科普条例第十一条禁止什么", {"a": "郑州市科学技术普及条例", "b": "郑州市文明行为促进条例"},
    ...              "郑州市", 2)
    {'a': 2}
    """
    forms = sorted({squeeze(f) for f in region_forms(region)} | {squeeze(region)}, key=len, reverse=True)
    score: dict[str, int] = {}
    for d, title in titles.items():
        core = squeeze(core_title(title))
        end = core[-tail_len:]
        mid = core[: len(core) - tail_len]
        for f in forms:
            if mid.startswith(f):
                mid = mid[len(f):]
                break
        best = 0
        for i in (i for i in range(len(q)) if q.startswith(end, i)):
            before = q[max(0, i - 10): i]
            n = next((n for n in range(len(before), 1, -1) if _subsequence(before[-n:], mid)), 0)
            best = max(best, n)
        if best >= 2:
            score[d] = best
    if not score:
        return {}
    top = max(score.values())
    return {d: v for d, v in score.items() if v == top}


def _one_title_ends(k: Known, tail: str) -> bool:
    """Is ``tail`` the ending of one title only (its versions aside)? A short ending (行政复议法)
    names a document only when no other title ends the same way (促进条例 names none)."""
    return k.one_title_ends(tail)


def _named_docs(q: str, k: Known, regions: list[str]) -> tuple[list[str], list[str]]:
    """Documents the question designates by 文号, full title, or a title ending (+ region),
    and the title endings it used."""
    titles = k.titles
    hit = {d for n in k.occurring(q, k.docs_by_number) for d in k.docs_by_number[n]}
    hit |= {d for t in k.occurring(q, k.docs_by_title) if len(t) >= 6 for d in k.docs_by_title[t]}
    named = sorted(hit, key=k.order.__getitem__)  # collection order
    if named:
        return named, [titles[d] for d in named]
    out: list[str] = []
    tails: list[str] = []
    if regions:
        matched = False
        for r in regions:
            docs = k.region_docs(r)
            best: dict[str, int] = {}
            for d in docs:
                tail = _longest_tail_in(k.titles[d], q, 2)
                if tail:
                    best[d] = len(tail)
                    tails.append(tail)
            matched = matched or bool(best)
            if best:
                top = max(best.values())
                tied = {d: v for d, v in best.items() if v == top}
                if len(tied) > 1:
                    tied = _abbreviated(q, {d: k.metas[d].title for d in tied}, r, top) or tied
                if len(tied) > 1 and len({squeeze(core_title(k.metas[d].title)) for d in tied}) > 1:
                    continue  # an ending many different titles share (…条例): no document designated
                best = tied
            if best and len(best) < len(docs):
                out.extend(d for d in docs if d in best)
            else:
                out.extend(docs)
        return (out, tails) if matched else ([], tails)
    best = {}
    ends = {q[i:i + 4] for i in range(len(q) - 3)}  # every tail of 4+ characters ends with one of these
    for d in sorted({d for e in ends for d in k.docs_by_title_end.get(e, ())}, key=k.order.__getitem__):
        title = titles[d]
        tail = _longest_tail_in(title, q, 4)
        if tail and (len(tail) >= 6 or _one_title_ends(k, tail)):
            best[d] = len(tail)
            tails.append(tail)
    if best and len(best) < len(k.metas):
        top = max(best.values())
        out = [d for d in best if best[d] == top]
    return out, tails


def read_mentions(question: str, k: Known) -> Mentions:
    """Regions, documents and unknown places a question names (see the module docstring)."""
    q = squeeze(question)
    spans, lookalikes = _find_known(q, k)
    regions = list(dict.fromkeys(r for _, _, r in spans))
    unknown = lookalikes + [u for u in _unknown_places(q, spans, k) if u not in lookalikes]
    doc_ids, tails = _named_docs(q, k, regions)
    written = [q[s:e] for s, e, _ in spans] + unknown
    return Mentions(tuple(regions), tuple(spans), tuple(dict.fromkeys(written)), tuple(dict.fromkeys(doc_ids)),
                    tuple(unknown), tuple(dict.fromkeys(tails)))
