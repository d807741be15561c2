"""A project at scale: 100,000 articles (~150 MB of text), 1,000,000 spans, every use case run.

Each step runs in its own process, the way a user runs it (the ``annotator`` commands, or the
desk built by ``ui.app.build_window`` on the offscreen Qt platform), so its wall time and its
peak memory (``ru_maxrss`` of that process, from ``os.wait4``) are its own:

  generate     JSONL files of articles (random Arabic news-like words), two annotators' spans
  import       annotator import scale.db data/        (read_paths + import_documents)
  check        annotator check scale.db --quick       (what the desk runs at open)
  desk         build_window, first article painted;   memory must stay under 300 MB
  search       Session.queue(search=...) + queue_count, a word and a stem
  stats        annotator stats scale.db
  agreement    annotator agreement scale.db
  export conll annotator export scale.db -o out/scale.conll --format conll
  export jsonl annotator export scale.db -o out/scale.jsonl --format jsonl
  backup       annotator backup scale.db -o out/backup.db

Run: ``python bench/bench_scale.py [--articles 100000] [--spans 1000000] [--keep DIR]``
(``BENCH_QUICK=1`` or ``--articles 2000 --spans 20000``: a small run in about a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DESK_LIMIT_MB = 300
ARTICLES_PER_FILE = 1_000
WORDS = [
    "قال",
    "أفادت",
    "وكالة",
    "سبوتنيك",
    "مرصد",
    "مينا",
    "إن",
    "صاروخاً",
    "سقط",
    "في",
    "دير",
    "الزور",
    "صباح",
    "اليوم",
    "الجيش",
    "الأمريكي",
    "قاعدة",
    "حقل",
    "العمر",
    "السوري",
    "وزارة",
    "الدفاع",
    "الرئيس",
    "بيان",
    "مصادر",
    "محلية",
    "إصابات",
    "قصف",
    "طائرة",
    "مسيرة",
    "هجوم",
    "مدينة",
    "حلب",
    "دمشق",
    "بيروت",
    "القاهرة",
    "بغداد",
    "عمان",
    "الرياض",
    "مجلس",
    "الأمن",
    "الأمم",
    "المتحدة",
    "الحكومة",
    "الوزير",
    "المتحدث",
    "الرسمي",
    "العسكري",
    "المدنيين",
    "ثلاثة",
    "جنود",
    "قتلى",
    "جرحى",
    "المنطقة",
    "الحدودية",
    "الشمالية",
    "الشرقية",
    "٢٠١٩",
    "١١",
    "65",
    "تقرير",
    "صحيفة",
    "مراسل",
    "وأضاف",
    "وأكد",
    "ونقلت",
    "عن",
    "مسؤول",
    "قوله",
    "الاتفاق",
    "المفاوضات",
    "الأحد",
]
LABELS = ("LOCATION", "PERSON", "ORGANIZATION", "SOURCE", "DATE", "WEAPON", "EVENT", "QUANTITY")
ANNOTATORS = ("ali", "mona")


# --- generation ------------------------------------------------------------------------------


def article(rng: random.Random, number: int, chars: int, spans_each: int) -> dict:
    """One JSONL record of about ``chars`` characters with ``spans_each`` spans per annotator.

    The two annotators agree on most entities (same word run, same label) and differ on some
    (another label or another run), so agreement has real work to do.
    """
    words: list[str] = []
    length = 0
    while length < chars:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    text = " ".join(words)
    slots = (
        sorted(rng.sample(range(len(words) - 3), spans_each)) if len(words) > spans_each + 3 else []
    )
    spans = []
    for slot in slots:
        width = rng.randint(1, 3)
        start, end = starts[slot], starts[slot + width - 1] + len(words[slot + width - 1])
        label = rng.choice(LABELS)
        for who in ANNOTATORS:
            s, e, lab = start, end, label
            if who == "mona" and rng.random() < 0.2:  # a disagreement: label or extent
                if rng.random() < 0.5:
                    lab = rng.choice(LABELS)
                else:
                    e = starts[slot] + len(words[slot])
            spans.append({"start": s, "end": e, "label": lab, "text": text[s:e], "annotator": who})
    return {
        "id": f"n{number:06d}",
        "title": " ".join(words[:8]),
        "text": text,
        "spans": spans,
        "meta": {"source": "generated"},
    }


def generate(folder: Path, articles: int, spans: int, seed: int = 0) -> tuple[int, int, int]:
    """Write ``articles`` records in files of ``ARTICLES_PER_FILE``; returns (files, chars, spans)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per_annotator = max(1, spans // (articles * len(ANNOTATORS)))
    files = chars = written = 0
    for first in range(0, articles, ARTICLES_PER_FILE):
        with open(folder / f"part-{files:04d}.jsonl", "w", encoding="utf-8", newline="\n") as out:
            for number in range(first, min(articles, first + ARTICLES_PER_FILE)):
                record = article(rng, number, rng.randint(1_000, 2_000), per_annotator)
                chars += len(record["text"])
                written += len(record["spans"])
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        files += 1
    return files, chars, written


# --- steps, each in its own process ------------------------------------------------------------


def run_step(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stdout) of one child process; raises SystemExit if it fails."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, env=env or os.environ.copy())
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, not all children's
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"exit {proc.returncode}: {(errors or output).strip()[-600:]}")
    return seconds, usage.ru_maxrss / 1024, output


