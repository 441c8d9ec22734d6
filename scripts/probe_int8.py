"""Probe: can int8 passage encoding get faster on this CPU? CPU seconds per variant, one process each.

Quantises a raw fp32 ONNX export (``index/onnx_export.py MODEL_DIR OUT fp32`` → ``model.fp32.raw.onnx``)
with ``quantize_dynamic`` options, saves each optimised like the real export (`optimize_for_load`),
then encodes the same passages with every variant (1 intra-op thread, process CPU time, best of
``--repeat``) at batch 1 and, sorted by length, batch 8, and prints the cosine to the fp32 graph's
vectors. A probe for issue 13, not part of the product: the variants are not selectable.

    nice -n 10 python scripts/probe_int8.py --raw /tmp/probe/model.fp32.raw.onnx --n 60
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VARIANTS: dict[str, dict[str, Any]] = {
    "int8 per-channel (shipped)": {"per_channel": True},
    "int8 per-tensor": {"per_channel": False},
    "int8 per-channel reduce_range": {"per_channel": True, "reduce_range": True},
    "int8 MatMulConstBOnly": {"per_channel": True, "extra_options": {"MatMulConstBOnly": True}},
    "uint8 weights per-tensor": {"per_channel": False, "weight_type": "QUInt8"},
    "int8 MatMul only (no Gather/Attention)": {"per_channel": True, "op_types_to_quantize": ["MatMul"]},
}


def build(raw: Path, out_dir: Path) -> dict[str, Path]:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from index.onnx_embed import optimize_for_load

    files = {"fp32": out_dir / "fp32.onnx"}
    if not files["fp32"].is_file():
        optimize_for_load(raw, files["fp32"], "fp32.onnx.data")
    for i, (name, opts) in enumerate(VARIANTS.items()):
        opts = dict(opts)
        wt = QuantType.QUInt8 if opts.pop("weight_type", "QInt8") == "QUInt8" else QuantType.QInt8
        q, final = out_dir / f"v{i}.raw.onnx", out_dir / f"v{i}.onnx"
        if not final.is_file():
            quantize_dynamic(str(raw), str(q), weight_type=wt, **opts)
            optimize_for_load(q, final)
            q.unlink()
        files[name] = final
    return files


def session(path: Path) -> Any:
    import onnxruntime as ort

    o = ort.SessionOptions()
    o.log_severity_level = 3
    o.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    o.intra_op_num_threads, o.inter_op_num_threads = 1, 1
    return ort.InferenceSession(str(path), o, providers=["CPUExecutionProvider"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", type=Path, required=True, help="model.fp32.raw.onnx from index/onnx_export.py")
    ap.add_argument("--out", type=Path, default=None, help="variants folder (default: beside --raw)")
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    from bench_embed import corpus_chunks  # type: ignore[import-not-found]

    from index.onnx_embed import ensure_onnx_export
    from index.onnx_encoder import OnnxEmbedder

    out = args.out or args.raw.parent / "variants"
    out.mkdir(parents=True, exist_ok=True)
    files = build(args.raw, out)
    tok_dir = ensure_onnx_export("onnx-fp32", progress=False)
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tok_dir / "tokenizer.json"))
    texts = corpus_chunks([ROOT / "data" / "corpus"], args.n)
    rows, ref = [], None
    for name, path in files.items():
        s = session(path)
        for batch in (1, 8):
            emb = OnnxEmbedder(s, tok, name, 384, batch_size=batch)
            emb.encode_passages(texts[:4])
            best = float("inf")
            for _ in range(args.repeat):
                c = time.process_time()
                vecs = emb.encode_passages(texts)
                best = min(best, time.process_time() - c)
            if ref is None:
                ref = vecs
            cos = (vecs * ref).sum(axis=1)
            rows.append({"variant": name, "batch": batch, "cpu_s": round(best, 2),
                         "ms_per_passage": round(1000 * best / len(texts), 1),
                         "cos_min": round(float(cos.min()), 4), "cos_mean": round(float(cos.mean()), 4),
                         "mb": round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6)})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    report = {"passages": len(texts), "load_average_1min": round(os.getloadavg()[0], 1), "rows": rows}
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"load average {report['load_average_1min']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
