"""The Typer app with every command registered, and a run of it."""

from collections.abc import Sequence

import typer

# Importing the command modules registers their commands.
import k8squiz.cli.decks
import k8squiz.cli.progress
import k8squiz.cli.sessions  # noqa: F401
from k8squiz.cli.app import APP, app
from k8squiz.errors import ExitStatus

__all__ = ["app", "run_app"]


def run_app(args: Sequence[str]) -> int:
    """The exit status of the command `args` invoke; Click's usage errors are raised."""
    try:
        status = _app_for(args)(args=list(args), prog_name="k8squiz", standalone_mode=False)
    except typer.Abort:  # Click's word for Ctrl-C or a closed stdin at one of its prompts
        return ExitStatus.INTERRUPTED
    return int(status or 0)


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command `args` invoke: Typer builds the parameters of every
    command it holds on each run, a third of a quiz's own start-up, and a run needs one."""
    name = next((arg for arg in args if not arg.startswith("-")), None)
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:  # --help, --version, or a name to say is unknown
        return app
    lean = typer.Typer(**APP)  # type: ignore[arg-type]
    lean.registered_callback = app.registered_callback
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def _command_name(command: typer.models.CommandInfo) -> str | None:
    callback = command.callback
    return command.name or (callback.__name__.replace("_", "-") if callback else None)
