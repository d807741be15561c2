"""Relations and event frames through the session: the schema's rules, same layer, undo."""

from __future__ import annotations

import pytest

from annotator.errors import LinkError, PermissionDenied, SchemaError
from annotator.project import Project
from tests.core.conftest import ARTICLE_TEXT

T = ARTICLE_TEXT


def _at(word: str) -> tuple[int, int]:
    start = T.index(word)
    return start, start + len(word)


@pytest.fixture
def mona(project: Project, article_id: int):
    """mona's spans of the shared article: a source, a strike, a weapon, two places, a date."""
    session = project.session("mona")
    ids = {
        name: session.add_span(article_id, *_at(word), label).id
        for name, word, label in [
            ("sputnik", "سبوتنيك", "SOURCE"), ("strike", "قصفاً", "ATTACK"),
            ("missile", "صاروخيّاً", "WEAPON"), ("field", "حقل العمر", "LOCATION"),
            ("syria", "سوريـا", "LOCATION"), ("year", "٢٠١٩", "DATE"),
        ]
    }
    return session, ids


def test_relation_joins_two_own_spans_and_reads_back(mona, article_id):
    session, ids = mona
    made = session.add_relation(article_id, "reported-by", ids["strike"], ids["sputnik"])
    assert made.id is not None
    [read] = session.relations(article_id)
    assert read == made
    assert read.key == ("reported-by", (*_at("قصفاً"), "ATTACK"), (*_at("سبوتنيك"), "SOURCE"))
    assert (read.head.text, read.tail.text, read.annotator) == ("قصفاً", "سبوتنيك", "mona")


@pytest.mark.parametrize(
    "kind, head, tail, message",
    [
        ("reported-by", "sputnik", "strike", "links ATTACK/EVENT/QUANTITY to SOURCE/ORGANIZATION/PERSON, not SOURCE to ATTACK"),
        ("located-in", "field", "field", "cannot be linked to itself"),
    ],
)
def test_relation_refused_by_the_schema(mona, article_id, kind, head, tail, message):
    session, ids = mona
    with pytest.raises(LinkError, match=message):
        session.add_relation(article_id, kind, ids[head], ids[tail])
    assert session.relations(article_id) == []


def test_unknown_relation_type_and_duplicates_are_refused(mona, article_id):
    session, ids = mona
    with pytest.raises(SchemaError, match="unknown relation type 'caused-by'"):
        session.add_relation(article_id, "caused-by", ids["strike"], ids["sputnik"])
    session.add_relation(article_id, "located-in", ids["field"], ids["syria"])
    with pytest.raises(LinkError, match="already exists"):
        session.add_relation(article_id, "located-in", ids["field"], ids["syria"])
    assert len(session.relations(article_id)) == 1


def test_relation_to_a_colleagues_span_is_refused(project, mona, article_id):
    session, ids = mona
    ali_field = project.session("ali").add_span(article_id, *_at("حقل العمر"), "LOCATION")
    with pytest.raises(PermissionDenied, match="belongs to ali"):
        session.add_relation(article_id, "located-in", ali_field.id, ids["syria"])


def test_event_with_arguments_by_multiplicity(mona, article_id):
    session, ids = mona
    event = session.add_event(article_id, ids["strike"], "attack")
    assert (event.type, event.trigger.text, event.arguments) == ("attack", "قصفاً", ())
    session.set_argument(article_id, event.id, "place", ids["field"])
    session.set_argument(article_id, event.id, "place", ids["syria"])  # many: appended
    session.set_argument(article_id, event.id, "time", ids["year"])
    with_source = session.set_argument(article_id, event.id, "instrument", ids["missile"])
    assert [(a.role, a.span.text) for a in with_source.arguments] == [
        ("place", "حقل العمر"), ("place", "سوريـا"), ("instrument", "صاروخيّاً"), ("time", "٢٠١٩")]
    [read] = session.events(article_id)
    assert read == with_source


def test_optional_role_is_replaced_and_labels_are_checked(project, mona, article_id):
    session, ids = mona
    event = session.add_event(article_id, ids["strike"], "attack")
    other_date = session.add_span(article_id, *_at("يوم"), "DATE")
    session.set_argument(article_id, event.id, "time", ids["year"])
    after = session.set_argument(article_id, event.id, "time", other_date.id)  # optional: replaced
    assert [(a.role, a.span.text) for a in after.arguments] == [("time", "يوم")]
    with pytest.raises(LinkError, match="attack place takes LOCATION, not WEAPON"):
        session.set_argument(article_id, event.id, "place", ids["missile"])
    with pytest.raises(SchemaError, match="no role 'victim'"):
        session.set_argument(article_id, event.id, "victim", ids["field"])
    with pytest.raises(LinkError, match="trigger of this attack event"):
        session.set_argument(article_id, event.id, "target", ids["strike"])


def test_event_trigger_must_carry_the_trigger_label(mona, article_id):
    session, ids = mona
    with pytest.raises(LinkError, match="trigger is labelled ATTACK, not LOCATION"):
        session.add_event(article_id, ids["field"], "attack")
    session.add_event(article_id, ids["strike"], "attack")
    with pytest.raises(LinkError, match="already triggers"):
        session.add_event(article_id, ids["strike"], "attack")


