#!/usr/bin/env bash
# Fresh machine -> the desk open on a demo project of real Arabic news.
# Extra arguments go to `annotator gui` (e.g. news.db --user mona, or --screenshot desk.png).
set -euo pipefail
cd "$(dirname "$0")/.."
# No display first: Qt would abort (rc 134) blaming xcb-cursor0, after a minute of installing.
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  case " $* ${QT_QPA_PLATFORM:-} " in
    *" --screenshot"* | *" -h "* | *" --help "* | *" offscreen "* | *" minimal "* | *" vnc"*) ;;
    *) echo "run.sh: no display (DISPLAY and WAYLAND_DISPLAY are unset): run it in a desktop" \
            "session, or render the desk without one: bash scripts/run.sh --screenshot desk.png" >&2
       exit 2 ;;
  esac
fi
bash scripts/system-deps.sh
bash scripts/venv.sh gui
exec .venv/bin/annotator gui "$@"
