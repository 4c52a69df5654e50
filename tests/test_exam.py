"""The mock exam runner, driven in-process by a scripted screen and a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from k8squiz.curricula import Curriculum
from k8squiz.modes.exam import (
    Board,
    ExamOptions,
    ExamOutcome,
    ExamPlan,
    ExamQuestion,
    Move,
    TimeUpError,
    parse,
    run_exam,
)
from k8squiz.progress.records import ExamStatus
from k8squiz.progress.store import Store
from tests._builders import count, db_path, query
from tests.test_exam_plan import KCNA, kcna_library

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
LIBRARY = kcna_library(10)
RIGHT, WRONG = "<right>", "<wrong>"  # script words: the card's answer, or a wrong one

Step = str | type[BaseException] | Callable[[], None]


class Clock:
    """The exam's clock: still unless a script step moves it."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> Callable[[], None]:
        def step() -> None:
            self.now += timedelta(minutes=minutes)

        return step


class Scripted:
    """An exam screen that reads from a script and remembers what it was asked to show.

    A callable step runs (moving the clock, say) and the next step is read instead."""

    def __init__(self, *steps: Step, by_domain: dict[str, str] | None = None) -> None:
        self.steps: Iterator[Step] = iter(steps)
        self.by_domain = by_domain or {}
        self.shown: list[tuple[str, object]] = []

    def _next(self, question: ExamQuestion | None = None) -> str:
        if question is not None and question.domain in self.by_domain:
            return self._grade(question, self.by_domain[question.domain])
        while True:
            step = next(self.steps, EOFError)
            if isinstance(step, type):
                raise step
            if callable(step):
                step()
                continue
            return step if question is None else self._grade(question, step)

    @staticmethod
    def _grade(question: ExamQuestion, step: str) -> str:
        if step in (RIGHT, WRONG):
            return question.card.items[0] if step == RIGHT else "no idea"
        return step

    def what(self, kind: str) -> list[object]:
        return [value for shown, value in self.shown if shown == kind]

    def exam_intro(self, curriculum: Curriculum, plan: ExamPlan) -> None:
        self.shown.append(("intro", len(plan)))

    def begin(self, deadline: datetime, board: Board) -> None:
        self.shown.append(("begin", deadline))

    def end(self) -> None:
        self.shown.append(("end", None))

    def exam_question(self, question: ExamQuestion, board: Board, given: str | None) -> None:
        self.shown.append(("question", question.number))
        self.shown.append(("so-far", given))

    def read_exam_answer(self, question: ExamQuestion, board: Board) -> str:
        return self._next(question)

    def not_an_option(self, given: str, count: int) -> None:
        self.shown.append(("not-an-option", given))

    def flag_changed(self, number: int, flagged: bool) -> None:
        self.shown.append(("flag", (number, flagged)))

    def exam_help(self) -> None:
        self.shown.append(("help", None))

    def unknown_command(self, given: str) -> None:
        self.shown.append(("unknown", given))

    def no_such_question(self, number: int, total: int) -> None:
        self.shown.append(("no such question", (number, total)))

    def review(self, board: Board) -> None:
        self.shown.append(("review", (board.unanswered, tuple(sorted(board.flagged)))))

    def read_review(self, board: Board) -> str:
        return self._next()

    def confirm_submit(self, board: Board) -> bool:
        self.shown.append(("confirm-submit", len(board.unanswered)))
        return self._next() == "y"

    def confirm_abandon(self) -> bool:
        self.shown.append(("confirm-abandon", None))
        return self._next() == "y"

    def time_up(self) -> None:
        self.shown.append(("time-up", None))


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    with Store.open(db_path(home)) as opened:
        yield opened


def sit(
    store: Store, screen: Scripted, clock: Clock | None = None, **options: object
) -> ExamOutcome:
    chosen = ExamOptions(**{"cert": "kcna", "count": 4, "seed": 5, **options})  # type: ignore[arg-type]
    return run_exam(LIBRARY, store, screen, chosen, now=clock or Clock())


