"""The project's exception family. The CLI turns any of them into one line and exit code 2."""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base of every error the user should see as a message, not a traceback."""


class InputError(AnnotatorError):
    """Bad input in a file, located by path and (where it has lines) line number."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class SpanError(AnnotatorError):
    """A span whose offsets or text do not fit its article."""


class LinkError(SpanError):
    """A relation or event argument the schema or the layer does not allow, or a span edit that
    would break links (the message says which; ``force`` removes them)."""


class SchemaError(AnnotatorError):
    """An invalid schema, an unknown label, or an unsafe schema change."""


class ProjectError(AnnotatorError):
    """A project file that is missing, from another project, or too new for this version."""


class PermissionDenied(AnnotatorError):
    """A user tried something their role does not allow."""


class ProjectBusy(ProjectError):
    """Another program holds the project's write lock: wait or retry; the file is not damaged."""


class ProjectConflict(ProjectBusy):
    """The server rolled the action back because it crossed another user's (a serialization
    failure or a deadlock) and asks for it again: :mod:`annotator.retries` makes the whole
    action again; raised past it only when the conflicts go on (nothing was saved)."""


class ProjectOffline(ProjectBusy):
    """The project's server cannot be reached (restarting, network down): nothing of the
    attempted change was stored; it can be sent again once the connection is back. A kind of
    :class:`ProjectBusy`, so whatever waits for a busy project waits for a server too (the
    desk's write queue, which never gives an unsent change up while offline)."""


class ProjectReadOnly(ProjectError):
    """The project file (or its folder or file system) cannot be written: open it for reading."""


class ProjectDamaged(ProjectError):
    """SQLite proved the file damaged (a failed header read or integrity check): only then is
    putting a backup in its place worth offering."""


class Cancelled(Exception):  # noqa: N818 (what happened, not an error: the user chose it)
    """Raised from a progress callback when the user stopped a long job (an import, an export,
    the agreement report). Not an :class:`AnnotatorError`: nothing went wrong, and the job's
    transaction or temporary file is undone on the way out, so nothing is left half-written."""
