"""Every CLI command and option that reads or writes a layer, as each role, blind and open.

One table (:data:`ROWS`): a command's arguments, who runs it (``--as``), the project's
visibility, the exit code expected, and a check of what was written or read. The team project
(:func:`template`): sara admin, huda reviewer, ali/mona annotators with spans on a1, gold, an
imported ``model-x`` layer, shared gazetteer suggestions built by sara, a shared CRF, and a
work package for mona.

:func:`test_every_command_and_option_has_a_row` walks the click command tree: a command or an
option with no row (and no explicit "no layer" entry) fails, so a new command cannot be added
without saying who may run it.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.errors import PermissionDenied
from annotator.importing import import_documents
from annotator.model import GOLD, Document, Span
from annotator.project import Project
from annotator.review.adjudication import Adjudicator
from annotator.suggest.crf import Options
from annotator.suggest.layers import suggestion_basis
from annotator.suggest.pipeline import apply_suggestions, train_project
from annotator.team.packages import pack

from .team_kit import A1, DAMASCUS, SUNDAY, aid, label_a1, make_team_project

Check = Callable[[Path, Path, str], None]


@dataclass(frozen=True)
class Row:
    """One run: ``annotator COMMAND PROJECT *args --as actor`` in a ``visibility`` project."""

    args: tuple[str, ...]
    actor: str
    code: int
    check: Check | None = None
    visibility: str = "blind"
    add_as: bool = True  # False: the actor comes from $ANNOTATOR_USER only


# --- the project every row starts from --------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("team")
    db = root / "news.db"
    with make_team_project(db) as project:
        a1 = label_a1(project)  # ali: 2 spans, mona: 3 spans on a1
        Adjudicator(project.session("huda")).accept_agreements(a1)  # gold: دمشق
        with project.store.transaction():  # as if every region were decided: gold exports a1
            project.store.set_state(a1, GOLD, "done")
        import_documents(project, [Document("a1", A1, "t1", (Span(*SUNDAY, "DATE", "يوم الأحد"),))],
                         as_annotator="model-x")
        train_project(project, folds=0, options=Options(max_iterations=5), session=project.session("sara"))
        apply_suggestions(project, sources=["gazetteer"], session=project.session("sara"))
        pack(project.session("sara"), "mona", root / "mona.annot")
        with project.store.transaction():  # mona's own queue order, which no one else may replace
            project.store.replace_priorities("mona", MONA_ORDER, "crf/mona@then")
    record = {"id": "a1", "title": "t1", "text": A1}
    span = {"start": len("زار "), "end": len("زار وزير"), "label": "PERSON", "text": "وزير"}
    _jsonl(root / "gold.jsonl", {**record, "spans": [{**span, "annotator": GOLD}]})
    _jsonl(root / "plain.jsonl", {**record, "spans": [span]})
    _jsonl(root / "newlabel.jsonl", {**record, "spans": [{**span, "label": "VEHICLE"}]})
    (root / "texts.txt").write_text("خبر جديد عن الطقس\n", encoding="utf-8")
    (root / "places.txt").write_text("بيروت\n", encoding="utf-8")
    (root / "map.txt").write_text("PERSON=LOCATION\n", encoding="utf-8")
    with Project.open(db) as project:
        (root / "schema.json").write_text(json.dumps(project.schema_data()), encoding="utf-8")
    return root


def _jsonl(path: Path, record: dict) -> None:
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


def layers(db: Path) -> Counter[str]:
    with Project.open(db) as project:
        return Counter(a for a, _, n in project.store.span_counts_by("annotator") for _ in range(n))


BEFORE = Counter({"ali": 2, "mona": 3, GOLD: 1, "model-x": 1})
MONA_ORDER = {2: 0.5, 1: 0.25}  # article id -> score


def exported(tmp: Path) -> set[str]:
    lines = (tmp / "out.jsonl").read_text(encoding="utf-8").splitlines()
    return {s["annotator"] for line in lines for s in json.loads(line)["spans"]}


# --- checks -------------------------------------------------------------------------------------


def unchanged(db: Path, tmp: Path, out: str) -> None:
    """Nothing written: the layers are as the template left them, no export file."""
    assert {k: v for k, v in layers(db).items() if not k.startswith("suggest:")} == BEFORE
    assert not (tmp / "out.jsonl").exists() and not (tmp / "m.annot").exists()


def added(layer: str, n: int = 1) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        assert layers(db)[layer] == BEFORE[layer] + n

    return check


def export_holds(*names: str) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        assert exported(tmp) == set(names)

    return check


def stats_layers(*names: str, spans: int) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        figures = json.loads(out)
        assert set(figures["spans_per_annotator"]) == set(names)
        assert (figures["articles"], figures["spans"]) == (6, spans)

    return check


def schema_has(label: str, present: bool) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        with Project.open(db) as project:
            assert (label in project.schema.names) == present

    return check


def display_ar(label: str, name: str) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        with Project.open(db) as project:
            assert project.schema.label(label).display_ar == name

    return check


def meta(key: str, value: str | None) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        with Project.open(db) as project:
            assert project.store.get_meta(key) == value

    return check


def own_suggestions(db: Path, tmp: Path, out: str) -> None:
    """ali's gazetteer suggestions come from ali's layer only: never mona's DATE."""
    with Project.open(db) as project:
        spans = project.store.spans(aid(project, "a1"), ["suggest:gazetteer/ali"])
        assert {(s.start, s.end, s.label) for s in spans} == {(*DAMASCUS, "LOCATION")} | {
            (len("زار "), len("زار وزير الدفاع"), "ORGANIZATION")}
        assert suggestion_basis(project.store, "suggest:gazetteer/ali") == ["ali"]


