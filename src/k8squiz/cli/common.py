"""What the commands share that needs no Typer: `prepare`/`open_store`, which build what a
command needs in one call, the session's screen, and the command line that repeats a session.

A quiz read by `quick` runs without Typer, so nothing here may import it (a test holds that).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from msgspec import Struct

from k8squiz.env import Env, isatty
from k8squiz.i18n import Words

STORED_INT = (-(2**63), 2**63 - 1)  # the integers the progress database holds

if TYPE_CHECKING:
    from k8squiz.decks.library import Library
    from k8squiz.progress.store import Store
    from k8squiz.terminal.screen import Screen


class Setup(Struct, frozen=True):
    """What every command that works on cards needs: the world, the decks, the words."""

    env: Env
    library: Library
    words: Words


def prepare(env: Env, decks: Sequence[Path] | None, lang: str | None = None) -> Setup:
    from k8squiz.decks.cache import load_library

    library = load_library(decks or [], env.environ, env.cache_dir)
    started()
    return Setup(env, library, Words(env.lang(lang)))


def started() -> None:
    """Start-up is over. `main` starts with the cyclic garbage collector off: the modules and
    the decks loaded first make tens of thousands of objects that live as long as the run,
    and collecting among them finds nothing (3 ms of a one-question quiz). From here on it
    runs again, with those objects frozen out of its sight."""
    gc.freeze()
    gc.enable()


def prepare_to_grade(env: Env, decks: Sequence[Path] | None, lang: str | None = None) -> Setup:
    """`prepare`, for a session: the command grader's parsed knowledge is cached beside the
    decks' (only sessions grade, so other commands never load the grader)."""
    from k8squiz.grading.tools import cache_in

    cache_in(env.cache_dir)
    return prepare(env, decks, lang)


@contextmanager
def open_store(env: Env) -> Iterator[Store]:
    from k8squiz.progress.store import Store

    with Store.open(env.db_path) as store:
        store.waiting = lambda: say_waiting(env)  # an answer waits, never lost, when locked
        yield store


def say_waiting(env: Env) -> None:
    from k8squiz.terminal import reports

    reports.note(env, Words(env.lang()), "db_waiting")


def session_screen(env: Env, words: Words, *, to_stderr: bool = False) -> Screen:
    """Panels and single keys when the learner types at a terminal and the session is shown
    on one (`--json > file` shows it on stderr); plain lines (and no Rich) anywhere else."""
    out = env.stderr if to_stderr else env.stdout
    if isatty(env.stdin) and isatty(out):
        from k8squiz.terminal.rich_screen import RichScreen

        return RichScreen(env, words, to_stderr=to_stderr)
    from k8squiz.terminal.screen import PlainScreen

    return PlainScreen(words, env.stdin, out, echo=not isatty(env.stdin))


class Param(Protocol):
    """An option as `again_command` reads it: a Click parameter or a `quick.Opt`."""

    @property
    def name(self) -> str | None: ...
    @property
    def opts(self) -> Sequence[str]: ...
    @property
    def secondary_opts(self) -> Sequence[str]: ...
    @property
    def multiple(self) -> bool: ...
    @property
    def default(self) -> Any: ...


def again_command(
    command: str, params: Iterable[Param], values: Mapping[str, Any], seed: int
) -> str:
    """The command line that asks the same questions again, to paste into a shell: this
    command with every option the learner gave (the selection, the count, the decks) and the
    seed it used. Built from the parsed options, so an option added later is never left out."""
    import shlex

    words = ["k8squiz", command]
    for param in params:
        value = values.get(param.name or "")
        if param.name in _NOT_REPEATED or value is None or value == param.default:
            continue
        flag = max(param.opts, key=len)  # the long spelling: what reads best in a hint
        if getattr(param, "is_flag", False):  # given, and not its default: on, or its --no-
            words.append(flag if value else min(param.secondary_opts or [flag]))
            continue
        for item in value if param.multiple else (value,):
            words += [flag, str(item.value if isinstance(item, Enum) else item)]
    return shlex.join([*words, "--seed", str(seed)])


_NOT_REPEATED = frozenset({"seed", "json_out"})  # the seed comes last; --json is no session
