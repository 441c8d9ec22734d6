"""Tokenizers of the lexical index: NFKC, lower case, whitespace and punctuation dropped; ``"char"``
gives single CJK characters (or ASCII runs) and their adjacent pairs within a segment, ``"jieba"``
jieba's search-engine cut. See ``index.lexical`` for how they are scored.

    >>> char_tokens("砀山县2025年")
    ['砀', '山', '县', '2025', '年', '砀山', '山县', '县2025', '2025年']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_UNIT = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_SEGMENT_BREAK = re.compile(r"[^\w\u3400-\u9fff]+|_")


def normalise(text: str) -> str:
    """NFKC + lower case (full-width digits and letters become ASCII)."""
    return unicodedata.normalize("NFKC", text).lower()


def char_tokens(text: str) -> list[str]:
    """Character unigrams + bigrams of a text (bigrams never cross punctuation or spaces)."""
    unis: list[str] = []
    bis: list[str] = []
    for seg in _SEGMENT_BREAK.split(normalise(text)):
        units = _UNIT.findall(seg)
        unis.extend(units)
        bis.extend(a + b for a, b in zip(units, units[1:], strict=False))
    return unis + bis


def jieba_tokens(text: str) -> list[str]:
    """jieba search-mode tokens, punctuation and whitespace dropped."""
    import jieba

    out = []
    for seg in _SEGMENT_BREAK.split(normalise(text)):
        if seg:
            out.extend(t for t in jieba.cut_for_search(seg) if t.strip())
    return out


def get_tokenizer(name: str) -> Callable[[str], list[str]]:
    if name == "char":
        return char_tokens
    if name == "jieba":
        return jieba_tokens
    raise ValueError(f"unknown tokenizer {name!r}; expected 'char' or 'jieba'")
