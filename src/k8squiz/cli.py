"""The k8squiz command line: one short function per command.

Each command builds what it needs in one call (`_setup`, `_store`), hands it to the core or a
mode, and gives the result to a screen or a report; it never formats anything itself. The core
is imported inside each command, so `--help` and quick commands start fast.
"""

# No `from __future__ import annotations` here: Typer reads each command's annotations at
# run time, and evaluating them from strings costs a quiz a tenth of its own start-up.

import contextlib
import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer
from msgspec import Struct

from k8squiz.env import Env
from k8squiz.errors import ExitStatus, K8sQuizError, UsageError
from k8squiz.i18n import Words
from k8squiz.terminal import help as help_text
from k8squiz.terminal.help import HelpCommand, HelpGroup

if TYPE_CHECKING:
    from k8squiz.decks.library import Library
    from k8squiz.progress.store import Store
    from k8squiz.terminal.screen import Screen

APP = {
    "name": "k8squiz",
    "help": "Flashcards and quizzes for learning containers and Kubernetes, in your terminal.",
    "epilog": "Exit codes: 0 ok, 1 failure or problems found, 2 usage error, 130 interrupted.",
    "no_args_is_help": True,
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
    "cls": HelpGroup,
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
        library = _setup(Env(), None).library
    except K8sQuizError:
        return []
    names = library.topics if what == "topics" else library.tags
    return [name for name in names if safe(name) == name]


def _stored_int(value: int | None) -> int | None:
    """An integer option that reaches the progress database, where integers are 64-bit."""
    if value is not None and not -(2**63) <= value < 2**63:
        raise typer.BadParameter(f"{value} is too large; use a number of at most 18 digits")
    return value


def _a_retention(value: float) -> float:
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
        help="Only cards serving this certification's curriculum (kcna, cka, ckad).",
        show_default=False,
    ),
]
DomainOption = Annotated[
    list[str] | None,
    typer.Option(
        "--domain",
        help="With --cert: only cards of this curriculum domain (repeatable; the domains are"
        " listed by 'k8squiz stats --cert C').",
        show_default=False,
    ),
]


class _Setup(Struct, frozen=True):
    """What every command that works on cards needs: the world, the decks, the words."""

    env: Env
    library: "Library"
    words: Words


def _setup(env: Env, decks: Sequence[Path] | None, lang: str | None = None) -> _Setup:
    from k8squiz.decks.cache import load_library
    from k8squiz.grading.tools import cache_in

    cache_in(env.cache_dir)  # the command grader's parsed knowledge lives beside the decks'

    library = load_library(decks or [], env.environ, env.cache_dir)
    return _Setup(env, library, Words(env.lang(lang)))


@contextmanager
def _store(env: Env) -> Iterator["Store"]:
    from k8squiz.progress.store import Store

    with Store.open(env.db_path) as store:
        store.waiting = lambda: _say_waiting(env)  # an answer waits, never lost, when locked
        yield store


def _say_waiting(env: Env) -> None:
    from k8squiz.terminal import reports

    reports.note(env, Words(env.lang()), "db_waiting")


def _session_screen(env: Env, words: Words, *, to_stderr: bool = False) -> "Screen":
    """Panels and single keys at a terminal; plain lines (and no Rich) anywhere else."""
    if env.interactive:
        from k8squiz.terminal.rich_screen import RichScreen

        return RichScreen(env, words, to_stderr=to_stderr)
    from k8squiz.terminal.screen import PlainScreen

    return PlainScreen(words, env.stdin, env.stderr if to_stderr else env.stdout)


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


@app.command(cls=HelpCommand)
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
    from k8squiz.decks.build import check
    from k8squiz.decks.discover import DeckSource, bundled
    from k8squiz.terminal import reports

    env = Env()
    if rules:
        return reports.rules(env)
    given = [DeckSource(p, str(p)) for p in paths or []]
    report = check(given, context=[bundled()]) if given else check([bundled()])
    reports.problem_report(env, report, fmt.value, strict=strict)
    if report.count("error") or (strict and report.count("warning")):
        raise typer.Exit(ExitStatus.ERROR)
    return None


