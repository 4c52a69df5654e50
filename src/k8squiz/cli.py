"""The k8squiz command line: one short function per command, nothing else."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from k8squiz.env import Env
from k8squiz.errors import ExitStatus, K8sQuizError
from k8squiz.i18n import Words

if TYPE_CHECKING:
    from k8squiz.deck import Library

# The core is imported inside each command, so `--help` and quick commands start fast.

app = typer.Typer(
    name="k8squiz",
    help="Flashcards and quizzes for learning containers and Kubernetes, in your terminal.",
    epilog="Exit codes: 0 ok, 1 failure or problems found, 2 usage error, 130 interrupted.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


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


def _names(what: str) -> tuple[str, ...]:
    from k8squiz.library import load_library

    env = Env()
    try:
        library = load_library([], env.environ, env.cache_dir)
    except K8sQuizError:
        return ()
    return library.topics if what == "topics" else library.tags


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


def _version(value: bool) -> None:
    if value:
        from k8squiz import ui

        ui.version(Env())
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


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Deck files or folders (default: the bundled decks).", show_default=False
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text, json, or github (Actions annotations).")
    ] = Format.text,
    rules: Annotated[bool, typer.Option("--rules", help="List the rules and exit.")] = False,
) -> None:
    """Check decks and report every problem as file:line:col. Exit 1 if any is found."""
    from k8squiz import loader, ui
    from k8squiz.deck import Source, bundled

    env = Env()
    if rules:
        return ui.rules(env)
    given = [Source(p, str(p)) for p in paths or []]
    report = loader.check(given, context=[bundled()]) if given else loader.check([bundled()])
    ui.problem_report(env, report, fmt.value, strict=strict)
    if report.count("error") or (strict and report.count("warning")):
        raise typer.Exit(ExitStatus.ERROR)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a deck file (for editors and other tools)."""
    import json

    from k8squiz.deck import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command()
