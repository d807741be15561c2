"""Corpus figures for ``annotator stats`` and the desk's status line."""

from __future__ import annotations

from typing import Any

from annotator.project import Project


def project_stats(project: Project) -> dict[str, Any]:
    """Articles, their progress, and spans per label and per annotator, as a JSON-ready dict.

    ``done``/``in_progress`` count articles that at least one user marked so.
    """
    store = project.store
    states = store.state_counts()
    by_annotator: dict[str, dict[str, int]] = {}
    for annotator, label, count in store.span_counts_by("annotator"):
        by_annotator.setdefault(annotator, {})[label] = count
    return {
        "project": str(project.path),
        "schema_version": project.schema.version,
        "articles": store.count("articles"),
        "done": states.get("done", 0),
        "in_progress": states.get("in_progress", 0),
        "spans": store.count("spans"),
        "spans_per_label": dict(sorted(store.label_counts().items())),
        "spans_per_annotator": by_annotator,
    }
