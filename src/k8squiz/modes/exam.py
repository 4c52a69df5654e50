"""A mock exam: questions weighted like the curriculum, a time limit, no feedback until the end.

The paper (`exam_paper`) draws the questions. The runner asks them in any order the learner
likes: an empty line skips, `:f` flags, `:b` goes back, `:12` goes to question 12, `:r` lists
them all, `:s` submits after a confirmation. Its clock is injected and checked between
answers, so a time limit holds from a pipe too; a screen at a terminal may also raise
`TimeUpError` while it waits. The end of input submits; Ctrl-C asks whether to abandon.

Answers are saved as they are given, with the domain they were asked for, but they are never
FSRS reviews: a mock exam does not move a card's schedule. The runner gets its screen passed
in (anything with the `ExamScreen` methods) and returns an `ExamOutcome`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

import msgspec.structs
from msgspec import Struct

from k8squiz.curricula import Curriculum, load, study_command
from k8squiz.decks.library import Library
from k8squiz.errors import EmptySelectionError, unreachable
from k8squiz.grading import Grader, Verdict, names_no_option
from k8squiz.modes.exam_paper import (
    ExamOptions,
    ExamPlan,
    ExamQuestion,
    ExamResult,
    QuestionResult,
    plan_exam,
    score,
)
from k8squiz.progress.readiness import Readiness, readiness
from k8squiz.progress.records import AnswerRecord, ExamStatus, SessionInfo, answer_record
from k8squiz.progress.store import Store


class TimeUpError(Exception):
    """The exam's time ran out while the screen waited for an answer."""


class Board(Struct, frozen=True):
    """Where the exam stands, for the screen: answered, flagged, and the time left."""

    total: int
    answered: frozenset[int]
    flagged: frozenset[int]
    left: timedelta

    @property
    def unanswered(self) -> tuple[int, ...]:
        return tuple(n for n in range(1, self.total + 1) if n not in self.answered)


class ExamScreen(Protocol):
    """What an exam needs from a screen."""

    def exam_intro(self, curriculum: Curriculum, plan: ExamPlan) -> None: ...

    def begin(self, deadline: datetime, board: Board) -> None:
        """The exam starts: a screen at a terminal shows a countdown until `end`."""
        ...

    def end(self) -> None: ...

    def exam_question(self, question: ExamQuestion, board: Board, given: str | None) -> None: ...

    def read_exam_answer(self, question: ExamQuestion, board: Board) -> str:
        """An answer or a command; EOFError, KeyboardInterrupt, or TimeUpError."""
        ...

    def not_an_option(self, given: str, count: int) -> None: ...

    def flag_changed(self, number: int, flagged: bool) -> None: ...

    def exam_help(self) -> None: ...

    def unknown_command(self, given: str) -> None: ...

    def no_such_question(self, number: int, total: int) -> None: ...

    def review(self, board: Board) -> None: ...

    def read_review(self, board: Board) -> str:
        """A question number or a command; EOFError, KeyboardInterrupt, or TimeUpError."""
        ...

    def confirm_submit(self, board: Board) -> bool: ...

    def confirm_abandon(self) -> bool: ...

    def time_up(self) -> None: ...


# What a line typed during an exam asks for


class Move(Enum):
    ANSWER = "answer"
    SKIP = "skip"  # an empty line: the next question (in the review: the next to review)
    FLAG = "flag"
    BACK = "back"
    GOTO = "goto"
    UNANSWERED = "unanswered"
    FLAGGED = "flagged"
    REVIEW = "review"
    SUBMIT = "submit"
    HELP = "help"
    UNKNOWN = "unknown"


COMMANDS = {
    **dict.fromkeys(("f", "flag", "marcar"), Move.FLAG),
    **dict.fromkeys(("b", "back", "voltar"), Move.BACK),
    **dict.fromkeys(("u", "unanswered", "pendentes"), Move.UNANSWERED),
    **dict.fromkeys(("m", "flagged", "marcadas"), Move.FLAGGED),
    **dict.fromkeys(("r", "review", "revisar"), Move.REVIEW),
    **dict.fromkeys(("s", "submit", "enviar"), Move.SUBMIT),
    **dict.fromkeys(("h", "?", "help", "ajuda"), Move.HELP),
}


class Action(Struct, frozen=True):
    move: Move
    text: str = ""
    number: int = 0


