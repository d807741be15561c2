"""Adjudicating relations and event arguments into gold: lanes, refusal, provenance, undo, figures.

Article a5 ("سقطت قذيفة على حي في حلب صباح اليوم"): ali and mona agree on the trigger «سقطت»,
the shell and the morning; the place is «حلب» for ali and «حي في حلب» for mona. Both link an
attack event (instrument agreed, place differing, time only ali's) and a located-in relation.
"""

from __future__ import annotations

import json

import pytest

from annotator.agreement.layers import project_link_agreement
from annotator.agreement.report import SpanCounts
from annotator.errors import ProjectError
from annotator.model import GOLD, Event, EventArgument, Relation
from annotator.project import Project
from annotator.review.adjudication import Adjudicator
from annotator.review.link_decisions import link_provenance
from annotator.team.members import assign

from .team_kit import TEXTS, aid, make_team_project

TEXT = TEXTS[4]
FELL = (0, len("سقطت"))
SHELL = (len("سقطت "), len("سقطت قذيفة"))
QUARTER = (len("سقطت قذيفة على "), len("سقطت قذيفة على حي في حلب"))
ALEPPO = (len("سقطت قذيفة على حي في "), len("سقطت قذيفة على حي في حلب"))
MORNING = (len("سقطت قذيفة على حي في حلب "), len(TEXT))
F = f"0-{FELL[1]}"
PLACE = f"argument attack {F} {QUARTER[0]}-{QUARTER[1]}"
INSTRUMENT = f"argument attack {F} {SHELL[0]}-{SHELL[1]}"
TIME = f"argument attack {F} {MORNING[0]}-{MORNING[1]}"
LOCATED = f"relation {F} {QUARTER[0]}-{QUARTER[1]}"


def label(project: Project, user: str, place: tuple[int, int], time: bool) -> None:
    """``user``'s spans on a5 and their links, written through the store (the schema-checked
    session API is rel-core's; what matters here is what gold makes of them)."""
    a5 = aid(project, "a5")
    session = project.session(user)
    fell = session.add_span(a5, *FELL, "ATTACK")
    shell = session.add_span(a5, *SHELL, "WEAPON")
    where = session.add_span(a5, *place, "LOCATION")
    when = session.add_span(a5, *MORNING, "DATE")
    args = [EventArgument("instrument", shell), EventArgument("place", where)]
    if time:
        args.append(EventArgument("time", when))
    with project.store.transaction():
        project.store.insert_event(a5, Event("attack", fell, tuple(args), user))
        project.store.insert_relation(a5, Relation("located-in", fell, where, user))


@pytest.fixture
def team(tmp_path):
    with make_team_project(tmp_path / "news.db") as project:
        assign(project.session("sara"), ["ali", "mona"], 2, seed=1)
        label(project, "ali", ALEPPO, time=True)
        label(project, "mona", QUARTER, time=False)
        yield project


@pytest.fixture
def desk(team):
    return Adjudicator(team.session("huda"))


def gold_arguments(desk: Adjudicator, article_id: int) -> list[tuple[str, str, str]]:
    _, events = desk.gold_links(article_id)
    return sorted((e.type, a.role, a.span.text) for e in events for a in e.arguments)


def test_slots_and_auto_accepted_instrument(team, desk):
    a5 = aid(team, "a5")
    desk.open_article(a5)
    states = {s.key: s for s in desk.link_states(a5)}
    assert sorted(states) == sorted([INSTRUMENT, PLACE, TIME, LOCATED])
    assert [k for k, s in states.items() if not s.open] == [INSTRUMENT]
    assert states[INSTRUMENT].decision.decision == "auto"
    assert gold_arguments(desk, a5) == [("attack", "instrument", "قذيفة")]
    [event] = desk.gold_links(a5)[1]
    prov = link_provenance(event)
    assert (prov["proposed_by"], prov["decided_by"], prov["decision"]) == (["ali", "mona"], "huda", "auto")


