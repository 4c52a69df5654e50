"""The k8squiz command line: one short function per command, in the modules of this package.

Each command builds what it needs in one call (`prepare`, `open_store` in `app.py`), hands it
to the core or a mode, and gives the result to a screen or a report; it never formats
anything itself. The core is imported inside each command, so `--help` and quick commands
start fast. `main` runs the app: expected failures are one line, with their exit status.

- app.py       the Typer app, its root options, the option types, what commands share
- decks.py     validate, schema, topics, export anki
- sessions.py  quiz, study, exam
- progress.py  history, due, stats, progress export/import/reset
"""

import contextlib
import io
import sys
from collections.abc import Sequence
from itertools import pairwise

import typer

from k8squiz.cli import decks, progress, sessions  # noqa: F401 - importing them registers them
from k8squiz.cli.app import APP, app
from k8squiz.env import Env
from k8squiz.errors import ExitStatus, K8sQuizError
from k8squiz.i18n import Words
from k8squiz.terminal import help as help_text

BROKEN_PIPE = 141  # what a shell shows for a program its reader stopped (128 + SIGPIPE)


def main(argv: list[str] | None = None) -> None:
    """Run k8squiz; expected failures print one line and exit with their status."""
    from k8squiz.terminal.console import standard_streams

    args = sys.argv[1:] if argv is None else argv
    lang = _help_lang(args)
    help_text.use(lang)
    with standard_streams():
        status = _run(args, debug="--debug" in args, words=Words(lang))
    raise SystemExit(status)


def _run(args: list[str], *, debug: bool, words: Words) -> int:
    """The command's exit status; every failure becomes one line on stderr.

    A reader that stops early (`k8squiz topics | head -1`) ends the run quietly with 141, as
    it ends `cat` or `git log`: nothing went wrong that the user should read about. Any other
    output that cannot be written (`>&-`, `> /dev/full`) is an error, so a script learns
    that what it captured is not all there.
    """
    try:
        status = _app_for(args)(args=args, prog_name="k8squiz", standalone_mode=False)
        sys.stdout.flush()  # a full disk often shows only here
    except (KeyboardInterrupt, typer.Abort):
        return ExitStatus.INTERRUPTED
    except Exception as exc:
        return _failure(exc, debug=debug, words=words)
    return int(status or 0)


def _failure(exc: Exception, *, debug: bool, words: Words) -> int:
    from k8squiz.terminal.console import OutputError, error

    if isinstance(exc, OutputError) and exc.broken_pipe:
        return BROKEN_PIPE
    if _is_usage_error(exc):
        return _usage_error(exc)
    error(Env(), exc, debug=debug, words=words)
    return int(exc.exit_status) if isinstance(exc, K8sQuizError) else int(ExitStatus.ERROR)


def _help_lang(args: Sequence[str]) -> str:
    """The language --help is written in: a --lang on the command line, else the session's."""
    option = next((value for flag, value in pairwise(args) if flag in ("--lang", "-l")), None)
    try:
        return Env().lang(option)
    except K8sQuizError:
        return "en"


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


def _is_usage_error(exc: Exception) -> bool:
    """Click's own errors (no such option, bad value) know how to show themselves."""
    return hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int)


class _Capture(io.StringIO):
    """Where Click writes a usage error, for k8squiz to escape; a terminal to Click, so that
    it keeps every character of the bad value for `safe` to show instead of dropping some."""

    def isatty(self) -> bool:
        return True


def _usage_error(exc: Exception) -> int:
    """Click's usage lines, with the value the user typed escaped like any other."""
    from k8squiz.terminal.console import OutputError
    from k8squiz.terminal.escape import safe

    shown = _Capture()
    exc.show(file=shown)  # type: ignore[attr-defined]
    with contextlib.suppress(OutputError):
        sys.stderr.write(safe(help_text.usage_error(shown.getvalue()), multiline=True))
        sys.stderr.flush()
    return int(exc.exit_code)  # type: ignore[attr-defined]
