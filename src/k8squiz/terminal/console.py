"""Rich consoles that honour NO_COLOR and never read markup, and the one-line error.

Rich is imported only when a console is made: an error, or a session from a pipe, never
pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8squiz.env import Env
from k8squiz.errors import K8sQuizError
from k8squiz.terminal.escape import safe

if TYPE_CHECKING:
    from rich.console import Console

RED, RESET = "\x1b[31m", "\x1b[0m"


def console(env: Env, *, stderr: bool = False, soft_wrap: bool = False) -> Console:
    """A console on stdout or stderr that honours NO_COLOR and never reads markup."""
    from rich.console import Console

    return Console(
        file=env.stderr if stderr else env.stdout,
        color_system="auto" if env.color else None,
        no_color=not env.color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=soft_wrap,
    )


def error(env: Env, exc: BaseException, *, debug: bool) -> None:
    """One line on stderr (red at a terminal); a traceback first only with --debug."""
    if debug:
        import traceback

        env.stderr.write("".join(traceback.format_exception(exc)))
    if isinstance(exc, K8sQuizError):
        line = f"k8squiz: error: {safe(str(exc))}"
    else:
        line = (
            f"k8squiz: internal error: {type(exc).__name__}: {safe(str(exc))}"
            " (please report it; --debug shows the traceback)"
        )
    if env.color and _isatty(env):
        line = f"{RED}{line}{RESET}"
    env.stderr.write(line + "\n")
    env.stderr.flush()


def _isatty(env: Env) -> bool:
    try:
        return env.stderr.isatty()
    except (AttributeError, ValueError):
        return False
