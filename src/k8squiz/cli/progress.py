"""Commands about the learner's progress: history, due, stats, and the progress group
(export, import, reset)."""

# No `from __future__ import annotations` here: Typer reads each command's annotations at
# run time, and evaluating them from strings costs a quiz a tenth of its own start-up.

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from k8squiz.cli.app import (
    Cert,
    DeckOption,
    JsonOption,
    LangOption,
    TopicOption,
    app,
    stored_int,
)
from k8squiz.cli.common import open_store, prepare
from k8squiz.env import Env
from k8squiz.errors import ExitStatus, UsageError
from k8squiz.i18n import Said, Words
from k8squiz.terminal.help import HelpCommand, HelpGroup

if TYPE_CHECKING:
    from k8squiz.progress import transfer


@app.command(cls=HelpCommand, short_help="Your past quizzes, study sessions and exams.")
def history(
    limit: Annotated[
        int,
        typer.Option(
            "-n", "--limit", min=1, callback=stored_int, help="How many sessions to show."
        ),
    ] = 20,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """List past quizzes, study sessions and exams: date, topics, score. --json adds every
    answer."""
    from k8squiz.terminal import reports

    env = Env()
    with open_store(env) as store:
        sessions = store.sessions(limit=limit)
        if json_out:
            from k8squiz.output import history_document

            answers = [(s, store.session_answers(s.id)) for s in sessions]
            return reports.json_document(env, history_document(answers))
    return reports.history(env, Words(env.lang(lang)), sessions)


@app.command(cls=HelpCommand, short_help="Cards due per topic: now, today, this week.")
def due(
    topic: TopicOption = None,
    deck: DeckOption = None,
    lang: LangOption = None,
) -> None:
    """Cards due per topic: now, by the end of today, and within the week."""
    from k8squiz.progress.stats import due_by_topic
    from k8squiz.terminal import dashboard

    setup = prepare(Env(), deck, lang)
    setup.library.select(topic or ())  # an unknown topic is an error
    with open_store(setup.env) as store:
        figures = due_by_topic(setup.library, store.card_states(), setup.env.now(), topic or ())
    dashboard.due(setup.env, setup.words, figures)


@app.command(cls=HelpCommand, short_help="Your progress, streak and weak spots; --cert readiness.")
def stats(
    topic: TopicOption = None,
    cert: Annotated[
        Cert | None,
        typer.Option(
            "--cert",
            "-c",
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
        if topic:  # readiness counts every card of the certification, whatever its topic
            fix = Said("topic_with_cert_fix", {"cert": cert.value})
            raise UsageError(Said("topic_with_cert"), fix=fix)
        return _readiness(cert.value, on, deck, lang, json_out)
    if on is not None:
        raise UsageError(Said("on_needs_cert"), fix=Said("on_needs_cert_fix"))
    setup = prepare(Env(), deck, lang)
    setup.library.select(topic or ())
    now = setup.env.now()
    with open_store(setup.env) as store:
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

    setup = prepare(Env(), deck, lang)
    at = moment(on, setup.env.now())
    curriculum = load(cert)
    with open_store(setup.env) as store:
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
    short_help="Export, import or reset your progress.",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=HelpGroup,
)


app.add_typer(progress_app, name="progress")


@progress_app.command("export", cls=HelpCommand, short_help="Write your progress to a file.")
def progress_export(
    file: Annotated[Path, typer.Argument(help="The JSON file to write ('-' for stdout).")],
) -> None:
    """Write every session, answer and review to FILE (versioned JSON, one row per line).

    An earlier export at FILE is replaced; any other file is left as it is.
    """

    from k8squiz.progress import transfer
    from k8squiz.terminal import reports

    env = Env()
    to_stdout = str(file) == "-"
    with open_store(env) as store:
        counts = transfer.export(store, _bytes_out(env) if to_stdout else file, env.now())
    words = Words(env.lang())
    what = _counted(words, counts)
    if to_stdout:  # stdout holds the file itself
        reports.note(env, words, "exported_stdout", what=what)
    else:
        reports.say(env, words, "exported", path=file, what=what)


@progress_app.command(
    "import",
    cls=HelpCommand,
    short_help="Merge a progress file into this machine's.",
)
def progress_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="A file written by 'k8squiz progress export' ('-' for stdin), or the backup"
            " 'k8squiz progress reset' wrote (importing it undoes the reset)."
        ),
    ],
) -> None:
    """Merge a progress file into this machine's; importing the same file twice changes nothing."""

    from k8squiz.progress import transfer
    from k8squiz.terminal import reports

    env = Env()
    with open_store(env) as store:
        source = _bytes_in(env) if str(file) == "-" else file
        counts = transfer.import_from(store, source)
    words = Words(env.lang())
    what = _counted(words, counts)
    if counts.known:
        known = words("records_count", n=counts.known)
        reports.say(env, words, "imported_known", what=what, known=known)
    else:
        reports.say(env, words, "imported", what=what)


@progress_app.command(
    "reset",
    cls=HelpCommand,
    short_help="Forget your progress, after writing a backup.",
)
def progress_reset(
    topic: TopicOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    deck: DeckOption = None,
) -> None:
    """Forget your progress (on some topics only, with --topic), after writing a backup."""
    import shlex

    from k8squiz.progress import transfer
    from k8squiz.terminal import reports

    env = Env()
    words = Words(env.lang())
    cards = {c.id for c in prepare(env, deck).library.select(topic)} if topic else None
    what = (
        words("reset_what_topics", topics=", ".join(topic)) if topic else words("reset_what_all")
    )
    if not yes and not reports.confirm(env, words, words("reset_confirm", what=what)):
        reports.say(env, words, "reset_cancelled")
        raise typer.Exit(ExitStatus.ERROR)
    with open_store(env) as store:
        backup, counts = transfer.reset(store, cards, env.now())
    undo = shlex.join(["k8squiz", "progress", "import", str(backup)])  # keeps what comes after
    what = _counted(words, counts)
    reports.say(env, words, "reset_done", path=backup, undo=undo, what=what)


def _counted(words: Words, counts: "transfer.Counts") -> str:
    """`2 sessions, 1 answer and 5 reviews`."""
    return words.counted(sessions=counts.sessions, answers=counts.answers, reviews=counts.reviews)


def _bytes_out(env: Env) -> BinaryIO:
    """stdout for bytes (what was printed on it so far goes first)."""
    env.stdout.flush()
    return env.stdout.buffer


def _bytes_in(env: Env) -> BinaryIO:
    return env.stdin.buffer
