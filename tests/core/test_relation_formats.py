"""Every format that can hold links keeps the brat fixture's relations and events: brat ->
format -> brat gives the same .ann, exact offsets included; doccano's UTF-16 offsets after the
emoji are checked against values written by hand."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

import pytest

from annotator.errors import InputError
from annotator.formats import doccano, events_json, labelstudio, prodigy
from annotator.formats.brat import ann_text, read_brat
from annotator.model import Document
from annotator.schema import load_schema_file, schema_from_data
from annotator.text.links import schema_triggers

BRAT = Path(__file__).resolve().parents[1] / "fixtures" / "brat"
LAYER = "ali"
NEWS = schema_from_data(load_schema_file(Path(__file__).resolve().parents[2] / "schemas" / "news.json"), 1)


def fixture() -> Document:
    """The brat fixture as import stores it: triggers (brat: typed by their event) get the
    schema's trigger label back."""
    text = (BRAT / "strike.txt").read_text(encoding="utf-8")
    ann = (BRAT / "strike.ann").read_text(encoding="utf-8")
    doc = read_brat(text, ann, doc_id="strike", ann_name="strike.ann", annotator=LAYER)
    return schema_triggers(doc, NEWS)


Writer = Callable[[Iterable[Document], TextIO], int]
Reader = Callable[[str], Iterator[Document]]
FORMATS: dict[str, tuple[Writer, Reader]] = {
    "doccano": (doccano.write_doccano,
                lambda text: doccano.read_doccano(text, path_name="x.jsonl", annotator=LAYER)),
    "labelstudio": (labelstudio.write_labelstudio,
                    lambda text: labelstudio.read_labelstudio(text, path_name="x.json")),
    "prodigy": (prodigy.write_prodigy, lambda text: prodigy.read_prodigy(text, path_name="x.jsonl")),
    "events": (events_json.write_events_json,
               lambda text: events_json.read_events_json(text, path_name="x.jsonl")),
}


def through(name: str, doc: Document) -> tuple[str, Document]:
    write, read = FORMATS[name]
    out = io.StringIO()
    write([doc], out)
    (back,) = read(out.getvalue())
    return out.getvalue(), back


def links(doc: Document) -> tuple[list[tuple], list[tuple]]:
    """Relations and events as comparable keys (argument order aside)."""
    return (sorted(r.key + (r.annotator,) for r in doc.relations),
            sorted((e.key, sorted(a.key for a in e.arguments), e.annotator) for e in doc.events))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_brat_to_format_to_brat_keeps_every_link(name: str) -> None:
    original = fixture()
    _, back = through(name, original)
    assert back.text == original.text
    assert back.spans == original.spans
    assert links(back) == links(original)
    assert ann_text(back) == ann_text(original)


def test_doccano_counts_utf16_after_the_emoji() -> None:
    written, _ = through("doccano", fixture())
    record = json.loads(written)
    entities = {e["id"]: (e["start_offset"], e["end_offset"], e["label"]) for e in record["entities"]}
    # Hand-counted: «🔴» is 2 UTF-16 units, so every brat (code point) offset moves by one.
    assert entities == {1: (9, 12, "ATTACK"), 2: (13, 19, "WEAPON"), 3: (24, 33, "LOCATION"),
                        4: (37, 46, "LOCATION"), 5: (53, 60, "SOURCE"), 6: (75, 79, "SOURCE"),
                        7: (83, 88, "ATTACK"), 8: (103, 108, "LOCATION"), 9: (114, 124, "DATE")}
    assert [(r["from_id"], r["to_id"], r["type"]) for r in record["relations"]] == [
        (1, 5, "reported-by"), (3, 4, "located-in"), (7, 6, "reported-by"), (8, 4, "located-in"),
        (1, 3, "attack:place"), (1, 4, "attack:place"), (1, 2, "attack:instrument"),
        (1, 5, "attack:source"), (7, 3, "attack:place"), (7, 9, "attack:time"),
        (7, 6, "attack:source")]


def test_doccano_without_links_keeps_the_label_shape_unless_asked() -> None:
    doc = Document("a", "قصف حلب")
    assert "label" in doccano.doccano_record(doc)
    assert doccano.doccano_record(doc, relations=True) == {
        "doc_id": "a", "title": "", "text": "قصف حلب", "entities": [], "relations": []}


