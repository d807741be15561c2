"""The ``annotator`` command line: one thin command per use case.

Commands live in topic modules (``corpus``, ``teams``, ``suggest``, ``maintenance`` here, and
``ui.cli`` for ``gui``: the desk's command belongs to the Qt package, so nothing in the core
imports Qt); this module only gathers them. A command's module is imported when that command
runs, so ``annotator gui`` starts the desk without loading the export, agreement or CRF code.
Every command turns the project's own errors into one line on stderr and exit code 2 (see
:func:`annotator.cli.common.run_command`), never a traceback.
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

COMMANDS = {
    "init": "corpus", "import": "corpus", "export": "corpus", "stats": "corpus", "schema": "corpus",
    "gui": "ui.cli",
    "users": "teams", "settings": "teams", "assign": "teams", "pack": "teams", "merge": "teams",
    "agreement": "teams", "adjudicate": "teams",
    "suggest": "suggest",
    "backup": "maintenance", "check": "maintenance", "restore": "maintenance",
    "doctor": "doctor",
    "copy": "copying",
}
"""Command name -> the module that defines it (as ``register(group)``): a name in
``annotator.cli``, or a dotted module path of another package."""


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        if cmd_name not in self.commands:
            path = module if "." in module else f"annotator.cli.{module}"
            importlib.import_module(path).register(self)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annotator")
def cli() -> None:
    """Label Arabic news with character spans; import, export, measure agreement."""


def main() -> None:
    try:
        cli(prog_name="annotator")
    except Exception as exc:  # a failure outside any command's run_command (loading one, click)
        from annotator.cli.common import failure_message  # noqa: PLC0415 (only on failure)

        message = failure_message(exc)
        if message is None:
            raise
        click.echo(f"annotator: error: {message}", err=True)
        raise SystemExit(2) from None
