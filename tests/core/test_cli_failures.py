"""Every command turns what the system says (SQLite, the OS) into one line and exit code 2.

Issue 10: ``sqlite3.DatabaseError``, ``OperationalError`` (disk full) and ``OSError`` (ENOSPC,
EACCES, a path under a file) reached the user as tracebacks. Now ``run_command`` (every
command) and the CLI entry point name them in one line; the project is left as it was.
"""

from __future__ import annotations

import errno
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.backup import backup
from annotator.cli import COMMANDS, cli
from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project
from annotator.store import files

REPO = Path(__file__).resolve().parents[2]
TEXT = "قال مرصد مينا إن صاروخاً سقط في دير الزور."


def make_project(path: Path) -> Path:
    with Project.create(path) as project:
        import_documents(project, [Document(f"d{i}", f"{TEXT} {i}") for i in range(3)])
    return path


def one_line_error(result: object) -> str:
    """The output of a failed command, checked to be exactly one ``annotator: error:`` line."""
    assert result.exit_code == 2, (result.output, result.exception)  # type: ignore[attr-defined]
    output: str = result.output  # type: ignore[attr-defined]
    assert output.startswith("annotator: error: ") and output.count("\n") == 1, output
    assert "Traceback" not in output
    return output


def test_export_to_a_path_under_a_file_is_one_line(tmp_path: Path) -> None:
    path = make_project(tmp_path / "news.db")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(path), "-o", str(tmp_path / "notes.txt" / "out.jsonl"),
                                       "--include-unfinished"])
    assert f"{tmp_path / 'notes.txt'}: " in one_line_error(result)


def test_backup_to_a_path_under_a_file_is_one_line(tmp_path: Path) -> None:
    path = make_project(tmp_path / "news.db")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["backup", str(path), "-o", str(tmp_path / "notes.txt" / "b.db")])
    assert "notes.txt" in one_line_error(result)


def test_permission_denied_writing_an_export_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    path = make_project(tmp_path / "news.db")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "out"))

    monkeypatch.setattr(tempfile, "mkstemp", denied)  # as root, chmod cannot make this happen
    result = CliRunner().invoke(cli, ["export", str(path), "-o", str(tmp_path / "out" / "x.jsonl"),
                                       "--include-unfinished"])
    assert one_line_error(result) == f"annotator: error: {tmp_path / 'out'}: Permission denied\n"


DISK_FULL_CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    sys.argv = ["annotator", *sys.argv[2:]]
    from annotator.cli import main
    main()
    """
)


def test_a_full_disk_during_import_is_one_line_and_the_project_is_unchanged(tmp_path: Path) -> None:
    path = make_project(tmp_path / "news.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = path.read_bytes()
    big = tmp_path / "big.jsonl"
    big.write_text(
        "".join(f'{{"id": "b{i}", "text": "{TEXT} {i} {"خبر " * 400}"}}\n' for i in range(200)),
        encoding="utf-8",
    )
    # A file-size limit just above the project: SQLite's writes fail as "database or disk is full".
    limit = len(before) + 64 * 1024
    proc = subprocess.run(
        [sys.executable, "-c", DISK_FULL_CHILD, str(limit), "import", str(path), str(big)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("annotator: error: ")]
    # SQLite reports a write past the size limit (EFBIG) as an I/O error; ENOSPC as "disk is full".
    assert errors == [f"annotator: error: {path}: the disk could not be read or written "
                      "(disk I/O error)"], proc.stderr
    with Project.open(path) as project:
        assert project.store.count("articles") == 3  # the import was one transaction, rolled back


# --- the same from every command -------------------------------------------------------------


def _rows(tmp_path: Path) -> dict[str, list[str]]:
    """One invocation per command that reaches the project file (``gui``: tests/ui)."""
    project = make_project(tmp_path / "news.db")
    package = tmp_path / "mona.annot"
    package.write_bytes(project.read_bytes())
    saved = backup(project)
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    p = str(project)
    return {
        "init": ["init", str(tmp_path / "new.db")],
        "import": ["import", p, str(article)],
        "export": ["export", p, "-o", str(tmp_path / "out.jsonl")],
        "stats": ["stats", p],
        "schema": ["schema", p],
        "users": ["users", p],
        "settings": ["settings", p],
        "assign": ["assign", p, "--users", "ali,mona"],
        "pack": ["pack", p, "--for", "mona", "-o", str(tmp_path / "p.annot")],
        "merge": ["merge", p, str(package)],
        "agreement": ["agreement", p],
        "adjudicate": ["adjudicate", p],
        "suggest": ["suggest", p, "--order"],
        "backup": ["backup", p],
        "check": ["check", p],
        "restore": ["restore", p, str(saved)],
        "doctor": ["doctor", p],
        "copy": ["copy", p, str(tmp_path / "copy.db")],
    }


FAILURES = [
    sqlite3.OperationalError("database or disk is full"),
    sqlite3.OperationalError("disk I/O error"),
    sqlite3.DatabaseError("file is not a database"),
    OSError(errno.ENOSPC, "No space left on device"),
    PermissionError(errno.EACCES, "Permission denied"),
]


def test_every_command_has_a_row(tmp_path: Path) -> None:
    assert set(_rows(tmp_path)) | {"gui"} == set(COMMANDS)


@pytest.mark.parametrize("failure", FAILURES, ids=lambda e: type(e).__name__ + ":" + str(e))
def test_every_command_reports_system_failures_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    rows = _rows(tmp_path)

    def fail(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(files, "connect", fail)  # every connection to a project file opens here
    runner = CliRunner()
    for name, args in rows.items():
        output = one_line_error(runner.invoke(cli, args))
        assert str(failure.args[-1]) in output, (name, output)
