"""What a quiz or study session shows and how it reads answers, on any output.

`Screen` decides what to say (the verdict, the items, the known mistake, the summary) and
says it through a handful of primitives: a styled line, a question box, a Markdown block, a
table. `PlainScreen` writes them as plain lines, without importing Rich, for pipes, scripts
and CI; `RichScreen` (rich_screen.py) draws them at a terminal. Every string that came from a
deck or a learner passes through `safe` on its way out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from k8squiz.decks.model import Card, CardKind, card_text, mistake_reason
from k8squiz.grading import (
    FALSE_WORDS,
    TRUE_WORDS,
    expected_text,
    normalize,
    numbers_are_answers,
)
from k8squiz.i18n import Said, Words
from k8squiz.terminal.escape import safe

if TYPE_CHECKING:
    from k8squiz.decks.library import Library
    from k8squiz.grading import Choice, Verdict
    from k8squiz.modes.quiz import Question, QuizOutcome
    from k8squiz.modes.study import StudyOutcome, Upcoming
    from k8squiz.progress.memory import Preview
    from k8squiz.scheduler import Rating

Segment = tuple[str, str]  # (text, style); the style is a Rich style, ignored in plain output
TRUTH_WORDS = TRUE_WORDS | FALSE_WORDS
_FENCE = re.compile(r"^\s*```[\w-]*\s*$")
MAX_ANSWER = 2_000  # characters of one answer that are read and graded


def duration(seconds: float) -> str:
    """1m 05s, 42s."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def points(value: float) -> str:
    """+16 pts, -3 pts: a change in percentage points."""
    return f"{value:+.0f} pts"


def choice_hint(options: Sequence[Choice]) -> str:
    """How to pick an option: by letter, number or text; by letter or text when options are
    numbers themselves (a typed number is then an answer)."""
    return (
        "choice_hint_letters" if numbers_are_answers([o.shown for o in options]) else "choice_hint"
    )


