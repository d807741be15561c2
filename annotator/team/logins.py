"""On a server project a user IS a PostgreSQL login (ADR 0006): who you are, and managing users.

A project file's users are names its holder declares (``--as``, ``$ANNOTATOR_USER``). On a server
the database knows who connected, and its row-level security follows that login whatever the
core is told, so the core follows it too: a session's user is the login, and a command that
claims another name is refused rather than quietly answering as someone else, whoever runs it
(the project's owner and superusers included).
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Protocol

from annotator.errors import PermissionDenied, ProjectError
from annotator.permissions import ADMINS

if TYPE_CHECKING:
    from annotator.project import Project, Session


class ServerLogins(Protocol):
    """What a server store offers about its logins (``PgStore.logins``)."""

    def current(self) -> str: ...
    def set(self, name: str, role: str, password: str | None) -> None: ...
    def remove(self, name: str) -> None: ...
    def set_own_password(self, password: str) -> str: ...


def server_logins(project: Project) -> ServerLogins | None:
    """The project's logins when it lives on a server; None for a project file."""
    return getattr(project.store, "logins", None)


def _os_login() -> str:
    """The operating system's login name: who acts on a project file when no name is given."""
    try:
        return getpass.getuser() or "annotator"
    except (KeyError, OSError):
        return "annotator"


def identity(project: Project, claimed: str | None) -> str:
    """Who acts. ``claimed`` is the name given (``--as``, ``$ANNOTATOR_USER``, the desk's
    ``--user``), None when none was.

    On a project file: ``claimed``, else the operating system's login name. On a server: the
    login, always; a name given must be that login, or it is refused, for everyone: the
    project's owner and a superuser too. The database's policies follow the login whatever the
    core is told, so a session under another name would see and write as the login while
    recording another's name (the owner's rows would be written as someone else's layer, and
    nothing in the database could tell). To act as someone, connect as them.
    """
    logins = server_logins(project)
    if logins is None:
        return claimed or _os_login()
    login = logins.current()
    if claimed is not None and claimed != login:
        raise PermissionDenied(
            f"{claimed!r}: on a server project you act as your login {login!r}; --as and "
            "$ANNOTATOR_USER cannot name someone else (connect as them instead)")
    return login


def remove_login(actor: Session, name: str) -> None:
    """Take ``name`` out of a server project (their spans stay); admins only."""
    logins = _logins(actor.project, "--remove")
    actor.require(*ADMINS)
    logins.remove(name)


def change_own_password(project: Project, password: str) -> str:
    """Change the password of the login this project was opened as; returns its name."""
    return _logins(project, "--password-stdin without --add").set_own_password(password)


def _logins(project: Project, what: str) -> ServerLogins:
    logins = server_logins(project)
    if logins is None:
        raise ProjectError(
            f"{what}: only for a server project (postgresql://...); a project file's users are "
            "names, with no password and nothing to remove")
    return logins
