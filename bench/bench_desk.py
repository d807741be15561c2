"""Desk performance figures (printed, not asserted). Run: ``python bench/bench_desk.py``.

How each figure is measured (offscreen Qt platform, this process unless said otherwise):

1. **open 200k/5000** — an article of 200,000 characters in ~800 paragraphs with 5,000 spans
   (3 labels, some nested). Timed: ``DocumentView.show_article(article, spans)`` (builds the
   offset map and per-block span index, ``setPlainText``; Qt runs the ``QSyntaxHighlighter``
   over every block synchronously inside it) followed by ``processEvents()`` on a shown view,
   then a check that the last block carries formats (= fully highlighted). Median of 5.
   Also shown: the same through the desk controller, i.e. including the store reads
   (``session.article`` + ``session.spans``) from an SQLite project file.
2. **add one span + repaint** — on that article: (a) the view alone: ``set_spans`` with one span
   more (diff, ``rehighlightBlock`` on its block) and a synchronous ``viewport().repaint()``;
   (b) end to end: ``DeskController.add_span`` (one SQLite transaction, synchronous=FULL, i.e.
   an fsync) + the view update + repaint. Median of 20.
3. **start to first article visible** — wall time measured by this process around a fresh
   subprocess that imports, builds and shows the window, lets it paint (``processEvents``
   after show) and exits: (a) ``ui.app.build_window`` on a project of the demo articles,
   first article open; (b) a bare ``QMainWindow`` holding a ``QTextEdit`` with the same article
   text; (c) = (a) with pandas/numpy made unimportable, as in a clean ``annotator[gui]``
   install (sqlite-utils imports them eagerly when present). Timed from spawn to the child's
   "visible" line on stdout (printed after show + processEvents); interpreter start-up is
   inside both, exit is not. Median of 5 runs each; ratios a/b and c/b.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
        end = start + (12 if n % 10 == 0 else 4)  # every 10th span nests the next ones
        spans.append(make_span(text, start, min(end, len(text)), LABELS[n % 3], USER))
    return text, spans


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_view(text: str, spans: list) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    from ui.app import application
    from ui.document_view import DocumentView
    from ui.main_window import DeskWindow  # noqa: F401 (import cost outside the timing)

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
    from ui.controller import DeskController
    from ui.document_view import DocumentView

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


DESK_CHILD = """
import os, sys
sys.path.insert(0, {repo!r})
from ui.app import application, build_window
app = application()
window = build_window({project!r}, "bench")
window.show()
app.processEvents()
assert window.view.toPlainText()
print("visible", flush=True)
"""

BARE_CHILD = """
from PySide6.QtWidgets import QApplication, QMainWindow, QTextEdit
app = QApplication([])
window = QMainWindow()
edit = QTextEdit()
edit.setPlainText(open({text_file!r}, encoding="utf-8").read())
window.setCentralWidget(edit)
window.resize(1360, 820)
window.show()
app.processEvents()
print("visible", flush=True)
"""

# A clean ``pip install annotator[gui]`` has no pandas/numpy; this dev venv does (datasets,
# scikit-learn), and sqlite-utils imports both eagerly when present (~0.4 s here).
NO_PANDAS = "import sys; sys.modules['pandas'] = None; sys.modules['numpy'] = None\n"


def run_child(code: str) -> float:
    """Seconds from spawning ``python -c code`` to its "visible" line (exit not counted)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    line = child.stdout.readline()
    seconds = time.perf_counter() - began
    child.wait()
    if line.strip() != "visible" or child.returncode != 0:
        raise RuntimeError(f"child failed (exit {child.returncode})")
    return seconds


def bench_start() -> tuple[float, float, float]:
    from annotator.demo import ensure_demo_project

    folder = Path(tempfile.mkdtemp())
    project = ensure_demo_project(folder / "demo.db")
    with Project.open(project) as p:
        session = p.session(USER)
        text = session.article(session.queue(limit=1)[0].article_id).text
    text_file = folder / "article.txt"
    text_file.write_text(text, encoding="utf-8")
    desk_code = DESK_CHILD.format(repo=str(REPO), project=str(project))
    bare_code = BARE_CHILD.format(text_file=str(text_file))
    run_child(desk_code)  # warm the file cache once for both
    run_child(bare_code)
    desk = [run_child(desk_code) for _ in range(5)]
    lean = [run_child(NO_PANDAS + desk_code) for _ in range(5)]
    bare = [run_child(bare_code) for _ in range(5)]
    return median_ms(desk), median_ms(lean), median_ms(bare)


def main() -> None:
    text, spans = big_article()
    view_open, view_add = bench_view(text, spans)
    ctl_open, ctl_add = bench_controller(text, spans)
    desk_start, lean_start, bare_start = bench_start()
    print(f"open 200k chars / 5000 spans, view, to fully highlighted: {view_open:7.1f} ms (target < 150)")
    print(f"open 200k chars / 5000 spans, incl. store reads:         {ctl_open:7.1f} ms")
    print(f"add one span + repaint, view only:                        {view_add:7.1f} ms (target < 16)")
    print(f"add one span + repaint, incl. store transaction (fsync):  {ctl_add:7.1f} ms")
    print(f"start to first article visible: bare QTextEdit window {bare_start:.0f} ms")
    print(f"  desk, this venv (sqlite-utils pulls pandas+numpy): {desk_start:.0f} ms, "
          f"ratio {desk_start / bare_start:.2f} (target <= 1.5)")
    print(f"  desk without pandas/numpy (a clean annotator[gui] install): {lean_start:.0f} ms, "
          f"ratio {lean_start / bare_start:.2f}")


if __name__ == "__main__":
    main()
