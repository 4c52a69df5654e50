"""The Typer app and its root options, and the option types the commands share."""

# No `from __future__ import annotations` here: Typer reads each command's annotations at
# run time, and evaluating them from strings costs a quiz a tenth of its own start-up.

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from k8squiz.cli.common import STORED_INT, prepare
from k8squiz.env import Env
from k8squiz.errors import K8sQuizError
from k8squiz.terminal.help import HelpGroup

# `k8squiz --help` lists the commands in the order a learner meets them: the sessions, then
# what to study and how it went, then moving progress and decks, then the deck authors' tools.
COMMAND_ORDER = (
    "quiz", "study", "exam", "topics", "due", "stats", "history", "export", "progress",
    "validate", "schema",
)  # fmt: skip


class CommandList(HelpGroup):
    """The root command: its list in COMMAND_ORDER (a command not named there comes last)."""

    def list_commands(self, ctx: Any) -> list[str]:
        def place(name: str) -> int:
            return COMMAND_ORDER.index(name) if name in COMMAND_ORDER else len(COMMAND_ORDER)

        return sorted(super().list_commands(ctx), key=place)


APP = {
    "name": "k8squiz",
    "help": "Flashcards and quizzes for learning containers and Kubernetes, in your terminal.",
    "epilog": "Exit codes: 0 ok, 1 failure or problems found, 2 usage error, 130 interrupted.",
    "no_args_is_help": True,
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
    "cls": CommandList,
}


app = typer.Typer(**APP)  # type: ignore[arg-type]


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class SchemaOf(str, Enum):
    deck = "deck"
    output = "output"


class Cert(str, Enum):
    kcna = "kcna"
    cka = "cka"
    ckad = "ckad"


DeckOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--deck",
        "-d",
        help="A deck file or a folder of decks to load besides the bundled ones (repeatable).",
        show_default=False,
    ),
]


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document for scripts.")]


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        "-l",
        help="Language of cards and messages: en or pt-BR"
        " (default: K8SQUIZ_LANG, then the locale).",
        show_default=False,
    ),
]


def _complete_topics(incomplete: str) -> list[str]:
    return [t for t in _names("topics") if t.startswith(incomplete)]


def _complete_tags(incomplete: str) -> list[str]:
    return [t for t in _names("tags") if t.startswith(incomplete)]


def _names(what: str) -> list[str]:
    """Topics or tags for the shell to offer; a name a shell could not show as typed (none
    that validates) is left out rather than printed."""
    from k8squiz.terminal.escape import safe

    try:
        library = prepare(Env(), None).library
    except K8sQuizError:
        return []
    names = library.topics if what == "topics" else library.tags
    return [name for name in names if safe(name) == name]


def stored_int(value: int | None) -> int | None:
    """An integer option that reaches the progress database, where integers are 64-bit."""
    if value is not None and not STORED_INT[0] <= value <= STORED_INT[1]:
        raise typer.BadParameter(f"{value} is too large; use a number of at most 18 digits")
    return value


def a_retention(value: float) -> float:
    """--retention is a number, not NaN, which every bound lets through."""
    if value != value:  # noqa: PLR0124 - NaN is the one float unequal to itself
        raise typer.BadParameter("nan is not a number between 0.7 and 0.99")
    return value


TopicOption = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        "-t",
        help="Only cards of this topic (repeatable; see 'k8squiz topics').",
        autocompletion=_complete_topics,
        show_default=False,
    ),
]


TagOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        help="Only cards with this tag (repeatable; see 'k8squiz topics --tags').",
        autocompletion=_complete_tags,
        show_default=False,
    ),
]


CertOption = Annotated[
    Cert | None,
    typer.Option(
        "--cert",
        "-c",
        help="Only cards serving this certification's curriculum (kcna, cka, ckad).",
        show_default=False,
    ),
]


DomainOption = Annotated[
    list[str] | None,
    typer.Option(
        "--domain",
        help="With --cert: only cards of this curriculum domain, by its id or name (repeatable;"
        " the domains are listed by 'k8squiz stats --cert C').",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        from k8squiz.decks.cache import load_library
        from k8squiz.terminal import reports

        env = Env()
        try:
            library = load_library([], env.environ, env.cache_dir)
        except K8sQuizError:  # the version is worth showing even when a deck is broken
            library = None
        reports.version(env, library)
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version, the data file and the decks folder, then exit.",
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback when something fails.")
    ] = False,
) -> None:
    """Flashcards and quizzes for learning containers and Kubernetes, in your terminal."""
