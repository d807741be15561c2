"""brat's ``annotation.conf`` and ``visual.conf`` for an export, written from the project's schema.

A brat server reads these two files from the collection's folder (or the nearest parent): without
them it shows every type as unknown and its checker reports each annotation as an error. So the
export carries the schema: entity labels, relation types with the labels each end allows, event
types with their roles and multiplicity, and display names and colours.

Two brat conventions shape what is written (brat's ``server/src/annotation.py`` refuses an event
whose trigger is typed otherwise, ``EventWithNonTriggerError``):

- an event's trigger entity carries the **event type** as its type (``T3 attack 10 13`` and
  ``E1 attack:T3 place:T1``): :func:`trigger_types` gives the ``.ann`` writer that type per span,
  and :func:`annotator.text.links.schema_triggers` turns it back into the schema's trigger label
  on import;
- so wherever the schema allows a trigger label (a relation end, a role), the event types that
  trigger carries are allowed too.

Multiplicity maps as brat's documentation writes it: ``one`` -> ``Role:L``, ``optional`` ->
``Role?:L``, ``many`` -> ``Role*:L``. Overlapping spans are declared allowed (``<OVERLAP>``),
as nested labels are ordinary here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from annotator.model import Document, Schema

ANNOTATION_CONF = "annotation.conf"
VISUAL_CONF = "visual.conf"
_MARK = {"one": "", "optional": "?", "many": "*"}


def trigger_types(doc: Document) -> dict[tuple[int, int, str], str]:
    """The brat type of each span that triggers an event: its (first) event's type."""
    types: dict[tuple[int, int, str], str] = {}
    for event in sorted(doc.events, key=lambda e: (e.trigger.start, e.trigger.end, e.type)):
        types.setdefault(event.trigger.key, event.type)
    return types


def _allowed(labels: Iterable[str], schema: Schema) -> str:
    """``labels`` joined brat's way, each trigger label followed by the event types it triggers."""
    names: list[str] = []
    for label in labels:
        names.append(label)
        names += [e.name for e in schema.event_types if e.trigger_label == label]
    return "|".join(dict.fromkeys(names))


def annotation_conf(schema: Schema) -> str:
    """brat's ``annotation.conf`` for ``schema``.

    >>> from annotator.model import EventType, Label, RelationType, Role
    >>> schema = Schema("news", (Label("ATTACK", "هجوم", "Attack", "#f00"),
    ...                          Label("LOCATION", "مكان", "Location", "#0f0")),
    ...     relation_types=(RelationType("located-in", "يقع في", "Located in", ("ATTACK",), ("LOCATION",)),),
    ...     event_types=(EventType("attack", "هجوم", "Attack", "ATTACK",
    ...                            (Role("place", "المكان", "Place", ("LOCATION",), "many"),)),))
    >>> annotation_conf(schema).splitlines()  # doctest: +NORMALIZE_WHITESPACE
    ['[entities]', 'ATTACK', 'LOCATION', '[relations]',
     'located-in\\tArg1:ATTACK|attack, Arg2:LOCATION',
     '<OVERLAP>\\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>',
     '[events]', 'attack\\tplace*:LOCATION', '[attributes]']
    """
    lines = ["[entities]", *schema.names, "[relations]"]
    for kind in schema.relation_types:
        symmetric = ", <REL-TYPE>:symmetric" if kind.symmetric else ""
        lines.append(f"{kind.name}\tArg1:{_allowed(kind.heads, schema)}, "
                     f"Arg2:{_allowed(kind.tails, schema)}{symmetric}")
    lines += ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "[events]"]
    for event in schema.event_types:
        roles = ", ".join(f"{role.name}{_MARK[role.multiplicity]}:{_allowed(role.labels, schema)}"
                          for role in event.roles)
        lines.append(f"{event.name}\t{roles}" if roles else event.name)
    lines.append("[attributes]")
    return "".join(line + "\n" for line in lines)


def visual_conf(schema: Schema) -> str:
    """brat's ``visual.conf``: each type's display names (the schema's language first) and each
    label's colour (an event type takes its trigger label's)."""
    def names(name: str, ar: str, en: str) -> str:
        first, second = (ar, en) if schema.language == "ar" else (en, ar)
        return " | ".join([name, *dict.fromkeys(n for n in (first, second) if n)])

    colours = {label.name: label.color for label in schema.labels}
    lines = ["[labels]"]
    lines += [names(label.name, label.display_ar, label.display_en) for label in schema.labels]
    lines += [names(e.name, e.display_ar, e.display_en) for e in schema.event_types]
    lines += [names(r.name, r.display_ar, r.display_en) for r in schema.relation_types]
    roles = {role.name: role for event in schema.event_types for role in event.roles}
    lines += [names(role.name, role.display_ar, role.display_en) for role in roles.values()]
    lines.append("[drawing]")
    lines += [f"{label.name}\tbgColor:{label.color}" for label in schema.labels if label.color]
    lines += [f"{e.name}\tbgColor:{colours[e.trigger_label]}" for e in schema.event_types
              if colours.get(e.trigger_label)]
    return "".join(line + "\n" for line in lines)


def write_confs(schema: Schema, folder: Path) -> None:
    """Write both files into ``folder`` (the collection's root: brat looks up from each document)."""
    (folder / ANNOTATION_CONF).write_text(annotation_conf(schema), encoding="utf-8", newline="\n")
    (folder / VISUAL_CONF).write_text(visual_conf(schema), encoding="utf-8", newline="\n")
