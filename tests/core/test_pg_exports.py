"""Same results (issue 14): every format imported into a project file and into a server project,
then every export written from both, gives byte-identical files.

Two rounds: the shipped fixtures (CoNLL, nested CoNLL, AQMAR text, SaudiNewsNet-shaped JSON, ANT
articles, and a native JSONL with relations and an event frame) are imported into both backends and exported in every format; then each of those
exports (native, doccano, Prodigy, Label Studio, HF JSONL, CoNLL, spaCy) is imported on its own
into a fresh file and a fresh server project and exported again in every format. Ordering,
collation, ids and timestamps that reach a file would all show here.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from tests.conftest import FIXTURES
from tests.core.test_link_io import _doc, _jsonl

pytest.importorskip("psycopg")

HAS_SPACY = importlib.util.find_spec("spacy") is not None
EXPORTS: dict[str, tuple[str, ...]] = {
    "native.jsonl": ("--format", "jsonl"),
    "doccano.jsonl": ("--format", "jsonl", "--flavor", "doccano"),
    "prodigy.jsonl": ("--format", "jsonl", "--flavor", "prodigy"),
    "labelstudio.json": ("--format", "jsonl", "--flavor", "labelstudio"),
    "hf": ("--format", "jsonl", "--flavor", "hf", "--scheme", "bioes"),
    "iob2.conll": ("--format", "conll"),
    "bioes.conll": ("--format", "conll", "--scheme", "bioes"),
    "events.json": ("--format", "jsonl", "--flavor", "events"),
    "standoff.brat": ("--format", "brat"),
    **({"docs.spacy": ("--format", "spacy")} if HAS_SPACY else {}),
}
"""Output name -> export options: every format and flavor the CLI writes."""
SOURCES = ["aqmar_damascus.conll", "nested_ner.conll", "aqmar_noisy.txt", "scraped_news.json", "ant"]


def invoke(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _project(location: str, inputs: list[Path]) -> str:
    invoke("init", location)
    for path in inputs:
        invoke("import", location, path, "--new-labels", "add", "--layer", "admin")
    return location


def _export_all(location: str, folder: Path, names: Iterable[str] = EXPORTS) -> dict[str, bytes]:
    """The exports ``names`` of ``location`` into ``folder``: relative file name -> bytes (the
    project's name left out: cards name it, and a file and a database are named differently)."""
    folder.mkdir(parents=True)
    for name in names:
        options = EXPORTS[name]
        invoke("export", location, "-o", folder / name, *options, "--source", "all",
               "--include-unfinished")
    return {str(p.relative_to(folder)): _unnamed(p.read_bytes()) for p in sorted(folder.rglob("*"))
            if p.is_file() and ".card." not in p.name}


def _unnamed(content: bytes) -> bytes:
    """The card's ``- project: `NAME` `` line (also in the HF README) without the name."""
    return re.sub(rb"- project: `[^`]*`", b"- project: `<P>`", content)


def _assert_same(on_file: dict[str, bytes], on_server: dict[str, bytes]) -> None:
    assert sorted(on_server) == sorted(on_file)
    for name in on_file:
        assert on_server[name] == on_file[name], f"{name} differs between a file and a server"


def test_every_format_round_trips_byte_identically_on_both_backends(
    pg_databases: Callable[[], str], tmp_path: Path
) -> None:
    links = tmp_path / "links.jsonl"  # relations and an event frame (issue 15) ride along
    links.write_text(_jsonl([_doc("ali")]), encoding="utf-8")
    sources = [FIXTURES / name for name in SOURCES] + [links]
    file_exports = _export_all(_project(str(tmp_path / "first.db"), sources), tmp_path / "f0")
    _assert_same(file_exports, _export_all(_project(pg_databases(), sources), tmp_path / "s0"))
    assert len(file_exports) >= len(EXPORTS)
    assert all(len(content) > 200 for name, content in file_exports.items()
               if "/" not in name)  # no single-file export is empty (folders hold small files)
    assert b'{"type": "located-in", "head": 3, "tail": 4' in file_exports["native.jsonl"]
    # Round 2: each export read back as an input on each backend; the native JSONL (every
    # span, layer and meta field) and BIOES CoNLL of both then show what each import stored.
    for n, name in enumerate(EXPORTS):
        source = tmp_path / "f0" / (f"{name}/train.jsonl" if name == "hf" else name)
        if name == "standoff.brat":
            source = source / "admin"  # one layer's folder of .txt/.ann pairs
        witnesses = ["native.jsonl", "bioes.conll"]
        on_file = _export_all(_project(str(tmp_path / f"r{n}.db"), [source]),
                              tmp_path / f"f{n + 1}", witnesses)
        on_server = _export_all(_project(pg_databases(), [source]), tmp_path / f"s{n + 1}",
                                witnesses)
        _assert_same(on_file, on_server)
        assert b'"spans": [{' in on_file["native.jsonl"], name  # the spans came through
