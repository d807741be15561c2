"""Work packages that cannot be forged: every attack of issue 10 on ``merge``, refused in one line.

A package is a file its holder edits with any SQLite tool, so each test forges one the way an
adversarial annotator would, merges it through the CLI (exit 2, one line, no traceback) or the
core, and checks that the project is unchanged and no other layer was touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.errors import PermissionDenied, ProjectError
from annotator.project import Project
from annotator.team import members as teams
from annotator.team.packages import merge, pack
from tests.core.package_kit import (
    OTHER_TEXT,
    keys,
    labelled_package,
    merge_cli,
    packing_team,
    snapshot,
    tamper,
)
from tests.core.team_kit import DAMASCUS, MINISTER, SUNDAY, aid, make_team_project


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Project]:
    with packing_team(tmp_path / "news.db") as project:
        yield project


# --- each forgery: exit 2, one line, the project unchanged -----------------------------------

LAYER_TO = (
    "UPDATE spans SET annotator = '{0}'",
    "UPDATE article_states SET user = '{0}'",
    "UPDATE assignments SET user = '{0}'",
    "UPDATE users SET name = '{0}'",
    "UPDATE project_meta SET value = '{0}' WHERE key = 'package.user'",
)

ATTACKS = {
    # attack: (statements run on mona's labelled package, what the one line says)
    "rewritten to ali": (
        [s.format("ali") for s in LAYER_TO],
        "says it is 'ali''s package, but it was issued to mona",
    ),
    "claims reviewer huda": (
        [s.format("huda") for s in LAYER_TO],
        "says it is 'huda''s package, but it was issued to mona",
    ),
    "claims suggest:crf": (
        [s.format("suggest:crf") for s in LAYER_TO],
        "says it is 'suggest:crf''s package, but it was issued to mona",
    ),
    "claims gold in its spans": (
        ["UPDATE spans SET annotator = 'gold'"],
        "holds spans of layer 'gold'",
    ),
    "unregistered id": (
        [f"UPDATE project_meta SET value = '{'0' * 32}' WHERE key = 'package.id'"],
        f"package id '{'0' * 16}' was never issued by this project",
    ),
    "label not in the schema": (
        ["UPDATE spans SET label = 'WEAPONX' WHERE label = 'ORGANIZATION'"],
        "label 'WEAPONX' is not in the project's schema",
    ),
    "state not known": (
        ["UPDATE article_states SET state = 'approved'"],
        "unknown article state 'approved'",
    ),
    "span text not the project's": (
        [
            f"UPDATE spans SET text = '{OTHER_TEXT[: MINISTER[1] - MINISTER[0]]}'"
            " WHERE label = 'ORGANIZATION'"
        ],
        "is not the project's text there",
    ),
    "offsets out of range": (
        ['UPDATE spans SET start = start + 1000, "end" = "end" + 1000'],
        "is not the project's text there",
    ),
    "view named like a table": (
        [
            "ALTER TABLE spans RENAME TO spans_real",
            "CREATE VIEW spans AS SELECT * FROM spans_real",
        ],
        "holds a view (spans), which no package has",
    ),
    "trigger": (
        ["CREATE TRIGGER evil AFTER INSERT ON spans BEGIN SELECT 1; END"],
        "holds a trigger (evil)",
    ),
    "unexpected table": (["CREATE TABLE evil (x)"], "holds an unexpected table (evil)"),
    "unexpected column": (
        ["ALTER TABLE spans ADD COLUMN evil TEXT"],
        "table spans differs from the layout of version",
    ),
    "non-integer offsets": (
        ["UPDATE spans SET start = 'four'"],
        "spans.start holds a value that is not integer",
    ),
    "schema version not a number": (
        ["UPDATE project_meta SET value = 'x1' WHERE key = 'package.source_schema_version'"],
        "its schema version 'x1' is not a number",
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_forged_package_is_refused_in_one_line_and_nothing_changes(
    team: Project, tmp_path: Path, attack: str
) -> None:
    statements, message = ATTACKS[attack]
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, *statements)
    before = snapshot(team.path)
    code, output = merge_cli(team.path, out)
    assert code == 2, output
    assert message in output and "nothing merged" in output, output
    assert output.count("\n") == 1 and "Traceback" not in output
    assert snapshot(team.path) == before


def test_a_30_mb_label_is_refused_before_it_is_read(team: Project, tmp_path: Path) -> None:
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, "UPDATE spans SET label = ?", params=("L" * 30_000_000,))
    before = snapshot(team.path)
    code, output = merge_cli(team.path, out)
    assert code == 2 and output.count("\n") == 1, output
    assert "spans.label holds a value that is not text or longer than 100,000 characters" in output
    assert snapshot(team.path) == before


def test_only_the_issued_layer_changes_whatever_the_package_says(
    team: Project, tmp_path: Path
) -> None:
    """Today's attack: mona's package relabelled 'ali' wiped ali's spans (here: his دمشق)."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, *(s.format("ali") for s in LAYER_TO), "DELETE FROM spans")
    ali_before = keys(team, "ali")
    with pytest.raises(PermissionDenied, match="issued to mona"):
        merge(team.session("sara"), out)
    assert keys(team, "ali") == ali_before == sorted([(*DAMASCUS, "LOCATION"), (*SUNDAY, "DATE")])
    with pytest.raises(PermissionDenied, match="issued to mona, not to ali"):
        merge(team.session("sara"), out, for_user="ali")


