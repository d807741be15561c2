"""Schemas: validated files, versioned changes, labels in use cannot vanish."""

from __future__ import annotations

import json

import pytest

from annotator.errors import SchemaError
from annotator.schema import (
    load_schema_file,
    schema_from_data,
    shipped_schema_path,
    validate_schema_data,
)


def test_shipped_news_schema_has_required_labels():
    data = load_schema_file(shipped_schema_path())
    names = [label["name"] for label in data["labels"]]
    for needed in ("LOCATION", "WEAPON", "SOURCE", "PERSON", "ORGANIZATION", "DATE", "EVENT", "QUANTITY"):
        assert needed in names
    assert all(label["display_ar"] and label["description"] for label in data["labels"])


@pytest.mark.parametrize(
    "labels, message",
    [
        ([{"name": "1st", "color": "#aabbcc"}], "does not match"),  # case is free, a digit first is not
        ([{"name": "LOC", "color": "red"}], "does not match"),
        ([{"name": "LOC", "color": "#aabbcc"}, {"name": "LOC", "color": "#aabbcc"}], "duplicate label"),
        ([{"name": "A", "color": "#aabbcc", "key": "1"}, {"name": "B", "color": "#aabbcc", "key": "1"}],
         "duplicate keyboard key"),
    ],
)
def test_invalid_schema_files_are_refused(tmp_path, labels, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "x", "labels": labels}), encoding="utf-8")
    with pytest.raises(SchemaError, match=message):
        load_schema_file(path)


def test_broken_json_names_file_and_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"name": "x",\n "labels": [,]}', encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad\.json:2: invalid JSON"):
        load_schema_file(path)


def test_add_and_rename_make_new_versions(project, article_id):
    assert project.schema.version == 1
    project.add_labels(["VEHICLE"])
    assert project.schema.version == 2 and "VEHICLE" in project.schema.names
    project.session("mona").add_span(article_id, 2, 7, "EVENT")
    assert project.rename_label("EVENT", "INCIDENT") == 1
    assert project.schema.version == 3
    assert [s.label for s in project.session("mona").spans(article_id)] == ["INCIDENT"]


def test_label_in_use_cannot_be_removed(project, article_id):
    project.session("mona").add_span(article_id, 2, 7, "EVENT")
    data = project.schema_data()
    without_event = {**data, "labels": [lab for lab in data["labels"] if lab["name"] != "EVENT"]}
    with pytest.raises(SchemaError, match="EVENT"):
        project.replace_schema(without_event)
    assert project.schema.version == 1
    without_weapon = {**data, "labels": [lab for lab in data["labels"] if lab["name"] != "WEAPON"],
                      "event_types": []}  # the attack event's instrument names WEAPON
    assert "WEAPON" not in project.replace_schema(without_weapon).names


def test_link_type_in_use_cannot_be_removed(project, article_id):
    session = project.session("mona")
    strike = session.add_span(article_id, 2, 7, "ATTACK")
    event = session.add_event(article_id, strike.id, "attack")
    place = session.add_span(article_id, 8, 12, "LOCATION")
    session.set_argument(article_id, event.id, "place", place.id)
    data = project.schema_data()
    attack = data["event_types"][0]
    without_place = {**attack, "roles": [r for r in attack["roles"] if r["name"] != "place"]}
    with pytest.raises(SchemaError, match="still used by links cannot be removed: attack/place"):
        project.replace_schema({**data, "event_types": [without_place]})
    with pytest.raises(SchemaError, match="still used by links cannot be removed: attack, attack/place$"):
        project.replace_schema({**data, "event_types": []})
    assert project.replace_schema({**data, "relation_types": []}).relation_types == ()


# --- relation and event types (issue 15) ---------------------------------------------------------

_LABELS = [{"name": "LOC", "color": "#aabbcc", "key": "1"}, {"name": "ORG", "color": "#bbccdd", "key": "2"},
           {"name": "HIT", "color": "#ccddee", "key": "3"}]


def _with_links(relations=(), events=()):
    return {"name": "x", "labels": _LABELS, "relation_types": list(relations), "event_types": list(events)}


def test_shipped_news_schema_has_the_attack_event_and_relations():
    schema = schema_from_data(load_schema_file(shipped_schema_path()), 1)
    attack = schema.event_type("attack")
    assert attack.trigger_label == "ATTACK"
    assert [r.name for r in attack.roles] == [
        "attacker", "target", "place", "instrument", "time", "casualties", "source"]
    assert attack.role("time").multiplicity == "optional" and attack.role("place").labels == ("LOCATION",)
    assert [r.name for r in schema.relation_types] == ["reported-by", "located-in", "member-of"]
    assert schema.relation_type("reported-by").allows("ATTACK", "SOURCE")
    assert not schema.relation_type("reported-by").allows("SOURCE", "ATTACK")
    description = load_schema_file(shipped_schema_path())["description"]
    assert "ACE 2005" in description and "ACLED" in description


