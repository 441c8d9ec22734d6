"""Reciprocal rank fusion of ranked lists (pure functions).

Example:
    >>> fused = rrf({"dense": ["扬州#0/一、", "甘肃#0/二、"], "lexical": ["甘肃#0/二、"]}, k=60)
    >>> [key for key, _ in fused]
    ['甘肃#0/二、', '扬州#0/一、']
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

import numpy as np

K = TypeVar("K", bound=Hashable)


def rrf(
    ranked: Mapping[str, Sequence[K]],
    k: int = 60,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[K, float]]:
    """Fuse ranked lists: score(x) = sum over lists of weight / (k + rank), rank 1-based.

    Ties are broken by the best single rank, then by first appearance, so the output is
    deterministic.
    """
    scores: dict[K, float] = {}
    best: dict[K, int] = {}
    order: dict[K, int] = {}
    for name, items in ranked.items():
        w = 1.0 if weights is None else float(weights.get(name, 1.0))
        for rank, key in enumerate(items, start=1):
            scores[key] = scores.get(key, 0.0) + w / (k + rank)
            best[key] = min(best.get(key, rank), rank)
            order.setdefault(key, len(order))
    return sorted(scores.items(), key=lambda kv: (-kv[1], best[kv[0]], order[kv[0]]))


def rrf_rows(
    ranked: Mapping[str, Sequence[int] | np.ndarray],
    k: int = 60,
    weights: Mapping[str, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``rrf`` over lists of row numbers, in numpy: (rows, scores) best first, the same order and
    the same float scores as ``rrf`` (each row's terms are summed in list order; ties by the best
    single rank, then by first appearance). For the deep pools of per-document ranking.

    >>> rows, scores = rrf_rows({"dense": [7, 3], "lexical": [3]}, k=60)
    >>> rows.tolist(), [round(s, 5) for s in scores.tolist()]
    ([3, 7], [0.03252, 0.01639])
    """
    arrays = [np.asarray(items, dtype=np.int64).reshape(-1) for items in ranked.values()]
    if not arrays or not sum(a.size for a in arrays):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    rows = np.concatenate(arrays)
    ranks = np.concatenate([np.arange(1, a.size + 1, dtype=np.int64) for a in arrays])
    terms = np.concatenate([
        (1.0 if weights is None else float(weights.get(name, 1.0))) / (k + np.arange(1, a.size + 1, dtype=np.float64))
        for name, a in zip(ranked, arrays, strict=True)])
    uniq, first, inv = np.unique(rows, return_index=True, return_inverse=True)
    scores = np.bincount(inv, weights=terms, minlength=uniq.size)
    best = np.full(uniq.size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, inv, ranks)
    order = np.lexsort((first, best, -scores))
    return uniq[order], scores[order]
