"""The dataset card an export writes beside its data: what went in, what was written, what not.

A card answers the questions a dataset builder asks before training on a file: which layers of
which articles went in (and which were left out, and why), how many entities of each label were
**written** (after a token format dropped overlaps, not before), and every dropped span as
``article:start-end label «text»``. ``<stem>.card.md`` is for people, ``<stem>.card.json`` for
scripts; a Hugging Face export's card is its folder's ``README.md``, with the Hub's YAML header.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.atomic_files import atomic_write
from annotator.export_links import why_left_out
from annotator.project import Project

if TYPE_CHECKING:
    from annotator.exporting import ExportOptions, ExportResult

ARTICLE_LINES = 1000
"""Articles listed one per line in the Markdown card; the JSON card lists them all."""

_SOURCES = {
    "human": "human work: gold where an article is adjudicated, else its finished human layers",
    "gold": "gold: adjudicated articles only",
    "all": "every layer, machine layers and unfinished work included",
}


def write_card(out: Path, options: ExportOptions, project: Project, result: ExportResult) -> Path:
    """Write the Markdown and JSON cards; returns the Markdown one's path."""
    body = card_lines(out, options, project, result)
    if result.folder is not None:
        from annotator.formats import hf

        names = hf.label_list(project.schema.names, options.scheme)
        counts = {part: (len_lines(path), path.stat().st_size)
                  for part, path in zip(result.documents, result.files)}
        card = result.folder / "README.md"
        text = hf.hub_yaml(names, counts) + "\n" + "\n".join(body) + "\n"
        json_path = result.folder / "card.json"
        _write_text(result.folder / "label_list.json", json.dumps(names, ensure_ascii=False) + "\n")
    else:
        card = out.with_name(f"{out.stem}.card.md")
        text = "\n".join(body) + "\n"
        json_path = out.with_name(f"{out.stem}.card.json")
    _write_text(card, text)
    _write_text(json_path, json.dumps(card_json(options, project, result), ensure_ascii=False,
                                      indent=2) + "\n")
    return card


def len_lines(path: Path) -> int:
    """Lines of a JSONL file (the Hub's ``num_examples`` of a split: sentences, not articles)."""
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def _write_text(path: Path, text: str) -> None:
    with atomic_write(path, "w", newline="\n") as handle:
        handle.write(text)


def card_lines(out: Path, options: ExportOptions, project: Project, result: ExportResult
               ) -> list[str]:
    """The Markdown card, line by line."""
    token_level = options.format in ("conll", "spacy") or options.flavor == "hf"
    source = _SOURCES.get(options.source, f"the named layers {options.source}")
    lines = [
        f"# {out.stem}", "",
        f"- project: `{project.path.name}` (schema {project.schema.name!r} v{project.schema.version})",
        f"- source: `{options.source}` ({source})"
        + ("; unfinished and unlabelled articles included" if options.include_unfinished else ""),
        "- layers in: " + (", ".join(f"`{name}` ({n} articles)" for name, n in _per_layer(result))
                           or "none (every article exported without spans)"),
        "- left out: " + (", ".join(f"{n} articles {why}" for why, n in sorted(result.left_out.items()))
                          or "none"),
        f"- format: {options.format}" + (f" ({options.flavor})" if options.format == "jsonl" else ""),
        "- tokenizer: annotator.text.tokenize (Arabic punctuation split off, numbers whole,"
        " tatweel and diacritics kept inside words)",
    ]
    if token_level:
        lines.append(f"- tag scheme: {options.scheme}")
        lines.append(f"- overlapping spans: longest first; {len(result.dropped)} dropped (listed below);"
                     f" {result.split_tokens} tokens split at span boundaries")
    else:
        lines.append("- overlapping spans: all kept")
    if result.links_left_out:
        lines.append("- relations and events: " + ", ".join(
            f"{n} {what}" for what, n in sorted(result.links_left_out.items()))
            + f" left out: {why_left_out(options.format, options.flavor)}")
    split = "/".join(map(str, options.split)) + f" with seed {options.seed}" if options.split else "none"
    lines += [f"- split: {split}", "", "Entities written, per label:", "",
              "| label | " + " | ".join(result.documents) + " |",
              "|---|" + "---|" * len(result.documents)]
    labels = sorted({label for counts in result.spans_per_label.values() for label in counts})
    for label in labels:
        counts = (str(result.spans_per_label[part][label]) for part in result.documents)
        lines.append(f"| {label} | " + " | ".join(counts) + " |")
    lines.append("| *documents* | " + " | ".join(str(n) for n in result.documents.values()) + " |")
    lines += ["", "## Articles", "", "| article | split | layers |", "|---|---|---|"]
    for doc_id, part, layers in result.articles[:ARTICLE_LINES]:
        lines.append(f"| {doc_id} | {part} | {', '.join(layers) or '(none: no spans)'} |")
    if len(result.articles) > ARTICLE_LINES:
        lines.append(f"| … {len(result.articles) - ARTICLE_LINES} more in the JSON card | | |")
    if result.dropped:
        lines += ["", "## Dropped spans", ""] + [f"- {d}" for d in result.dropped]
    return lines


def _per_layer(result: ExportResult) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter(layer for _, _, layers in result.articles for layer in layers)
    return sorted(counts.items())


def card_json(options: ExportOptions, project: Project, result: ExportResult) -> dict[str, Any]:
    """The card for scripts: the same facts, every article listed."""
    return {
        "schema": {"name": project.schema.name, "version": project.schema.version,
                   "labels": list(project.schema.names)},
        "options": {**options.__dict__, "split": list(options.split) if options.split else None},
        "documents": result.documents,
        "layers": dict(_per_layer(result)),
        "articles": [{"doc_id": d, "split": p, "layers": list(ls)} for d, p, ls in result.articles],
        "left_out": dict(result.left_out),
        **({"links_left_out": dict(result.links_left_out),
            "links_left_out_why": why_left_out(options.format, options.flavor)}
           if result.links_left_out else {}),
        "spans_per_label": {k: dict(v) for k, v in result.spans_per_label.items()},
        "dropped": [str(d) for d in result.dropped],
        "split_tokens": result.split_tokens,
        "files": [p.name for p in result.files],
    }
