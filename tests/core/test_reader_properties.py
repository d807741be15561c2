"""Bad input, generated: every case imports or ends in the project's own error, DB unchanged.

CI runs a few hundred cases; ``bench/bench_fuzz_readers.py`` runs 10,000+ with the same strategies.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from annotator.errors import InputError
from annotator.project import Project
from tests.core import fuzz_kit
from tests.core.fuzz_kit import Case, run_case

CI_EXAMPLES = 200
_SETTINGS = settings(
    max_examples=CI_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def workspace() -> Iterator[tuple[Project, Path]]:
    """One project for all cases of the module (a fresh one per case would dominate the time)."""
    with (
        tempfile.TemporaryDirectory() as folder,
        Project.create(Path(folder) / "news.db") as project,
    ):
        inputs = Path(folder) / "in"
        inputs.mkdir()
        yield project, inputs


@_SETTINGS
@given(case=fuzz_kit.CASES)
def test_any_input_imports_or_fails_cleanly(workspace: tuple[Project, Path], case: Case) -> None:
    run_case(*workspace, case)


@_SETTINGS
@given(case=fuzz_kit.broken_conll())
def test_broken_conll(workspace: tuple[Project, Path], case: Case) -> None:
    run_case(*workspace, case)


@_SETTINGS
@given(case=fuzz_kit.malformed_json_lines())
def test_malformed_json_lines(workspace: tuple[Project, Path], case: Case) -> None:
    run_case(*workspace, case)


# --- fixed cases: the error names the file and line ----------------------------------------------


def _case(name: str, text: str, fmt: str = "auto") -> Case:
    return Case("fixed", name, text.encode("utf-8"), fmt)


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (
            "bad.jsonl",
            '{"id": "a", "text": "دمشق"}\n{"id": "b", "text": "حلب", "spans": [{"start": 2, "end": 1, "label": "LOCATION"}]}\n',
            2,
        ),
        (
            "bad.jsonl",
            '{"id": "a", "text": "دمشق", "spans": [{"start": 0, "end": 99, "label": "LOCATION"}]}\n',
            1,
        ),
        ("bad.jsonl", '{"id": "a", "text": "دمشق"}\n{"id": "b", "text": \n', 2),
        ("bad.conll", "دمشق\tB-LOC\nفي\n", 2),
    ],
    ids=["reversed-span", "span-out-of-range", "cut-json-line", "conll-missing-tag"],
)
def test_errors_name_file_and_line(
    workspace: tuple[Project, Path], name: str, text: str, line: int
) -> None:
    error = run_case(*workspace, _case(name, text))
    assert isinstance(error, InputError), error
    assert (Path(error.path).name, error.line) == (name, line)


def test_a_good_file_after_bad_ones_still_imports(workspace: tuple[Project, Path]) -> None:
    """The checker is not vacuous: a valid file does change the project."""
    project, folder = workspace
    before = project.store.count("articles")
    name, data = fuzz_kit.VALID["jsonl"]
    assert run_case(project, folder, Case("valid", name, data, new_labels="add")) is None
    assert project.store.count("articles") >= before  # already there from a fuzz case, or new
    assert project.store.article_id_by_doc_id("d1") is not None
