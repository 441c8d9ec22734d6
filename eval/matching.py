"""Does a clause (or chunk) cover a gold evidence? The matching rule of the benchmark.

Both sides are normalised (NFKC, every whitespace character removed). A text covers an
evidence if it contains it, or shares with it a common substring at least ``min_ratio``
(default 60%) of the evidence's length, so an evidence that crosses a page or clause
boundary still matches the clause holding most of it.

The common-substring test needs no dynamic programming: a common substring of length L
exists iff one of the evidence's length-L windows occurs in the text, which Python's
C-level ``in`` answers quickly (evidences are short, clauses at most a few thousand
characters). Results are cached per (text, evidence).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from pathlib import PurePath

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """NFKC, then every whitespace character removed.

    >>> normalize("到 2025 年，公民具备科学素质的比例达到\\n１５％")
    '到2025年,公民具备科学素质的比例达到15%'
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def has_common_substring(text: str, evidence: str, length: int) -> bool:
    """True if ``text`` and ``evidence`` share a substring of ``length`` characters (no normalisation).

    >>> has_common_substring("加强科普人才队伍建设", "科普人才培育", 4)
    True
    >>> has_common_substring("加强科普人才队伍建设", "科普人才培育", 5)
    False
    """
    if length <= 0:
        return True
    if length > len(evidence) or length > len(text):
        return False
    return any(evidence[i : i + length] in text for i in range(len(evidence) - length + 1))


def longest_common_substring(a: str, b: str) -> int:
    """Length of the longest common substring (binary search on the window test).

    >>> longest_common_substring("到2025年全省科普经费达到", "科普经费")
    4
    >>> longest_common_substring("科学素质", "经费")
    0
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    lo, hi = 0, len(short)  # invariant: a common substring of length lo exists
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if has_common_substring(long_, short, mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def min_overlap(evidence_len: int, min_ratio: float = 0.6) -> int:
    """Characters a common substring needs to cover an evidence of this length (at least 1).

    >>> min_overlap(100), min_overlap(7), min_overlap(1)
    (60, 5, 1)
    """
    return max(1, math.ceil(evidence_len * min_ratio - 1e-9))


@lru_cache(maxsize=262144)
def _covers_normalized(text: str, evidence: str, min_ratio: float) -> bool:
    if not evidence:
        return False
    if evidence in text:
        return True
    return has_common_substring(text, evidence, min_overlap(len(evidence), min_ratio))


def covers(text: str, evidence: str, min_ratio: float = 0.6) -> bool:
    """The matching rule: ``text`` covers ``evidence`` after normalisation.

    >>> clause = "（二）加大经费投入。县财政将科普经费列入年度预算，逐步提高人均科普经费标准。"
    >>> covers(clause, "县财政将科普经费列入年度预算")
    True
    >>> covers(clause, "县财政将科普经费列入年度预算，并设立科普专项资金用于基层科普设施建设")
    False
    """
    return _covers_normalized(normalize(text), normalize(evidence), min_ratio)


def same_doc(a: str, b: str) -> bool:
    """Source file names match (directories ignored); an empty name matches anything.

    >>> same_doc("data/corpus/002_6d36f68e28e89aa5.txt", "002_6d36f68e28e89aa5.txt")
    True
    >>> same_doc("001_a.txt", "002_b.txt")
    False
    """
    if not a or not b:
        return True
    return PurePath(a).name == PurePath(b).name


def passage_covers(passage_doc: str, passage_text: str, gold_doc: str, evidence: str, min_ratio: float = 0.6) -> bool:
    """A retrieved / cited passage covers a gold evidence: same source file and the matching rule."""
    return same_doc(passage_doc, gold_doc) and covers(passage_text, evidence, min_ratio)
