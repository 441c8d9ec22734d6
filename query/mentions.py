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

from lang.divisions import (
    SUFFIXES,
    abbreviations,
    find_divisions,
    lookup,
    province_of,
    same_region,
)
from lang.text import in_order, squeeze, type_word
from lang.words import NATIONAL_KIND, NATIONAL_LISTED, text_bigrams
from query.known import Known
from query.shortforms import longest_tail_in, short_forms, subsequence_at

# A generic admin name in a question: suffix with the two characters before it.
_ADMIN_MENTION = re.compile(r"(?=([\u4e00-\u9fff]{2})(特别行政区|自治区|自治州|自治县|省|市|县))")
# Characters that make "X市"/"X县"/"X省" a common word rather than a place (城市, 超市, 全省, 县级市 ...).
# A numeral right before the suffix counts places (皖吉甘三省, 五市, 十县) rather than naming one.
_NOT_PLACE_BEFORE = set("城都超上股夜集早门楼车菜全各本我该外节反分县市省区每他此其一两几多哪等个级辖副范强"
                        "二三四五六七八九十"
                        "对在于向给及的是到从把被让")  # a preposition ends no place's name (条例对县里办的…)
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
    designated: tuple[str, ...] = ()  # the documents named one by one (not all of a place's documents)


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
    held_starts = {s for s, _, _ in spans}  # "云南宾川县": a place written right before a held one qualifies it
    found: list[tuple[int, str]] = []
    for d in find_divisions(q):  # every listed division not held (a held city's province is context)
        if k.region_of(d.full) or (d.level == "province" and d.full in held_provinces):
            continue
        for form in sorted(d.forms(), key=len, reverse=True) + list(d.abbr):
            i = q.find(form)
            if len(form) == 1:
                i = next((j for j, a in abbreviations(q) if a == d and q[j] == form), -1)
            if i >= 0 and i + len(form) in held_starts:
                covered[i:i + len(form)] = [True] * len(form)
                break
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
        if e < len(q) and (q[e] in _NOT_PLACE_AFTER or (q[e] == "道" and not q.startswith("道路", e))):
            continue  # "条例规定县道的养护": 县道 / 省道 are classes of road, not places
        covered[s:e] = [True] * (e - s)
        found.append((s, prefix + suf))
    found.sort()
    return list(dict.fromkeys(name for _, name in found))


def _names_enough(tail: str) -> bool:
    """Does a title ending say what the document is about? Its kind word alone (条例) does, as a
    kind; one character before it (新条例 in 上海新条例, 更新条例's ending) does not.

    >>> _names_enough("条例"), _names_enough("新条例"), _names_enough("健身条例")
    (True, False, True)
    """
    return len(tail) - len(type_word(tail)) != 1


def _place_before(q: str, i: int) -> str:
    """The full name of a listed division written right before position ``i``, or before a 的 there
    ("" when none).

    >>> _place_before("浙江的志愿服务条例", 3), _place_before("北京志愿服务条例", 2), _place_before("志愿服务条例", 0)
    ('浙江省', '北京市', '')
    """
    head = q[max(0, i - 12): i]
    head = head[:-1] if head.endswith("的") else head
    for d in reversed(find_divisions(head)):
        if any(head.endswith(squeeze(f)) for f in d.forms()):
            return d.full
    return ""