@app.command(cls=HelpCommand)
def schema(
    of: Annotated[
        SchemaOf,
        typer.Argument(help="deck (a deck file) or output (the --json documents)."),
    ] = SchemaOf.deck,
) -> None:
    """Print the JSON Schema of a deck file, or of the JSON documents k8squiz prints."""
    import json

    if of is SchemaOf.deck:
        from k8squiz.decks.model import json_schema
    else:
        from k8squiz.output import json_schema
    sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command(cls=HelpCommand)
def topics(
    deck: DeckOption = None,
    tags: Annotated[
        bool, typer.Option("--tags", help="List the tags instead, with card counts.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """List the loaded topics: title, cards, due, mastered, and where they come from."""
    from k8squiz.terminal import reports

    setup = _setup(Env(), deck, lang)
    if tags:
        return reports.tags(setup.env, setup.library, setup.words)
    extra = _progress_columns(setup)
    return reports.topics(setup.env, setup.library, setup.words, extra=extra)


def _progress_columns(setup: _Setup) -> dict[str, list[str]]:
    """Due and mastered per topic, when a progress database exists."""
    if not setup.env.db_path.exists():
        return {}
    from k8squiz.progress.stats import due_by_topic

    with _store(setup.env) as store:
        figures = due_by_topic(setup.library, store.card_states(), setup.env.now())
    return {
        setup.words("due_now"): [str(t.due_now) for t in figures],
        setup.words("mastered"): [f"{t.mastered}/{t.cards}" for t in figures],
    }


@app.command(cls=HelpCommand)
def quiz(
    topic: TopicOption = None,
    tag: TagOption = None,
    count: Annotated[int, typer.Option("-n", "--count", min=1, help="How many questions.")] = 10,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="Ask the same questions in the same order again.",
            show_default=False,
            callback=_stored_int,
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
    practice: Annotated[
        bool,
        typer.Option(
            "--practice",
            help="Cram without touching your review schedule: answers are saved, but not as"
            " reviews, so no card's next review moves.",
        ),
    ] = False,
    cert: CertOption = None,
    domain: DomainOption = None,
    lang: LangOption = None,
    deck: DeckOption = None,
    json_out: JsonOption = False,
) -> None:
    """A scored quiz: 10 questions by default, graded as you answer and saved as you go."""
    from k8squiz.modes.quiz import QuizOptions, run_quiz

    setup = _setup(Env(), deck, lang)
    options = QuizOptions(
        topics=tuple(topic or ()),
        tags=tuple(tag or ()),
        count=count,
        seed=seed,
        choices=choices,
        missed=missed,
        practice=practice,
        cert=cert.value if cert else None,
        domains=tuple(domain or ()),
        lang=setup.words.lang,
    )
    screen = _session_screen(setup.env, setup.words, to_stderr=json_out)
    with _store(setup.env) as store:
        outcome = run_quiz(setup.library, store, screen, options, now=setup.env.now)
    if json_out:
        from k8squiz.output import quiz_document
        from k8squiz.terminal.reports import json_document

        json_document(setup.env, quiz_document(setup.library, outcome))
    else:
        screen.quiz_summary(setup.library, outcome)
    raise typer.Exit(ExitStatus.INTERRUPTED if outcome.interrupted else ExitStatus.OK)


@app.command(cls=HelpCommand)
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
            callback=_a_retention,
            help="Desired retention: the chance to recall a card when due.",
        ),
    ] = 0.9,
    cert: CertOption = None,
    domain: DomainOption = None,
    lang: LangOption = None,
    deck: DeckOption = None,
) -> None:
    """Flashcards with spaced repetition (FSRS): the cards due today, then new ones."""
    from k8squiz.modes.study import StudyOptions, run_study

    setup = _setup(Env(), deck, lang)
    options = StudyOptions(
        topics=tuple(topic or ()),
        tags=tuple(tag or ()),
        new=new,
        limit=limit,
        lang=setup.words.lang,
        retention=retention,
        cert=cert.value if cert else None,
        domains=tuple(domain or ()),
    )
    screen = _session_screen(setup.env, setup.words)
    with _store(setup.env) as store:
        outcome = run_study(setup.library, store, screen, options, now=setup.env.now)
    if outcome.session_id is None:
        screen.nothing_due(outcome.upcoming)
    else:
        screen.study_summary(outcome)
    raise typer.Exit(ExitStatus.INTERRUPTED if outcome.interrupted else ExitStatus.OK)


@app.command(cls=HelpCommand)
def exam(
    cert: Annotated[
        Cert,
        typer.Option(
            "--cert",
            "-c",
            help="kcna, cka or ckad: the curriculum whose domains and weights the exam follows.",
            show_default=False,
        ),
    ],
    count: Annotated[
        int | None,
        typer.Option(
            "-n",
            "--count",
            min=1,
            help="How many questions (default: KCNA 60, as the real exam; CKA and CKAD 40).",
            show_default=False,
        ),
    ] = None,
    minutes: Annotated[
        int | None,
        typer.Option(
            "--minutes",
            min=1,
            help="The time limit (default: KCNA 90 for its 60 questions; otherwise 1.5 minutes"
            " a question, the real KCNA's pace).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Sit the same exam again.", show_default=False),
    ] = None,
    lang: LangOption = None,
    deck: DeckOption = None,
    json_out: JsonOption = False,
) -> None:
    """A timed mock exam weighted like the certification's curriculum, scored at the end.

    KCNA follows the real exam: multiple choice, 60 questions in 90 minutes, pass mark 75%.
    CKA and CKAD are hands-on exams (15-20 tasks at a command line in 2 hours); this is not a
    simulation of them but a knowledge check of their domains, weighted the same: 40
    questions in 60 minutes by default (the KCNA's pace), typed answers and commands, pass
    mark 66%. Nothing is graded until you submit; Enter skips, :f flags, :b goes back, :r
    lists the questions, :s submits; Ctrl-C abandons. Answers are saved but never move your
    review schedule.
    """
    from k8squiz.modes.exam import ExamOptions, run_exam
    from k8squiz.progress.records import ExamStatus
    from k8squiz.terminal.exam_screen import exam_view

    setup = _setup(Env(), deck, lang)
    options = ExamOptions(
        cert=cert.value, count=count, minutes=minutes, seed=seed, lang=setup.words.lang
    )
    view = exam_view(
        _session_screen(setup.env, setup.words, to_stderr=json_out), setup.env, to_stderr=json_out
    )
    with _store(setup.env) as store:
        outcome = run_exam(setup.library, store, view, options, now=setup.env.now)
    if json_out:
        from k8squiz.output import exam_document
        from k8squiz.terminal.reports import json_document

        json_document(setup.env, exam_document(outcome))
    else:
        view.exam_summary(outcome)
    abandoned = outcome.status is ExamStatus.ABANDONED
    raise typer.Exit(ExitStatus.INTERRUPTED if abandoned else ExitStatus.OK)


@app.command(cls=HelpCommand)
def history(
    limit: Annotated[
        int,
        typer.Option(
            "-n", "--limit", min=1, callback=_stored_int, help="How many sessions to show."
        ),
    ] = 20,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """List past quizzes and study sessions: date, topics, score. --json adds every answer."""
    from k8squiz.terminal import reports

    env = Env()
    with _store(env) as store:
        sessions = store.sessions(limit=limit)
        if json_out:
            from k8squiz.output import history_document

            answers = [(s, store.session_answers(s.id)) for s in sessions]
            return reports.json_document(env, history_document(answers))
    return reports.history(env, Words(env.lang(lang)), sessions)


@app.command(cls=HelpCommand)
def due(
    topic: TopicOption = None,
    deck: DeckOption = None,
    lang: LangOption = None,
) -> None:
    """Cards due per topic: now, by the end of today, and within the week."""
    from k8squiz.progress.stats import due_by_topic
    from k8squiz.terminal import dashboard

    setup = _setup(Env(), deck, lang)
    setup.library.select(topic or ())  # an unknown topic is an error
    with _store(setup.env) as store:
        figures = due_by_topic(setup.library, store.card_states(), setup.env.now(), topic or ())
    dashboard.due(setup.env, setup.words, figures)


@app.command(cls=HelpCommand)
def stats(
    topic: TopicOption = None,
    cert: Annotated[
        Cert | None,
        typer.Option(
            "--cert",
            help="Readiness for a certification instead: per domain, the share of its cards"
            " you are expected to recall (FSRS; unseen cards count as not recalled), the total"
            " weighted like the exam, the cards to study first and your last mock exams.",
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="With --cert: readiness on this day (YYYY-MM-DD, at noon), e.g. your exam's.",
            show_default=False,
        ),
    ] = None,
    deck: DeckOption = None,
    lang: LangOption = None,
    json_out: JsonOption = False,
) -> None:
    """Your progress: per topic (cards, seen, mastered = FSRS stability of 21 days or more,
    accuracy over 7 and 30 days, due now and tomorrow), your streak, reviews per day, cards
    due per day, retention against the 90% target, your weakest cards, commonest mistakes
    and last mock exams. With --cert: your readiness for that certification.
    """
    from k8squiz.progress.records import iso
    from k8squiz.progress.stats import compute
    from k8squiz.terminal import dashboard, reports

    if cert is not None:
        return _readiness(cert.value, on, deck, lang, json_out)
    if on is not None:
        raise UsageError("--on needs --cert", fix="e.g. k8squiz stats --cert kcna --on 2026-06-01")
    setup = _setup(Env(), deck, lang)
    setup.library.select(topic or ())
    now = setup.env.now()
    with _store(setup.env) as store:
        figures = compute(setup.library, store, now, topics=topic or (), lang=setup.words.lang)
    if json_out:
        from k8squiz.output import stats_document

        return reports.json_document(setup.env, stats_document(figures, iso(now)))
    return dashboard.stats(setup.env, setup.words, figures)


def _readiness(
    cert: str, on: str | None, deck: Sequence[Path] | None, lang: str | None, json_out: bool
) -> None:
    from k8squiz.curricula import load
    from k8squiz.progress.readiness import moment, readiness, weakest_command
    from k8squiz.progress.stats import exam_history
    from k8squiz.terminal import dashboard, reports

    setup = _setup(Env(), deck, lang)
    at = moment(on, setup.env.now())
    curriculum = load(cert)
    with _store(setup.env) as store:
        ready = readiness(
            setup.library, curriculum, store.card_states(), at, lang=setup.words.lang
        )
        exams = exam_history(store, cert)
    if json_out:
        from k8squiz.output import readiness_document

        document = readiness_document(ready, exams, weakest_command(ready))
        return reports.json_document(setup.env, document)
    return dashboard.readiness(setup.env, setup.words, curriculum, ready, exams)


progress_app = typer.Typer(
    help="Move your progress to another machine, or start over (with a backup).",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=HelpGroup,
)
app.add_typer(progress_app, name="progress")


@progress_app.command("export", cls=HelpCommand)
def progress_export(
    file: Annotated[Path, typer.Argument(help="The JSON file to write ('-' for stdout).")],
) -> None:
    """Write every session, answer and review to FILE (versioned JSON, one row per line)."""
    from msgspec.structs import asdict

    from k8squiz.progress import transfer
    from k8squiz.terminal import reports

    env = Env()
    to_stdout = str(file) == "-"
    with _store(env) as store:
        counts = transfer.export(store, _bytes_out(env) if to_stdout else file, env.now())
    say = reports.note if to_stdout else reports.say  # stdout holds the file itself
    say(env, Words(env.lang()), "exported", path=file, **asdict(counts))


@progress_app.command("import", cls=HelpCommand)
def progress_import(
    file: Annotated[
        Path,
        typer.Argument(help="A file written by 'k8squiz progress export' ('-' for stdin)."),
    ],
) -> None:
    """Merge a progress file into this machine's; importing the same file twice changes nothing."""
    from msgspec.structs import asdict

    from k8squiz.progress import transfer
    from k8squiz.terminal import reports

    env = Env()
    with _store(env) as store:
        source = _bytes_in(env) if str(file) == "-" else file
        counts = transfer.import_from(store, source)
    reports.say(env, Words(env.lang()), "imported", **asdict(counts))


@progress_app.command("reset", cls=HelpCommand)
def progress_reset(
    topic: TopicOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    deck: DeckOption = None,
) -> None:
    """Forget your progress (on some topics only, with --topic), after writing a backup."""
    from msgspec.structs import asdict

    from k8squiz.progress import transfer
    from k8squiz.terminal import reports

    env = Env()
    words = Words(env.lang())
    cards = {c.id for c in _setup(env, deck).library.select(topic)} if topic else None
    what = (
        words("reset_what_topics", topics=", ".join(topic)) if topic else words("reset_what_all")
    )
    if not yes and not reports.confirm(env, words("reset_confirm", what=what)):
        reports.say(env, words, "reset_cancelled")
        raise typer.Exit(ExitStatus.ERROR)
    with _store(env) as store:
        backup, counts = transfer.reset(store, cards, env.now())
    reports.say(env, words, "reset_done", path=backup, **asdict(counts))


def _bytes_out(env: Env) -> BinaryIO:
    """stdout for bytes (what was printed on it so far goes first)."""
    env.stdout.flush()
    return env.stdout.buffer


def _bytes_in(env: Env) -> BinaryIO:
    return env.stdin.buffer


export_app = typer.Typer(
    help="Write the decks for another program: Anki, for review on a phone.",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=HelpGroup,
)
app.add_typer(export_app, name="export")


@export_app.command("anki", cls=HelpCommand)
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
    from k8squiz.exports import anki
    from k8squiz.terminal import reports

    both = (lang or "").lower() == "both"
    setup = _setup(Env(), deck, None if both else lang)
    options = anki.AnkiOptions(
        topics=tuple(topic or ()),
        tags=tuple(tag or ()),
        cert=cert.value if cert else None,
        lang="both" if both else setup.words.lang,
        typed=typed,
    )
    exported = anki.export(setup.library, options, output, now=setup.env.now())
    for key, values in anki.report(exported):
        reports.say(setup.env, setup.words, key, **values)


BROKEN_PIPE = 141  # what a shell shows for a program its reader stopped (128 + SIGPIPE)


def main(argv: list[str] | None = None) -> None:
    """Run k8squiz; expected failures print one line and exit with their status."""
    from k8squiz.terminal.console import standard_streams

    args = sys.argv[1:] if argv is None else argv
    help_text.use(_help_lang(args))
    with standard_streams():
        status = _run(args, debug="--debug" in args)
    raise SystemExit(status)


def _run(args: list[str], *, debug: bool) -> int:
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
        return _failure(exc, debug=debug)
    return int(status or 0)


def _failure(exc: Exception, *, debug: bool) -> int:
    from k8squiz.terminal.console import OutputError, error

    if isinstance(exc, OutputError) and exc.broken_pipe:
        return BROKEN_PIPE
    if _is_usage_error(exc):
        return _usage_error(exc)
    error(Env(), exc, debug=debug)
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
        sys.stderr.write(safe(shown.getvalue(), multiline=True))
        sys.stderr.flush()
    return int(exc.exit_code)  # type: ignore[attr-defined]
