"""Desk performance figures (printed, not asserted). Run: ``python bench/bench_desk.py``.

How each figure is measured (offscreen Qt platform, this process unless said otherwise):

1. **open 200k/5000** — an article of 200,000 characters in 1,213 paragraphs with 5,000 spans
   (3 labels; every 10th span encloses the next one, so 500 blocks need the overlap sweep). Timed: ``DocumentView.show_article(article, spans)`` (builds the
   offset map and per-block span index, ``setPlainText``; Qt runs the ``QSyntaxHighlighter``
   over every block synchronously inside it) followed by ``processEvents()`` on a shown view,
   then a check that the last block carries formats (= fully highlighted). Median of 5.
   Also shown: the same through the desk controller, i.e. including the store reads
   (``session.article`` + ``session.spans``) from an SQLite project file.
2. **add one span + repaint** — on that article: (a) the view alone: ``set_spans`` with one span
   more (diff, ``rehighlightBlock`` on its block) and a synchronous ``viewport().repaint()``;
   (b) end to end: ``DeskController.add_span`` (one SQLite transaction, synchronous=FULL, i.e.
   an fsync) + the view update + repaint. Median of 20.
3. **start to first article visible** — fresh subprocesses, same interpreter and venv, spawned
   and timed by this process: (a) ``ui.app.build_window`` on a project of the demo articles,
   first article open (what ``annotator gui`` runs, minus argument parsing); (b) a bare
   ``QMainWindow`` holding a ``QTextEdit`` with the same article text; (c) = (a) with
   pandas/numpy unimportable, as in a clean ``annotator[gui]`` install; (d) = (a) after
   ``import annotator.cli`` (the console script's import cost); (e) = (b) that also touches
   ``Qt.*`` and ``viewport()`` (not a target: it shows how much of the gap is PySide6's
   one-time conversion of ~170 C++ enums to Python enums, paid by any app that uses Qt.*
   enums or receives a Qt-created widget, and by no bare window). Each child builds its window,
   calls ``show()`` and ONE ``processEvents()`` — which, on the offscreen platform, lays out
   and paints the window, text viewport included (verified per variant by an untimed run
   that counts the viewport's Paint events; the timed runs carry no probe) — then prints
   "visible" with its own CPU time and leaves with ``os._exit``. Figures: wall time from
   spawn to that line (interpreter start-up inside, exit outside) and the child's CPU time
   (user + sys, steadier when other work shares the 2 cores). 11 rounds, the variants
   interleaved in each round, medians; ratios to (b). Bytecode is cached under a temporary
   prefix, as an installed package has .pyc files.

``python bench/bench_desk.py [view] [start]`` runs one section; both by default. Results and
the machine are recorded in ``docs/performance.md``.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import atexit  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from annotator.importing import import_documents  # noqa: E402
from annotator.model import Article, Document, make_span  # noqa: E402
from annotator.project import Project  # noqa: E402

USER = "bench"
PARAGRAPH = (
    "قصف صاروخي يستهدف القاعدة الأمريكية في حقل العمر السوري وأنباء عن إصابات في صفوف الجيش "
    "الأمريكي، بحسب ما نقلت وكالة سبوتنيك عن مصادر محلية صباح اليوم 😀 ومرصد مينا. "
)
LABELS = ("LOCATION", "PERSON", "DATE")


def big_article() -> tuple[str, list]:
    text = ""
    while len(text) < 200_000:
        text += PARAGRAPH + "\n"
    text = text[:200_000]
    step = len(text) // 5000
    spans = []
    for n in range(5000):
        start = n * step
        end = start + (50 if n % 10 == 0 else 4)  # every 10th span encloses the next one
        spans.append(make_span(text, start, min(end, len(text)), LABELS[n % 3], USER))
    return text, spans


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_view(text: str, spans: list) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    from ui.app import application
    from ui.desk.document_view import DocumentView
    from ui.desk.window import DeskWindow  # noqa: F401 (import cost outside the timing)

    app: QApplication = application()
    with Project.create(Path(tempfile.mkdtemp()) / "s.db") as project:
        schema = project.schema
    view = DocumentView(schema)
    view.resize(900, 700)
    view.show()
    article = Article(1, "big", "big", text)
    opens = []
    for _ in range(5):
        view.clear_article()
        app.processEvents()
        began = time.perf_counter()
        view.show_article(article, spans)
        app.processEvents()
        opens.append(time.perf_counter() - began)
        last = view.document().findBlockByNumber(view.qt_text.block_of(spans[-1].start))
        assert last.layout().formats(), "the last span's block is not highlighted"
    adds = []
    extra = make_span(text, 101, 106, "PERSON", USER)
    for n in range(20):
        current = spans if n % 2 else [*spans, extra]
        began = time.perf_counter()
        view.set_spans(current)
        view.viewport().repaint()
        adds.append(time.perf_counter() - began)
    return median_ms(opens), median_ms(adds)


def bench_controller(text: str, spans: list) -> tuple[float, float]:
    from ui.app import application
    from ui.desk.controller import DeskController
    from ui.desk.document_view import DocumentView

    app = application()
    path = Path(tempfile.mkdtemp()) / "big.db"
    with Project.create(path) as project:
        import_documents(project, [Document("big", text, title="big", spans=tuple(spans))])
    project = Project.open(path)
    session = project.session(USER)
    controller = DeskController(session)
    view = DocumentView(project.schema)
    view.resize(900, 700)
    view.show()
    controller.articleOpened.connect(view.show_article)
    controller.spansChanged.connect(view.set_spans)
    aid = session.queue(limit=1)[0].article_id
    opens = []
    for _ in range(5):
        controller.article = None
        began = time.perf_counter()
        controller.open_article(aid)
        app.processEvents()
        opens.append(time.perf_counter() - began)
    adds = []
    for n in range(20):
        start = 7 + n * 200
        began = time.perf_counter()
        controller.add_span(start, start + 3, "PERSON")
        view.viewport().repaint()
        adds.append(time.perf_counter() - began)
    project.close()
    return median_ms(opens), median_ms(adds)


# -- start to first article visible ------------------------------------------------------------
# Both children build their window, ``show()`` it and run ONE ``processEvents()``: on the
# offscreen platform that one call lays the window out and paints it, the text viewport
# included, into the backing store (what a display would show). Then the child prints
# "visible <CPU seconds of the process so far>" and leaves with os._exit (exit is not timed).
# That the viewport really painted, with the article text, inside that one call is CHECKED,
# not assumed: an untimed run of each child first counts the viewport's Paint events with an
# event filter (the timed runs carry no probe: importing QEvent alone costs the bare window
# ~9 ms, which would flatter the ratio). The desk's post-paint work (ui/desk/first_paint.py) runs
# in the next loop iteration, so it is not in the figure; one processEvents() does not run it.
CHECK = """
from PySide6.QtCore import QEvent, QObject
class PaintCounter(QObject):
    paints = 0
    def eventFilter(self, obj, event):
        self.paints += event.type() == QEvent.Type.Paint
        return False
