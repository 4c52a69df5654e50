"""What the commands other than the sessions print: validate's report, topics and tags,
history, one-line messages, JSON documents and the version.

Deck text is data: it is always handed to Rich as `Text`, never as a markup string, so
`[bold]` in a card prints as typed; and every string from a file or a user passes `safe`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import msgspec.structs

from k8squiz import __version__
from k8squiz.env import Env, isatty
from k8squiz.errors import UsageError
from k8squiz.i18n import YES_WORDS, Words
from k8squiz.terminal.console import console, fits
from k8squiz.terminal.escape import safe

if TYPE_CHECKING:
    from msgspec import Struct
    from rich.table import Table
    from rich.text import Text

    from k8squiz.decks.build import Report
    from k8squiz.decks.library import Library
    from k8squiz.decks.problems import Problem
    from k8squiz.progress.records import SessionSummary

STYLES = {"bold": "\x1b[1m", "error": "\x1b[31m", "warning": "\x1b[33m", "ok": "\x1b[32m"}
RESET = "\x1b[0m"


def json_document(env: Env, document: Struct) -> None:
    """A versioned document for programs; control characters stay JSON escapes."""
    from k8squiz.output import encode

    env.stdout.write(safe(encode(document), multiline=True))


def version(env: Env, library: Library | None) -> None:
    """What runs, where its data and decks are, and how fresh the bundled cards are."""
    import platform

    from k8squiz.decks.discover import bundled_dir

    lines = [
        f"k8squiz {__version__}",
        f"data:   {safe(str(env.db_path))}",
        f"decks:  {safe(str(bundled_dir()))}",
        f"python: {platform.python_version()}",
    ]
    if library is not None:
        try:
            words = Words(env.lang())
        except UsageError:  # an unknown K8SQUIZ_LANG: the version is still worth showing
            words = Words()
        lines.append(freshness(library, words))
    env.stdout.write("\n".join(lines) + "\n")


# validate


def problem_report(env: Env, report: Report, fmt: str, *, strict: bool) -> None:
    """Every problem on its own line, then a summary: text, json or GitHub annotations.

    Written straight to the stream (ANSI colour at a terminal): ten thousand problems print
    as fast as the checks find them.
    """
    problems = [_strict(p) if strict else p for p in report.problems]
    if fmt == "json":
        from k8squiz.output import validate_document

        return json_document(env, validate_document(report, problems))
    paint = _painter(env)
    lines = [_problem_line(found, fmt, paint) for found in problems]
    lines.append(_summary(report, problems, paint))
    env.stdout.write("\n".join(lines) + "\n")
    return None


def _painter(env: Env) -> dict[str, str]:
    """ANSI codes by style name when colour is on and stdout is a terminal, else nothing."""
    on = env.color and isatty(env.stdout)
    return {name: code if on else "" for name, code in [*STYLES.items(), ("reset", RESET)]}


def _strict(found: Problem) -> Problem:
    if found.severity == "warning":
        return msgspec.structs.replace(found, severity="error")
    return found


def _problem_line(found: Problem, fmt: str, paint: dict[str, str]) -> str:
    card = f" [{found.card}]" if found.card else ""
    if fmt == "github":
        message = _github_escape(safe(f"{found.message}{card}"))
        path = _github_escape(safe(found.path), property_value=True)
        return (
            f"::{found.severity} file={path},line={found.line},col={found.col},"
            f"title=k8squiz {found.code}::{message}"
        )
    where = f"{safe(found.path)}:{found.line}:{found.col}: "
    severity = f"{paint[found.severity]}{found.severity}: {paint['reset']}"
    return f"{paint['bold']}{where}{paint['reset']}{severity}{safe(found.message + card)}"


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """GitHub workflow-command escaping; property values also escape ':' and ','."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def _summary(report: Report, problems: Sequence[Problem], paint: dict[str, str]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    cards = sum(len(d.cards) for d in report.decks)
    where = f"{report.files} file{'s' * (report.files != 1)}, {cards} card{'s' * (cards != 1)}"
    if not problems:
        return f"{paint['ok']}{where}: no problems{paint['reset']}"
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    style = paint["error"] if errors else paint["warning"]
    return f"{style}{where}: {counts}{paint['reset']}"


def rules(env: Env) -> None:
    from rich.table import Table

    from k8squiz.decks.problems import RULES

    table = Table(box=None, show_header=True, header_style="bold")
    for column in ("rule", "severity", "what it checks"):
        table.add_column(column)
    for rule in RULES.values():
        table.add_row(rule.code, rule.severity, rule.summary)
    console(env).print(table)


# topics


