"""Probe: can int8 passage encoding get faster on this CPU? CPU seconds per variant, one process each.

Quantises a raw fp32 ONNX export (``index/onnx_export.py MODEL_DIR OUT fp32`` → ``model.fp32.raw.onnx``)
with ``quantize_dynamic`` options, saves each optimised like the real export (`optimize_for_load`),
then encodes the same passages with every variant (1 intra-op thread, process CPU time, best of
``--repeat``) at batch 1 and, sorted by length, batch 8, and prints the cosine to the fp32 graph's
vectors. A probe for issue 13, not part of the product: the variants are not selectable.

    nice -n 10 python scripts/probe_int8.py --raw /tmp/probe/model.fp32.raw.onnx --n 60

Fused variants: ``onnxruntime.transformers.optimizer.optimize_model(model_type="bert", 12 heads,
hidden 384)`` first (Attention, SkipLayerNormalization, BiasGelu, EmbedLayerNormalization
fusions), then optionally ``quantize_dynamic`` (Attention → QAttention). Each is saved through
`optimize_for_load` and opened with optimisation off like the shipped graphs; "(ORT_ENABLE_ALL
at load)" rows skip `optimize_for_load` and let the session optimise instead. ``--st`` also times
st-fp32 (sentence-transformers, torch, ``torch.set_num_threads(1)``, as `scripts/bench_embed.py`
loads it) on the same passages, and every row gets its CPU speed-up over it. ``--only REGEX``
keeps the variants whose name matches (the fp32 reference always runs).
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

# on the transformer-optimizer graph; None = no quantisation; "load_opt": skip optimize_for_load
FUSED_VARIANTS: dict[str, dict[str, Any] | None] = {
    "fused fp32": None,
    "fused fp32 (ORT_ENABLE_ALL at load)": {"load_opt": True, "fp32": True},
    "fused + int8 per-channel": {"per_channel": True},
    "fused + int8 per-channel (ORT_ENABLE_ALL at load)": {"per_channel": True, "load_opt": True},
    "fused + int8 per-channel, MatMul+Attention only": {"per_channel": True,
                                                         "op_types_to_quantize": ["MatMul", "Attention"]},
    "fused without Attention + int8 per-channel": {"per_channel": True, "no_attention": True},
}


def fuse(raw: Path, dst: Path, attention: bool = True) -> None:
    """The onnxruntime transformer optimizer's BERT fusions of ``raw``, saved at ``dst`` (one file);
    ``attention`` False leaves self-attention unfused (MatMul/Softmax)."""
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions

    fo = FusionOptions("bert")
    fo.enable_attention = attention
    m = optimizer.optimize_model(str(raw), model_type="bert", num_heads=12, hidden_size=384, opt_level=0,
                                 optimization_options=fo)
    stats = {k: v for k, v in m.get_fused_operator_statistics().items() if v}
    print(f"transformer optimizer fusions: {stats}", flush=True)
    names = ([i.name for i in m.model.graph.input], [o.name for o in m.model.graph.output])
    if names != (["input_ids", "attention_mask"], ["last_hidden_state"]):
        raise SystemExit(f"fused graph has inputs/outputs {names}; OnnxEmbedder expects input_ids, attention_mask "
                         "-> last_hidden_state")
    m.save_model_to_file(str(dst))


def build(raw: Path, out_dir: Path, only: str | None = None) -> dict[str, tuple[Path, bool]]:
    """Variant name → (graph file, optimise at load)."""
    import re

    from onnxruntime.quantization import QuantType, quantize_dynamic

    from index.onnx_embed import optimize_for_load

    def wanted(name: str) -> bool:
        return only is None or re.search(only, name) is not None

    files: dict[str, Path] = {"fp32": out_dir / "fp32.onnx"}
    load_opt: set[str] = set()
    if not files["fp32"].is_file():
        optimize_for_load(raw, files["fp32"], "fp32.onnx.data")
    for i, (name, opts) in enumerate(VARIANTS.items()):
        if not wanted(name):
            continue
        opts = dict(opts)
        wt = QuantType.QUInt8 if opts.pop("weight_type", "QInt8") == "QUInt8" else QuantType.QInt8
        q, final = out_dir / f"v{i}.raw.onnx", out_dir / f"v{i}.onnx"
        if not final.is_file():
            quantize_dynamic(str(raw), str(q), weight_type=wt, **opts)
            optimize_for_load(q, final)
            q.unlink()
        files[name] = final
    fused = out_dir / "fused.fp32.raw.onnx"
    if any(wanted(n) for n in FUSED_VARIANTS) and not fused.is_file():
        fuse(raw, fused)
    for name, fopts in FUSED_VARIANTS.items():
        if not wanted(name):
            continue
        fopts = dict(fopts or {})
        key = json.dumps({k: v for k, v in fopts.items() if k != "load_opt"}, sort_keys=True)
        src = fused
        if fopts.pop("no_attention", False):
            src = out_dir / "fused-noattn.fp32.raw.onnx"
            if not src.is_file():
                fuse(raw, src, attention=False)
        at_load, fp32 = fopts.pop("load_opt", False), fopts.pop("fp32", False) or not fopts
        if fp32 and at_load:
            files[name] = fused
        elif fp32:
            final = out_dir / "fused.fp32.onnx"
            if not final.is_file():
                optimize_for_load(fused, final, "fused.fp32.onnx.data")
            files[name] = final
        else:
            # the same graph and quantisation is built once
            same = [j for j, o in enumerate(FUSED_VARIANTS.values())
                    if o and json.dumps({k: v for k, v in o.items() if k != "load_opt"}, sort_keys=True) == key]
            q, final = out_dir / f"f{same[0]}.raw.onnx", out_dir / f"f{same[0]}.onnx"
            if not q.is_file():
                import onnx  # shape inference cannot type com.microsoft outputs: say they are float

                extra = {"DefaultTensorType": onnx.TensorProto.FLOAT, **fopts.pop("extra_options", {})}
                quantize_dynamic(str(src), str(q), weight_type=QuantType.QInt8, extra_options=extra, **fopts)
            if at_load:
                files[name] = q
            else:
                if not final.is_file():
                    optimize_for_load(q, final)
                files[name] = final
        if at_load:
            load_opt.add(name)
    return {n: (p, n in load_opt) for n, p in files.items()}


def session(path: Path, optimise: bool = False) -> Any:
    import onnxruntime as ort

    o = ort.SessionOptions()
    o.log_severity_level = 3
    o.graph_optimization_level = (ort.GraphOptimizationLevel.ORT_ENABLE_ALL if optimise
                                  else ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    o.intra_op_num_threads, o.inter_op_num_threads = 1, 1
    return ort.InferenceSession(str(path), o, providers=["CPUExecutionProvider"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", type=Path, required=True, help="model.fp32.raw.onnx from index/onnx_export.py")
    ap.add_argument("--out", type=Path, default=None, help="variants folder (default: beside --raw)")
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--only", default=None, help="regex: keep only the variants it matches (fp32 always runs)")
    ap.add_argument("--st", action="store_true", help="also time st-fp32 (torch, 1 thread) on the same passages")
    args = ap.parse_args(argv)
    from bench_embed import corpus_chunks  # type: ignore[import-not-found]

    from index.onnx_embed import ensure_onnx_export
    from index.onnx_encoder import OnnxEmbedder

    out = args.out or args.raw.parent / "variants"
    out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    files = build(args.raw, out, args.only)
    tok_dir = ensure_onnx_export("onnx-fp32", progress=False)
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tok_dir / "tokenizer.json"))
    texts = corpus_chunks([ROOT / "data" / "corpus"], args.n)
    rows, ref = [], None
    for name, (path, optimise) in files.items():
        import onnx

        ops = sorted({n.op_type for n in onnx.load(str(path), load_external_data=False).graph.node}
                     & {"Attention", "QAttention", "EmbedLayerNormalization", "QEmbedLayerNormalization",
                        "SkipLayerNormalization", "BiasGelu", "FastGelu", "Gelu"})
        print(f"{name}: {path.name}, optimise at load: {optimise}, fused ops: {ops}", flush=True)
        try:
            s = session(path, optimise)
        except Exception as e:  # onnxruntime raises its own exception types
            print(f"  does not load: {e}", flush=True)
            continue
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
            rows.append({"variant": name, "batch": batch, "optimise_at_load": optimise, "cpu_s": round(best, 2),
                         "ms_per_passage": round(1000 * best / len(texts), 1),
                         "cos_min": round(float(cos.min()), 4), "cos_mean": round(float(cos.mean()), 4),
                         "mb": round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6)})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    report: dict[str, Any] = {"passages": len(texts), "rows": rows}
    if args.st:
        import torch

        from index.models import ST_BACKEND, load_embedder

        torch.set_num_threads(1)
        st = load_embedder(backend=ST_BACKEND, threads=1, progress=False)
        st.encode_passages(texts[:8])  # warm-up, as bench_embed
        best = float("inf")
        for _ in range(args.repeat):
            c = time.process_time()
            vecs = st.encode_passages(texts)
            best = min(best, time.process_time() - c)
        cos = (vecs * ref).sum(axis=1)
        st_ms = 1000 * best / len(texts)
        report["st_fp32"] = {"cpu_s": round(best, 2), "ms_per_passage": round(st_ms, 1),
                             "cos_min_to_fp32_graph": round(float(cos.min()), 4)}
        print(json.dumps({"st-fp32": report["st_fp32"]}), flush=True)
        for r in rows:
            r["speedup_vs_st_fp32"] = round(st_ms / max(r["ms_per_passage"], 1e-6), 2)
    report["load_average"] = {"before": [round(x, 2) for x in load_before],
                              "after": [round(x, 2) for x in os.getloadavg()]}
    print("\n| variant | batch | ms / passage | vs st-fp32 | cosine min / mean | MB |\n|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['variant']} | {r['batch']} | {r['ms_per_passage']} | {r.get('speedup_vs_st_fp32', '')} | "
              f"{r['cos_min']} / {r['cos_mean']} | {r['mb']} |")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"load average before {report['load_average']['before']}, after {report['load_average']['after']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
