"""Fixtures every test folder shares: where ../shared is, and the repo's own fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture
def shared_dir() -> Path:
    """The sibling ``../shared`` folder with real corpora; skips the test when it is absent."""
    if not (SHARED / "corpora").is_dir():
        pytest.skip("../shared is not present on this machine")
    return SHARED


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