def asked(screen: Scripted) -> list[object]:
    return screen.what("question")


class TestAnswering:
    def test_answers_are_graded_silently_and_saved_with_their_domain(self, store: Store) -> None:
        """Four answers, nothing said about them until the end; each saved with its domain."""
        outcome = sit(store, Scripted(RIGHT, WRONG, RIGHT, RIGHT))
        assert outcome.status is ExamStatus.SUBMITTED
        assert (outcome.result.correct, outcome.result.answered) == (3, 4)
        saved = store.session_answers(outcome.session_id)
        assert {a.card_id: a.domain for a in saved} == {
            q.card.id: q.domain for q in outcome.plan.questions
        }

    def test_an_exam_writes_no_review_and_moves_no_card(self, store: Store, home: Path) -> None:
        """Exam answers are answers only: no FSRS review, no card state."""
        sit(store, Scripted(RIGHT, WRONG, RIGHT, RIGHT))
        assert count(db_path(home), "answers") == 4
        assert count(db_path(home), "reviews") == 0
        assert count(db_path(home), "card_states") == 0

    def test_the_session_is_an_exam_with_its_certification_and_status(self, store: Store) -> None:
        """The session is saved as kind exam, with its cert, pass mark, time limit and status."""
        outcome = sit(store, Scripted(RIGHT, RIGHT, RIGHT, RIGHT))
        [session] = store.sessions("exam")
        assert (session.id, session.cert, session.status) == (
            outcome.session_id,
            "kcna",
            "submitted",
        )
        assert (session.pass_mark, session.time_limit, session.planned) == (75, 6 * 60, 4)
        assert session.passed is True

    def test_a_letter_that_names_no_option_is_asked_again(self, store: Store) -> None:
        """'z' on a four-option question is refused and the question asked again."""
        screen = Scripted("z", "a", "", "", "")
        outcome = sit(store, screen)
        assert screen.what("not-an-option") == ["z"]
        assert outcome.result.answered == 1

    def test_changing_an_answer_replaces_it(self, store: Store) -> None:
        """Back to question 1 and a new answer: one saved answer for it, the new one."""
        outcome = sit(store, Scripted(WRONG, ":b", RIGHT, "", "", ""))
        saved = store.session_answers(outcome.session_id)
        assert len(saved) == 1
        assert saved[0].correct

    def test_an_answer_already_given_is_shown_when_coming_back(self, store: Store) -> None:
        """Going back shows the answer given so far beside the question."""
        screen = Scripted("a", ":b")
        sit(store, screen)
        assert screen.what("so-far")[-1] is not None


class TestMoving:
    def test_skip_flag_and_review_lead_back_to_what_is_left(self, store: Store) -> None:
        """Skip 1, flag and answer 2, answer 3 and 4: the review lists 1 unanswered and 2
        flagged; Enter goes to 1, then to 2, then back to the review; s submits."""
        screen = Scripted("", ":f", RIGHT, RIGHT, RIGHT, "", RIGHT, RIGHT, "s", "y")
        outcome = sit(store, screen)
        assert asked(screen) == [1, 2, 3, 4, 1, 2]
        assert screen.what("flag") == [(2, True)]
        assert screen.what("review")[0] == ((1,), (2,))
        assert screen.what("confirm-submit") == [0]
        assert outcome.status is ExamStatus.SUBMITTED
        assert outcome.result.answered == 4

    def test_submitting_early_says_how_many_are_unanswered(self, store: Store) -> None:
        """:s after one answer asks first, counting three unanswered; no keeps the exam going."""
        screen = Scripted(RIGHT, ":s", "n", ":s", "y")
        outcome = sit(store, screen)
        assert screen.what("confirm-submit") == [3, 3]
        assert outcome.status is ExamStatus.SUBMITTED
        assert (outcome.result.correct, len(outcome.result.missed)) == (1, 3)

    def test_going_to_a_question_by_number(self, store: Store) -> None:
        """:3 shows question 3; a number out of range says which numbers there are."""
        screen = Scripted(":3", ":9")
        sit(store, screen)
        assert asked(screen) == [1, 3]
        assert screen.what("unknown") == []
        assert screen.what("no such question") == [(9, 4)]

    def test_next_unanswered_and_next_flagged(self, store: Store) -> None:
        """:u goes to the next unanswered after this one; :m to the next flagged."""
        screen = Scripted(":f", RIGHT, RIGHT, ":u", ":m")
        sit(store, screen)
        assert asked(screen) == [1, 2, 3, 4, 1]

    def test_help_and_flags_do_not_draw_the_question_again(self, store: Store) -> None:
        """:h and :f answer in place; an unknown command says so."""
        screen = Scripted(":h", ":f", ":f", ":x")
        sit(store, screen)
        assert asked(screen) == [1]
        assert screen.what("flag") == [(1, True), (1, False)]
        assert (screen.what("help"), screen.what("unknown")) == ([None], [":x"])

    def test_the_end_of_input_submits(self, store: Store) -> None:
        """Input that ends after one answer submits the exam; the rest count as wrong."""
        outcome = sit(store, Scripted(RIGHT))
        assert outcome.status is ExamStatus.SUBMITTED
        assert (outcome.result.correct, outcome.result.percent) == (1, 25.0)


