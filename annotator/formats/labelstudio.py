"""Label Studio tasks (its "JSON" export and import format), both directions.

``value.start``/``value.end`` count **code points**, like Python and unlike most JavaScript
tools: measured in Label Studio 1.23.2's own labelling page, selecting «دِمَشْقَ» after five
emoji stored 49-57, which is Python's ``text[49:57]`` (UTF-16 offsets are 53-61). No
conversion happens here (doccano, which does count UTF-16, converts). See docs/adr/0001-offsets.md; the
interop script ``scripts/interop_labelstudio.py`` checks it against a running server.

A task as read (unknown keys ignored; a JSON array, or one task per line)::

    {"id": 12, "data": {"text": "..."},
     "annotations": [{"completed_by": 3, "was_cancelled": false, "result": [
        {"type": "labels", "from_name": "label", "to_name": "text", "id": "x1",
         "value": {"start": 0, "end": 4, "text": "دمشق", "labels": ["LOCATION"]}}]}],
     "predictions": [{"model_version": "crf-1", "result": [...]}]}

Who made a span (:attr:`Span.annotator`): our own ``"annotator"`` key on the annotation if
present; else the layer our export named for the annotation's ``import_id`` in the task's
``meta.annotator_layers``; else ``completed_by`` (a user object's email, or ``ls-user-<id>``
for a bare id). Why three: Label Studio (1.23.2, measured) drops an annotation's unknown keys
on import and makes the importing user its ``completed_by``, so after a trip through it every
layer of a task would come back as that one user, merged; it does keep an annotation's ``id``
(as ``import_id``) and the task's ``meta``, which is where the written file puts the layer
names. Annotations that still share a name (a file from elsewhere, every one completed by one
user) are read into that one layer and reported to ``warn``.
Predictions become layers named ``prediction:<model_version>`` (skip them with
``predictions=False``). Cancelled annotations are skipped and reported to ``warn``. Results of
other types (choices...) are ignored; a region with several labels gives one span each.

Relations are results of their own, between two regions of the same annotation::

    {"type": "relation", "from_id": "s1", "to_id": "s2", "direction": "right",
     "labels": ["located-in"]}

``direction`` ``right`` (the default) runs from ``from_id`` to ``to_id``, ``left`` the other
way, ``bi`` is read as written (a symmetric type); each label is one relation, and a relation
without a label (Label Studio allows one) is skipped and reported. Label Studio has no events:
each filled role is written as a relation from the trigger labelled ``attack:place`` and read
back as an event argument (:mod:`annotator.text.links`). The labelling config needs a
``<Relations>`` tag listing the relation labels for its page to show them.

Written: a JSON array (what Label Studio's import takes from a ``.json`` file), one task per
document, one annotation per annotator layer (``ground_truth`` set on the gold layer, ``id``
numbered in the task and named in ``meta.annotator_layers``), ``doc_id`` and ``title`` kept in
``data`` so they survive a trip through Label Studio. ``completed_by`` is left out: Label
Studio assigns the importing user.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from annotator.model import GOLD, Document, Event, Relation, Span, sort_spans
from annotator.text.links import Link, event_links, split_links
from annotator.text.records import (
    SpanReader,
    Warn,
    Where,
    describe,
    dumps,
    emit,
    get_id,
    get_list,
    get_mapping,
    iter_json_records,
    stem_of,
)

LAYERS_KEY = "annotator_layers"
"""The task ``meta`` key naming each annotation's layer by its ``id`` (kept by Label Studio)."""


