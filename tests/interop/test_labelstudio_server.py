"""Our Label Studio tasks through a running Label Studio 1.23.2: imported by its REST API,
exported back, and every region's offsets still cover its text (code points, as LS counts)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.formats.labelstudio import read_labelstudio
from annotator.importing import import_documents
from annotator.model import Document, make_span

from . import labelstudio_server as ls
from .conftest import export

pytestmark = pytest.mark.interop

# The page measurement: «دِمَشْقَ» after five emoji (four outside the BMP) is 49-57.
EMOJI_TEXT = "🔴 عاجل ✈ 🚀 قصف 💥 صاروخي 😢 على المطار في العاصمةِ دِمَشْقَ و👍 حلب 🇸🇾 اليوم"


def _emoji_document() -> Document:
    spans = [make_span(EMOJI_TEXT, 49, 57, "LOC", "ali")]
    for word, label in (("حلب", "LOC"), ("المطار", "MIS1"), ("صاروخي", "MIS2")):
        start = EMOJI_TEXT.index(word)
        spans.append(make_span(EMOJI_TEXT, start, start + len(word), label, "ali"))
    return Document("emoji-1", EMOJI_TEXT, "خبر عاجل", tuple(spans))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    venv = Path(os.environ.get("ANNOTATOR_LS_VENV", ls.DEFAULT_VENV))
    if not (venv / "bin" / "label-studio").exists():
        if os.environ.get("ANNOTATOR_INTEROP_REQUIRE"):
            pytest.fail(f"no Label Studio in {venv}")
        pytest.skip(f"no Label Studio in {venv}: run scripts/interop.sh")
    with ls.running(venv, tmp_path_factory.mktemp("label-studio")) as running:
        print(f"Label Studio {ls.VERSION} answered after {running.started_in_s:.0f} s")
        yield running


def test_every_region_covers_its_text_after_a_trip_through_label_studio(
        server, aqmar_project, tmp_path):
    import_documents(aqmar_project, [_emoji_document()])
    out = tmp_path / "tasks.json"
    export(aqmar_project, out, flavor="labelstudio", source="import,ali")
    tasks = json.loads(out.read_text(encoding="utf-8"))
    project = server.create_project("annotator interop", list(aqmar_project.schema.names))
    assert server.import_tasks(project, tasks)["task_count"] == len(tasks) == 7
    back = server.export_tasks(project)
    assert len(back) == 7
    regions = 0
    for task in back:
        text = task["data"]["text"]
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                value = result["value"]
                assert text[value["start"]:value["end"]] == value["text"], (task["data"]["doc_id"],
                                                                            value)
                regions += 1
    assert regions == sum(len(r["result"]) for t in tasks for r in t["annotations"]) > 100
    emoji = next(t for t in back if t["data"]["doc_id"] == "emoji-1")
    first = emoji["annotations"][0]["result"]
    assert {(r["value"]["start"], r["value"]["end"]) for r in first} >= {(49, 57)}
    # What Label Studio gives back reads into the very spans we sent.
    sent = {d.doc_id: {(s.start, s.end, s.label) for s in d.spans}
            for d in read_labelstudio(out.read_text(encoding="utf-8"), path_name=str(out))}
    got = {d.doc_id: {(s.start, s.end, s.label) for s in d.spans}
           for d in read_labelstudio(json.dumps(back, ensure_ascii=False), path_name="ls.json")}
    assert got == sent


def test_label_studio_keeps_the_brat_fixtures_relations(server, tmp_path):
    from annotator.formats.brat import ann_text
    from annotator.formats.labelstudio import task_record
    from annotator.text.links import event_links
    from tests.core.test_relation_formats import fixture

    doc = fixture()
    kinds = sorted({link.type for link in event_links(doc)[0]})
    project = server.create_project("annotator relations", sorted({s.label for s in doc.spans}),
                                    kinds)
    assert server.import_tasks(project, [task_record(doc)])["task_count"] == 1
    (back,) = server.export_tasks(project)
    result = back["annotations"][0]["result"]
    assert sum(r["type"] == "relation" for r in result) == 11
    (got,) = read_labelstudio(json.dumps([back], ensure_ascii=False), path_name="ls.json")
    assert ann_text(got) == ann_text(doc)
    assert len(got.relations) == 4 and len(got.events) == 2


def test_layer_names_come_back_from_label_studio(server):
    """Label Studio makes the importing user every annotation's ``completed_by`` and drops our
    ``annotator`` key; the layer names come back through ``import_id`` and the task's meta."""
    from annotator.formats.labelstudio import task_record
    from annotator.model import GOLD

    text = "قصف الطيران حي الشعار في حلب"
    spans = tuple(make_span(text, text.index(w), text.index(w) + len(w), label, layer)
                  for w, label, layer in (("حلب", "LOC", "ali"), ("الشعار", "LOC", "omar"),
                                          ("حلب", "LOC", GOLD)))
    doc = Document("layers-1", text, "طبقات", spans)
    project = server.create_project("annotator layers", ["LOC"])
    assert server.import_tasks(project, [task_record(doc)])["task_count"] == 1
    (back,) = server.export_tasks(project)
    assert {a["completed_by"] for a in back["annotations"]} == {1}  # one user, whoever made them
    warnings: list[str] = []
    (got,) = read_labelstudio(json.dumps([back], ensure_ascii=False), path_name="ls.json",
                              warn=warnings.append)
    def layers(spans):  # noqa: ANN001, ANN202
        return sorted((s.annotator, s.start, s.end, s.label) for s in spans)

    assert layers(got.spans) == layers(doc.spans) and warnings == []
