"""Function words of questions about policy text: stop phrases (not content), generic place words
(我省 / 全市: no particular region), pronouns that point back in a conversation.

>>> content_runs("安徽省到2025年公民科学素质比例目标是多少？", drop=["安徽省"])
['到', '公民科学素质比例目标']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from types import ModuleType

STOP_PHRASES = [
    "请问", "什么", "哪些", "哪个", "哪几", "哪里", "如何", "怎样", "怎么", "多少", "是否", "有没有",
    "是谁", "为何", "为什么", "关于", "对于", "方面", "规定", "提出", "文件", "里面", "中的", "包括", "包含", "分为",
    "有关", "相关", "情况", "具体", "分别", "要求", "主要", "原文", "表述", "提法", "怎么提", "给我看看", "看看",
    "出现过", "出现", "各地", "各自", "有何不同", "不同", "区别", "异同", "这个", "那个", "这份", "那份", "这块",
    "哪", "吗", "呢", "么", "的", "了",
    "是", "有", "要", "和", "与", "及", "在", "对", "中", "将", "把", "被", "由", "呀", "啊",
]
# a level of government as a question writes it ("省里和地级市办的", "县级的呢？"); a run of them joined by
# 和 / 、 is one mention of levels
LEVEL_WORD = r"(?:国家级|省级|省里|省一级|地级市|设区的市|市级|市里|市一级|县级市|县级|县里|县一级|区级|区里|区一级|乡镇级|乡镇|乡级|镇级|村级)"
LEVEL_RUN = re.compile(r"(?<![城都超门夜股])" + LEVEL_WORD + r"(?:[和与及、跟]" + LEVEL_WORD + r")*")
_LEVEL_ORDER = "国省市县区乡村"
# how a clause writes a level of government: 县（市、区）, 设区的市, 省人民政府, 县级以上 …
_LEVEL_IN_TEXT = {
    "国": r"国务院|国家",
    "省": r"(?<![全本我外各])省(?:级|人民政府|、|和|（|辖)",
    "市": r"设区的市|地级市|(?<![城都超门])市(?:级|人民政府|、|（)",
    "县": r"县(?:级|人民政府|、|（|区|和)",
    "区": r"(?<![社园小景辖城])区(?:级|人民政府|、|（)",
    "乡": r"乡(?:镇|级|、)|镇人民政府|街道办事处",
    "村": r"村(?:级|民委员会)",
}


def levels_asked(text: str) -> tuple[str, ...]:
    """The levels of government a question names ("省里和地级市办的" → 省, 市), as one character each.

    >>> levels_asked("浙江省里和地级市办的中医医院要达到啥等级？"), levels_asked("县级的呢？"), levels_asked("城市里的公园")
    (('省', '市'), ('县',), ())
    """
    out: list[str] = []
    for m in LEVEL_RUN.finditer(text):
        for w in re.findall(LEVEL_WORD, m.group(0)):
            lv = "县" if w.startswith("县") else "市" if "市" in w else w[0] if w[0] in "省区村" else "乡" if w[0] in "乡镇" else "国"
            if lv not in out:
                out.append(lv)
    return tuple(out)


def level_fit(asked: tuple[str, ...], sentence: str) -> int:
    """+1 when a sentence speaks of the levels asked only, −1 when only of others, else 0
    (县级以上 speaks of every level from the county up).

    >>> s1, s2 = "省级和设区的市建设的公园应当达到一级标准。", "县（市、区）建设的公园应当达到二级以上标准。"
    >>> level_fit(("县",), s1), level_fit(("县",), s2), level_fit(("县",), "县级以上人民政府应当加强公园建设。")
    (-1, 1, 0)
    """
    if not asked:
        return 0
    sentence = re.sub(r"([县市])[（(][市区县、]{1,5}[)）]", r"\1（", sentence)  # 县（市、区） is the county level
    said = {lv for lv, rx in _LEVEL_IN_TEXT.items() if re.search(rx, sentence)}
    for m in re.finditer(r"([省市县区乡])级以上", sentence):
        said |= set(_LEVEL_ORDER[: _LEVEL_ORDER.index(m.group(1)) + 1])
    if not said:
        return 0
    if said <= set(asked):
        return 1
    return 0 if said & set(asked) else -1


# the next step of a penalty, written as its own sentence after it ("；拒不改正的，处两百元罚款")
ESCALATION = re.compile(r"(?:(?:没有|无)违法所得|违法所得不足|情节严重|情节较重|逾期不改正|逾期未改正|拒不改正|拒不停止|经[^，,。；;]{0,6}仍(?:不|未|拒不)改正|仍(?:不|未)改正|造成[^，,]{0,12}(?:损失|后果)|构成犯罪|再次|屡次)")
GENERIC_PLACES = ("我省", "我市", "我县", "我区", "全省", "全市", "全县", "本省", "本市", "本县", "省级", "市级", "县级")
PRONOUN = re.compile(r"它们|它|这个|这项|这些|这一|这类|这种|这样的|此类|该类|该项|该|上述|其中|此项|前者|后者")
YEAR_WORD = re.compile(r"((?:19|20)\d{2})\s*年")
# what a document is called without its title ("重庆的条例呢？"): longest first
DOC_KIND = re.compile(r"实施办法|实施细则|实施方案|条例|办法|规定|细则|方案|文件|意见|措施|法")
# the national instrument of a kind, named by level instead of title ("国家法和重庆条例", "全国的条例",
# "国务院节水条例"): the subject written between is group 1 ("" or 节水), the kind group 2 (法律 reads 法);
# 国家法定 / 国家规定 are other words
NATIONAL_KIND = re.compile(r"(?:国家|全国|中央|国务院)(?:层面|一级)?的?((?:(?![的和与及跟同、，])[\u4e00-\u9fff]){0,6}?)"
                           r"(法律|法|条例)(?![定律院规])")
# "国家" listed with places ("国家、北京、上海分别怎么罚"): the national instrument, whatever its kind
NATIONAL_LISTED = re.compile(r"(?:^|(?<=[、和与及跟，,]))(?:国家|国务院|中央)(?=[、和与及跟]|分别|各自?|都)")
CJK_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z]+")


def text_bigrams(texts: Iterable[str]) -> set[str]:
    """Character bigrams within each run of Chinese / Latin text of ``texts``.

    >>> sorted(text_bigrams(["科普基地。", "AB"])) == sorted({"科普", "普基", "基地", "AB"})
    True
    """
    grams: set[str] = set()
    for text in texts:
        for run in CJK_RUN.findall(text):
            grams.update(run[i: i + 2] for i in range(len(run) - 1))
    return grams


# characters that glue the words of a spoken question: particles, measure words, prepositions, pronouns
FUNCTION_CHARS = frozenset("的地得了着过吗呢吧啊呀里跟和与及或把被给让向从对在个张些几啥这那哪每各该其就都还也又要会能可想是有么怎谁")


def unseen_bigrams(texts: Iterable[str], written: frozenset[str] | set[str], drop: Iterable[str] = ()) -> tuple[str, ...]:
    """The bigrams of ``texts`` (questions) that join two words rather than name one: a function
    character beside another character, in a pair the collection (``written``) never uses (里跟, 建个).
    An absent term (起征, 名片) is not one: it may be what the documents lack.

    >>> sorted(unseen_bigrams(["方案里跟太空有关要建个什么基地的起征点"], {"方案", "太空", "基地", "建设"}))
    ['建个', '案里', '跟太', '里跟']
    """
    return joining(absent_bigrams(texts, written, drop))


def joining(grams: Iterable[str]) -> tuple[str, ...]:
    """Those of ``grams`` with a function character on one side (里跟, 建个): seams between words."""
    return tuple(g for g in grams if g[0] in FUNCTION_CHARS or g[1] in FUNCTION_CHARS)


def absent_bigrams(texts: Iterable[str], written: frozenset[str] | set[str], drop: Iterable[str] = ()) -> tuple[str, ...]:
    """Content bigrams of ``texts`` (questions) the collection never writes (养鱼, 停水, 起征).

    >>> absent_bigrams(["拿自来水养鱼"], {"自来", "来水", "水产"})
    ('养鱼', '拿自', '水养')
    """
    if not written:
        return ()
    grams = text_bigrams(run for t in texts for run in content_runs(t, drop))
    return tuple(sorted(g for g in grams if g not in written))


def content_runs(text: str, drop: Iterable[str] = ()) -> list[str]:
    """Runs of content characters: ``drop`` terms, years, digits and stop phrases removed."""
    t = text
    for d in sorted({d for d in drop if d}, key=len, reverse=True):
        t = t.replace(d, " ")
    t = YEAR_WORD.sub(" ", t)
    t = re.sub(r"\d+", " ", t)
    for p in STOP_PHRASES:
        t = t.replace(p, " ")
    return CJK_RUN.findall(t)


def segmenter() -> ModuleType:
    """jieba, imported on first use and quiet (its "Building prefix dict" lines would reach stderr on
    every question that needs it); its dictionary loads on the first cut, about 0.9 s."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba
