"""The ``annotator`` command line: one thin command per use case.

Commands live in topic modules (``corpus``, ``teams``, ``suggest``, ``maintenance``); this module
only gathers them into one group. Every command turns the project's own errors into one line on
stderr and exit code 2 (see :func:`annotator.cli.common.run_command`), never a traceback.
"""

from __future__ import annotations

import importlib

import click

from annotator import __version__

EPILOG = """\b
Example, from nothing to a training set:
  annotator init news.db
  annotator import news.db articles/ --encoding auto
  annotator gui news.db --user mona
  annotator export news.db -o exports/news.conll --format conll --scheme iob2
"""

# Each module defines ``register(group)``; a module that is not there yet is skipped, so topic
# modules can land one at a time.
COMMAND_MODULES = ("corpus", "gui", "teams", "suggest", "maintenance")


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annotator")
def cli() -> None:
    """Label Arabic news with character spans; import, export, measure agreement."""


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"annotator.cli.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"annotator.cli.{_name}":
            raise
        continue
    _module.register(cli)


def main() -> None:
    cli(prog_name="annotator")
