#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 14): `start DIR` makes one in DIR and prints
# its superuser URL; `stop DIR` stops it (DIR itself is the caller's to remove).
#
# Why this shape: PostgreSQL refuses to run as root, and CI runs as root, so the cluster belongs to
# a system user (annotator-pg, made once). It listens on a unix socket inside DIR only (no TCP:
# nothing on this machine or beyond can reach it, and two clusters never fight over a port).
# fsync=off and friends make it fast and are fine ONLY here: a crash loses a throwaway cluster the
# tests would recreate anyway. bench/ starts its own cluster with fsync on (the figures must hold
# for a real server).
# Usage: bash scripts/pg-cluster.sh start DIR   -> prints postgresql:///postgres?host=DIR&user=USER
#        bash scripts/pg-cluster.sh stop DIR
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 2
fi
# initdb/pg_ctl: on PATH, or Debian's versioned folder (the postgresql package does not link them).
bindir=""
if ! command -v initdb >/dev/null 2>&1; then
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  [ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "pg-cluster: initdb not found (install postgresql: scripts/system-deps.sh)" >&2; exit 2; }
  bindir="$bindir/"
fi
PGUSER_OS="${ANNOTATOR_PG_OS_USER:-annotator-pg}"
run() {
  # Run as the cluster's owner: ourselves when not root, else the system user.
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}
owner() { if [ "$(id -u)" -eq 0 ]; then echo "$PGUSER_OS"; else id -un; fi; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
data="$dir/data"
case "$cmd" in
  start)
    if [ "$(id -u)" -eq 0 ]; then
      id -u "$PGUSER_OS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS"
      chown "$PGUSER_OS" "$dir"
      # The socket lives in DIR: every folder down to it must be searchable by the cluster's owner
      # (use a folder under /tmp, e.g. mktemp -d; we change no permission outside DIR).
      runuser -u "$PGUSER_OS" -- test -w "$dir" \
        || { echo "pg-cluster: $PGUSER_OS cannot reach $dir (pick a folder under /tmp)" >&2; exit 2; }
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      run "${bindir}initdb" -D "$data" -U "$(owner)" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      # The superuser (the tests' admin URL) logs in over the socket without a password; every
      # other role needs its password, as on a real server (the tests of logins, wrong
      # passwords and users --add --password-stdin rely on it).
      cat >"$data/pg_hba.conf" <<HBA
local all $(owner) trust
local all all scram-sha-256
HBA
      cat >>"$data/postgresql.conf" <<CONF
# scripts/pg-cluster.sh: a throwaway test cluster (unix socket in its own folder, no TCP).
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 200
# Test cluster only: durability traded for speed (see the header of scripts/pg-cluster.sh).
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
CONF
    fi
    run "${bindir}pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$dir&user=$(owner)"
    ;;
  stop)
    [ -f "$data/postmaster.pid" ] || exit 0
    run "${bindir}pg_ctl" -D "$data" -w -m fast stop >/dev/null
    ;;
  *)
    echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
