"""What a mock exam shows, on any screen: the rules, each question, the review list, the result.

`ExamView` says it through a `Screen`'s primitives, so the same words come out as plain lines
from a pipe and as panels at a terminal. At a terminal it also keeps a countdown on the
bottom row (`StatusLine`) and stops waiting for an answer when the time runs out.
"""

from __future__ import annotations

import contextlib
import math
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TextIO

from k8squiz.decks.model import CardKind, card_text, mistake_reason
from k8squiz.env import Env
from k8squiz.grading import expected_text
from k8squiz.i18n import YES_WORDS
from k8squiz.modes.exam import Board, TimeUpError
from k8squiz.terminal.escape import safe
from k8squiz.terminal.screen import Screen, choice_hint, duration, points

if TYPE_CHECKING:
    from k8squiz.curricula import Curriculum
    from k8squiz.modes.exam import ExamOutcome, ExamPlan, ExamQuestion, QuestionResult


def clock_text(left: timedelta) -> str:
    """1:02:03, 12:05: whole seconds, rounded up, so 0:00 means the time is up."""
    minutes, seconds = divmod(max(math.ceil(left.total_seconds()), 0), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


StatusText = Callable[[timedelta, int], str]  # time left, columns -> the status line


class StatusLine:
    """The terminal's bottom row, kept for a countdown redrawn every second by a thread.

    A scroll region keeps everything else above it (the way apt shows its progress bar);
    the cursor is saved and restored around each redraw, so typing is never disturbed.
    """

    def __init__(self, out: TextIO, clock: Callable[[], datetime], *, reverse: bool) -> None:
        self.out = out
        self.clock = clock
        self.style = ("\x1b[7m", "\x1b[0m") if reverse else ("", "")
        self.text: StatusText = lambda left, _: clock_text(left)
        self.deadline: datetime | None = None
        self.rows = 0
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, deadline: datetime, text: StatusText) -> None:
        self.deadline, self.text = deadline, text
        self.rows = shutil.get_terminal_size().lines
        self._write(f"\n\x1b7\x1b[1;{self.rows - 1}r\x1b8\x1b[1A")
        self.draw()
        self.thread = threading.Thread(target=self._tick, name="exam-countdown", daemon=True)
        self.thread.start()

    def update(self, text: StatusText) -> None:
        self.text = text
        self.draw()

    def draw(self) -> None:
        if self.deadline is None:
            return
        size = shutil.get_terminal_size()
        if size.lines != self.rows:  # resized (which resets the margins): keep the row again,
            self.rows = size.lines  # first moving the text up a line if the cursor is on it
            self._write(f"\x1bD\x1b7\x1b[1;{self.rows - 1}r\x1b8\x1b[1A")
        width = size.columns - 1  # the last column would wrap on some terminals
        line = self.text(self.deadline - self.clock(), width)[:width]
        on, off = self.style
        self._write(f"\x1b7\x1b[{self.rows};1H\x1b[2K{on}{line}{off}\x1b8")

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=2)
        if self.deadline is not None:
            self._write(f"\x1b7\x1b[1;{self.rows}r\x1b8\x1b7\x1b[{self.rows};1H\x1b[2K\x1b8")
        self.deadline = None

    def _tick(self) -> None:
        while not self.stopped.wait(1.0):
            self.draw()

    def _write(self, text: str) -> None:
        with self.lock, contextlib.suppress(OSError, ValueError):
            self.out.write(text)
            self.out.flush()


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """TimeUpError in the main thread after `seconds`, even while it waits for input."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def time_up(signum: int, frame: object) -> None:
        raise TimeUpError

    before = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


class ExamView:
    """An exam on a screen; at a terminal, with a live countdown and a hard time limit."""

    def __init__(
        self,
        screen: Screen,
        clock: Callable[[], datetime],
        status: StatusLine | None = None,
        *,
        alarm: bool = False,
    ) -> None:
        self.screen = screen
        self.words = screen.words
        self.clock = clock
        self.status = status
        self.alarm = alarm  # stop waiting for input when the time runs out
        self.cert = ""
        self.deadline: datetime | None = None

    # before and around the questions

    def exam_intro(self, curriculum: Curriculum, plan: ExamPlan) -> None:
        words, exam = self.words, curriculum.exam
        self.cert = curriculum.short
        self.screen.line()
        self.screen.line((words("exam_title", cert=self.cert), "bold"))
        if curriculum.hands_on:
            low, high = exam.questions.min, exam.questions.max
            text = words(
                "exam_hands_on",
                cert=self.cert,
                low=low,
                high=high,
                real=exam.minutes,
                questions=curriculum.default_questions(),
            )
            self.screen.note(text, "yellow")
        else:
            same = (len(plan), plan.minutes) == (exam.questions.max, exam.minutes)
            real = words(
                "exam_real_same" if same else "exam_real",
                cert=self.cert,
                questions=exam.questions.max,
                minutes=exam.minutes,
            )
            self.screen.note(real)
        self.screen.line(
            (
                words(
                    "exam_format",
                    questions=words("questions_count", n=len(plan)),
                    minutes=words("minutes_count", n=plan.minutes),
                    pass_mark=plan.pass_mark,
                ),
                "bold",
            )
        )
        counts = [f"{d.name_in(self.words.lang)} {plan.wanted[d.id]}" for d in curriculum.domains]
        self.screen.note(f"{words('exam_domains')}: " + " · ".join(counts))
        for domain, missing in plan.shortfall().items():
            want = plan.wanted[domain]
            name = curriculum.domain(domain).name_in(self.words.lang)
            self.screen.note(
                words("exam_short", have=want - missing, domain=name, want=want), "yellow"
            )
        self.screen.note(words("exam_how"))

    def begin(self, deadline: datetime, board: Board) -> None:
        self.deadline = deadline
        if self.status is not None:
            self.status.start(deadline, self._status_text(board))

    def end(self) -> None:
        if self.status is not None:
            self.status.stop()

    def _status_text(self, board: Board) -> StatusText:
        """The status line's text for the time left and the width there is: its least needed
        parts (the help key, then flags, then answers) give way on a narrow terminal, so the
        time left is always whole."""
        words = self.words

        def text(left: timedelta, width: int) -> str:
            parts = [
                self.cert,
                words("exam_left", time=clock_text(left)),
                words("exam_answered", answered=len(board.answered), total=board.total),
                words("exam_flagged_count", n=len(board.flagged)),
                words("exam_help_key"),
            ]
            while len(parts) > 2 and len(" " + " · ".join(parts)) > width:
                parts.pop()
            return " " + " · ".join(parts)

        return text

    def _refresh(self, board: Board) -> None:
        if self.status is not None:
            self.status.update(self._status_text(board))

    # a question

    def exam_question(self, question: ExamQuestion, board: Board, given: str | None) -> None:
        self._refresh(board)
        words = self.words
        title = words("exam_question_of", n=question.number, total=board.total)
        if question.number in board.flagged:
            title += f" · {words('exam_flagged')}"
        if self.status is None:  # no countdown on screen: say the time left here
            title += f" · {words('exam_left', time=clock_text(board.left))}"
        self.screen.card_box(
            question.card, title, (len(board.answered), board.total), question.options
        )
        if given is not None:
            self.screen.line((f"{words('exam_answer_so_far')}: ", "bold"), (safe(given), ""))

    def read_exam_answer(self, question: ExamQuestion, board: Board) -> str:
        self._refresh(board)
        hint = self.words(choice_hint(question.options) if question.options else "exam_typed_hint")
        return self._read(self.words("exam_prompt", hint=hint))

    def not_an_option(self, given: str, count: int) -> None:
        self.screen.not_an_option(given, count)

    def flag_changed(self, number: int, flagged: bool) -> None:
        self.screen.note(
            self.words("exam_flag_on" if flagged else "exam_flag_off", n=number), "yellow"
        )

    def exam_help(self) -> None:
        self.screen.note(self.words("exam_help"), "")

    def unknown_command(self, given: str) -> None:
        self.screen.note(self.words("exam_unknown", given=safe(given)), "yellow")

    def no_such_question(self, number: int, total: int) -> None:
        self.screen.note(self.words("exam_no_question", n=number, total=total), "yellow")

    # the review list

    def review(self, board: Board) -> None:
        self._refresh(board)
        words = self.words
        self.screen.line()
        left = words("exam_left", time=clock_text(board.left))
        self.screen.line(
            (
                words(
                    "exam_review",
                    answered=len(board.answered),
                    total=board.total,
                    flagged=words("exam_flagged_count", n=len(board.flagged)),
                    left=left,
                ),
                "bold",
            )
        )
        for key, numbers, style in (
            ("exam_unanswered", board.unanswered, "red"),
            ("exam_flagged_list", tuple(sorted(board.flagged)), "yellow"),
        ):
            if numbers:
                self.screen.line((f"{words(key)}: ", style), (_ranges(numbers), ""))

    def read_review(self, board: Board) -> str:
        pending = board.unanswered or board.flagged
        return self._read(self.words("exam_review_prompt" if pending else "exam_review_done"))

    def confirm_submit(self, board: Board) -> bool:
        n = len(board.unanswered)
        question = self.words("exam_confirm_submit_all" if not n else "exam_confirm_submit", n=n)
        return self._yes(question)

    def confirm_abandon(self) -> bool:
        """At a terminal, ask; from a pipe nobody can answer, so Ctrl-C abandons."""
        self.screen.line()
        if self.screen.plain:
            return True
        question = self.words("exam_confirm_abandon")
        return self._yes(question)

    def _yes(self, question: str) -> bool:
        return self._read(f"{question} [{self.words('yes_no')}]").strip().lower() in YES_WORDS

    def time_up(self) -> None:
        self.screen.line()
        self.screen.line((self.words("exam_time_up"), "bold yellow"))

    def _read(self, prompt: str) -> str:
        if not self.alarm or self.deadline is None:
            return self.screen.read_line(prompt)
        with _alarm((self.deadline - self.clock()).total_seconds()):
            return self.screen.read_line(prompt)

    # the result

    def exam_summary(self, outcome: ExamOutcome, again: str) -> None:
        """The result, each domain, the missed questions, what to study next, and `again`:
        the command that sits the same exam again."""
        from k8squiz.progress.records import ExamStatus

        words, result = self.words, outcome.result
        self.screen.line()
        if outcome.status is ExamStatus.ABANDONED:
            key = "exam_abandoned" if result.answered else "exam_abandoned_none"
            self.screen.note(words(key, n=result.answered), "bold yellow")
            self.screen.note(words("exam_no_reviews"))
            return
        self._score(outcome)
        if outcome.status is ExamStatus.TIMED_OUT and len(result.questions) > result.answered:
            n = len(result.questions) - result.answered
            self.screen.note(words("exam_timed_out", n=n), "yellow")
        self._domains(outcome)
        self._missed(outcome)
        self._next(outcome)
        self.screen.note(words("exam_seed", seed=outcome.plan.seed, command=safe(again)))

    def _score(self, outcome: ExamOutcome) -> None:
        words, result = self.words, outcome.result
        verdict = words("exam_pass" if result.passed else "exam_fail")
        style = "bold green" if result.passed else "bold red"
        score = words(
            "exam_score",
            cert=outcome.curriculum.short,
            correct=result.correct,
            total=len(result.questions),
            percent=f"{result.percent:.0f}%",
        )
        self.screen.line(
            (score, "bold"),
            ("  ", ""),
            (verdict, style),
            (f" ({words('exam_pass_mark', mark=result.pass_mark)})", ""),
        )
        limit = duration(outcome.plan.minutes * 60)
        self.screen.note(words("exam_time_used", used=duration(outcome.seconds), limit=limit), "")

    def _domains(self, outcome: ExamOutcome) -> None:
        words, mark = self.words, outcome.result.pass_mark
        rows = [
            (
                safe(d.name),
                f"{d.weight}%",
                str(d.questions),
                str(d.correct),
                f"{d.percent:.0f}%" if d.questions else "-",
                points(d.percent - mark) if d.questions else "-",
            )
            for d in outcome.result.domains
        ]
        if not (self.screen.plain or self.screen.narrow):  # else a line each, as in a pipe
            columns = ("domain", "weight", "questions", "right", "score", "vs_pass_mark")
            self.screen.table(words("by_domain"), [words(c) for c in columns], rows, compact=True)
            return
        self.screen.line((f"{words('by_domain')}:", ""))
        for name, weight, asked, right, percent, against in rows:
            score = f"{right}/{asked}, {percent}, {against} {words('vs_pass_mark')}"
            self.screen.line((f"  {name} ({weight}): {score if asked != '0' else '-'}", ""))

    def _missed(self, outcome: ExamOutcome) -> None:
        missed = outcome.result.missed
        if not missed:
            return
        self.screen.line()
        self.screen.line((self.words("exam_missed"), "bold"))
        for item in missed:
            self._missed_one(item)

    def _missed_one(self, item: QuestionResult) -> None:
        words, card = self.words, item.question.card
        text = card_text(card, words.lang)
        self.screen.line()
        prefix = words("true_or_false") + " " if card.kind is CardKind.TRUE_FALSE else ""
        self.screen.line(
            (f"{item.question.number}. {prefix}", "bold"), (safe(text.question), "bold")
        )
        given = safe(item.answer.given) if item.answer else words("exam_not_answered")
        self.screen.line((f"{words('your_answer')}: ", "red"), (given, ""))
        if item.verdict is not None:
            self.screen.what_differs(card, item.verdict)
        self.screen.line(
            (f"{words('expected')}: ", "green"), (safe(expected_text(card, words.lang)), "")
        )
        mistake = item.answer.mistake if item.answer else None
        for known in (m for m in card.mistakes if m.answer == mistake):
            self.screen.markdown(
                mistake_reason(known, words.lang), title=words("known_mistake"), style="yellow"
            )
        self.screen.markdown(text.explanation)

    def _next(self, outcome: ExamOutcome) -> None:
        words = self.words
        self.screen.line()
        percent = f"{100 * outcome.readiness.total:.0f}%"
        ready = words(
            "exam_readiness",
            percent=percent,
            name=outcome.curriculum.short,
            cert=outcome.plan.cert,
        )
        self.screen.note(ready, "")
        weakest = outcome.result.weakest
        if weakest is None:
            line = words("exam_next_perfect")
        else:
            line = words(
                "exam_next",
                domain=safe(weakest.name),
                correct=weakest.correct,
                questions=weakest.questions,
            )
        self.screen.line((line, "bold"))
        self.screen.line((f"  {outcome.next_command}", "bold cyan"))  # on its own: to copy
        self.screen.note(words("exam_no_reviews"))


def _ranges(numbers: tuple[int, ...]) -> str:
    """1-3, 7, 9-10."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in (*numbers[1:], None):
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


MIN_ROWS = 8  # a smaller terminal keeps every row for the questions


def exam_view(screen: Screen, env: Env, *, to_stderr: bool = False) -> ExamView:
    """The exam on `screen`; at a terminal, a hard time limit and, where the terminal can
    keep a row for it, a countdown on the bottom row."""
    if screen.plain:
        return ExamView(screen, env.now)
    dumb = env.environ.get("TERM") == "dumb"
    if dumb or shutil.get_terminal_size().lines < MIN_ROWS:
        return ExamView(screen, env.now, alarm=True)
    out = env.stderr if to_stderr else env.stdout
    return ExamView(screen, env.now, StatusLine(out, env.now, reverse=env.color), alarm=True)
