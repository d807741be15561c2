"""Suggestion use cases over a project: gazetteers, training, applying, the saved model.

What is stored where (all inside the project file, so a copied project keeps everything):

* gazetteer lists: ``gazetteer_names`` rows (label, name, key, source file name);
* whether labelled spans feed the gazetteer: ``project_meta['suggest.gazetteer_from_corpus']``
  (``"1"`` by default, ``"0"`` to opt out);
* the CRF: ``suggestion_models`` row ``crf`` (python-crfsuite bytes + JSON info);
* the confidence a CRF suggestion needs to be shown: ``project_meta['suggest.crf_threshold']``,
  tuned by the cross-validation of ``--train`` (see :mod:`.confidence`);
* whether the desk retrains after each finished article: ``project_meta['suggest.retrain_when_done']``;
* suggestions: spans of layers ``suggest:crf`` / ``suggest:gazetteer`` (see :mod:`.layers`).

Built for a session (``session=``), everything is fed only from the layers that session may
read (``Session.reading_filter()``); a session that may not write the shared layers (an
annotator) gets its own model ``crf/<user>`` and layers ``suggest:crf/<user>``, and each layer
records what it was built from (:func:`.layers.record_basis`), which is what decides who may
read it. Without a session (a script holding the file) everything is read and shared.

The CRF's gazetteer features use the imported lists only: names fed from the corpus would tell
the model the answer for every training span and teach it to trust the gazetteer blindly.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.errors import ProjectError, SchemaError
from annotator.project import Project
from annotator.retries import one_action, retried
from annotator.suggest.confidence import SETTING, keep_confident, prune_names
from annotator.suggest.crf import (
    CrfModel,
    CrossValidation,
    Example,
    Options,
    Report,
    cross_validate,
    train,
)
from annotator.suggest.gazetteer import Gazetteer, name_key, read_gazetteer_file
from annotator.suggest.layers import (
    is_suggestion_layer,
    layer_name,
    record_basis,
    register_suggestion_layer,
    registered_layers,
    training_layers,
)
from annotator.text.normalize import search_key
from annotator.text.tokenize import tokenize

if TYPE_CHECKING:
    from annotator.project import Session

MODEL = "crf"
FROM_CORPUS = "suggest.gazetteer_from_corpus"
THRESHOLD = SETTING
RETRAIN = "suggest.retrain_when_done"
SOURCES = ("crf", "gazetteer")


@one_action
def import_gazetteer(project: Project, label: str, path: Path | str) -> int:
    """Add the names of a list file (one per line) to ``label``'s gazetteer; returns how many were new."""
    if label not in project.schema.names:
        raise SchemaError(f"unknown label {label!r}; one of {', '.join(project.schema.names)}")
    names = read_gazetteer_file(path)
    pairs = [(name, " ".join(key)) for name, key in ((n, name_key(n)) for n in names) if key]
    with project.store.transaction():
        return project.store.add_gazetteer_names(label, pairs, Path(path).name)


@one_action
def set_gazetteer_from_corpus(project: Project, enabled: bool) -> None:
    with project.store.transaction():
        project.store.set_meta(FROM_CORPUS, "1" if enabled else "0")


def gazetteer_from_corpus(project: Project) -> bool:
    return project.store.get_meta(FROM_CORPUS, "1") != "0"


def scope(session: Session | None) -> tuple[list[str] | None, str | None]:
    """``(readable layers or None for all, owner)`` of suggestions built for ``session``.

    The owner is None when the session may write the shared ``suggest:*`` layers (reviewers,
    admins, anyone before the project has an admin), else the session's user.
    """
    if session is None:
        return None, None
    owner = None if session.acting_role in ("reviewer", "admin") else session.user
    return session.reading_filter(), owner


def model_name(owner: str | None = None) -> str:
    """Where a CRF is saved: ``crf``, or ``crf/<user>`` for one user's eyes only."""
    return f"{MODEL}/{owner}" if owner else MODEL


