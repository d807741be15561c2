"""Bad input that used to get in: broken first JSON records, non-article JSON, deep nesting,
and a forced encoding that turns Arabic into mojibake (issue 10, "Bad input that still gets in").

Each case is refused with ``file:line`` and exit code 2, and the project keeps no article.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.errors import InputError
from annotator.project import Project
from annotator.text.encoding import decode_bytes

ARABIC = "قال مرصد مينا إن صاروخاً سقط في دير الزور."


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    Project.create(path).close()
    return path


def articles(path: Path) -> int:
    with Project.open(path) as project:
        return project.store.count("articles")


def import_refused(project_path: Path, source: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["import", str(project_path), str(source), *extra])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(
        result.exception, SystemExit)
    assert articles(project_path) == 0
    return result.output


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("broken.jsonl", '{"id": "a1", "text": "' + ARABIC + '"\n{"id": "a2", "text": "x"}\n', ":1: invalid JSON"),
        ("broken.json", '{"id": "a1", "text": \n', ":1: invalid JSON"),
        ("blank_then_broken.jsonl", '\n\n{"text": oops}\n', ":3: invalid JSON"),
        ("scalar.json", '"just a string"\n', ":1: expected a JSON object or an array of objects, found a JSON str"),
        ("number.json", "42\n", ":1: expected a JSON object or an array of objects, found a JSON int"),
        ("numbers.json", "[\n 1,\n 2\n]\n", ":2: expected a JSON object, found int"),
        ("pretty_object.json", '{\n  "articles": 3,\n  "source": "x"\n}\n',
         ":1: expected article objects (with 'text' or 'content'), found keys articles, source"),
        ("strings.jsonl", '"a"\n"b"\n', ":1: expected a JSON object or an array of objects"),
    ],
)
def test_json_that_is_not_article_records_is_refused_at_its_line(
    tmp_path: Path, project_path: Path, name: str, content: str, where: str
) -> None:
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    output = import_refused(project_path, source)
    # Before: imported, exit 0, as one text article holding the raw JSON.
    assert f"annotator: error: {source}{where}" in output


@pytest.mark.parametrize("opener", ["[", '{"a": '])
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_nested_100000_deep_is_a_clear_message(
    tmp_path: Path, project_path: Path, opener: str, suffix: str
) -> None:
    source = tmp_path / f"deep{suffix}"
    source.write_text(opener * 100_000, encoding="utf-8")
    output = import_refused(project_path, source)
    assert output == (
        f"annotator: error: {source}:1: JSON nested too deeply to read (more than 1000 levels); "
        "no article is nested like this\n"
    )


@pytest.mark.parametrize("fmt", ["jsonl", "json", "doccano", "labelstudio", "prodigy", "hf"])
def test_deep_nesting_is_refused_by_every_json_reader(
    tmp_path: Path, project_path: Path, fmt: str
) -> None:
    source = tmp_path / "deep.jsonl"
    source.write_text('{"text": ' + "[" * 100_000 + "\n", encoding="utf-8")
    output = import_refused(project_path, source, "--format", fmt)
    assert f"{source}:1: JSON nested too deeply" in output


def test_cp1256_forced_on_utf8_arabic_is_refused_unless_confirmed(
    tmp_path: Path, project_path: Path
) -> None:
    source = tmp_path / "news.txt"
    source.write_bytes(("Reuters\n" + ARABIC + "\n").encode("utf-8"))
    output = import_refused(project_path, source, "--encoding", "cp1256")
    assert f"annotator: error: {source}:2: the file is valid UTF-8 with non-ASCII text" in output
    assert "--force-encoding" in output and "confidence" not in output
    result = CliRunner().invoke(
        cli, ["import", str(project_path), str(source), "--encoding", "cp1256", "--force-encoding"])
    assert result.exit_code == 0, result.output
    assert "decoded as cp1256 (as given with --encoding)" in result.output
    with Project.open(project_path) as project:  # what the user confirmed, mojibake and all
        assert project.store.article(1).text.split("\n")[1] == ARABIC.encode("utf-8").decode("cp1256")


def test_a_garbled_forced_decoding_is_refused(tmp_path: Path) -> None:
    data = (ARABIC + "\n").encode("cp1256")
    with pytest.raises(InputError, match=r"read as iso8859-1 the text looks garbled \(charset-normalizer mess"):
        decode_bytes(data, path_name="old.txt", encoding="latin-1")
    assert decode_bytes(data, path_name="old.txt", encoding="latin-1", force=True).text.startswith("Þ")
    # The right code page, and plain ASCII in any code page, pass.
    assert decode_bytes(data, path_name="old.txt", encoding="cp1256").text == ARABIC + "\n"
    assert decode_bytes(b"Reuters, Damascus\n", path_name="a.txt", encoding="cp1256").text == "Reuters, Damascus\n"


def test_valid_first_records_still_import(tmp_path: Path, project_path: Path) -> None:
    source = tmp_path / "ok.json"
    source.write_text('[\n {"url": "u1", "content": "' + ARABIC + '"}\n]\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(project_path), str(source)])
    assert result.exit_code == 0, result.output
    assert articles(project_path) == 1