def test_labelstudio_relations_between_regions_and_direction_left() -> None:
    written, _ = through("labelstudio", fixture())
    (task,) = json.loads(written)
    result = task["annotations"][0]["result"]
    regions = {r["id"]: r["value"]["text"] for r in result if r["type"] == "labels"}
    relations = [(regions[r["from_id"]], regions[r["to_id"]], r["labels"], r["direction"])
                 for r in result if r["type"] == "relation"]
    assert relations[0] == ("قصف", "سبوتنيك", ["reported-by"], "right")
    assert len(relations) == 11
    # direction "left" runs from to_id to from_id
    for r in result:
        if r["type"] == "relation":
            r["from_id"], r["to_id"], r["direction"] = r["to_id"], r["from_id"], "left"
    (back,) = labelstudio.read_labelstudio(json.dumps([task]), path_name="x.json")
    assert links(back) == links(fixture())


def test_labelstudio_unlabelled_relation_is_skipped_and_reported() -> None:
    task = {"data": {"text": "قصف حلب"}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 0, "end": 3, "labels": ["ATTACK"]}},
        {"id": "b", "type": "labels", "value": {"start": 4, "end": 7, "labels": ["LOCATION"]}},
        {"type": "relation", "from_id": "a", "to_id": "b", "direction": "right"}]}]}
    warnings: list[str] = []
    (doc,) = labelstudio.read_labelstudio(json.dumps([task]), path_name="t.json",
                                          warn=warnings.append)
    assert doc.relations == () and len(doc.spans) == 2
    assert warnings == ["t.json:1: record 1: skipped a relation without a label"]


def test_prodigy_relations_name_the_last_token_of_each_end() -> None:
    written, _ = through("prodigy", fixture())
    record = json.loads(written)
    tokens = [t["text"] for t in record["tokens"]]
    first = record["relations"][0]
    assert (first["label"], tokens[first["head"]], tokens[first["child"]]) == (
        "reported-by", "قصف", "سبوتنيك")
    located = record["relations"][1]
    assert tokens[located["head"]] == "العمر"  # «حقل العمر»: the arc leaves its last token
    assert located["head_span"] == {"start": 23, "end": 32, "token_start": 6, "token_end": 7,
                                    "label": "LOCATION"}


def test_prodigy_relations_match_what_rel_manual_saves() -> None:
    """The shape of a record Prodigy saved (the Genia example explosion's relation tutorial
    reads): ``head``/``child`` the last token of each end, ``*_span`` with offsets, token
    indices and label; the tokens, each text with a space when ``ws``, give the text back
    (the fixture's line break is a token), so ``Doc(words, spaces).char_span`` finds every end."""
    written, _ = through("prodigy", fixture())
    record = json.loads(written)
    tokens = record["tokens"]
    text = "".join(t["text"] + (" " if t["ws"] else "") for t in tokens)
    assert text == record["text"] and "\n" in [t["text"] for t in tokens]
    for relation in record["relations"]:
        assert sorted(relation) == ["child", "child_span", "head", "head_span", "label"]
        for end, index in (("head_span", "head"), ("child_span", "child")):
            span = relation[end]
            assert sorted(span) == ["end", "label", "start", "token_end", "token_start"]
            assert relation[index] == span["token_end"]
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]
    across = [r for r in record["relations"] if r["head_span"]["start"] > record["text"].index("\n")]
    assert across, "the fixture has an end after the line break"