def topics(
    env: Env, library: Library, words: Words, *, extra: dict[str, list[str]] | None = None
) -> None:
    """The loaded topics; `extra` adds columns (header -> one value per deck)."""
    out = console(env)
    # Where decks come from is shown when one is the learner's (all bundled, it says
    # nothing). Narrower than the table, the titles go (a topic names its deck well
    # enough), then the origin: the counts are what a narrow screen is for.
    origin = any(deck.origin != "bundled" for deck in library.decks)
    for title, shown in ((True, origin), (False, origin), (False, False)):
        table = _topics_table(library, words, extra or {}, title, shown)
        if fits(out, table):  # the first layout that fits; the last one at any width
            break
    out.print(table)
    out.print(
        words("topics_total", cards=len(library.cards), topics=len(library.decks)), style="dim"
    )
    out.print(freshness(library, words), style="dim")


def _topics_table(
    library: Library, words: Words, extra: dict[str, list[str]], title: bool, origin: bool
) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(words("topic"), no_wrap=True)
    if title:
        table.add_column(words("title"))
    table.add_column(words("cards"), justify="right")
    for header in extra:
        table.add_column(header, justify="right")
    if origin:
        table.add_column(words("from"), overflow="fold")
    for i, deck in enumerate(library.decks):
        row: list[str | Text] = [Text(safe(deck.topic))]
        if title:
            row.append(Text(safe(deck.title_in(words.lang))))
        row += [str(len(deck.cards)), *(values[i] for values in extra.values())]
        if origin:
            row.append(Text(safe(words("bundled") if deck.origin == "bundled" else deck.origin)))
        table.add_row(*row)
    return table


def freshness(library: Library, words: Words) -> str:
    """Which Kubernetes release the bundled cards were checked against, and the current one."""
    from k8squiz.decks.model import KUBERNETES_RELEASE

    oldest, unchecked = library.checked()
    lines = []
    if oldest is not None:
        lines.append(words("decks_checked", release=oldest, current=KUBERNETES_RELEASE))
    if unchecked:
        lines.append(words("decks_unchecked", n=unchecked))
    return " ".join(lines)


def tags(env: Env, library: Library, words: Words) -> None:
    from rich.table import Table
    from rich.text import Text

    counts = {tag: sum(tag in card.tags for card in library.cards) for tag in library.tags}
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(words("tag"))
    table.add_column(words("cards"), justify="right")
    for tag, count in counts.items():
        table.add_row(Text(safe(tag)), str(count))
    console(env).print(table)


# history


def _score(words: Words, s: SessionSummary) -> str:
    if s.kind == "study":
        return words("reviews_count", n=s.reviews)
    if s.kind == "exam" and s.status is None:
        return "-"  # still running, or stopped without a word (killed)
    if s.kind == "exam" and s.passed is None:
        return words("exam_abandoned_cell", answered=s.answered, planned=s.planned)
    percent = f" ({s.percent:.0f}%)" if s.percent is not None else ""
    verdict = ""
    if s.passed is not None:
        verdict = " " + words("exam_pass" if s.passed else "exam_fail")
    return f"{s.correct}/{s.score_base}{percent}{verdict}"


def _selection(words: Words, s: SessionSummary) -> str:
    """What a session covered: topics and #tags, a certification (and its domains)."""
    parts = [*s.topics, *(f"#{t}" for t in s.tags)]
    if s.cert:
        parts.insert(0, s.cert.upper())
    return ", ".join(parts) or words("all_topics")


def history(env: Env, words: Words, sessions: Sequence[SessionSummary]) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console(env)
    if not sessions:
        out.print(words("no_history"))
        return
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for column in ("date", "kind", "topic", "score"):
        table.add_column(words(column), justify="right" if column == "score" else "left")
    for s in sessions:
        when = s.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        marks = [words(f"{mark}_mark") for mark in ("missed", "practice") if f"+{mark}" in s.mode]
        kind = words(s.kind) + (f" ({', '.join(marks)})" if marks else "")
        table.add_row(when, kind, Text(safe(_selection(words, s))), _score(words, s))
    out.print(table)


def say(env: Env, words: Words, key: str, **values: object) -> None:
    """One of k8squiz's messages, on stdout, on one line (paths in it must stay whole)."""
    env.stdout.write(_message(words, key, values) + "\n")


def note(env: Env, words: Words, key: str, **values: object) -> None:
    """One of k8squiz's messages on stderr, beside a session or a document on stdout."""
    env.stderr.write(_message(words, key, values) + "\n")
    env.stderr.flush()


def _message(words: Words, key: str, values: Mapping[str, object]) -> str:
    """The message `key` filled in with `values`, every one but a count escaped."""
    shown = {
        name: value if isinstance(value, int) else safe(str(value))
        for name, value in values.items()
    }
    return words(key, **shown)


def confirm(env: Env, words: Words, question: str) -> bool:
    """Ask yes/no at a terminal; without one, refuse (scripts pass --yes). Ctrl-D, like
    Ctrl-C, interrupts (exit 130)."""
    from rich.text import Text

    if not env.interactive:
        raise UsageError(words("not_asked"), fix=words("not_asked_fix"))
    try:
        prompt = f"{question} [{words('yes_no')}] "
        answer = console(env).input(Text(safe(prompt), style="bold yellow"))
    except EOFError:  # Ctrl-D
        raise KeyboardInterrupt from None
    return answer.strip().lower() in YES_WORDS
