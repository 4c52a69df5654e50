"""One run of k8squiz inside its guarded streams: the quiz without Typer when `quick` reads
its line, any other line through the Typer app; every expected failure one line on stderr,
with its exit status."""

import contextlib
import io
import sys
from collections.abc import Callable, Sequence
from itertools import pairwise

from k8squiz.cli.quick import read_quiz, run_quiz_command
from k8squiz.env import Env
from k8squiz.errors import ExitStatus, K8sQuizError
from k8squiz.i18n import Words

BROKEN_PIPE = 141  # what a shell shows for a program its reader stopped (128 + SIGPIPE)


def run(args: list[str]) -> int:
    """The exit status of `k8squiz ARGS`, its output flushed."""
    from k8squiz.terminal.console import standard_streams

    lang = _help_lang(args)
    with standard_streams():
        return _run(_runner(args, lang), debug="--debug" in args, words=Words(lang))


def _runner(args: list[str], lang: str) -> Callable[[], int]:
    """What runs `args`: the quiz without Typer when `read_quiz` is sure of the line, else
    the Typer app (with its help in the session's language)."""
    quiz = read_quiz(args)
    if quiz is not None:
        return lambda: run_quiz_command(quiz)
    from k8squiz.cli.commands import run_app
    from k8squiz.terminal import help as help_text

    help_text.use(lang)
    return lambda: run_app(args)


def _run(command: Callable[[], int], *, debug: bool, words: Words) -> int:
    """The command's exit status; every failure becomes one line on stderr.

    A reader that stops early (`k8squiz topics | head -1`) ends the run quietly with 141, as
    it ends `cat` or `git log`: nothing went wrong that the user should read about. Any other
    output that cannot be written (`>&-`, `> /dev/full`) is an error, so a script learns
    that what it captured is not all there.
    """
    try:
        status = command()
        sys.stdout.flush()  # a full disk often shows only here
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED
    except Exception as exc:
        return _failure(exc, debug=debug, words=words)
    return int(status)


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
    from k8squiz.terminal import help as help_text
    from k8squiz.terminal.console import OutputError
    from k8squiz.terminal.escape import safe

    shown = _Capture()
    exc.show(file=shown)  # type: ignore[attr-defined]
    with contextlib.suppress(OutputError):
        sys.stderr.write(safe(help_text.usage_error(shown.getvalue()), multiline=True))
        sys.stderr.flush()
    return int(exc.exit_code)  # type: ignore[attr-defined]
