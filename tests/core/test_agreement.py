"""Agreement figures: exact values on constructed cases, and the reference libraries (sklearn,
krippendorff, statsmodels, seqeval) on the same input, constructed and real (AQMAR)."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

import numpy as np
import pytest

from annotator.agreement.measures import ArticleLayers, compute_agreement, token_labels
from annotator.agreement.span_arrays import Layer, match_overlap, overlap_candidates
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


def test_empty_corpus_and_whitespace_only_span() -> None:
    empty = compute_agreement([])
    assert (empty.pairs, empty.by_article, empty.krippendorff_alpha) == ((), (), None)
    text = "علي  هنا"
    blank = make_span(text, len("علي "), len("علي  "), "X")  # one space: touches no token
    report = compute_agreement([ArticleLayers.tokenized("a", text, {"x": [blank], "y": [blank]})])
    pair = report.pairs[0]
    assert (pair.exact.micro.f1, pair.tokens, pair.kappa) == (1.0, 2, None)
    assert token_labels(ArticleLayers.tokenized("a", text, {"x": [blank]}), "x") == ["O", "O"]
