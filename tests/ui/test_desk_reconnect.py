"""The desk on a server project survives ``pg_ctl restart -m immediate`` (issue 14).

A real throwaway cluster is restarted while the desk is open: the change acknowledged before
stays, changes made while the server is down wait in order (the status bar says "offline, N
unsent"), and the desk reconnects by itself and sends them, without a click. Marked pg: it
skips without psycopg or PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project
from annotator.schema import load_schema_file, shipped_schema_path
from ui import i18n

pytest.importorskip("psycopg")  # the server extra: the core-only venv has none
from annotator.store.pg import PgStore  # noqa: E402

TEXT = "أعلن الجيش الأمريكي أن قاعدة كونيكو في دير الزور تعرضت لقصف."
BASE = (len("أعلن الجيش "), len("أعلن الجيش الأمريكي"))
CONOCO = (len("أعلن الجيش الأمريكي أن قاعدة "), len("أعلن الجيش الأمريكي أن قاعدة كونيكو"))
DEIR = (len("أعلن الجيش الأمريكي أن قاعدة كونيكو في "),
        len("أعلن الجيش الأمريكي أن قاعدة كونيكو في دير الزور"))


def pg_ctl(url: str, *args: str) -> None:
    """Run ``pg_ctl`` on the test cluster of ``url`` (scripts/pg-cluster.sh: its data folder
    beside the socket, owned by a system user when we are root)."""
    folder = parse_qs(urlsplit(url).query)["host"][0]
    if not (Path(folder) / "data").is_dir():
        pytest.skip("ANNOTATOR_TEST_PG is not a cluster of scripts/pg-cluster.sh (cannot restart it)")
    found = shutil.which("pg_ctl") or next(iter(sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)), None)
    owner = [] if os.getuid() != 0 else [
        "runuser", "-u", os.environ.get("ANNOTATOR_PG_OS_USER", "annotator-pg"), "--"]
    subprocess.run([*owner, str(found), "-D", f"{folder}/data", "-l", f"{folder}/server.log",
                    "-w", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def server_desk(qtbot, pg_url, pg_admin_url):
    import psycopg

    # The test cluster trades durability for speed (synchronous_commit off: a commit returns
    # before its WAL is written, so a crash loses the last ~0.2 s). "Acknowledged" must mean
    # stored here, as on any real server: this database commits synchronously.
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {urlsplit(pg_url).path.strip('/')} SET synchronous_commit = on")
    store = PgStore(pg_url, create=True)
    with store.transaction():
        store.add_schema_version(load_schema_file(shipped_schema_path()), note="created")
    project = Project(store)  # type: ignore[arg-type]
    import_documents(project, [Document("a1", TEXT, title="قصف")])
    from ui.app import application
    from ui.desk.window import DeskWindow

    application()
    window = DeskWindow(project, project.session("mona"), "en")
    window.restore(None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.ensure_panels()  # built after the first paint: before the server goes away
    qtbot.wait(500)  # the other after-first-paint work (suggestions, integrity) too
    yield window
    window.close()
    project.close()


def stored(url: str) -> list[tuple[int, int, str]]:
    check = PgStore(url, read_only=True)
    try:
        return [(s.start, s.end, s.label) for s in check.spans(check.article_ids()[0], ["mona"])]
    finally:
        check.close()


def test_the_desk_reconnects_after_a_restart_and_sends_what_waited(server_desk, pg_url, qtbot):
    desk = server_desk
    c = desk.controller
    assert desk.project.on_server
    assert desk.connection.text() == i18n.tr("conn_connected", "en")
    assert c.add_span(*BASE, "ORGANIZATION") is not None  # acknowledged before the crash
    pg_ctl(pg_url, "-m", "immediate", "stop")  # a crash, as far as clients can tell
    try:
        assert c.add_span(*CONOCO, "LOCATION") is None  # the server is down: kept, not lost
        assert c.add_span(*DEIR, "LOCATION") is None
        assert not c.writes.online and len(c.writes.pending) == 2
        assert desk.connection.text() == i18n.tr("conn_offline", "en", count=2)
        assert [s.label for s in c.spans] == ["ORGANIZATION"]  # the screen shows only what is stored
    finally:
        pg_ctl(pg_url, "start")
    qtbot.waitUntil(lambda: not c.writes.pending, timeout=20000)  # by itself: no click
    assert c.writes.online
    assert desk.connection.text() == i18n.tr("conn_connected", "en")
    assert stored(pg_url) == sorted([(*BASE, "ORGANIZATION"), (*CONOCO, "LOCATION"),
                                     (*DEIR, "LOCATION")])
    assert sorted((s.start, s.end, s.label) for s in c.spans) == stored(pg_url)
    assert c.undo()  # the history survived too: the last change is undone on the server
    qtbot.waitUntil(lambda: len(stored(pg_url)) == 2, timeout=5000)