counter = PaintCounter()
text_widget.viewport().installEventFilter(counter)
"""
CHECKED = """
if not (counter.paints >= 1 and text_widget.document().characterCount() > 1):
    print("not painted", counter.paints, flush=True)
    os._exit(1)
"""

# The desk as ``annotator gui`` builds it (ui.app.run_gui minus the argument parsing).
DESK_CHILD = """
import os, sys, time
sys.path.insert(0, {repo!r})
from ui.app import application, build_window
app = application()
window = build_window({project!r}, "bench")
text_widget = window.view
{check}
window.show()
app.processEvents()
{checked}
print("visible", time.process_time(), flush=True)
os._exit(0)
"""

# The same, entered through the console script's module (``annotator gui`` imports the CLI
# package, which registers every command, before it imports ui.app).
CLI_CHILD = "import annotator.cli\n" + DESK_CHILD

BARE_CHILD = """
import os, time
from PySide6.QtWidgets import QApplication, QMainWindow, QTextEdit
app = QApplication([])
window = QMainWindow()
text_widget = QTextEdit()
text_widget.setPlainText(open({text_file!r}, encoding="utf-8").read())
window.setCentralWidget(text_widget)
window.resize(1360, 820)
{check}
window.show()
app.processEvents()
{checked}
print("visible", time.process_time(), flush=True)
os._exit(0)
"""

# Not a target, an explanation: the bare window never touches ``Qt.*`` nor receives a widget
# that Qt created, and so never pays two one-time PySide6 6.11 costs that any real PySide6 app
# pays: the first access to the ``Qt`` namespace turns its ~90 C++ enums into Python enums, and
# the first C++-created widget handed to Python (``viewport()``, ``statusBar()``...) ~80 more
# (~11 + ~10 ms of CPU here, all in Python's enum module).
BARE_QT_EXTRA = """
from PySide6.QtCore import Qt
Qt.AlignmentFlag
text_widget.viewport()
"""

# A clean ``pip install annotator[gui]`` has no pandas/numpy; this dev venv has both (datasets,
# scikit-learn). The store keeps sqlite-utils from importing them either way; this variant
# shows the figure a clean install gets.
NO_PANDAS = "import sys; sys.modules['pandas'] = None; sys.modules['numpy'] = None\n"


# An installed package has its modules compiled (pip writes the .pyc files); this checkout's
# environment may set PYTHONDONTWRITEBYTECODE, which would make every child compile ``ui`` and
# ``annotator`` from source (~30 ms). The children keep their bytecode under a temporary prefix
# instead (written by the warm-up run), so no __pycache__ lands in the repository.
PYCACHE = tempfile.mkdtemp(prefix="bench-desk-pycache-")
atexit.register(shutil.rmtree, PYCACHE, ignore_errors=True)


def run_child(code: str) -> tuple[float, float]:
    """(wall seconds from spawning ``python -c code`` to its "visible" line, its CPU seconds)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": PYCACHE}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    line = child.stdout.readline()
    seconds = time.perf_counter() - began
    _, errors = child.communicate()
    word, _, cpu = line.partition(" ")
    if word != "visible" or child.returncode != 0:
        raise RuntimeError(f"child failed (exit {child.returncode}): {line!r}\n{errors[-2000:]}")
    return seconds, float(cpu)