def own_model(db: Path, tmp: Path, out: str) -> None:
    with Project.open(db) as project:
        saved = project.store.load_model("crf/ali")
        assert saved is not None and saved[1]["basis"] == ["ali"]
        assert project.store.load_model("crf")[1]["basis"] == [GOLD]  # type: ignore[index]


def mona_only_package(db: Path, tmp: Path, out: str) -> None:
    with Project.open(tmp / "m.annot") as package:
        assert set(package.store.annotators()) == {"mona"}


def queue_orders(**models: str) -> Check:
    """Who has stored queue priorities, each by which model (its name before ``@``); mona's
    own order, stored by the template, is always untouched."""
    def check(db: Path, tmp: Path, out: str) -> None:
        with Project.open(db) as project:
            store = project.store
            expected = {"mona": "crf/mona", **models}
            assert {u: (store.priority_model(u) or "").split("@")[0]
                    for u in store.priority_users()} == expected
            assert store.priorities("mona") == MONA_ORDER
            for user in models:
                assert len(store.priorities(user)) == 6  # none of the 6 articles is done

    return check


def no_model_for(user: str) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        queue_orders()(db, tmp, out)
        with Project.open(db) as project:
            assert project.store.load_model(f"crf/{user}") is None

    return check


def users_are(**roles: str | None) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        with Project.open(db) as project:
            assert {name: project.store.role_of(name) for name in roles} == roles

    return check


def gold_has(n: int) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        assert layers(db)[GOLD] == n

    return check


def label_count(label: str, n: int) -> Check:
    def check(db: Path, tmp: Path, out: str) -> None:
        with Project.open(db) as project:
            assert project.store.label_counts().get(label, 0) == n

    return check


OUT = ("-o", "{tmp}/out.jsonl")
ADD_VEHICLE = ("{tmp}/newlabel.jsonl", "--layer", "{actor}", "--new-labels", "add")

