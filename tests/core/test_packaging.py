"""What the wheel ships: every package folder is declared (setuptools warned and would drop
``annotator.data.samples``, the demo articles), and its data files are declared too."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO

tomllib = pytest.importorskip("tomllib") if sys.version_info >= (3, 11) else None


def config() -> dict:
    if tomllib is None:
        pytest.skip("tomllib needs Python 3.11")
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def importable_folders(top: str) -> set[str]:
    """Folders Python can import under ``top`` (any folder with a valid name, code or not)."""
    root = REPO / top
    return {top} | {
        ".".join((top, *p.relative_to(root).parts))
        for p in root.rglob("*")
        if p.is_dir() and p.name.isidentifier() and "__pycache__" not in p.parts
    }


def test_every_importable_folder_is_a_declared_package():
    packages = set(config()["packages"])
    assert importable_folders("annotator") | importable_folders("ui") <= packages


def test_demo_articles_and_schemas_are_package_data():
    data = config()["package-data"]
    samples = list((REPO / "annotator" / "data" / "samples").glob("JA-*.txt"))
    assert len(samples) == 6 and "*.txt" in data["annotator.data.samples"]
    assert "*.json" in data["annotator.schemas"]
    assert config()["package-dir"]["annotator.schemas"] == "schemas"
