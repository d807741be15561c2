"""Interop tests: our exports read by the real tools (spaCy convert/train, datasets, seqeval,
a running Label Studio). Marked ``interop`` and left out of every run that does not ask for them
(``pytest -m interop``; ``scripts/interop.sh`` installs what they need and runs them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.exporting import ExportOptions, ExportResult, export_project
from annotator.importing import import_documents
from annotator.project import Project
from annotator.reading import ReadOptions, read_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SOURCES = [FIXTURES / "aqmar_suggest.conll", FIXTURES / "aqmar_damascus.conll",
           FIXTURES / "aqmar_noisy.txt"]
"""Six AQMAR documents (CC BY-SA, see tests/fixtures/README.md): real Arabic NER with real noise."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect interop tests unless the marker expression names them, as ``slow`` is in CI."""
    if "interop" in (config.getoption("markexpr") or ""):
        return
    keep = [item for item in items if item.get_closest_marker("interop") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture
def aqmar_project(tmp_path: Path):
    """A project holding the AQMAR fixtures as an imported (finished, human) layer."""
    with Project.create(tmp_path / "aqmar.db") as project:
        docs = read_paths(SOURCES, ReadOptions(format="conll"))
        import_documents(project, docs, new_labels="add")
        yield project


def export(project: Project, out: Path, **options: object) -> ExportResult:
    return export_project(project, out, ExportOptions(**options))  # type: ignore[arg-type]