ROWS: dict[str, list[Row]] = {
    "import": [
        Row(("{tmp}/gold.jsonl",), "ali", 2, unchanged, add_as=False),
        Row(("{tmp}/gold.jsonl",), "ali", 2, unchanged, "open", add_as=False),
        Row(("{tmp}/gold.jsonl",), "huda", 0, added(GOLD), add_as=False),
        Row(("{tmp}/gold.jsonl",), "sara", 0, added(GOLD), add_as=False),
        Row(("{tmp}/plain.jsonl", "--layer", "mona"), "ali", 2, unchanged),
        Row(("{tmp}/plain.jsonl", "--layer", "mona"), "ali", 2, unchanged, "open"),
        Row(("{tmp}/plain.jsonl", "--layer", "ali"), "ali", 0, added("ali")),
        Row(("{tmp}/plain.jsonl", "--layer", "model-y"), "huda", 0, added("model-y")),
        Row(("{tmp}/plain.jsonl", "--layer", "mona"), "huda", 2, unchanged),
        Row(("{tmp}/plain.jsonl", "--layer", "mona"), "sara", 0, added("mona")),
        Row(("{tmp}/plain.jsonl",), "ali", 2, unchanged, add_as=False),  # the 'import' layer
        # new articles change the shared corpus: reviewers and admins only
        Row(("{tmp}/texts.txt", "--format", "txt", "--encoding", "utf-8", "--clean", "--skip-bad"),
            "ali", 2, unchanged, add_as=False),
        Row(("{tmp}/texts.txt", "--format", "txt", "--encoding", "utf-8", "--clean", "--skip-bad"),
            "huda", 0, unchanged, add_as=False),
        Row(ADD_VEHICLE, "ali", 2, schema_has("VEHICLE", False)),
        Row(ADD_VEHICLE, "huda", 2, schema_has("VEHICLE", False)),
        Row(ADD_VEHICLE, "sara", 0, schema_has("VEHICLE", True)),
        # --map-labels / --strict change how labels are read, not which layer is written
        Row(("{tmp}/plain.jsonl", "--layer", "ali", "--strict", "--map-labels", "PERSON=LOCATION"),
            "ali", 0, added("ali")),
        Row(("{tmp}/plain.jsonl", "--layer", "mona", "--map-labels-file", "{tmp}/map.txt"),
            "ali", 2, unchanged),
        # The old spelling: --as names the layer (deprecated), the actor is $ANNOTATOR_USER.
        Row(("{tmp}/plain.jsonl", "--as", "mona"), "ali", 2, unchanged, add_as=False),
        Row(("{tmp}/plain.jsonl", "--as", "ali"), "ali", 0, added("ali"), add_as=False),
    ],
    "export": [
        Row(("--source", "mona", "--include-unfinished", *OUT), "ali", 2, unchanged),
        Row(("--source", "mona", "--include-unfinished", *OUT), "ali", 0, export_holds("mona"), "open"),
        Row(("--source", "mona", "--include-unfinished", *OUT), "huda", 0, export_holds("mona")),
        Row(("--source", "all", *OUT), "ali", 2, unchanged),
        Row(("--source", "all", *OUT, "--format", "jsonl", "--flavor", "native"), "ali", 0,
            export_holds("ali", "mona", GOLD, "model-x", "suggest:gazetteer"), "open"),
        Row(("--source", "all", *OUT), "sara", 0,
            export_holds("ali", "mona", GOLD, "model-x", "suggest:gazetteer")),
        Row(("--source", "gold", *OUT), "ali", 2, unchanged),
        Row(("--source", "gold", *OUT), "huda", 0, export_holds(GOLD)),
        # --include-unfinished: the human work she may read and the articles nobody worked on
        # (enough for two halves; one article cannot fill two).
        Row(("--source", "human", "--include-unfinished", *OUT, "--scheme", "iob2", "--split",
             "50/50", "--seed", "1"), "ali", 0),
        Row(("--source", "ali", "--include-unfinished", *OUT), "ali", 0, export_holds("ali")),
        Row(("--source", "model-x", *OUT), "ali", 0, export_holds("model-x")),
        Row(("--source", "suggest:gazetteer", *OUT), "ali", 2, unchanged),
    ],
    "stats": [
        Row(("--json",), "ali", 0, stats_layers("ali", "model-x", spans=3)),
        Row(("--json",), "ali", 0, stats_layers("ali", "mona", GOLD, "model-x", "suggest:gazetteer",
                                               spans=10), "open"),
        Row(("--json",), "huda", 0, stats_layers("ali", "mona", GOLD, "model-x", "suggest:gazetteer",
                                                spans=10)),
    ],
    "suggest": [
        Row(("--use-layer", "mona"), "ali", 2, meta("suggestion_layers", None)),
        Row(("--use-layer", "mona"), "ali", 2, meta("suggestion_layers", None), "open"),
        Row(("--use-layer", "mona"), "huda", 0, meta("suggestion_layers", '["mona"]')),
        Row(("--gazetteer", "LOCATION", "{tmp}/places.txt"), "ali", 2),
        Row(("--gazetteer", "LOCATION", "{tmp}/places.txt"), "sara", 0),
        Row(("--no-corpus-gazetteer",), "ali", 2, meta("suggest.gazetteer_from_corpus", None)),
        Row(("--corpus-gazetteer",), "huda", 0, meta("suggest.gazetteer_from_corpus", "1")),
        Row(("--apply", "--source", "gazetteer", "--articles", "a1"), "ali", 0, own_suggestions),
        Row(("--apply", "--source", "crf"), "ali", 2),  # the shared CRF learnt from mona and gold
        Row(("--train", "--folds", "0", "--iterations", "5", "--seed", "1"), "ali", 0, own_model),
        Row(("--order", "--limit", "3", "--user", "ali"), "ali", 2, queue_orders()),  # no own model
        # The shared CRF learnt from gold: it orders no annotator's queue, even for an admin.
        Row(("--order", "--limit", "3", "--user", "ali"), "sara", 2, queue_orders()),
        Row(("--order", "--limit", "3", "--user", "huda"), "sara", 0, queue_orders(huda="crf")),
        Row(("--order", "--user", "ali"), "huda", 2, queue_orders()),  # reviewer: not for others
        Row(("--order",), "huda", 0, queue_orders(huda="crf")),
        # ali may order only his own queue, from his own model: mona's order stays hers.
        # (the steps run in a fixed order, --train first, whatever the order of the options)
        Row(("--order", "--user", "mona", "--train", "--folds", "0", "--iterations", "5"), "ali", 2,
            no_model_for("ali")),
        Row(("--order", "--user", "ali", "--train", "--folds", "0", "--iterations", "5"), "ali", 0,
            queue_orders(ali="crf/ali")),
        Row(("--order", "--train", "--folds", "0", "--iterations", "5"), "ali", 0,
            queue_orders(ali="crf/ali"), "open"),
    ],
    "schema": [
        Row(("--add-label", "VEHICLE"), "ali", 2, schema_has("VEHICLE", False)),
        Row(("--add-label", "VEHICLE", "--json"), "sara", 0, schema_has("VEHICLE", True)),
        Row(("--rename", "DATE", "TIME"), "huda", 2, label_count("DATE", 3)),
        Row(("--rename", "DATE", "TIME"), "sara", 0, label_count("TIME", 3)),
        Row(("--rename", "DATE", "LOCATION", "--merge"), "huda", 2, label_count("DATE", 3)),
        Row(("--rename", "DATE", "LOCATION", "--merge"), "sara", 0, label_count("DATE", 0)),
        Row(("--replace", "{tmp}/schema.json"), "ali", 2),
        Row(("--display-name", "DATE", "ar=زمن"), "ali", 2, display_ar("DATE", "تاريخ")),
        Row(("--display-name", "DATE", "ar=زمن"), "sara", 0, display_ar("DATE", "زمن")),
    ],
    "users": [
        Row(("--add", "eve", "--role", "reviewer"), "ali", 2),
        Row(("--add", "eve", "--role", "reviewer"), "sara", 0),
        # logins and passwords are a server's (tests/core/test_pg_cli_users.py): a file refuses
        Row(("--remove", "mona"), "sara", 2, users_are(mona="annotator")),
        Row(("--add", "eve", "--password-stdin"), "sara", 2, users_are(eve=None)),
    ],
    "settings": [
        Row(("--visibility", "open"), "ali", 2, meta("team.visibility", None)),
        Row(("--visibility", "open"), "sara", 0, meta("team.visibility", "open")),
        Row(("--no-auto-accept",), "ali", 2, meta("adjudication.auto_accept", None)),
        Row(("--no-auto-accept",), "huda", 0, meta("adjudication.auto_accept", "0")),
        Row(("--claim-lapse", "5"), "ali", 2, meta("claims.lapse_s", None)),
        Row(("--claim-lapse", "5"), "sara", 0, meta("claims.lapse_s", "300")),
    ],
    "assign": [
        Row(("--users", "ali,mona", "--per-article", "1", "--seed", "1", "--replace"), "ali", 2),
        Row(("--users", "ali,mona", "--per-article", "1", "--seed", "1", "--replace"), "sara", 0),
    ],
    "pack": [
        Row(("--for", "mona", "-o", "{tmp}/m.annot"), "ali", 2, unchanged),
        Row(("--for", "mona", "-o", "{tmp}/m.annot"), "sara", 0, mona_only_package),
    ],
    "merge": [
        Row(("{tmp}/mona.annot",), "ali", 2, unchanged),
        Row(("{tmp}/mona.annot",), "sara", 0),
        Row(("{tmp}/mona.annot", "--for", "ali"), "sara", 2, unchanged),  # issued to mona
        Row(("{tmp}/mona.annot", "--for", "mona"), "sara", 0),
    ],
    "agreement": [
        Row(("--json",), "ali", 2),
        Row(("--json",), "ali", 0, None, "open"),
        Row(("--json", "--by-label", "--by-article"), "huda", 0),
    ],
    "adjudicate": [
        Row((), "ali", 2, gold_has(1)),
        Row((), "ali", 2, gold_has(1), "open"),
        Row((), "huda", 0, gold_has(1)),
    ],
}

