"""Long commands show what they are doing on a terminal, and stay quiet in pipes.

The terminal is a real pseudo-terminal on stderr (where the bar draws), with stdout a pipe:
the data a command prints must come out on stdout unchanged either way.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading

import pytest

from annotator.project import Project
from annotator.suggest.crf import Options, cross_validate, train
from annotator.suggest.pipeline import training_examples
from tests.core.entry_point import ANNOTATOR, run

from .team_kit import label_a1, make_team_project

pytest.importorskip("pycrfsuite")
pty = pytest.importorskip("pty")



def on_terminal(*args: object) -> tuple[int, str, str]:
    """``annotator ARGS`` with stderr on a pseudo-terminal: (exit code, stdout, terminal bytes)."""
    assert ANNOTATOR
    master, slave = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    process = subprocess.Popen([ANNOTATOR, *map(str, args)], stdout=subprocess.PIPE,
                               stderr=slave, env=env)
    os.close(slave)
    screen = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                return
            if not chunk:
                return
            screen.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    stdout = process.stdout.read().decode() if process.stdout else ""
    code = process.wait(timeout=300)
    reader.join(timeout=30)
    os.close(master)
    return code, stdout, screen.decode(errors="replace")


def test_train_reports_each_training_by_iteration(aqmar_db):
    with Project.open(aqmar_db) as project:
        examples = training_examples(project)
    calls: list[tuple[str, int, int]] = []
    train(examples, options=Options(max_iterations=20), report=lambda *a: calls.append(a),
          what="training")
    assert calls and {(what, total) for what, _, total in calls} == {("training", 20)}
    done = [d for _, d, _ in calls]
    assert done == sorted(done) and done[:2] == [0, 1] and done[-1] <= 20
    calls.clear()
    cross_validate(examples, folds=3, options=Options(max_iterations=5),
                   report=lambda *a: calls.append(a))
    assert [w for w in dict.fromkeys(w for w, _, _ in calls)] == [
        f"cross-validation: training fold {k}/3" for k in (1, 2, 3)]


def test_suggest_in_a_pipe_prints_only_its_results(aqmar_db):
    train = run("suggest", aqmar_db, "--train", "--iterations", "30")
    assert train.returncode == 0 and train.stderr == ""
    assert train.stdout.startswith("cross-validated (3 folds")
    for step in (["--apply"], ["--order"]):
        result = run("suggest", aqmar_db, *step)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        assert "\x1b" not in result.stdout


def test_suggest_train_on_a_terminal_shows_each_stage(aqmar_db):
    code, stdout, screen = on_terminal("suggest", aqmar_db, "--train", "--iterations", "30")
    assert code == 0
    for stage in ("cross-validation: training fold 1/3", "cross-validation: training fold 3/3",
                  "training the model on 3 articles"):
        assert stage in screen
    # The results still go to stdout, a pipe here, without a trace of the bar.
    assert stdout.startswith("cross-validated (3 folds") and "\x1b" not in stdout
    assert stdout.splitlines()[-1].startswith("trained on 3 articles")


def test_apply_and_order_on_a_terminal(aqmar_db):
    assert run("suggest", aqmar_db, "--train", "--iterations", "30", "--folds", "0").returncode == 0
    code, stdout, screen = on_terminal("suggest", aqmar_db, "--apply", "--order")
    assert code == 0
    assert "suggesting" in screen and "scoring articles for the queue" in screen
    assert "\x1b" not in stdout and "suggest:crf:" in stdout


def test_merge_and_export_show_progress_on_a_terminal_only(tmp_path):
    db = tmp_path / "team.db"
    make_team_project(db).close()
    assert run("assign", db, "--users", "ali,mona", "--per-article", "2", "--as", "sara").returncode == 0
    package = tmp_path / "mona.annot"
    assert run("pack", db, "--for", "mona", "-o", package, "--as", "sara").returncode == 0
    piped = run("merge", db, package, "--as", "sara")
    assert piped.returncode == 0 and piped.stderr == ""
    code, stdout, screen = on_terminal("merge", db, package, "--as", "sara")
    assert code == 0 and "merging mona.annot" in screen and stdout == piped.stdout
    out = tmp_path / "out.jsonl"
    # Nobody has labelled yet: the articles go in as they are (the default takes finished work).
    piped = run("export", db, "-o", out, "--include-unfinished", "--as", "sara")
    assert piped.returncode == 0 and piped.stderr == ""
    code, stdout, screen = on_terminal("export", db, "-o", out, "--include-unfinished", "--as", "sara")
    assert code == 0 and "exporting" in screen and stdout == piped.stdout



def test_agreement_json_stays_clean_json_with_a_bar_on_the_terminal(tmp_path):
    """The bar draws on stderr; stdout, piped, carries the JSON and nothing else."""
    db = tmp_path / "team.db"
    with make_team_project(db) as project:
        label_a1(project)
    piped = run("agreement", db, "--json", "--as", "sara")
    assert piped.returncode == 0 and piped.stderr == ""
    code, stdout, screen = on_terminal("agreement", db, "--json", "--as", "sara")
    assert code == 0 and "reading layers" in screen
    assert json.loads(stdout) == json.loads(piped.stdout)