def test_planner_statistics_in_a_package_are_not_an_attack(team: Project, tmp_path: Path) -> None:
    """ANALYZE (which any SQLite tool may run) adds sqlite_stat1: it steers plans, runs nothing."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, "ANALYZE")
    assert merge(team.session("sara"), out).totals() == (1, 0, 0)


def test_a_registered_package_merges_from_the_projects_record_not_its_own(
    team: Project, tmp_path: Path
) -> None:
    """The base the package carries is not read (here: broken JSON); the project's record is."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, "UPDATE project_meta SET value = '{broken' WHERE key = 'package.base_spans'")
    report = merge(team.session("sara"), out)
    assert report.user == "mona" and report.totals() == (1, 0, 0)
    assert keys(team, "mona") == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    assert team.store.state(aid(team, "a1"), "mona") == "done"


def test_suggestions_made_in_the_package_are_skipped_not_merged(
    team: Project, tmp_path: Path
) -> None:
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, "UPDATE spans SET annotator = 'suggest:crf' WHERE label = 'ORGANIZATION'")
    report = merge(team.session("sara"), out)
    assert report.ignored_spans == 1 and report.totals() == (0, 0, 0)
    assert team.store.spans(aid(team, "a1"), ["suggest:crf"]) == []


def test_an_article_not_packed_for_her_is_refused(tmp_path: Path) -> None:
    """An article of the project (ali's, not hers) slipped into mona's package, with a span."""
    with make_team_project(tmp_path / "news.db") as project:
        teams.assign(project.session("sara"), ["ali", "mona"], 1, seed=1)
        mine = set(project.store.assigned_articles("mona"))
        other = next(a for a in project.store.iter_articles() if a.id not in mine)
        out = tmp_path / "mona.annot"
        pack(project.session("sara"), "mona", out)
        tamper(
            out,
            "INSERT INTO articles (id, doc_id, title, text, meta, content_hash)"
            " VALUES (99, ?, '', ?, '{}', ?)",
            params=(other.doc_id, other.text, other.content_hash),
        )
        tamper(
            out,
            'INSERT INTO spans (article_id, start, "end", label, text, annotator)'
            " VALUES (99, 0, 3, 'EVENT', ?, 'mona')",
            params=(other.text[:3],),
        )
        with pytest.raises(ProjectError, match=f"article '{other.doc_id}' was not packed"):
            merge(project.session("sara"), out)
        assert project.store.spans(other.id, ["mona"]) == []


# --- who a package may be for ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["huda", "sara", "gold", "suggest:crf", "model-x", "stranger"])
def test_packages_are_only_for_annotators(team: Project, tmp_path: Path, name: str) -> None:
    teams.assign(team.session("sara"), ["huda", "sara"], 1, seed=1)
    with pytest.raises(PermissionDenied, match="packages are for annotators"):
        pack(team.session("sara"), name, tmp_path / "x.annot")
    assert not (tmp_path / "x.annot").exists()