def topics(
    deck: DeckOption = None,
    tags: Annotated[
        bool, typer.Option("--tags", help="List the tags instead, with card counts.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """List the loaded topics: title, cards, due, mastered, and where they come from."""
    from k8squiz import ui
    from k8squiz.library import load_library

    env = Env()
    library = load_library(deck or [], env.environ, env.cache_dir)
    words = Words(env.lang(lang))
    if tags:
        return ui.tags(env, library, words)
    ui.topics(env, library, words, extra=_progress_columns(env, library, words))


def _progress_columns(env: Env, library: Library, words: Words) -> dict[str, list[str]]:
    """Due and mastered per topic, when a progress database exists."""
    if not env.db_path.exists():
        return {}
    from k8squiz.stats import due_by_topic
    from k8squiz.store import Store

    with Store.open(env.db_path) as store:
        figures = due_by_topic(library, store.card_states(), env.now())
    return {
        words("due_now"): [str(t.due_now) for t in figures],
        words("mastered"): [f"{t.mastered}/{t.cards}" for t in figures],
    }


@app.command()
def quiz(
    topic: TopicOption = None,
    tag: TagOption = None,
    count: Annotated[int, typer.Option("-n", "--count", min=1, help="How many questions.")] = 10,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Ask the same questions in the same order again.", show_default=False
        ),
    ] = None,
    choices: Annotated[
        bool,
        typer.Option(
            "--choices", help="Multiple choice: answer with a letter, a number or the text."
        ),
    ] = False,
    missed: Annotated[
        bool,
        typer.Option(
            "--missed", help="Ask the cards missed in the last quiz (or the weakest so far)."
        ),
    ] = False,
    lang: LangOption = None,
    deck: DeckOption = None,
    json_out: JsonOption = False,
) -> None:
    """A scored quiz: 10 questions by default, graded as you answer and saved as you go."""
    from k8squiz.quiz import QuizOptions, run

    env = Env()
    options = QuizOptions(
        tuple(topic or ()),
        tuple(tag or ()),
        count,
        seed,
        choices,
        missed,
        env.lang(lang),
        json_out,
        tuple(deck or ()),
    )
    raise typer.Exit(run(env, options))


@app.command()
def study(
    topic: TopicOption = None,
    tag: TagOption = None,
    new: Annotated[
        int, typer.Option("--new", min=0, help="New cards a day, counted across sessions.")
    ] = 20,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Stop after this many cards.", show_default=False),
    ] = None,
    retention: Annotated[
        float,
        typer.Option(
            "--retention",
            min=0.7,
            max=0.99,
            help="Desired retention: the chance to recall a card when due.",
        ),
    ] = 0.9,
    lang: LangOption = None,
    deck: DeckOption = None,
) -> None:
    """Flashcards with spaced repetition (FSRS): the cards due today, then new ones."""
    from k8squiz.study import StudyOptions, run

    env = Env()
    options = StudyOptions(
        tuple(topic or ()),
        tuple(tag or ()),
        new,
        limit,
        env.lang(lang),
        retention,
        tuple(deck or ()),
    )
    raise typer.Exit(run(env, options))


@app.command()
def history(
    limit: Annotated[
        int, typer.Option("-n", "--limit", min=1, help="How many sessions to show.")
    ] = 20,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """List past quizzes and study sessions: date, topics, score. --json adds every answer."""
    from k8squiz import history as past
    from k8squiz import ui
    from k8squiz.store import Store

    env = Env()
    with Store.open(env.db_path) as store:
        if json_out:
            return ui.dump_json(env, past.document(store, limit))
        ui.history(env, Words(env.lang(lang)), store.sessions(limit=limit))


@app.command()
def due(
    topic: TopicOption = None,
    deck: DeckOption = None,
    lang: LangOption = None,
) -> None:
    """Cards due per topic: now, by the end of today, and within the week."""
    from k8squiz import dashboard
    from k8squiz.library import load_library
    from k8squiz.stats import due_by_topic
    from k8squiz.store import Store

    env = Env()
    library = load_library(deck or [], env.environ, env.cache_dir)
    library.select(topic or ())  # an unknown topic is an error
    with Store.open(env.db_path) as store:
        figures = due_by_topic(library, store.card_states(), env.now())
    dashboard.due(
        env, Words(env.lang(lang)), [t for t in figures if not topic or t.topic in topic]
    )


@app.command()
def stats(
    topic: TopicOption = None,
    deck: DeckOption = None,
    lang: LangOption = None,
    json_out: JsonOption = False,
) -> None:
    """Your progress: per topic (cards, seen, mastered = FSRS stability of 21 days or more,
    accuracy over 7 and 30 days, due now and tomorrow), your streak, reviews per day, cards
    due per day, retention against the 90% target, your weakest cards and commonest mistakes.
    """
    from k8squiz import dashboard, ui
    from k8squiz.library import load_library
    from k8squiz.records import iso
    from k8squiz.stats import compute
    from k8squiz.store import Store

    env = Env()
    library = load_library(deck or [], env.environ, env.cache_dir)
    library.select(topic or ())
    words = Words(env.lang(lang))
    with Store.open(env.db_path) as store:
        figures = compute(library, store, env.now(), topics=topic or (), lang=words.lang)
    if json_out:
        return ui.dump_json(env, dashboard.stats_document(figures, iso(env.now())))
    dashboard.stats(env, words, figures)


progress_app = typer.Typer(
    help="Move your progress to another machine, or start over (with a backup).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(progress_app, name="progress")


@progress_app.command("export")
def progress_export(
    file: Annotated[Path, typer.Argument(help="The JSON file to write.")],
) -> None:
    """Write every session, answer and review to FILE (versioned JSON)."""
    from msgspec.structs import asdict

    from k8squiz import progress, ui
    from k8squiz.store import Store

    env = Env()
    with Store.open(env.db_path) as store:
        counts = progress.export(store, file, env.now())
    ui.say(env, Words(env.lang()), "exported", path=file, **asdict(counts))


@progress_app.command("import")
def progress_import(
    file: Annotated[Path, typer.Argument(help="A file written by 'k8squiz progress export'.")],
) -> None:
    """Merge a progress file into this machine's; importing the same file twice changes nothing."""
    from msgspec.structs import asdict

    from k8squiz import progress, ui
    from k8squiz.store import Store

    env = Env()
    document = progress.read(file)
    with Store.open(env.db_path) as store:
        counts = progress.merge(store, document, where=str(file))
    ui.say(env, Words(env.lang()), "imported", **asdict(counts))


@progress_app.command("reset")
def progress_reset(
    topic: TopicOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    deck: DeckOption = None,
) -> None:
    """Forget your progress (on some topics only, with --topic), after writing a backup."""
    from msgspec.structs import asdict

    from k8squiz import progress, ui
    from k8squiz.store import Store

    env = Env()
    words = Words(env.lang())
    cards = _topic_cards(env, topic or (), deck or [])
    what = (
        words("reset_what_topics", topics=", ".join(topic)) if topic else words("reset_what_all")
    )
    if not yes and not ui.confirm(env, words("reset_confirm", what=what)):
        ui.say(env, words, "reset_cancelled")
        raise typer.Exit(ExitStatus.ERROR)
    with Store.open(env.db_path) as store:
        backup = progress.backup(store, env.now())
        counts = progress.reset(store, cards)
    ui.say(env, words, "reset_done", path=backup, **asdict(counts))


def _topic_cards(
    env: Env, topics: tuple[str, ...] | list[str], decks: list[Path]
) -> set[str] | None:
    if not topics:
        return None
    from k8squiz.library import load_library

    library = load_library(decks, env.environ, env.cache_dir)
    return {card.id for card in library.select(topics)}


export_app = typer.Typer(
    help="Write the decks for another program: Anki, for review on a phone.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")


class Cert(str, Enum):
    kcna = "kcna"
    cka = "cka"
    ckad = "ckad"


@export_app.command("anki")
def export_anki(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The .apkg file to write; an earlier k8squiz export there is replaced.",
            show_default=False,
        ),
    ],
    topic: TopicOption = None,
    tag: TagOption = None,
    cert: Annotated[
        Cert | None,
        typer.Option(
            help="Only cards for this certification (their domains, else their deck's).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            help="en, pt-BR (English where a card has no translation), or both"
            " (pt-BR under the English); default: K8SQUIZ_LANG, then the locale.",
            show_default=False,
        ),
    ] = None,
    typed: Annotated[
        bool,
        typer.Option(
            "--typed",
            help="Type the answer in Anki. Anki compares it character by character, without"
            " k8squiz's tolerance (case, accents, typos, list order, accepted alternatives,"
            " command aliases); it shows the differences and you still rate yourself.",
        ),
    ] = False,
    deck: DeckOption = None,
) -> None:
    """Write an Anki package (.apkg) of the decks: one Anki deck per topic, and notes that a
    newer export updates in place, keeping your Anki reviews."""
    from k8squiz import ui
    from k8squiz.exports import anki
    from k8squiz.library import load_library

    env = Env()
    both = (lang or "").lower() == "both"
    words = Words(env.lang(None if both else lang))
    library = load_library(deck or [], env.environ, env.cache_dir)
    options = anki.AnkiOptions(
        topics=tuple(topic or ()),
        tags=tuple(tag or ()),
        cert=cert.value if cert else None,
        lang="both" if both else words.lang,
        typed=typed,
    )
    for key, values in anki.report(anki.export(library, options, output, now=env.now())):
        ui.say(env, words, key, **values)


def main(argv: list[str] | None = None) -> None:
    """Run k8squiz; expected failures print one line and exit with their status."""
    args = sys.argv[1:] if argv is None else argv
    try:
        status = app(args=args, prog_name="k8squiz", standalone_mode=False)
    except K8sQuizError as exc:
        from k8squiz import ui

        ui.error(Env(), exc, debug="--debug" in args)
        status = exc.exit_status
    except (KeyboardInterrupt, typer.Abort):
        status = ExitStatus.INTERRUPTED
    except Exception as exc:
        if not _is_usage_error(exc):
            from k8squiz import ui

            ui.error(Env(), exc, debug="--debug" in args)
            status = ExitStatus.ERROR
        else:
            exc.show()  # type: ignore[attr-defined]
            status = exc.exit_code  # type: ignore[attr-defined]
    raise SystemExit(int(status or 0))


def _is_usage_error(exc: Exception) -> bool:
    """Click's own errors (no such option, bad value) know how to show themselves."""
    return hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int)
