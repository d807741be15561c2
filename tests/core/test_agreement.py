"""Agreement figures: exact values on constructed cases, and the reference libraries (sklearn,
krippendorff, statsmodels, seqeval) on the same input, constructed and real (AQMAR)."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from annotator.agreement import ArticleLayers, compute_agreement, token_labels
from annotator.agreement_spans import Layer, match_overlap, overlap_candidates
from annotator.errors import SpanError
from annotator.model import Span, Token, make_span

krippendorff = pytest.importorskip("krippendorff")
sklearn_metrics = pytest.importorskip("sklearn.metrics")
seqeval_metrics = pytest.importorskip("seqeval.metrics")
inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
prfs = seqeval_metrics.sequence_labeling.precision_recall_fscore_support

WORD = "كلمة"


def units(matrix: Sequence[Sequence[str | None]]) -> list[ArticleLayers]:
    """One one-word article per unit; ``matrix[rater][unit]`` is a label, ``"O"``, or ``None``
    (the rater did not annotate that unit). Lets the textbook tables go through the real API."""
    out = []
    for u in range(len(matrix[0])):
        layers = {
            f"r{r:02d}": [] if row[u] == "O" else [make_span(WORD, 0, len(WORD), row[u])]
            for r, row in enumerate(matrix)
            if row[u] is not None
        }
        out.append(ArticleLayers(f"u{u:02d}", WORD, [Token(WORD, 0, len(WORD))], layers))
    return out


# --- token labels ------------------------------------------------------------------------------


def test_token_takes_label_of_span_touching_part_of_it() -> None:
    text = "زار علي ودمشق"
    loc = make_span(text, len("زار علي و"), len(text), "LOC")
    art = ArticleLayers.tokenized("a", text, {"x": [loc]})
    assert token_labels(art, "x") == ["O", "O", "LOC"]


def test_longest_overlapping_span_wins_the_token() -> None:
    text = "في جامعة دمشق اليوم"
    org = make_span(text, len("في "), len("في جامعة دمشق"), "ORG")
    loc = make_span(text, len("في جامعة "), len("في جامعة دمشق"), "LOC")
    art = ArticleLayers.tokenized("a", text, {"x": [loc, org]})
    assert token_labels(art, "x") == ["O", "ORG", "ORG", "O"]


def test_equal_length_overlap_goes_to_earlier_start() -> None:
    text = "أ ب ج"
    first = make_span(text, 0, len("أ ب"), "PER")
    second = make_span(text, len("أ "), len(text), "LOC")
    art = ArticleLayers.tokenized("a", text, {"x": [second, first]})
    assert token_labels(art, "x") == ["PER", "PER", "LOC"]


def test_token_labels_refuses_an_absent_annotator() -> None:
    art = ArticleLayers.tokenized("a", "نص", {"x": []})
    with pytest.raises(KeyError):
        token_labels(art, "y")


def test_span_outside_text_names_the_article() -> None:
    art = ArticleLayers.tokenized("art-7", "نص", {"x": [Span(0, 5, "PER", "12345")]})
    with pytest.raises(SpanError, match="art-7"):
        compute_agreement([art])


# --- span matching -----------------------------------------------------------------------------


def test_clitic_left_out_is_an_overlap_match_not_an_exact_one() -> None:
    text = "زار علي ودمشق"
    per = make_span(text, len("زار "), len("زار علي"), "PER")
    x = [per, make_span(text, len("زار علي و"), len(text), "LOC")]
    y = [per, make_span(text, len("زار علي "), len(text), "LOC")]
    report = compute_agreement([ArticleLayers.tokenized("a", text, {"x": x, "y": y})])
    pair = report.pairs[0]
    assert (pair.exact.micro.tp, pair.exact.micro.f1) == (1, 0.5)
    assert (pair.overlap.micro.tp, pair.overlap.micro.f1) == (2, 1.0)
    assert pair.kappa == 1.0
    assert pair.exact.by_label["LOC"].to_dict() == {
        "tp": 0, "n_ref": 1, "n_pred": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0,
    }  # fmt: skip


def test_overlap_is_one_to_one_greedy_by_size() -> None:
    text = "ا" * 20
    ref = [make_span(text, 0, 6, "X"), make_span(text, 6, 12, "X")]
    # p1 overlaps ref0 by 2 and ref1 by 2; p2 overlaps ref0 by 5 -> ref0-p2 first, then ref1-p1.
    pred = [make_span(text, 4, 8, "X"), make_span(text, 0, 5, "X"), make_span(text, 0, 3, "Y")]
    report = compute_agreement([ArticleLayers.tokenized("a", text, {"a": ref, "b": pred})])
    micro = report.pairs[0].overlap.micro
    assert (micro.tp, micro.n_ref, micro.n_pred) == (2, 2, 3)
    assert report.pairs[0].overlap.by_label["Y"].to_dict()["recall"] is None


def test_one_long_prediction_matches_only_one_reference() -> None:
    text = "ا" * 20
    ref = [make_span(text, 0, 4, "X"), make_span(text, 5, 12, "X")]
    report = compute_agreement(
        [ArticleLayers.tokenized("a", text, {"a": ref, "b": [make_span(text, 0, 12, "X")]})]
    )
    micro = report.pairs[0].overlap.micro
    assert (micro.tp, micro.precision, micro.recall) == (1, 1.0, 0.5)


def test_duplicate_spans_in_one_layer_count_once() -> None:
    text = "علي هنا"
    per = make_span(text, 0, len("علي"), "PER")
    report = compute_agreement([ArticleLayers.tokenized("a", text, {"a": [per, per], "b": [per]})])
    assert report.pairs[0].exact.micro.to_dict()["f1"] == 1.0


def greedy_reference(ref: Layer, pred: Layer) -> int:
    """The documented rule written the slow, obvious way."""
    cands = [
        (
            -(min(ref.end[i], pred.end[j]) - max(ref.start[i], pred.start[j])),
            ref.start[i],
            pred.start[j],
            i,
            j,
        )
        for i in range(len(ref))
        for j in range(len(pred))
        if ref.label[i] == pred.label[j]
        and min(ref.end[i], pred.end[j]) > max(ref.start[i], pred.start[j])
    ]
    used_a, used_b = set(), set()
    for _, _, _, i, j in sorted(cands):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def random_layer(rng: random.Random, n: int) -> Layer:
    starts = [rng.randrange(200) for _ in range(n)]
    ends = [s + rng.randint(1, 25) for s in starts]
    pairs = sorted({(s, e, rng.randint(1, 2)) for s, e in zip(starts, ends)})
    arr = np.array(pairs, np.int64).reshape(-1, 3)
    return Layer(np.zeros(len(arr), np.int64), arr[:, 0], arr[:, 1], arr[:, 2])


@pytest.mark.parametrize("seed", range(40))
def test_overlap_matching_equals_brute_force_greedy(seed: int) -> None:
    rng = random.Random(seed)
    ref, pred = random_layer(rng, rng.randint(0, 30)), random_layer(rng, rng.randint(0, 30))
    ia, ib, _ = overlap_candidates(ref, pred)
    brute = {
        (i, j) for i in range(len(ref)) for j in range(len(pred))
        if ref.label[i] == pred.label[j] and min(ref.end[i], pred.end[j]) > max(ref.start[i], pred.start[j])
    }  # fmt: skip
    assert set(zip(ia.tolist(), ib.tolist())) == brute
    assert len(match_overlap(ref, pred)) == greedy_reference(ref, pred)


# --- textbook multi-rater values -----------------------------------------------------------------

# Fleiss (1971) as on Wikipedia "Fleiss' kappa": 10 subjects, 14 raters, 5 categories; kappa 0.210.
WIKI_FLEISS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip


def test_fleiss_wikipedia_example() -> None:
    categories = ["O", "A", "B", "C", "D"]
    columns = [[c for c, n in zip(categories, row) for _ in range(n)] for row in WIKI_FLEISS]
    matrix = [list(r) for r in zip(*columns)]  # 14 raters x 10 units
    report = compute_agreement(units(matrix))
    # Textbook formula: P_bar = 0.378, P_e = sum p_j^2 = 0.2128 (p_j = column sums / 140).
    p = np.array(WIKI_FLEISS).sum(axis=0) / 140
    p_i = ((np.array(WIKI_FLEISS) ** 2).sum(axis=1) - 14) / (14 * 13)
    by_hand = (p_i.mean() - (p**2).sum()) / (1 - (p**2).sum())
    assert round(report.fleiss_kappa, 3) == 0.210
    assert report.fleiss_kappa == pytest.approx(by_hand, abs=1e-12)
    assert report.fleiss_kappa == pytest.approx(
        inter_rater.fleiss_kappa(np.array(WIKI_FLEISS)), abs=1e-12
    )
    assert (report.fleiss_raters, report.fleiss_tokens) == (14, 10)


def test_krippendorff_textbook_example_with_missing_values() -> None:
    nan = np.nan
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    names = {1: "O", 2: "B", 3: "C", 4: "D"}
    matrix = [[None if np.isnan(v) else names[int(v)] for v in row] for row in data]
    report = compute_agreement(units(matrix))
    assert round(report.krippendorff_alpha, 6) == 0.691358
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert report.krippendorff_alpha == pytest.approx(expected, abs=1e-12)
    assert report.alpha_tokens == 15 - len(["u00", "u01", "u13"])  # units with >= 2 ratings
    assert report.single_rater_articles == ("u00",)  # u01, u13: nobody, so in no list
    assert set(report.fleiss_by_raters) == {2, 3}


def test_undefined_figures_are_none_and_json_ready() -> None:
    text = "لا شيء هنا"
    report = compute_agreement([ArticleLayers.tokenized("a", text, {"x": [], "y": []})])
    pair = report.pairs[0]
    assert (pair.kappa, pair.exact.micro.f1, report.fleiss_kappa, report.krippendorff_alpha) == (
        None, None, None, None,
    )  # fmt: skip
    # Nothing marked by either is trivially perfect agreement for the article ranking.
    assert (report.by_article[0].kappa, report.by_article[0].span_f1) == (1.0, 1.0)
    assert json.loads(json.dumps(report.to_dict()))["pairs"][0]["kappa"] is None


# --- reference libraries on perturbed corpora ----------------------------------------------------

Ranges = list[tuple[int, int, str]]  # token [first, end), label


def perturb(gold: Ranges, n_tokens: int, labels: Sequence[str], rng: random.Random) -> Ranges:
    """Drop 10%, move one boundary by one token 10%, relabel 5%; stays non-overlapping."""
    out: Ranges = []
    for first, end, label in gold:
        roll = rng.random()
        if roll < 0.10:
            continue
        if roll < 0.20:
            step = rng.choice((-1, 1))
            if rng.random() < 0.5:
                first = min(max(first + step, 0), end - 1)
            else:
                end = max(min(end + step, n_tokens), first + 1)
        elif roll < 0.25 and len(labels) > 1:
            label = rng.choice([x for x in labels if x != label])
        if not out or first >= out[-1][1]:
            out.append((first, end, label))
    return out


def to_spans(text: str, tokens: Sequence[Token], ranges: Ranges) -> list[Span]:
    return [make_span(text, tokens[f].start, tokens[e - 1].end, lab) for f, e, lab in ranges]


def to_iob(n_tokens: int, ranges: Ranges) -> list[str]:
    tags = ["O"] * n_tokens
    for first, end, label in ranges:
        tags[first:end] = ["B-" + label] + ["I-" + label] * (end - first - 1)
    return tags


def build(
    docs: Sequence[tuple[str, str, list[Token], Ranges]], skip: set[tuple[int, str]], seed: int
):
    """Three perturbed annotators per document; (doc index, name) in ``skip`` is left out."""
    rng = random.Random(seed)
    labels = sorted({lab for *_, gold in docs for *_, lab in gold})
    articles, ranges = [], {}
    for i, (doc_id, text, tokens, gold) in enumerate(docs):
        layers = {}
        for name in ("a", "b", "c"):
            r = perturb(gold, len(tokens), labels, rng)
            if (i, name) not in skip:
                ranges[i, name] = r
                layers[name] = to_spans(text, tokens, r)
        articles.append(ArticleLayers(doc_id, text, tokens, layers))
    return articles, ranges


def check_against_references(docs, skip: set[tuple[int, str]], seed: int = 13) -> None:
    articles, ranges = build(docs, skip, seed)
    report = compute_agreement(articles)
    names = ("a", "b", "c")
    tags = {(i, n): to_iob(len(d[2]), r) for (i, n), r in ranges.items() for d in [docs[i]]}
    flat = {k: [t[2:] if t != "O" else "O" for t in v] for k, v in tags.items()}
    for pair, (x, y) in zip(report.pairs, itertools.combinations(names, 2)):
        both = [i for i in range(len(docs)) if (i, x) in tags and (i, y) in tags]
        ta = [tags[i, x] for i in both]
        tb = [tags[i, y] for i in both]
        lx = list(itertools.chain.from_iterable(flat[i, x] for i in both))
        ly = list(itertools.chain.from_iterable(flat[i, y] for i in both))
        assert (pair.reference, pair.prediction, pair.articles, pair.tokens) == (
            x,
            y,
            len(both),
            len(lx),
        )
        assert pair.kappa == pytest.approx(sklearn_metrics.cohen_kappa_score(lx, ly), abs=1e-12)
        micro = pair.exact.micro
        p, r, f, _ = prfs(ta, tb, average="micro", zero_division=0)
        assert (micro.precision, micro.recall, micro.f1) == pytest.approx((p, r, f), abs=1e-12)
        # seqeval lists only labels of the reference side, sorted, like by_label does.
        _, _, f_label, support = prfs(ta, tb, average=None, zero_division=0)
        with_ref = [c for c in pair.exact.by_label.values() if c.n_ref]
        assert [c.n_ref for c in with_ref] == list(support)
        assert [c.f1 for c in with_ref] == pytest.approx(list(f_label), abs=1e-12)
        assert pair.overlap.micro.tp >= micro.tp
    # Krippendorff: raters x tokens, NaN where the rater skipped the article.
    codes = {lab: c for c, lab in enumerate(("O", *report.labels))}

    def row(n: str) -> np.ndarray:
        return np.concatenate([
            np.array([codes[t] for t in flat[i, n]], float) if (i, n) in flat
            else np.full(len(d[2]), np.nan)
            for i, d in enumerate(docs)
        ])  # fmt: skip

    data = np.stack([row(n) for n in names])
    expected_alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert report.krippendorff_alpha == pytest.approx(expected_alpha, abs=1e-12)
    # Fleiss per number of raters, with statsmodels over exactly those tokens.
    m = (~np.isnan(data)).sum(axis=0)
    for raters, kappa in report.fleiss_by_raters.items():
        cols = data[:, m == raters]
        table = np.stack([(cols == c).sum(axis=0) for c in range(len(codes))], axis=1)
        assert kappa == pytest.approx(inter_rater.fleiss_kappa(table), abs=1e-12)
    assert report.fleiss_kappa == report.fleiss_by_raters[max(report.fleiss_by_raters)]
    # Per-article ranking: ascending, and the first one's kappa is the mean of sklearn's per pair.
    scores = [a.score for a in report.by_article]
    assert scores == sorted(scores)
    worst = report.by_article[0]
    i = [d[0] for d in docs].index(worst.article_id)
    kappas = [
        sklearn_metrics.cohen_kappa_score(flat[i, x], flat[i, y])
        for x, y in itertools.combinations(worst.annotators, 2)
    ]
    assert worst.kappa == pytest.approx(sum(kappas) / len(kappas), abs=1e-12)
    json.dumps(report.to_dict())


def synthetic_docs(n: int, seed: int) -> list[tuple[str, str, list[Token], Ranges]]:
    rng = random.Random(seed)
    words = ["في", "من", "قال", "الرئيس", "دمشق", "القاهرة", "الشركة", "اليوم", "وزير"]
    docs = []
    for d in range(n):
        toks = [rng.choice(words) for _ in range(rng.randint(20, 60))]
        text = " ".join(toks)
        tokens, pos = [], 0
        for w in toks:
            tokens.append(Token(w, pos, pos + len(w)))
            pos += len(w) + 1
        gold, t = [], rng.randrange(3)
        while t < len(toks) - 3:
            width = rng.randint(1, 3)
            gold.append((t, t + width, rng.choice(("PER", "LOC", "ORG"))))
            t += width + rng.randint(1, 6)
        docs.append((f"d{d:02d}", text, tokens, gold))
    return docs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_constructed_corpus_matches_reference_libraries(seed: int) -> None:
    docs = synthetic_docs(25, seed)
    check_against_references(docs, skip={(3, "c"), (8, "c"), (8, "b"), (11, "a")}, seed=seed)


# --- real corpus: AQMAR ---------------------------------------------------------------------------


def read_aqmar(folder: Path) -> list[tuple[str, str, list[Token], Ranges]]:
    """(doc id, text, tokens, gold token ranges) per article, tokens as the file has them."""
    try:
        from annotator.formats.conll import read_conll
    except ImportError:  # the format module is written in parallel; a local reader stands in
        read_conll = None
    docs = []
    for path in sorted(folder.glob("*.txt")):
        if path.name == "SOURCE.txt":
            continue
        if read_conll is not None:
            (doc,) = read_conll(path)
            tokens = [Token(doc.text[s:e], s, e) for s, e in doc.meta["tokens"]]
            first = {t.start: i for i, t in enumerate(tokens)}
            last = {t.end: i for i, t in enumerate(tokens)}
            gold = [(first[s.start], last[s.end] + 1, s.label) for s in doc.spans]
            docs.append((path.stem, doc.text, tokens, gold))
        else:
            docs.append(_local_conll(path))
    return docs


def _local_conll(path: Path) -> tuple[str, str, list[Token], Ranges]:
    words, tags, breaks = [], [], set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            breaks.add(len(words))
            continue
        word, tag = line.rsplit(" ", 1)
        words.append(word)
        tags.append(tag if tag[:2] in ("B-", "I-") else "O")
    text, tokens = "", []
    for i, w in enumerate(words):
        if i:
            text += "\n" if i in breaks else " "
        tokens.append(Token(w, len(text), len(text) + len(w)))
        text += w
    gold: Ranges = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        if tag.startswith("I-") and gold and gold[-1][1] == i and gold[-1][2] == tag[2:]:
            gold[-1] = (gold[-1][0], i + 1, tag[2:])
        else:
            gold.append((i, i + 1, tag[2:]))
    return path.stem, text, tokens, gold


def test_aqmar_perturbed_matches_reference_libraries(shared_dir: Path) -> None:
    folder = shared_dir / "corpora" / "aqmar"
    if not folder.is_dir():
        pytest.skip("AQMAR is not in ../shared")
    docs = read_aqmar(folder)
    assert len(docs) == 28
    check_against_references(docs, skip={(0, "c"), (5, "c"), (9, "a")}, seed=2024)


# --- report presentation ---------------------------------------------------------------------------


def _small_report(annotators: Sequence[str] | None = None):
    text = "زار علي ودمشق"
    per = make_span(text, len("زار "), len("زار علي"), "PER")
    x = [per, make_span(text, len("زار علي و"), len(text), "LOC")]
    return compute_agreement(
        [
            ArticleLayers.tokenized("a1", text, {"x": x, "y": [per]}),
            ArticleLayers.tokenized("a2", text, {"x": x}),
        ],
        annotators,
    )


def test_small_report_by_hand() -> None:
    # Tokens x: O PER LOC, y: O PER O. Cohen: po 2/3, pe 1/3 -> 0.5.
    # Fleiss (2 raters, 3 items): P_bar 2/3, P_e (3/6)^2 + (2/6)^2 + (1/6)^2 = 14/36 -> 5/11.
    # Alpha: n 6, trace 4, sum n_c^2 14 -> 1 - 5 * 2 / 22 = 6/11.
    report = _small_report()
    assert report.pairs[0].kappa == pytest.approx(0.5, abs=1e-15)
    assert report.fleiss_kappa == pytest.approx(5 / 11, abs=1e-15)
    assert report.krippendorff_alpha == pytest.approx(6 / 11, abs=1e-15)
    assert report.single_rater_articles == ("a2",)
    assert [a.article_id for a in report.by_article] == ["a1"]


def test_format_table_is_plain_text() -> None:
    assert _small_report().format_table().split("\n") == (
        [
            "2 articles, 6 tokens, annotators: x, y",
            (
                "mean pairwise kappa 0.500   Fleiss kappa 0.455 (2 raters, 3 tokens)   "
                "Krippendorff alpha 0.545 (3 tokens)"
            ),
            "",
            "reference    prediction   articles   tokens  kappa      P      R     F1 ovl F1",
            "x            y                   1        3  0.500  1.000  0.500  0.667  0.667",
            "",
            "label            exact F1   ovl F1   spans",
            "LOC                 0.000    0.000       1",
            "PER                 1.000    1.000       2",
            "",
            "lowest agreement (of 1 articles)",
            "article                   kappa     F1  tokens  annotators",
            "a1                        0.500  0.667       3  x, y",
            "1 articles with one annotator left out",
        ]
    )


def test_to_dict_is_json_and_names_undefined_as_null() -> None:
    data = json.loads(json.dumps(_small_report().to_dict()))
    assert data["exact"]["labels"]["LOC"] == {
        "tp": 0, "n_ref": 1, "n_pred": 0, "precision": None, "recall": 0.0, "f1": 0.0,
    }  # fmt: skip
    assert data["fleiss_by_raters"] == {"2": pytest.approx(5 / 11)}
    assert data["by_article"][0]["annotators"] == ["x", "y"]


def test_annotator_order_chooses_the_reference() -> None:
    swapped = _small_report(["y", "x"]).pairs[0]
    assert (swapped.reference, swapped.prediction) == ("y", "x")
    micro = swapped.exact.micro
    assert (micro.precision, micro.recall, micro.f1) == (0.5, 1.0, 2 / 3)


def test_local_conll_reader(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text("زار O\nعلي B-PER\n\nفي O\nدمشق B-LOC\nالقديمة I-LOC\n", encoding="utf-8")
    doc_id, text, tokens, gold = _local_conll(path)
    assert (doc_id, text) == ("news", "زار علي\nفي دمشق القديمة")
    assert [t.text for t in tokens] == text.split()
    assert gold == [(1, 2, "PER"), (3, 5, "LOC")]
    assert tokens[3].start == len("زار علي\nفي ")


def test_empty_corpus_and_whitespace_only_span() -> None:
    empty = compute_agreement([])
    assert (empty.pairs, empty.by_article, empty.krippendorff_alpha) == ((), (), None)
    text = "علي  هنا"
    blank = make_span(text, len("علي "), len("علي  "), "X")  # one space: touches no token
    report = compute_agreement([ArticleLayers.tokenized("a", text, {"x": [blank], "y": [blank]})])
    pair = report.pairs[0]
    assert (pair.exact.micro.f1, pair.tokens, pair.kappa) == (1.0, 2, None)
    assert token_labels(ArticleLayers.tokenized("a", text, {"x": [blank]}), "x") == ["O", "O"]
