"""Files from elsewhere: unsafe XML refused at import, nothing written outside a target, packages
from another project, a newer layout or a newer schema refused — the project left unchanged."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.backup import backup, restore_backup
from annotator.cli import cli
from annotator.errors import InputError, ProjectError
from annotator.exporting import ExportOptions, export_project
from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from annotator.reading import ReadOptions, read_paths
from annotator.store import LAYOUT_VERSION
from annotator.team import members as teams
from annotator.team.packages import merge, pack
from tests.core.fuzz_kit import fingerprint
from tests.core.team_kit import make_team_project

BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE DOC [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">\n' for i in range(1, 10)
    )
    + "]>\n<DOC><DOCNO>x</DOCNO><TEXT>&lol9;</TEXT></DOC>\n"
)
XXE = '<!DOCTYPE DOC [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<DOC><TEXT>&e;</TEXT></DOC>\n'
# doc ids and titles that would escape a folder if anything ever used them as file names
TRICKY_IDS = ("../../escaped", "/tmp/absolute", "..\\..\\windows", "a/../../b", "nul", "x\0y")


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work happens in tmp_path/work with that as the current folder; tmp_path is the outside."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


# --- XML-like files ----------------------------------------------------------------------------


def test_billion_laughs_is_refused_at_import_quickly(sandbox: Path) -> None:
    (sandbox / "bomb.xml").write_text(BOMB, encoding="utf-8")
    with Project.create(sandbox / "news.db") as project:
        before = fingerprint(project)
        started = time.perf_counter()
        with pytest.raises(InputError, match="refused unsafe XML") as caught:
            import_documents(project, read_paths([sandbox / "bomb.xml"], ReadOptions()))
        assert time.perf_counter() - started < 1.0  # refused before any expansion, not after
        assert Path(caught.value.path).name == "bomb.xml" and caught.value.line is not None
        assert fingerprint(project) == before


def test_xml_in_a_txt_file_is_never_expanded(sandbox: Path) -> None:
    """A .txt holding an XML article (``<DOC>``, declared or not) is read as ANT, safely: entity
    declarations are refused, never expanded, and the project is unchanged."""
    (sandbox / "bomb.txt").write_text(BOMB, encoding="utf-8")
    (sandbox / "doc.txt").write_text(
        "<DOC><DOCNO>x</DOCNO><TEXT>&lol9;</TEXT></DOC>\n", encoding="utf-8"
    )
    (sandbox / "prose.txt").write_text("خبر يذكر <DOC> في وسطه\n", encoding="utf-8")
    with Project.create(sandbox / "news.db") as project:
        import_documents(project, read_paths([sandbox / "prose.txt"], ReadOptions()))
        (article,) = project.store.iter_articles()
        assert article.text == "خبر يذكر <DOC> في وسطه"  # prose that mentions a tag is prose
        before = fingerprint(project)
        for name in ("bomb.txt", "doc.txt"):
            with pytest.raises(InputError, match=name):
                import_documents(project, read_paths([sandbox / name], ReadOptions()))
            assert fingerprint(project) == before


def test_external_entity_is_refused_through_the_cli(sandbox: Path) -> None:
    (sandbox / "xxe.xml").write_text(XXE, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "news.db"]).exit_code == 0
    result = runner.invoke(cli, ["import", "news.db", "xxe.xml"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(
        "annotator: error: xxe.xml:1: refused unsafe XML"
    )
    assert "root:" not in result.output  # nothing of /etc/passwd was read
    with Project.open(sandbox / "news.db") as project:
        assert project.store.count("articles") == 0


# --- nothing written outside a target ---------------------------------------------------------


def _tricky_project(path: Path) -> Project:
    project = make_team_project(path)
    text = "زار وزير الدفاع دمشق يوم الأحد ../../escaped"
    import_documents(
        project,
        [
            Document(
                doc_id,
                f"{text} {i}",
                doc_id,
                (
                    make_span(
                        text,
                        len("زار وزير الدفاع "),
                        len("زار وزير الدفاع دمشق"),
                        "LOCATION",
                        "mona",
                    ),
                ),
                {"path": doc_id, "file": f"../{doc_id}"},
            )
            for i, doc_id in enumerate(TRICKY_IDS)
        ],
    )
    teams.assign(project.session("sara"), ["mona"], 1, seed=1)
    return project


def test_pack_merge_and_export_write_only_their_targets(tmp_path: Path, sandbox: Path) -> None:
    with _tricky_project(sandbox / "news.db") as project:
        inside = _tree(sandbox)
        out = sandbox / "packs" / "mona.annot"
        out.parent.mkdir()
        pack(project.session("sara"), "mona", out)
        assert _tree(sandbox) - inside == {"packs", "packs/mona.annot"} - inside
        with Project.open(out) as package:
            package.session("mona").add_span(1, len("زار "), len("زار وزير الدفاع"), "ORGANIZATION")
        inside = _tree(sandbox)
        report = merge(project.session("sara"), out)
        assert report.totals() == (1, 0, 0)
        assert _tree(sandbox) == inside  # merging reads the package, writes only the project
        export_project(project, sandbox / "exports" / "news.conll", ExportOptions(format="conll"))
        export_project(project, sandbox / "exports" / "news.jsonl", ExportOptions(format="jsonl"))
        assert _tree(sandbox) - inside == {
            "exports",
            "exports/news.conll",
            "exports/news.card.md",
            "exports/news.card.json",
            "exports/news.jsonl",
        }
    # Only sandbox changed; nothing appeared beside it or above it.
    assert _tree(tmp_path) - {f"work/{p}" for p in _tree(sandbox)} == {"work"}
    assert not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()


def test_imported_text_files_get_ids_not_paths_outside(sandbox: Path) -> None:
    """A folder import names articles by their path inside the folder; nothing is written."""
    folder = sandbox / "articles" / "sub"
    folder.mkdir(parents=True)
    (folder / "one.txt").write_text("خبر عن دمشق", encoding="utf-8")
    before = _tree(sandbox)
    with Project.create(sandbox / "news.db") as project:
        import_documents(project, read_paths([sandbox / "articles"], ReadOptions()))
        (article,) = project.store.iter_articles()
    assert ".." not in article.doc_id and not Path(article.doc_id).is_absolute()
    assert _tree(sandbox) - before <= {"news.db", "news.db-wal", "news.db-shm"}


# --- packages that must be refused -----------------------------------------------------------


@pytest.fixture
def team(sandbox: Path):
    with make_team_project(sandbox / "news.db") as project:
        teams.assign(project.session("sara"), ["mona"], 1, seed=1)
        yield project


def _labelled_package(project: Project, out: Path) -> Path:
    pack(project.session("sara"), "mona", out)
    with Project.open(out) as package:
        package.session("mona").add_span(1, len("زار "), len("زار وزير الدفاع"), "ORGANIZATION")
    return out


def test_package_from_a_newer_layout_is_refused(team: Project, sandbox: Path) -> None:
    out = _labelled_package(team, sandbox / "mona.annot")
    conn = sqlite3.connect(out)
    conn.execute(f"PRAGMA user_version = {LAYOUT_VERSION + 1}")
    conn.close()
    before = fingerprint(team)
    with pytest.raises(
        ProjectError, match=f"newer annotator \\(layout {LAYOUT_VERSION + 1} > {LAYOUT_VERSION}\\)"
    ):
        merge(team.session("sara"), out)
    assert fingerprint(team) == before


def test_package_with_a_newer_schema_than_the_project_is_refused(
    team: Project, sandbox: Path
) -> None:
    """The project was restored from a backup taken before a label was added; the package was
    packed after: merging it would bring spans of a label the project does not know."""
    old = backup(team.path, sandbox / "before-vehicle.db")
    teams.add_labels(team.session("sara"), ["VEHICLE"])
    pack(team.session("sara"), "mona", sandbox / "mona.annot")
    team.close()
    restore_backup(old, sandbox / "news.db")
    with Project.open(sandbox / "news.db") as restored:
        assert restored.schema.version == 1
        before = fingerprint(restored)
        with pytest.raises(
            ProjectError, match="packed with schema version 2, the project is at version 1"
        ):
            merge(restored.session("sara"), sandbox / "mona.annot")
        assert fingerprint(restored) == before


def test_package_of_another_project_is_refused_through_the_cli(
    team: Project, sandbox: Path
) -> None:
    out = _labelled_package(team, sandbox / "mona.annot")
    with make_team_project(sandbox / "other.db") as other:
        before = fingerprint(other)
    result = CliRunner().invoke(cli, ["merge", "other.db", str(out), "--as", "sara"])
    assert result.exit_code == 2, result.output
    assert "a package of another project" in result.output and "Traceback" not in result.output
    with Project.open(sandbox / "other.db") as other:
        assert fingerprint(other) == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks")
def test_pack_over_a_symlink_replaces_the_link_not_its_target(team: Project, sandbox: Path) -> None:
    """os.replace swaps the name: a link planted at the target cannot redirect the write."""
    victim = sandbox / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = sandbox / "mona.annot"
    link.symlink_to(victim)
    pack(team.session("sara"), "mona", link)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink() and link.stat().st_size > 0
