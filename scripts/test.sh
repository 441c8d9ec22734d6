#!/usr/bin/env bash
# Install everything the tests need (venv + dev tools + Debian's chromium for the browser test),
# then lint and run the whole test suite. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "policyqa: installing Debian chromium for the browser test ..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "policyqa: could not install chromium; browser tests will be skipped" >&2
  else
    echo "policyqa: /usr/bin/chromium missing and not root; browser tests will be skipped" >&2
  fi
fi
# a CJK font: without one chromium draws Chinese as empty boxes (the browser test checks the rendering)
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "policyqa: installing a CJK font (fonts-droid-fallback) for the browser test ..." >&2
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-droid-fallback >/dev/null \
      || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-droid-fallback >/dev/null)) \
      || echo "policyqa: could not install a CJK font; the browser test will fail on tofu boxes" >&2
  else
    echo "policyqa: no CJK font and not root; install fonts-noto-cjk or fonts-droid-fallback" >&2
  fi
fi
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
