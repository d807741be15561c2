#!/usr/bin/env bash
# Fresh machine -> the whole test suite (what CI runs through .ci/run).
# Slow scale tests are marked `slow` and run from bench/ instead. With arguments (chosen tests),
# only pytest runs: `bash scripts/test.sh tests/core/test_doctor.py`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/venv.sh test,hf,spacy
# One throwaway PostgreSQL cluster for the whole run (the pg tests; issue 14), stopped at exit even
# on failure. An ANNOTATOR_TEST_PG already set (a developer's own server) is used as it is.
if [ -z "${ANNOTATOR_TEST_PG:-}" ]; then
  pg_dir="$(mktemp -d /tmp/annotator-pg.XXXXXX)"
  trap 'bash scripts/pg-cluster.sh stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
  ANNOTATOR_TEST_PG="$(bash scripts/pg-cluster.sh start "$pg_dir")"
  export ANNOTATOR_TEST_PG
fi
# The boundaries (docs/architecture.md): import contracts, mypy over the desk too, and (whole
# run only) the core's tests in a venv without PySide6 (.venv-core, ~1.5 min).
.venv/bin/lint-imports --no-cache
.venv/bin/mypy ui
[ $# -gt 0 ] || bash scripts/test-core.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check annotator ui tests bench
.venv/bin/mypy annotator
.venv/bin/python -m pytest -m "not slow" -q -p no:cacheprovider "$@"
# The whole run (no arguments) also checks the wheel a user installs, from a fresh venv (~1 min).
[ $# -gt 0 ] || bash scripts/wheel-check.sh
