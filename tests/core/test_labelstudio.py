"""Label Studio tasks: code-point offsets, annotator layers, predictions, array line numbers."""

from __future__ import annotations

import io
import json

import pytest

from annotator.errors import InputError
from annotator.formats.labelstudio import read_labelstudio, write_labelstudio
from annotator.model import GOLD, Document, Span, make_span

from .samples import CITY, ORG, TEXT, sample_document


def _doc() -> Document:
    return sample_document(
        make_span(TEXT, len(CITY), len(CITY + "دمشـــق"), "LOCATION", "ali"),
        make_span(TEXT, len(ORG), len(ORG + "Google"), "ORGANIZATION", GOLD),
        make_span(TEXT, len(ORG + "Google ستفتح مكتباً عام "), len(TEXT) - 1, "DATE", "ali"),
    )


def _write(docs: list[Document]) -> str:
    out = io.StringIO()
    assert write_labelstudio(docs, out) == len(docs)
    return out.getvalue()


# The issue's measurement in Label Studio 1.23.2's labelling page: «دِمَشْقَ» after five emoji
# (four outside the BMP) was stored as 49-57, Python's text[49:57]; UTF-16 would say 53-61.
EMOJI_PREFIX = "🔴 عاجل ✈ 🚀 قصف 💥 صاروخي 😢 على المطار في العاصمةِ "
DIMASHQ = "دِمَشْقَ"


def test_offsets_are_code_points_as_label_studio_stores_them() -> None:
    text = EMOJI_PREFIX + DIMASHQ + " اليوم"
    assert (len(EMOJI_PREFIX), len(EMOJI_PREFIX.encode("utf-16-le")) // 2) == (49, 53)
    doc = Document("e1", text, spans=(make_span(text, 49, 57, "LOCATION", "ali"),))
    (task,) = json.loads(_write([doc]))
    value = task["annotations"][0]["result"][0]["value"]
    assert (value["start"], value["end"], value["text"]) == (49, 57, DIMASHQ)
    # A task labelled in Label Studio (its own 49-57) reads back onto the same characters.
    (back,) = read_labelstudio(json.dumps([task], ensure_ascii=False), path_name="ls.json")
    assert [(s.start, s.end, s.text) for s in back.spans] == [(49, 57, DIMASHQ)]


def test_writes_one_annotation_per_layer_with_code_point_offsets() -> None:
    (task,) = json.loads(_write([_doc()]))
    assert task["data"] == {"text": TEXT, "doc_id": "a1", "title": "عنوان"}
    ali, gold = task["annotations"]
    assert (ali["annotator"], ali["ground_truth"]) == ("ali", False)
    assert (gold["annotator"], gold["ground_truth"]) == (GOLD, True)
    assert ali["result"][0] == {
        "id": "s1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": len(CITY), "end": len(CITY + "دمشـــق"), "text": "دمشـــق",
                  "labels": ["LOCATION"]},
    }
    assert ali["result"][1]["value"]["start"] == len(ORG + "Google ستفتح مكتباً عام ")
    assert "completed_by" not in ali


def test_round_trip_is_exact() -> None:
    first = _write([_doc(), Document("a2", "نص")])
    docs = list(read_labelstudio(first, path_name="t.json"))
    assert [d.doc_id for d in docs] == ["a1", "a2"]
    assert docs[0].spans == _doc().spans
    assert docs[0].title == "عنوان"
    assert docs[0].meta == {}
    assert _write(docs) == first


LS_EXPORT = """[
  {"id": 12, "data": {"text": "🇸🇾 زار دمشق\\r\\nثم حلب", "source": "x"},
   "annotations": [
     {"id": 9, "completed_by": 3, "was_cancelled": false, "result": [
       {"value": {"start": 7, "end": 11, "text": "دمشق", "labels": ["LOC", "CITY"]},
        "id": "r1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual"},
       {"value": {"choices": ["news"]}, "id": "c", "type": "choices"}]},
     {"id": 10, "completed_by": {"id": 4, "email": "omar@example.org"}, "result": [
       {"value": {"start": 16, "end": 19, "text": "حلب", "labels": ["LOC"]}, "type": "labels"}]},
     {"id": 11, "completed_by": 5, "was_cancelled": true, "result": []}],
   "predictions": [{"model_version": "crf-1", "score": 0.5, "result": [
       {"value": {"start": 7, "end": 11, "labels": ["LOC"]}, "type": "labels"}]}]}
]"""


def test_reads_a_label_studio_export() -> None:
    notes: list[str] = []
    (doc,) = read_labelstudio(LS_EXPORT, path_name="ls.json", warn=notes.append)
    assert doc.doc_id == "12"
    assert doc.text == "🇸🇾 زار دمشق\nثم حلب"
    assert doc.meta == {"source": "x"}
    city = (len("🇸🇾 زار "), len("🇸🇾 زار دمشق"))
    aleppo = (len("🇸🇾 زار دمشق\nثم "), len(doc.text))
    assert [(s.start, s.end, s.label, s.annotator) for s in doc.spans] == [
        (*city, "CITY", "ls-user-3"),
        (*city, "LOC", "ls-user-3"),
        (*city, "LOC", "prediction:crf-1"),
        (*aleppo, "LOC", "omar@example.org"),
    ]
    assert notes == ["ls.json:2: record 1 (id 12): skipped a cancelled annotation"]


