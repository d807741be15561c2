"""``annotator users postgresql://...``, and the commands run as each login (issue 14, ADR 0006).

Passwords go in on standard input, as a person would pipe them; every command then runs under
that person's own URL. The throwaway cluster asks every role but the superuser for its password
(scripts/pg-cluster.sh), so a wrong or old password fails as it would on a real server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from tests.conftest import pg_with_user

from .team_kit import A1, DAMASCUS, MINISTER

psycopg = pytest.importorskip("psycopg")

TEAM = {"sara": "admin", "huda": "reviewer", "ali": "annotator", "mona": "annotator"}


def run(*args: object, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], input=stdin, catch_exceptions=False,
                                env={"ANNOTATOR_USER": None})
    return result.exit_code, result.stdout, result.stderr


def one_line(code: int, err: str, *parts: str) -> None:
    assert code == 2 and err.count("\n") == 1 and err.startswith("annotator: error: "), err
    assert "Traceback" not in err and all(p in err for p in parts), err


def url_of(url: str, user: str, password: str | None = None) -> str:
    return pg_with_user(url, user, password or f"{user}-pw")


def _jsonl(path: Path, who: str, spans: list[tuple[int, int, str]]) -> Path:
    record = {"id": "a1", "text": A1, "title": "t1",
              "spans": [{"start": s, "end": e, "label": lab, "annotator": who} for s, e, lab in spans]}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def team(pg_url: str, tmp_path: Path) -> str:
    """init, sara made admin by the owner, then sara adds the others; ali and mona import."""
    assert run("init", pg_url)[0] == 0
    code, out, err = run("users", pg_url, "--add", "sara", "--role", "admin", "--password-stdin",
                         stdin="sara-pw\n")
    assert code == 0, err
    sara = url_of(pg_url, "sara")
    for name in ("huda", "ali", "mona"):
        code, out, err = run("users", sara, "--add", name, "--role", TEAM[name], "--password-stdin",
                             stdin=f"{name}-pw\n")
        assert code == 0, err
    assert {tuple(line.split()) for line in out.splitlines()} >= {(n, r) for n, r in TEAM.items()}
    code, _, err = run("import", sara, _jsonl(tmp_path / "corpus.jsonl", "sara", []))
    assert code == 0, err  # the corpus is the admin's (and reviewers') to grow
    for who, label in (("ali", "PERSON"), ("mona", "ORGANIZATION")):
        source = _jsonl(tmp_path / f"{who}.jsonl", who, [(*DAMASCUS, "LOCATION"), (*MINISTER, label)])
        code, _, err = run("import", url_of(pg_url, who), source, "--layer", who)
        assert code == 0, err
    return pg_url


def test_each_login_runs_the_commands_its_role_allows(team: str, tmp_path: Path) -> None:
    ali, huda, sara = (url_of(team, n) for n in ("ali", "huda", "sara"))
    code, out, _ = run("stats", ali, "--json")
    assert code == 0 and set(json.loads(out)["spans_per_annotator"]) == {"ali"}
    code, out, _ = run("stats", huda, "--json")
    assert code == 0 and json.loads(out)["spans_per_annotator"] == {
        "ali": {"LOCATION": 1, "PERSON": 1}, "mona": {"LOCATION": 1, "ORGANIZATION": 1}}
    code, _, _ = run("export", ali, "-o", tmp_path / "ali.jsonl", "--source", "ali",
                     "--include-unfinished")
    assert code == 0
    spans = json.loads((tmp_path / "ali.jsonl").read_text(encoding="utf-8"))["spans"]
    assert {(s["start"], s["end"], s["annotator"]) for s in spans} == {
        (*DAMASCUS, "ali"), (*MINISTER, "ali")}
    one_line(*_code_err(run("export", ali, "-o", tmp_path / "m.jsonl", "--source", "mona")),
             "may not read layer 'mona'")
    one_line(*_code_err(run("agreement", ali, "--json")))
    code, out, _ = run("agreement", huda, "--json")
    assert code == 0 and json.loads(out)
    one_line(*_code_err(run("settings", huda, "--visibility", "open")))
    assert run("settings", sara, "--visibility", "open")[0] == 0
    code, out, _ = run("stats", ali, "--json")  # open now: the server shows ali mona's layer too
    assert code == 0 and set(json.loads(out)["spans_per_annotator"]) == {"ali", "mona"}


def _code_err(result: tuple[int, str, str]) -> tuple[int, str]:
    return result[0], result[2]


def test_as_and_annotator_user_cannot_name_someone_else(team: str) -> None:
    ali = url_of(team, "ali")
    one_line(*_code_err(run("stats", ali, "--as", "mona")), "you act as your login 'ali'")
    result = CliRunner().invoke(cli, ["stats", ali], env={"ANNOTATOR_USER": "huda"})
    one_line(result.exit_code, result.stderr, "'huda'", "your login 'ali'")
    assert run("stats", ali, "--as", "ali")[0] == 0


def test_the_owner_and_a_superuser_cannot_name_someone_else_either(team: str, pg_url: str,
                                                                   tmp_path: Path) -> None:
    """pg_url logs in as the cluster's superuser, who also owns the project (ran init): no
    policy applies to her, but --as still names nobody else (she would write as 'ali' what the
    database records as her own doing), nor does $ANNOTATOR_USER, nor the OS login name."""
    path = tmp_path / "ali.jsonl"
    for args, env in ((["--as", "ali"], {}), ([], {"ANNOTATOR_USER": "sara"})):
        for command in (["stats", pg_url], ["import", pg_url, str(_jsonl(path, "ali", [])), "--layer", "ali"]):
            result = CliRunner().invoke(cli, [*command, *args], env=env, catch_exceptions=False)
            one_line(result.exit_code, result.stderr, "you act as your login")
    result = CliRunner().invoke(cli, ["stats", pg_url], env={"ANNOTATOR_USER": None})
    assert result.exit_code == 0, result.stderr  # no name given: her login, whatever the OS says


def test_only_an_admin_adds_and_names_must_be_simple(team: str) -> None:
    for who in ("ali", "huda"):
        one_line(*_code_err(run("users", url_of(team, who), "--add", "eve", "--password-stdin",
                                stdin="eve-pw\n")), f"{who} is ")
    sara = url_of(team, "sara")
    one_line(*_code_err(run("users", sara, "--add", "Eve", "--password-stdin", stdin="x\n")),
             "cannot be a server login")
    one_line(*_code_err(run("users", sara, "--add", "eve", "--password-stdin", stdin="")),
             "holds no password")
    code, out, _ = run("users", sara)
    assert code == 0 and "eve" not in out


def test_role_change_removal_and_passwords(team: str) -> None:
    sara = url_of(team, "sara")
    code, out, _ = run("users", sara, "--add", "ali", "--role", "reviewer")  # keeps his password
    assert code == 0 and ("ali", "reviewer") in {tuple(line.split()) for line in out.splitlines()}
    code, out, _ = run("stats", url_of(team, "ali"), "--json")
    assert code == 0 and set(json.loads(out)["spans_per_annotator"]) == {"ali", "mona"}
    # his own password: from stdin, the old one stops working
    code, _, err = run("users", url_of(team, "ali"), "--password-stdin", stdin="n3w-pw\n")
    assert code == 0 and "password of ali changed" in err
    one_line(*_code_err(run("stats", url_of(team, "ali"))), "password authentication failed")
    assert run("stats", url_of(team, "ali", "n3w-pw"))[0] == 0
    code, out, _ = run("users", sara, "--remove", "ali")
    assert code == 0 and "ali" not in out
    one_line(*_code_err(run("stats", url_of(team, "ali", "n3w-pw"))), "permission denied for database")
    one_line(*_code_err(run("users", url_of(team, "mona"), "--remove", "huda")), "mona is annotator")


def test_psql_as_ali_sees_his_layer_only(team: str) -> None:
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("no psql (scripts/system-deps.sh installs it)")
    login = pg_with_user(team, "ali")
    env = {**os.environ, "PGPASSWORD": "ali-pw"}
    seen = subprocess.run([psql, login, "-XAt", "-c", "SELECT annotator, count(*) FROM spans GROUP BY 1"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert (seen.returncode, seen.stdout) == (0, "ali|2\n"), seen.stderr
    env["PGPASSWORD"] = "wrong"
    refused = subprocess.run([psql, login, "-XAt", "-c", "SELECT 1"], capture_output=True, text=True,
                             env=env, timeout=60)
    assert refused.returncode != 0 and 'password authentication failed for user "ali"' in refused.stderr