def parse(text: str, *, review: bool = False) -> Action:
    """A line typed at a question (commands start with ':') or in the review (no ':' needed)."""
    stripped = text.strip()
    if not stripped:
        return Action(Move.SKIP)
    if not (review or stripped.startswith(":") or stripped == "?"):
        return Action(Move.ANSWER, text)
    word = stripped.removeprefix(":").strip().lower()
    if word.isdigit():
        return Action(Move.GOTO, stripped, int(word))
    return Action(COMMANDS.get(word, Move.UNKNOWN), stripped)


class ExamOutcome(Struct, frozen=True):
    """A finished, timed-out or abandoned exam."""

    session_id: int
    curriculum: Curriculum
    plan: ExamPlan
    result: ExamResult
    status: ExamStatus
    started_at: datetime
    seconds: float  # time used, up to the limit
    readiness: Readiness  # for today, from the learner's FSRS memory
    lang: str

    @property
    def next_command(self) -> str:
        """Study the weakest domain (all of the certification when none was missed)."""
        weakest = self.result.weakest
        return study_command(self.plan.cert, weakest.domain if weakest else None)


# Running an exam


class _Exam(Struct):
    plan: ExamPlan
    grader: Grader
    store: Store
    screen: ExamScreen
    now: Callable[[], datetime]
    lang: str
    session_id: int
    deadline: datetime
    answers: dict[int, AnswerRecord]
    flagged: set[int]
    verdicts: dict[int, Verdict] = msgspec.field(default_factory=dict)  # the latest of each
    position: int | None = 0  # index of the question shown; None: the review list
    drawn: int | None = None  # the question on screen, asked again without drawing it again


def run_exam(
    library: Library,
    store: Store,
    screen: ExamScreen,
    options: ExamOptions,
    *,
    now: Callable[[], datetime],
) -> ExamOutcome:
    """Run an exam until it is submitted, times out or is abandoned; score what was given."""
    curriculum = load(options.cert)
    grader = Grader(library.cards)
    plan = plan_exam(library, curriculum, options, grader=grader)
    if not plan.questions:
        raise EmptySelectionError(
            f"no loaded card serves a {curriculum.short} domain",
            fix="map cards to the curriculum's domains with 'domains:' (see docs/decks.md)",
        )
    started = now()
    exam = _Exam(
        plan,
        grader,
        store,
        screen,
        now,
        options.lang,
        store.start_session(_info(plan, options), started),
        started + timedelta(minutes=plan.minutes),
        {},
        set(),
    )
    screen.exam_intro(curriculum, plan)
    screen.begin(exam.deadline, _board(exam))
    try:
        status = _loop(exam)
    finally:
        screen.end()
    ended = min(now(), exam.deadline)
    store.end_session(exam.session_id, ended, status)
    result = score(
        plan, curriculum, exam.answers, exam.flagged, options.lang, verdicts=exam.verdicts
    )
    ready = readiness(library, curriculum, store.card_states(), now(), lang=options.lang)
    used = (ended - started).total_seconds()
    return ExamOutcome(
        exam.session_id, curriculum, plan, result, status, started, used, ready, options.lang
    )


def _info(plan: ExamPlan, options: ExamOptions) -> SessionInfo:
    return SessionInfo(
        "exam",
        (),
        (),
        "exam",
        len(plan),
        options.lang,
        plan.seed,
        cert=plan.cert,
        time_limit=plan.minutes * 60,
        pass_mark=plan.pass_mark,
    )


def _loop(exam: _Exam) -> ExamStatus:
    """Questions and the review list until the exam ends one way or another."""
    while True:
        try:
            if exam.now() >= exam.deadline:
                raise TimeUpError
            if _step(exam):
                return ExamStatus.SUBMITTED
        except EOFError:
            return ExamStatus.SUBMITTED
        except TimeUpError:
            exam.screen.time_up()
            return ExamStatus.TIMED_OUT
        except KeyboardInterrupt:
            if _abandon(exam):
                return ExamStatus.ABANDONED
            exam.drawn = None


def _abandon(exam: _Exam) -> bool:
    try:
        return exam.screen.confirm_abandon()
    except (KeyboardInterrupt, EOFError):
        return True


def _step(exam: _Exam) -> bool:
    """Show one question (or the review list) and act on what was typed; True to submit."""
    if exam.position is None:
        exam.screen.review(_board(exam))
        action = parse(exam.screen.read_review(_board(exam)), review=True)
    else:
        action = _ask(exam, exam.plan.questions[exam.position])
    if exam.now() >= exam.deadline:
        raise TimeUpError  # an answer typed after the time ran out does not count
    if action.move is Move.GOTO and not 1 <= action.number <= len(exam.plan):
        action = Action(Move.UNKNOWN, action.text, action.number)
    if action.move not in (Move.FLAG, Move.HELP, Move.UNKNOWN):
        exam.drawn = None
    return _act(exam, action)


