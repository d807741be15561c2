"""Optional extras: which pip extra provides a module, and the one line that says so.

Why one table: spaCy, matplotlib, datasets and python-crfsuite are imported only where a
feature needs them (so the core stays lean), which means a missing one shows up deep in a
call as ``ModuleNotFoundError``. The CLI maps that error, wherever it comes from, to
``spaCy is not installed (...): pip install 'annotator[spacy]'`` instead of a traceback; ``annotator doctor``
lists the same extras.
"""

from __future__ import annotations

from annotator.errors import AnnotatorError

EXTRAS: dict[str, tuple[str, str]] = {
    "gui": ("PySide6", "the desk (annotator gui)"),
    "plot": ("matplotlib", "agreement --plot"),
    "suggest": ("pycrfsuite", "suggest --train/--apply/--order"),
    "spacy": ("spacy", "export --format spacy, import of .spacy files"),
    "hf": ("datasets", "loading the hf export with its datasets.Features"),
    "server": ("psycopg", "a project on a PostgreSQL server (postgresql:// URLs)"),
}
"""Extra -> (the top-level module it installs, what needs it)."""

DISPLAY_NAMES = {"PySide6": "PySide6", "matplotlib": "matplotlib", "pycrfsuite": "python-crfsuite",
                 "spacy": "spaCy", "datasets": "datasets", "psycopg": "psycopg"}


def extra_for(module: str | None) -> str | None:
    """The extra that installs ``module`` (or a submodule of it), else ``None``.

    >>> extra_for("spacy.tokens"), extra_for("matplotlib"), extra_for("yaml")
    ('spacy', 'plot', None)
    """
    root = (module or "").split(".")[0]
    return next((extra for extra, (name, _) in EXTRAS.items() if name == root), None)


def missing_extra_message(exc: ImportError) -> str | None:
    """One line naming the extra to install, when ``exc`` is a missing optional module.

    >>> missing_extra_message(ModuleNotFoundError("No module named 'spacy'", name="spacy"))
    "spaCy is not installed (needed for export --format spacy, import of .spacy files): pip install 'annotator[spacy]'"
    """
    extra = extra_for(exc.name)
    if extra is None:
        return None
    module, needed_by = EXTRAS[extra]
    return (f"{DISPLAY_NAMES[module]} is not installed (needed for {needed_by}): "
            f"pip install 'annotator[{extra}]'")


class MissingExtra(AnnotatorError):
    """An optional extra a command needs is not installed."""


def require(extra: str) -> None:
    """Stop before any work when ``extra`` is absent (``agreement --plot`` would otherwise
    compute every figure, then fail on the picture).

    >>> require("no-such-extra")
    Traceback (most recent call last):
    KeyError: 'no-such-extra'
    """
    import importlib.util  # here: every command imports this module (through run_command)

    module = EXTRAS[extra][0]
    if importlib.util.find_spec(module) is None:
        message = missing_extra_message(ModuleNotFoundError(f"No module named {module!r}", name=module))
        raise MissingExtra(message)