NO_LAYER = {
    "init": "makes a new, empty project",
    "backup": "copies the whole file: roles cannot protect a file from whoever holds it",
    "check": "reads the file's integrity, no span",
    "restore": "replaces the whole file from a backup",
    "doctor": "checks the machine, no span",
    "copy": "copies the whole project, as backup does: on a file roles cannot protect it from whoever"
            " holds it; on a server the login's own grants bound what it can read",
    "gui": "the desk: every read and write is a Session call, tested in test_desk_* below",
}
NO_LAYER_OPTIONS = {
    "agreement": {"plot"},  # draws the figures --json already holds
    "import": {"force_encoding"},  # how the files' bytes are decoded, not which layer is written
    "pack": set(),
    "merge": set(),
    "stats": {"watch_s"},  # reprints what --json shows each time it changes (a loop: no row)
}


def _cases() -> list[tuple[str, Row]]:
    return [(command, row) for command, rows in ROWS.items() for row in rows]


@pytest.mark.parametrize(
    ("command", "row"), _cases(),
    ids=[f"{c}-{r.actor}-{r.visibility}-{'_'.join(r.args)[:40]}" for c, r in _cases()])
def test_role_table(template: Path, tmp_path: Path, command: str, row: Row) -> None:
    for name in template.iterdir():
        shutil.copy(name, tmp_path / name.name)
    db = tmp_path / "news.db"
    if row.visibility == "open":
        with Project.open(db) as project, project.store.transaction():
            project.store.set_meta("team.visibility", "open")
    args = [a.format(tmp=tmp_path, actor=row.actor) for a in row.args]
    if row.add_as:
        args += ["--as", row.actor]
    result = CliRunner().invoke(cli, [command, str(db), *args], env={"ANNOTATOR_USER": row.actor},
                                catch_exceptions=False)
    assert result.exit_code == row.code, result.output
    if row.code == 2:  # one line, after any notes of what was read; never a traceback
        assert result.stderr.splitlines()[-1].startswith("annotator: error:")
        assert result.stderr.count("annotator: error:") == 1 and "Traceback" not in result.stderr
    if row.check is not None:
        row.check(db, tmp_path, result.stdout)


