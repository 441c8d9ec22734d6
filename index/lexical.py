"""Lexical retrieval: BM25 (bm25s) over Chinese tokens, persisted without pickle.

Tokenizers:
- ``"char"`` (default, measured best here): NFKC, lower case, whitespace and punctuation
  dropped; units are single CJK characters or runs of ASCII letters/digits; tokens are all
  units plus all adjacent pairs within a punctuation-free segment. Rare place characters
  (砀, 亳) stay tokens, which the dense model cannot represent.
- ``"jieba"``: jieba's search-engine cut, same normalisation.

Example:
    >>> char_tokens("砀山县2025年")
    ['砀', '山', '县', '2025', '年', '砀山', '山县', '县2025', '2025年']
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

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


class LexicalIndex:
    """BM25 over pre-tokenised texts; ``scores(query)`` scores every row."""

    def __init__(self, tokenizer: str = "char", k1: float = 1.5, b: float = 0.75) -> None:
        self.tokenizer = tokenizer
        self.tokenize = get_tokenizer(tokenizer)
        self.k1, self.b = k1, b
        self.n = 0
        self._bm25 = None

    def fit(self, texts: Sequence[str]) -> LexicalIndex:
        import bm25s

        self.n = len(texts)
        self._bm25 = None
        if self.n:
            corpus = [self.tokenize(t) or [""] for t in texts]
            bm = bm25s.BM25(k1=self.k1, b=self.b)
            bm.index(corpus, show_progress=False)
            self._bm25 = bm
        return self

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for the query (zeros when no query token is indexed)."""
        if self._bm25 is None:
            return np.zeros(self.n, dtype=np.float32)
        ids = self._bm25.get_tokens_ids([t for t in self.tokenize(query) if t])
        if not ids:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(ids), dtype=np.float32)

    def save(self, directory: Path) -> None:
        """bm25s' own format (``.npy`` arrays with allow_pickle=False + JSON vocabulary)."""
        directory.mkdir(parents=True, exist_ok=True)
        meta = {"tokenizer": self.tokenizer, "k1": self.k1, "b": self.b, "n": self.n}
        (directory / "lexical.json").write_text(json.dumps(meta), encoding="utf-8")
        if self._bm25 is not None:
            self._bm25.save(str(directory), allow_pickle=False, show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        meta = json.loads((directory / "lexical.json").read_text(encoding="utf-8"))
        lex = cls(meta["tokenizer"], meta["k1"], meta["b"])
        lex.n = int(meta["n"])
        if lex.n:
            lex._bm25 = bm25s.BM25.load(str(directory), allow_pickle=False, load_corpus=False)
            got = int(lex._bm25.scores["num_docs"])
            if got != lex.n:
                raise ValueError(f"BM25 index in {directory} holds {got} rows; expected {lex.n}")
        return lex
