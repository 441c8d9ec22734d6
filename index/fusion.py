"""Reciprocal rank fusion of ranked lists (pure functions).

Example:
    >>> fused = rrf({"dense": ["扬州#0/一、", "甘肃#0/二、"], "lexical": ["甘肃#0/二、"]}, k=60)
    >>> [key for key, _ in fused]
    ['甘肃#0/二、', '扬州#0/一、']
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

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