def project_gazetteer(
    project: Project, *, corpus: bool | None = None, readable: list[str] | None = None,
    basis: set[str] | None = None,
) -> Gazetteer:
    """The imported lists, plus (unless opted out) every text already labelled by a human layer.

    A labelled text counts once per span; each rejection of a suggestion with the same text and
    label takes one away, so a name people keep rejecting stops being suggested. ``readable``
    limits both to those layers and users; ``basis`` collects the layers that fed it.
    """
    store = project.store
    gazetteer = Gazetteer((label, name) for label, name, _ in store.gazetteer_names())
    if not (gazetteer_from_corpus(project) if corpus is None else corpus):
        return gazetteer
    registered = registered_layers(store)
    weights: Counter[tuple[str, str]] = Counter()
    names: dict[tuple[str, str], str] = {}
    fed = set() if basis is None else basis
    for annotator, label, text, count in store.span_texts():
        if is_suggestion_layer(annotator, registered) or (readable is not None and annotator not in readable):
            continue
        fed.add(annotator)
        weights[(label, search_key(text))] += count
        names.setdefault((label, search_key(text)), text)
    for _, user, span in store.rejections():
        if readable is None or user in readable:
            fed.add(user)
            weights[(span.label, search_key(span.text))] -= 1
    for (label, key), weight in sorted(weights.items()):
        if weight > 0:
            gazetteer.add(label, names[(label, key)], weight)
    return gazetteer


def feature_gazetteer(project: Project) -> Gazetteer | None:
    """The gazetteer the CRF's features read: imported lists only (None when there are none)."""
    gazetteer = project_gazetteer(project, corpus=False)
    return gazetteer if len(gazetteer) else None


def training_examples(project: Project, readable: list[str] | None = None) -> list[Example]:
    """One :class:`Example` per worked-on article (see :func:`.layers.training_layers`), by id,
    from the ``readable`` layers only when given."""
    store = project.store
    return [
        Example(article_id, store.article(article_id).text, tuple(store.spans(article_id, [layer])))
        for article_id, layer in sorted(training_layers(store, readable).items())
    ]


@dataclass(frozen=True)
class TrainReport:
    """What ``--train`` did: articles and tokens used, seconds to train, cross-validation."""

    articles: int
    tokens: int
    seconds: float
    validation: CrossValidation | None


def train_project(
    project: Project, *, folds: int = 3, seed: int = 0, options: Options | None = None,
    session: Session | None = None, report: Report | None = None,
) -> TrainReport:
    """Cross-validate (``folds`` >= 2 and enough articles), train on everything ``session`` may
    read (all without one), save the model (see :func:`scope` for where).

    ``report(what, done, total)`` follows each training (minutes on a few dozen articles)."""
    readable, owner = scope(session)
    chosen = training_layers(project.store, readable)
    examples = training_examples(project, readable)
    if not examples:
        raise ProjectError("no labelled articles to train on (label some first)")
    gazetteer = feature_gazetteer(project)
    validation = None
    if folds >= 2 and len(examples) >= 2:
        validation = cross_validate(examples, gazetteer, folds=folds, seed=seed, options=options,
                                    report=report)
    began = time.perf_counter()
    model = train(examples, gazetteer, options, report=report,
                  what=f"training the model on {len(examples)} articles")
    seconds = time.perf_counter() - began
    info = {**model.info, "seconds": round(seconds, 3), "basis": sorted(set(chosen.values()))}

    def save() -> None:  # only the saving is made again after a conflict, not the training
        with project.store.transaction():
            project.store.save_model(model_name(owner), model.blob, info)
            if validation is not None:  # retraining without folds keeps the last tuned threshold
                project.store.set_meta(THRESHOLD, str(validation.threshold))

    retried(save)
    return TrainReport(len(examples), int(model.info["tokens"]), seconds, validation)


def crf_threshold(project: Project) -> float:
    """The confidence a CRF suggestion needs to be shown (:mod:`.confidence`); 0.0 until tuned."""
    try:
        return min(1.0, max(0.0, float(project.store.get_meta(THRESHOLD, "0") or 0)))
    except ValueError:
        return 0.0


def retrains_when_done(session: Session) -> bool:
    """Whether the desk retrains ``session``'s model after each finished article: when it has
    one and ``project_meta['suggest.retrain_when_done']`` is not ``"0"``."""
    project = session.project
    if project.store.get_meta(RETRAIN, "1") == "0":
        return False
    return project.store.load_model(model_name(scope(session)[1])) is not None


