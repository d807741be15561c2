"""brat standoff: the hand-written Arabic fixture read exactly, written back byte for byte,
and every kind of line brat has either kept, reported as dropped, or refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.formats.brat import ann_text, read_brat, write_brat
from annotator.model import Document, Event, EventArgument, Relation, Span

BRAT = Path(__file__).resolve().parents[1] / "fixtures" / "brat"
TEXT = (BRAT / "strike.txt").read_text(encoding="utf-8")
ANN = (BRAT / "strike.ann").read_text(encoding="utf-8")
LINE_1 = "🔴 عاجل: قصف صاروخي على حقل العمر في دير الزور، بحسب سبوتنيك.\n"


def read_fixture(annotator: str = "") -> tuple[Document, list[str]]:
    warnings: list[str] = []
    doc = read_brat(TEXT, ANN, doc_id="strike", ann_name="strike.ann", annotator=annotator,
                    warn=warnings.append)
    return doc, warnings


def test_fixture_entities_are_code_points_after_the_emoji() -> None:
    doc, _ = read_fixture()
    by_text = {span.text: (span.start, span.end, span.label) for span in doc.spans}
    start = len("🔴 عاجل: ")  # the emoji is one code point: brat's offsets count it once
    # A trigger is typed with its event type in brat (T1 attack under E1 attack:T1); the
    # reader keeps brat's type, import maps it to the schema's trigger label (test_brat_project).
    assert by_text["قصف"] == (start, start + 3, "attack") == (8, 11, "attack")
    assert by_text["حقل العمر"] == (len("🔴 عاجل: قصف صاروخي على "), 32, "LOCATION")
    assert by_text["الحقل"] == (len(LINE_1 + "وأعلنت وكالة سانا أن قصفاً ثانياً استهدف "), 107,
                               "LOCATION")
    assert len(doc.spans) == 9


def test_fixture_events_share_an_argument_and_number_repeated_roles() -> None:
    doc, _ = read_fixture()
    first, second = doc.events
    assert (first.type, first.trigger.text) == ("attack", "قصف")
    assert [(a.role, a.span.text) for a in first.arguments] == [
        ("place", "حقل العمر"), ("place", "دير الزور"), ("instrument", "صاروخي"),
        ("source", "سبوتنيك")]
    assert [(a.role, a.span.text) for a in second.arguments] == [
        ("place", "حقل العمر"), ("time", "مساء الأحد"), ("source", "سانا")]
    assert first.arguments[0].span == second.arguments[0].span  # one span, two events


def test_fixture_relation_across_the_line_break() -> None:
    doc, _ = read_fixture()
    assert [(r.type, r.head.text, r.tail.text) for r in doc.relations] == [
        ("reported-by", "قصف", "سبوتنيك"), ("located-in", "حقل العمر", "دير الزور"),
        ("reported-by", "قصفاً", "سانا"), ("located-in", "الحقل", "دير الزور")]
    across = doc.relations[3]
    assert across.tail.end < len(LINE_1) <= across.head.start


def test_fixture_note_is_reported_and_the_rest_written_back_byte_for_byte() -> None:
    doc, warnings = read_fixture()
    assert warnings == ["strike.ann:1: dropped 1 note(s): brat keeps them, this project has no"
                        " place for them"]
    without_note = "".join(line for line in ANN.splitlines(keepends=True) if line[0] != "#")
    assert ann_text(doc) == without_note


def test_layer_is_given_by_the_reader_and_kept_on_every_link() -> None:
    doc, _ = read_fixture("ali")
    assert {s.annotator for s in doc.spans} == {"ali"}
    assert {r.annotator for r in doc.relations} == {e.annotator for e in doc.events} == {"ali"}
    doc.check()


def test_crlf_text_offsets_count_the_carriage_return_as_brat_does() -> None:
    # brat reads .txt with codecs.open: no newline translation, '\r' is a character.
    text = "قصف\r\nفي حلب"
    ann = "T1\tATTACK 0 3\tقصف\nT2\tLOCATION 8 11\tحلب\nR1\tlocated-in Arg1:T1 Arg2:T2\n"
    doc = read_brat(text, ann, doc_id="a", ann_name="a.ann")
    assert doc.text == "قصف\nفي حلب"
    assert [(s.start, s.end) for s in doc.spans] == [(0, 3), (7, 10)]


def test_span_across_lines_is_brats_fragments_joined_and_written_so() -> None:
    text = "قصف على حقل\nالعمر اليوم"
    field = Span(len("قصف على "), len("قصف على حقل\nالعمر"), "LOCATION", "حقل\nالعمر")
    ann = "T1\tLOCATION 8 11;12 17\tحقل العمر\n"
    doc = read_brat(text, ann, doc_id="a", ann_name="a.ann")
    assert doc.spans == (field,)
    assert ann_text(doc) == ann


def test_dropped_kinds_are_reported_with_the_links_that_needed_them() -> None:
    text = "قصف على حقل العمر في دير الزور"
    ann = ("T1\tATTACK 0 3\tقصف\nT2\tLOCATION 8 11;12 17\tحقل العمر\nT3\tLOCATION 21 30\tدير الزور\n"
           "R1\tlocated-in Arg1:T2 Arg2:T3\nE1\tattack:T1 place:T2 place2:T3\nA1\tNegation E1\n"
           "M2\tConfidence E1 High\nN1\tReference T3 Wikipedia:534366\t Deir ez-Zor\n")
    warnings: list[str] = []
    doc = read_brat(text, ann, doc_id="a", ann_name="a.ann", warn=warnings.append)
    assert [s.text for s in doc.spans] == ["قصف", "دير الزور"]
    assert doc.relations == ()
    assert [(a.role, a.span.text) for a in doc.events[0].arguments] == [("place", "دير الزور")]
    assert warnings == [
        "a.ann:1: dropped 2 attribute(s): brat keeps them, this project has no place for them",
        "a.ann:1: dropped 1 discontinuous entity(s): brat keeps them, this project has no place"
        " for them",
        "a.ann:1: dropped 1 event argument that is not an entity(s): brat keeps them, this project"
        " has no place for them",
        "a.ann:1: dropped 1 normalisation(s): brat keeps them, this project has no place for them",
        "a.ann:1: dropped 1 relation on a dropped entity(s): brat keeps them, this project has no"
        " place for them",
    ]


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        ("T1\tATTACK 0 3\tقصف\nR1\tlocated-in Arg1:T1 Arg2:T9\n",
         "a.ann:2: R1: names T9, which is not an entity of this file"),
        ("T1\tATTACK 0 x\tقصف\n", "a.ann:1: T1: expected 'TYPE START END', found 'ATTACK 0 x'"),
        ("T1\tATTACK 0 3\tقصف\nT1\tLOCATION 4 7\tحلب\n", "a.ann:2: T1: id T1 is already used on line 1"),
        ("T1\tATTACK 0 3\tحلب\n", "a.ann:1: T1: span [0, 3) ATTACK records text 'حلب' but the text"
         " there is 'قصف'"),
        ("T1\tATTACK 0 3\tقصف\nX1\tfoo\n", "a.ann:2: X1: unknown annotation 'X1' (brat lines start"
         " with T, R, E, A, M, N, * or #)"),
        ("T1\tATTACK 0 3\tقصف\nR1\tlocated-in Arg1:T1\n",
         "a.ann:2: R1: relation located-in needs two arguments (Arg1:T1 Arg2:T2)"),
    ],
)
def test_bad_ann_is_one_line_naming_file_and_line(ann: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_brat("قصف حلب", ann, doc_id="a", ann_name="a.ann")
    assert str(caught.value) == message


def test_write_brat_one_folder_per_layer(tmp_path: Path) -> None:
    text = "قصف حلب"
    ali = (Span(0, 3, "ATTACK", "قصف", "ali"), Span(4, 7, "LOCATION", "حلب", "ali"))
    mona = Span(4, 7, "LOCATION", "حلب", "mona")
    doc = Document("news/a1", text, spans=(*ali, mona),
                   relations=(Relation("located-in", ali[0], ali[1], "ali"),),
                   events=(Event("attack", ali[0], (EventArgument("place", ali[1]),), "ali"),))
    written = write_brat([doc], tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "ali/news/a1.ann", "mona/news/a1.ann"]
    assert (tmp_path / "ali/news/a1.txt").read_bytes() == text.encode("utf-8")
    assert (tmp_path / "ali/news/a1.ann").read_text(encoding="utf-8") == (
        # brat's rule: the trigger entity carries its event's type (was "T1\tATTACK ...",
        # which brat's parser refuses with EventWithNonTriggerError)
        "T1\tattack 0 3\tقصف\nT2\tLOCATION 4 7\tحلب\nR1\tlocated-in Arg1:T1 Arg2:T2\n"
        "E1\tattack:T1 place:T2\n")
    assert (tmp_path / "mona/news/a1.ann").read_text(encoding="utf-8") == "T1\tLOCATION 4 7\tحلب\n"
