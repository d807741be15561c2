"""Layout 7: a project file of layout 6 gains the link tables and keeps everything it held."""

from __future__ import annotations

from pathlib import Path

from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project
from annotator.store import LAYOUT_VERSION


def test_a_layout_6_project_gains_the_link_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Project.create(path) as project:
        import_documents(project, [Document("a1", "قصف حقل العمر")])
        span = project.session("mona").add_span(1, 0, 3, "ATTACK")
        conn = project.store.db.conn
        for table in ("event_arguments", "events", "relations"):
            conn.execute(f"DROP TABLE {table}")  # as a file from before layout 7
        conn.execute("PRAGMA user_version = 6")
        conn.commit()
    with Project.open(path) as project:
        assert project.store.db.execute("PRAGMA user_version").fetchone()[0] == LAYOUT_VERSION == 7
        session = project.session("mona")
        assert session.spans(1) == [span]
        event = session.add_event(1, span.id, "attack")
        place = session.add_span(1, len("قصف "), len("قصف حقل العمر"), "LOCATION")
        assert session.set_argument(1, event.id, "place", place.id).arguments[0].span == place