def _title_is_named(q: str, title: str, region: str, full: str = "") -> bool:
    """Does the title (or title ending) written in ``q`` name this document? Not when another place
    is written right before it: 北京志愿服务条例 and 河北省全民健身条例 are those places' own, not the
    national 志愿服务条例 / 全民健身条例; nor before the short form of the rest of the ``full`` title
    written with an ending (山东的科普若干措施 is 山东's, not 甘肃's …科学技术普及工作的若干措施).

    >>> _title_is_named("山东的科普若干措施有哪些", "若干措施", "甘肃省", "甘肃省关于加强科学技术普及工作的若干措施")
    False
    >>> _title_is_named("科普若干措施有哪些", "若干措施", "甘肃省", "甘肃省关于加强科学技术普及工作的若干措施")
    True
    """
    head = squeeze(full)[: -len(title)] if full and squeeze(full).endswith(title) else ""
    i = q.find(title)
    while i >= 0:
        j = next((i - n for n in range(min(8, i), 1, -1) if subsequence_at(q[i - n:i], head) >= 0), i) if head else i
        place = _place_before(q, j)
        if not place or (region and (same_region(place, region) or place == province_of(region))):
            return True
        i = q.find(title, i + 1)
    return False


def _one_title_ends(k: Known, tail: str) -> bool:
    """Is ``tail`` the ending of one title only (its versions aside)? A short ending (行政复议法)
    names a document only when no other title ends the same way (促进条例 names none)."""
    return k.one_title_ends(tail)