def test_a_package_from_before_registration_needs_for(team: Project, tmp_path: Path) -> None:
    """A package packed by an older release carries no id: only the admin can say whose it is."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, "DELETE FROM project_meta WHERE key = 'package.id'")
    code, output = merge_cli(team.path, out)
    assert code == 2 and "cannot prove whose it is; give --for NAME" in output, output
    code, output = merge_cli(team.path, out, "--for", "ali")
    assert code == 2 and "says it is 'mona''s package, but --for names ali" in output, output
    code, output = merge_cli(team.path, out, "--for", "huda")
    assert code == 2 and "huda is a reviewer" in output, output
    code, output = merge_cli(team.path, out, "--for", "mona")
    assert code == 0, output
    assert output.startswith("merged mona: 1 added, 0 changed, 0 removed")


def test_a_package_of_the_previous_layout_merges_with_for(team: Project, tmp_path: Path) -> None:
    """Packed by the release before the registry (layout 4, no id): its own layout is checked."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(
        out,
        "DELETE FROM project_meta WHERE key = 'package.id'",
        "DROP TABLE gold_link_decisions",  # layout 8's link decisions
        "DROP TABLE event_arguments",  # layout 7's links
        "DROP TABLE events",
        "DROP TABLE relations",
        "DROP TABLE work_packages",
        "DROP INDEX idx_history_client_id",  # layout 10
        "ALTER TABLE history DROP COLUMN client_id",
        "DROP TABLE claims",  # layout 9
        # layout 6 made priorities per user: back to layout 4's shared table
        "DROP TABLE article_priority",
        "CREATE TABLE article_priority (article_id INTEGER PRIMARY KEY REFERENCES articles(id),"
        " score REAL NOT NULL, model TEXT, computed_at TEXT)",
        "CREATE INDEX idx_article_priority_score ON article_priority (score DESC, article_id)",
        "PRAGMA user_version = 4",
    )
    report = merge(team.session("sara"), out, for_user="mona")
    assert report.totals() == (1, 0, 0)
    assert keys(team, "mona") == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    tamper(out, "CREATE VIEW v AS SELECT 1")
    with pytest.raises(ProjectError, match="holds a view"):
        merge(team.session("sara"), out, for_user="mona")


def test_bad_json_in_an_old_packages_metadata_is_one_line(team: Project, tmp_path: Path) -> None:
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(
        out,
        "DELETE FROM project_meta WHERE key = 'package.id'",
        "UPDATE project_meta SET value = '{\"x\": [[0, 1' WHERE key = 'package.base_spans'",
    )
    before = snapshot(team.path)
    code, output = merge_cli(team.path, out, "--for", "mona")
    assert code == 2 and output.count("\n") == 1, output
    assert "base spans are not valid JSON" in output and "Traceback" not in output
    assert snapshot(team.path) == before


def test_a_nul_cannot_hide_a_huge_value_from_the_size_check(team: Project, tmp_path: Path) -> None:
    """SQLite's length() stops at the first NUL: a 20 MB value behind one passed the 16 MB limit
    on metadata, was read whole, and the package merged."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, "UPDATE project_meta SET value = char(0) || ? WHERE key = 'package.created_at'",
           params=("9" * 20_000_000,))
    before = snapshot(team.path)
    code, output = merge_cli(team.path, out)
    assert code == 2 and output.count("\n") == 1, output
    assert "project_meta.value holds a value that is not text or longer than 16,000,000" in output
    assert snapshot(team.path) == before


def test_a_package_of_millions_of_tiny_rows_is_refused_by_a_count(
    team: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """10 million valid-looking spans (1 GB) took 62 s and 2.4 GB before the read deadline ended
    it; now a count refuses them before any row is read (the limit lowered here to stay fast;
    docs/reliability.md gives the figures at 10 million)."""
    from annotator.store import package_file

    monkeypatch.setattr(package_file, "MAX_ROWS", 50)
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, 'INSERT INTO spans (article_id, start, "end", label, text, annotator)'
                " WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 50)"
                " SELECT 1, 1000 + i, 1001 + i, 'LOCATION', 'x', 'mona' FROM k")
    before = snapshot(team.path)
    code, output = merge_cli(team.path, out)
    assert code == 2 and output.count("\n") == 1, output
    assert "spans holds more than 50 rows, more than any work package; nothing merged" in output
    assert snapshot(team.path) == before


# --- replays: an old package merged over newer work --------------------------------------------


def _package_dropping_damascus(project: Project, out: Path) -> Path:
    """mona's package in which she removed her دمشق and labelled وزير الدفاع."""
    pack(project.session("sara"), "mona", out)
    with Project.open(out) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        assert p1 is not None
        mona = package.session("mona")
        mona.remove_span(p1, next(s.id for s in mona.spans(p1) if s.label == "LOCATION"))  # type: ignore[arg-type]
        mona.add_span(p1, *MINISTER, "ORGANIZATION")
    return out


def test_an_old_package_replayed_after_a_newer_merge_is_refused(
    team: Project, tmp_path: Path
) -> None:
    """Replaying mona's first package after her second was merged removed دمشق, which she had
    put back in the second: acknowledged work lost."""
    first = _package_dropping_damascus(team, tmp_path / "first.annot")
    assert merge(team.session("sara"), first).totals() == (1, 0, 1)
    second = tmp_path / "second.annot"
    pack(team.session("sara"), "mona", second)
    with Project.open(second) as package:
        p1 = package.store.article_id_by_doc_id("a1")
        assert p1 is not None
        package.session("mona").add_span(p1, *DAMASCUS, "LOCATION")
    assert merge(team.session("sara"), second).totals() == (1, 0, 0)
    before = snapshot(team.path)
    code, output = merge_cli(team.path, first)
    assert code == 2 and output.count("\n") == 1, output
    assert "a newer package of mona's was merged already; this older one would undo it" in output
    assert snapshot(team.path) == before
    assert keys(team, "mona") == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]
    assert merge(team.session("sara"), second).totals() == (0, 0, 0)  # a rerun changes nothing