START_RUNS = 11


def bench_start(runs: int = START_RUNS) -> dict[str, tuple[float, float]]:
    """Median (wall ms, CPU ms) per variant; variants interleaved run by run, so a burst of
    load from elsewhere on the machine hits all of them alike."""
    from annotator.demo import ensure_demo_project

    folder = Path(tempfile.mkdtemp())
    project = ensure_demo_project(folder / "demo.db")
    with Project.open(project) as p:
        session = p.session(USER)
        text = session.article(session.queue(limit=1)[0].article_id).text
    text_file = folder / "article.txt"
    text_file.write_text(text, encoding="utf-8")
    def variants(check: str, checked: str) -> dict[str, str]:
        desk = DESK_CHILD.format(repo=str(REPO), project=str(project), check=check,
                                 checked=checked)
        return {
            "bare": BARE_CHILD.format(text_file=str(text_file), check=check, checked=checked),
            "bare_qt": BARE_CHILD.format(text_file=str(text_file), check=check + BARE_QT_EXTRA,
                                         checked=checked),
            "desk": desk,
            "clean": NO_PANDAS + desk,
            "cli": CLI_CHILD.format(repo=str(REPO), project=str(project), check=check,
                                    checked=checked),
        }

    for code in variants(CHECK, CHECKED).values():  # painted? (also warms caches and .pyc)
        run_child(code)
    timed = variants("", "")
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, code in timed.items():
            samples[name].append(run_child(code))
    return {
        name: (median_ms([w for w, _ in got]), median_ms([c for _, c in got]))
        for name, got in samples.items()
    }


def print_view_figures() -> None:
    text, spans = big_article()
    view_open, view_add = bench_view(text, spans)
    ctl_open, ctl_add = bench_controller(text, spans)
    print(f"open 200k chars / 5000 spans, view, to fully highlighted: {view_open:7.1f} ms (target < 150)")
    print(f"open 200k chars / 5000 spans, incl. store reads:         {ctl_open:7.1f} ms")
    print(f"add one span + repaint, view only:                        {view_add:7.1f} ms (target < 16)")
    print(f"add one span + repaint, incl. store transaction (fsync):  {ctl_add:7.1f} ms")


def print_start_figures() -> None:
    start = bench_start()
    bare_wall, bare_cpu = start["bare"]
    print(f"start to first article visible (median of {START_RUNS} fresh processes each; "
          f"wall ms / CPU ms; ratio to bare, target <= 1.5):")
    names = {
        "bare": "bare QMainWindow + QTextEdit",
        "desk": "desk (ui.app.build_window)",
        "clean": "desk, pandas/numpy absent",
        "cli": "desk after importing annotator.cli",
        "bare_qt": "bare + Qt.* enums + viewport()",
    }
    for name, label in names.items():
        wall, cpu = start[name]
        ratios = f"x{wall / bare_wall:4.2f} / x{cpu / bare_cpu:4.2f}"
        print(f"  {label:35s} {wall:6.0f} / {cpu:5.0f}   {ratios}")
    qt_wall, qt_cpu = start["bare_qt"]
    desk_wall, desk_cpu = start["desk"]
    print(f"  desk / (bare + Qt.* enums + viewport()): x{desk_wall / qt_wall:4.2f} wall, "
          f"x{desk_cpu / qt_cpu:4.2f} CPU (explanation, not the target)")


def main(argv: list[str]) -> None:
    """``bench_desk.py [view] [start]``: both sections when none is named."""
    sections = set(argv) or {"view", "start"}
    if "view" in sections:
        print_view_figures()
    if "start" in sections:
        print_start_figures()


if __name__ == "__main__":
    main(sys.argv[1:])