def _named_docs(q: str, k: Known, regions: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Documents the question designates by 文号, full title, a title ending (+ region), and the
    title endings it used. Every way of naming counts, so a comparison that names one document by
    its title and another by place and kind ("浙江省志愿服务条例和重庆市科协条例") or by the ending of
    its title ("家庭教育促进法和重庆条例") designates both.

    >>> from ingest.types import DocMeta
    >>> k = Known.from_metas([DocMeta("n#0", "n.md", title="中华人民共和国家庭教育促进法", region="中华人民共和国"),
    ...                       DocMeta("c#0", "c.md", title="重庆市家庭教育促进条例", region="重庆市"),
    ...                       DocMeta("x#0", "x.md", title="重庆市科学技术协会条例", region="重庆市"),
    ...                       DocMeta("z#0", "z.md", title="浙江省志愿服务条例", region="浙江省")])
    >>> _named_docs("家庭教育促进法和重庆条例各怎么规定", k, ["重庆市"])[::2]
    (['n#0', 'c#0', 'x#0'], ['n#0'])
    >>> _named_docs("浙江省志愿服务条例和重庆市科协条例各是根据什么制定的", k, ["浙江省", "重庆市"])[0]
    ['x#0', 'z#0']
    """
    titles = k.titles
    hit = {d for n in k.occurring(q, k.docs_by_number) for d in k.docs_by_number[n]}
    named = {t: [d for d in k.docs_by_title[t] if _title_is_named(q, t, k.metas[d].region)]
             for t in k.occurring(q, k.docs_by_title) if len(t) >= 6}
    full = [t for t, ds in named.items() if ds]
    hit |= {d for ds in named.values() for d in ds}
    out = sorted(hit, key=k.order.__getitem__)  # collection order
    tails: list[str] = [titles[d] for d in out]
    rest = q
    for t in sorted(full, key=len, reverse=True):  # a written title is not also an ending or a short form
        rest = rest.replace(t, "　" * len(t))
    national_at = rest  # a place's kind word found after 国家 ("国家节水条例、郑州的…") is still the nation's
    open_regions = [r for r in regions if not any(d in hit for d in k.region_docs(r))]
    by_region: dict[str, list[str]] = {}  # region → the documents its short forms designate ([]: none)
    scored: list[str] = []  # the places a kind word is written for
    written: list[tuple[str, int]] = []
    for r in open_regions:  # places written together share one kind word (河南和郑州的科普条例)
        docs = k.region_docs(r)
        scores = short_forms(rest, {d: k.metas[d].title for d in docs}, r)
        if scores:
            scored.append(r)
        tails.extend(v[2] for v in scores.values())
        by_region[r] = _designated(scores, k) if scores else list(docs)
        written.extend((phrase, end) for _n, _h, phrase, end in scores.values())
    for phrase, end in written:  # a place's own title is not another's ending
        rest = rest[:end - len(phrase)] + "　" * len(phrase) + rest[end:]
    in_regions = {d for r in regions for d in k.region_docs(r)}
    best: dict[str, int] = {}
    ends = {rest[i:i + 4] for i in range(len(rest) - 3)}  # every tail of 4+ characters ends with one of these
    for d in sorted({d for e in ends for d in k.docs_by_title_end.get(e, ())}, key=k.order.__getitem__):
        if d in hit or d in in_regions:
            continue
        tail = longest_tail_in(titles[d], rest, 4)
        if tail.startswith(("的", "之")):  # 星级评定的具体办法: the question's own 的, a common phrase
            continue
        if tail and (len(tail) >= 6 or _one_title_ends(k, tail)) and _title_is_named(rest, tail, k.metas[d].region, titles[d]):
            best[d] = len(tail)
            tails.append(tail)
    for d in k.order:  # a law's three-character name (献血法, 兵役法) written on its own
        t = titles.get(d, "")
        if d in hit or d in in_regions or d in best or len(t) < 3 or not t.endswith("法"):
            continue
        i = rest.find(t[-3:])
        if i >= 0 and (i == 0 or rest[i - 1] in "和与及、，,的家《　 " or not "\u4e00" <= rest[i - 1] <= "\u9fff") \
                and _one_title_ends(k, t[-3:]):
            best[d] = 3
            tails.append(t[-3:])
    by_tail: list[str] = []
    if best and len(best) < len(k.metas):
        top = max(best.values())
        by_tail = [d for d in best if best[d] == top]
    national = [d for d in _national(national_at, k) if d not in hit and d not in by_tail]
    if national:  # "国家法" names a document: not a topic word
        by_tail.extend(national)
        tails.extend(m.group(0) for m in NATIONAL_KIND.finditer(national_at))
    one_by_one = set(out) | set(by_tail) | {d for r in scored for d in by_region[r]}  # a kind word picked them
    designating = any(by_region[r] for r in scored)  # some place's kind word picks out documents
    if out or by_tail or designating:  # the places named beside them are compared too (all of a
        out.extend(d for r in open_regions for d in (by_region[r] or k.region_docs(r)))  # place's when none stands out)
    out.extend(by_tail)
    out = list(dict.fromkeys(sorted(out, key=k.order.__getitem__)))
    return out, tails, [d for d in out if d in one_by_one]


def _national(q: str, k: Known) -> list[str]:
    """The national instrument a question names by level and kind ("国家法", "全国的条例"): the held
    documents of national level (or of no region) whose title ends with that kind, when they are
    one instrument (its versions count once); [] otherwise.

    >>> from ingest.types import DocMeta
    >>> k = Known.from_metas([DocMeta("n#0", "n.md", title="中华人民共和国家庭教育促进法", region="中华人民共和国",
    ...                               level="国家"), DocMeta("c#0", "c.md", title="重庆市家庭教育促进条例", region="重庆市"),
    ...                       DocMeta("b#0", "b.md", title="企业职工带薪年休假实施办法")])
    >>> _national("挪用家庭教育经费的部门，国家法和重庆条例分别规定由谁责令改正", k), _national("国家法定节假日", k)
    (['n#0'], [])

    Among several national laws, the one whose subject the question speaks of (家庭教育 above, not 教育):

    >>> k2 = Known.from_metas([*k.metas.values(), DocMeta("e#0", "e.md", title="中华人民共和国教育法", level="国家")])
    >>> _national("挪用家庭教育经费的部门，国家法和重庆条例分别规定由谁责令改正", k2), _national("国家法怎么规定", k2)
    (['n#0'], [])

    The subject may be written between, abbreviated (节水 for 节约用水), and the State Council named:

    >>> k3 = Known.from_metas([DocMeta("w#0", "w.md", title="节约用水条例"), DocMeta("q#0", "q.md", title="气象条例"),
    ...                        DocMeta("z#0", "z.md", title="郑州市节约用水条例", region="郑州市")])
    >>> _national("国务院节水条例和郑州条例分别怎么罚", k3), _national("国家层面的气象条例", k3), _national("国家的条例", k3)
    (['w#0'], ['q#0'], [])
    >>> k4 = Known.from_metas([DocMeta("w#0", "w.md", title="节约用水条例"), DocMeta("z#0", "z.md", title="郑州市节约用水条例", region="郑州市")])
    >>> _national("擅自取水，国家、郑州分别怎么罚", k4), _national("国家鼓励节水", k4)  # 国家 listed with a place
    (['w#0'], [])
    """
    out: list[str] = []
    for m in NATIONAL_KIND.finditer(q):
        subject, end = m.group(1), "法" if m.group(2) in ("法", "法律") else m.group(2)
        docs = [d for d, meta in k.metas.items() if (meta.level == "国家" or not meta.region)
                and type_word(k.titles[d]) == end  # 法 is not the ending of 实施办法
                and in_order(subject, k.titles[d])]  # 国家节水条例: 节约用水条例
        if len({k.titles[d] for d in docs}) > 1:
            docs = spoken_of(q, docs, k)
        if docs and len({k.titles[d] for d in docs}) == 1:
            out.extend(d for d in docs if d not in out)
    if NATIONAL_LISTED.search(q):  # 国家、北京、上海分别…: the one national instrument held
        docs = [d for d, meta in k.metas.items() if meta.level == "国家" or not meta.region]
        if len({k.titles[d] for d in docs}) > 1:
            docs = spoken_of(q, docs, k)
        if docs and len({k.titles[d] for d in docs}) == 1:
            out.extend(d for d in docs if d not in out)
    return out


def spoken_of(q: str, docs: list[str], k: Known) -> list[str]:
    """The documents whose title shares the most character pairs with the question (at least two,
    so that a common word such as 教育 alone decides nothing), or [] when none stands out."""
    grams = text_bigrams([NATIONAL_KIND.sub("　", q)])  # 国家法律 itself says nothing of the subject
    shared = {d: len(text_bigrams([k.titles[d]]) & grams) for d in docs}
    top = max(shared.values(), default=0)
    best = [d for d in docs if shared[d] == top]
    return best if top >= 2 and len({k.titles[d] for d in best}) == 1 else []


def _designated(scores: dict[str, tuple[int, int, str, int]], k: Known) -> list[str]:
    """The documents of one region a question's short forms designate: at each kind word written
    (…条例 in "家庭教育促进条例和科协条例"), the best-matching documents; a kind word that many
    different titles match equally well (重庆的条例) designates none there. All the region's
    documents when every one is designated, [] when none is."""
    at: dict[int, dict[str, tuple[int, int]]] = {}
    for d, v in scores.items():
        at.setdefault(v[3], {})[d] = v[:2]
    chosen: list[str] = []
    for found in at.values():
        top = max(found.values())
        best = [d for d, v in found.items() if v == top]
        if len(best) > 1 and len({k.titles[d] for d in best}) > 1:
            continue
        chosen.extend(best)
    if not chosen:
        return []
    return [d for d in scores if d in chosen] if len(set(chosen)) < len(scores) else list(scores)


def read_mentions(question: str, k: Known) -> Mentions:
    """Regions, documents and unknown places a question names (see the module docstring)."""
    q = squeeze(question)
    spans, lookalikes = _find_known(q, k)
    regions = list(dict.fromkeys(r for _, _, r in spans))
    unknown = lookalikes + [u for u in _unknown_places(q, spans, k) if u not in lookalikes]
    doc_ids, tails, designated = _named_docs(q, k, regions)
    written = [q[s:e] for s, e, _ in spans] + unknown
    return Mentions(tuple(regions), tuple(spans), tuple(dict.fromkeys(written)), tuple(dict.fromkeys(doc_ids)),
                    tuple(unknown), tuple(dict.fromkeys(tails)), tuple(designated))
