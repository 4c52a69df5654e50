"""Everything Rich: consoles, errors, reports and tables.

Deck text is data: it is always handed to Rich as `Text` (or Markdown for explanations),
never as a markup string, so `[bold]` in a card prints as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import msgspec.structs
from rich.console import Console
from rich.table import Table
from rich.text import Text

from k8squiz import __version__
from k8squiz.deck import Library
from k8squiz.env import Env
from k8squiz.errors import K8sQuizError, UsageError
from k8squiz.i18n import Words

if TYPE_CHECKING:
    from k8squiz.loader import Report
    from k8squiz.records import SessionSummary
    from k8squiz.source import Problem

JSON_VERSION = 1


def console(env: Env, *, stderr: bool = False, soft_wrap: bool = False) -> Console:
    """A console on stdout or stderr that honours NO_COLOR and never reads markup."""
    return Console(
        file=env.stderr if stderr else env.stdout,
        color_system="auto" if env.color else None,
        no_color=not env.color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=soft_wrap,
    )


def error(env: Env, exc: BaseException, *, debug: bool) -> None:
    """One line on stderr; a traceback only with --debug."""
    err = console(env, stderr=True)
    if debug:
        import traceback

        err.file.write("".join(traceback.format_exception(exc)))
    if isinstance(exc, K8sQuizError):
        line = f"k8squiz: error: {exc}"
    else:
        line = (
            f"k8squiz: internal error: {type(exc).__name__}: {exc}"
            " (please report it; --debug shows the traceback)"
        )
    err.print(Text(line, style="red"), soft_wrap=True)


def dump_json(env: Env, document: dict[str, Any]) -> None:
    """A JSON document for programs, with the format's version key first."""
    import json

    env.stdout.write(
        json.dumps({"version": JSON_VERSION, **document}, ensure_ascii=False, indent=2) + "\n"
    )


def version(env: Env) -> None:
    import platform

    from k8squiz.deck import bundled_dir

    out = console(env)
    out.print(f"k8squiz {__version__}")
    out.print(f"data:   {env.db_path}")
    out.print(f"decks:  {bundled_dir()}")
    out.print(f"python: {platform.python_version()}")


# validate


def problem_report(env: Env, report: Report, fmt: str, *, strict: bool) -> None:
    problems = [_strict(p) if strict else p for p in report.problems]
    if fmt == "json":
        dump_json(env, _report_json(report, problems))
        return
    out = console(env)
    for found in problems:
        out.print(_problem_line(found, fmt), soft_wrap=True)
    out.print(_summary(report, problems), soft_wrap=True)


def _strict(found: Problem) -> Problem:
    return (
        msgspec.structs.replace(found, severity="error") if found.severity == "warning" else found
    )


def _problem_line(found: Problem, fmt: str) -> Text:
    card = f" [{found.card}]" if found.card else ""
    if fmt == "github":
        level = "error" if found.severity == "error" else "warning"
        message = _github_escape(f"{found.message}{card}")
        path = _github_escape(found.path, property_value=True)
        return Text(
            f"::{level} file={path},line={found.line},col={found.col},"
            f"title=k8squiz {found.code}::{message}"
        )
    style = "red" if found.severity == "error" else "yellow"
    return Text.assemble(
        (f"{found.path}:{found.line}:{found.col}: ", "bold"),
        (f"{found.severity}: ", style),
        f"{found.message}{card}",
    )


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """GitHub workflow-command escaping; property values also escape ':' and ','."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def _summary(report: Report, problems: Sequence[Problem]) -> Text:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    cards = sum(len(d.cards) for d in report.decks)
    where = f"{report.files} file{'s' * (report.files != 1)}, {cards} cards"
    if not problems:
        return Text(f"{where}: no problems", style="green")
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return Text(f"{where}: {counts}", style="red" if errors else "yellow")


def _report_json(report: Report, problems: Sequence[Problem]) -> dict[str, Any]:
    return {
        "files": report.files,
        "cards": sum(len(d.cards) for d in report.decks),
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "column": p.col,
                "severity": p.severity,
                "code": p.code,
                "message": p.message,
                "card": p.card or None,
            }
            for p in problems
        ],
    }


def rules(env: Env) -> None:
    from k8squiz.validate import RULES

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
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(words("topic"), no_wrap=True)
    table.add_column(words("title"))
    table.add_column(words("cards"), justify="right")
    for header in extra or {}:
        table.add_column(header, justify="right")
    table.add_column(words("from"), overflow="fold")
    for i, deck in enumerate(library.decks):
        origin = words("bundled") if deck.origin == "bundled" else deck.origin
        more = [values[i] for values in (extra or {}).values()]
        table.add_row(
            Text(deck.topic),
            Text(deck.title_in(words.lang)),
            str(len(deck.cards)),
            *more,
            Text(origin),
        )
    out = console(env)
    out.print(table)
    out.print(
        words("topics_total", cards=len(library.cards), topics=len(library.decks)), style="dim"
    )


def tags(env: Env, library: Library, words: Words) -> None:
    counts = {tag: sum(tag in card.tags for card in library.cards) for tag in library.tags}
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(words("tag"))
    table.add_column(words("cards"), justify="right")
    for tag, count in counts.items():
        table.add_row(Text(tag), str(count))
    console(env).print(table)


# history


def _score(words: Words, s: SessionSummary) -> str:
    if s.kind == "study":
        return words("reviews_count", n=s.reviews)
    percent = f" ({100 * s.correct / s.answered:.0f}%)" if s.answered else ""
    return f"{s.correct}/{s.answered}{percent}"


def history(env: Env, words: Words, sessions: Sequence[SessionSummary]) -> None:
    out = console(env)
    if not sessions:
        out.print(words("no_history"))
        return
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for column in ("date", "kind", "topic", "score"):
        table.add_column(words(column), justify="right" if column == "score" else "left")
    for s in sessions:
        when = s.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        topics = ", ".join(s.topics + tuple(f"#{t}" for t in s.tags)) or words("all_topics")
        table.add_row(when, words(s.kind), Text(topics), _score(words, s))
    out.print(table)


def say(env: Env, words: Words, key: str, **values: object) -> None:
    """One of k8squiz's messages, on stdout, on one line (paths in it must stay whole)."""
    console(env).print(Text(words(key, **values)), soft_wrap=True)


def confirm(env: Env, question: str) -> bool:
    """Ask yes/no at a terminal; without one, refuse (scripts pass --yes)."""
    if not env.interactive:
        raise UsageError(f"{question} Not asked without a terminal", fix="pass --yes")
    answer = console(env).input(Text(f"{question} [y/N] ", style="bold yellow"))
    return answer.strip().lower() in ("y", "yes", "s", "sim")
