"""``annotator copy``: every table and id kept, refused over a project, nothing half-written.

The file -> server -> file round trip runs in ``test_copy_pg.py`` when a server is available;
here the same checks on file -> file, so the default suite proves the copy itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.copying import copy_project
from annotator.model import Event, Relation
from annotator.project import Project
from annotator.store import Store
from annotator.team import claims
from annotator.team.packages import pack
from tests.core.team_kit import aid, label_a1, make_team_project


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def tables(path: Path) -> dict[str, list[tuple]]:
    store = Store(path, read_only=True)
    try:
        return {name: [tuple(r) for r in rows] for name, _, rows in store.dump_tables()}
    finally:
        store.close()


def busy_team(path: Path, tmp: Path) -> Path:
    """A project with every kind of row: spans, an undone action, a package, a claim, states."""
    with make_team_project(path) as project:
        label_a1(project)
        mona = project.session("mona")
        a2 = aid(project, "a2")
        mona.add_span(a2, 0, len("قال"), "PERSON")
        mona.undo(a2)
        mona.set_state(a2, "done")
        claims.claim_next(project.session("ali"))
        project.store.assign(aid(project, "a3"), "omar")
        pack(project.session("sara"), "omar", tmp / "omar.annot")
        _link(project)
    return path


def _link(project: Project) -> None:
    """Main's link tables too (layouts 7 and 8): a relation, an event with an argument and a
    review decision on a link slot, written straight to the store (a copy moves rows; whether
    the schema allows them is the session's business, tested elsewhere)."""
    a1, store = aid(project, "a1"), project.store
    minister, damascus = (next(s for s in store.spans(a1, ["ali"]) if s.label == label)
                          for label in ("ORGANIZATION", "LOCATION"))
    with store.transaction():
        store.insert_relation(a1, Relation("located-in", minister, damascus, "ali"))
        event = store.insert_event(a1, Event("attack", minister, (), "ali"))
        assert event.id is not None
        store.insert_argument(event.id, "place", damascus.id)  # type: ignore[arg-type]
        store.set_link_decision(a1, "relation:located-in:x", "accept", "{}", "huda", "t1")


def test_a_copy_holds_every_row_and_exports_the_same_bytes(tmp_path: Path) -> None:
    source = busy_team(tmp_path / "news.db", tmp_path)
    report = copy_project(source, tmp_path / "copy.db")
    before, after = tables(source), tables(tmp_path / "copy.db")
    assert after == before
    assert before["history"] and before["work_packages"] and before["claims"]
    assert before["article_search"] and before["spans"]
    assert before["relations"] and before["events"] and before["event_arguments"]
    assert before["gold_link_decisions"]
    assert report.articles == len(before["articles"])
    assert report.rows == sum(len(rows) for rows in before.values())
    for fmt in ("jsonl", "conll"):
        for name, project_path in (("a", source), ("b", tmp_path / "copy.db")):
            out = tmp_path / f"{name}.{fmt}"
            code, _, err = invoke("export", project_path, "-o", out, "--format", fmt,
                                  "--source", "all", "--include-unfinished", "--as", "sara")
            assert code == 0, err
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()
        assert (tmp_path / f"a.{fmt}").stat().st_size > 100
    with Project.open(tmp_path / "copy.db") as copy:  # the undone action can be redone there
        a2 = aid(copy, "a2")
        assert copy.session("mona").redo(a2) and copy.session("mona").spans(a2)
        assert [r.doc_id for r in copy.session("mona").queue(search="الخارجية")] == ["a2"]


def test_a_copy_refuses_to_overwrite_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    source = busy_team(tmp_path / "news.db", tmp_path)
    (tmp_path / "taken.db").write_bytes(b"someone's file")
    code, out, err = invoke("copy", source, tmp_path / "taken.db")
    assert (code, out) == (2, "")
    assert err == (f"annotator: error: {tmp_path / 'taken.db'}: already exists; refusing to "
                   "overwrite it (--replace does)\n")
    assert (tmp_path / "taken.db").read_bytes() == b"someone's file"
    code, out, _ = invoke("copy", source, tmp_path / "taken.db", "--replace")
    assert code == 0 and out.startswith(f"copied {source} to {tmp_path / 'taken.db'}: 6 articles, ")
    assert tables(tmp_path / "taken.db") == tables(source)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".annotator-tmp")) == []


def test_a_failing_copy_leaves_the_target_as_it_was(tmp_path: Path, monkeypatch) -> None:
    source = busy_team(tmp_path / "news.db", tmp_path)
    original = Store.load_tables

    def fail_half_way(self, tables):  # noqa: ANN001, ANN202
        original(self, tables)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Store, "load_tables", fail_half_way)
    code, _, err = invoke("copy", source, tmp_path / "new.db")
    assert code == 2 and err == f"annotator: error: {tmp_path / 'new.db'}: No space left on device\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.db", "omar.annot"]


def test_copy_from_a_missing_project_is_one_line(tmp_path: Path) -> None:
    code, _, err = invoke("copy", tmp_path / "none.db", tmp_path / "new.db")
    assert code == 2 and err.startswith(f"annotator: error: {tmp_path / 'none.db'}")
    assert len(err.splitlines()) == 1
    with pytest.raises(Exception, match="the source itself"):
        copy_project(tmp_path / "new.db", tmp_path / "new.db")
