"""Label schemas as data: load, validate, and evolve them without orphaning spans.

A schema file (``schemas/*.json``) is validated against ``schemas/label-schema.schema.json``.
Inside a project the schema is copied into the database and versioned: every change (a label
added, renamed, recoloured) makes a new version, so a work package made against version 3 can be
recognised as such when it comes back.
"""

from __future__ import annotations

import colorsys
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.errors import SchemaError
from annotator.model import EventType, Label, RelationType, Role, Schema, is_valid_label_name

DEFAULT_SCHEMA = "news"


def _schemas_dir() -> Path:
    """The shipped schemas: ``annotator/schemas`` in an installed wheel (pyproject maps the
    top-level ``schemas/`` there), or ``schemas/`` beside the package in a checkout.

    A plain path, not ``importlib.resources``: the folder has no ``__init__.py``, so in a wheel
    ``resources.files`` answered a namespace ``MultiplexedPath`` whose ``str`` is no path at
    all (found by scripts/wheel-check.sh: ``annotator init`` failed from the wheel).
    """
    here = Path(__file__).resolve().parent
    installed = here / "schemas"
    return installed if installed.is_dir() else here.parent / "schemas"


def shipped_schema_path(name: str = DEFAULT_SCHEMA) -> Path:
    return _schemas_dir() / f"{name}.json"


def _meta_schema() -> dict[str, Any]:
    return json.loads((_schemas_dir() / "label-schema.schema.json").read_text(encoding="utf-8"))


def validate_schema_data(data: Any, source: str = "<schema>") -> dict[str, Any]:
    """Check ``data`` against the schema format and its cross-field rules; return it.

    >>> validate_schema_data({"name": "x", "labels": [{"name": "LOC", "color": "#aabbcc"}]})["name"]
    'x'
    """
    # Imported here, not at module level: jsonschema (with referencing, attrs, rpds) costs
    # 50-110 ms to import, and opening a project (the desk's start) only reads a schema that
    # was validated when it was stored; only importing or editing a schema validates.
    import jsonschema

    errors = sorted(jsonschema.Draft202012Validator(_meta_schema()).iter_errors(data), key=str)
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top)"
        raise SchemaError(f"{source}: {where}: {first.message}")
    names = [label["name"] for label in data["labels"]]
    keys = [label["key"] for label in data["labels"] if label.get("key")]
    for what, values in (("label name", names), ("keyboard key", keys)):
        _no_duplicates(source, what, values)
    check_link_types(data, source)
    return data


def _no_duplicates(source: str, what: str, values: list[str]) -> None:
    dupes = sorted({v for v in values if values.count(v) > 1})
    if dupes:
        raise SchemaError(f"{source}: duplicate {what}: {', '.join(dupes)}")


def check_link_types(data: dict[str, Any], source: str = "<schema>") -> None:
    """The cross checks of relation and event types that JSON Schema cannot say.

    Every label they name exists; names are unique; and keys do not collide where they share a
    keyboard: label, relation and event-type keys are pressed in the same text view, and an
    event's role keys are pressed there too while its frame is open (roles of two different
    event types may share a key: only one frame is open at a time).
    """
    labels = {label["name"] for label in data["labels"]}
    relations = data.get("relation_types", [])
    events = data.get("event_types", [])
    _no_duplicates(source, "relation or event type name",
                   [r["name"] for r in relations] + [e["name"] for e in events])
    for kind in relations:
        for label in (*kind["heads"], *kind["tails"]):
            _known(source, labels, label, f"relation {kind['name']}")
    main_keys = [item["key"] for item in (*data["labels"], *relations, *events) if item.get("key")]
    _no_duplicates(source, "keyboard key (labels, relations, events)", main_keys)
    for event in events:
        _known(source, labels, event["trigger_label"], f"event {event['name']} trigger")
        roles = event["roles"]
        _no_duplicates(source, f"role of event {event['name']}", [r["name"] for r in roles])
        for role in roles:
            for label in role["labels"]:
                _known(source, labels, label, f"event {event['name']} role {role['name']}")
        role_keys = [r["key"] for r in roles if r.get("key")]
        _no_duplicates(source, f"keyboard key (labels, relations, roles of {event['name']})",
                       main_keys + role_keys)


