"""The `index.types.Embedder` protocol over an onnxruntime session: tokenise, run, mean-pool, normalise.

Split from `index.onnx_embed` (which exports, verifies and loads the model); this module needs
only numpy at import time.

Example:
    >>> h = np.ones((1, 2, 3), dtype=np.float32)
    >>> mean_pool_normalize(h, np.array([[1, 1]])).shape
    (1, 3)
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from index.model_files import DEFAULT_MODEL, MAX_SEQ_LENGTH, ONNX_BACKEND, PROMPTS
from index.unigram import UnigramTokenizer

EMBEDDER_NAME = f"{DEFAULT_MODEL}@{ONNX_BACKEND}"


def mean_pool_normalize(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors where ``mask`` is 1, then L2-normalised (float32).

    >>> h = np.array([[[3.0, 4.0], [9.0, 9.0]]], dtype=np.float32)
    >>> mean_pool_normalize(h, np.array([[1, 0]])).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """
    m = mask[..., None].astype(np.float32)
    summed = (hidden.astype(np.float32) * m).sum(axis=1)
    vecs = summed / np.clip(m.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return np.ascontiguousarray(vecs / np.clip(norms, 1e-12, None), dtype=np.float32)


class OnnxEmbedder:
    """The `index.types.Embedder` protocol over an onnxruntime session and a `tokenizers.Tokenizer`.

    Texts are tokenised with their prompt, sorted by length and run in batches of
    ``batch_size`` padded to the batch's longest. The default is one text per run: dynamic
    int8 quantisation scales activations per tensor, so batch-mates and padding would shift
    a text's vector (cosine 0.996 to its solo vector at batch 32); alone, a text always gets
    the same vector, whatever it is indexed with, and on these CPUs it was no slower
    (200 passages: 196 s at batch 1, 206 s at 8, 247 s at 32, under heavy load). The fp32 graph
    too: 60 clauses sorted by length took 73.5 ms of CPU each at batch 1, 84.4 ms at batch 8.

    ``tokenizer`` may be a zero-argument loader: the full ``tokenizers.Tokenizer`` takes about
    a second to build, so it is loaded only when a text needs it; ``query_tokenizer`` (an
    `index.unigram.UnigramTokenizer`, the same ids) serves the queries without it.
    """

    def __init__(self, session: Any, tokenizer: Any, name: str = EMBEDDER_NAME, dim: int = 384,
                 max_length: int = MAX_SEQ_LENGTH, prompts: dict[str, str] | None = None,
                 batch_size: int = 1, pad_id: int = 1, query_tokenizer: UnigramTokenizer | None = None) -> None:
        self.session, self._tokenizer, self.query_tokenizer = session, tokenizer, query_tokenizer
        self.name, self.dim, self.batch_size, self.pad_id = name, int(dim), batch_size, pad_id
        self.max_length = max_length
        prompts = prompts if prompts is not None else PROMPTS
        self.query_prompt, self.passage_prompt = prompts["query"], prompts["passage"]

    @property
    def tokenizer(self) -> Any:
        """The full tokenizer (loaded on first use when a loader was given)."""
        if callable(self._tokenizer) and not hasattr(self._tokenizer, "encode_batch"):
            self._tokenizer = self._tokenizer()
        if not getattr(self, "_configured", False):
            self._tokenizer.no_padding()
            self._tokenizer.enable_truncation(max_length=self.max_length)
            self._configured = True
        return self._tokenizer

    def token_ids(self, texts: list[str], short: bool = False) -> list[list[int]]:
        """Token ids of ``texts`` (prompt included); ``short`` tries the fast query tokenizer first."""
        fast = [self.query_tokenizer.encode(t) for t in texts] if short and self.query_tokenizer else [None] * len(texts)
        rest = [t for t, f in zip(texts, fast, strict=True) if f is None]
        full = iter([e.ids for e in self.tokenizer.encode_batch(rest)] if rest else [])
        return [f if f is not None else next(full) for f in fast]

    def _encode(self, texts: list[str], prompt: str, show_progress: bool, short: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.token_ids([prompt + t for t in texts], short)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        bar = None
        if show_progress and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="embedding", unit="chunk", file=sys.stderr)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            width = max(len(ids[i]) for i in rows)
            batch = np.full((len(rows), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, i in enumerate(rows):
                batch[j, : len(ids[i])] = ids[i]
                mask[j, : len(ids[i])] = 1
            hidden = self.session.run(None, {"input_ids": batch, "attention_mask": mask})[0]
            out[rows] = mean_pool_normalize(hidden, mask)
            if bar is not None:
                bar.update(len(rows))
        if bar is not None:
            bar.close()
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), self.query_prompt, False, short=True)

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(list(texts), self.passage_prompt, show_progress)
