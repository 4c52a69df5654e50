"""The session commands: quiz, study and exam."""

# No `from __future__ import annotations` here: Typer reads each command's annotations at
# run time, and evaluating them from strings costs a quiz a tenth of its own start-up.

from typing import Annotated

import typer

from k8squiz.cli.app import (
    Cert,
    CertOption,
    DeckOption,
    DomainOption,
    JsonOption,
    LangOption,
    TagOption,
    TopicOption,
    a_retention,
    app,
    stored_int,
)
from k8squiz.cli.common import again_command, open_store, prepare_to_grade, session_screen
from k8squiz.cli.quick import QuizArgs, run_quiz_command
from k8squiz.env import Env
from k8squiz.errors import ExitStatus
from k8squiz.terminal.help import HelpCommand

# An exam's size and time, at most: far past any real one, and within what is stored.
EXAM_MOST_QUESTIONS = 1_000
EXAM_MOST_MINUTES = 10_000  # about a week


@app.command(cls=HelpCommand, short_help="A scored quiz, graded and saved as you answer.")
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
            callback=stored_int,
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
    given = QuizArgs(
        topic=tuple(topic or ()),
        tag=tuple(tag or ()),
        count=count,
        seed=seed,
        choices=choices,
        missed=missed,
        practice=practice,
        cert=cert.value if cert else None,
        domain=tuple(domain or ()),
        lang=lang,
        deck=tuple(deck or ()),
        json_out=json_out,
    )
    raise typer.Exit(run_quiz_command(given))


@app.command(cls=HelpCommand, short_help="Flashcards with spaced repetition (FSRS).")
def study(
    topic: TopicOption = None,
    tag: TagOption = None,
    new: Annotated[
        int, typer.Option("--new", min=0, help="New cards a day, counted across sessions.")
    ] = 20,
    limit: Annotated[
        int | None,
        typer.Option(
            "-n", "--limit", min=1, help="Stop after this many cards.", show_default=False
        ),
    ] = None,
    retention: Annotated[
        float,
        typer.Option(
            "--retention",
            min=0.7,
            max=0.99,
            callback=a_retention,
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

    setup = prepare_to_grade(Env(), deck, lang)
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
    screen = session_screen(setup.env, setup.words)
    with open_store(setup.env) as store:
        outcome = run_study(setup.library, store, screen, options, now=setup.env.now)
    if outcome.session_id is None:
        screen.nothing_due(outcome.upcoming)
    else:
        screen.study_summary(outcome)
    raise typer.Exit(ExitStatus.INTERRUPTED if outcome.interrupted else ExitStatus.OK)


@app.command(cls=HelpCommand, short_help="A timed mock exam for KCNA, CKA or CKAD.")
def exam(
    ctx: typer.Context,
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
            max=EXAM_MOST_QUESTIONS,
            help="How many questions (default: KCNA 60, as the real exam; CKA and CKAD 40).",
            show_default=False,
        ),
    ] = None,
    minutes: Annotated[
        int | None,
        typer.Option(
            "--minutes",
            min=1,
            max=EXAM_MOST_MINUTES,
            help="The time limit (default: KCNA 90 for its 60 questions; otherwise 1.5 minutes"
            " a question, the real KCNA's pace).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Sit the same exam again.", show_default=False, callback=stored_int
        ),
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

    setup = prepare_to_grade(Env(), deck, lang)
    options = ExamOptions(
        cert=cert.value, count=count, minutes=minutes, seed=seed, lang=setup.words.lang
    )
    view = exam_view(
        session_screen(setup.env, setup.words, to_stderr=json_out), setup.env, to_stderr=json_out
    )
    with open_store(setup.env) as store:
        outcome = run_exam(setup.library, store, view, options, now=setup.env.now)
    if json_out:
        from k8squiz.output import exam_document
        from k8squiz.terminal.reports import json_document

        json_document(setup.env, exam_document(outcome))
    else:
        again = again_command("exam", ctx.command.params, ctx.params, outcome.plan.seed)
        view.exam_summary(outcome, again)
    abandoned = outcome.status is ExamStatus.ABANDONED
    raise typer.Exit(ExitStatus.INTERRUPTED if abandoned else ExitStatus.OK)
