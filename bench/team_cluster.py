"""The bench's own throwaway PostgreSQL cluster, with ``fsync`` ON (a real server's durability).

The test cluster (``scripts/pg-cluster.sh``) turns fsync off for speed; a bench that measured
that would flatter every commit. So ``bench/bench_team.py`` makes its own: ``initdb`` into a
temporary folder as a non-root user (PostgreSQL refuses to run as root), a unix socket in that
folder, no TCP, ``max_connections`` raised for 50+ worker processes, ``pg_ctl stop`` at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_USER = "annotator-pg"  # the system user the test cluster script runs PostgreSQL as


def _tool(name: str) -> str:
    found = shutil.which(name) or (str(PG_BIN / name) if (PG_BIN / name).exists() else None)
    if found is None:
        raise SystemExit(f"{name} not found: install PostgreSQL (scripts/system-deps.sh)")
    return found


class Cluster:
    """A cluster in ``folder``; ``start`` returns the superuser URL."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"

    def _as_owner(self, *cmd: str) -> subprocess.CompletedProcess[str]:
        if os.geteuid() == 0:
            subprocess.run(["id", PG_USER], check=True, capture_output=True)
            cmd = ("runuser", "-u", PG_USER, "--", *cmd)
        return subprocess.run(cmd, check=True, capture_output=True, text=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql:///{database}?host={self.folder}&user=postgres"

    def start(self) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            os.chmod(self.folder.parent, 0o755)
            shutil.chown(self.folder, PG_USER)
        self._as_owner(_tool("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                       "-E", "UTF8", "--locale=C.UTF-8")
        # As on a real server: the superuser over the socket, every other login by its password.
        (self.data / "pg_hba.conf").write_text(
            "local all postgres trust\nlocal all all scram-sha-256\n", encoding="utf-8")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                f"\nlisten_addresses = ''\nunix_socket_directories = '{self.folder}'\n"
                "fsync = on\nsynchronous_commit = on\nmax_connections = 400\n"
                "shared_buffers = 256MB\n"
            )
        self._as_owner(_tool("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                       "-w", "start")
        return self.url()

    def create_database(self, name: str) -> str:
        self._as_owner(_tool("psql"), "-h", str(self.folder), "-U", "postgres", "-q", "-c",
                       f"CREATE DATABASE {name}")
        return self.url(name)

    def restart_immediate(self) -> float:
        """``pg_ctl restart -m immediate`` (a crash: no checkpoint, WAL replay at start); seconds."""
        began = time.perf_counter()
        self._as_owner(_tool("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                       "-m", "immediate", "-w", "restart")
        return time.perf_counter() - began

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._as_owner(_tool("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