def test_every_link_action_undoes_and_redoes(mona, article_id):
    session, ids = mona
    relation = session.add_relation(article_id, "reported-by", ids["strike"], ids["sputnik"])
    event = session.add_event(article_id, ids["strike"], "attack")
    session.set_argument(article_id, event.id, "place", ids["field"])
    full = session.events(article_id)
    session.remove_argument(article_id, event.id, "place", ids["field"])
    assert session.events(article_id)[0].arguments == ()
    assert session.undo(article_id)  # the removed argument is back
    assert session.events(article_id) == full
    for _ in range(3):  # argument, event, relation
        assert session.undo(article_id)
    assert session.relations(article_id) == [] and session.events(article_id) == []
    for _ in range(3):
        assert session.redo(article_id)
    assert session.relations(article_id) == [relation]
    assert session.events(article_id) == full  # the same ids come back


def test_removing_a_linked_span_removes_its_links_in_one_undo_step(mona, article_id):
    session, ids = mona
    session.add_relation(article_id, "located-in", ids["field"], ids["syria"])
    relation = session.add_relation(article_id, "reported-by", ids["strike"], ids["sputnik"])
    event = session.add_event(article_id, ids["strike"], "attack")
    session.set_argument(article_id, event.id, "place", ids["field"])
    session.set_argument(article_id, event.id, "source", ids["sputnik"])
    links = session.links_of_span(article_id, ids["field"])
    assert links.describe() == "located-in «حقل العمر» → «سوريـا»; place of attack «قصفاً»"
    before = (session.spans(article_id), session.relations(article_id), session.events(article_id))

    session.remove_span(article_id, ids["field"])
    assert session.relations(article_id) == [relation]
    assert [(a.role, a.span.text) for a in session.events(article_id)[0].arguments] == [("source", "سبوتنيك")]
    assert session.undo(article_id)
    assert (session.spans(article_id), session.relations(article_id), session.events(article_id)) == before
    assert session.redo(article_id)
    assert session.relations(article_id) == [relation]


def test_removing_a_trigger_removes_its_event_and_undo_brings_it_back(project, mona, article_id):
    session, ids = mona
    event = session.add_event(article_id, ids["strike"], "attack")
    session.set_argument(article_id, event.id, "instrument", ids["missile"])
    before = session.events(article_id)
    assert session.links_of_span(article_id, ids["strike"]).describe() == "attack event «قصفاً» (1 argument)"
    session.remove_span(article_id, ids["strike"])
    assert session.events(article_id) == []
    reopened = Project.open(project.path)  # the history survives a restart
    again = reopened.session("mona")
    assert again.undo(article_id)
    assert again.events(article_id) == before
    reopened.close()


def test_relabel_that_breaks_a_link_is_refused_unless_forced(mona, article_id):
    session, ids = mona
    session.add_relation(article_id, "located-in", ids["field"], ids["syria"])
    event = session.add_event(article_id, ids["strike"], "attack")
    session.set_argument(article_id, event.id, "target", ids["field"])
    # ORGANIZATION still fits located-in's head and attack's target: nothing breaks
    assert session.relabel_span(article_id, ids["field"], "ORGANIZATION").label == "ORGANIZATION"
    with pytest.raises(LinkError, match=r"as WEAPON breaks: located-in «حقل العمر» → «سوريـا»; target of attack «قصفاً»"):
        session.relabel_span(article_id, ids["field"], "WEAPON")
    assert len(session.relations(article_id)) == 1
    session.relabel_span(article_id, ids["field"], "WEAPON", force=True)
    assert session.relations(article_id) == [] and session.events(article_id)[0].arguments == ()
    assert session.undo(article_id)  # label and links back together
    assert session.relations(article_id)[0].head.label == "ORGANIZATION"
    assert [(a.role, a.span.label) for a in session.events(article_id)[0].arguments] == [("target", "ORGANIZATION")]


def test_blind_annotator_reads_only_her_own_links(project, mona, article_id):
    session, ids = mona
    session.add_relation(article_id, "located-in", ids["field"], ids["syria"])
    project.store.set_user("admin", "admin")
    project.store.set_user("mona", "annotator")
    project.store.set_user("ali", "annotator")
    ali = project.session("ali")
    assert ali.relations(article_id) == []
    with pytest.raises(PermissionDenied):
        ali.layer_relations(article_id, "mona")
    with pytest.raises(PermissionDenied):
        ali.layer_events(article_id, "mona")
    with pytest.raises(PermissionDenied):
        ali.links_of_span(article_id, ids["field"])
    assert len(project.session("admin").layer_relations(article_id, "mona")) == 1


def test_new_bounds_keep_the_links_and_undo_puts_them_back_on_the_old_span(project, article_id):
    """The desk's clitic key reshapes a span (delete + insert): its links must follow it, not
    vanish with the old row (the FOREIGN KEY's cascade)."""
    session = project.session("mona")
    strike = session.add_span(article_id, *_at("قصفاً"), "ATTACK")
    start, end = _at("حقل العمر")
    field = session.add_span(article_id, start - 1, end, "LOCATION")  # with the space before it
    syria = session.add_span(article_id, *_at("سوريـا"), "LOCATION")
    session.add_relation(article_id, "located-in", field.id, syria.id)
    event = session.add_event(article_id, strike.id, "attack")
    session.set_argument(article_id, event.id, "place", field.id)
    session.replace_span(article_id, field.id, start, end)
    [relation] = session.relations(article_id)
    assert (relation.head.start, relation.head.text) == (start, "حقل العمر")
    assert [(a.role, a.span.text) for a in session.events(article_id)[0].arguments] == [("place", "حقل العمر")]
    assert session.undo(article_id)
    [relation] = session.relations(article_id)
    assert (relation.head.start, relation.head.id) == (start - 1, field.id)
    assert session.events(article_id)[0].arguments[0].span.id == field.id
    assert session.redo(article_id)
    assert session.relations(article_id)[0].head.start == start
    assert session.events(article_id)[0].arguments[0].span.start == start