def _ask(exam: _Exam, question: ExamQuestion) -> Action:
    if exam.drawn != exam.position:
        given = exam.answers.get(question.number)
        exam.screen.exam_question(question, _board(exam), given.given if given else None)
        exam.drawn = exam.position
    started = time.monotonic()
    while True:
        action = parse(exam.screen.read_exam_answer(question, _board(exam)))
        text = action.text
        if action.move is not Move.ANSWER or not names_no_option(text, question.options):
            break
        exam.screen.not_an_option(text, len(question.options))
    if action.move is Move.ANSWER and exam.now() < exam.deadline:
        _save(exam, question, text, time.monotonic() - started)
    return action


def _save(exam: _Exam, question: ExamQuestion, given: str, seconds: float) -> None:
    verdict = exam.grader.grade_choice(question.card, given, question.options, exam.lang)
    record = answer_record(question.card.id, question.topic, verdict, seconds, exam.now())
    exam.store.put_exam_answer(
        exam.session_id, msgspec.structs.replace(record, domain=question.domain)
    )
    before = exam.answers.get(question.number)
    spent = seconds + (before.seconds if before else 0.0)  # as the store adds them up
    exam.answers[question.number] = msgspec.structs.replace(
        record, domain=question.domain, seconds=spent
    )
    exam.verdicts[question.number] = verdict


def _act(exam: _Exam, action: Action) -> bool:
    """Move to where `action` leads; True when the learner confirmed submitting."""
    total, here = len(exam.plan), exam.position
    match action.move:
        case Move.ANSWER | Move.SKIP:
            exam.position = _next(exam, here) if here is not None else _first(exam, _pending)
            if here is None and exam.position is None:
                return exam.screen.confirm_submit(_board(exam))
        case Move.FLAG:
            _toggle_flag(exam)
        case Move.BACK:
            exam.position = max((here or 0) - 1, 0) if here is not None else total - 1
        case Move.GOTO:
            exam.position = action.number - 1
        case Move.UNANSWERED | Move.FLAGGED:
            wanted = _unanswered if action.move is Move.UNANSWERED else _is_flagged
            exam.position = (
                _first(exam, wanted, after=here) if here is not None else _first(exam, wanted)
            )
        case Move.REVIEW:
            exam.position = None
        case Move.SUBMIT:
            return exam.screen.confirm_submit(_board(exam))
        case Move.HELP:
            exam.screen.exam_help()
        case Move.UNKNOWN if action.number:
            exam.screen.no_such_question(action.number, total)
        case Move.UNKNOWN:
            exam.screen.unknown_command(action.text)
        case unknown:
            unreachable(unknown)
    return False


def _toggle_flag(exam: _Exam) -> None:
    if exam.position is None:
        exam.screen.unknown_command(":f")
        return
    number = exam.position + 1
    exam.flagged ^= {number}
    exam.screen.flag_changed(number, number in exam.flagged)


def _pending(exam: _Exam, index: int) -> bool:
    return _unanswered(exam, index) or _is_flagged(exam, index)


def _unanswered(exam: _Exam, index: int) -> bool:
    return index + 1 not in exam.answers


def _is_flagged(exam: _Exam, index: int) -> bool:
    return index + 1 in exam.flagged


def _next(exam: _Exam, index: int) -> int | None:
    """The next question still to do after `index`; None (the review list) when none is."""
    later = range(index + 1, len(exam.plan))
    return next((i for i in later if _pending(exam, i)), None)


def _first(
    exam: _Exam, wanted: Callable[[_Exam, int], bool], *, after: int | None = None
) -> int | None:
    """The first question `wanted` picks (after `after`, wrapping round); None if none."""
    total = len(exam.plan)
    start = 0 if after is None else after + 1
    order = [(start + k) % total for k in range(total)]
    return next((i for i in order if wanted(exam, i) and i != after), None)


def _board(exam: _Exam) -> Board:
    return Board(
        len(exam.plan),
        frozenset(exam.answers),
        frozenset(exam.flagged),
        max(exam.deadline - exam.now(), timedelta(0)),
    )


__all__ = [
    "Board",
    "ExamOptions",
    "ExamOutcome",
    "ExamPlan",
    "ExamQuestion",
    "ExamResult",
    "ExamScreen",
    "QuestionResult",
    "TimeUpError",
    "parse",
    "run_exam",
]
