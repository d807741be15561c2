#!/usr/bin/env bash
# What ships is what was tested: build the wheel (python -m build), install it with [gui] into a
# fresh venv outside the checkout, and run `annotator doctor` and `annotator gui --screenshot`
# from there, so the schemas, the demo articles and the desk's strings must be in the wheel
# (an editable install would find them in the checkout). Run by scripts/test.sh; ~1 min.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { echo "wheel-check: $*" >&2; }

say "building the wheel"
if ! .venv/bin/python -m build --wheel --outdir "$work/dist" . >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2; say "the build failed"; exit 1
fi
if grep -q "absent from the \`packages\` configuration" "$work/build.log"; then
  grep "absent from the" "$work/build.log" >&2; say "declare these in pyproject.toml"; exit 1
fi
wheel="$(ls "$work"/dist/annotator-*.whl)"

say "installing $(basename "$wheel")[gui] into a fresh venv"
"$PY" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "${wheel}[gui]" 2>&1 | grep -v "^WARNING: Location" >&2 || true
"$work/venv/bin/python" -c 'import annotator' 2>/dev/null || { say "the wheel did not install"; exit 1; }

cd "$work"  # nothing may come from the checkout
export XDG_DATA_HOME="$work/data"  # the demo project is made here, not in the user's folder
unset QT_QPA_PLATFORM DISPLAY WAYLAND_DISPLAY  # as on a headless machine
where="$("$work/venv/bin/python" -c 'import annotator, ui; print(annotator.__file__, ui.__file__)')"
case "$where" in "$work/venv/"*" $work/venv/"*) ;; *) say "imported from outside the venv: $where"; exit 1;; esac

say "annotator doctor"
"$work/venv/bin/annotator" doctor
say "annotator gui --screenshot (the demo project, from the wheel's sample articles)"
"$work/venv/bin/annotator" gui --screenshot "$work/desk.png" --user ci
[ "$(stat -c %s "$work/desk.png")" -gt 10000 ] || { say "the screenshot is empty"; exit 1; }
"$work/venv/bin/annotator" stats "$work/data/annotator/demo.db" | head -1 | grep -q "^6 articles" \
  || { say "the demo project does not hold the six sample articles"; exit 1; }
"$work/venv/bin/annotator" init "$work/news.db" >/dev/null  # the shipped schema
say "ok"
