"""Corpus figures for ``annotator stats`` and the desk's status line."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from annotator.project import Project

if TYPE_CHECKING:
    from annotator.project import Session


def project_stats(project: Project, session: Session | None = None) -> dict[str, Any]:
    """Articles, their progress, spans per label and per annotator, and relations and events
    (per type; arguments per ``event/role``), as a JSON-ready dict.

    ``done``/``in_progress`` count articles that at least one user marked so. For a ``session``
    that may not read every layer (an annotator in a blind project) the span and link figures
    count only the layers it may read and the progress only its own; article counts stay whole.
    """
    store = project.store
    readable = None if session is None else session.reading_filter()
    if session is None or readable is None:
        states = store.state_counts()
    else:
        states = dict(Counter(store.states_of(session.user).values()))
    by_annotator: dict[str, dict[str, int]] = {}
    per_label: Counter[str] = Counter()
    for annotator, label, count in store.span_counts_by("annotator"):
        if readable is None or annotator in readable:
            by_annotator.setdefault(annotator, {})[label] = count
            per_label[label] += count
    links: dict[str, Counter[str]] = {"relation": Counter(), "event": Counter(), "argument": Counter()}
    for kind, annotator, name, count in store.link_counts():
        if readable is None or annotator in readable:  # a link is read as its layer is
            links[kind][name] += count
    return {
        "project": str(project.path),
        "schema_version": project.schema.version,
        "articles": store.count("articles"),
        "done": states.get("done", 0),
        "in_progress": states.get("in_progress", 0),
        "spans": sum(per_label.values()),
        "spans_per_label": dict(sorted(per_label.items())),
        "spans_per_annotator": by_annotator,
        "relations": sum(links["relation"].values()),
        "relations_per_type": dict(sorted(links["relation"].items())),
        "events": sum(links["event"].values()),
        "events_per_type": dict(sorted(links["event"].items())),
        "arguments_per_role": dict(sorted(links["argument"].items())),
    }