def test_every_command_and_option_has_a_row() -> None:
    """A command (or an option of one) that nobody said who may use fails here."""
    group = cli
    assert isinstance(group, click.Group)
    ctx = click.Context(group)
    missing = []
    for name in group.list_commands(ctx):
        if name in NO_LAYER:
            continue
        if name not in ROWS:
            missing.append(name)
            continue
        command = group.get_command(ctx, name)
        assert command is not None
        used = {a for row in ROWS[name] for a in row.args if a.startswith("-")}
        for param in command.params:
            if not isinstance(param, click.Option) or param.name == "help":
                continue
            names = set(param.opts) | set(param.secondary_opts)
            exempt = param.name in NO_LAYER_OPTIONS.get(name, ()) or param.name == "actor"
            if not (names & used or exempt):
                missing.append(f"{name} {param.opts[0]}")
    assert missing == [], (
        "say who may use these: a row in ROWS (reads/writes a layer) or an entry in NO_LAYER /"
        " NO_LAYER_OPTIONS (touches no layer) of tests/core/test_permissions.py")


def test_the_deprecated_import_as_says_so(template: Path, tmp_path: Path) -> None:
    shutil.copy(template / "news.db", tmp_path / "news.db")
    result = CliRunner().invoke(
        cli, ["import", str(tmp_path / "news.db"), str(template / "plain.jsonl"), "--as", "ali"],
        env={"ANNOTATOR_USER": "ali"}, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "annotator: note: 'import --as NAME' for the layer is deprecated; use"
        " --layer NAME (--as will name who runs the command)")


