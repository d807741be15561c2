"""SIGKILL fresh interpreters at random moments, 50+ times; check nothing acknowledged is lost.

Children are real ``python tests/core/crash_child.py MODE ...`` processes (not forks), killed a
random delay after they report ``ready``:

- label: ``Session.add_span`` in a loop (the desk's code path), each span id printed after the
  call returns; after each kill ``PRAGMA integrity_check`` must be ok and every printed span
  present, unchanged, with its undo entry (no half-written action).
- import: 400-article ``import_documents`` batches; the article count must be a whole number of
  batches, at least the acknowledged ones.
- export: ``atomic_write`` of a 20,000-line file; export_project: the real JSONL/CoNLL exporter.
  The final name must hold nothing or a complete file.
- merge: ``annotator.team.packages.merge`` of two packages of mona's in turn (300 span changes each);
  her layer must be one whole merge's result, ali's unchanged, the packages never written.
- rename: ``schema --rename`` (``Project.rename_label``) back and forth; the schema names one of
  the two labels, every span carries it, and each acknowledged rename is a schema version.
- restore: ``restore_backup`` of two backups in turn; the project is always there and sound,
  holding one backup or the other (never no project: the old restore renamed it away first).

Run: ``python bench/bench_crash.py [--kills 58] [--seed 0]`` (``BENCH_QUICK=1``: 16 kills).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from annotator.project import Project
from tests.core import crash_child
from tests.core.crash_kit import (
    check_export,
    check_import,
    check_labels,
    check_merge,
    check_project_exports,
    check_rename,
    check_restore,
    run_and_kill,
)

SHARES = {"label": 0.4, "import": 0.1, "export": 0.1, "export_project": 0.1, "merge": 0.1,
          "rename": 0.1, "restore": 0.1}
MAX_DELAY_S = {"label": 0.5, "import": 1.0, "export": 0.5, "export_project": 1.5, "merge": 1.5,
               "rename": 0.5, "restore": 0.5}


def run(kills: int, seed: int) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        label_db, import_db, export_db = (
            root / "label.db",
            root / "import.db",
            root / "export" / "news.db",
        )
        export_db.parent.mkdir()
        merge_db = root / "merge" / "news.db"
        merge_db.parent.mkdir()
        digests = crash_child.prepare_merge(merge_db)
        crash_child.prepare_project(label_db)
        crash_child.prepare_project(import_db)
        crash_child.prepare_export_project(export_db)
        rename_db, restore_db = root / "rename.db", root / "restore" / "news.db"
        restore_db.parent.mkdir()
        crash_child.prepare_export_project(rename_db)
        crash_child.prepare_restore_project(restore_db)
        with Project.open(rename_db) as project:
            versions = project.schema.version
        acknowledged: list[str] = []
        articles = crash_child.ARTICLES
        for mode, share in SHARES.items():
            count = max(1, round(kills * share))
            started, problems, acks = time.perf_counter(), 0, 0
            for n in range(count):
                child_seed = seed * 10_000 + n
                target = {
                    "label": label_db,
                    "import": import_db,
                    "export": root / "out.txt",
                    "export_project": export_db,
                    "merge": merge_db,
                    "rename": rename_db,
                    "restore": restore_db,
                }[mode]
                kill = run_and_kill(mode, target, child_seed, MAX_DELAY_S[mode], fork=False)
                acks += len(kill.acknowledged)
                if mode == "label":
                    acknowledged += kill.acknowledged
                    found = check_labels(label_db, acknowledged)
                elif mode == "import":
                    found, articles = check_import(import_db, articles, kill.acknowledged)
                elif mode == "export":
                    found = check_export(target, kill.acknowledged)
                elif mode == "merge":
                    found = check_merge(merge_db, digests, kill.acknowledged)
                elif mode == "rename":
                    found, versions = check_rename(rename_db, kill.acknowledged, versions)
                elif mode == "restore":
                    found = check_restore(restore_db, kill.acknowledged)
                else:
                    found = check_project_exports(export_db.parent, crash_child.EXPORT_ARTICLES)
                if not kill.ready:
                    found = found + ["child never reported ready"]
                for problem in found:
                    print(f"  PROBLEM after {mode} kill {n}: {problem}")
                problems += len(found)
            figures[mode] = {
                "kills": count,
                "acknowledged": acks,
                "problems": problems,
                "seconds": time.perf_counter() - started,
            }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = bool(os.environ.get("BENCH_QUICK"))
    parser.add_argument("--kills", type=int, default=16 if quick else 58)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    figures = run(args.kills, args.seed)
    total_kills = sum(int(f["kills"]) for f in figures.values())
    total_problems = sum(int(f["problems"]) for f in figures.values())
    print(f"crash: {total_kills} SIGKILLs of fresh interpreters, {total_problems} problems")
    for mode, f in figures.items():
        print(
            f"  {mode:<15} {int(f['kills']):>3} kills  {int(f['acknowledged']):>6} acknowledged  "
            f"{int(f['problems'])} problems  {f['seconds']:6.1f} s"
        )
    return 1 if total_problems else 0


if __name__ == "__main__":
    sys.exit(main())
