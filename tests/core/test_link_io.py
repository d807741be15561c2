"""Relations and events through import, native JSONL, export and stats (issue 15's plumbing)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from annotator.errors import InputError, SchemaError
from annotator.exporting import ExportOptions, export_project
from annotator.formats.jsonl import read_jsonl, write_jsonl
from annotator.importing import import_documents
from annotator.model import Document, Event, EventArgument, Relation, make_span
from annotator.project import Project
from annotator.stats import project_stats

# An emoji first (UTF-16 positions differ), an LRM before the place, a relation across a line break.
TEXT = "😀 أفادت وكالة سبوتنيك بأن قصفاً صاروخياً استهدف \u200eحقل العمر\nفي سوريا يوم ٢٠١٩."


def _span(word: str, label: str, who: str = "ali", *, start: int | None = None):
    at = TEXT.index(word) if start is None else start
    return make_span(TEXT, at, at + len(word), label, who)


SPUTNIK = _span("سبوتنيك", "SOURCE")
STRIKE = _span("قصفاً", "ATTACK")
MISSILE = _span("صاروخياً", "WEAPON")
FIELD = _span("\u200eحقل العمر", "LOCATION")  # starts on the LRM: the import moves it inwards
SYRIA = _span("سوريا", "LOCATION")
YEAR = _span("٢٠١٩", "DATE")


def _doc(who: str = "ali") -> Document:
    spans = [s if who == "ali" else s.with_annotator(who)
             for s in (SPUTNIK, STRIKE, MISSILE, FIELD, SYRIA, YEAR)]
    sputnik, strike, missile, field, syria, year = spans
    return Document(
        "a1", TEXT, "قصف", tuple(spans),
        relations=(Relation("located-in", field, syria, who), Relation("reported-by", strike, sputnik, who)),
        events=(Event("attack", strike, (EventArgument("place", field), EventArgument("place", syria),
                                         EventArgument("instrument", missile),
                                         EventArgument("time", year)), who),),
    )


def _jsonl(docs: list[Document]) -> str:
    out = io.StringIO()
    write_jsonl(docs, out)
    return out.getvalue()


def test_native_jsonl_round_trips_relations_and_events() -> None:
    doc = Document("a1", TEXT, "قصف", (SYRIA, STRIKE, SPUTNIK),
                   relations=(Relation("reported-by", STRIKE, SPUTNIK, "ali", provenance="import"),),
                   events=(Event("attack", STRIKE, (EventArgument("place", SYRIA),), "ali"),))
    written = _jsonl([doc])
    record = json.loads(written)
    assert [s["text"] for s in record["spans"]] == ["سبوتنيك", "قصفاً", "سوريا"]
    assert record["relations"] == [{"type": "reported-by", "head": 1, "tail": 0, "annotator": "ali",
                                    "provenance": "import"}]
    assert record["events"] == [{"type": "attack", "trigger": 1, "annotator": "ali",
                                 "arguments": [{"role": "place", "span": 2}]}]
    assert list(record) == ["id", "title", "text", "spans", "relations", "events", "meta"]
    [back] = read_jsonl(written, path_name="a.jsonl")
    assert back.relations == doc.relations and back.events == doc.events
    assert _jsonl([back]) == written


def test_a_document_without_links_writes_the_same_bytes_as_before() -> None:
    assert '"relations"' not in _jsonl([Document("a1", TEXT, "", (SYRIA,))])


@pytest.mark.parametrize(
    "links, message",
    [
        ('"relations": [{"type": "near", "head": 0, "tail": 5}]', r"a\.jsonl:1: .*tail must be the index of one of the 1 spans, found 5"),
        ('"events": [{"type": "attack", "trigger": true}]', "trigger must be the index"),
        ('"relations": [{"type": "near", "head": 0, "tail": 0, "annotator": "omar"}]',
         "joins spans of layers ali, omar"),
        ('"relations": [7]', "each of relations must be a JSON object"),
    ],
)
def test_bad_links_in_jsonl_are_one_located_error(links: str, message: str) -> None:
    line = ('{"id": "a1", "text": "سوريا", "spans": [{"start": 0, "end": 5, "label": "LOCATION",'
            ' "annotator": "ali"}], ' + links + "}\n")
    with pytest.raises(InputError, match=message):
        list(read_jsonl(line, path_name="a.jsonl"))


def test_import_stores_links_in_their_spans_layer_once(project: Project) -> None:
    report = import_documents(project, [_doc()])
    assert (report.links.relations_added, report.links.events_added, report.spans_trimmed) == (2, 1, 1)
    session = project.session("ali")
    reported, located = session.relations(1)  # by head, in text order
    assert (reported.type, reported.head.text, reported.tail.text) == ("reported-by", "قصفاً", "سبوتنيك")
    assert (located.type, located.head.text, located.tail.text) == ("located-in", "حقل العمر", "سوريا")
    [event] = session.events(1)
    assert [(a.role, a.span.text) for a in event.arguments] == [
        ("place", "حقل العمر"), ("place", "سوريا"), ("instrument", "صاروخياً"), ("time", "٢٠١٩")]
    again = import_documents(project, [_doc()])
    assert (again.links.relations_added, again.links.relations_existing, again.links.events_existing) == (0, 2, 1)
    assert len(session.relations(1)) == 2 and len(session.events(1)[0].arguments) == 4
    layered = import_documents(project, [_doc()], as_annotator="batch2")
    assert layered.links.relations_added == 2
    assert [r.annotator for r in project.session("admin").layer_relations(1, "batch2")] == ["batch2"] * 2


def test_import_refuses_unknown_link_types_or_adds_them(project: Project) -> None:
    doc = Document("a1", TEXT, "", (STRIKE, SYRIA),
                   relations=(Relation("near", STRIKE, SYRIA, "ali"),),
                   events=(Event("attack", STRIKE, (EventArgument("region", SYRIA),), "ali"),))
    with pytest.raises(SchemaError, match=r"types \(or roles\) not in the schema: attack, near"):
        import_documents(project, [doc])
    assert project.article_ids() == []  # all or nothing
    report = import_documents(project, [doc], new_labels="add")
    assert report.labels_added == ["attack", "near"]
    schema = project.schema
    assert schema.relation_type("near").heads == ("ATTACK",) and schema.relation_type("near").tails == ("LOCATION",)
    assert schema.event_type("attack").role("region").labels == ("LOCATION",)
    assert schema.event_type("attack").role("place").labels == ("LOCATION",)  # kept


def test_import_refuses_a_link_to_a_span_the_document_lacks(project: Project) -> None:
    doc = Document("a1", TEXT, "", (STRIKE,), relations=(Relation("reported-by", STRIKE, SPUTNIK, "ali"),),
                   meta={"path": "in.jsonl", "line": 3})
    with pytest.raises(InputError, match=r"in\.jsonl:3: document 'a1': relation reported-by points at a span"):
        import_documents(project, [doc])
    assert project.article_ids() == []


def test_export_hands_links_to_writers_and_counts_what_others_leave_out(project: Project, tmp_path: Path) -> None:
    import_documents(project, [_doc("ali"), Document("b1", "خبر آخر")])
    native = export_project(project, tmp_path / "out.jsonl", ExportOptions(source="ali"))
    [record] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["type"], record["spans"][r["head"]]["text"]) for r in record["relations"]] == [
        ("reported-by", "قصفاً"), ("located-in", "حقل العمر")]
    assert [a["role"] for a in record["events"][0]["arguments"]] == ["place", "place", "instrument", "time"]
    assert native.links_left_out == {}
    conll = export_project(project, tmp_path / "out.conll", ExportOptions(format="conll", source="ali"))
    assert conll.links_left_out == {"relations": 2, "events": 1}
    assert conll.card is not None
    card = conll.card.read_text(encoding="utf-8")
    assert "- relations and events: 1 events, 2 relations left out" in card


def test_a_blind_annotator_exports_and_counts_only_her_own_links(project: Project, tmp_path: Path) -> None:
    import_documents(project, [_doc("ali")])
    import_documents(project, [_doc("mona")])
    for name, role in (("admin", "admin"), ("ali", "annotator"), ("mona", "annotator")):
        project.store.set_user(name, role)
    mona = project.session("mona")
    mona.set_state(1, "done")
    export_project(project, tmp_path / "m.jsonl", ExportOptions(source="human"), session=mona)
    [record] = [json.loads(line) for line in (tmp_path / "m.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["annotator"] for r in record["relations"]} == {"mona"}
    assert {s["annotator"] for s in record["spans"]} == {"mona"}
    figures = project_stats(project, mona)
    assert (figures["relations"], figures["events"]) == (2, 1)
    assert figures["relations_per_type"] == {"located-in": 1, "reported-by": 1}
    assert figures["arguments_per_role"] == {"attack/instrument": 1, "attack/place": 2, "attack/time": 1}
    assert project_stats(project)["relations"] == 4


def test_starting_from_an_imported_layer_copies_its_links_in_one_undo_step(project: Project) -> None:
    import_documents(project, [_doc()], as_annotator="import")
    mona = project.session("mona")
    copied = mona.start_from_layer(1, "import")
    assert len(copied) == 6
    relations, events = mona.relations(1), mona.events(1)
    assert [(r.type, r.head.annotator, r.provenance) for r in relations] == [
        ("reported-by", "mona", "from import"), ("located-in", "mona", "from import")]
    assert [(a.role, a.span.text, a.span.annotator) for a in events[0].arguments][:2] == [
        ("place", "حقل العمر", "mona"), ("place", "سوريا", "mona")]
    assert mona.undo(1)
    assert (mona.spans(1), mona.relations(1), mona.events(1)) == ([], [], [])
    assert mona.redo(1)
    assert [r.key for r in mona.relations(1)] == [r.key for r in relations]
    assert [e.key for e in mona.events(1)] == [e.key for e in events]
    assert len(mona.events(1)[0].arguments) == 4


def test_import_summary_and_stats_command_name_the_links(project: Project) -> None:
    from click.testing import CliRunner

    from annotator.cli import cli

    report = import_documents(project, [_doc()])
    assert report.summary() == ("1 articles added; 0 already present; 6 spans added; 1 spans moved off"
                                " invisible format marks at their ends; 2 relations added; 1 events added")
    project.close()
    result = CliRunner().invoke(cli, ["stats", str(project.path)])
    assert result.exit_code == 0, result.output
    assert "2 relations, 1 events\n  located-in              1\n  reported-by             1\n" \
        "  attack                  1\n" in result.output


def test_merging_a_label_moves_the_removed_duplicates_links_to_the_survivor(project: Project) -> None:
    """PER merged into PERSON: where a layer held one range under both labels, the PER span is
    removed, and the relation on it moves to the PERSON span instead of vanishing."""
    text = "انضم أحمد إلى الجيش."
    ahmad = (len("انضم "), len("انضم أحمد"))
    army = (len("انضم أحمد إلى "), len("انضم أحمد إلى الجيش"))
    per, person = make_span(text, *ahmad, "PER", "ali"), make_span(text, *ahmad, "PERSON", "ali")
    org = make_span(text, *army, "ORGANIZATION", "ali")
    joined = make_span(text, 0, len("انضم"), "ATTACK", "ali")  # a trigger, for an argument on PER
    doc = Document("m1", text, "", (per, person, org, joined),
                   relations=(Relation("member-of", per, org, "ali"),),
                   events=(Event("attack", joined, (EventArgument("attacker", per),), "ali"),))
    import_documents(project, [doc], new_labels="add")
    assert project.merge_label("PER", "PERSON") == (0, 1)
    [relation] = project.session("ali").relations(1)
    assert relation.key == ("member-of", (*ahmad, "PERSON"), (*army, "ORGANIZATION"))
    [event] = project.session("ali").events(1)
    assert [a.key for a in event.arguments] == [("attacker", (*ahmad, "PERSON"))]