def test_a_link_whose_end_is_not_gold_is_refused_with_the_span_named(team, desk):
    a5 = aid(team, "a5")
    desk.open_article(a5)
    lane_ali = [s for s in desk.link_states(a5) if s.key == PLACE][0].slot.alternatives
    index = [a.annotators for a in lane_ali].index(("ali",))
    with pytest.raises(ProjectError, match=r"decide the spans first: «حلب» \[.*LOCATION"):
        desk.accept_link(a5, PLACE, index)
    assert desk.link_state(a5, PLACE).open and gold_arguments(desk, a5) == [
        ("attack", "instrument", "قذيفة")
    ]


def alternative(desk: Adjudicator, article_id: int, key: str, who: str) -> int:
    alts = desk.link_state(article_id, key).slot.alternatives
    return [a.annotators for a in alts].index((who,))


def decide_all(team, desk) -> int:
    a5 = aid(team, "a5")
    desk.open_article(a5)
    [place_region] = [i for i in desk.items(a5) if i.open]
    desk.accept(a5, place_region.bounds, [a.annotators for a in place_region.region.alternatives].index(("ali",)))
    desk.accept_link(a5, PLACE, alternative(desk, a5, PLACE, "ali"))
    desk.accept_link(a5, LOCATED, alternative(desk, a5, LOCATED, "ali"))
    desk.reject_link(a5, TIME)
    return a5


def test_accept_and_reject_links_complete_the_article_with_provenance(team, desk):
    a5 = decide_all(team, desk)
    assert gold_arguments(desk, a5) == [("attack", "instrument", "قذيفة"), ("attack", "place", "حلب")]
    [relation] = desk.gold_links(a5)[0]
    assert (relation.type, relation.head.text, relation.tail.text, relation.annotator) == (
        "located-in", "سقطت", "حلب", GOLD)
    prov = link_provenance(relation)
    assert (prov["proposed_by"], prov["decided_by"], prov["decision"]) == (["ali"], "huda", "accept")
    place = desk.link_state(a5, PLACE).decision
    assert (place.decision, place.decided_by, place.detail["proposed_by"]) == ("accept", "huda", ["ali"])
    assert desk.link_state(a5, TIME).decision.decision == "reject"
    assert desk.is_adjudicated(a5) and team.store.state(a5, GOLD) == "done"


def test_the_article_is_not_done_while_a_link_slot_is_open(team, desk):
    a5 = aid(team, "a5")
    desk.open_article(a5)
    [region] = [i for i in desk.items(a5) if i.open]
    desk.accept(a5, region.bounds, 0)
    assert all(not i.open for i in desk.items(a5))
    assert team.store.state(a5, GOLD) == "in_progress"


def test_undo_redo_of_link_decisions_persist_across_a_restart(team, desk, tmp_path):
    a5 = decide_all(team, desk)
    assert desk.undo(a5)  # the time rejection
    assert desk.link_state(a5, TIME).open and not desk.is_adjudicated(a5)
    assert desk.undo(a5)  # the relation
    assert desk.gold_links(a5)[0] == [] and desk.link_state(a5, LOCATED).open
    team.close()
    with Project.open(tmp_path / "news.db") as again:
        desk2 = Adjudicator(again.session("huda"))
        assert desk2.redo(a5)
        [relation] = desk2.gold_links(a5)[0]
        assert link_provenance(relation)["proposed_by"] == ["ali"]
        assert desk2.undo(a5) and desk2.undo(a5)  # the relation, then the place argument
        assert gold_arguments(desk2, a5) == [("attack", "instrument", "قذيفة")]
        assert desk2.link_state(a5, PLACE).open


