"""Every permission decision of the core, in one place: the :class:`Gate` that a Session is.

Commands and desk actions do not decide who may read or write a layer; they ask the session
(``session.can_read(layer)``, ``session.require_write(layer)``, ``session.require("admin")``),
so a new command cannot forget a rule that the old ones keep. The rules:

* **annotator**: reads and writes her own layer; reads every layer when the project's visibility
  is ``open`` (never writes them); reads suggestion layers built only from what she may read;
  her queue is ordered ("most informative first") only by a model learnt from what she may read;
* **reviewer**: reads every layer, writes ``gold``, her own layer, and layers that are no
  person's (imported predictions ``model-x``, suggestions);
* **admin**: everything, including the schema, users, settings and assignments, and ordering
  someone else's queue (``suggest --order --user NAME``).

Until a project has an admin, whoever works in it acts as one: a solo user never meets a rule,
and someone must be able to register the first admin. The rules stop honest mistakes; a project
is a plain SQLite file, and whoever holds it can read it with any SQLite tool.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from annotator.errors import PermissionDenied
from annotator.model import GOLD
from annotator.suggest.layers import (
    SUGGEST_PREFIX,
    is_suggestion_layer,
    registered_layers,
    suggestion_basis,
)

if TYPE_CHECKING:
    from annotator.suggest.layers import LayerStore

REVIEWERS = ("reviewer", "admin")
ADMINS = ("admin",)
VISIBILITY_KEY = "team.visibility"
VISIBILITIES = ("blind", "open")


def lookalike_problem(name: str) -> str:
    """Why ``name`` could pass for another layer (gold, a colleague), or "" when it cannot.

    >>> lookalike_problem("Gold"), lookalike_problem("mona\u200f"), lookalike_problem("model-x")
    ("gold's", 'an invisible or control character', '')
    """
    if not name or name != name.strip():
        return "empty, or blanks at an end"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return "an invisible or control character"
    return "gold's" if name.casefold() == GOLD and name != GOLD else ""


def check_user_name(name: str) -> None:
    """Refuse a name that is not a person's: a session's user is also the layer it owns.

    Gold in any spelling (``Gold``, `` gold``, ``gold`` + RLM), a suggestion layer's name
    (``suggest:gazetteer``: as a user it would read the shared layer built from everyone),
    ``/`` (per-user suggestion layers), blanks at either end, control and invisible format
    characters (NUL, LRM/RLM, zero-width) that make two names look alike.

    >>> check_user_name("mona")
    >>> check_user_name("suggest:crf")
    Traceback (most recent call last):
    annotator.errors.PermissionDenied: 'suggest:crf' is not a valid user name (a suggestion layer's)
    """
    why = lookalike_problem(name)
    if not why and name == GOLD:
        why = "gold's"
    elif not why and "/" in name:
        why = "a '/' in it"
    elif not why and is_suggestion_layer(name):  # by prefix: a registered layer may be a person's
        why = "a suggestion layer's"
    if why:
        raise PermissionDenied(f"{name!r} is not a valid user name ({why})")


if TYPE_CHECKING:  # a type only, like LayerStore

    class GateStore(LayerStore, Protocol):
        """What the gate reads of a project (a part of ``annotator.store.protocol.ProjectStore``)."""

        def users(self) -> list[tuple[str, str]]: ...


class Gate:
    """The permission half of :class:`annotator.project.Session` (``user``, ``role``, ``store``)."""

    user: str
    role: str
    store: GateStore

    # --- roles ---------------------------------------------------------------------------------

    def has_admin(self) -> bool:
        """True once an admin is registered: from then on roles are enforced."""
        return any(role == "admin" for _, role in self.store.users())

    @property
    def acting_role(self) -> str:
        """The role the rules apply: the session's, or admin while the project has no admin."""
        return self.role if self.has_admin() else "admin"

    def require(self, *roles: str) -> None:
        """Raise :class:`PermissionDenied` unless this session acts in one of ``roles``."""
        if self.acting_role not in roles:
            raise PermissionDenied(f"{self.user} is {self.role}; this needs {' or '.join(roles)}")

    def visibility(self) -> str:
        """``"blind"`` (default: annotators read only their own layer) or ``"open"``."""
        return self.store.get_meta(VISIBILITY_KEY) or "blind"

    def sees_all(self) -> bool:
        """Whether this session may read every layer (reviewers, admins, open projects)."""
        return self.acting_role in REVIEWERS or self.visibility() == "open"

    # --- reading -------------------------------------------------------------------------------

    def is_person_layer(self, layer: str) -> bool:
        """A layer holding someone's own judgement: a registered user's, or gold."""
        return layer == GOLD or layer in {name for name, _ in self.store.users()}

    def can_read(self, layer: str) -> bool:
        """Whether this session may read layer ``layer``'s spans.

        A suggestion layer counts as what it was built from: ``suggest:crf`` trained on mona's
        spans is mona's spans to ali, while an external model's ``model-x`` is nobody's.
        """
        if layer == self.user or self.sees_all():
            return True
        registered = registered_layers(self.store)
        if self.is_person_layer(layer) or not is_suggestion_layer(layer, registered):
            return False
        if not layer.startswith(SUGGEST_PREFIX):
            return True  # imported predictions: built from no one's layer in this project
        basis = suggestion_basis(self.store, layer)
        return basis is not None and all(self.can_read(b) for b in basis if b != layer)

    def readable_layers(self) -> list[str]:
        """Every layer of the project this session may read (its own always), sorted."""
        return sorted({self.user, *(a for a in self.store.annotators() if self.can_read(a))})

    def require_read(self, layer: str) -> None:
        if not self.can_read(layer):
            raise PermissionDenied(
                f"{self.user} is {self.role} in a {self.visibility()} project: may not read "
                f"layer {layer!r} (only their own, {self.user!r})")

    def require_read_basis(self, what: str, basis: Iterable[str]) -> None:
        """Refuse ``what`` (a model, a list) learnt from a layer this session may not read.

        What a model learnt reaches its user through everything it does for her: the
        suggestions it draws and the order it puts her queue in.
        """
        hidden = sorted({layer for layer in basis if not self.can_read(layer)})
        if hidden:
            raise PermissionDenied(
                f"{what} learnt from layers {self.user} may not read ({', '.join(hidden)})")

    # --- acting for someone ----------------------------------------------------------------------

    def can_act_for(self, user: str) -> bool:
        """Whether this session may do ``user``'s queue work (score her queue): herself, or an
        admin, who also decides what her queue holds (assignments)."""
        return user == self.user or self.acting_role in ADMINS

    def require_act_for(self, user: str) -> None:
        if not self.can_act_for(user):
            raise PermissionDenied(
                f"{self.user} is {self.role}: may not act for {user!r} (only an admin may)")

    # --- writing -------------------------------------------------------------------------------

    def can_write(self, layer: str) -> bool:
        """Whether this session may write layer ``layer`` (import into it, build it)."""
        role = self.acting_role
        if role == "admin" or layer == self.user or layer == self.own_derived_layer(layer):
            return True
        if role == "reviewer":
            return layer == GOLD or not self.is_person_layer(layer)
        return False

    def require_write(self, layer: str) -> None:
        why = lookalike_problem(layer)  # no layer that prints as gold or as a colleague's
        if why:
            raise PermissionDenied(f"{layer!r} is not a valid layer name ({why})")
        if not self.can_write(layer):
            who = f"an annotator writes only their own layer, {self.user!r}" \
                if self.acting_role == "annotator" \
                else "a reviewer writes gold, their own layer and non-person layers"
            raise PermissionDenied(
                f"{self.user} is {self.role}: may not write layer {layer!r} ({who})")

    def own_derived_layer(self, layer: str) -> str | None:
        """``layer`` if it is a suggestion layer built for this user alone (``suggest:crf/ali``)."""
        if layer.startswith(SUGGEST_PREFIX) and layer.endswith("/" + self.user):
            return layer
        return None
