#!/usr/bin/env bash
# Create .venv (once) and install the project with the given extras into it, unless nothing
# changed since the last install. The stamp (.venv/.installed-EXTRAS) holds the hash of
# pyproject.toml, the extras, the Python version and the installed annotator version: an
# editable install needs redoing only when one of those moves, and `pip install -e` costs
# ~13 s of every daily start otherwise.
# Usage: bash scripts/venv.sh gui | test,hf,spacy
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-gui}"
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=".venv/.installed-${extras//,/-}"
state() {
  .venv/bin/python - "$extras" <<'PYTHON'
import hashlib, importlib.metadata, sys
try:
    version = importlib.metadata.version("annotator")
except importlib.metadata.PackageNotFoundError:
    version = "none"
with open("pyproject.toml", "rb") as f:
    digest = hashlib.sha256(f.read()).hexdigest()
print(digest, sys.argv[1], sys.version.split()[0], version)
PYTHON
}
if [ -f "$stamp" ] && [ -x .venv/bin/annotator ] && [ "$(cat "$stamp")" = "$(state)" ]; then
  exit 0
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[${extras}]"
state > "$stamp"
