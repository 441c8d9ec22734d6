"""Export a materialised sentence-transformers (BERT) model to ONNX and quantise it to int8.

Run as a script in a CHILD process (``python index/onnx_export.py MODEL_DIR OUT_FILE``) by
`index.onnx_embed.export_int8`: the export imports torch and transformers and can leave
torch state behind, so the parent (which only needs onnxruntime) never imports them. The
script is self-contained (it imports nothing from policyqa) so it runs from any working
directory.

The graph takes ``input_ids`` and ``attention_mask`` (int64, dynamic batch and sequence
axes) and returns ``last_hidden_state``; mean pooling and normalisation happen at run time,
exactly as sentence-transformers' Pooling(mean) → Normalize modules do. The float32 export
(``torch.onnx.export(..., dynamo=False)``) is quantised with
``onnxruntime.quantization.quantize_dynamic(weight_type=QuantType.QInt8, per_channel=True)``;
only the int8 file is kept. Per-channel scales: on 190 clauses of the bundled corpus, cosine
to fp32 is min 0.992 / mean 0.996 (per-tensor: min 0.982 / mean 0.988).

Example (what the parent runs; minutes of CPU, so not a doctest):
    >>> export_onnx_int8(Path("multilingual-e5-small"), Path("model.int8.onnx"))  # doctest: +SKIP
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

OPSET = 17


def export_onnx_int8(model_dir: Path, out_file: Path) -> None:
    """Write the int8 ONNX graph of the BERT encoder in ``model_dir`` to ``out_file``."""
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
    with tempfile.TemporaryDirectory(prefix="policyqa-onnx-", dir=out_file.parent) as tmp:
        fp32 = Path(tmp) / "model.fp32.onnx"
        with torch.no_grad():
            torch.onnx.export(
                Encoder(model), (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"], opset_version=OPSET, do_constant_folding=True,
                dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                              "last_hidden_state": {0: "batch", 1: "seq"}},
                dynamo=False,
            )
        quantize_dynamic(str(fp32), str(out_file), weight_type=QuantType.QInt8, per_channel=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python onnx_export.py MODEL_DIR OUT_FILE")
    export_onnx_int8(Path(sys.argv[1]), Path(sys.argv[2]))