def test_predictions_can_be_left_out_and_text_key_guessed() -> None:
    tasks = [
        {
            "data": {"content": "في دمشق"},
            "predictions": [
                {"result": [{"type": "labels", "value": {"start": 3, "end": 7, "labels": ["L"]}}]}
            ],
        }
    ]
    text = json.dumps(tasks, ensure_ascii=False)
    (doc,) = read_labelstudio(text, path_name="t.json", predictions=False)
    assert (doc.text, doc.spans, doc.doc_id) == ("في دمشق", (), "t#1")
    (doc,) = read_labelstudio(text, path_name="t.json")
    assert doc.spans == (Span(3, 7, "L", "دمشق", "prediction"),)


def _tasks_with_bad_third(value: dict[str, object]) -> str:
    good = '  {"data": {"text": "أ"}},\n'
    bad = {
        "id": 3,
        "data": {"text": "في دمشق"},
        "annotations": [{"result": [{"type": "labels", "value": value}]}],
    }
    return "[\n" + good + good + "  " + json.dumps(bad, ensure_ascii=False) + "\n]"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"start": 3, "end": 70, "labels": ["L"]}, "outside the text"),
        ({"start": 7, "end": 3, "labels": ["L"]}, "reversed"),
        ({"start": 3, "end": 7, "text": "حلب", "labels": ["L"]}, "records text 'حلب'"),
        ({"start": 3, "end": 7, "labels": []}, "has no labels"),
    ],
)
def test_bad_region_names_the_task_line(value: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        list(read_labelstudio(_tasks_with_bad_third(value), path_name="tasks.json"))
    assert str(info.value).startswith("tasks.json:4: record 3 (id 3): ")


def test_json_syntax_error_uses_decoder_line() -> None:
    text = '[\n  {"data": {"text": "أ"}},\n  {"data": {"text": "ب"}}\n  {"data": {}}\n]'
    with pytest.raises(InputError, match=r"^tasks\.json:4: invalid JSON"):
        list(read_labelstudio(text, path_name="tasks.json"))


def test_empty_inputs() -> None:
    for text in ("", "  ", "[]", "[ \n ]"):
        with pytest.raises(InputError, match="empty file"):
            list(read_labelstudio(text, path_name="e.json"))


def test_missing_text_field() -> None:
    with pytest.raises(InputError, match="cannot tell which data field"):
        list(read_labelstudio('[{"data": {"a": "x", "b": "y"}}]', path_name="e.json"))


def _through_label_studio(tasks: list[dict], *, meta: bool = True) -> str:
    """What Label Studio 1.23.2 did to our tasks (measured: import, then its JSON export):
    an annotation's own keys dropped but ``result``, ``ground_truth`` and ``id`` (kept as
    ``import_id``), ``completed_by`` the importing user's id, the task's ``meta`` kept."""
    back = []
    for number, task in enumerate(tasks, start=1):
        annotations = [{"id": 10 * number + k, "completed_by": 1, "result": a["result"],
                        "was_cancelled": False, "ground_truth": a["ground_truth"],
                        "import_id": a.get("id")} for k, a in enumerate(task["annotations"])]
        back.append({"id": number, "data": task["data"], "annotations": annotations,
                     "meta": task.get("meta", {}) if meta else {}, "predictions": []})
    return json.dumps(back, ensure_ascii=False)


def test_layer_names_survive_label_studio_naming_the_importing_user() -> None:
    """Our export numbers each layer's annotation and names it in the task's ``meta``, which
    Label Studio keeps: the layers come back as they left, gold included."""
    written = json.loads(_write([_doc()]))
    assert written[0]["meta"] == {"annotator_layers": {"1": "ali", "2": GOLD}}
    warnings: list[str] = []
    (back,) = read_labelstudio(_through_label_studio(written), path_name="ls.json", warn=warnings.append)
    assert back.spans == _doc().spans
    assert warnings == []


def test_annotations_that_come_back_under_one_user_are_read_into_one_layer_and_reported() -> None:
    """Without the names (a file that was not ours, or its meta dropped), every annotation of
    a task is the importing user's: one layer, and the reader says so."""
    written = json.loads(_write([_doc()]))
    warnings: list[str] = []
    (back,) = read_labelstudio(_through_label_studio(written, meta=False), path_name="ls.json",
                               warn=warnings.append)
    assert {s.annotator for s in back.spans} == {"ls-user-1"}
    assert [(s.start, s.end, s.label) for s in back.spans] == [
        (s.start, s.end, s.label) for s in _doc().spans]
    assert warnings == ["ls.json:1: record 1 (id 1): 2 annotations are all by ls-user-1 (Label Studio "
                        "names the importing user): read into one layer"]
