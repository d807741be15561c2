#!/usr/bin/env bash
# Fresh machine -> the whole test suite (what CI runs through .ci/run).
# Slow scale tests are marked `slow` and run from bench/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/venv.sh test,hf,spacy
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check annotator ui tests bench
.venv/bin/mypy annotator
exec .venv/bin/python -m pytest -m "not slow" -q -p no:cacheprovider "$@"
