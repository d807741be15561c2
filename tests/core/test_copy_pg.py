"""``annotator copy`` through a server and live progress over LISTEN/NOTIFY (marked pg: they
skip without psycopg or a PostgreSQL to start).

file -> server -> file keeps every table and id: the same exports byte for byte, the same undo
history (an undone action is still redoable), the same package registry in issue order.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from annotator.copying import copy_project
from annotator.exporting import ExportOptions, export_project
from annotator.project import Project
from annotator.store import Store
from annotator.team import claims
from tests.conftest import pg_database_url
from tests.core.test_cli_teams import invoke
from tests.core.test_copy import busy_team, tables

pytest.importorskip("psycopg")  # the server extra: the core-only venv has none
from annotator.store.pg import PgStore  # noqa: E402


def _export(where: Path | str, out: Path, fmt: str) -> None:
    """Export as sara, through the core (the CLI's URL arguments are pg-store's part)."""
    store = PgStore(str(where), read_only=True) if isinstance(where, str) else Store(where)
    with Project(store) as project:  # type: ignore[arg-type]
        options = ExportOptions(fmt, source="all", include_unfinished=True)
        export_project(project, out, options, session=project.session("sara"))


def test_file_to_server_to_file_keeps_everything(tmp_path: Path, pg_url: str) -> None:
    source = busy_team(tmp_path / "news.db", tmp_path)
    there = copy_project(source, pg_url)
    back = copy_project(pg_url, tmp_path / "back.db")
    before, after = tables(source), tables(tmp_path / "back.db")
    # Every row and id; a table keyed by name comes back in key order, which nothing reads
    # (queries sort); the packages keep their issue order, the history its ids.
    assert {n: sorted(r, key=repr) for n, r in after.items()} == {
        n: sorted(r, key=repr) for n, r in before.items()}
    assert after["work_packages"] == before["work_packages"]
    assert after["history"] == before["history"]
    for links in ("relations", "events", "event_arguments", "gold_link_decisions", "claims"):
        assert before[links], links  # main's link tables make the trip too, with their ids
    assert there.rows == back.rows == sum(len(rows) for rows in before.values())
    for fmt in ("jsonl", "conll"):
        for name, where in (("file", source), ("server", pg_url), ("back", tmp_path / "back.db")):
            _export(where, tmp_path / f"{name}.{fmt}", fmt)
        first = (tmp_path / f"file.{fmt}").read_bytes()
        assert len(first) > 100
        assert (tmp_path / f"server.{fmt}").read_bytes() == first
        assert (tmp_path / f"back.{fmt}").read_bytes() == first
    server = PgStore(pg_url)
    try:  # ids continue after the copied ones: a new span does not clash
        history = [r for name, _, rows in server.dump_tables() if name == "history" for r in rows]
        assert history == [tuple(r) for r in before["history"]]
        assert [c[1] for c in server.claims()] == ["ali"]
        assert server.packages_issued_after("nonexistent", "omar") == []
    finally:
        server.close()


def test_copy_to_a_server_project_is_refused_unless_replace(tmp_path: Path, pg_url: str) -> None:
    source = busy_team(tmp_path / "news.db", tmp_path)
    copy_project(source, pg_url)
    code, out, err = invoke("copy", source, pg_url)
    assert (code, out) == (2, "")
    assert err.startswith("annotator: error: postgresql://") and err.endswith(
        ": already holds a project; refusing to overwrite it (--replace does)\n")
    code, out, _ = invoke("copy", tmp_path / "news.db", pg_url, "--replace")
    assert code == 0 and ": 6 articles, " in out


def test_the_server_notifies_a_watcher_of_others_commits(pg_url: str) -> None:
    store = PgStore(pg_url, create=True)
    watcher = store.watch_changes()
    try:
        assert not watcher.changed()
        other = PgStore(pg_url)
        with other.transaction():
            aid = other.insert_article(doc_id="a1", title="t", text="خبر", meta={},
                                       content_hash="h1", source_path="", title_key="t",
                                       text_key="خبر")
        with other.transaction():
            other.claim_next("mona", 0, "id", claims.DEFAULT_LAPSE_S)
        other.close()
        deadline = time.monotonic() + 5
        while not watcher.changed():
            assert time.monotonic() < deadline, "no notification within 5 s"
            time.sleep(0.05)
        assert not watcher.changed()  # both commits' notifications came in one batch
        assert aid == 1
    finally:
        watcher.close()
        store.close()


def test_a_failed_replace_leaves_the_server_project_as_it_was(tmp_path: Path, pg_url: str,
                                                              monkeypatch) -> None:
    source = busy_team(tmp_path / "news.db", tmp_path)
    copy_project(source, pg_url)
    real = PgStore.load_tables

    def fail_at_the_end(self, tables):  # noqa: ANN001, ANN202
        real(self, tables)  # every table truncated and refilled, then:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(PgStore, "load_tables", fail_at_the_end)
    code, _, err = invoke("copy", tmp_path / "omar.annot", pg_url, "--replace")
    assert code == 2 and err.endswith("No space left on device\n") and len(err.splitlines()) == 1
    monkeypatch.undo()
    copy_project(pg_url, tmp_path / "after.db")
    after = tables(tmp_path / "after.db")
    assert {n: sorted(r, key=repr) for n, r in after.items()} == {
        n: sorted(r, key=repr) for n, r in tables(source).items()}


def _terminate_the_copy(pg_url: str) -> None:
    """The server drops the copy's connection (a restart, a network cut, an admin's kill)."""
    import psycopg

    database = urlsplit(pg_url).path.strip("/")
    with psycopg.connect(pg_database_url(pg_url, "postgres"), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      " WHERE datname = %s AND pid <> pg_backend_pid()", [database])


FAILURES = {
    "a bad row": lambda pg_url: [(99, 999_999, 0, 1, "LOCATION", "x", "ali", "", "", "")],
    "a lost connection": lambda pg_url: _terminate_the_copy(pg_url),
    "Ctrl-C": lambda pg_url: (_ for _ in ()).throw(KeyboardInterrupt()),
}


def _what_the_database_holds(pg_url: str) -> tuple[list[str], list[str]]:
    """The tables of the database's schema and the roles named after the database."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " current_schema() ORDER BY 1")]
        roles = [r[0] for r in conn.execute(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, current_database() || '_')"
            " ORDER BY 1")]
    return tables, roles


