"""File ▸ Import through the core, with a progress dialog whose Cancel leaves nothing behind."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressDialog

from ui.desk.io_dialogs import export_file, import_files


def write_articles(folder, n=3):
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(f"عنوان الخبر رقم {i}\n\nنص الخبر عن مدينة حلب رقم {i}.\n",
                                          encoding="utf-8")
    return folder


def test_import_adds_articles_and_refreshes_the_queue(desk, tmp_path):
    before = desk.project.store.count("articles")
    added = import_files(desk, [write_articles(tmp_path / "in")])
    assert added == 3
    assert desk.project.store.count("articles") == before + 3
    desk.queue.model.fetchMore()
    assert desk.queue.model.total == before + 3


def test_cancelled_import_changes_nothing(desk, tmp_path, monkeypatch):
    before = desk.project.store.count("articles")
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    assert import_files(desk, [write_articles(tmp_path / "in")]) is None
    assert desk.project.store.count("articles") == before


def test_export_writes_the_file(desk, tmp_path):
    out = tmp_path / "out" / "news.jsonl"
    assert export_file(desk, out) == desk.project.store.count("articles")
    assert out.read_text("utf-8").count("\n") == desk.project.store.count("articles")


def test_the_import_dialog_offers_every_ending_the_registry_reads(desk, monkeypatch):
    """The desk's filter comes from annotator.formats.registry (it listed 6 of 12 endings)."""
    from ui.desk import io_dialogs

    asked = {}

    def choose_nothing(parent, title, folder, filters):  # noqa: ANN001, ANN202
        asked["filters"] = filters
        return [], ""

    monkeypatch.setattr(io_dialogs.QFileDialog, "getOpenFileNames", staticmethod(choose_nothing))
    assert io_dialogs.import_dialog(desk) is None
    articles, everything = asked["filters"].split(";;")
    assert articles.endswith("(*.txt *.text *.jsonl *.ndjson *.json *.conll *.conllu *.bio *.iob"
                             " *.tsv *.xml *.spacy *.ann)")
    assert everything.endswith("(*)")
