#!/usr/bin/env bash
# Our exports read by the real tools: spaCy convert + train, datasets, seqeval, Label Studio,
# doccano, brat's checker. Installs Label Studio 1.23.2 and doccano 1.8.4 in their own venvs outside the repo
# (once: ~5 and ~4 min), then runs the tests marked `interop` (tests/interop/).
# Usage: bash scripts/interop.sh [pytest args]
# ANNOTATOR_INTEROP_HOME moves the tool venvs (default ~/.cache/annotator-interop).
set -euo pipefail
cd "$(dirname "$0")/.."
home="${ANNOTATOR_INTEROP_HOME:-$HOME/.cache/annotator-interop}"
ls_venv="$home/ls-1.23.2"
dc_venv="$home/doccano-1.8.4"
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || bash scripts/venv.sh test,hf,spacy
if [ ! -x "$ls_venv/bin/label-studio" ]; then
  echo "installing label-studio==1.23.2 into $ls_venv (takes minutes)"
  mkdir -p "$home"
  "$PY" -m venv "$ls_venv"
  "$ls_venv/bin/python" -m pip install -q --upgrade pip
  "$ls_venv/bin/python" -m pip install -q "label-studio==1.23.2"
fi
if [ ! -x "$dc_venv/bin/doccano" ]; then
  echo "installing doccano==1.8.4 into $dc_venv (takes minutes)"
  mkdir -p "$home"
  "$PY" -m venv "$dc_venv"
  "$dc_venv/bin/python" -m pip install -q --upgrade pip
  # As released it does not start: environs meets marshmallow 4, pandas 1.5 meets numpy 2.
  "$dc_venv/bin/python" -m pip install -q "doccano==1.8.4" "marshmallow<4" "numpy<2"
fi
brat_src="${ANNOTATOR_BRAT_SRC:-$home/brat}"  # brat's own parser and checker read our export
if [ ! -f "$brat_src/server/src/verify_annotations.py" ]; then
  git clone -q https://github.com/nlplab/brat "$brat_src" && git -C "$brat_src" checkout -q 44ecd825
fi
export ANNOTATOR_BRAT_SRC="$brat_src"
export QT_QPA_PLATFORM=offscreen ANNOTATOR_LS_VENV="$ls_venv" ANNOTATOR_DOCCANO_VENV="$dc_venv"
export ANNOTATOR_INTEROP_REQUIRE=1
exec .venv/bin/python -m pytest -m interop -q -p no:cacheprovider -s \
  --basetemp "${TMPDIR:-/tmp}/annotator-interop-$$" tests/interop "$@"