def test_redeciding_a_span_reopens_the_links_that_used_it_and_undo_brings_them_back(team, desk):
    a5 = decide_all(team, desk)
    region = [i for i in desk.items(a5) if i.bounds[0] == QUARTER[0]][0]
    desk.accept(a5, region.bounds, [a.annotators for a in region.region.alternatives].index(("mona",)))
    assert desk.gold_links(a5)[0] == [] and gold_arguments(desk, a5) == [("attack", "instrument", "قذيفة")]
    assert desk.link_state(a5, PLACE).open and desk.link_state(a5, LOCATED).open
    assert not desk.is_adjudicated(a5)
    assert desk.undo(a5)
    assert [r.tail.text for r in desk.gold_links(a5)[0]] == ["حلب"]
    assert desk.link_state(a5, PLACE).decision.decision == "accept" and desk.is_adjudicated(a5)


def test_edit_puts_the_reviewers_own_link(team, desk):
    from annotator.agreement.links import LinkItem

    a5 = decide_all(team, desk)
    gold = {s.key: s for s in desk.gold(a5)}
    fell, aleppo = gold[(*FELL, "ATTACK")], gold[(*ALEPPO, "LOCATION")]
    desk.edit_link(a5, PLACE, [LinkItem("attack:target", (fell, aleppo))])
    assert gold_arguments(desk, a5) == [("attack", "instrument", "قذيفة"), ("attack", "target", "حلب")]
    decision = desk.link_state(a5, PLACE).decision
    assert (decision.decision, decision.detail["proposed_by"]) == ("edit", [])
    with pytest.raises(ProjectError, match="outside the slot"):
        desk.edit_link(a5, PLACE, [LinkItem("attack:target", (fell, gold[(*SHELL, "WEAPON")]))])


def test_link_agreement_of_the_project_by_hand(team, desk):
    """ali (reference) / mona: relations exact 0 of 1/1, overlap 1 («حلب» in «حي في حلب»);
    arguments exact: instrument 1/1/1, place 0/1/1, time 0/1/0 -> P 1/2, R 1/3; overlap adds the
    place -> tp 2. Against gold (after adjudication, ali's versions but no time): ali recall 1."""
    a5 = decide_all(team, desk)
    report = project_link_agreement(team.session("huda"))
    [pair] = report.pairs
    assert (pair.name, pair.articles) == ("ali / mona", 1)
    assert pair.scores.relations_exact.micro == SpanCounts(0, 1, 1)
    assert pair.scores.relations_overlap.micro == SpanCounts(1, 1, 1)
    assert pair.scores.arguments_exact.by_label == {
        "attack:instrument": SpanCounts(1, 1, 1),
        "attack:place": SpanCounts(0, 1, 1),
        "attack:time": SpanCounts(0, 1, 0),
    }
    assert pair.scores.arguments_overlap.micro == SpanCounts(2, 3, 2)
    assert team.store.state(a5, GOLD) == "done"
    gold_ali, gold_mona = report.gold
    assert gold_ali.scores.arguments_exact.micro == SpanCounts(2, 2, 3)  # ali's time is extra
    assert gold_mona.scores.relations_exact.micro == SpanCounts(0, 1, 1)
    assert json.loads(json.dumps(report.to_dict()))["against_gold"][0]["reference"] == "gold"


def test_cli_agreement_prints_and_exports_link_figures(team, desk):
    from click.testing import CliRunner

    from annotator.cli import cli

    decide_all(team, desk)
    path = team.path
    team.close()
    run = CliRunner().invoke(cli, ["agreement", str(path), "--as", "huda"], catch_exceptions=False)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    start = lines.index("relations and event arguments (exact; overlap F1)")
    assert lines[start + 2] == f"{'ali / mona':<26} {'relations':<10}  0.000  0.000  0.000  1.000     2"
    assert lines[start + 3] == f"{'ali / mona':<26} {'arguments':<10}  0.500  0.333  0.400  0.800     5"
    assert f"{'attack:time':<26}    0.000    0.000      1" in lines
    run = CliRunner().invoke(cli, ["agreement", str(path), "--json", "--as", "huda"], catch_exceptions=False)
    links = json.loads(run.stdout)["links"]
    assert links["relations"]["overlap"]["micro"]["f1"] == 1.0
    assert links["event_arguments"]["exact"]["labels"]["attack:place"]["tp"] == 0
    assert [p["prediction"] for p in links["against_gold"]] == ["ali", "mona"]


