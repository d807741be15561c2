"""Opening a project stays light: no pandas/numpy/jsonschema, sqlite-utils only on first write.

Why these exist: the desk's start time (bench/bench_desk.py) was 13x a bare Qt window because
``sqlite_utils`` imports pandas and numpy whenever they are installed, and the schema module
imported jsonschema. The store now imports sqlite-utils lazily with both marked absent, and
opening a project validates nothing. Each check runs in a fresh interpreter, since this test
process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from annotator.store.connection import _pandas_numpy_absent

HEAVY = ("pandas", "numpy", "jsonschema", "sqlite_utils")
TEXT = "قال مراسل سبوتنيك إن القصف استهدف حقل العمر."

CHILD = """
import json, sys
from annotator.project import Project
heavy = {heavy!r}
loaded = lambda: [m for m in heavy if sys.modules.get(m) is not None]
project = Project.open(sys.argv[1])
session = project.session("mona")
aid = session.queue(limit=1)[0].article_id
seen = {{"open": loaded(), "aid": aid, "text": session.article(aid).text,
        "spans": [(s.start, s.end, s.label) for s in session.spans(aid)]}}
session.save_position(aid, 3)  # the first write builds sqlite-utils' Database
seen["write"] = loaded()
seen["position"] = list(project.store.position("mona"))
seen["left_none"] = [m for m in ("pandas", "numpy") if m in sys.modules and sys.modules[m] is None]
print(json.dumps(seen, ensure_ascii=False))
"""


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    start = len("قال مراسل ")
    span = make_span(TEXT, start, start + len("سبوتنيك"), "ORGANIZATION", "mona")
    with Project.create(path) as project:
        import_documents(project, [Document("a1", TEXT, title="t", spans=(span,))])
    return path


def test_opening_and_reading_imports_nothing_heavy_and_a_write_still_works(project_file):
    code = CHILD.format(heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code, str(project_file)], capture_output=True,
                         text=True, check=True).stdout
    seen = json.loads(out)
    assert seen["open"] == []
    assert seen["text"] == TEXT
    start = len("قال مراسل ")
    assert seen["spans"] == [[start, start + len("سبوتنيك"), "ORGANIZATION"]]
    assert seen["write"] == ["sqlite_utils"]  # ... and still no pandas/numpy behind it
    assert seen["position"] == [seen["aid"], 3]
    assert seen["left_none"] == []  # the None markers are gone: ``import numpy`` works later


def test_pandas_numpy_absent_blocks_then_restores(monkeypatch):
    monkeypatch.delitem(sys.modules, "pandas", raising=False)
    monkeypatch.delitem(sys.modules, "numpy", raising=False)
    with _pandas_numpy_absent():
        with pytest.raises(ImportError):
            import pandas  # noqa: F401
        with pytest.raises(ImportError):
            import numpy  # noqa: F401
    assert "pandas" not in sys.modules and "numpy" not in sys.modules


def test_pandas_numpy_absent_leaves_an_imported_module_alone(monkeypatch):
    sentinel = object()
    monkeypatch.setitem(sys.modules, "numpy", sentinel)
    with _pandas_numpy_absent():
        assert sys.modules["numpy"] is sentinel
    assert sys.modules["numpy"] is sentinel


def test_lazy_database_runs_sql_and_builds_sqlite_utils_on_demand(project_file):
    with Project.open(project_file) as project:
        db = project.store.db
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        assert db.execute("SELECT doc_id FROM articles WHERE id = ?", [1]).fetchone()[0] == "a1"
        assert db["articles"].count == 1  # sqlite-utils' Table, through the lazy wrapper
        assert "spans" in db.table_names()