def _known(source: str, labels: set[str], label: str, where: str) -> None:
    if label not in labels:
        raise SchemaError(f"{source}: {where} names label {label!r}, which the schema lacks")


def load_schema_file(path: Path | str) -> dict[str, Any]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SchemaError(f"{path}: no such schema file") from None
    except json.JSONDecodeError as exc:
        raise SchemaError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    return validate_schema_data(data, str(path))


def schema_from_data(data: dict[str, Any], version: int) -> Schema:
    labels = tuple(
        Label(
            name=item["name"],
            display_ar=item.get("display_ar") or item["name"],
            display_en=item.get("display_en") or item["name"].title(),
            color=item["color"],
            key=item.get("key", ""),
            description=item.get("description", ""),
        )
        for item in data["labels"]
    )
    return Schema(data["name"], labels, version, data.get("language", "ar"),
                  _relation_types(data), _event_types(data))


def _relation_types(data: dict[str, Any]) -> tuple[RelationType, ...]:
    return tuple(
        RelationType(
            name=item["name"], display_ar=item.get("display_ar") or item["name"],
            display_en=item.get("display_en") or item["name"], heads=tuple(item["heads"]),
            tails=tuple(item["tails"]), key=item.get("key", ""),
            symmetric=bool(item.get("symmetric", False)), description=item.get("description", ""),
        )
        for item in data.get("relation_types", [])
    )


def _event_types(data: dict[str, Any]) -> tuple[EventType, ...]:
    return tuple(
        EventType(
            name=item["name"], display_ar=item.get("display_ar") or item["name"],
            display_en=item.get("display_en") or item["name"], trigger_label=item["trigger_label"],
            roles=tuple(
                Role(name=role["name"], display_ar=role.get("display_ar") or role["name"],
                     display_en=role.get("display_en") or role["name"], labels=tuple(role["labels"]),
                     multiplicity=role.get("multiplicity", "optional"), key=role.get("key", ""),
                     description=role.get("description", ""))
                for role in item["roles"]
            ),
            key=item.get("key", ""), description=item.get("description", ""),
        )
        for item in data.get("event_types", [])
    )