class TestTime:
    def test_the_exam_is_submitted_when_time_runs_out(self, store: Store) -> None:
        """An answer typed after the limit is not saved; the exam ends as timed out."""
        clock = Clock()
        screen = Scripted(RIGHT, clock.advance(5), RIGHT, clock.advance(2), RIGHT, RIGHT)
        outcome = sit(store, screen, clock)
        assert outcome.status is ExamStatus.TIMED_OUT
        assert screen.what("time-up") == [None]
        assert outcome.result.answered == 2
        assert outcome.seconds == 6 * 60
        assert store.sessions("exam")[0].status == "timed-out"

    def test_a_screen_may_stop_waiting_when_time_is_up(self, store: Store) -> None:
        """TimeUpError from the screen (a terminal's alarm) times the exam out too."""
        outcome = sit(store, Scripted(RIGHT, TimeUpError))
        assert outcome.status is ExamStatus.TIMED_OUT
        assert outcome.result.answered == 1

    def test_the_time_limit_is_the_curriculums_pace_or_the_option(self, store: Store) -> None:
        """Four KCNA questions get six minutes; --minutes sets another limit."""
        screen = Scripted()
        sit(store, screen)
        assert screen.what("begin") == [NOW + timedelta(minutes=6)]
        screen = Scripted()
        sit(store, screen, minutes=1)
        assert screen.what("begin") == [NOW + timedelta(minutes=1)]


class TestStopping:
    def test_ctrl_c_asks_and_abandons_keeping_the_answers(self, store: Store) -> None:
        """Ctrl-C, then yes: abandoned, the answer given kept, nothing scored as passed."""
        screen = Scripted(RIGHT, KeyboardInterrupt, "y")
        outcome = sit(store, screen)
        assert outcome.status is ExamStatus.ABANDONED
        assert screen.what("confirm-abandon") == [None]
        assert len(store.session_answers(outcome.session_id)) == 1
        [session] = store.sessions("exam")
        assert (session.status, session.passed) == ("abandoned", None)

    def test_ctrl_c_then_no_goes_on_with_the_same_question(self, store: Store) -> None:
        """Declining to abandon shows the question again and the exam goes on."""
        screen = Scripted(KeyboardInterrupt, "n", RIGHT)
        outcome = sit(store, screen)
        assert asked(screen)[:2] == [1, 1]
        assert outcome.status is ExamStatus.SUBMITTED

    def test_ctrl_c_at_the_question_to_abandon_abandons(self, store: Store) -> None:
        """A second Ctrl-C while asked whether to abandon abandons."""
        outcome = sit(store, Scripted(KeyboardInterrupt, KeyboardInterrupt))
        assert outcome.status is ExamStatus.ABANDONED

    def test_the_countdown_ends_whatever_ends_the_exam(self, store: Store) -> None:
        """The screen's end() is called after a submit, a time-out and an abandon alike."""
        for steps in ((RIGHT,), (TimeUpError,), (KeyboardInterrupt, "y")):
            screen = Scripted(*steps)
            sit(store, screen)
            assert screen.what("end") == [None]


