#!/usr/bin/env bash
# Debian/Ubuntu libraries and fonts Qt needs (see docs/qt.md): offscreen Qt, a real window under
# Xvfb for screenshot tests, and Arabic + emoji fonts so click positions and screenshots are the
# same on every machine. Installs only what is missing; needs root or sudo.
set -euo pipefail
PACKAGES=(
  libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3
  xvfb xauth xdotool libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  fonts-noto-core fonts-hosny-amiri fonts-noto-color-emoji
)
# The team server's tests (issue 14) start a throwaway PostgreSQL cluster (scripts/pg-cluster.sh):
# the distribution's server, only when no initdb is on PATH or in Debian's versioned folder.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  PACKAGES+=(postgresql)
fi
command -v dpkg-query >/dev/null || { echo "system-deps: not a Debian system; install the Qt libraries and Noto Naskh Arabic yourself" >&2; exit 0; }
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "system-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
