#!/usr/bin/env bash
# Create .venv (once) and install the project with the given extras into it.
# Usage: bash scripts/venv.sh gui | test,hf,spacy
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-gui}"
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[${extras}]"
