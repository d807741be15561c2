"""Which span layers are suggestions, what a user still has to decide, what training learns from.

**Suggestion layers are ordinary span layers** (rows of ``spans``), known by name:

* an annotator name starting with ``suggest:`` (``suggest:crf``, ``suggest:gazetteer``: what
  ``annotator suggest --apply`` writes), or with ``model-`` / ``model:`` (the convention for
  ``annotator import --layer model-x`` of an external model's predictions);
* any other layer listed in ``project_meta['suggestion_layers']`` (a JSON list), registered with
  :func:`register_suggestion_layer` (``annotator suggest news.db --use-layer NAME``).

Who may read a suggestion layer is decided by the session (:mod:`annotator.permissions`): a
``suggest:*`` layer counts as the layers it was built from, recorded by :func:`record_basis` in
``project_meta['suggest.basis']``. A session that may not read every layer (an annotator in a
blind project) builds its own, ``suggest:crf/ali`` (see :func:`layer_name`), from what it reads.

A suggestion stays in its layer when accepted (the user's layer gets a copy with provenance
``accepted suggestion``) and when rejected (the rejection is a row of ``suggestion_rejections``):
:func:`pending_suggestions` hides both, so undoing either makes the suggestion reappear.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from annotator.model import GOLD, Span, sort_spans
from annotator.retries import one_action

SUGGEST_PREFIX = "suggest:"
PREFIXES = (SUGGEST_PREFIX, "model-", "model:")
META_KEY = "suggestion_layers"
BASIS_KEY = "suggest.basis"
ACCEPTED = "accepted suggestion"
"""Provenance of a span made by accepting a suggestion."""


if TYPE_CHECKING:  # a type only: building a Protocol class at import costs the desk's start

    class LayerStore(Protocol):
        """What these functions read and write: the part of
        :class:`annotator.store.protocol.ProjectStore` about layers, so this module (which the
        permission gate uses) depends on an interface, not on the store package."""

        def transaction(self) -> AbstractContextManager[Any]: ...
        def get_meta(self, key: str, default: str | None = None) -> str | None: ...
        def set_meta(self, key: str, value: str) -> None: ...
        def annotators(self) -> list[str]: ...
        def spans(self, article_id: int, annotators: Iterable[str] | None = None) -> list[Span]: ...
        def rejections(
            self, article_id: int | None = None, user: str | None = None
        ) -> list[tuple[int, str, Span]]: ...
        def states_by_article(self) -> dict[int, dict[str, str]]: ...
        def layers_by_article(self) -> dict[int, dict[str, int]]: ...


def layer_name(model: str, owner: str | None = None) -> str:
    """The layer a built-in suggester writes; ``owner`` when built for one user's eyes only.

    >>> layer_name("crf"), layer_name("gazetteer", "ali")
    ('suggest:crf', 'suggest:gazetteer/ali')
    """
    name = model if model.startswith(PREFIXES) else SUGGEST_PREFIX + model
    return f"{name}/{owner}" if owner else name


def suggestion_basis(store: LayerStore, layer: str) -> list[str] | None:
    """The human layers suggestion layer ``layer`` was built from (None: not recorded)."""
    basis = json.loads(store.get_meta(BASIS_KEY) or "{}")
    found = basis.get(layer)
    return list(found) if isinstance(found, list) else None


def record_basis(store: LayerStore, layer: str, layers: list[str]) -> None:
    """Remember what ``layer`` was built from (call inside the transaction that writes it)."""
    basis = json.loads(store.get_meta(BASIS_KEY) or "{}")
    basis[layer] = sorted(set(layers))
    store.set_meta(BASIS_KEY, json.dumps(basis, ensure_ascii=False, sort_keys=True))


def registered_layers(store: LayerStore) -> list[str]:
    return list(json.loads(store.get_meta(META_KEY) or "[]"))


@one_action
def register_suggestion_layer(store: LayerStore, name: str) -> None:
    """Show layer ``name`` (e.g. an imported model's) as suggestions; idempotent."""
    names = registered_layers(store)
    if name not in names:
        with store.transaction():
            store.set_meta(META_KEY, json.dumps(sorted([*names, name]), ensure_ascii=False))


def is_suggestion_layer(name: str, registered: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether layer ``name`` holds suggestions (prefix convention or registered).

    >>> is_suggestion_layer("suggest:crf"), is_suggestion_layer("mona")
    (True, False)
    """
    return name.startswith(PREFIXES) or name in registered


def suggestion_layers(store: LayerStore) -> list[str]:
    """Suggestion layers that hold spans in this project, sorted."""
    registered = registered_layers(store)
    return [a for a in store.annotators() if is_suggestion_layer(a, registered)]


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def pending_suggestions(
    store: LayerStore, article_id: int, user: str, readable: Collection[str] | None = None
) -> list[Span]:
    """Suggestions of one article that ``user`` has not decided yet, in text order.

    ``readable`` limits them to the layers the user may read (``Session.readable_layers()``;
    the desk passes it through ``Session.pending_suggestions``).

    Hidden: a suggestion overlapping any span of the user's own layer (accepted, or labelled by
    hand), one the user rejected, and a second layer's copy of the same ``(start, end, label)``
    (the first layer by name is kept).
    """
    layers = suggestion_layers(store)
    if readable is not None:
        layers = [layer for layer in layers if layer in readable]
    if not layers:
        return []
    own = store.spans(article_id, [user])
    rejected = {span.key for _, _, span in store.rejections(article_id, user)}
    seen: set[tuple[int, int, str]] = set()
    out: list[Span] = []
    for span in sorted(store.spans(article_id, layers), key=lambda s: (s.annotator, s.start)):
        if span.key in seen or span.key in rejected or any(_overlaps(span, o) for o in own):
            continue
        seen.add(span.key)
        out.append(span)
    return sort_spans(out)


def training_layers(store: LayerStore, readable: Collection[str] | None = None) -> dict[int, str]:
    """``{article_id: layer}``: the one human layer training reads in each worked-on article.

    An article counts once someone worked on it: a human layer has spans there, or a user marked
    it ``in_progress``/``done`` (so an article whose every suggestion was rejected teaches the
    model those ranges are not entities). Per article: ``gold`` if adjudicated; else a layer
    whose user marked the article done; else the layer with most spans (ties by name).
    ``readable`` (a session's readable layers) keeps every other layer out of the choice.
    """
    registered = registered_layers(store)
    states = store.states_by_article()
    counts = store.layers_by_article()
    out: dict[int, str] = {}
    for article_id in sorted(set(states) | set(counts)):
        worked = {u for u, s in states.get(article_id, {}).items() if s in ("in_progress", "done")}
        layers = {a: n for a, n in counts.get(article_id, {}).items()
                  if not is_suggestion_layer(a, registered)}
        candidates = {**{u: 0 for u in worked if not is_suggestion_layer(u, registered)}, **layers}
        if readable is not None:
            candidates = {u: n for u, n in candidates.items() if u in readable}
        if not candidates:
            continue
        done = sorted(u for u in candidates if states.get(article_id, {}).get(u) == "done")
        if GOLD in candidates:
            out[article_id] = GOLD
        elif done:
            out[article_id] = min(done, key=lambda u: (-candidates[u], u))
        else:
            out[article_id] = min(candidates, key=lambda u: (-candidates[u], u))
    return out
