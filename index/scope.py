"""Scopes: which documents a search may return, and what a question names.

``Gazetteer`` is built from the *indexed documents' own metadata* (regions, titles, 文号)
— never from a list of the bundled files. ``understand`` maps a question to a `Scope`:

- regions named in full or short form (扬州市/扬州, 安徽省/安徽, 砀山县/砀山, 新疆维吾尔自治区/新疆);
- documents named by 文号, full title, or a title ending combined with a region
  ("甘肃的若干措施", "安徽方案");
- years ("2025年" → ``years=["2025"]``);
- ``unknown_mentions``: places the corpus holds no document for (X省 / X市 / X县 / X自治区,
  or one of China's provincial-level names, which is general knowledge kept here as data),
  and years that no in-scope document mentions.

Region filters are strict (a document is in a region's scope by its own ``region``); a
document named by id brings along the documents attached to or forwarded by it.

Example:
    >>> from ingest.types import DocMeta
    >>> g = Gazetteer.from_metas([DocMeta("gs#0", "gs.txt", title="甘肃省关于新时代进一步加强科学技术普及工作的若干措施",
    ...                                   region="甘肃省", level="省"),
    ...                           DocMeta("yz#0", "yz.txt", title="扬州市全民科学素质行动实施方案（2021—2025年）",
    ...                                   region="扬州市", level="市")])
    >>> s = understand("甘肃的若干措施和浙江有何不同？", g)
    >>> s.regions, s.doc_ids, s.unknown_mentions
    (['甘肃省'], ['gs#0'], ['浙江'])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from index.types import Scope
from ingest.types import DocMeta

# China's 34 provincial-level divisions (short names): general knowledge, used only to notice a
# province the corpus does not hold. Never used to decide what the corpus holds.
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "省", "市", "县", "区", "州", "盟", "旗")
_ETHNIC_TAIL = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族|维吾尔)+$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A generic admin name in a question: suffix with the two characters before it.
_ADMIN_MENTION = re.compile(r"(?=([\u4e00-\u9fff]{2})(特别行政区|自治区|自治州|自治县|省|市|县))")
# Characters that make "X市"/"X县"/"X省" a common word rather than a place (城市, 超市, 全省, 县级市 ...).
_NOT_PLACE_BEFORE = set("城都超上股夜集早门楼车菜全各本我该外节反分县市省区每他此其一两几多哪等个级辖副")
_NOT_PLACE_FIRST = set("全各本我该每此其这那等和与及的在对于是为到从向将把以由请问看查说")
_NOT_PLACE_AFTER = set("场民域级城容值面井况情")
_TITLE_TAIL = re.compile(r"[（(][^（）()]*[）)]\s*$")


def region_forms(region: str) -> list[str]:
    """Full and short forms of a region name, full form first.

    >>> region_forms("扬州市"), region_forms("新疆维吾尔自治区"), region_forms("砀山县")
    (['扬州市', '扬州'], ['新疆维吾尔自治区', '新疆'], ['砀山县', '砀山'])
    """
    region = region.strip()
    if not region:
        return []
    forms = [region]
    for suf in ADMIN_SUFFIXES:
        if region.endswith(suf) and len(region) - len(suf) >= 2:
            short = region[: -len(suf)]
            m = _ETHNIC_TAIL.match(short) if suf.startswith("自治") else None
            short = m.group(1) if m else short
            forms.append(short)
            break
    return forms


def core_title(title: str) -> str:
    """Title without 《》 and a trailing parenthetical such as （2021—2025年）."""
    t = title.strip().strip("《》").strip()
    while _TITLE_TAIL.search(t):
        t = _TITLE_TAIL.sub("", t).strip()
    return t


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=65536)
def _norm_title(title: str) -> str:
    return _norm(core_title(title))


def _occurrences(needle: str, hay: str) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of a literal in a text, left to right (``re.finditer`` of an
    escaped literal without compiling one pattern per document title)."""
    out: list[tuple[int, int]] = []
    if not needle:
        return out
    i = hay.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = hay.find(needle, i + len(needle))
    return out


@dataclass
class Gazetteer:
    """What the indexed documents name themselves: regions (all forms), titles, 文号."""

    metas: dict[str, DocMeta]
    forms: dict[str, str] = field(default_factory=dict)  # region form -> canonical region
    doc_texts: dict[str, str] = field(default_factory=dict)  # normalised text per doc (unknown-year check)

    @classmethod
    def from_metas(cls, metas: Iterable[DocMeta], doc_texts: Mapping[str, str] | None = None) -> Gazetteer:
        ms = {m.doc_id: m for m in metas}
        forms: dict[str, str] = {}
        for m in ms.values():
            for f in region_forms(m.region):
                forms.setdefault(_norm(f), m.region)
        texts = {d: _norm(t) for d, t in (doc_texts or {}).items()}
        return cls(ms, forms, texts)

    def region_docs(self, region: str) -> list[str]:
        return [d for d, m in self.metas.items() if region_matches(region, m.region)]