# --- the desk's path: the Session calls the desk makes ----------------------------------------


def test_desk_suggestions_come_only_from_readable_layers(template: Path, tmp_path: Path) -> None:
    """Blind ali: neither sara's shared suggestions (fed from mona and gold) nor mona's layer
    registered as suggestions reach her desk; her own suggestions do; open, she sees them."""
    db = tmp_path / "news.db"
    shutil.copy(template / "news.db", db)
    with Project.open(db) as project:
        a1 = aid(project, "a1")
        ali = project.session("ali")
        from annotator.suggest.layers import register_suggestion_layer

        register_suggestion_layer(project.store, "mona")
        assert {s.annotator for s in ali.pending_suggestions(a1)} == {"model-x"}
        assert ali.readable_layers() == ["ali", "model-x"]
        assert not ali.can_read("mona") and not ali.can_read("suggest:gazetteer")
        apply_suggestions(project, sources=["gazetteer"], session=ali)
        assert ali.readable_layers() == ["ali", "model-x", "suggest:gazetteer/ali"]
        assert not project.session("mona").can_read("suggest:gazetteer/ali")
        with project.store.transaction():
            project.store.set_meta("team.visibility", "open")
        assert ali.can_read("mona") and ali.can_read("suggest:gazetteer")
        assert not ali.can_write("mona")


def test_solo_project_everyone_acts_as_admin(tmp_path: Path) -> None:
    with Project.create(tmp_path / "solo.db") as project:
        session = project.session("omar")
        assert session.role == "annotator" and session.acting_role == "admin"
        assert session.sees_all() and session.can_write(GOLD) and session.can_read("anyone")


def test_a_colleagues_span_cannot_be_accepted_or_rejected_as_a_suggestion(
    template: Path, tmp_path: Path
) -> None:
    """The desk offers only readable suggestions; the session refuses the rest from any caller."""
    shutil.copy(template / "news.db", tmp_path / "news.db")
    with Project.open(tmp_path / "news.db") as project:
        a1 = aid(project, "a1")
        ali = project.session("ali")
        sunday = next(s for s in project.store.spans(a1, ["mona"]) if s.label == "DATE")
        with pytest.raises(PermissionDenied, match="may not read layer 'mona'"):
            ali.accept_suggestion(a1, sunday)
        with pytest.raises(PermissionDenied, match="may not read layer 'mona'"):
            ali.reject_suggestion(a1, sunday)
        assert len(ali.spans(a1)) == 2 and project.store.rejections(a1) == []
        predicted = project.store.spans(a1, ["model-x"])[0]
        assert ali.accept_suggestion(a1, predicted).key == (*SUNDAY, "DATE")