@pytest.mark.parametrize("failure", FAILURES)
def test_a_copy_into_a_new_server_database_that_fails_half_way_leaves_it_empty(
    tmp_path: Path, pg_url: str, monkeypatch, failure: str
) -> None:
    """All or nothing, the layout included: after a failure at the spans (a bad row, the
    connection cut, Ctrl-C) the database holds no table and no group role, and the same copy
    run again succeeds (before, an empty layout stayed and the second run was refused)."""
    source = busy_team(tmp_path / "news.db", tmp_path)
    real = Store.dump_tables

    def failing_at_the_spans(self):  # noqa: ANN001, ANN202
        for name, columns, rows in real(self):
            if name == "spans":
                bad = FAILURES[failure](pg_url)
                rows = iter([*rows, *(bad or [])])
            yield name, columns, rows

    monkeypatch.setattr(Store, "dump_tables", failing_at_the_spans)
    if failure == "Ctrl-C":
        with pytest.raises(KeyboardInterrupt):
            copy_project(source, pg_url)
    else:
        code, out, err = invoke("copy", source, pg_url)
        assert (code, out) == (2, "") and len(err.splitlines()) == 1, err
        assert err.startswith("annotator: error: postgresql://"), err
    assert _what_the_database_holds(pg_url) == ([], [])
    monkeypatch.undo()
    code, out, err = invoke("copy", source, pg_url)
    assert code == 0 and ": 6 articles, " in out, err
    copy_project(pg_url, tmp_path / "back.db")
    assert {n: sorted(r, key=repr) for n, r in tables(tmp_path / "back.db").items()} == {
        n: sorted(r, key=repr) for n, r in tables(source).items()}


def test_init_on_a_server_is_all_or_nothing_too(pg_url: str, monkeypatch) -> None:
    """``init`` makes the layout and the first schema in one transaction: a failure between
    them leaves no project without a schema (which every later command would refuse)."""
    from annotator.errors import ProjectError

    def refuse(self, data, note):  # noqa: ANN001, ANN202
        raise ProjectError("the schema could not be stored")

    monkeypatch.setattr(PgStore, "add_schema_version", refuse)
    with pytest.raises(ProjectError, match="could not be stored"):
        Project.create(pg_url)
    assert _what_the_database_holds(pg_url) == ([], [])
    monkeypatch.undo()
    with Project.create(pg_url) as project:
        assert project.schema.version == 1