def region_matches(wanted: str, region: str) -> bool:
    """Does a region filter value (full or short form) designate this document region?

    >>> region_matches("吉林", "吉林省"), region_matches("吉林市", "吉林省")
    (True, False)
    """
    if not wanted or not region:
        return False
    return _norm(wanted) in _norm_forms(region) or _norm(region) == _norm(wanted)


@lru_cache(maxsize=16384)
def _norm_forms(region: str) -> frozenset[str]:
    return frozenset(_norm(f) for f in region_forms(region))


def _find_regions(q: str, g: Gazetteer) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Known region mentions as (start, end, canonical) without overlaps, and look-alikes
    (吉林市 when only 吉林省 is held) as unknown names."""
    spans: list[tuple[int, int, str]] = []
    unknown: list[str] = []
    taken = [False] * len(q)
    for form in sorted(g.forms, key=len, reverse=True):
        for s, e in _occurrences(form, q):
            if any(taken[s:e]):
                continue
            canonical = g.forms[form]
            if form != _norm(canonical):  # short form: a different admin suffix means a different place
                nxt = next((suf for suf in ADMIN_SUFFIXES if q.startswith(suf, e)), "")
                if nxt and not canonical.endswith(nxt):
                    unknown.append(form + nxt)
                    for i in range(s, e + len(nxt)):
                        taken[i] = True
                    continue
            for i in range(s, e):
                taken[i] = True
            spans.append((s, e, canonical))
    spans.sort()
    return spans, unknown


def _unknown_places(q: str, known_spans: list[tuple[int, int, str]], g: Gazetteer) -> list[str]:
    covered = [False] * len(q)
    for s, e, _ in known_spans:
        for i in range(s, e):
            covered[i] = True
    for m in g.metas.values():  # a quoted title of a held document is not a place mention
        t = _norm_title(m.title)
        if t and t in q:
            for hs, he in _occurrences(t, q):
                for i in range(hs, he):
                    covered[i] = True
    out: list[str] = []
    for m in _ADMIN_MENTION.finditer(q):
        s = m.start()
        prefix, suf = m.group(1), m.group(2)
        e = s + 2 + len(suf)
        if any(covered[s:e]) or prefix[-1] in _NOT_PLACE_BEFORE or prefix[0] in _NOT_PLACE_FIRST:
            continue
        if e < len(q) and q[e] in _NOT_PLACE_AFTER:
            continue
        three = q[max(0, s - 1) : s + 2]
        name = (three if three in PROVINCES else prefix) + suf
        if name not in out:
            out.append(name)
        for i in range(max(0, s - 1), e):
            covered[i] = True
    for p in sorted(PROVINCES, key=len, reverse=True):
        for m in re.finditer(p, q):
            if not any(covered[m.start() : m.end()]):
                out.append(p)
                for i in range(m.start(), m.end()):
                    covered[i] = True
    return out


@lru_cache(maxsize=65536)
def _title_tails(title: str, min_len: int) -> tuple[str, ...]:
    t = _norm_title(title)
    return tuple(t[-n:] for n in range(len(t), min_len - 1, -1))


def _named_docs(q: str, g: Gazetteer, regions: list[str]) -> list[str]:
    """Documents the question designates by 文号, full title, or a title ending (+ region)."""
    named: list[str] = []
    for d, m in g.metas.items():
        number = _norm(m.doc_number)
        title = _norm_title(m.title)
        if (number and number in q) or (len(title) >= 6 and title in q):
            named.append(d)
    if named:
        return named
    out: list[str] = []
    if regions:
        matched = False
        for r in regions:
            docs = g.region_docs(r)
            best: dict[str, int] = {}
            for d in docs:
                tail = next((t for t in _title_tails(g.metas[d].title, 2) if len(t) <= len(q) and t in q), "")
                if tail:
                    best[d] = len(tail)
            matched = matched or bool(best)
            if best and len(best) < len(docs):
                top = max(best.values())
                out.extend(d for d in docs if best.get(d) == top)
            else:
                out.extend(docs)
        return out if matched else []
    best = {}
    for d, m in g.metas.items():
        tail = next((t for t in _title_tails(m.title, 6) if len(t) <= len(q) and t in q), "")
        if tail:
            best[d] = len(tail)
    if best and len(best) < len(g.metas):
        top = max(best.values())
        out = [d for d in best if best[d] == top]
    return out


def understand(question: str, g: Gazetteer) -> Scope:
    """Scope named by a question: regions, documents, years, and what the corpus does not hold."""
    q = _norm(question)
    spans, lookalikes = _find_regions(q, g)
    regions = list(dict.fromkeys(c for _, _, c in spans))
    unknown = lookalikes + [u for u in _unknown_places(q, spans, g) if u not in lookalikes]
    doc_ids = _named_docs(q, g, regions)
    years = list(dict.fromkeys(_YEAR.findall(q)))
    in_scope = scope_doc_ids(g.metas, Scope(doc_ids=doc_ids, regions=regions))
    texts = [t for d, t in g.doc_texts.items() if in_scope is None or d in in_scope]
    if texts:
        unknown += [f"{y}年" for y in years if not any(y in t for t in texts)]
    return Scope(doc_ids=doc_ids, regions=regions, unknown_mentions=unknown, years=years)


def doc_matches(meta: DocMeta, scope: Scope) -> bool:
    """Does one document pass every non-empty filter of the scope (without parent expansion)?"""
    if scope.doc_ids and meta.doc_id not in scope.doc_ids:
        return False
    if scope.regions and not any(region_matches(r, meta.region) for r in scope.regions):
        return False
    if scope.levels and meta.level not in scope.levels:
        return False
    if scope.doc_types and not any(t and (meta.doc_type == t or core_title(meta.title).endswith(t))
                                   for t in scope.doc_types):
        return False
    if scope.date_from and not (meta.date and meta.date >= scope.date_from):
        return False
    if scope.date_to and not (meta.date and meta.date <= scope.date_to):
        return False
    return True


def scope_doc_ids(metas: Mapping[str, DocMeta], scope: Scope | None) -> set[str] | None:
    """Documents in scope (None: no filter).

    A region filter is strict: a document is in it only by its own region (a city notice
    forwarding a provincial plan is the city's; the plan is the province's). A document named
    by id brings along the documents attached to / forwarded by it (``parent_doc_id``).
    """
    if scope is None or scope.is_empty():
        return None
    ok = {d for d, m in metas.items() if doc_matches(m, scope)}
    if scope.doc_ids:
        named = set(scope.doc_ids)
        base = Scope(levels=scope.levels, doc_types=scope.doc_types, date_from=scope.date_from, date_to=scope.date_to)
        ok |= {d for d, m in metas.items() if m.parent_doc_id in named and doc_matches(m, base)}
    return ok


_COMPARE = re.compile(r"各地|各省|各市|各县|各文件|各份|几份|哪些地[区方]|哪些文件|哪几|比较|对比|相比|比照|不同|异同|区别|差异|分别|共同|都[有要提]|参照|借鉴|先例")


def is_comparison(question: str) -> bool:
    """Does the question compare documents or look for precedents across them?

    >>> is_comparison("安徽和甘肃在科普人才方面的规定有何不同？"), is_comparison("扬州市2025年目标是多少？")
    (True, False)
    """
    return bool(_COMPARE.search(question))


def focus_query(question: str, g: Gazetteer) -> str:
    """The question without the region names that its scope already filters on.

    Once the search is restricted to a region's documents, the region's name only favours the
    few clauses that happen to repeat it (安徽省科普教育基地 …) over the one that answers.
    The question is kept as it is when too little would remain.

    >>> from ingest.types import DocMeta
    >>> g = Gazetteer.from_metas([DocMeta("a#0", "a.txt", region="安徽省"), DocMeta("d#0", "d.txt", region="砀山县")])
    >>> focus_query("科技小院建设，安徽全省和砀山县各定了多少个？", g)
    '科技小院建设,全省和各定了多少个?'
    >>> focus_query("那砀山呢？", g)
    '那砀山呢？'
    """
    q = _norm(question)
    spans, _ = _find_regions(q, g)
    if not spans:
        return question
    out, pos = [], 0
    for s, e, _ in spans:
        out.append(q[pos:s])
        pos = e
    out.append(q[pos:])
    rest = "".join(out)
    if len(_CJK.findall(rest)) - len(re.findall(r"[呢吗啊呀的那这和与及]", rest)) < 4:
        return question
    return rest


_ASKS_DOCUMENT = re.compile(
    r"文号|字号|发文|印发|发布|下发|转发|落款|抄送|主送|发给|谁发|联合发|日期|什么时候|何时|哪天|哪一天|"
    r"依据|根据哪|根据什么|上位|上级文件|制定的|征求意见|正式|附件|联系人|联系电话"
)


def asks_about_document(question: str) -> bool:
    """Does the question ask about the document itself (文号, issuer, date, basis, attachments)
    rather than about one of its provisions? Such answers sit in the header, preamble or
    closing clauses, which rarely share words with the question.

    >>> asks_about_document("甘肃的若干措施和安徽的方案，哪个先印发？"), asks_about_document("砀山县的目标是多少？")
    (True, False)
    """
    return bool(_ASKS_DOCUMENT.search(question))
