"""The CLI on a server project (issue 14): every command that takes a project file takes a
``postgresql://`` URL, gives the same answers as on a file, and fails in one line (exit 2)."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.store.layout import LAYOUT_VERSION
from annotator.store.location import display_url
from tests.conftest import pg_database_url, pg_with_user

from .team_kit import make_team_project, password

psycopg = pytest.importorskip("psycopg")

A1 = "زار وزير الدفاع دمشق يوم الأحد"
DAMASCUS = (len("زار وزير الدفاع "), len("زار وزير الدفاع دمشق"))
MINISTER = (len("زار "), len("زار وزير الدفاع"))


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _spans_file(path: Path, who: str, spans: list[tuple[int, int, str]]) -> Path:
    """A native JSONL of article a1 carrying ``who``'s spans (an annotator's own import)."""
    record = {"id": "a1", "text": A1, "title": "t1",
              "spans": [{"start": s, "end": e, "label": lab, "annotator": who} for s, e, lab in spans]}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def as_user(location: str, user: str) -> tuple[str, str, str]:
    """The project argument and ``--as`` of ``user``: on a server her own login (the owner may
    not name her), on a file her name."""
    if location.startswith("postgresql"):
        location = pg_with_user(location, user, password(user))
    return location, "--as", user


def _session(location: str, tmp: Path) -> dict[str, object]:
    """One team's morning, through the CLI: everything it printed and wrote, the project's own
    name replaced by <P> (a file and a server project are named differently, nothing else)."""
    make_team_project(location).close()  # type: ignore[arg-type]
    out: dict[str, object] = {}
    sara, huda = as_user(location, "sara"), as_user(location, "huda")
    steps = {
        "assign": ("assign", *sara, "--users", "ali,mona", "--per-article", "2", "--seed", "0"),
        "import_ali": ("import", *sara, _spans_file(tmp / "ali.jsonl", "ali", [
            (*DAMASCUS, "LOCATION"), (*MINISTER, "PERSON")]), "--layer", "ali"),
        "import_mona": ("import", *sara, _spans_file(tmp / "mona.jsonl", "mona", [
            (*DAMASCUS, "LOCATION"), (*MINISTER, "ORGANIZATION")]), "--layer", "mona"),
        "stats": ("stats", *sara),
        "stats_json": ("stats", *sara, "--json"),
        "agreement": ("agreement", *huda, "--json"),
        "export_conll": ("export", *sara, "-o", tmp / "x.conll", "--format", "conll",
                         "--source", "all"),
        "export_jsonl": ("export", *sara, "-o", tmp / "x.jsonl"),
    }
    names = [display_url(who[0]) if who[0].startswith("postgresql") else who[0]
             for who in (sara, huda)]
    for key, args in steps.items():
        code, stdout, stderr = invoke(*args)
        assert code == 0, (key, stderr)
        said = stdout + stderr
        for name in names:
            said = said.replace(name, "<P>")
        out[key] = said.replace(str(tmp), "<T>")
    for written in ("x.conll", "x.jsonl"):
        out[written] = (tmp / written).read_bytes()
    return out


def test_the_same_commands_give_the_same_answers_on_a_file_and_a_server(
    pg_url: str, tmp_path: Path
) -> None:
    (tmp_path / "f").mkdir()
    (tmp_path / "s").mkdir()
    on_file = _session(str(tmp_path / "f" / "news.db"), tmp_path / "f")
    on_server = _session(pg_url, tmp_path / "s")
    for key in on_file:
        assert on_server[key] == on_file[key], key
    assert "6 articles" in str(on_server["stats"])
    agreement = json.loads(str(on_server["agreement"]))
    assert agreement["annotators"] == ["ali", "mona"]
    assert b"\xd8\xaf\xd9\x85\xd8\xb4\xd9\x82" in on_server["x.conll"]  # دمشق, as bytes


def test_init_url_creates_the_tables_then_refuses_a_second_time(pg_url: str) -> None:
    code, out, _ = invoke("init", pg_url)
    assert code == 0 and out.startswith(f"created {display_url(pg_url)} with schema 'news' v1")
    code, _, err = invoke("init", pg_url)
    assert (code, err) == (2, f"annotator: error: {display_url(pg_url)}: the database already"
                              " holds an annotator project; refusing to overwrite it\n")


def test_init_refuses_a_database_holding_tables_of_the_same_names(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE articles (id int, body text)")
        conn.execute("INSERT INTO articles VALUES (1, 'somebody else''s')")
    code, _, err = invoke("init", pg_url)
    assert code == 2
    assert err == (f"annotator: error: {display_url(pg_url)}: the database already holds tables"
                   " named like a project's: articles; refusing to overwrite it\n")
    with psycopg.connect(pg_url) as conn:  # untouched
        assert conn.execute("SELECT body FROM articles").fetchall() == [("somebody else's",)]


def test_a_newer_layout_and_a_database_that_is_no_project_are_refused(pg_url: str) -> None:
    code, _, err = invoke("stats", pg_url)
    assert (code, err) == (2, f"annotator: error: {display_url(pg_url)}: a database, but not an"
                              " annotator project (create one with 'annotator init')\n")
    assert invoke("init", pg_url)[0] == 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE annotator_layout SET version = 99")
    code, _, err = invoke("stats", pg_url)
    assert code == 2 and err.endswith(
        f"made by a newer annotator (layout 99 > {LAYOUT_VERSION}); upgrade\n")
    assert invoke("init", pg_url)[2].endswith(f"(layout 99 > {LAYOUT_VERSION}); upgrade\n")


def test_wrong_password_is_one_line_naming_the_server_never_the_password(
    pg_url: str, pg_admin_url: str
) -> None:
    assert invoke("init", pg_url)[0] == 0
    role = "r" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'right-one'")
    try:
        as_role = pg_with_user(pg_url, role, "wrong-one")
        code, _, err = invoke("stats", as_role)
        assert code == 2 and err.count("\n") == 1
        assert err.startswith(f"annotator: error: {display_url(as_role)}: ")
        assert f'password authentication failed for user "{role}"' in err
        assert "wrong-one" not in err
        # No password at all, and nobody at a terminal to ask: one line, no prompt.
        code, _, err = invoke("stats", pg_with_user(pg_url, role))
        assert code == 2 and err.count("\n") == 1 and "no password supplied" in err
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f"DROP ROLE {role}")


def test_unreachable_server_and_missing_database_are_one_line(pg_admin_url: str, tmp_path) -> None:
    nowhere = f"postgresql:///news?host={tmp_path}/no-server-here"
    code, _, err = invoke("stats", nowhere)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"annotator: error: {nowhere}: connection")
    missing = pg_database_url(pg_admin_url, "no_such_db_" + uuid.uuid4().hex[:6])
    code, _, err = invoke("export", missing, "-o", tmp_path / "x.jsonl")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"annotator: error: {display_url(missing)}: ")
    assert "does not exist" in err and not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("command", [["backup"], ["check"], ["restore"]])
def test_file_only_commands_refuse_a_server_in_one_line(pg_url: str, command: list[str]) -> None:
    assert invoke("init", pg_url)[0] == 0
    code, _, err = invoke(*command, pg_url)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"annotator: error: {display_url(pg_url)}: {command[0]} works on project"
                          " files, not on a server project; ")


def test_doctor_reports_a_reachable_server_project(pg_url: str) -> None:
    assert invoke("init", pg_url)[0] == 0
    code, out, _ = invoke("doctor", pg_url)
    assert f"{display_url(pg_url)}: reachable, 0 articles, schema 'news' v1" in out


def test_a_url_without_the_server_extra_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in [m for m in sys.modules if m.startswith(("annotator.store.pg", "psycopg"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    code, _, err = invoke("stats", "postgresql://sara@db.example/news")
    assert (code, err) == (2, "annotator: error: psycopg is not installed (needed for a project on"
                              " a PostgreSQL server (postgresql:// URLs)): pip install"
                              " 'annotator[server]'\n")


def test_pack_from_a_server_label_offline_merge_back(pg_url: str, tmp_path: Path) -> None:
    """Offline annotators still work from packages: the package is a file, the project a server."""
    from annotator.project import Project

    make_team_project(pg_url).close()  # type: ignore[arg-type]
    sara = as_user(pg_url, "sara")
    assert invoke("assign", *sara, "--users", "ali,mona", "--per-article", "2")[0] == 0
    out_path = tmp_path / "mona.annot"
    code, out, _ = invoke("pack", *sara, "--for", "mona", "-o", out_path)
    assert (code, out) == (0, f"wrote {out_path}: 6 articles for mona (schema version 1)\n")
    with Project.open(out_path) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        assert p1 is not None
        package.session("mona").add_span(p1, *DAMASCUS, "LOCATION")
    code, out, _ = invoke("merge", *sara, out_path)
    assert out == ("merged mona: 1 added, 0 changed, 0 removed in 1 of 6 articles\n"
                   "  a1: +1 ~0 -0, state in_progress\n")
    assert invoke("merge", *sara, out_path)[1] == (
        "merged mona: 0 added, 0 changed, 0 removed in 0 of 6 articles\n")
    with Project.open(pg_url) as project:
        a1 = project.article_id_by_doc_id("a1")
        assert a1 is not None
        assert [(s.start, s.end, s.label) for s in project.store.spans(a1, ["mona"])] == [
            (*DAMASCUS, "LOCATION")]


def _run_in_a_terminal(args: list[str], answer: str) -> tuple[int, str]:
    """``annotator ARGS`` with a pseudo-terminal as its controlling terminal and stdin (a person
    at a terminal); types ``answer`` + Enter at the first password prompt. Returns (code, screen)."""
    import fcntl
    import os
    import select
    import subprocess
    import termios

    from tests.core.entry_point import ANNOTATOR

    master, slave = os.openpty()

    def own_terminal() -> None:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "PGPASSFILE")}
    env["PGPASSFILE"] = "/nonexistent"  # no ~/.pgpass of the machine's
    child = subprocess.Popen([str(ANNOTATOR), *args], stdin=slave, stdout=slave, stderr=slave,
                             preexec_fn=own_terminal, env=env, close_fds=True)
    os.close(slave)
    screen, typed = b"", False
    while child.poll() is None or select.select([master], [], [], 0)[0]:
        if select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            screen += chunk
            if not typed and b"password for" in screen:
                os.write(master, answer.encode() + b"\n")
                typed = True
    os.close(master)
    return child.wait(30), screen.decode(errors="replace")


def test_a_password_is_asked_only_at_a_terminal_and_only_when_needed(
    pg_url: str, pg_admin_url: str
) -> None:
    assert invoke("init", pg_url)[0] == 0
    role = "r" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'typed-at-the-prompt'")
    with psycopg.connect(pg_url, autocommit=True) as conn:  # a login of the project (ADR 0006)
        conn.execute(f'GRANT "{conn.info.dbname}_annotator" TO {role}')
    try:
        as_role = pg_with_user(pg_url, role)
        code, screen = _run_in_a_terminal(["stats", as_role, "--as", role], "typed-at-the-prompt")
        assert f"password for {display_url(as_role)}: " in screen
        assert code == 0, screen
        assert "0 articles, 0 done, 0 in progress, 0 spans" in screen
        assert "typed-at-the-prompt" not in screen  # not echoed
        code, screen = _run_in_a_terminal(["stats", as_role, "--as", role], "wrong")
        assert code == 2 and 'password authentication failed for user' in screen
        # The superuser needs no password here (trust): no prompt at all.
        code, screen = _run_in_a_terminal(["stats", pg_url], "unused")
        assert code == 0 and "password" not in screen
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f"DROP ROLE {role}")
