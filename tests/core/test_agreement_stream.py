"""Agreement measured chunk by chunk equals agreement measured at once, and a project streams.

:class:`AgreementBuilder` keeps only integer sums and per-article rows between chunks; these
tests cut one corpus into every chunk size from one article to all of them and require the very
same report, and check a project's figures against the same articles given as objects.
"""

from __future__ import annotations

import random
import tracemalloc

import pytest

from annotator.agreement.layers import agreement_articles, project_agreement
from annotator.agreement.measures import AgreementBuilder, ArticleLayers, compute_agreement
from annotator.model import make_span
from annotator.project import Project
from annotator.team.members import acting_session, add_user
from annotator.text.tokenize import token_bounds, tokenize

WORDS = ["زار", "علي", "دمشق", "في", "القاهرة", ".", "،", "ودمشق", "وزير", "الخارجية"]
LABELS = ["PER", "LOC", "ORG"]


def corpus(n: int, raters: tuple[str, ...], seed: int = 5, words: int = 30) -> list[ArticleLayers]:
    """Articles with random overlapping spans (any extent, not token-aligned); some raters skip
    some articles, one article has nobody and one has no tokens."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0 if i == 3 else 1, words)))
        layers = {}
        for name in raters:
            if i == 5 or rng.random() < 0.2:
                continue
            spans = []
            for _ in range(rng.randint(0, 5) if text else 0):
                start = rng.randrange(len(text))
                end = rng.randint(start + 1, min(len(text), start + 15))
                spans.append(make_span(text, start, end, rng.choice(LABELS)))
            layers[name] = spans
        out.append(ArticleLayers(f"n{i:03d}", text, tokenize(text), layers))
    return out


@pytest.mark.parametrize("raters", [("ali", "mona"), ("ali", "huda", "mona")])
@pytest.mark.parametrize("chunk_tokens", [1, 7, 100, 10**9])
def test_any_chunk_size_gives_the_same_report(raters: tuple[str, ...], chunk_tokens: int) -> None:
    articles = corpus(60, raters)
    whole = compute_agreement(articles).to_dict()
    builder = AgreementBuilder(chunk_tokens=chunk_tokens)
    for article in articles:
        builder.add_article(article)
    assert builder.report().to_dict() == whole
    assert whole["articles"] == 60 and whole["annotators"] == sorted(raters)
    assert "n005" not in [a["article_id"] for a in whole["by_article"]]  # nobody annotated it


def test_offsets_and_objects_give_the_same_report_with_fixed_annotators() -> None:
    articles = corpus(40, ("ali", "huda", "mona"), seed=9)
    builder = AgreementBuilder(["mona", "ali"], chunk_tokens=50)
    for a in articles:
        _, starts, ends = token_bounds(a.text)
        builder.add(a.article_id, len(a.text), starts, ends, a.layers)
    report = builder.report()
    assert report.to_dict() == compute_agreement(articles, ["mona", "ali"]).to_dict()
    assert [(p.reference, p.prediction) for p in report.pairs] == [("mona", "ali")]


def test_a_rater_first_seen_in_a_later_chunk_is_paired_in_name_order() -> None:
    text = "زار علي دمشق"
    loc = make_span(text, len("زار علي "), len(text), "LOC")
    per = make_span(text, len("زار "), len("زار علي"), "PER")
    early = ArticleLayers("a1", text, tokenize(text), {"zed": [loc], "mona": [loc]})
    late = ArticleLayers("a2", text, tokenize(text), {"ali": [per], "zed": [loc, per]})
    builder = AgreementBuilder(chunk_tokens=1)  # each article its own chunk
    builder.add_article(early)
    builder.add_article(late)
    report = builder.report()
    assert report.to_dict() == compute_agreement([early, late]).to_dict()
    pairs = [(p.reference, p.prediction, p.articles, p.exact.micro.tp) for p in report.pairs]
    assert pairs == [("ali", "mona", 0, 0), ("ali", "zed", 1, 1), ("mona", "zed", 1, 1)]
    assert report.pairs[0].kappa is None  # never together


def test_token_lists_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="a1"):
        AgreementBuilder().add("a1", 5, [0, 2], [1], {"x": []})


def _team(tmp_path) -> Project:
    project = Project.create(tmp_path / "team.db")
    rng = random.Random(2)
    from annotator.importing import import_documents
    from annotator.model import Document

    texts = [" ".join(rng.choice(WORDS) for _ in range(12)) + f" {i}" for i in range(8)]
    import_documents(project, [Document(f"a{i}", t) for i, t in enumerate(texts)])
    add_user(acting_session(project, "sara"), "sara", "admin")
    for name in ("ali", "mona"):
        add_user(project.session("sara"), name, "annotator")
    for name in ("ali", "mona"):
        session = project.session(name)
        for article_id in project.store.article_ids()[: 6 if name == "ali" else 8]:
            text = project.store.article(article_id).text
            start = rng.randrange(len(text) - 6)
            session.add_span(
                article_id, start, start + rng.randint(1, 6), rng.choice(["PERSON", "LOCATION"])
            )
            session.set_state(article_id, "done")
    return project


def test_a_project_streams_to_the_figures_of_its_articles(tmp_path) -> None:
    with _team(tmp_path) as project:
        session = project.session("sara")
        seen: list[int] = []
        report = project_agreement(session, seen.append)
        expected = compute_agreement(list(agreement_articles(session)))
    assert report.to_dict() == expected.to_dict()
    assert seen == list(range(1, 9))
    assert (report.articles, len(report.by_article), len(report.single_rater_articles)) == (8, 6, 2)


def _peak_bytes(articles: list[ArticleLayers], chunk_tokens: int) -> tuple[int, dict]:
    """Peak traced memory of measuring ``articles`` (offsets only, as a project streams them)."""
    offsets = [token_bounds(a.text)[1:] for a in articles]
    tracemalloc.start()
    builder = AgreementBuilder(chunk_tokens=chunk_tokens)
    for a, (starts, ends) in zip(articles, offsets):
        builder.add(a.article_id, len(a.text), starts, ends, a.layers)
    report = builder.report()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, report.to_dict()


def test_memory_follows_the_chunk_not_the_corpus() -> None:
    articles = corpus(400, ("ali", "mona"), seed=3, words=400)  # ~80,000 tokens
    _peak_bytes(articles[:20], 10**9)  # first-use imports are not the builder's memory
    small, report = _peak_bytes(articles, 2_000)
    whole, same = _peak_bytes(articles, 10**9)
    assert report == same
    assert small * 4 < whole, (small, whole)
