"""Pack and merge at size: what checking a package completely costs, and how long the lock is held.

Builds a project of N articles (default 2,000; ``BENCH_QUICK=1``: 300) where ali and mona hold 5
spans each per article, packs mona's, replaces every span in the package (as a day of her work
would), then times each step of ``merge``: read (read-only open, layout compared with the
migrations', quick_check, typed and sized reads), check (``plan_merge``: owner from the
registry, labels, texts, states), apply (the one write transaction: the only time the project
is locked). A second merge of the same package changes nothing.

Run: ``python bench/bench_packages.py [--articles 2000]``
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from annotator.importing import import_documents
from annotator.model import Document, make_span
from annotator.project import Project
from annotator.store.package_file import read_package
from annotator.team import members as teams
from annotator.team.merge_plan import plan_merge
from annotator.team.packages import apply_plan, pack

TEXT = "قال مرصد مينا إن صاروخاً سقط في دير الزور صباح اليوم، وأفادت وكالة سبوتنيك بمقتل ثلاثة."
LABELS = ("LOCATION", "WEAPON", "SOURCE", "PERSON", "ORGANIZATION")


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _document(i: int) -> Document:
    text = f"{TEXT} {i}"
    words = _words(text)
    spans = [make_span(text, *words[k], LABELS[k], "mona") for k in range(5)]
    spans += [make_span(text, *words[k + 5], LABELS[k], "ali") for k in range(5)]
    return Document(f"n{i}", text, "", tuple(spans))


def build(folder: Path, articles: int) -> tuple[Path, Path, float]:
    """The project, mona's edited package, and the seconds ``pack`` took."""
    path = folder / "news.db"
    with Project.create(path) as project:
        import_documents(project, (_document(i) for i in range(articles)))
        teams.add_user(teams.acting_session(project, "sara"), "sara", "admin")
        teams.assign(project.session("sara"), ["ali", "mona"], 2, seed=1)
        started = time.perf_counter()
        pack(project.session("sara"), "mona", folder / "mona.annot")
        packed = time.perf_counter() - started
    with Project.open(folder / "mona.annot") as package, package.store.transaction():
        store = package.store
        store.db.execute("DELETE FROM spans")
        for article in store.iter_articles():
            words = _words(article.text)
            spans = [make_span(article.text, *words[k + 8], LABELS[k], "mona") for k in range(5)]
            store.insert_spans(article.id, spans, "2026-12-01T00:00:00.000+00:00")
    return path, folder / "mona.annot", packed


def run(articles: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path, package, packed = build(Path(tmp), articles)
        figures = {"pack": packed}
        with Project.open(path) as project:
            for rounds in ("first", "again"):
                started = time.perf_counter()
                contents = read_package(package)
                read = time.perf_counter()
                plan = plan_merge(project, contents, package, None)
                checked = time.perf_counter()
                report = apply_plan(project, plan)
                applied = time.perf_counter()
                figures[f"{rounds} read"] = read - started
                figures[f"{rounds} check"] = checked - read
                figures[f"{rounds} apply (locked)"] = applied - checked
                figures[f"{rounds} changes"] = float(sum(report.totals()))
            figures["size MB"] = package.stat().st_size / 1e6
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = bool(os.environ.get("BENCH_QUICK"))
    parser.add_argument("--articles", type=int, default=300 if quick else 2000)
    args = parser.parse_args(argv)
    figures = run(args.articles)
    print(f"packages: {args.articles} articles, package {figures['size MB']:.1f} MB, "
          f"pack {figures['pack']:.2f} s")
    for rounds in ("first", "again"):
        print(
            f"  merge {rounds:<5}: read {figures[f'{rounds} read']:.3f} s, "
            f"check {figures[f'{rounds} check']:.3f} s, "
            f"apply (locked) {figures[f'{rounds} apply (locked)']:.3f} s, "
            f"{int(figures[f'{rounds} changes'])} span changes"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
