"""The progress screens: `k8squiz stats` (and its readiness for a certification) and
`k8squiz due`, with charts drawn in text."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from k8squiz.env import Env
from k8squiz.i18n import Words
from k8squiz.progress.stats import MASTERED_DAYS, ExamHistory, Stats, TopicStats
from k8squiz.terminal.console import console, fits, with_code
from k8squiz.terminal.escape import safe
from k8squiz.terminal.screen import points, unwrapped

if TYPE_CHECKING:
    from k8squiz.curricula import Curriculum
    from k8squiz.progress.readiness import Readiness

BLOCKS = " ▁▂▃▄▅▆▇█"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


# A per-topic table's figures: heading key -> the figure of a topic.
DUE_FIGURES: dict[str, Callable[[TopicStats], int]] = {
    "due_now_col": lambda t: t.due_now,
    "due_today_col": lambda t: t.due_today,
    "due_week_col": lambda t: t.due_week,
    "new_col": lambda t: t.cards - t.seen,
}
STATS_FIGURES: dict[str, Callable[[TopicStats], str]] = {
    "cards": lambda t: str(t.cards),
    "seen": lambda t: str(t.seen),
    "mastered": lambda t: str(t.mastered),
    "accuracy_7": lambda t: percent(t.accuracy_7),
    "accuracy_30": lambda t: percent(t.accuracy_30),
    "due_now_col": lambda t: str(t.due_now),
    "tomorrow": lambda t: str(t.due_tomorrow),
}


def due(env: Env, words: Words, topics: Sequence[TopicStats]) -> None:
    """Per topic: due now, by the end of today, and within the week; never-seen cards. Two
    tables of two columns each when one would not fit the width."""
    out = console(env)
    for table in _fitted(out, lambda keys: _due_table(words, topics, keys), tuple(DUE_FIGURES), 2):
        out.print(table)


def _fitted(
    out: Console, build: Callable[[Sequence[str]], Table], columns: Sequence[str], split: int
) -> list[Table]:
    """The table `build` makes of `columns`; two, split at `split`, when one would not fit
    the width without shortening its headings (which are longer in pt-BR)."""
    whole = build(columns)
    return [whole] if fits(out, whole) else [build(columns[:split]), build(columns[split:])]


def _due_table(words: Words, topics: Sequence[TopicStats], keys: Sequence[str]) -> Table:
    figures = {key: DUE_FIGURES[key] for key in keys}
    totals = [sum(figure(t) for t in topics) for figure in figures.values()]
    return _per_topic(words, topics, figures, wrap=True, totals=totals)


def _per_topic(
    words: Words,
    topics: Sequence[TopicStats],
    figures: Mapping[str, Callable[[TopicStats], object]],
    *,
    wrap: bool,
    totals: Sequence[int] = (),
) -> Table:
    """One row per topic, its name then `figures`; a row of `totals` under them if given.
    `wrap`: headings may take two lines rather than be cut short."""
    longest = max((len(t.topic) for t in topics), default=5)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(words("topic"), no_wrap=True, min_width=longest)
    for key in figures:
        table.add_column(words(key), justify="right", no_wrap=not wrap)
    for t in topics:
        table.add_row(Text(safe(t.topic)), *(str(figure(t)) for figure in figures.values()))
    if totals:
        table.add_row(Text(words("total"), style="bold"), *map(str, totals), style="bold")
    return table


def stats(env: Env, words: Words, figures: Stats) -> None:
    out = console(env)
    topics = figures.topics

    def of(keys: Sequence[str]) -> Table:
        return _per_topic(words, topics, {key: STATS_FIGURES[key] for key in keys}, wrap=False)

    for table in _fitted(out, of, tuple(STATS_FIGURES), 3):
        out.print(table)
    out.print(_overall(words, figures))
    out.print(_chart(words("reviews_per_day"), figures.reviews_per_day, width=out.width))
    out.print(_chart(words("due_per_day"), figures.due_per_day, width=out.width))
    if figures.weakest:
        out.print(_weakest(words, figures))
    if figures.mistakes:
        out.print(_mistakes(words, figures))
    if figures.exams:
        out.print(Text(f"\n{words('exams_title')}", style="bold"))
        for history in figures.exams:
            out.print(exam_trend(words, history))


def exam_trend(words: Words, history: ExamHistory) -> Text:
    """KCNA: 62% 70% 78% (pass mark 75%); +16 pts over the last 3. Passing scores in green."""
    cert = history.cert.upper()
    line = Text(f"{cert}: ", style="bold")
    for n, exam in enumerate(history.exams):
        line.append(" " if n else "")
        line.append(percent((exam.percent or 0) / 100), style="green" if exam.passed else "red")
    if history.pass_mark is not None:
        line.append(f" ({words('exam_pass_mark', mark=history.pass_mark)})", style="dim")
    if history.trend is not None:
        trend = words("exam_trend_tail", trend=points(history.trend), n=len(history.exams))
        line.append(f"; {trend}")
    return line


def readiness(
    env: Env, words: Words, curriculum: Curriculum, ready: Readiness, exams: ExamHistory
) -> None:
    """Per domain, the share of its cards expected to be recalled; the cards to study first;
    the last mock exams; and the command that studies the domain losing the most points."""
    from k8squiz.progress.readiness import weakest_command

    out = console(env)
    day = ready.at.astimezone().date().isoformat()
    title = words("readiness_title", cert=curriculum.short, date=day, percent=percent(ready.total))
    out.print(Text(title, style="bold"))
    out.print(_readiness_table(words, ready))
    out.print(Text(words("readiness_means"), style="dim"))
    if ready.first:
        out.print(_study_first(words, ready, curriculum))
    out.print(Text(f"\n{words('exams_title')}", style="bold"))
    if exams.exams:
        out.print(exam_trend(words, exams))
    else:
        out.print(Text(words("no_exams", cert=curriculum.id), style="dim"))
    command = weakest_command(ready)
    if command:  # soft-wrapped: a command cut in two lines could not be copied
        out.print()
        out.print(
            Text(words("readiness_next", command=command), style="bold cyan"), soft_wrap=True
        )


def _readiness_table(words: Words, ready: Readiness) -> Table:
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(words("domain"))
    for key in ("weight", "cards", "seen", "recall"):
        table.add_column(words(key), justify="right", no_wrap=True)
    for d in ready.domains:  # the id under the name: what --domain takes
        name = Text.assemble(safe(d.name), "\n", (safe(d.domain), "dim"))
        table.add_row(name, f"{d.weight}%", str(d.cards), str(d.seen), percent(d.recall))
    table.add_row(
        Text(words("total"), style="bold"), "100%", "", "", percent(ready.total), style="bold"
    )
    return table


def _study_first(words: Words, ready: Readiness, curriculum: Curriculum) -> Table:
    table = Table(
        title=words("study_first"), title_justify="left", show_edge=False, header_style="bold"
    )
    table.add_column(words("question"), ratio=2)
    table.add_column(words("domain"), ratio=1)
    table.add_column(words("recall"), justify="right", no_wrap=True)
    table.add_column(words("gain"), justify="right", no_wrap=True)
    for card in ready.first:
        name = " + ".join(curriculum.domain(d).name_in(words.lang) for d in card.domains)
        table.add_row(
            with_code(safe(card.question)),
            Text(safe(name)),
            percent(card.recall),
            f"+{card.gain:.2f}",
        )
    return table


def _overall(words: Words, figures: Stats) -> Text:
    cards = sum(t.cards for t in figures.topics)
    mastered = sum(t.mastered for t in figures.topics)
    retention = percent(figures.retention)
    return Text.assemble(
        "\n",
        (f"{words('streak')}: ", "bold"),
        words("days", n=figures.streak),
        (f"   {words('mastered')}: ", "bold"),
        f"{mastered}/{cards}",
        (f"   {words('retention')}: ", "bold"),
        f"{retention} ({words('target')} {percent(figures.target)}, ",
        words("reviews_count", n=figures.retention_reviews),
        ")",
        "\n",
        (words("mastered_means", days=f"{MASTERED_DAYS:.0f}"), "dim"),
    )


def _chart(
    title: str, series: Sequence[tuple[date, int]], *, width: int, height: int = 5
) -> Panel:
    """A column per day, in eighths of a block; two cells wide when the terminal has room."""
    values = [count for _, count in series]
    top = max(values, default=0) or 1
    cell = 2 if 2 * len(values) + 4 <= width else 1
    rows = []
    for level in range(height, 0, -1):
        row = Text()
        for value in values:
            eighths = round(8 * height * value / top) - 8 * (level - 1)
            row.append(BLOCKS[max(0, min(8, eighths))] * cell, style="cyan")
        rows.append(row)
    first, last = series[0][0], series[-1][0]
    axis = Text(
        f"{first:%d/%m}".ljust(max(cell * len(values) - 5, 6)) + f"{last:%d/%m}", style="dim"
    )
    return Panel(
        Group(*rows, axis),
        title=f"{title} (max {max(values, default=0)})",
        title_align="left",
        expand=False,
    )


def _weakest(words: Words, figures: Stats) -> Table:
    table = Table(
        title=words("weakest"), title_justify="left", show_edge=False, header_style="bold"
    )
    table.add_column(words("question"), ratio=3)
    table.add_column(words("expected"), ratio=2)
    table.add_column(words("lapses"), justify="right")
    table.add_column(words("recall"), justify="right")
    for card in figures.weakest:
        table.add_row(
            with_code(safe(card.question)),
            Text(safe(card.answer)),
            str(card.lapses),
            percent(card.recall),
        )
    return table


def _mistakes(words: Words, figures: Stats) -> Table:
    table = Table(
        title=words("common_mistakes"), title_justify="left", show_edge=False, header_style="bold"
    )
    table.add_column(words("your_answer"))
    table.add_column(words("times"), justify="right")
    table.add_column(words("why"), ratio=3)
    for m in figures.mistakes:
        reason = safe(unwrapped(m.reason))
        table.add_row(Text(safe(m.mistake)), str(m.count), Text(reason))
    return table