def cli(*words: str) -> list[str]:
    return [sys.executable, "-c", "from annotator.cli import main; main()", *words]


DESK_CHILD = """
import os, resource, sys, time
started = time.perf_counter()
sys.path.insert(0, {repo!r})
from PySide6.QtCore import QEvent, QObject, QTimer
from ui.app import application, build_window
app = application()
window = build_window({project!r}, "ali")

class Probe(QObject):
    painted = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        chars = window.view.document().characterCount()
        visible = time.perf_counter() - started
        # Keep it open a moment, as a user would, then read the peak.
        deadline = time.perf_counter() + 1.0
        while time.perf_counter() < deadline:
            app.processEvents()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"visible {{visible:.2f}} chars {{chars}} rss {{rss:.0f}}", flush=True)
        os._exit(0 if chars > 1 else 1)

probe = Probe()
window.view.viewport().installEventFilter(probe)
window.show()
app.exec()
"""

SEARCH_CHILD = """
import sys, time
sys.path.insert(0, {repo!r})
from annotator.project import Project
with Project.open({project!r}) as project:
    session = project.session("ali")
    for query in ("دير الزور", "سبوتنيك", "زور", "no-such-word-xyz"):
        started = time.perf_counter()
        count = session.queue_count(search=query)
        page = session.queue(search=query, limit=200)
        print(f"search {{query!r}}: {{count}} articles, first page {{len(page)}} rows,"
              f" {{time.perf_counter() - started:.2f}} s", flush=True)
"""


def main(argv: list[str] | None = None) -> int:
    quick = bool(os.environ.get("BENCH_QUICK"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2_000 if quick else 100_000)
    parser.add_argument("--spans", type=int, default=20_000 if quick else 1_000_000)
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (default: a temp folder)"
    )
    parser.add_argument("--skip-desk", action="store_true", help="do not start the desk")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="annotator-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _run(work, args)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, args: argparse.Namespace) -> int:
    db = work / "scale.db"
    rows: list[tuple[str, float, float, str]] = []
    started = time.perf_counter()
    files, chars, spans = generate(work / "data", args.articles, args.spans)
    size = sum(p.stat().st_size for p in (work / "data").iterdir())
    rows.append(
        (
            "generate",
            time.perf_counter() - started,
            0.0,
            f"{args.articles:,} articles, {chars / 1e6:.0f} M chars ({size / 1e6:.0f} MB in {files} files), {spans:,} spans",
        )
    )
    print(rows[-1][0], rows[-1][3], flush=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_USER="ali")
    steps: list[tuple[str, list[str]]] = [
        ("init", cli("init", str(db))),
        ("import", cli("import", str(db), str(work / "data"), "--format", "jsonl")),
        ("check (quick_check)", cli("check", str(db), "--quick")),
    ]
    if not args.skip_desk:
        steps.append(
            (
                "desk: first article visible",
                [sys.executable, "-c", DESK_CHILD.format(repo=str(REPO), project=str(db))],
            )
        )
    steps += [
        ("search", [sys.executable, "-c", SEARCH_CHILD.format(repo=str(REPO), project=str(db))]),
        ("stats", cli("stats", str(db))),
        ("agreement", cli("agreement", str(db), "--as", "ali")),
        (
            "export conll",
            cli("export", str(db), "-o", str(work / "out" / "scale.conll"), "--format", "conll"),
        ),
        (
            "export jsonl",
            cli("export", str(db), "-o", str(work / "out" / "scale.jsonl"), "--format", "jsonl"),
        ),
        ("backup", cli("backup", str(db), "-o", str(work / "out" / "backup.db"))),
        ("check (integrity_check)", cli("check", str(db))),
    ]
    failed = 0
    for name, command in steps:
        try:
            seconds, peak, output = run_step(command, work, env)
        except SystemExit as exc:
            rows.append((name, 0.0, 0.0, f"FAILED: {str(exc)[-300:]}"))
            print(rows[-1], flush=True)
            failed += 1
            continue
        note = _summarise(name, output, work, db)
        if name.startswith("desk") and peak > DESK_LIMIT_MB:
            note += f"  OVER {DESK_LIMIT_MB} MB"
            failed += 1
        rows.append((name, seconds, peak, note))
        print(f"{name}: {seconds:.1f} s, {peak:.0f} MB  {note}", flush=True)
    print(
        f"\nscale: {args.articles:,} articles, {spans:,} spans, project file "
        f"{db.stat().st_size / 1e6:.0f} MB"
    )
    print("| step | wall s | peak RSS MB | notes |\n|---|---:|---:|---|")
    for name, seconds, peak, note in rows:
        print(f"| {name} | {seconds:.1f} | {peak:.0f} | {note} |")
    return 1 if failed else 0


def _summarise(name: str, output: str, work: Path, db: Path) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    if name.startswith("desk"):
        return lines[-1] if lines else ""
    if name == "search":
        return "; ".join(lines)
    if name.startswith("export"):
        path = work / "out" / ("scale.conll" if "conll" in name else "scale.jsonl")
        return f"{path.stat().st_size / 1e6:.0f} MB"
    if name == "stats" or name == "agreement":
        return (lines[0] if lines else "")[:120]
    if name == "import":
        return (lines[-1] if lines else "")[:160]
    return (lines[-1] if lines else "")[:120]


if __name__ == "__main__":
    sys.exit(main())
