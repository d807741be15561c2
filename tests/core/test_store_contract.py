"""One contract for every storage backend: what the core may rely on from a ``ProjectStore``.

Written against :class:`annotator.store.protocol.ProjectStore` only, and parametrised by
backend: SQLite (a project file) and PostgreSQL (the team server, issue 14: a fresh database
per test from the ``pg_url`` fixture; skipped without psycopg or a server). Offsets are written as ``len("prefix")`` so they read as text.
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.errors import ProjectError
from annotator.model import Event, EventArgument, Relation, Span
from annotator.store import Store
from annotator.store.protocol import ProjectStore

TEXT = "أفادت وكالة سبوتنيك بأن قصفاً استهدف حقل العمر في سوريا."
WAKALA = (len("أفادت "), len("أفادت وكالة"))
SPUTNIK = (len("أفادت وكالة "), len("أفادت وكالة سبوتنيك"))
SYRIA = (len("أفادت وكالة سبوتنيك بأن قصفاً استهدف حقل العمر في "), len(TEXT) - 1)


def _sqlite(request: pytest.FixtureRequest, tmp: Path) -> ProjectStore:
    return Store(tmp / "contract.db", create=True)


def _pg(request: pytest.FixtureRequest, tmp: Path) -> ProjectStore:
    url = request.getfixturevalue("pg_url")  # skips first without psycopg or a server
    from annotator.store.pg import PgStore

    return PgStore(url, create=True)


BACKENDS: dict[str, Callable[[pytest.FixtureRequest, Path], ProjectStore]] = {
    "sqlite": _sqlite, "pg": _pg}
BACKEND_PARAMS = [pytest.param(name, marks=[pytest.mark.pg] if name == "pg" else [])
                  for name in sorted(BACKENDS)]


def reopen(store: ProjectStore) -> ProjectStore:
    """A second connection to the same project (another desk, another thread)."""
    if isinstance(store, Store):
        return Store(store.path)
    from annotator.store.pg import PgStore

    return PgStore(store.url)  # type: ignore[attr-defined]


@pytest.fixture(params=BACKEND_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProjectStore]:
    made = BACKENDS[request.param](request, tmp_path)
    try:
        yield made
    finally:
        made.close()


def _article(store: ProjectStore, doc_id: str = "a1", text: str = TEXT) -> int:
    with store.transaction():
        return store.insert_article(
            doc_id=doc_id, title="عنوان " + doc_id, text=text, meta={"source": "test"},
            content_hash="hash-" + doc_id, source_path="in/" + doc_id, title_key="title-" + doc_id,
            text_key="text-" + doc_id, imported_at="2025-03-01T10:00:00.000+00:00",
        )


def _span(rng: tuple[int, int], label: str, who: str, provenance: str = "") -> Span:
    return Span(rng[0], rng[1], label, TEXT[rng[0]:rng[1]], who, provenance=provenance)


def _add(store: ProjectStore, article_id: int, rng: tuple[int, int], label: str, who: str) -> Span:
    with store.transaction():
        return store.insert_span(article_id, _span(rng, label, who))


# --- the implementation keeps the interface ----------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_every_store_has_every_protocol_method_with_the_same_signature(backend: str) -> None:
    if backend == "pg":
        pytest.importorskip("psycopg")
        from annotator.store.pg import PgStore as implementation
    else:
        implementation = Store  # type: ignore[assignment]
    members = {n for n in vars(ProjectStore) if not n.startswith("_") and callable(vars(ProjectStore)[n])}
    assert {"insert_article", "transaction", "spans", "role_of", "make_self_contained"} <= members
    public = {n for n in dir(implementation)
              if not n.startswith("_") and callable(getattr(implementation, n))}
    assert public == members, "a store method the Protocol does not declare (or the reverse)"
    for name in sorted(members):
        ours = inspect.signature(getattr(implementation, name))
        theirs = inspect.signature(getattr(ProjectStore, name))
        assert list(ours.parameters) == list(theirs.parameters), name
        assert [p.kind for p in ours.parameters.values()] == [
            p.kind for p in theirs.parameters.values()], name


# --- metadata and schemas -------------------------------------------------------------------------


def test_meta_is_unset_then_replaced(store: ProjectStore) -> None:
    assert store.read_only is False
    store.set_busy_timeout(0.25)  # the desk's setting: writes below still go through
    assert store.get_meta("colour") is None
    assert store.get_meta("colour", "blue") == "blue"
    with store.transaction():
        store.set_meta("colour", "red")
        store.set_meta("colour", "green")
    assert store.get_meta("colour") == "green"
    assert len(store.get_meta("project_id") or "") == 32  # every new project gets an id


def test_schema_versions_count_up_and_keep_history(store: ProjectStore) -> None:
    assert store.latest_schema_json() is None
    with store.transaction():
        assert store.add_schema_version({"labels": [{"name": "PER"}]}, note="created") == 1
        assert store.add_schema_version({"labels": [{"name": "شخص"}]}, note="renamed") == 2
    assert store.latest_schema_json() == (2, {"labels": [{"name": "شخص"}]})
    rows = store.schema_rows()
    assert [(r[0], r[3]) for r in rows] == [(1, "created"), (2, "renamed")]
    assert '"شخص"' in rows[1][1]  # stored as readable UTF-8 JSON, not \u escapes


# --- articles -------------------------------------------------------------------------------------


def test_insert_article_is_keyword_only(store: ProjectStore) -> None:
    with pytest.raises(TypeError):
        store.insert_article("a1", "t", TEXT, {}, "h", "", "", "")  # type: ignore[misc]


def test_article_round_trip_and_lookups(store: ProjectStore) -> None:
    first = _article(store, "a1")
    second = _article(store, "a2", text="نص ثان")
    article = store.article(first)
    assert (article.id, article.doc_id, article.title, article.text) == (first, "a1", "عنوان a1", TEXT)
    assert dict(article.meta) == {"source": "test"}
    assert article.content_hash == "hash-a1"
    assert store.article_id_by_doc_id("a2") == second
    assert store.article_id_by_doc_id("nope") is None
    assert store.article_id_by_hash("hash-a2") == second
    assert store.article_id_by_hash("nope") is None
    assert store.doc_id_taken("a1") and not store.doc_id_taken("a3")
    assert store.article_ids() == [first, second]
    assert [a.doc_id for a in store.iter_articles()] == ["a1", "a2"]
    assert [a.doc_id for a in store.iter_articles([second, first])] == ["a2", "a1"]
    assert store.search_keys(second) == ("title-a2", "text-a2")
    assert store.search_keys(999) == ("", "")
    assert store.count("articles") == 2
    with pytest.raises(ProjectError):
        store.article(999)


def test_a_failed_transaction_leaves_nothing(store: ProjectStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        article_id = store.insert_article(
            doc_id="a1", title="", text=TEXT, meta={}, content_hash="h", source_path="",
            title_key="", text_key="")
        store.insert_span(article_id, _span(WAKALA, "ORG", "mona"))
        with store.transaction():  # a nested call joins the outer one, and fails with it
            store.set_meta("half", "written")
        raise RuntimeError("crash between two writes")
    assert (store.count("articles"), store.count("spans"), store.get_meta("half")) == (0, 0, None)


def test_a_failed_nested_transaction_leaves_the_outer_one_going(store: ProjectStore) -> None:
    """A nested call is a savepoint: a failure inside it (here a statement the server refuses,
    which a pipelined server transaction reports only later) undoes only what it wrote."""
    aid = _article(store)
    org, loc = _add(store, aid, WAKALA, "ORG", "mona"), _add(store, aid, WAKALA, "LOC", "mona")
    with store.transaction():
        store.set_meta("before", "kept")
        with pytest.raises(Exception, match="(?i)unique"), store.transaction():
            store.set_meta("inside", "gone")
            store.set_span_label(int(loc.id or 0), "ORG")  # the same range twice: refused
            store.spans(aid)  # a read: a server reports the refused write by now
        store.set_meta("after", "kept")
    assert [store.get_meta(k) for k in ("before", "inside", "after")] == ["kept", None, "kept"]
    assert [(s.id, s.label) for s in store.spans(aid)] == [(loc.id, "LOC"), (org.id, "ORG")]


# --- spans ----------------------------------------------------------------------------------------


def test_insert_new_span_stores_once_and_says_none_the_second_time(store: ProjectStore) -> None:
    aid = _article(store)
    with store.transaction():
        first = store.insert_new_span(aid, _span(WAKALA, "ORG", "mona"))
        again = store.insert_new_span(aid, _span(WAKALA, "ORG", "mona", provenance="other"))
        other_label = store.insert_new_span(aid, _span(WAKALA, "LOC", "mona"))
        other_layer = store.insert_new_span(aid, _span(WAKALA, "ORG", "ali"))
    assert first is not None and first.id is not None and again is None
    assert other_label is not None and other_layer is not None
    assert store.span_exists(aid, _span(WAKALA, "ORG", "mona")) == first.id
    assert [(s.label, s.annotator, s.provenance) for s in store.spans(aid)] == [
        ("LOC", "mona", ""), ("ORG", "ali", ""), ("ORG", "mona", "")]


def test_spans_come_back_in_text_order_and_by_layer(store: ProjectStore) -> None:
    aid = _article(store)
    syria = _add(store, aid, SYRIA, "LOC", "mona")
    outer = _add(store, aid, (WAKALA[0], SPUTNIK[1]), "ORG", "ali")
    inner = _add(store, aid, WAKALA, "ORG", "mona")
    assert [s.id for s in store.spans(aid)] == [outer.id, inner.id, syria.id]
    assert [s.text for s in store.spans(aid, ["mona"])] == ["وكالة", "سوريا"]
    assert store.spans(aid, []) == []
    assert store.annotators() == ["ali", "mona"]
    assert store.label_counts() == {"LOC": 1, "ORG": 2}
    assert store.span_counts_by("annotator") == [("ali", "ORG", 1), ("mona", "LOC", 1), ("mona", "ORG", 1)]
    assert store.layers_by_article() == {aid: {"ali": 1, "mona": 2}}
    assert store.articles_of_layer("ali") == [aid]
    assert store.span(inner.id) == (aid, inner)  # type: ignore[arg-type]
    assert store.span_exists(aid, _span(WAKALA, "ORG", "mona")) == inner.id
    assert store.span_exists(aid, _span(WAKALA, "ORG", "ali")) is None


def test_delete_restore_and_relabel_keep_the_span_id(store: ProjectStore) -> None:
    aid = _article(store)
    span = _add(store, aid, SPUTNIK, "ORG", "mona")
    with store.transaction():
        store.delete_span(span.id)  # type: ignore[arg-type]
    assert store.spans(aid) == []
    with pytest.raises(ProjectError):
        store.span(span.id)  # type: ignore[arg-type]
    with store.transaction():
        store.restore_span(aid, span)
        store.set_span_label(span.id, "MEDIA")  # type: ignore[arg-type]
    assert store.span(span.id)[1].label == "MEDIA"  # type: ignore[arg-type]


def test_insert_spans_skips_duplicates_and_replace_layer_makes_it_exact(store: ProjectStore) -> None:
    aid = _article(store)
    _add(store, aid, WAKALA, "ORG", "import")
    batch = [_span(WAKALA, "ORG", "import"), _span(SYRIA, "LOC", "import"), _span(SYRIA, "LOC", "import")]
    with store.transaction():
        assert store.insert_spans(aid, batch, "2025-03-01T10:00:00.000+00:00") == 1
        assert store.insert_spans(aid, [], "x") == 0
    assert [(s.start, s.end) for s in store.spans(aid, ["import"])] == [WAKALA, SYRIA]
    with store.transaction():
        assert store.replace_layer_spans(aid, "suggest:crf", [_span(SPUTNIK, "ORG", "x")]) == 1
        assert store.replace_layer_spans(aid, "suggest:crf", [_span(SYRIA, "LOC", "x")]) == 1
    assert [(s.start, s.annotator) for s in store.spans(aid, ["suggest:crf"])] == [(SYRIA[0], "suggest:crf")]
    assert store.span_texts() == [("import", "LOC", "سوريا", 1), ("import", "ORG", "وكالة", 1),
                                  ("suggest:crf", "LOC", "سوريا", 1)]


def test_rename_and_merge_labels(store: ProjectStore) -> None:
    aid = _article(store)
    _add(store, aid, WAKALA, "PER", "mona")
    _add(store, aid, WAKALA, "PERSON", "mona")
    _add(store, aid, SYRIA, "PER", "ali")
    with store.transaction():
        assert store.merge_label("PER", "PERSON") == (1, 1)  # mona's WAKALA would repeat: dropped
        assert store.rename_label("PERSON", "شخص") == 2
    assert store.label_counts() == {"شخص": 2}


# --- per-user work ----------------------------------------------------------------------------------


def test_states_positions_and_queue(store: ProjectStore) -> None:
    first, second = _article(store, "a1"), _article(store, "a2", text="نص ثان")
    assert store.state(first, "mona") is None
    with store.transaction():
        store.set_state(first, "mona", "done")
        store.set_state(second, "ali", "in_progress")
        store.save_position("mona", second, len("نص "))
    assert store.states_of("mona") == {first: "done"}
    assert store.states_by_article() == {first: {"mona": "done"}, second: {"ali": "in_progress"}}
    assert store.state_counts() == {"done": 1, "in_progress": 1}
    assert store.article_users_with_state(first, "done") == ["mona"]
    assert store.position("mona") == (second, len("نص "))
    assert store.position("ali") is None
    rows = store.queue("mona", state=None, search=None, label=None, offset=0, limit=10)
    assert [(r[1], r[3]) for r in rows] == [("a1", "done"), ("a2", "new")]
    assert store.queue_count("mona", state="new", search=None, label=None) == 1
    assert store.next_article("mona", first) == second
    assert store.unfinished_articles("mona") == [second]
    assert store.unfinished_articles() == [second]


def test_touch_state_starts_new_work_and_leaves_later_states(store: ProjectStore) -> None:
    first, second, third = (_article(store, f"a{i}") for i in (1, 2, 3))
    with store.transaction():
        store.set_state(second, "mona", "new")
        store.set_state(third, "mona", "done")
    with store.transaction():
        for article in (first, second, third):
            store.touch_state(article, "mona")
        store.touch_state(first, "mona")  # twice: still in progress
    assert store.states_of("mona") == {first: "in_progress", second: "in_progress", third: "done"}


def test_undo_history_clears_the_redo_branch(store: ProjectStore) -> None:
    aid = _article(store)
    with store.transaction():
        store.push_action("mona", aid, {"op": "add", "n": 1})
        store.push_action("mona", aid, {"op": "add", "n": 2})
    newest = store.last_action("mona", aid, undone=False)
    assert newest is not None and newest[1] == {"op": "add", "n": 2}
    with store.transaction():
        store.mark_action(newest[0], undone=True)
    assert store.last_action("mona", aid, undone=True) == newest
    with store.transaction():
        store.push_action("mona", aid, {"op": "add", "n": 3})  # a new action: no redo any more
    assert store.last_action("mona", aid, undone=True) is None
    assert store.last_action("ali", aid, undone=False) is None


def test_priorities_are_per_user(store: ProjectStore) -> None:
    first, second = _article(store, "a1"), _article(store, "a2", text="نص ثان")
    with store.transaction():
        assert store.replace_priorities("mona", {first: 0.1, second: 0.9}, "crf-1") == 2
        store.replace_priorities("ali", {first: 0.5}, "crf-ali")
        store.replace_priorities("mona", {second: 0.7}, "crf-2")
    assert store.priorities("mona") == {second: 0.7}
    assert list(store.priorities("ali")) == [first]
    assert store.priority_users() == ["ali", "mona"]
    assert (store.priority_model("mona"), store.priority_model("huda")) == ("crf-2", None)


# --- teams --------------------------------------------------------------------------------------------


def test_users_roles_and_assignments(store: ProjectStore) -> None:
    first, second = _article(store, "a1"), _article(store, "a2", text="نص ثان")
    assert store.role_of("sara") is None
    with store.transaction():
        store.set_user("sara", "annotator")
        store.set_user("sara", "admin")
        store.set_user("ali", "annotator")
        for aid, user in ((second, "ali"), (first, "ali"), (first, "sara"), (first, "ali")):
            store.assign(aid, user)
    assert store.users() == [("ali", "annotator"), ("sara", "admin")]
    assert store.role_of("sara") == "admin"
    assert store.assignments() == [(first, "ali"), (first, "sara"), (second, "ali")]
    assert store.assigned_articles("ali") == [first, second]
    assert store.assignees(first) == ["ali", "sara"]
    with store.transaction():
        store.clear_assignments()
    assert store.assignments() == []


def test_packages_and_decisions(store: ProjectStore) -> None:
    aid = _article(store)
    with store.transaction():
        store.register_package("p1", "mona", "sara", 3, '{"hash-a1": []}')
        store.set_decision(aid, *SYRIA, "accept", "{}", "huda", "t1")
        store.set_decision(aid, *SYRIA, "reject", '{"why": 1}', "huda", "t2")
        store.set_decision(aid, *WAKALA, "accept", "{}", "huda", "t3")
        store.register_package("p2", "mona", "sara", 3, "{}")
        store.register_package("p3", "ali", "sara", 3, "{}")
        store.register_package("p4", "mona", "sara", 4, "{}")
    assert store.issued_package("p1") == ("mona", 3, '{"hash-a1": []}')
    assert store.issued_package("p9") is None
    assert store.packages_issued_after("p1", "mona") == ["p2", "p4"]
    assert store.packages_issued_after("p4", "mona") == []
    assert store.decisions(aid) == [(*WAKALA, "accept", "{}", "huda", "t3"),
                                    (*SYRIA, "reject", '{"why": 1}', "huda", "t2")]
    assert store.decided_article_ids() == [aid]
    with store.transaction():
        store.delete_decision(aid, *WAKALA)
    assert [d[:2] for d in store.decisions(aid)] == [SYRIA]


def test_link_slot_decisions_replace_sort_by_slot_and_delete(store: ProjectStore) -> None:
    aid = _article(store)
    assert store.link_decisions(aid) == []
    with store.transaction():
        store.set_link_decision(aid, "relation:located-in:z", "accept", "{}", "huda", "t1")
        store.set_link_decision(aid, "relation:located-in:z", "reject", '{"why": 1}', "huda", "t2")
        store.set_link_decision(aid, "event:attack:a", "accept", "{}", "huda", "t3")
    assert store.link_decisions(aid) == [
        ("event:attack:a", "accept", "{}", "huda", "t3"),
        ("relation:located-in:z", "reject", '{"why": 1}', "huda", "t2")]
    with store.transaction():
        store.delete_link_decision(aid, "event:attack:a")
        store.delete_link_decision(aid, "no-such-slot")  # no error
    assert [d[0] for d in store.link_decisions(aid)] == ["relation:located-in:z"]


# --- suggestions ----------------------------------------------------------------------------------------


def test_rejections_gazetteer_and_models(store: ProjectStore) -> None:
    aid = _article(store)
    suggestion = _span(SYRIA, "LOC", "suggest:crf")
    with store.transaction():
        store.insert_rejection(aid, "mona", suggestion)
        store.insert_rejection(aid, "mona", suggestion)  # idempotent
    assert store.rejections(aid, "mona") == [(aid, "mona", Span(*SYRIA, "LOC", "سوريا", "suggest:crf"))]
    assert store.rejections(user="ali") == []
    with store.transaction():
        store.delete_rejection(aid, "mona", suggestion)
    assert store.rejections() == []
    with store.transaction():
        assert store.add_gazetteer_names("LOC", [("سوريا", "سوريا"), ("حلب", "حلب")], "places.txt") == 2
        assert store.add_gazetteer_names("LOC", [("سوريا", "سوريا")], "places.txt") == 0
    assert store.gazetteer_names() == [("LOC", "حلب", "places.txt"), ("LOC", "سوريا", "places.txt")]
    with store.transaction():
        assert store.delete_gazetteer(label="LOC") == 2
    assert store.load_model("crf") is None
    with store.transaction():
        store.save_model("crf", b"\x00model", {"f1": 0.5})
    model = store.load_model("crf")
    assert model is not None and model[:2] == (b"\x00model", {"f1": 0.5})


# --- links: relations and event frames (layout 7) ------------------------------------------------

STRIKE = (len("أفادت وكالة سبوتنيك بأن "), len("أفادت وكالة سبوتنيك بأن قصفاً"))
FIELD = (len("أفادت وكالة سبوتنيك بأن قصفاً استهدف "), len("أفادت وكالة سبوتنيك بأن قصفاً استهدف حقل العمر"))


def _links(store: ProjectStore) -> tuple[int, dict[str, Span]]:
    aid = _article(store)
    spans = {name: _add(store, aid, rng, label, "mona") for name, rng, label in [
        ("sputnik", SPUTNIK, "SOURCE"), ("strike", STRIKE, "ATTACK"), ("field", FIELD, "LOC"),
        ("syria", SYRIA, "LOC")]}
    return aid, spans


def test_relations_come_back_with_whole_spans_in_text_order(store: ProjectStore) -> None:
    aid, s = _links(store)
    ali_field = _add(store, aid, FIELD, "LOC", "ali")
    ali_syria = _add(store, aid, SYRIA, "LOC", "ali")
    with store.transaction():
        located = store.insert_relation(aid, Relation("located-in", s["field"], s["syria"], "mona"))
        reported = store.insert_relation(
            aid, Relation("reported-by", s["strike"], s["sputnik"], "mona", provenance="import"))
        theirs = store.insert_relation(aid, Relation("located-in", ali_field, ali_syria, "ali"))
    assert located.id is not None and reported.id is not None
    assert store.relations(aid, ["mona"]) == [reported, located]  # head in text order
    assert store.relations(aid) == [reported, theirs, located]  # same ends: by layer
    assert store.relations(aid)[0].head == s["strike"] and store.relations(aid)[0].provenance == "import"
    with store.transaction():
        store.delete_relation(reported.id)
        store.delete_relation(reported.id)  # already gone: no error
        again = store.insert_relation(aid, Relation("reported-by", s["strike"], s["sputnik"], "mona",
                                                    reported.id))
    assert again.id == reported.id  # a free id is kept (undo restores a link under it)
    with store.transaction():
        taken = store.insert_relation(aid, Relation("reported-by", s["sputnik"], s["strike"], "mona",
                                                    located.id))
    assert taken.id not in (located.id, reported.id)  # a taken one is not


def test_events_carry_their_arguments_and_go_with_their_spans(store: ProjectStore) -> None:
    aid, s = _links(store)
    with store.transaction():
        event = store.insert_event(aid, Event("attack", s["strike"], (
            EventArgument("source", s["sputnik"]), EventArgument("place", s["syria"])), "mona"))
        store.insert_argument(event.id, "place", s["field"].id)
        store.insert_argument(event.id, "place", s["field"].id)  # idempotent
    [read] = store.events(aid, ["mona"])
    assert (read.id, read.type, read.trigger, read.annotator) == (event.id, "attack", s["strike"], "mona")
    assert [(a.role, a.span) for a in read.arguments] == [  # role, then text order
        ("place", s["field"]), ("place", s["syria"]), ("source", s["sputnik"])]
    assert store.events(aid, ["ali"]) == []
    with store.transaction():
        store.insert_relation(aid, Relation("located-in", s["field"], s["syria"], "mona"))
    assert store.link_counts() == [("argument", "mona", "attack/place", 2),
                                   ("argument", "mona", "attack/source", 1),
                                   ("event", "mona", "attack", 1), ("relation", "mona", "located-in", 1)]
    relations, events = store.links(aid, iter(["mona"]))  # both in one step, as apart
    assert (relations, events) == (store.relations(aid, ["mona"]), store.events(aid, ["mona"]))
    assert len(relations) == 1 and len(events) == 1 and store.links(aid, ["ali"]) == ([], [])
    with store.transaction():
        store.delete_argument(event.id, "source", s["sputnik"].id)
        store.delete_span(s["syria"].id)  # its argument and its relation go with it
    assert [(a.role, a.span.text) for a in store.events(aid)[0].arguments] == [("place", "حقل العمر")]
    assert store.relations(aid) == []
    with store.transaction():
        store.delete_span(s["strike"].id)  # the trigger: the whole event goes
    assert store.events(aid) == [] and store.link_counts() == []


def test_a_self_contained_file_copies_alone(store: ProjectStore, tmp_path: Path) -> None:
    if not isinstance(store, Store):
        pytest.skip("a backend without a file has nothing to copy")
    aid = _article(store)
    _add(store, aid, SYRIA, "LOC", "mona")
    store.make_self_contained()
    store.close()
    copy = tmp_path / "elsewhere" / "copy.db"
    copy.parent.mkdir()
    shutil.copyfile(store.path, copy)  # the one file, without any side file
    reopened = Store(copy)
    try:
        assert [s.text for s in reopened.spans(aid)] == ["سوريا"]
    finally:
        reopened.close()
    store.close = lambda: None  # type: ignore[method-assign]  # already closed above
