"""Counting what crosses the wire between a client and PostgreSQL: round trips and statements.

Why on the wire: on a loaded machine every round trip waits for a core twice (client and
server), so the number of round trips per user action, not the SQL's cost, sets the latency
tail (docs/performance.md#team). A count taken from the driver's own bookkeeping would trust
what it measures; this relay sits on a unix socket between the client and the server and reads
the protocol's message types as they pass:

* a **round trip** is the client asking for answers (a Sync ``S``, a Flush ``H`` or a simple
  Query ``Q``) and the server answering: the server sends nothing of a query's results until
  asked, so each stretch of server messages after a request is one wait of the client (a
  pipeline of many statements and one Sync is ONE round trip; a request sent while an answer
  is still outstanding joins that round trip);
* a **statement** is each Execute (``E``) or simple Query (``Q``) the client sends;
* a **connect** is each start-up that ended in AuthenticationOk (its exchanges are not trips).

Used by ``bench/bench_round_trips.py`` (the figures in docs/performance.md#team) and
``tests/core/test_pg_round_trips.py`` (the counts as a regression test). Only unix-socket URLs
(``postgresql:///db?host=/dir``, what the test and bench clusters use) can be relayed.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_NEGOTIATIONS = {80877103, 80877104}  # SSLRequest, GSSENCRequest: answered by ONE byte


@dataclass
class Counts:
    """What one measured stretch sent: round trips, statements, new connections."""

    trips: int = 0
    statements: int = 0
    connects: int = 0
    kinds: list[str] = field(default_factory=list)  # the statements' first words, in order


class WireCounter:
    """A relay from ``url`` (unix socket) to a socket folder of its own; :attr:`url` reaches
    the same server through it. ``with counter.counting() as c:`` counts one stretch."""

    def __init__(self, url: str, folder: Path) -> None:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        host, port = query.get("host", ""), query.get("port", "5432")
        if not host.startswith("/"):
            raise ValueError(f"{url}: only a unix-socket URL (host=/dir) can be relayed")
        self._target = str(Path(host) / f".s.PGSQL.{port}")
        folder.mkdir(parents=True, exist_ok=True)
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(folder / f".s.PGSQL.{port}"))
        self._listener.listen(64)
        query["host"] = str(folder)
        text = urlunsplit(parts._replace(query=urlencode(query)))
        self.url = text if parts.netloc else text.replace(":", "://", 1)
        self._lock = threading.Lock()
        self._counts = Counts()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @contextmanager
    def counting(self) -> Iterator[Counts]:
        """Counts of what was sent between entering and leaving the block."""
        with self._lock:
            self._counts = Counts()
        result = Counts()
        try:
            yield result
        finally:
            with self._lock:
                result.trips, result.statements = self._counts.trips, self._counts.statements
                result.connects, result.kinds = self._counts.connects, list(self._counts.kinds)

    def close(self) -> None:
        self._listener.close()
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    # --- relaying ---------------------------------------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(self._target)
            self._sockets += [client, server]
            negotiating = threading.Event()
            named: dict[bytes, str] = {}  # this link's prepared statements -> first words
            threading.Thread(target=self._pump, args=(client, server, True, negotiating, named),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False, negotiating, named),
                             daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool,
              negotiating: threading.Event, named: dict[bytes, str]) -> None:
        """Forward ``src`` to ``dst`` message by message, counting each before it goes on (so
        a count is made before the client can see the answer it waited for)."""
        buffer, started = b"", False
        while True:
            try:
                chunk = src.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            buffer += chunk
            while True:
                if not from_client and negotiating.is_set():  # the one-byte answer to SSL/GSS
                    negotiating.clear()
                    buffer = buffer[1:]
                    continue
                if from_client and not started:  # untyped start-up (or SSL/GSS request)
                    if len(buffer) < 8:
                        break
                    size, code = struct.unpack("!ii", buffer[:8])
                    if len(buffer) < size:
                        break
                    if code in _NEGOTIATIONS:
                        negotiating.set()
                    else:
                        started = True
                    buffer = buffer[size:]
                    continue
                if len(buffer) < 5:
                    break
                kind, size = buffer[:1], struct.unpack("!i", buffer[1:5])[0]
                if len(buffer) < 1 + size:
                    break
                self._count(kind, buffer[5:1 + size], from_client, named)
                buffer = buffer[1 + size:]
            # forward everything received so far only after counting what it completes
            try:
                dst.sendall(chunk)
            except OSError:
                return

    def _count(self, kind: bytes, body: bytes, from_client: bool, named: dict[bytes, str]) -> None:
        with self._lock:
            if from_client and kind == b"Q":
                self._counts.statements += 1
                self._counts.kinds.append(_first_word(body))
            elif from_client and kind == b"P":  # Parse: (statement name, its SQL)
                name, sql = body.split(b"\0", 2)[:2]
                named[name] = _first_word(sql)
            elif from_client and kind == b"B":  # Bind: (portal, statement name): what E runs
                named[b"\0bound"] = named.get(body.split(b"\0", 2)[1], "?")
            elif from_client and kind == b"E":
                self._counts.statements += 1
                self._counts.kinds.append(named.get(b"\0bound", "?"))
            if from_client and kind in (b"S", b"H", b"Q"):
                named[b"\0asked"] = "yes"
            elif not from_client and named.pop(b"\0asked", None):
                self._counts.trips += 1  # the first answer to a request: the client waited
                self._counts.kinds.append("|")
            if not from_client and kind == b"R" and body[:4] == b"\0\0\0\0":
                self._counts.connects += 1  # AuthenticationOk


def _first_word(sql: bytes) -> str:
    words = sql.rstrip(b"\0").split(None, 1)
    return words[0].decode(errors="replace").upper() if words else "(ping)"