def test_prodigy_token_only_relations_name_the_span_ending_on_that_token() -> None:
    """``{"head": 1, "child": 4}`` without ``*_span`` (hand-made or converted data): each
    index is the last token of a listed span, as Prodigy's recipes read it."""
    text = "قصف حقل العمر في دير الزور"
    tokens = [{"text": w, "start": text.index(w), "end": text.index(w) + len(w), "id": i, "ws": True}
              for i, w in enumerate(text.split())]
    spans = [{"start": 4, "end": 13, "token_start": 1, "token_end": 2, "label": "LOCATION"},
             {"start": 17, "end": 26, "label": "LOCATION"}]  # no token indices: found by its end
    record = {"text": text, "tokens": tokens, "spans": spans,
              "relations": [{"head": 2, "child": 5, "label": "located-in"}]}
    (doc,) = prodigy.read_prodigy(json.dumps(record, ensure_ascii=False), path_name="t.jsonl")
    assert [(r.type, r.head.text, r.tail.text) for r in doc.relations] == [
        ("located-in", "حقل العمر", "دير الزور")]
    record["relations"][0]["child"] = 4  # «في»: no span ends there
    with pytest.raises(InputError) as caught:
        list(prodigy.read_prodigy(json.dumps(record, ensure_ascii=False), path_name="t.jsonl"))
    assert str(caught.value) == ("t.jsonl:1: record 1: relation located-in has no child_span, "
                                 "and its child 4 is the last token of no span")


def test_prodigy_relation_ends_are_never_null() -> None:
    """An end starting on the space a token's ``ws`` stands for has no token indices; its
    ``head`` is still a token index (the last token it overlaps), not null (before: null)."""
    from annotator.model import Relation, make_span

    text = "قصف حلب"
    head = make_span(text, 0, 3, "ATTACK", LAYER)
    tail = make_span(text, 3, 7, "LOCATION", LAYER)  # « حلب»: from the space
    doc = Document("n", text, spans=(head, tail), relations=(Relation("located-in", head, tail, LAYER),))
    written, back = through("prodigy", doc)
    (relation,) = json.loads(written)["relations"]
    assert (relation["head"], relation["child"]) == (0, 1)
    assert relation["child_span"] == {"start": 3, "end": 7, "label": "LOCATION"}
    assert [(r.head.text, r.tail.text) for r in back.relations] == [("قصف", " حلب")]


def test_event_json_is_the_ace_shape() -> None:
    written, _ = through("events", fixture())
    record = json.loads(written)
    assert sorted(record) == ["annotator", "doc_id", "entity_mentions", "event_mentions",
                              "relation_mentions", "text", "title"]
    second = record["event_mentions"][1]
    assert second["trigger"] == {"text": "قصفاً", "start": 82, "end": 87, "label": "ATTACK"}
    assert second["arguments"][0] == {"entity_id": "strike-E3", "text": "حقل العمر",
                                      "role": "place", "start": 23, "end": 32}
    # A trigger that is also a relation's end stays an entity mention (reported-by Arg1).
    assert "قصف" in [m["text"] for m in record["entity_mentions"]]
    relation = record["relation_mentions"][3]
    assert [(a["text"], a["role"]) for a in relation["arguments"]] == [
        ("الحقل", "Arg-1"), ("دير الزور", "Arg-2")]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("doccano", '{"text": "قصف حلب", "entities": [{"id": 1, "start_offset": 0, "end_offset": 3,'
                    ' "label": "ATTACK"}], "relations": [{"id": 1, "from_id": 1, "to_id": 2,'
                    ' "type": "located-in"}]}',
         "x.jsonl:1: record 1: relation 1 to_id 2 names no entity"),
        ("events", '{"doc_id": "a", "text": "قصف حلب", "event_mentions": [{"event_type": "attack",'
                   ' "trigger": {"start": 0, "end": 3}, "arguments": [{"entity_id": "z",'
                   ' "role": "place"}]}]}',
         "x.jsonl:1: record 1 (id 'a'): argument entity_id 'z' names no entity mention"),
        ("prodigy", '{"text": "قصف حلب", "relations": [{"head": 0, "child": 1}]}',
         "x.jsonl:1: record 1: relation 0->1 has no label"),
    ],
)
def test_bad_links_are_one_line_naming_file_and_line(name: str, text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        list(FORMATS[name][1](text))
    assert str(caught.value) == message


def test_a_label_map_renames_the_ends_of_links_too() -> None:
    from annotator.label_map import LabelMap

    (doc,) = LabelMap.parse("ATTACK=EVENT").apply([fixture()])
    doc.check()  # before: relations still named the old ATTACK spans, which the doc lacked
    assert [r.head.label for r in doc.relations] == ["EVENT", "LOCATION", "EVENT", "LOCATION"]
    assert {e.trigger.label for e in doc.events} == {"EVENT"}
    assert [s.label for s in doc.spans].count("EVENT") == 2
