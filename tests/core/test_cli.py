"""The CLI through the installed ``annotator`` entry point: real processes, real files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import cli

ANNOTATOR = shutil.which("annotator", path=str(Path(sys.executable).parent))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert ANNOTATOR, "the annotator entry point is not installed in this environment"
    return subprocess.run([ANNOTATOR, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def dump(db: Path) -> list[tuple]:
    """Everything an import could change, for 'the database is unchanged' checks."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return [
            *conn.execute("SELECT id, doc_id, content_hash FROM articles ORDER BY id"),
            *conn.execute('SELECT article_id, start, "end", label, annotator FROM spans ORDER BY id'),
            *conn.execute("SELECT version FROM label_schemas"),
        ]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    assert run("init", path).returncode == 0
    return path


def test_every_command_has_help_with_an_example():
    names = cli.list_commands(None)
    assert {"init", "import", "export", "stats", "schema", "gui", "agreement", "merge"} <= set(names)
    for name in names:
        command = cli.get_command(None, name)
        assert command is not None and command.name == name, f"{name} is not registered by its module"
        assert command.help and "Example" in command.help, f"{name} lacks help with an example"
    listing = run("--help").stdout
    assert all(name in listing for name in names)
    result = run("import", "--help")
    assert result.returncode == 0 and "Usage: annotator import" in result.stdout


def test_gui_command_loads_no_other_command_module():
    code = ("import sys; from annotator.cli import cli; cli.get_command(None, 'gui');"
            "print(sorted(m for m in sys.modules if m.startswith(('annotator.cli.', 'ui', 'PySide6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # The command is defined, but neither another command module nor Qt is loaded for it yet.
    assert out.stdout.strip() == "['annotator.cli.common', 'ui', 'ui.cli']"


def test_jsonl_round_trip_through_cli(db, tmp_path):
    text = "😀 أفادت وكالة “سبوتنيك” بقصفٍ على حقل العمـر."
    start = text.index("سبوتنيك")
    record = {"id": "n1", "title": "خبر", "text": text, "meta": {},
              "spans": [{"start": start, "end": start + 7, "label": "SOURCE", "text": "سبوتنيك",
                         "annotator": "ali"}]}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("import", db, src)
    assert result.returncode == 0, result.stderr
    assert "1 articles added" in result.stdout
    out = tmp_path / "out" / "n.jsonl"
    assert run("export", db, "-o", out, "--format", "jsonl").returncode == 0
    back = json.loads(out.read_text(encoding="utf-8"))
    assert back["spans"] == record["spans"] and back["text"] == text
    assert (tmp_path / "out" / "n.card.md").exists()


def test_bad_json_line_names_file_and_line_and_leaves_db_unchanged(db, tmp_path):
    good = tmp_path / "a.jsonl"
    good.write_text(json.dumps({"id": "x", "text": "نص"}) + "\n", encoding="utf-8")
    assert run("import", db, good).returncode == 0
    before = dump(db)
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"id": "1", "text": "نص أول"}\n{"id": "2", "text": "نص ثان"}\n{"id": 3, "text": \n',
                   encoding="utf-8")
    result = run("import", db, bad)
    assert result.returncode == 2
    assert f"{bad}:3" in result.stderr and "Traceback" not in result.stderr
    assert dump(db) == before


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("bad-utf8.jsonl", b'{"text": "ok"}\n{"text": "\xff\xfe"}\n', "bad-utf8.jsonl:2"),
        ("range.jsonl", '{"text": "نص", "spans": [{"start": 0, "end": 9, "label": "DATE"}]}\n'.encode(),
         "range.jsonl:1"),
        ("label.jsonl", '{"text": "نص", "spans": [{"start": 0, "end": 2, "label": "NOPE"}]}\n'.encode(),
         "NOPE"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_db_unchanged(db, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = dump(db)
    result = run("import", db, path, "--encoding", "utf-8" if "utf8" in name else "auto")
    assert result.returncode == 2, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr
    assert dump(db) == before


def test_skip_bad_imports_the_rest_and_lists_what_it_skipped(db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("قصف صاروخي على دير الزور", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    result = run("import", db, folder, "--skip-bad")
    assert result.returncode == 0
    assert "1 articles added" in result.stdout and "b.txt" in result.stderr


def test_cp1256_file_is_detected_and_reported(db, tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("أفادت مصادر إعلامية بتسجيل إصابات في صفوف الجيش\nشرقي سوريا".encode("cp1256"))
    result = run("import", db, path)
    assert result.returncode == 0, result.stderr
    assert "cp1256" in result.stderr.lower() or "windows-1256" in result.stderr.lower()
    stats = json.loads(run("stats", db, "--json").stdout)
    assert stats["articles"] == 1


def test_conll_import_export_round_trip(db, tmp_path):
    src = tmp_path / "in.conll"
    src.write_text("دمشق B-LOCATION\nهي O\nالعاصمة O\nالسورية O\n\nقال O\nعلي B-PERSON\n",
                   encoding="utf-8")
    assert run("import", db, src).returncode == 0
    out = tmp_path / "out.conll"
    assert run("export", db, "-o", out, "--format", "conll").returncode == 0
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[:7] == ["-DOCSTART- -X- O O", "", "دمشق\tB-LOCATION", "هي\tO", "العاصمة\tO",
                         "السورية\tO", ""]
    assert lines[7:10] == ["قال\tO", "علي\tB-PERSON", ""]


def test_init_refuses_existing_file(db):
    result = run("init", db)
    assert result.returncode == 2 and "already exists" in result.stderr


def test_stats_and_schema_commands(db):
    assert run("schema", db, "--add-label", "VEHICLE").returncode == 0
    shown = run("schema", db)
    assert "version 2" in shown.stdout and "VEHICLE" in shown.stdout
    figures = json.loads(run("stats", db, "--json").stdout)
    assert figures["articles"] == 0 and figures["schema_version"] == 2


def test_conll_with_old_mac_line_ends_and_xml_declared_ant(db, tmp_path):
    (tmp_path / "mac.conll").write_bytes("دمشق B-LOCATION\rهي O\r".encode())
    (tmp_path / "ant.txt").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<DOC><DOCNO>JA-1</DOCNO><TITLE>عنوان</TITLE>'
        "<TEXT>نص الخبر</TEXT></DOC>\n", encoding="utf-8")
    result = run("import", db, tmp_path / "mac.conll", tmp_path / "ant.txt")
    assert result.returncode == 0, result.stderr
    assert "ant.txt: read as ant" in result.stderr
    stats = json.loads(run("stats", db, "--json").stdout)
    assert stats["articles"] == 2 and stats["spans_per_label"] == {"LOCATION": 1}