def test_undoing_a_span_decision_reopens_links_auto_accepted_on_its_spans(team, desk):
    """A link made on a span after that span's region was decided, without a history step of
    its own (as auto-accept makes them): undoing the region decision takes the span, and must
    reopen the link's slot rather than leave it 'accepted' with its link cascaded away."""
    a5 = aid(team, "a5")
    desk.open_article(a5)
    [region] = [i for i in desk.items(a5) if i.open]
    desk.accept(a5, region.bounds, [a.annotators for a in region.region.alternatives].index(("ali",)))
    desk.accept_link(a5, PLACE, alternative(desk, a5, PLACE, "ali"))
    entry = team.store.last_action(desk.history_user, a5, undone=False)
    team.store.mark_action(entry[0], undone=True)  # as if the link had been made without history
    assert desk.undo(a5)  # the region decision: «حلب» leaves gold
    assert desk.link_state(a5, PLACE).open
    assert gold_arguments(desk, a5) == [("attack", "instrument", "قذيفة")]


def test_gold_export_keeps_link_provenance(team, desk, tmp_path):
    from click.testing import CliRunner

    from annotator.cli import cli

    decide_all(team, desk)
    path = team.path
    team.close()
    out = tmp_path / "gold.jsonl"
    args = ["export", str(path), "-o", str(out), "--format", "jsonl", "--source", "gold", "--as", "huda"]
    run = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert run.exit_code == 0, run.output
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    [relation] = record["relations"]
    prov = json.loads(relation["provenance"])
    assert (relation["type"], prov["proposed_by"], prov["decided_by"]) == ("located-in", ["ali"], "huda")
    [event] = record["events"]
    assert json.loads(event["provenance"])["decision"] == "auto"
    assert sorted(a["role"] for a in event["arguments"]) == ["instrument", "place"]


def test_an_event_without_arguments_has_its_own_slot_and_reaches_gold_undoably(team, desk):
    # before: only filled roles made slots, so ali's «الهجوم» event (roles not yet known) had
    # no slot and could never reach gold
    a6 = aid(team, "a6")
    start = TEXTS[5].index("الهجوم")
    for user in ("ali", "mona"):
        span = team.session(user).add_span(a6, start, start + len("الهجوم"), "ATTACK")
    ali_span = [s for s in team.store.spans(a6, ["ali"])][0]
    with team.store.transaction():
        team.store.insert_event(a6, Event("attack", ali_span, (), "ali"))
    assert span.text == "الهجوم"
    desk.open_article(a6)
    frame = f"argument attack {start}-{start + 6} {start}-{start + 6}"
    [state] = desk.link_states(a6)
    assert (state.key, state.open) == (frame, True)
    assert [a.annotators for a in state.slot.alternatives] == [("ali",), ("mona",)]
    assert not desk.is_adjudicated(a6)
    desk.accept_link(a6, frame, alternative(desk, a6, frame, "ali"))
    [event] = desk.gold_links(a6)[1]
    assert (event.type, event.trigger.text, event.arguments, event.annotator) == ("attack", "الهجوم", (), GOLD)
    prov = link_provenance(event)
    assert (prov["proposed_by"], prov["decided_by"], prov["decision"]) == (["ali"], "huda", "accept")
    assert desk.is_adjudicated(a6)
    assert desk.undo(a6)
    assert desk.gold_links(a6)[1] == [] and desk.link_state(a6, frame).open
    assert desk.redo(a6) and len(desk.gold_links(a6)[1]) == 1
    desk.reject_link(a6, frame)  # mona's reading: no event here
    assert desk.gold_links(a6)[1] == [] and desk.link_state(a6, frame).decision.decision == "reject"
