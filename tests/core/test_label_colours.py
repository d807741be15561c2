"""A label added to a schema never takes an existing label's colour."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.project import Project
from annotator.schema import free_color, unnamed_labels, with_display_names


def test_added_labels_get_colours_no_label_has(tmp_path: Path) -> None:
    schema = tmp_path / "s.json"
    # One label, in the palette's SECOND colour: the old rule (palette[len(labels)]) gave the
    # next label this very colour.
    schema.write_text(json.dumps({"name": "s", "labels": [
        {"name": "LOCATION", "display_ar": "مكان", "color": "#ef476f", "key": "1"}]}), "utf-8")
    with Project.create(tmp_path / "p.db", schema) as project:
        project.add_labels([f"MIS-{n}" for n in range(1, 16)])  # past the 12-colour palette
        colours = [label.color for label in project.schema.labels]
    assert len(colours) == 16
    assert len(set(colours)) == 16
    assert colours[0] == "#ef476f" and colours[1] == "#8ecae6"


def test_free_color_after_the_palette_is_still_free() -> None:
    used: list[str] = []
    for _ in range(40):
        used.append(free_color(used))
    assert len(set(used)) == 40


def test_unnamed_labels_and_naming_them() -> None:
    data = {"name": "x", "labels": [{"name": "LOC", "display_ar": "مكان", "color": "#aabbcc"},
                                    {"name": "MIS", "color": "#bbccdd"}]}
    assert unnamed_labels(data) == ["MIS"]
    named = with_display_names(data, {"MIS": " متفرقات ", "LOC": ""})
    assert [lab.get("display_ar") for lab in named["labels"]] == ["مكان", "متفرقات"]
    assert unnamed_labels(named) == []