def test_a_package_merged_again_after_her_work_in_the_project_is_refused(
    team: Project, tmp_path: Path
) -> None:
    """Merged, then mona labels دمشق again at the project's desk: the same package merged a
    second time removed it again."""
    first = _package_dropping_damascus(team, tmp_path / "first.annot")
    assert merge(team.session("sara"), first).totals() == (1, 0, 1)
    assert merge(team.session("sara"), first).totals() == (0, 0, 0)  # nothing changed since
    team.session("mona").add_span(aid(team, "a1"), *DAMASCUS, "LOCATION")
    with pytest.raises(ProjectError, match="merged already .*, and mona's layer changed since"):
        merge(team.session("sara"), first)
    assert keys(team, "mona") == [(*MINISTER, "ORGANIZATION"), (*DAMASCUS, "LOCATION")]


# --- files that are not packages: refused already, kept as tests ---------------------------------


def test_files_that_are_not_packages_are_refused_in_one_line(team: Project, tmp_path: Path) -> None:
    import os

    text = tmp_path / "notes.annot"
    text.write_text("not sqlite at all\n", encoding="utf-8")
    fifo = tmp_path / "pipe.annot"
    os.mkfifo(fifo)
    itself = tmp_path / "itself.annot"
    itself.symlink_to(team.path)  # the project itself, offered as a package
    before = snapshot(team.path)
    for path, message in ((text, "not a readable work package (file is not a database)"),
                          (fifo, "no such package"),
                          (itself, "not a work package (made by 'annotator pack')")):
        code, output = merge_cli(team.path, path)
        assert code == 2 and output.count("\n") == 1 and message in output, output
    assert snapshot(team.path) == before


def test_a_uri_in_the_packages_name_is_only_a_name(team: Project, tmp_path: Path) -> None:
    """``x.annot?mode=rw&immutable=0``: percent-encoded in the URI, it cannot reopen the file
    read-write; the package merges and is not written."""
    import hashlib

    out = labelled_package(team, tmp_path / "mona.annot")
    odd = out.rename(tmp_path / "mona.annot?mode=rwc&immutable=0")
    digest = hashlib.sha256(odd.read_bytes()).hexdigest()
    assert merge(team.session("sara"), odd).totals() == (1, 0, 0)
    assert hashlib.sha256(odd.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("mona")) == [odd.name]


def test_an_article_whose_text_was_changed_in_the_package_is_the_projects_text(
    team: Project, tmp_path: Path
) -> None:
    """The package's text is never read: spans are checked against the project's text, so a
    span over rewritten text (same hash kept) is refused, and a new hash is not in the project."""
    out = labelled_package(team, tmp_path / "mona.annot")
    tamper(out, "UPDATE articles SET text = ? WHERE doc_id = 'a1'",
           "UPDATE spans SET text = substr(?, start + 1, \"end\" - start)",
           params=(OTHER_TEXT * 3,))
    code, output = merge_cli(team.path, out)
    assert code == 2 and "is not the project's text there" in output, output
    tamper(out, "UPDATE articles SET content_hash = 'g' || substr(content_hash, 2)")
    code, output = merge_cli(team.path, out)
    assert code == 2 and "package article 'a1' is not in the project" in output, output


def test_a_span_on_an_invisible_mark_is_refused(tmp_path: Path) -> None:
    """The desk moves a span's ends off LRM/RLM (Session.add_span); a package could store
    ``\\u200fدمشق`` as mona's span, a training token no reader sees."""
    text = "زار الوزير \u200fدمشق اليوم"
    with make_team_project(tmp_path / "news.db", [text]) as project:
        teams.assign(project.session("sara"), ["mona"], 1, seed=1)
        out = tmp_path / "mona.annot"
        pack(project.session("sara"), "mona", out)
        start, end = len("زار الوزير "), len("زار الوزير \u200fدمشق")
        tamper(out, 'INSERT INTO spans (article_id, start, "end", label, text, annotator)'
                    " VALUES (1, ?, ?, 'LOCATION', ?, 'mona')", params=(start, end, text[start:end]))
        with pytest.raises(ProjectError, match="starts or ends on an invisible direction mark"):
            merge(project.session("sara"), out)
        assert project.store.spans(aid(project, "a1"), ["mona"]) == []
        tamper(out, "UPDATE spans SET start = start + 1, text = substr(text, 2)")  # as the desk makes
        assert merge(project.session("sara"), out).totals() == (1, 0, 0)