def unwrapped(text: str) -> str:
    """Markdown prose on one line per paragraph: the line breaks of a YAML block are not the
    author's sentences, and a table cell wraps text itself."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n".join(" ".join(p.split()) for p in paragraphs)


class Screen:
    """Everything a session says; subclasses draw it."""

    plain = True

    @property
    def narrow(self) -> bool:
        """Too narrow for a table of figures (under 60 columns); plain lines never are."""
        return False

    def __init__(self, words: Words, stdin: TextIO) -> None:
        self.words = words
        self.stdin = stdin

    # primitives, drawn by each subclass

    def line(self, *segments: Segment, end: str = "\n") -> None:
        raise NotImplementedError

    def markdown(self, text: str, *, title: str = "", style: str = "dim") -> None:
        raise NotImplementedError

    def buttons(self, buttons: Sequence[Sequence[Segment]]) -> None:
        """Keys to press, each with its label, on one line (a terminal too narrow for them
        shows one a line, never a label cut in two)."""
        gap: Sequence[Segment] = (("   ", ""),)
        self.line(
            *[segment for at, b in enumerate(buttons) for segment in (*(gap if at else ()), *b)]
        )

    def question_box(
        self, title: str, progress: tuple[int, int] | None, body: Sequence[Segment],
        options: Sequence[Choice],
    ) -> None:  # fmt: skip
        raise NotImplementedError

    def table(
        self,
        title: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        compact: bool = False,
    ) -> None:
        """Rows under a title; `compact` ones (a name and a figure) fit on one plain line."""
        raise NotImplementedError

    def read_line(self, prompt: str) -> str:
        raise NotImplementedError

    def read_key(self, prompt: str, keys: str) -> str:
        raise NotImplementedError

    def note(self, text: str, style: str = "dim") -> None:
        self.line((text, style))

    def _within_limit(self, answer: str) -> str:
        """An answer cut to MAX_ANSWER characters, saying so: one pasted by mistake is not
        worth grading for seconds, nor echoing in full."""
        if len(answer) <= MAX_ANSWER:
            return answer
        self.note(self.words("answer_cut", n=f"{MAX_ANSWER:,}"), "yellow")
        return answer[:MAX_ANSWER]

    def interrupted(self) -> None:
        self.line()

    # a question

    def question(self, question: Question, total: int) -> None:
        """A quiz question under its topic, number and a progress bar."""
        title = (
            f"{safe(question.topic)} · {self.words('question_of', n=question.number, total=total)}"
        )
        self.card_box(question.card, title, (question.number - 1, total), question.options)

    def card(self, card: Card, topic: str) -> None:
        """A flashcard's front, under its topic."""
        self.card_box(card, safe(topic), None, ())

    def card_box(
        self, card: Card, title: str, progress: tuple[int, int] | None,
        options: Sequence[Choice],
    ) -> None:  # fmt: skip
        """A card's question (and options) in a box under `title`: a quiz's, an exam's."""
        body: list[Segment] = []
        if card.kind is CardKind.TRUE_FALSE:
            body.append((self.words("true_or_false") + " ", "bold"))
        body += self._question_text(card_text(card, self.words.lang).question)
        self.question_box(title, progress, body, options)

    def _question_text(self, question: str) -> list[Segment]:
        return [(safe(question), "")]

    def read_answer(self, question: Question) -> str:
        """The answer; a list card says to name every item (it has no options to pick)."""
        if question.options:
            hint = self.words(choice_hint(question.options))
        elif question.card.kind is CardKind.LIST:
            hint = self.words("list_hint")
        else:
            hint = self.words("answer_hint")
        return self.read_line(f"{self.words('your_answer')} ({hint})")

    def notice(self, said: Said) -> None:
        """A word on what the session does other than asked."""
        self.note(said.text(self.words), "yellow")

    def not_an_option(self, given: str, count: int) -> None:
        last = chr(ord("a") + count - 1)
        key = "not_an_option_two" if count == 2 else "not_an_option"
        self.note(self.words(key, given=safe(given), last=last, n=count), "yellow")

    # after an answer

    def verdict(self, card: Card, verdict: Verdict) -> None:
        self.line(*self._verdict_line(card, verdict))
        self.what_differs(card, verdict)
        if not verdict.correct:
            self.line((f"{self.words('expected')}: ", "bold"), (safe(verdict.expected), ""))
        for mistake in verdict.mistakes:
            reason = mistake_reason(mistake, self.words.lang)
            self.markdown(reason, title=self.words("known_mistake"), style="yellow")
        self.markdown(card_text(card, self.words.lang).explanation)

    def what_differs(self, card: Card, verdict: Verdict) -> None:
        """Why a wrong answer is wrong, where the grader can say: a list's items found and
        missing, what a command does differently."""
        if card.kind is CardKind.LIST and not verdict.revealed and not verdict.correct:
            self._items(verdict)
        self._differences(verdict)

    def _differences(self, verdict: Verdict) -> None:
        """What a command does differently: only command answers have differences."""
        if verdict.revealed or not verdict.differences:
            return
        from k8squiz.grading.command import describe

        for difference in verdict.differences:
            self.line((f"  {safe(describe(difference, self.words))}", "yellow"))

    def _verdict_line(self, card: Card, verdict: Verdict) -> list[Segment]:
        mark = "" if self.plain else "✔ " if verdict.correct else "✘ "
        if verdict.correct:
            line = [(mark + self.words("correct"), "bold green")]
            if verdict.typo:
                given, term = (safe(part) for part in verdict.typo)
                line.append((f" ({self.words('typo_note', given=given, term=term)})", "green"))
            return line
        key = "revealed" if verdict.revealed else "wrong"
        line = [(mark + self.words(key), "bold red")]
        if (
            card.kind is CardKind.TRUE_FALSE
            and not verdict.revealed
            and normalize(verdict.given) not in TRUTH_WORDS
        ):
            line.append((f" ({self.words('true_false_hint')})", "yellow"))
        return line

    def _items(self, verdict: Verdict) -> None:
        for key, items, style in (
            ("found_items", verdict.found, "green"),
            ("missing_items", verdict.missing, "red"),
            ("extra_items", verdict.extra, "yellow"),
        ):
            if items:
                shown = ", ".join(safe(item) for item in items)
                self.line((f"{self.words(key)}: ", style), (shown, ""))

    # the end of a quiz

    def quiz_summary(self, library: Library, outcome: QuizOutcome, again: str | None) -> None:
        """Score, time, change, topics and missed cards; `again` is the command that asks the
        same questions again, when one can."""
        words, result = self.words, outcome.result
        self.line()
        if not result.answered:
            self.note(words("nothing_answered"), "bold")
            return
        if not result.complete:
            self.note(words("partial", n=result.answered, total=result.planned), "bold yellow")
        score = f"{result.correct}/{result.answered} ({result.percent:.0f}%)"
        self.line(
            (f"{words('score')}: ", "bold"),
            (score, "bold green" if result.percent >= 70 else "bold yellow"),
            (f"   {words('time_taken')}: {duration(result.seconds)}", ""),
        )
        self.note(self._progress(outcome.change))
        scores = result.by_topic()
        if len(scores) > 1:
            rows = [(safe(t.topic), f"{t.correct}/{t.answered}") for t in scores]
            self.table(words("by_topic"), (words("topic"), words("score")), rows, compact=True)
        missed = [library.card(a.card_id) for a in result.missed]
        rows = [self._missed_row(card) for card in missed if card is not None]
        if rows:
            self.table(words("missed"), (words("question"), words("expected")), rows)
        if "+practice" in outcome.info.mode:
            self.note(words("practice_note"))
        if again is not None:
            self.note(words("seed_hint", seed=outcome.plan.seed, command=safe(again)))

    def _missed_row(self, card: Card) -> tuple[str, str]:
        question = card_text(card, self.words.lang).question
        return safe(question), safe(expected_text(card, self.words.lang))

    def _progress(self, delta: float | None) -> str:
        if delta is None:
            return self.words("first_quiz")
        return self.words("vs_previous", delta=points(delta))

    # study

    def status(self, *, due: int, new: int, done: int) -> None:
        self.line()
        self.note(self.words("status", due=due, new=new, done=done))

    def read_attempt(self) -> str:
        return self.read_line(self.words("reveal_hint"))

    def flashcard_back(self, card: Card, verdict: Verdict | None) -> None:
        """The answer and its explanation; the verdict too when the learner typed an attempt."""
        if verdict is not None and not verdict.revealed:
            self.verdict(card, verdict)
            return
        answer = safe(expected_text(card, self.words.lang))
        self.line((f"{self.words('expected')}: ", "bold"), (answer, "bold green"))
        self.markdown(card_text(card, self.words.lang).explanation)

    def read_rating(self, preview: Preview, suggested: Rating | None) -> str:
        """1 Again · 1m   2 Hard · 6m   3 Good · 10m   4 Easy · 4d (the suggestion marked)."""
        from k8squiz.scheduler import short_interval

        buttons: list[list[Segment]] = []
        for rating, outcome in preview.outcomes.items():
            name = self.words(rating.name.lower())
            label = f"{int(rating)} {name} · {short_interval(outcome.interval, self.words.lang)}"
            buttons.append([(label, "bold reverse" if rating == suggested else "bold")])
            if rating == suggested:
                buttons[-1].append((f" ({self.words('suggested')})", "dim"))
        self.buttons(buttons)
        return self.read_key(self.words("rate_hint"), "1234uq")

    def not_a_rating(self, key: str) -> None:
        self.note(self.words("not_a_rating", typed=safe(key)), "yellow")

    def undone(self, card_id: str | None) -> None:
        if card_id is None:
            self.note(self.words("nothing_to_undo"), "yellow")
        else:
            self.note(self.words("undone", card=safe(card_id)), "yellow")

    def nothing_due(self, upcoming: Upcoming) -> None:
        self.line((self.words("nothing_due"), "bold"), (" " + self._upcoming(upcoming), ""))

    def study_summary(self, outcome: StudyOutcome) -> None:
        words = self.words
        self.line()
        self.line(
            (f"{words('reviewed')}: ", "bold"),
            (str(outcome.reviewed), ""),
            (f"   {words('again_count')}: ", "bold"),
            (str(outcome.again), ""),
            (f"   {words('time_taken')}: ", "bold"),
            (duration(outcome.seconds), ""),
        )
        self.note(f"{self._upcoming(outcome.upcoming)} {words('session_saved')}")

    def _upcoming(self, upcoming: Upcoming) -> str:
        from k8squiz.scheduler import short_interval

        if upcoming.due_now:
            parts = [self.words("due_now_left", n=upcoming.due_now)]
        elif upcoming.next_due is None:
            return self.words("no_reviews_left")
        else:
            when = short_interval(upcoming.next_due, self.words.lang)
            parts = [self.words("next_review", when=when)]
        parts.append(self.words("due_tomorrow", n=upcoming.tomorrow))
        return "; ".join(parts) + "."


