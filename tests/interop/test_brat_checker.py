"""Our brat export opened by brat's own code: its parser reads every ``.ann`` (it refuses an event
whose trigger is not typed with the event's type), its configuration reader takes our
``annotation.conf``, and its checker (``verify_annotations``) reports no issue at all.

Needs a brat checkout (https://github.com/nlplab/brat, tested at 44ecd825): ``ANNOTATOR_BRAT_SRC``
names it (``scripts/interop.sh`` clones it); skipped without one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli

pytestmark = pytest.mark.interop
BRAT_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "brat"


@pytest.fixture(scope="module")
def brat() -> Path:
    source = Path(os.environ.get("ANNOTATOR_BRAT_SRC", "/nonexistent"))
    if not (source / "server" / "src" / "verify_annotations.py").is_file():
        if os.environ.get("ANNOTATOR_INTEROP_REQUIRE"):
            pytest.fail(f"no brat checkout at {source}")
        pytest.skip("no brat checkout: set ANNOTATOR_BRAT_SRC (scripts/interop.sh)")
    return source


def run(*args: object) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.stderr


def test_brat_reads_and_checks_our_export_without_a_warning(brat: Path, tmp_path: Path) -> None:
    db, out = tmp_path / "news.db", tmp_path / "out"
    run("init", db)
    run("import", db, BRAT_FIXTURE, "--layer", "ali", "--as", "admin")
    run("export", db, "-o", out, "--format", "brat", "--source", "ali", "--as", "admin")
    scratch = tmp_path / "brat"
    scratch.mkdir()
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("brat_check.py")), str(brat),
                           str(scratch), str(out / "ali" / "strike.ann")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["issues"] == [] and said["messages"] == []
    assert said["used"] == ["DATE", "LOCATION", "SOURCE", "WEAPON", "attack"]
    assert "attack" in said["types"]["events"]
    assert {"reported-by", "located-in", "member-of"} <= set(said["types"]["relations"])
