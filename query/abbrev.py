"""Abbreviations a question uses that the documents never write, spelled out from the documents'
own titles: 农技 is 农业技术 where a title writes 《…农业技术推广法》, 非遗 is 非物质文化遗产, 公图法
is 公共图书馆法. Chinese abbreviations keep the first character of each word of the full name (or of
its first and last word), so an abbreviation is the characters of a title's words, in order, each
starting a word; the full form runs from the first such word to the end of the last.

Nothing is listed by hand: a question word (never a span across two of the question's words, 砀山|科技) is a
candidate only when none of its character bigrams occurs in the documents, and its full form is the span of held
titles it spells most often.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from lang.words import segmenter
from query.known import Known

_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
MAX_GAP = 5  # characters from one abbreviated word's start to the next one's


class TitleWords:
    """Where the words of the held titles start (jieba search mode), and where the shortest word
    starting there ends."""

    def __init__(self, titles: list[str]) -> None:
        jieba = segmenter()

        self.titles = titles
        self.starts: dict[str, list[tuple[int, int]]] = {}  # char -> (title index, position) of a whole word's start
        self.ends: list[dict[int, int]] = []  # per title: start of a word or sub-word -> end of the shortest one
        for i, t in enumerate(titles):
            ends: dict[int, int] = {}
            for _w, a, b in jieba.tokenize(t, mode="search"):
                if t[a].strip() and (a not in ends or b < ends[a]):
                    ends[a] = b
            self.ends.append(ends)
            for _w, a, _b in jieba.tokenize(t):  # an abbreviation starts where a whole word does (北京市, not 京市)
                if t[a].strip():
                    self.starts.setdefault(t[a], []).append((i, a))

    def spans(self, abbr: str) -> Counter:
        """Each title span the abbreviation spells (with the length up to its last character's
        position), counted over the titles."""
        out: Counter = Counter()
        for i, a in self.starts.get(abbr[0], []):
            t, ends = self.titles[i], self.ends[i]
            pos, ok = a, True
            for ch in abbr[1:]:
                nxt = next((p for p in range(pos + 1, min(len(t), pos + 1 + MAX_GAP)) if t[p] == ch and p in ends), None)
                if nxt is None:
                    ok = False
                    break
                pos = nxt
            if ok:
                out[(t[a:ends[pos]], pos + 1 - a)] += 1  # the span, and how much of it the abbreviation reaches
        return out


@lru_cache(maxsize=8)
def _title_words(titles: tuple[str, ...]) -> TitleWords:
    return TitleWords(list(titles))


@lru_cache(maxsize=8)
def _title_chars(titles: tuple[str, ...]) -> frozenset[str]:
    return frozenset("".join(titles))


@lru_cache(maxsize=4096)
def _spelled_in(tok: str, titles: tuple[str, ...]) -> bool:
    """Do the token's characters stand in some title in order, each within ``MAX_GAP`` of the last
    (a plain scan, before any segmentation)?"""
    for t in titles:
        a = t.find(tok[0])
        while a >= 0:
            pos = a
            for ch in tok[1:]:
                nxt = t.find(ch, pos + 1, pos + 1 + MAX_GAP)
                if nxt < 0:
                    break
                pos = nxt
            else:
                return True
            a = t.find(tok[0], a + 1)
    return False


def _cuts(run: str) -> set[int]:
    """Word boundaries of a run of question characters (jieba without HMM: unknown characters stand
    alone, so an abbreviation such as 公图法 is never glued to its neighbours)."""
    return {0, len(run)} | {b for _w, _a, b in segmenter().tokenize(run, HMM=False)}


def spelled_out(text: str, known: Known) -> str:
    """``text`` with each abbreviation the documents never write replaced by its full form, as the
    held titles spell it (the abbreviation itself matches nothing: none of its bigrams is written).

    >>> from ingest.types import DocMeta
    >>> k = Known.from_metas([DocMeta("a#0", "a.md", title="中华人民共和国公共图书馆法"),
    ...                       DocMeta("b#0", "b.md", title="山东省非物质文化遗产条例"),
    ...                       DocMeta("c#0", "c.md", title="浙江省实施《中华人民共和国农业技术推广法》办法")])
    >>> spelled_out("按公图法，非遗调查要报谁批准？浙江的农技培训呢？搞农技推广的人呢？", k)
    '按公共图书馆法，非物质文化遗产调查要报谁批准？浙江的农业技术培训呢？搞农业技术推广的人呢？'
    >>> spelled_out("公共图书馆法什么时候施行？", k), spelled_out("北京条例呢？", Known.from_metas([DocMeta("d#0", "d.md", title="北京市图书馆条例")]))
    ('公共图书馆法什么时候施行？', '北京条例呢？')
    >>> spelled_out("砀山科技资源科普化工程的牵头单位", Known.from_metas([DocMeta("s#0", "s.md", title="山东省促进科技成果转化条例")]))
    '砀山科技资源科普化工程的牵头单位'
    """
    titles = known.full_titles
    if not titles or not known.written:
        return text
    chars = _title_chars(titles)
    words = None
    out, last = [], 0
    for run in _RUN.finditer(text):
        s = run.group(0)
        cuts: set[int] | None = None
        i = 0
        while i < len(s) - 1:
            done = False
            for n in (4, 3, 2):
                tok = s[i:i + n]
                if (len(tok) < n or any(ch not in chars for ch in tok)
                        or any(tok[j:j + 2] in known.written for j in range(n - 1))):
                    continue  # cheap tests first: most questions never load the segmenter
                if not _spelled_in(tok, titles):
                    continue
                if cuts is None:
                    cuts = _cuts(s)
                if i not in cuts or i + n not in cuts:  # a word never spans a cut (砀山|科技 is no 山科)
                    continue
                words = words or _title_words(titles)
                spans = words.spans(tok)
                if not spans:
                    continue
                full, reach = max(spans.items(), key=lambda kv: (kv[1], -len(kv[0][0])))[0]
                if len(full) <= n:
                    continue
                end = run.start() + i + n
                tail = full[reach:]  # "农技推广": 农技推 spells 农业技术推广, whose 广 the question writes too
                eaten = len(tail) if tail and text.startswith(tail, end) else 0
                out.append(text[last:end - n] + full)
                last, i, done = end + eaten, i + n + eaten, True
                break
            if not done:
                i += 1
    return "".join(out) + text[last:]