def read_labelstudio(
    text: str,
    *,
    path_name: str,
    text_key: str | None = None,
    predictions: bool = True,
    warn: Warn | None = None,
) -> Iterator[Document]:
    """Documents of a Label Studio JSON export; ``text_key`` names the ``data`` field to use
    (default ``"text"``, or the only string field)."""
    for index, (line, task) in enumerate(iter_json_records(text, path_name), start=1):
        where = Where(path_name, line, describe(index, task))
        data = get_mapping(task, "data", where)
        key = _text_key(data, text_key, where)
        reader = SpanReader(data[key], utf16=False)
        spans: list[Span] = []
        relations: list[Relation] = []
        events: list[Event] = []
        for layer, results in _layers(task, where, predictions, warn, _layer_names(task)):
            regions = _read_results(results, reader, layer, where)
            spans.extend(span for group in regions.values() for span in group)
            links = _read_relations(results, regions, where, warn)
            more_relations, more_events = split_links(links, layer)
            relations += more_relations
            events += more_events
        doc_id = get_id(data, "doc_id", where) or get_id(task, "id", where)
        title = data.get("title")
        yield Document(
            doc_id=doc_id or f"{stem_of(path_name)}#{index}",
            text=reader.text,
            title=title if isinstance(title, str) else "",
            spans=tuple(sort_spans(spans)),
            meta={k: v for k, v in data.items() if k not in {"doc_id", "title", key}},
            relations=tuple(relations),
            events=tuple(events),
        )


def _text_key(data: Mapping[str, Any], text_key: str | None, where: Where) -> str:
    """The ``data`` field holding the article: ``text_key``, ``"text"``, or the only string."""
    if text_key is None and "text" not in data:
        strings = [
            k for k, v in data.items() if isinstance(v, str) and k not in {"doc_id", "title"}
        ]
        if len(strings) != 1:
            raise where.error(f"cannot tell which data field is the text among {sorted(data)}")
        text_key = strings[0]
    key = text_key or "text"
    if not isinstance(data.get(key), str):
        raise where.error(f"data has no text field {key!r}")
    return key


def _layer_names(task: Mapping[str, Any]) -> dict[str, str]:
    """``meta.annotator_layers`` of a task we wrote: annotation id (as text) -> layer name."""
    meta = task.get("meta")
    names = meta.get(LAYERS_KEY) if isinstance(meta, dict) else None
    if not isinstance(names, dict):
        return {}
    return {str(k): v for k, v in names.items() if isinstance(v, str)}


def _layers(
    task: Mapping[str, Any], where: Where, predictions: bool, warn: Warn | None,
    names: Mapping[str, str],
) -> Iterator[tuple[str, list[Any]]]:
    """``(annotator name, result list)`` for each annotation, then each prediction."""
    seen: dict[str, int] = {}
    for annotation in get_list(task, "annotations", where):
        if not isinstance(annotation, dict):
            raise where.error("each annotation must be a JSON object")
        if annotation.get("was_cancelled"):
            emit(warn, f"{where.record}: skipped a cancelled annotation", where.path, where.line)
            continue
        layer = _annotator(annotation, names)
        seen[layer] = seen.get(layer, 0) + 1
        yield layer, get_list(annotation, "result", where)
    for layer, count in seen.items():
        if count > 1:
            emit(warn, f"{where.record}: {count} annotations are all by {layer or 'nobody named'}"
                 " (Label Studio names the importing user): read into one layer", where.path,
                 where.line)
    if predictions:
        for prediction in get_list(task, "predictions", where):
            if not isinstance(prediction, dict):
                raise where.error("each prediction must be a JSON object")
            version = prediction.get("model_version")
            name = f"prediction:{version}" if version not in (None, "") else "prediction"
            yield name, get_list(prediction, "result", where)


def _annotator(annotation: Mapping[str, Any], names: Mapping[str, str]) -> str:
    own = annotation.get("annotator")
    if isinstance(own, str) and own:
        return own
    imported = annotation.get("import_id")
    if imported is not None and str(imported) in names:
        return names[str(imported)]
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        for key in ("email", "username", "id"):
            if user.get(key) not in (None, ""):
                return str(user[key]) if key != "id" else f"ls-user-{user[key]}"
        return ""
    if isinstance(user, (int, str)) and not isinstance(user, bool) and user != "":
        return f"ls-user-{user}"
    return ""


