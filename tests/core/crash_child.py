"""Work a child process does until it is killed: label, import, export or merge, reporting each success.

A line is written to ``out`` (an OS pipe, unbuffered) only *after* the call that made the change
returned, i.e. after the change was acknowledged to the user. Whatever the parent reads from the
pipe after a SIGKILL is therefore a list of promises the project must keep.

Each child reports ``ready`` first, so the parent can time its kill from there.

Used by ``tests/core/test_crash.py`` (forked children, fast) and ``bench/bench_crash.py`` (fresh
interpreters: ``python tests/core/crash_child.py MODE PATH SEED`` reports on stdout).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # when run as a script from bench/
    sys.path.insert(0, str(REPO))

from annotator.atomic_files import atomic_write
from annotator.errors import SpanError
from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project

TEXT = "قال مرصد مينا إن صاروخاً سقط في دير الزور صباح اليوم، وأفادت وكالة سبوتنيك بمقتل ثلاثة."
LABELS = ("LOCATION", "WEAPON", "SOURCE", "PERSON", "ORGANIZATION", "DATE", "EVENT", "QUANTITY")
ARTICLES = 5
IMPORT_BATCH = 400
"""Articles per import in the import child: big enough that a kill often lands inside one."""
EXPORT_LINES = 20_000


def prepare_project(path: Path) -> None:
    """The project every labelling child works in: ``ARTICLES`` copies of ``TEXT``."""
    with Project.create(path) as project:
        import_documents(project, [Document(f"a{i}", f"{TEXT} {i}") for i in range(ARTICLES)])


def label_forever(path: Path, report: Callable[[str], None], seed: int, user: str = "mona") -> None:
    """Add random spans through ``Session.add_span`` (the desk's code path); report each one."""
    rng = random.Random(seed)
    with Project.open(path) as project:
        session = project.session(user)
        report("ready")
        while True:
            article = rng.randint(1, ARTICLES)
            start = rng.randrange(len(TEXT))
            end = rng.randint(start + 1, min(len(TEXT), start + 12))
            label = rng.choice(LABELS)
            try:
                span = session.add_span(article, start, end, label)
            except SpanError:  # already labelled: the same random range came up twice
                continue
            report(f"{span.id} {article} {start} {end} {label}")


def import_batch_docs(batch: int) -> Iterator[Document]:
    for i in range(IMPORT_BATCH):
        yield Document(f"b{batch}-{i}", f"{TEXT} دفعة {batch} رقم {i}", f"عنوان {i}")


def import_forever(path: Path, report: Callable[[str], None], seed: int) -> None:
    """Import batch after batch of ``IMPORT_BATCH`` new articles; report each finished batch."""
    with Project.open(path) as project:
        batch = seed * 100_000
        report("ready")
        while True:
            import_documents(project, import_batch_docs(batch))
            report(f"imported {batch}")
            batch += 1


def export_body(version: int) -> str:
    """A file whose completeness can be checked: ``EXPORT_LINES`` lines then an END marker."""
    return "".join(f"{version}\t{i}\t{TEXT}\n" for i in range(EXPORT_LINES)) + f"END {version}\n"


def export_forever(target: Path, report: Callable[[str], None], seed: int) -> None:
    """Rewrite ``target`` through :func:`atomic_write` again and again, line by line."""
    version = seed * 100_000
    report("ready")
    while True:
        with atomic_write(target) as handle:
            for i in range(EXPORT_LINES):
                handle.write(f"{version}\t{i}\t{TEXT}\n")
            handle.write(f"END {version}\n")
        report(f"exported {version}")
        version += 1


EXPORT_ARTICLES = 300
DOCSTART_LINE = "-DOCSTART- -X- O O\n"


def prepare_export_project(path: Path) -> None:
    """A project worth exporting: ``EXPORT_ARTICLES`` articles with two spans each."""
    docs = []
    for i in range(EXPORT_ARTICLES):
        text = f"{TEXT} {i}"
        spans = (
            make_span(text, len("قال "), len("قال مرصد مينا"), "SOURCE", "mona"),
            make_span(
                text, len("قال مرصد مينا إن "), len("قال مرصد مينا إن صاروخاً"), "WEAPON", "mona"
            ),
        )
        docs.append(Document(f"e{i}", text, f"عنوان {i}", spans))
    with Project.create(path) as project:
        import_documents(project, docs)


def export_project_forever(path: Path, report: Callable[[str], None], seed: int) -> None:
    """Export the project at ``path`` to JSONL and CoNLL beside it, again and again."""
    from annotator.exporting import ExportOptions, export_project

    with Project.open(path) as project:
        report("ready")
        n = 0
        while True:
            for fmt in ("jsonl", "conll"):
                export_project(project, path.with_name(f"out.{fmt}"), ExportOptions(format=fmt))
                report(f"exported {fmt} {n}")
            n += 1


MERGE_ARTICLES = 200
MERGE_PACKAGES = ("b.annot", "a.annot")
"""Merged in turn: b moves every span of mona's (layer = SB), then a brings SA back (SA + SB)."""


def merge_spans(text: str, which: str) -> list[tuple[int, int, str]]:
    """mona's spans of one article: SA on the first five words, SB on the next five."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    chosen = words[:5] if which == "a" else words[5:10]
    return [(s, e, LABELS[(i + (which == "b")) % len(LABELS)]) for i, (s, e) in enumerate(chosen)]


def _merge_doc(i: int) -> Document:
    text = f"{TEXT} {i}"
    mona = [make_span(text, s, e, label, "mona") for s, e, label in merge_spans(text, "a")]
    ali = make_span(text, 0, len("قال"), "EVENT", "ali")
    return Document(f"m{i}", text, "", (*mona, ali))


def prepare_merge(path: Path) -> dict[str, str]:
    """A team project where mona holds SA and ali one span per article, and beside it mona's
    two packages (a: as packed; b: SA replaced by SB, written as plain rows: a package is
    whatever its holder writes). Returns their SHA-256 digests: a merge must never write them.
    """
    from annotator.team import members as teams
    from annotator.team.packages import pack

    with Project.create(path) as project:
        import_documents(project, (_merge_doc(i) for i in range(MERGE_ARTICLES)))
        teams.add_user(teams.acting_session(project, "sara"), "sara", "admin")
        admin = project.session("sara")
        teams.assign(admin, ["ali", "mona"], 2, seed=1)
        pack(admin, "mona", path.with_name("a.annot"))
    shutil.copyfile(path.with_name("a.annot"), path.with_name("b.annot"))
    with Project.open(path.with_name("b.annot")) as package, package.store.transaction():
        store = package.store
        store.db.execute("DELETE FROM spans")
        for article in store.iter_articles():
            spans = [make_span(article.text, *key, "mona") for key in merge_spans(article.text, "b")]
            store.insert_spans(article.id, spans, "2026-01-01T00:00:00.000+00:00")
    return {
        name: hashlib.sha256(path.with_name(name).read_bytes()).hexdigest()
        for name in MERGE_PACKAGES
    }


def merge_forever(path: Path, report: Callable[[str], None], seed: int) -> None:
    """Merge mona's packages b, a, b, a... into the project; report each merge that returned."""
    from annotator.team.packages import merge

    with Project.open(path) as project:
        admin = project.session("sara")
        report("ready")
        for n in itertools.count(seed % 2):
            name = MERGE_PACKAGES[n % 2]
            merge(admin, path.with_name(name))
            report(f"merged {name}")
RENAMES = ("WEAPON", "ARMS")
"""The label the rename child renames back and forth (``annotator schema --rename``)."""


def rename_forever(path: Path, report: Callable[[str], None], seed: int) -> None:
    """Rename WEAPON to ARMS and back (schema and every span in one transaction); report each."""
    with Project.open(path) as project:
        report("ready")
        while True:
            old, new = RENAMES if RENAMES[0] in project.schema.names else RENAMES[::-1]
            changed = project.rename_label(old, new)
            report(f"renamed {old} {new} {changed}")


RESTORE_SIZES = (EXPORT_ARTICLES, EXPORT_ARTICLES + 7)
"""Articles in the two backups the restore child puts in place in turn."""


def prepare_restore_project(path: Path) -> tuple[Path, Path]:
    """A project and two backups of it, ``RESTORE_SIZES`` articles, in ``backups/``."""
    from annotator.backup import backup

    prepare_export_project(path)
    first = backup(path, path.parent / "backups" / "small.db")
    with Project.open(path) as project:
        import_documents(project, [Document(f"r{i}", f"{TEXT} إضافة {i}") for i in range(7)])
    return first, backup(path, path.parent / "backups" / "large.db")


def restore_forever(path: Path, report: Callable[[str], None], seed: int) -> None:
    """``restore_backup`` of the two backups in turn over the project; report each swap."""
    from annotator.backup import restore_backup

    backups = [path.parent / "backups" / "small.db", path.parent / "backups" / "large.db"]
    n = seed % 2
    report("ready")
    while True:
        restore_backup(backups[n % 2], path)
        report(f"restored {RESTORE_SIZES[n % 2]}")
        n += 1


MODES: dict[str, Callable[[Path, Callable[[str], None], int], None]] = {
    "label": label_forever,
    "import": import_forever,
    "export": export_forever,
    "export_project": export_project_forever,
    "merge": merge_forever,
    "rename": rename_forever,
    "restore": restore_forever,
}


def pipe_reporter(fd: int) -> Callable[[str], None]:
    def report(line: str) -> None:
        os.write(fd, (line + "\n").encode())

    return report


def main(argv: list[str]) -> None:
    mode, path, seed = argv[0], Path(argv[1]), int(argv[2])
    MODES[mode](path, pipe_reporter(sys.stdout.fileno()), seed)


if __name__ == "__main__":
    main(sys.argv[1:])
