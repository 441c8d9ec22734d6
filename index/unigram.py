"""A fast-loading copy of the XLM-R Unigram tokenizer for short texts (one query per ``policyqa ask``).

``tokenizers.Tokenizer.from_file`` spends about a second building its 250,002-piece trie,
longer than everything else a warm ``policyqa ask`` does. A question needs a few dozen
vocabulary look-ups, so this module keeps the vocabulary as a
sorted list read from a
small cache file (written once, at export, by `write_vocab_cache`) and runs the same
Viterbi search as ``tokenizers``' Unigram model in Python: same scores, same tie-breaking
(a later candidate wins only when strictly better; shorter pieces are tried first), same
unknown-piece penalty (lowest score − 10) and the same fusing of consecutive unknowns.
The text is normalised and pre-tokenised by the original tokenizer's own ``Precompiled`` +
``Replace`` normaliser and ``Metaspace`` pre-tokeniser (rebuilt without the vocabulary).
Texts it does not cover (a special token such as ``</s>`` written in the text, or more than
``max_length`` tokens) return ``None`` so the caller uses the full tokenizer: ids are
always the full tokenizer's (checked on 2,000 texts, see tests/test_unigram.py).

The cache file (no pickle): a JSON header line (format, SHA-256 of the source tokenizer.json,
the tokenizer without its vocabulary), the pieces in sorted order, their ids and the scores
as little-endian arrays; look-ups bisect the sorted pieces (no 250,002-entry dict to build).

Example:
    >>> tok = UnigramTokenizer.load(Path("tokenizer.unigram.bin"))  # doctest: +SKIP
    >>> tok.encode("query: 扬州市科普经费怎么保障？")  # doctest: +SKIP
    [0, 41, 1294, 12, 6, ...]
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from array import array
from bisect import bisect_left
from pathlib import Path
from typing import Any

CACHE_FORMAT = 2
UNK_PENALTY = 10.0  # tokenizers' K_UNK_PENALTY


def write_vocab_cache(tokenizer_json: Path, out: Path, source_sha256: str) -> None:
    """Write the cache file of the Unigram ``tokenizer_json`` at ``out`` (temp file + rename).

    Layout: one JSON header line, the pieces in sorted order joined by ``\\n``, their ids
    (int32 little-endian), then the scores by id (float64 little-endian)."""
    spec = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
    model = spec.get("model") or {}
    if model.get("type") != "Unigram" or not isinstance(model.get("vocab"), list):
        raise ValueError(f"{tokenizer_json}: expected a Unigram tokenizer.json, found model type {model.get('type')!r}")
    pieces = [str(p) for p, _ in model["vocab"]]
    if any("\n" in p for p in pieces) or len(set(pieces)) != len(pieces):
        raise ValueError(f"{tokenizer_json}: a vocabulary piece holds a line break or repeats; this cache cannot store it")
    order = sorted(range(len(pieces)), key=pieces.__getitem__)
    text = "\n".join(pieces[i] for i in order).encode("utf-8")
    light = dict(spec, model=dict(model, vocab=[[p, s] for p, s in model["vocab"][: int(model.get("unk_id") or 0) + 1]]))
    header = {"format": CACHE_FORMAT, "source_sha256": source_sha256, "tokenizer": light, "unk_id": model.get("unk_id"),
              "byte_fallback": bool(model.get("byte_fallback")), "count": len(pieces), "pieces_bytes": len(text),
              "max_piece": max(len(p) for p in pieces)}
    ids, scores = array("i", order), array("d", (float(s) for _, s in model["vocab"]))
    if sys.byteorder != "little":
        ids.byteswap()
        scores.byteswap()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    with open(tmp, "wb") as f:
        f.write(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n")
        f.write(text)
        f.write(ids.tobytes())
        f.write(scores.tobytes())
    os.replace(tmp, out)


class UnigramTokenizer:
    """Ids of short texts, identical to the full tokenizer's (``None`` where it cannot promise that)."""

    def __init__(self, header: dict[str, Any], pieces: list[str], ids: array, scores: array,
                 max_length: int = 512) -> None:
        from tokenizers import Tokenizer

        if header.get("byte_fallback"):
            raise ValueError("byte-fallback Unigram models are not supported by the fast path")
        light = Tokenizer.from_str(json.dumps(header["tokenizer"]))
        self.normalizer, self.pre_tokenizer = light.normalizer, light.pre_tokenizer
        self.pieces, self.ids, self.scores = pieces, ids, scores  # pieces sorted; ids[k] is pieces[k]'s id
        self.unk_id: int = header["unk_id"]
        self.unk_score = min(scores) - UNK_PENALTY
        self.max_piece: int = header["max_piece"]
        self.max_length = max_length
        self.specials = [a["content"] for a in header["tokenizer"].get("added_tokens", [])]
        post = header["tokenizer"]["post_processor"]
        template = post["single"]
        if len(template) != 3 or "Sequence" not in template[1]:
            raise ValueError("expected a post-processor of the form <s> $A </s>")
        special_ids = {k: v["ids"][0] for k, v in post["special_tokens"].items()}
        self.bos = special_ids[template[0]["SpecialToken"]["id"]]
        self.eos = special_ids[template[2]["SpecialToken"]["id"]]

    @classmethod
    def load(cls, path: Path, source_sha256: str | None = None, max_length: int = 512) -> UnigramTokenizer:
        """Read the cache at ``path``; ``ValueError`` when it is unreadable or of another source."""
        data = Path(path).read_bytes()
        try:
            nl = data.index(b"\n")
            header = json.loads(data[:nl])
            n, size = int(header["count"]), int(header["pieces_bytes"])
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(f"{path}: not a tokenizer cache ({e})") from e
        if header.get("format") != CACHE_FORMAT:
            raise ValueError(f"{path}: tokenizer cache format {header.get('format')}, expected {CACHE_FORMAT}")
        if source_sha256 is not None and header.get("source_sha256") != source_sha256:
            raise ValueError(f"{path} was made from another tokenizer.json")
        at = nl + 1 + size
        if len(data) != at + 12 * n:
            raise ValueError(f"{path}: {len(data)} bytes, expected {at + 12 * n} for {n} pieces")
        pieces = data[nl + 1 : at].decode("utf-8").split("\n")
        ids, scores = array("i"), array("d")
        ids.frombytes(data[at : at + 4 * n])
        scores.frombytes(data[at + 4 * n :])
        if sys.byteorder != "little":
            ids.byteswap()
            scores.byteswap()
        if len(pieces) != n:
            raise ValueError(f"{path}: {len(pieces)} pieces, expected {n}")
        return cls(header, pieces, ids, scores, max_length)

    def _id(self, piece: str) -> int | None:
        k = bisect_left(self.pieces, piece)
        return self.ids[k] if k < len(self.pieces) and self.pieces[k] == piece else None

    def _word(self, word: str, out: list[int]) -> None:
        """Viterbi over one pre-token (as tokenizers' ``Unigram::encode_optimized``)."""
        n, lookup, scores = len(word), self._id, self.scores
        best = [0.0] * (n + 1)
        start: list[int] = [-1] * (n + 1)
        ids = [0] * (n + 1)
        for i in range(n):
            here, single = best[i], False
            for j in range(i + 1, min(n, i + self.max_piece) + 1):
                pid = lookup(word[i:j])
                if pid is None:
                    continue
                cand = scores[pid] + here
                if start[j] < 0 or cand > best[j]:
                    best[j], start[j], ids[j] = cand, i, pid
                if j == i + 1:
                    single = True
            if not single:
                cand = self.unk_score + here
                if start[i + 1] < 0 or cand > best[i + 1]:
                    best[i + 1], start[i + 1], ids[i + 1] = cand, i, self.unk_id
        pieces: list[int] = []
        end, unk_run = n, False
        while end > 0:
            pid = ids[end]
            if pid == self.unk_id:
                if not unk_run:
                    pieces.append(pid)
                unk_run = True
            else:
                pieces.append(pid)
                unk_run = False
            end = start[end]
        out.extend(reversed(pieces))

    def encode(self, text: str) -> list[int] | None:
        """``<s>`` + pieces + ``</s>``; ``None`` when the full tokenizer must be used instead."""
        if any(s in text for s in self.specials):
            return None
        ids = [self.bos]
        for word, _ in self.pre_tokenizer.pre_tokenize_str(self.normalizer.normalize_str(text)):
            self._word(word, ids)
            if len(ids) > self.max_length - 1:
                return None
        ids.append(self.eos)
        return ids
