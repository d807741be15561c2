"""Propagation: a name the annotator has just labelled is suggested wherever else it occurs.

News repeats its names: «تونس» labelled once in an article is, a few lines later, «وتونس»,
«بتونس», «لتونس». Waiting for the next ``--apply`` (or retraining) to suggest them would make the
annotator label each by hand. :class:`SessionNames` is a gazetteer of what THIS user labelled or
accepted in this session, learnt at once; :func:`propagate` matches it over an article (through
proclitics, on normalised keys: :mod:`.gazetteer`) and stores the matches as the user's own
suggestion layer ``suggest:propagated/<user>``. It reads one article and writes one layer: cheap
enough to run after every label (the whole corpus gazetteer is rebuilt only at ``--apply``).

Matches are made the way this user makes spans: with the word's proclitics when she keeps them in
spans of that label («والكربون»), without when she leaves them out («تونس» of «بتونس»).

A name the user rejects as a suggestion loses one of its votes, so a word that is a name in one
sentence and not in the next (``الأمل``) stops being proposed once rejected as often as labelled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotator.model import Span, Token, make_span
from annotator.retries import one_action
from annotator.suggest.gazetteer import Gazetteer, name_key
from annotator.suggest.layers import layer_name, record_basis
from annotator.text.clitics import clitic_cuts
from annotator.text.tokenize import tokenize

if TYPE_CHECKING:
    from annotator.project import Session

SOURCE = "propagated"


class SessionNames:
    """Names (label, text) one user labelled, accepted or rejected; each span counted once."""

    def __init__(self) -> None:
        self.gazetteer = Gazetteer()
        self._seen: set[tuple[int, int, int, str]] = set()
        self._tokens: tuple[int, list[Token]] | None = None
        self._kept: Counter[str] = Counter()
        self._stripped: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self.gazetteer)

    def known(self, article_id: int, spans: Iterable[Span]) -> None:
        """Spans already held when an article is opened: not new, never counted (again)."""
        self._seen.update((article_id, s.start, s.end, s.label) for s in spans)

    def learn(self, article_id: int, text: str, spans: Iterable[Span]) -> bool:
        """Count the spans not seen before; True when what matches changed (a new name, or a
        name now suggested with another label), i.e. when the article must be matched again."""
        changed = False
        for s in spans:
            key = (article_id, s.start, s.end, s.label)
            if key not in self._seen:
                self._seen.add(key)
                cut = self._habit(article_id, text, s)
                for name in {s.text, s.text[cut:]}:  # «وبتونس» teaches «تونس» too
                    before = self.gazetteer.label_of(name_key(name))
                    if self.gazetteer.add(s.label, name):
                        changed = changed or self.gazetteer.label_of(name_key(name)) != before
        return changed

    def unlearn(self, span: Span) -> bool:
        """A suggestion of this name was rejected: one vote less; True when what matches changed."""
        name = name_key(span.text)
        before = self.gazetteer.label_of(name)
        self.gazetteer.discount(span.label, span.text)
        return self.gazetteer.label_of(name) != before

    def _habit(self, article_id: int, text: str, span: Span) -> int:
        """Count whether this user keeps a word's proclitics in a span of ``span.label``
        («والكربون») or leaves them out («تونس» of «بتونس»), on the words that have some;
        returns how many code points of the span its kept proclitics take (0 if none)."""
        token = next((t for t in self.tokens(article_id, text) if t.start <= span.start < t.end), None)
        cuts = [c for c in clitic_cuts(token.text) if c > 0] if token is not None else []
        if token is None or not cuts:
            return 0
        if span.start == token.start:
            self._kept[span.label] += 1
            return cuts[-1] if cuts[-1] < span.end - span.start else 0
        self._stripped[span.label] += 1
        return 0

    def keeps_proclitics(self, label: str) -> bool:
        return self._kept[label] > self._stripped[label]

    def tokens(self, article_id: int, text: str) -> list[Token]:
        """The article's tokens, kept for the last article (its text never changes): a label on a
        200,000-character article does not tokenize it again."""
        if self._tokens is None or self._tokens[0] != article_id:
            self._tokens = (article_id, tokenize(text))
        return self._tokens[1]


def layer(session: Session) -> str:
    return layer_name(SOURCE, session.user)


@one_action
def propagate(session: Session, article_id: int, names: SessionNames) -> int:
    """Replace the user's ``suggest:propagated/<user>`` layer of one article with the matches of
    ``names``; returns how many. Nothing is written while the user has labelled nothing."""
    target = layer(session)
    if not len(names) and not session.store.spans(article_id, [target]):
        return 0
    session.require_write(target)
    text = session.article(article_id).text
    tokens = names.tokens(article_id, text)
    found = [_as_the_user_would(text, tokens[first], start, stop, label, target, names)
             for first, _, label, start, stop in names.gazetteer.match_tokens(text, tokens)]
    store = session.store
    with store.transaction():
        record_basis(store, target, [session.user])
        return store.replace_layer_spans(article_id, target, found)


def _as_the_user_would(text: str, word: Token, start: int, stop: int, label: str, layer: str,
                       names: SessionNames) -> Span:
    """A match found through proclitics («والكربون» for «الكربون») widened to the whole word when
    this user keeps proclitics in spans of that label (AQMAR's annotators do, for MIS)."""
    if start > word.start and names.keeps_proclitics(label):
        start = word.start
    return make_span(text, start, stop, label, layer, provenance="gazetteer")
