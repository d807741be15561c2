"""What both throwaway servers (Label Studio, doccano) need: a free loopback port and a process
group that is stopped, children included, however the test ends."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A port nothing listens on at 127.0.0.1 (the servers are only ever reached there)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def process_group(command: list[str], env: dict[str, str], cwd: Path, log: Path
                  ) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` in its own session (output to ``log``); on exit SIGTERM the whole group,
    SIGKILL after 30 s: the servers start workers that must not outlive the test."""
    with log.open("w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env,
                                   cwd=cwd, start_new_session=True)
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
