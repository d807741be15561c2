"""Schemas: validated files, versioned changes, labels in use cannot vanish."""

from __future__ import annotations

import json

import pytest

from annotator.errors import SchemaError
from annotator.schema import load_schema_file, shipped_schema_path


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
    without_weapon = {**data, "labels": [lab for lab in data["labels"] if lab["name"] != "WEAPON"]}
    assert "WEAPON" not in project.replace_schema(without_weapon).names
