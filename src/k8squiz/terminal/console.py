"""Rich consoles that honour NO_COLOR and never read markup, the standard streams of a run,
and the one-line error.

Rich is imported only when a console is made: an error, or a session from a pipe, never
pays for it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, cast

from k8squiz.env import Env, isatty
from k8squiz.errors import K8sQuizError
from k8squiz.i18n import Words
from k8squiz.terminal.escape import ESCAPE_ERRORS, register_escape_errors, safe

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

RED, RESET = "\x1b[31m", "\x1b[0m"
MIN_WIDTH = 20  # a COLUMNS below this (0 draws nothing at all) is taken as this


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
        width=_narrowest(env),
    )


def fits(out: Console, table: Table) -> bool:
    """Whether `table` fits the console at its natural width (measured at the console's own
    width a table always fits, by shortening what is in it). Its longest texts plus the
    padding and rules between columns are an upper bound, enough for most tables without
    Rich measuring every cell (which costs a start-up a few percent)."""
    from rich.cells import cell_len
    from rich.text import Text

    def width(cell: object) -> int:
        return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))

    widest = [max(map(width, (column.header, *column.cells))) for column in table.columns]
    if sum(widest) + 3 * len(widest) <= out.width:
        return True
    unbounded = out.options.update(width=UNBOUNDED)
    return out.measure(table, options=unbounded).maximum <= out.width


UNBOUNDED = 10_000  # columns: wider than anything k8squiz prints


def code_spans(shown: str) -> list[tuple[str, str]]:
    """Text already escaped (`safe`) as (text, style) pieces, its `code` spans (in backticks)
    styled as code; an unmatched backtick leaves the text as it is."""
    parts = shown.split("`")
    if len(parts) % 2 == 0:
        return [(shown, "")]
    return [(part, "bold cyan" if i % 2 else "") for i, part in enumerate(parts)]


def with_code(shown: str) -> Text:
    """`code_spans` as one Text, for a table cell."""
    from rich.text import Text

    return Text.assemble(*code_spans(shown))


def _narrowest(env: Env) -> int | None:
    """MIN_WIDTH when COLUMNS asks for less; otherwise None, and Rich finds the width."""
    columns = env.environ.get("COLUMNS", "")
    return MIN_WIDTH if columns.isdigit() and int(columns) < MIN_WIDTH else None


def error(env: Env, exc: BaseException, *, debug: bool, words: Words | None = None) -> None:
    """One line on stderr (red at a terminal), in the learner's language where the error
    was written in the program's words; a traceback first only with --debug.

    When stderr itself cannot be written there is no one left to tell: it says nothing.
    """
    with contextlib.suppress(OutputError, OSError, ValueError):
        _write_error(env, exc, debug=debug, words=words or Words())


def _write_error(env: Env, exc: BaseException, *, debug: bool, words: Words) -> None:
    if debug:
        import traceback

        env.stderr.write(safe("".join(traceback.format_exception(exc)), multiline=True))
    if isinstance(exc, K8sQuizError):
        line = f"k8squiz: {words('error')}: {safe(exc.shown(words))}"
    else:
        line = (
            f"k8squiz: internal error: {type(exc).__name__}: {safe(str(exc))}"
            " (please report it; --debug shows the traceback)"
        )
    if env.color and isatty(env.stderr):
        line = f"{RED}{line}{RESET}"
    env.stderr.write(line + "\n")
    env.stderr.flush()


# The standard streams


class OutputError(K8sQuizError):
    """Standard output or error cannot be written: closed, full, or its reader has gone."""

    def __init__(self, which: str, cause: OSError | None) -> None:
        reason = "it is closed" if cause is None else cause.strerror or type(cause).__name__
        super().__init__(
            f"cannot write to standard {which}: {reason}",
            fix="send the output to a terminal, a pipe or a file on a disk with room",
        )
        self.broken_pipe = cause is not None and cause.errno == errno.EPIPE


class GuardedStream:
    """A standard output stream whose write failures are one OutputError, from wherever the
    write happened (Rich, Click or k8squiz), and never an OSError another handler might take
    for a deck file's. A stream the shell closed (`>&-`) is None in Python: writing to it
    fails at the first write instead of printing nothing."""

    def __init__(self, stream: TextIO | BinaryIO | None, which: str) -> None:
        self._stream: Any = stream
        self._which = which

    def write(self, data: str | bytes) -> int:
        try:
            return int(self._open().write(data))
        except OSError as exc:
            raise OutputError(self._which, exc) from exc

    @property
    def buffer(self) -> BinaryIO:
        """The byte stream under this one (a progress export to `-`), guarded the same way."""
        return cast(BinaryIO, GuardedStream(self._open().buffer, self._which))

    def flush(self) -> None:
        try:
            self._open().flush()
        except OSError as exc:
            raise OutputError(self._which, exc) from exc

    def isatty(self) -> bool:
        return self._stream is not None and isatty(self._stream)

    def fileno(self) -> int:
        if self._stream is None:
            raise io.UnsupportedOperation(f"standard {self._which} is closed")
        return int(self._stream.fileno())

    def _open(self) -> Any:
        if self._stream is None:
            raise OutputError(self._which, None)
        return self._stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def standard_streams() -> Iterator[None]:
    """The process's streams made safe for one run, then put back.

    Input bytes that are not UTF-8 become U+FFFD instead of stopping a quiz; characters the
    output's encoding cannot write (PYTHONIOENCODING=ascii, a file name's undecodable bytes)
    are written as escapes; a closed stdin reads as empty; stdout and stderr become
    GuardedStreams. On the way out, a stream that cannot take what is left in its buffer is
    pointed at the null device, so Python's own last flush has nothing to complain about.
    """
    register_escape_errors()
    saved = sys.stdin, sys.stdout, sys.stderr
    _reconfigure(sys.stdin, "replace")
    _reconfigure(sys.stdout, ESCAPE_ERRORS)
    _reconfigure(sys.stderr, ESCAPE_ERRORS)
    if sys.stdin is None:
        sys.stdin = Path(os.devnull).open(encoding="utf-8")  # noqa: SIM115 - lives as long as the run
    sys.stdout = cast(TextIO, GuardedStream(saved[1], "output"))
    sys.stderr = cast(TextIO, GuardedStream(saved[2], "error"))
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for stream in saved[1:]:
            _settle(stream)


def _reconfigure(stream: TextIO | None, errors: str) -> None:
    if isinstance(stream, io.TextIOWrapper):
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(errors=errors)


def _settle(stream: TextIO | None) -> None:
    """Flush what is left; a stream that cannot take it writes to the null device from now."""
    if stream is None:
        return
    try:
        stream.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, stream.fileno())
            os.close(null)
