"""The quiz without Typer: its options, a reader of its command line, and the command itself.

Importing Typer costs more than everything a one-question quiz does (about half of its
start-up), and a script that asks one question at a time pays it on every call. So `main`
first offers the command line to `read_quiz`, which knows the quiz's options as a table and
takes only the spellings it is sure of: `--name value`, `--name=value`, `-x value` and flags.
For anything else (help, a usage error, an option of another command, `-n5`, `--`, a bad
number) it returns None and Typer reads the line as ever. What it returns is what Typer would
hand the `quiz` command: tests derive the table from the Typer declaration and compare the
two readers on generated command lines. Typer's `quiz` and this one run `run_quiz_command`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from msgspec import Struct, structs

from k8squiz.cli.common import (
    STORED_INT,
    again_command,
    open_store,
    prepare_to_grade,
    session_screen,
)
from k8squiz.curricula import CERTS
from k8squiz.env import Env
from k8squiz.errors import ExitStatus, unreachable


class Kind(Enum):
    """What an option's value is read as."""

    FLAG = "flag"
    TEXT = "text"
    INT = "int"
    CHOICE = "choice"
    PATH = "path"


class Opt(Struct, frozen=True, kw_only=True):
    """One option of a command, named as Click names its parameters' attributes."""

    name: str
    opts: tuple[str, ...]
    kind: Kind
    multiple: bool = False
    default: Any = None
    low: int | None = None  # bounds of an INT, both included
    high: int | None = None
    choices: tuple[str, ...] = ()
    secondary_opts: tuple[str, ...] = ()

    @property
    def is_flag(self) -> bool:
        return self.kind is Kind.FLAG

    def read(self, text: str | None) -> object | None:
        """The value `text` gives this option, or None when Click might read it otherwise."""
        match self.kind:
            case Kind.TEXT:
                return text
            case Kind.INT:
                return None if text is None else self._number(text)
            case Kind.CHOICE:
                return text if text in self.choices else None
            case Kind.PATH:
                return None if text is None else Path(text)
            case Kind.FLAG:
                return True if text is None else None  # a flag takes no value
            case unknown:
                unreachable(unknown)

    def _number(self, text: str) -> int | None:
        digits = text.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()):
            return None  # "+5", " 5", "1_000" and other digits are Click's to read
        number = int(text)
        low = self.low if self.low is not None else number
        high = self.high if self.high is not None else number
        return number if low <= number <= high else None


# The options of `k8squiz quiz`, as cli/sessions.py declares them (a test compares the two).
QUIZ = (
    Opt(name="topic", opts=("--topic", "-t"), kind=Kind.TEXT, multiple=True),
    Opt(name="tag", opts=("--tag",), kind=Kind.TEXT, multiple=True),
    Opt(name="count", opts=("-n", "--count"), kind=Kind.INT, default=10, low=1),
    Opt(name="seed", opts=("--seed",), kind=Kind.INT, low=STORED_INT[0], high=STORED_INT[1]),
    Opt(name="choices", opts=("--choices",), kind=Kind.FLAG, default=False),
    Opt(name="missed", opts=("--missed",), kind=Kind.FLAG, default=False),
    Opt(name="practice", opts=("--practice",), kind=Kind.FLAG, default=False),
    Opt(name="cert", opts=("--cert", "-c"), kind=Kind.CHOICE, choices=CERTS),
    Opt(name="domain", opts=("--domain",), kind=Kind.TEXT, multiple=True),
    Opt(name="lang", opts=("--lang", "-l"), kind=Kind.TEXT),
    Opt(name="deck", opts=("--deck", "-d"), kind=Kind.PATH, multiple=True),
    Opt(name="json_out", opts=("--json",), kind=Kind.FLAG, default=False),
)

_QUIZ_OPTS = {spelling: opt for opt in QUIZ for spelling in opt.opts}


class QuizArgs(Struct, frozen=True, kw_only=True):
    """What `k8squiz quiz` was given, named after its options (nothing given: empty)."""

    topic: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    count: int = 10
    seed: int | None = None
    choices: bool = False
    missed: bool = False
    practice: bool = False
    cert: str | None = None
    domain: tuple[str, ...] = ()
    lang: str | None = None
    deck: tuple[Path, ...] = ()
    json_out: bool = False


def read_quiz(args: Sequence[str]) -> QuizArgs | None:
    """The quiz `args` ask for, exactly as Typer would read it; None when unsure."""
    if not args or args[0] != "quiz":
        return None
    given: dict[str, Any] = {}
    rest = iter(args[1:])
    for token in rest:
        spelling, equals, attached = token.partition("=") if token[:2] == "--" else (token, "", "")
        opt = _QUIZ_OPTS.get(spelling)
        if opt is None:
            return None
        if equals:
            value = opt.read(attached)
        else:
            value = opt.read(None if opt.is_flag else next(rest, None))
        if value is None:
            return None
        given[opt.name] = (*given.get(opt.name, ()), value) if opt.multiple else value
    return QuizArgs(**given)


def run_quiz_command(args: QuizArgs) -> ExitStatus:
    """`k8squiz quiz`: ask, grade and save; then the summary, or the JSON document."""
    from k8squiz.modes.quiz import QuizOptions, run_quiz

    setup = prepare_to_grade(Env(), args.deck, args.lang)
    options = QuizOptions(
        topics=args.topic,
        tags=args.tag,
        count=args.count,
        seed=args.seed,
        choices=args.choices,
        missed=args.missed,
        practice=args.practice,
        cert=args.cert,
        domains=args.domain,
        lang=setup.words.lang,
    )
    screen = session_screen(setup.env, setup.words, to_stderr=args.json_out)
    with open_store(setup.env) as store:
        outcome = run_quiz(setup.library, store, screen, options, now=setup.env.now)
    if args.json_out:
        from k8squiz.output import quiz_document
        from k8squiz.terminal.reports import json_document

        json_document(setup.env, quiz_document(setup.library, outcome))
    else:
        # --missed asks what the last quiz missed: this one, from now on; no seed repeats it
        again = None if args.missed else _again(args, outcome.plan.seed)
        screen.quiz_summary(setup.library, outcome, again)
    return ExitStatus.INTERRUPTED if outcome.interrupted else ExitStatus.OK


def _again(args: QuizArgs, seed: int) -> str:
    return again_command("quiz", QUIZ, structs.asdict(args), seed)
