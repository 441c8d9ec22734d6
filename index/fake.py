"""A deterministic, dependency-free embedder for tests where the model is not the point.

Character uni+bigrams hashed into a fixed number of dimensions, L2-normalised. Texts that
share characters get similar vectors, so retrieval tests behave sensibly. It counts its
calls, so tests can assert how much was (re-)embedded. Never used as a product fallback.
"""

from __future__ import annotations

import hashlib

import numpy as np


class HashEmbedder:
    def __init__(self, dim: int = 256, name: str = "fake-hash-embedder") -> None:
        self.name = name
        self.dim = dim
        self.calls = 0  # number of encode_* calls
        self.encoded = 0  # number of texts encoded

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        grams = chars + [a + b for a, b in zip(chars, chars[1:], strict=False)]
        for g in grams:
            h = int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        n = float(np.linalg.norm(v))
        return v / n if n > 0 else v

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vec(t) for t in texts]).astype(np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(texts)
