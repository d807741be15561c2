"""Round trips through a real project on real Arabic text: file -> DB -> file.

CoNLL: AQMAR (Wikipedia NER with real tagging noise) imported, exported, and compared token by
token and entity by entity. JSONL: ANT and SaudiNewsNet articles (diacritics, tatweel, NBSP,
Arabic-Indic digits, Latin) with spans placed reproducibly, exported, imported into a second
project and exported again — byte for byte the same file. Both also run on shipped fixtures.
"""

from __future__ import annotations

import random
from pathlib import Path

from annotator.errors import SpanError
from annotator.exporting import ExportOptions, export_project
from annotator.formats.conll import read_conll
from annotator.importing import import_documents
from annotator.project import Project
from annotator.reading import ReadOptions, read_paths
from annotator.text.tokenize import tokenize

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _entities(path: Path) -> tuple[list[list[str]], list[tuple[int, int, int, str]]]:
    """Tokens per document and entities as (document, first token, last token, label)."""
    tokens, entities = [], []
    for n, doc in enumerate(read_conll(path)):
        starts = [start for start, _ in doc.meta["tokens"]]
        tokens.append([doc.text[s:e] for s, e in doc.meta["tokens"]])
        for span in doc.spans:
            first = starts.index(span.start)
            last = max(i for i, s in enumerate(starts) if s < span.end)
            entities.append((n, first, last, span.label))
    return tokens, entities


def _conll_round_trip(sources: list[Path], tmp_path: Path) -> None:
    with Project.create(tmp_path / "c.db") as project:
        docs = read_paths(sources, ReadOptions(format="conll"))
        import_documents(project, docs, new_labels="add")
        out = tmp_path / "out.conll"
        export_project(project, out, ExportOptions(format="conll", source="import"))
    original = tmp_path / "original.conll"
    with original.open("w", encoding="utf-8", newline="\n") as handle:
        for source in sources:  # one -DOCSTART- document per source file, as exported
            handle.write("-DOCSTART-\tO\n\n" + source.read_text(encoding="utf-8").strip("\n") + "\n\n")
    assert _entities(out) == _entities(original)


def test_conll_through_the_project_fixture(tmp_path):
    _conll_round_trip([FIXTURES / "aqmar_damascus.conll", FIXTURES / "aqmar_noisy.txt"], tmp_path)


def test_conll_through_the_project_all_of_aqmar(shared_dir, tmp_path):
    aqmar = sorted(p for p in (shared_dir / "corpora" / "aqmar").glob("*.txt") if p.name != "SOURCE.txt")
    assert len(aqmar) == 28
    _conll_round_trip(aqmar, tmp_path)


def _with_random_spans(project: Project, seed: int) -> None:
    """Label ~10% of tokens of every article as ali, reproducibly (whole tokens, some nested)."""
    rng = random.Random(seed)
    session = project.session("ali")
    labels = project.schema.names
    for article in project.store.iter_articles():
        tokens = tokenize(article.text)
        for i in sorted(rng.sample(range(len(tokens)), k=max(1, len(tokens) // 10))):
            j = min(len(tokens) - 1, i + rng.randrange(3))
            try:
                session.add_span(article.id, tokens[i].start, tokens[j].end, rng.choice(labels))
            except SpanError:  # the same range drawn twice with the same label
                pass
        session.set_state(article.id, "done")  # finished work: what an export takes by default


def _jsonl_round_trip(sources: list[Path], tmp_path: Path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    with Project.create(tmp_path / "a.db") as project:
        import_documents(project, read_paths(sources, ReadOptions()))
        _with_random_spans(project, seed=7)
        export_project(project, first, ExportOptions(format="jsonl"))
    with Project.create(tmp_path / "b.db") as again:
        import_documents(again, read_paths([first], ReadOptions(format="jsonl")))
        export_project(again, second, ExportOptions(format="jsonl"))
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 1000


def test_jsonl_through_the_project_fixtures(tmp_path):
    _jsonl_round_trip([FIXTURES / "ant", FIXTURES / "scraped_news.json"], tmp_path)


def test_jsonl_through_the_project_real_news(shared_dir, tmp_path):
    corpora = shared_dir / "corpora"
    _jsonl_round_trip(
        [corpora / "antcorpus_sample", corpora / "saudinewsnet" / "sample_2015-07-23.json"], tmp_path
    )
