"""The progress screens: `k8squiz stats` and `k8squiz due`, with charts drawn in text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from k8squiz.env import Env
from k8squiz.i18n import Words
from k8squiz.progress.stats import MASTERED_DAYS, Stats, TopicStats
from k8squiz.terminal.console import console
from k8squiz.terminal.escape import safe
from k8squiz.terminal.screen import unwrapped

BLOCKS = " ▁▂▃▄▅▆▇█"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def due(env: Env, words: Words, topics: Sequence[TopicStats]) -> None:
    """Per topic: due now, by the end of today, and within the week; never-seen cards."""
    topic_names = [t.topic for t in topics]
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(
        words("topic"), no_wrap=True, min_width=len(max(topic_names, key=len, default=""))
    )
    for key in ("due_now_col", "due_today_col", "due_week_col", "new_col"):
        table.add_column(words(key), justify="right")
    for t in topics:
        table.add_row(
            Text(safe(t.topic)),
            str(t.due_now),
            str(t.due_today),
            str(t.due_week),
            str(t.cards - t.seen),
        )
    totals = [sum(getattr(t, f) for t in topics) for f in ("due_now", "due_today", "due_week")]
    new = sum(t.cards - t.seen for t in topics)
    table.add_row(Text(words("total"), style="bold"), *map(str, totals), str(new), style="bold")
    console(env).print(table)


def stats(env: Env, words: Words, figures: Stats) -> None:
    out = console(env)
    for table in _topics_tables(words, figures.topics, width=out.width):
        out.print(table)
    out.print(_overall(words, figures))
    out.print(_chart(words("reviews_per_day"), figures.reviews_per_day, width=out.width))
    out.print(_chart(words("due_per_day"), figures.due_per_day, width=out.width))
    if figures.weakest:
        out.print(_weakest(words, figures))
    if figures.mistakes:
        out.print(_mistakes(words, figures))


COLUMNS = ("cards", "seen", "mastered", "accuracy_7", "accuracy_30", "due_now_col", "tomorrow")


def _topics_tables(words: Words, topics: Sequence[TopicStats], *, width: int) -> list[Table]:
    """One table; two (counts, then accuracy and due) when the terminal is narrow."""
    if width >= 80:
        return [_topics_table(words, topics, COLUMNS)]
    return [_topics_table(words, topics, COLUMNS[:3]), _topics_table(words, topics, COLUMNS[3:])]


def _topics_table(words: Words, topics: Sequence[TopicStats], columns: Sequence[str]) -> Table:
    longest = max((len(t.topic) for t in topics), default=5)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(words("topic"), no_wrap=True, min_width=longest)
    for key in columns:
        table.add_column(words(key), justify="right", no_wrap=True)
    for t in topics:
        table.add_row(Text(safe(t.topic)), *(_figure(t, key) for key in columns))
    return table


def _figure(t: TopicStats, column: str) -> str:
    figures = {
        "cards": str(t.cards),
        "seen": str(t.seen),
        "mastered": str(t.mastered),
        "accuracy_7": percent(t.accuracy_7),
        "accuracy_30": percent(t.accuracy_30),
        "due_now_col": str(t.due_now),
        "tomorrow": str(t.due_tomorrow),
    }
    return figures[column]


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
            Text(safe(card.question)),
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