class TestResult:
    def test_each_domain_is_scored_against_the_pass_mark(self, store: Store) -> None:
        """Per domain: questions asked and right; the weakest is the lowest scored."""
        answers = {**dict.fromkeys(KCNA, WRONG), "kubernetes-fundamentals": RIGHT}
        outcome = sit(store, Scripted(by_domain=answers), count=10)
        domains = {d.domain: (d.questions, d.correct) for d in outcome.result.domains}
        assert domains == dict(zip(KCNA, ((4, 4), (3, 0), (2, 0), (1, 0)), strict=True))
        wrong = [q.question.domain for q in outcome.result.missed]
        assert len(wrong) == 6
        weakest = outcome.result.weakest
        assert weakest is not None
        assert weakest.domain == "container-orchestration"  # 0/3 ties 0/2 and 0/1: heaviest
        assert outcome.next_command == (
            "k8squiz study --cert kcna --domain container-orchestration"
        )

    def test_a_perfect_exam_passes_and_studies_the_whole_certification(self, store: Store) -> None:
        """All right: pass, no weakest domain, the next command studies all of KCNA."""
        outcome = sit(store, Scripted(RIGHT, RIGHT, RIGHT, RIGHT))
        assert outcome.result.passed
        assert outcome.result.weakest is None
        assert outcome.next_command == "k8squiz study --cert kcna"

    def test_readiness_comes_with_the_result(self, store: Store) -> None:
        """The outcome carries today's readiness for the certification (0 with no reviews)."""
        outcome = sit(store, Scripted(RIGHT))
        assert outcome.readiness.cert == "kcna"
        assert outcome.readiness.total == 0.0


class TestParse:
    @pytest.mark.parametrize(
        ("text", "move", "number"),
        [
            ("", Move.SKIP, 0),
            ("  ", Move.SKIP, 0),
            ("kubelet", Move.ANSWER, 0),
            ("f", Move.ANSWER, 0),  # t/f is an answer to a true/false question
            (":f", Move.FLAG, 0),
            (": flag", Move.FLAG, 0),
            (":marcar", Move.FLAG, 0),
            (":B", Move.BACK, 0),
            (":12", Move.GOTO, 12),
            (":s", Move.SUBMIT, 0),
            ("?", Move.HELP, 0),
            (":what", Move.UNKNOWN, 0),
            ("/etc/kubernetes/manifests", Move.ANSWER, 0),
        ],
    )
    def test_a_line_at_a_question(self, text: str, move: Move, number: int) -> None:
        """Commands start with ':'; anything else, a path or a single letter included, answers."""
        action = parse(text)
        assert (action.move, action.number) == (move, number)

    @pytest.mark.parametrize(
        ("text", "move"),
        [
            ("", Move.SKIP),
            ("7", Move.GOTO),
            ("s", Move.SUBMIT),
            ("u", Move.UNANSWERED),
            ("m", Move.FLAGGED),
            (":s", Move.SUBMIT),
            ("x", Move.UNKNOWN),
        ],
    )
    def test_a_line_in_the_review(self, text: str, move: Move) -> None:
        """In the review list every line is a command, with or without ':'."""
        assert parse(text, review=True).move is move


def test_no_answer_row_is_left_without_its_session(store: Store, home: Path) -> None:
    """Every exam answer points at an exam session (the migration kept foreign keys on)."""
    sit(store, Scripted(RIGHT, RIGHT))
    rows = query(
        db_path(home), "SELECT s.kind FROM answers a JOIN sessions s ON s.id = a.session_id"
    )
    assert rows == [("exam",), ("exam",)]
    assert query(db_path(home), "PRAGMA foreign_key_check") == []
