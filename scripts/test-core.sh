#!/usr/bin/env bash
# The core's tests (tests/core and the annotator doctests) in a venv WITHOUT PySide6 (.venv-core),
# so a Qt import that strays into the core fails here, not on a user's server install (issue 13).
# Made once, reused like .venv (scripts/venv.sh). Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
[ -x .venv-core/bin/python ] || "$PY" -m venv .venv-core
# Reinstall only when pyproject.toml or Python changed (as scripts/venv.sh does; pip costs ~13 s).
stamp=".venv-core/.installed"
state="$(sha256sum pyproject.toml | cut -d' ' -f1) $(.venv-core/bin/python -V)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$state" ]; then
    .venv-core/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv-core/bin/python -m pip install -q -e ".[test-core]"
    echo "$state" > "$stamp"
fi
if .venv-core/bin/python -c "import PySide6" 2>/dev/null; then
    echo "scripts/test-core.sh: .venv-core has PySide6 (something pulled it in); remove .venv-core" >&2
    exit 1
fi
exec .venv-core/bin/python -m pytest -m "not slow" -q -p no:cacheprovider tests/core annotator "$@"