def _skip_line(stream: TextIO) -> None:
    """Read past the rest of a line, a bounded piece at a time."""
    while (rest := stream.readline(64 * 1024)) and not rest.endswith("\n"):
        pass


class PlainScreen(Screen):
    """Plain lines for pipes and scripts: one answer read per line, each answer echoed when it
    came from a pipe, so a transcript reads like the session did (typed at a terminal, the
    terminal shows it already). Deck text is printed as written: no re-wrapping."""

    def __init__(self, words: Words, stdin: TextIO, out: TextIO, *, echo: bool = True) -> None:
        super().__init__(words, stdin)
        self.out = out
        self.echo = echo

    def line(self, *segments: Segment, end: str = "\n") -> None:
        self.out.write("".join(text for text, _ in segments) + end)

    def markdown(self, text: str, *, title: str = "", style: str = "dim") -> None:
        del style
        body = "\n".join(line for line in text.strip().splitlines() if not _FENCE.match(line))
        shown = safe(body, multiline=True)
        self.line((f"{title}: {shown}" if title else shown, ""))

    def question_box(
        self, title: str, progress: tuple[int, int] | None, body: Sequence[Segment],
        options: Sequence[Choice],
    ) -> None:  # fmt: skip
        del progress
        self.line()
        self.line((f"[{title}]", ""))
        self.line(*body)
        for i, option in enumerate(options):
            self.line((f"  {chr(97 + i)}) {safe(option.shown)}", ""))

    def table(
        self,
        title: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        compact: bool = False,
    ) -> None:
        del columns
        if compact:
            self.line((f"{title}: " + ", ".join(" ".join(row) for row in rows), ""))
            return
        self.line((f"{title}:", ""))
        for first, *rest in rows:
            self.line((f"  - {first} -> {' | '.join(rest)}", ""))

    def read_line(self, prompt: str) -> str:
        """One line of input, at most MAX_ANSWER characters of it; EOFError when input ends."""
        self.out.write(f"{prompt}: ")
        self.out.flush()
        line = self.stdin.readline(MAX_ANSWER + 1)
        if not line:
            self.line()
            raise EOFError
        if len(line) > MAX_ANSWER and not line.endswith("\n"):
            _skip_line(self.stdin)
        answer = line.rstrip("\r\n")
        if self.echo:
            self.line((safe(answer[:MAX_ANSWER]), ""))
        return self._within_limit(answer)

    def read_key(self, prompt: str, keys: str) -> str:
        del keys
        return self.read_line(prompt).strip().lower()
