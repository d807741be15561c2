#!/usr/bin/env bash
# Fresh machine -> the desk open on a demo project of real Arabic news.
# Extra arguments go to `annotator gui` (e.g. news.db --user mona).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/venv.sh gui
exec .venv/bin/annotator gui "$@"
