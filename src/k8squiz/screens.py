"""The screens of a quiz or study session, and reading what the learner types.

At a terminal: panels, a progress bar, Markdown and single-key ratings. Without one (stdin
or stdout piped): plain lines, one answer read per line, and each answer echoed so a
transcript reads like the session did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from k8squiz.deck import Card, card_text, mistake_reason
from k8squiz.env import Env
from k8squiz.grading import FALSE_WORDS, TRUE_WORDS, describe, normalize
from k8squiz.i18n import Words
from k8squiz.ui import console

if TYPE_CHECKING:
    from k8squiz.deck import Library
    from k8squiz.grading import Verdict
    from k8squiz.memory import Preview
    from k8squiz.scheduler import Rating
    from k8squiz.session import Option, QuizResult
    from k8squiz.study import Upcoming


TRUTH = frozenset({"true", "false", "verdadeiro", "falso"})  # how a true/false answer is shown
TRUTH_WORDS = TRUE_WORDS | FALSE_WORDS


def duration(seconds: float) -> str:
    """1m 05s, 42s."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


class Screen:
    """Where a session is shown and its answers are read."""

    def __init__(self, env: Env, words: Words, *, to_stderr: bool = False) -> None:
        self.env = env
        self.words = words
        self.plain = not env.interactive
        # Without a terminal, deck text is printed as written: no re-wrapping at 80 columns.
        self.out = console(env, stderr=to_stderr, soft_wrap=self.plain)
        self.file = env.stderr if to_stderr else env.stdout

    def show(self, renderable: RenderableType = "", *, end: str = "\n") -> None:
        """Rich at a terminal; without one, plain text is written as it is (and much faster)."""
        if self.plain and isinstance(renderable, (str, Text)):
            self.file.write(
                (renderable.plain if isinstance(renderable, Text) else renderable) + end
            )
        else:
            self.out.print(renderable, end=end)

    # reading

    def read_line(self, prompt: str) -> str:
        """One line of input; EOFError when input ends, KeyboardInterrupt on Ctrl-C."""
        if not self.plain:
            return self.out.input(
                Text(
                    f"{prompt} \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} ", style="bold cyan"
                )
            )
        self.show(f"{prompt}: ", end="")
        self.file.flush()
        line = self.env.stdin.readline()
        if not line:
            self.show()
            raise EOFError
        answer = line.rstrip("\r\n")
        self.show(Text(answer))
        return answer

    def read_key(self, prompt: str, keys: str) -> str:
        """One of `keys`: a single key press at a terminal, else the next line."""
        if self.plain:
            return self.read_line(prompt).strip().lower()
        self.show(
            Text(f"{prompt} \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} ", style="bold cyan"),
            end="",
        )
        while True:
            key = _getchar().lower()  # raises KeyboardInterrupt on ^C and EOFError on ^D
            if key in keys or key in ("\r", "\n"):
                self.show(key if key.strip() else "")
                return key.strip()

    # a question

    def question(
        self,
        card: Card,
        *,
        title: str,
        progress: tuple[int, int] | None = None,
        options: Sequence[Option] = (),
    ) -> None:
        """The question in a panel, under a title and (in a quiz) a progress bar."""
        text = card_text(card, self.words.lang)
        body = Text(text.question) if self.plain else inline_code(text.question)
        if card.kind == "true-false":
            body = Text.assemble((self.words("true_or_false") + " ", "bold"), body)
        if self.plain:
            self.show()
            self.show(Text(f"[{title}]"))
            self.show(body)
            self._options_plain(options)
            return
        self.show()
        self.show(_header(title, progress))
        self.show(Panel(Group(body, *self._options(options)), border_style="cyan", padding=(1, 2)))

    def _options(self, options: Sequence[Option]) -> list[RenderableType]:
        if not options:
            return []
        lines = [
            Text.assemble((f"{chr(97 + i)}) ", "bold cyan"), option.shown)
            for i, option in enumerate(options)
        ]
        return [Text(""), *lines]

    def _options_plain(self, options: Sequence[Option]) -> None:
        for i, option in enumerate(options):
            self.show(Text(f"  {chr(97 + i)}) {option.shown}"))

    def answer_prompt(self, card: Card, options: Sequence[Option]) -> str:
        hint = self.words("choice_hint") if options else self.words("answer_hint")
        return self.read_line(f"{self.words('your_answer')} ({hint})")

    # after an answer

    def verdict(self, card: Card, verdict: Verdict) -> None:
        self.show(self._verdict_line(verdict))
        if card.kind == "list" and not verdict.revealed and not verdict.correct:
            self._items(verdict)
        for difference in () if verdict.revealed else verdict.differences:
            self.show(Text(f"  {describe(difference, self.words)}", style="yellow"))
        if not verdict.correct:
            self.show(Text.assemble((f"{self.words('expected')}: ", "bold"), verdict.expected))
        for mistake in verdict.mistakes:
            self._mistake(mistake_reason(mistake, self.words.lang))
        self.explanation(card_text(card, self.words.lang).explanation)

    def _verdict_line(self, verdict: Verdict) -> Text:
        if verdict.correct:
            line = Text(
                ("✔ " if not self.plain else "") + self.words("correct"), style="bold green"
            )
            if verdict.typo:
                given, term = verdict.typo
                line.append(f" ({self.words('typo_note', given=given, term=term)})", style="green")
            return line
        key = "revealed" if verdict.revealed else "wrong"
        line = Text(("✘ " if not self.plain else "") + self.words(key), style="bold red")
        if (
            verdict.expected in TRUTH
            and not verdict.revealed
            and normalize(verdict.given) not in TRUTH_WORDS
        ):
            line.append(f" ({self.words('true_false_hint')})", style="yellow")
        return line

    def _items(self, verdict: Verdict) -> None:
        for key, items, style in (
            ("found_items", verdict.found, "green"),
            ("missing_items", verdict.missing, "red"),
            ("extra_items", verdict.extra, "yellow"),
        ):
            if items:
                self.show(Text.assemble((f"{self.words(key)}: ", style), ", ".join(items)))

    def _mistake(self, reason: str) -> None:
        title = self.words("known_mistake")
        if self.plain:
            self.show(Text(f"{title}: {reason.strip()}"))
            return
        self.show(Panel(_markdown(reason), title=title, title_align="left", border_style="yellow"))

    def explanation(self, text: str) -> None:
        if self.plain:
            self.show(Text(text.strip()))
            return
        self.show(Panel(_markdown(text), border_style="dim", padding=(0, 1)))

    def note(self, text: str, style: str = "dim") -> None:
        self.show(Text(text, style=style))

    # the end of a quiz

    def quiz_summary(
        self, library: Library, result: QuizResult, delta: float | None, *, seed: int
    ) -> None:
        words = self.words
        self.show()
        if not result.answered:
            self.note(words("nothing_answered"), "bold")
            return
        if not result.complete:
            self.note(words("partial", n=result.answered, total=result.planned), "bold yellow")
        score = f"{result.correct}/{result.answered} ({result.percent:.0f}%)"
        self.show(
            Text.assemble(
                (f"{words('score')}: ", "bold"),
                (score, "bold green" if result.percent >= 70 else "bold yellow"),
                f"   {words('time_taken')}: {duration(result.seconds)}",
            )
        )
        self.note(_progress_line(words, delta))
        self._topics_table(result)
        self._missed_table(library, result)
        self.note(self.words("seed_hint", seed=seed))

    def _topics_table(self, result: QuizResult) -> None:
        scores = result.by_topic()
        if len(scores) < 2:
            return
        if self.plain:
            parts = ", ".join(f"{t.topic} {t.correct}/{t.answered}" for t in scores)
            self.show(f"{self.words('by_topic')}: {parts}")
            return
        table = Table(
            title=self.words("by_topic"),
            title_justify="left",
            show_edge=False,
            header_style="bold",
        )
        table.add_column(self.words("topic"))
        table.add_column(self.words("score"), justify="right")
        for topic in scores:
            table.add_row(Text(topic.topic), f"{topic.correct}/{topic.answered}")
        self.show(table)

    def _missed_table(self, library: Library, result: QuizResult) -> None:
        if not result.missed:
            return
        if self.plain:
            self.show(f"{self.words('missed')}:")
            for answer in result.missed:
                card = library.card(answer.card_id)
                if card is not None:
                    text = card_text(card, self.words.lang)
                    self.show(f"  - {text.question} -> {text.answer}")
            return
        table = Table(
            title=self.words("missed"), title_justify="left", show_edge=False, header_style="bold"
        )
        table.add_column(self.words("question"), ratio=3)
        table.add_column(self.words("expected"), ratio=2)
        for answer in result.missed:
            card = library.card(answer.card_id)
            if card is not None:
                text = card_text(card, self.words.lang)
                table.add_row(Text(text.question), Text(text.answer))
        self.show(table)

    # study

    def status(self, *, due: int, new: int, done: int) -> None:
        self.show()
        self.note(self.words("status", due=due, new=new, done=done))

    def flashcard_back(self, card: Card, verdict: Verdict | None) -> None:
        """The answer and its explanation; the verdict too when the learner typed an attempt."""
        if verdict is not None and not verdict.revealed:
            self.verdict(card, verdict)
            return
        answer = card_text(card, self.words.lang).answer
        if card.kind == "true-false":
            answer = (
                self.words("true") if answer.strip().lower() == "true" else self.words("false")
            )
        self.show(Text.assemble((f"{self.words('expected')}: ", "bold"), (answer, "bold green")))
        self.explanation(card_text(card, self.words.lang).explanation)

    def rating_bar(self, preview: Preview, suggested: Rating | None) -> None:
        """1 Again · 1m   2 Hard · 6m   3 Good · 10m   4 Easy · 4d (the suggestion marked)."""
        from k8squiz.scheduler import short_interval

        line = Text()
        for rating, outcome in preview.outcomes.items():
            name = self.words(rating.name.lower())
            label = f"{int(rating)} {name} · {short_interval(outcome.interval)}"
            style = "bold reverse" if rating == suggested else "bold"
            line.append(label, style=style if not self.plain else "")
            if rating == suggested:
                line.append(f" ({self.words('suggested')})", style="dim")
            line.append("   ")
        self.show(line)

    def nothing_due(self, upcoming: Upcoming) -> None:
        self.show(Text(self.words("nothing_due"), style="bold"), end=" ")
        self.show(Text(self._upcoming(upcoming)))

    def _upcoming(self, upcoming: Upcoming) -> str:
        from k8squiz.scheduler import short_interval

        if upcoming.next_due is None:
            return self.words("no_reviews_left")
        parts = [self.words("next_review", when=short_interval(upcoming.next_due))]
        parts.append(self.words("due_tomorrow", n=upcoming.tomorrow))
        return "; ".join(parts) + "."

    def study_summary(self, reviewed: int, again: int, seconds: float, upcoming: Upcoming) -> None:
        words = self.words
        self.show()
        self.show(
            Text.assemble(
                (f"{words('reviewed')}: ", "bold"),
                str(reviewed),
                (f"   {words('again_count')}: ", "bold"),
                str(again),
                (f"   {words('time_taken')}: ", "bold"),
                duration(seconds),
            )
        )
        self.note(f"{self._upcoming(upcoming)} {words('session_saved')}")


def _progress_line(words: Words, delta: float | None) -> str:
    if delta is None:
        return words("first_quiz")
    return words("vs_previous", delta=f"{delta:+.0f} pts")


def _header(title: str, progress: tuple[int, int] | None) -> RenderableType:
    if progress is None:
        return Text(title, style="bold")
    done, total = progress
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=1)
    grid.add_column(width=22)
    grid.add_row(
        Text(title, style="bold"), ProgressBar(total=max(total, 1), completed=done, width=20)
    )
    return grid


def inline_code(text: str) -> Text:
    """A question: plain text, where `code` spans (in backticks) are shown as code."""
    shown = Text()
    for i, part in enumerate(text.split("`")):
        shown.append(part, style="bold cyan" if i % 2 else "")
    return shown if text.count("`") % 2 == 0 else Text(text)


def _markdown(text: str) -> RenderableType:
    """Deck Markdown for a terminal (imported on first use: it is slow to load)."""
    from rich.markdown import Markdown

    return Markdown(text)


def _getchar() -> str:
    import typer

    return typer.getchar(echo=False)