def _read_results(results: list[Any], reader: SpanReader, layer: str, where: Where
                  ) -> dict[Any, list[Span]]:
    """Region id -> its spans (one per label); a region without an id gets a key of its own."""
    regions: dict[Any, list[Span]] = {}
    for number, result in enumerate(results):
        if not isinstance(result, dict) or result.get("type") != "labels":
            continue
        value = get_mapping(result, "value", where)
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels:
            raise where.error(f"region {result.get('id')!r} has no labels")
        ident = result.get("id")
        key = ident if isinstance(ident, (str, int)) else ("unnamed", number)
        spans = regions.setdefault(key, [])
        for label in labels:
            spans.append(
                reader.span(
                    value.get("start"),
                    value.get("end"),
                    label,
                    where,
                    annotator=layer,
                    quoted=value.get("text"),
                )
            )
    return regions


def _read_relations(results: list[Any], regions: Mapping[Any, list[Span]], where: Where,
                    warn: Warn | None) -> list[Link]:
    """The annotation's relation results as links between its regions' spans."""
    links = []
    for result in results:
        if not isinstance(result, dict) or result.get("type") != "relation":
            continue
        ends = []
        for key in ("from_id", "to_id"):
            ident = result.get(key)
            if not isinstance(ident, (str, int)) or ident not in regions:
                raise where.error(f"relation {key} {ident!r} names no labelled region")
            ends.append(regions[ident])
        if result.get("direction") == "left":
            ends.reverse()
        labels = result.get("labels") or []
        if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
            raise where.error(f"relation labels must be a list of names, found {labels!r}")
        if not labels:
            emit(warn, f"{where.record}: skipped a relation without a label", where.path,
                 where.line)
        links += [Link(label, head, tail) for label in labels for head in ends[0]
                  for tail in ends[1]]
    return links


def write_labelstudio(
    documents: Iterable[Document],
    out: TextIO,
    *,
    from_name: str = "label",
    to_name: str = "text",
) -> int:
    """Write an importable JSON array (one task per line inside it); returns the number of tasks.

    ``from_name``/``to_name`` must match the ``<Labels name>``/``<Text name>`` of the Label
    Studio project's labelling config.
    """
    count = 0
    out.write("[")
    for doc in documents:
        doc.check()
        out.write(("\n" if count == 0 else ",\n") + dumps(task_record(doc, from_name, to_name)))
        count += 1
    out.write("\n]\n")
    return count


def task_record(doc: Document, from_name: str = "label", to_name: str = "text") -> dict[str, Any]:
    """One Label Studio task; offsets in code points, as Label Studio counts them.

    >>> doc = Document("a1", "😀 دمشق", spans=(Span(2, 6, "LOC", "دمشق", "ali"),))
    >>> task_record(doc)["annotations"][0]["result"][0]["value"]
    {'start': 2, 'end': 6, 'text': 'دمشق', 'labels': ['LOC']}
    """
    layers: dict[str, list[Span]] = {}
    for span in sort_spans(doc.spans):
        layers.setdefault(span.annotator, []).append(span)
    links = event_links(doc)[0]
    annotations = []
    for number, name in enumerate(sorted(layers), start=1):
        result: list[dict[str, Any]] = [
            {
                "id": f"s{number}",
                "from_name": from_name,
                "to_name": to_name,
                "type": "labels",
                "value": {
                    "start": span.start,
                    "end": span.end,
                    "text": span.text,
                    "labels": [span.label],
                },
            }
            for number, span in enumerate(layers[name], start=1)
        ]
        ids = {span.key: f"s{number}" for number, span in enumerate(layers[name], start=1)}
        result += [
            {"from_id": ids[link.head.key], "to_id": ids[link.tail.key], "type": "relation",
             "direction": "right", "labels": [link.type]}
            for link in links if link.head.annotator == name
        ]
        annotation: dict[str, Any] = {"id": number, "result": result, "ground_truth": name == GOLD}
        if name:
            annotation["annotator"] = name
        annotations.append(annotation)
    data = {"text": doc.text, "doc_id": doc.doc_id, "title": doc.title}
    names = {str(a["id"]): a["annotator"] for a in annotations if "annotator" in a}
    return {"data": data, "annotations": annotations, **({"meta": {LAYERS_KEY: names}} if names else {})}