def with_renamed_label(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """A copy of ``data`` where label ``old`` is called ``new``: in the label list and in every
    relation head/tail, event trigger and role that names it (else the rename would leave
    them pointing at a label the schema no longer has, and validation would refuse it).

    >>> data = {"name": "x", "labels": [{"name": "EVENT", "color": "#aabbcc"}],
    ...         "event_types": [{"name": "e", "trigger_label": "EVENT",
    ...                          "roles": [{"name": "r", "labels": ["EVENT"]}]}]}
    >>> new = with_renamed_label(data, "EVENT", "ATTACK")
    >>> new["event_types"][0]["trigger_label"], new["event_types"][0]["roles"][0]["labels"]
    ('ATTACK', ['ATTACK'])
    """
    def swap(names: list[str]) -> list[str]:  # merging into an existing label: no repeats
        return list(dict.fromkeys(new if n == old else n for n in names))

    out = {**data, "labels": [{**lab, "name": new} if lab["name"] == old else lab
                              for lab in data["labels"]]}
    if "relation_types" in data:
        out["relation_types"] = [{**r, "heads": swap(r["heads"]), "tails": swap(r["tails"])}
                                 for r in data["relation_types"]]
    if "event_types" in data:
        out["event_types"] = [
            {**e, "trigger_label": new if e["trigger_label"] == old else e["trigger_label"],
             "roles": [{**role, "labels": swap(role["labels"])} for role in e["roles"]]}
            for e in data["event_types"]
        ]
    return out


_PALETTE = ["#8ecae6", "#ef476f", "#ffd166", "#06d6a0", "#b5a3f5", "#f4a261", "#90be6d",
            "#adb5bd", "#e9c46a", "#2a9d8f", "#e76f51", "#a8dadc"]


def free_color(used: Iterable[str]) -> str:
    """A label colour unlike every colour in ``used``: the palette's first free one, then hues
    spread by the golden angle (a new label must never look like an existing one: MIS-2 took
    LOCATION's blue when the palette index wrapped round).

    >>> free_color(["#8ecae6", "#ef476f"])
    '#ffd166'
    >>> free_color(_PALETTE) in _PALETTE
    False
    """
    taken = {c.lower() for c in used}
    for color in _PALETTE:
        if color not in taken:
            return color
    for n in range(1, 1000):
        hue = (n * 0.618033988749895) % 1.0
        color = _hsl_hex(hue, 0.55 + 0.2 * (n % 2), 0.72 - 0.1 * (n % 3))
        if color not in taken:
            return color
    raise SchemaError("no free label colour left")  # pragma: no cover (1000 labels)


def _hsl_hex(hue: float, saturation: float, lightness: float) -> str:
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#{:02x}{:02x}{:02x}".format(round(red * 255), round(green * 255), round(blue * 255))


def unnamed_labels(data: dict[str, Any], language: str = "ar") -> list[str]:
    """Labels with no display name in ``language`` (added by an import: only a tag name)."""
    return [label["name"] for label in data["labels"] if not label.get(f"display_{language}")]


def with_display_names(data: dict[str, Any], names: dict[str, str], language: str = "ar") -> dict[str, Any]:
    """A copy of ``data`` whose labels ``names`` get those display names in ``language``.

    >>> data = {"name": "x", "labels": [{"name": "MIS", "color": "#aabbcc"}]}
    >>> with_display_names(data, {"MIS": "متفرقات"})["labels"][0]["display_ar"]
    'متفرقات'
    """
    labels = [{**label, f"display_{language}": names[label["name"]].strip()}
              if names.get(label["name"], "").strip() else label for label in data["labels"]]
    return validate_schema_data({**data, "labels": labels})


def _keyed_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Everything in a schema that may hold a keyboard key (a new label takes none of theirs)."""
    events = data.get("event_types", [])
    return [*data["labels"], *data.get("relation_types", []), *events,
            *(role for event in events for role in event["roles"])]


def with_added_labels(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """A copy of ``data`` with new labels appended (colours from a palette, free keys)."""
    for name in names:
        if not is_valid_label_name(name):
            raise SchemaError(f"invalid label name {name!r}: use capitals, digits, _ or -")
    existing = {label["name"] for label in data["labels"]}
    used_keys = {item.get("key") for item in _keyed_items(data)}
    free_keys = [k for k in "123456789abcdefghijklmnopqrstuvwxyz" if k not in used_keys]
    labels = list(data["labels"])
    for name in names:
        if name in existing:
            continue
        label: dict[str, Any] = {"name": name, "color": free_color(lab["color"] for lab in labels)}
        if free_keys:
            label["key"] = free_keys.pop(0)
        labels.append(label)
        existing.add(name)
    return validate_schema_data({**data, "labels": labels})


def with_added_link_types(
    data: dict[str, Any],
    relations: dict[str, tuple[set[str], set[str]]],
    events: dict[str, tuple[set[str], dict[str, set[str]]]],
) -> dict[str, Any]:
    """A copy of ``data`` with relation types, event types and roles an import brought.

    Each allows the labels it was seen with (an event's trigger label: the one it was seen
    with; two are refused, a type has one trigger label); a new role may be filled many times.
    A role new to a known event type joins it. No keys: the desk's keyboard stays as it was.

    >>> data = {"name": "x", "labels": [{"name": "LOC", "color": "#aabbcc"}]}
    >>> with_added_link_types(data, {"near": ({"LOC"}, {"LOC"})}, {})["relation_types"]
    [{'name': 'near', 'heads': ['LOC'], 'tails': ['LOC']}]
    """
    kinds = [*data.get("relation_types", [])]
    kinds += [{"name": name, "heads": sorted(heads), "tails": sorted(tails)}
              for name, (heads, tails) in sorted(relations.items())]
    frames = {e["name"]: {**e, "roles": list(e["roles"])} for e in data.get("event_types", [])}
    for name, (triggers, roles) in sorted(events.items()):
        if name not in frames:
            if len(triggers) != 1:
                raise SchemaError(f"event type {name} is triggered by spans labelled "
                                  f"{', '.join(sorted(triggers))}; a type has one trigger label")
            frames[name] = {"name": name, "trigger_label": triggers.pop(), "roles": []}
        frames[name]["roles"] += [{"name": role, "labels": sorted(labels), "multiplicity": "many"}
                                  for role, labels in sorted(roles.items())]
    out = {**data}
    if kinds:
        out["relation_types"] = kinds
    if frames:
        out["event_types"] = list(frames.values())
    return validate_schema_data(out)