@pytest.mark.parametrize(
    "data, message",
    [
        (_with_links([{"name": "in", "heads": ["LOC"], "tails": ["CITY"]}]),
         "relation in names label 'CITY', which the schema lacks"),
        (_with_links(events=[{"name": "hit", "trigger_label": "BOOM", "roles": [{"name": "r", "labels": ["LOC"]}]}]),
         "event hit trigger names label 'BOOM'"),
        (_with_links(events=[{"name": "hit", "trigger_label": "HIT", "roles": [{"name": "r", "labels": ["X"]}]}]),
         "event hit role r names label 'X'"),
        (_with_links(events=[{"name": "hit", "trigger_label": "HIT",
                              "roles": [{"name": "r", "labels": ["LOC"], "multiplicity": "two"}]}]),
         "is not one of"),
        (_with_links([{"name": "in", "heads": ["LOC"], "tails": ["LOC"], "key": "1"}]),
         r"duplicate keyboard key \(labels, relations, events\): 1"),
        (_with_links([{"name": "in", "heads": ["LOC"], "tails": ["LOC"], "key": "r"}],
                     [{"name": "hit", "trigger_label": "HIT",
                       "roles": [{"name": "place", "labels": ["LOC"], "key": "r"}]}]),
         r"duplicate keyboard key \(labels, relations, roles of hit\): r"),
        (_with_links(events=[{"name": "hit", "trigger_label": "HIT", "roles": [
            {"name": "place", "labels": ["LOC"]}, {"name": "place", "labels": ["ORG"]}]}]),
         "duplicate role of event hit: place"),
        (_with_links([{"name": "hit", "heads": ["LOC"], "tails": ["LOC"]}],
                     [{"name": "hit", "trigger_label": "HIT", "roles": [{"name": "r", "labels": ["LOC"]}]}]),
         "duplicate relation or event type name: hit"),
    ],
)
def test_invalid_link_types_are_refused(data, message):
    with pytest.raises(SchemaError, match=message):
        validate_schema_data(data, "s.json")


def test_roles_of_different_events_may_share_a_key():
    role = {"name": "place", "labels": ["LOC"], "key": "p"}
    data = _with_links(events=[{"name": "hit", "trigger_label": "HIT", "roles": [role]},
                               {"name": "raid", "trigger_label": "HIT", "roles": [role]}])
    assert validate_schema_data(data)["event_types"][1]["roles"][0]["key"] == "p"


def test_renaming_a_label_renames_it_in_relations_and_events(project):
    assert project.rename_label("ATTACK", "STRIKE") == 0
    schema = project.schema
    assert schema.event_type("attack").trigger_label == "STRIKE"
    assert schema.relation_type("reported-by").heads == ("STRIKE", "EVENT", "QUANTITY")


def test_merging_a_label_merges_it_in_relations_and_events(project):
    project.merge_label("EVENT", "ATTACK")
    assert project.schema.relation_type("reported-by").heads == ("ATTACK", "QUANTITY")
    assert project.schema.relation_type("located-in").heads == ("LOCATION", "ORGANIZATION", "PERSON", "ATTACK")


def test_init_with_a_bad_link_type_is_one_line_and_no_file(tmp_path):
    from click.testing import CliRunner

    from annotator.cli import cli

    schema = tmp_path / "bad.json"
    schema.write_text(json.dumps(_with_links([{"name": "in", "heads": ["LOC"], "tails": ["CITY"]}])),
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "p.db"), "--schema", str(schema)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert "bad.json: relation in names label 'CITY', which the schema lacks" in result.output
    assert not (tmp_path / "p.db").exists()


def test_schema_command_lists_relation_and_event_types(project):
    from click.testing import CliRunner

    from annotator.cli import cli

    project.close()
    result = CliRunner().invoke(cli, ["schema", str(project.path)])
    assert result.exit_code == 0, result.output
    assert "  [r] reported-by    relation  ATTACK/EVENT/QUANTITY -> SOURCE/ORGANIZATION/PERSON\n" in result.output
    assert "  [a] attack         event     trigger ATTACK\n" \
        "      [k] attacker     many     ORGANIZATION/PERSON/LOCATION\n" in result.output
    assert "      [d] time         optional DATE\n" in result.output
