"""Export a materialised sentence-transformers (BERT) model to ONNX, float32 and/or int8, in one run.

Run as a script in a CHILD process (``python index/onnx_export.py MODEL_DIR OUT_DIR KIND...``,
KIND ``fp32`` and/or ``int8``) by `index.onnx_embed.export_onnx`: the export imports torch and transformers and can leave
torch state behind, so the parent (which only needs onnxruntime) never imports them. The
script is self-contained (it imports nothing from policyqa) so it runs from any working
directory.

The graph takes ``input_ids`` and ``attention_mask`` (int64, dynamic batch and sequence
axes) and returns ``last_hidden_state``; mean pooling and normalisation happen at run time,
exactly as sentence-transformers' Pooling(mean) → Normalize modules do. One float32 export
(``torch.onnx.export(..., dynamo=False)``) is written as ``model.fp32.raw.onnx`` when ``fp32``
is asked for, and quantised into ``model.int8.raw.onnx`` when ``int8`` is, with
``onnxruntime.quantization.quantize_dynamic(weight_type=QuantType.QInt8, per_channel=True)``.
Per-channel scales: on 190 clauses of the bundled corpus, cosine to fp32 is min 0.992 / mean
0.996 (per-tensor: min 0.982 / mean 0.988).

Example (what the parent runs; minutes of CPU, so not a doctest):
    >>> export_onnx(Path("multilingual-e5-small"), Path("out"), ("fp32", "int8"))  # doctest: +SKIP
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

OPSET = 17
KINDS = ("fp32", "int8")


def raw_file(kind: str) -> str:
    """The file the exporter writes for ``kind`` (``fp32`` or ``int8``) in its output folder.

    >>> raw_file("int8")
    'model.int8.raw.onnx'
    """
    return f"model.{kind}.raw.onnx"


def export_onnx(model_dir: Path, out_dir: Path, kinds: Sequence[str] = KINDS) -> None:
    """Write the ONNX graphs (``kinds``: ``fp32``, ``int8``) of the BERT encoder in ``model_dir``
    into ``out_dir`` (`raw_file` names), all from one torch export."""
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise ValueError(f"unknown export kinds {bad or list(kinds)}; expected some of {', '.join(KINDS)}")
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager")
    model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.tensor([[0, 6, 9, 2, 1], [0, 6, 9, 12, 2]], dtype=torch.long)
    mask = (ids != 1).long()
    with tempfile.TemporaryDirectory(prefix="policyqa-onnx-", dir=out_dir) as tmp:
        fp32 = Path(tmp) / "model.fp32.onnx"
        with torch.no_grad():
            torch.onnx.export(
                Encoder(model), (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"], opset_version=OPSET, do_constant_folding=True,
                dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                              "last_hidden_state": {0: "batch", 1: "seq"}},
                dynamo=False,
            )
        if "int8" in kinds:
            quantize_dynamic(str(fp32), str(out_dir / raw_file("int8")), weight_type=QuantType.QInt8,
                             per_channel=True)
        if "fp32" in kinds:  # the graph is one file (under protobuf's 2 GB), no external data to move
            os.replace(fp32, out_dir / raw_file("fp32"))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage: python onnx_export.py MODEL_DIR OUT_DIR fp32|int8 [fp32|int8]")
    export_onnx(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