def has_model(project: Project, owner: str | None = None) -> bool:
    """Whether a CRF is saved (``owner``'s own when given), without loading it."""
    return project.store.load_model(model_name(owner)) is not None


def show_as_suggestions(project: Project, layer: str) -> None:
    """Show ``layer`` (e.g. an imported model's) as suggestions; idempotent. The caller checks
    that its session may read the layer (``annotator suggest --use-layer``)."""
    register_suggestion_layer(project.store, layer)


def load_model(project: Project, owner: str | None = None) -> CrfModel | None:
    """The saved CRF (``owner``'s own when given: see :func:`scope`), or None."""
    saved = project.store.load_model(model_name(owner))
    return CrfModel(saved[0], saved[1]) if saved else None


def apply_suggestions(
    project: Project, article_ids: Sequence[int] | None = None, *,
    sources: Sequence[str] = SOURCES, model: CrfModel | None = None,
    session: Session | None = None, report: Report | None = None,
    gazetteer: Gazetteer | None = None, gazetteer_basis: Sequence[str] = (),
) -> dict[str, int]:
    """Replace the ``suggest:<source>`` layers of the articles (all by default) in one transaction.

    Returns the number of suggestions written per layer. ``crf`` needs a trained model; its
    suggestions below :func:`crf_threshold` are left out, and so are the corpus gazetteer's
    names too often wrong in the labelled articles (:func:`.confidence.prune_names`). Built for ``session``: from what it
    may read, into its own layers when it may not write shared ones (see :func:`scope`). A
    caller keeping a :func:`project_gazetteer` up to date (the desk) passes it with the layers
    that fed it, instead of it being rebuilt from every span of the project.
    """
    unknown = sorted(set(sources) - set(SOURCES))
    if unknown:
        raise ProjectError(f"unknown suggestion source {unknown[0]!r}; one of {', '.join(SOURCES)}")
    store = project.store
    readable, owner = scope(session)
    if "crf" in sources and model is None:
        model = load_model(project, owner)
        if model is None:
            raise ProjectError("no trained model yet: run 'annotator suggest PROJECT.db --train'")
    features = feature_gazetteer(project) if "crf" in sources else None
    threshold = crf_threshold(project)
    fed: set[str] = set()
    if gazetteer is not None:
        fed = set(gazetteer_basis)
    elif "gazetteer" in sources:
        gazetteer = project_gazetteer(project, readable=readable, basis=fed)
        prune_names(gazetteer, training_examples(project, readable))
    basis = {layer_name("crf", owner): model_basis(project, model), layer_name("gazetteer", owner): fed}
    ids = list(article_ids) if article_ids is not None else store.article_ids()
    layers = [layer_name(s, owner) for s in sources]
    if session is not None:
        for layer in layers:
            session.require_write(layer)

    def write() -> dict[str, int]:  # made again whole after a conflict: counts start afresh
        written: Counter[str] = Counter({layer: 0 for layer in layers})
        with store.transaction():
            for layer in written:
                record_basis(store, layer, sorted(basis[layer]))
            for done, article_id in enumerate(ids):
                if report is not None:
                    report("suggesting", done, len(ids))
                text = store.article(article_id).text
                if model is not None:
                    layer = layer_name("crf", owner)
                    written[layer] += store.replace_layer_spans(
                        article_id, layer, keep_confident(model, text, features, layer, threshold))
                if gazetteer is not None:
                    layer = layer_name("gazetteer", owner)
                    written[layer] += store.replace_layer_spans(
                        article_id, layer, gazetteer.match(text, tokenize(text), layer))
        return dict(written)

    return retried(write)


def model_basis(project: Project, model: CrfModel | None) -> set[str]:
    """The layers a model learnt from; a model saved before that was recorded: every human layer."""
    if model is None:
        return set()
    if "basis" in model.info:
        return set(model.info["basis"])
    registered = registered_layers(project.store)
    return {a for a in project.store.annotators() if not is_suggestion_layer(a, registered)}
