"""Check deck files (read, shape, rules) and build the decks of a Library from them.

`check` is what `k8squiz validate` runs; `build_library` is what every other command runs
(through the cache), and it refuses to go on when a deck has an error (warnings do not stop
it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from msgspec import Struct

from k8squiz.decks.discover import DeckSource, deck_files, link_refusal, missing
from k8squiz.decks.library import Deck, Library
from k8squiz.decks.model import KEBAB, DeckFile
from k8squiz.decks.problems import Problem, problem, text_path
from k8squiz.decks.read import ReadError, read
from k8squiz.decks.rules import (
    CardContext,
    Located,
    check_across,
    check_card,
    check_deck_domains,
    check_deck_translations,
    check_exams,
)
from k8squiz.decks.shape import CheckedFile, check_shape
from k8squiz.errors import DeckError
from k8squiz.grading import Grader


class Report(Struct, frozen=True):
    """The outcome of checking deck files: the decks that loaded and every problem."""

    decks: tuple[Deck, ...]
    problems: tuple[Problem, ...]
    files: int

    def count(self, severity: str) -> int:
        return sum(p.severity == severity for p in self.problems)


class _Parsed(Struct, frozen=True):
    path: Path
    source: DeckSource
    checked: CheckedFile


def check(given: Sequence[DeckSource], *, context: Sequence[DeckSource] = ()) -> Report:
    """Check every deck file under `given`, reporting every problem found.

    Decks in `context` (the bundled ones, when a user checks their own) are loaded first so
    that a clash with them is found, but only problems in `given` files are reported.
    """
    problems: list[Problem] = []
    seen: set[Path] = set()  # the files read so far, resolved
    mine = _parse(given, problems, seen=seen)
    theirs = _parse(context, [], seen=seen)
    parsed = theirs + mine
    decks = [d for p in parsed if (d := _deck(p, problems)) is not None]
    quiet = {str(p.path) for p in theirs}
    problems.extend(_card_problems(parsed, decks, quiet))
    problems.extend(
        _topic_problems(decks, {p.path: p.checked.keys.get("topic", 1) for p in parsed})
    )
    bundled = {p.path for p in mine if p.source.bundled}
    if bundled:
        problems.extend(check_exams([d for d in decks if d.path in bundled]))
    order = {str(p.path): i for i, p in enumerate(parsed)}
    problems = [p for p in problems if p.path not in quiet]
    problems.sort(key=lambda p: (order.get(p.path, -1), p.line, p.col))
    return Report(tuple(d for d in decks if str(d.path) not in quiet), tuple(problems), len(mine))


def _parse(
    sources: Sequence[DeckSource], problems: list[Problem], *, seen: set[Path]
) -> list[_Parsed]:
    """Each deck file once, even when two paths lead to it, leaving out those in `seen`
    (resolved paths) and adding those it reads."""
    parsed: list[_Parsed] = []
    for src in sources:
        for path in _files(src, problems):
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                checked = _read(path)
                problems.extend(checked.problems)
                parsed.append(_Parsed(path, src, checked))
    return parsed


def build_library(given: Sequence[DeckSource]) -> Library:
    """The decks of `given` as a Library; DeckError when any of them has an error."""
    report = check(given)
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f"; {len(errors) - 1} more" if len(errors) > 1 else ""
        card = f" [{first.card}]" if first.card else ""
        raise DeckError(
            f"{first.message}{card}{more}",
            where=f"{first.path}:{first.line}:{first.col}",
            fix=f"run 'k8squiz validate {first.path}' to see every problem",
        )
    return Library(report.decks)


def _files(src: DeckSource, problems: list[Problem]) -> Iterator[Path]:
    """The deck files of a source that may be read; a problem for each that may not."""
    if reason := missing(src.path):
        problems.append(problem(str(src.path), 1, 1, "unreadable", reason))
        return
    try:
        files = list(deck_files(src.path))
    except OSError as exc:
        message = f"cannot read the folder: {exc.strerror or type(exc).__name__}"
        problems.append(problem(str(src.path), 1, 1, "unreadable", message))
        return
    if not files:
        message = "this folder holds no deck files (*.yaml or *.yml)"
        problems.append(problem(str(src.path), 1, 1, "no-decks", message))
    inside = src.path.is_dir()
    for file in files:
        if refusal := _refusal(file, src.path if inside else None):
            problems.append(refusal)
        else:
            yield file


def _refusal(file: Path, folder: Path | None) -> Problem | None:
    """Why a file is not read: a name that is not UTF-8, a link that leaves its folder."""
    name = str(file)
    if text_path(name) != name:
        message = "the file name is not UTF-8 (shown as \\x.. here); rename the file"
        return problem(name, 1, 1, "encoding", message)
    reason = link_refusal(file, folder) if folder is not None else ""
    return problem(name, 1, 1, "unreadable", reason) if reason else None


def _read(path: Path) -> CheckedFile:
    try:
        root = read(path)
    except ReadError as exc:
        return CheckedFile(tuple(exc.problems), None, ())
    return check_shape(root, str(path))


def _deck(parsed: _Parsed, problems: list[Problem]) -> Deck | None:
    deck_file = parsed.checked.deck
    if deck_file is None:
        return None
    topic = deck_file.topic or parsed.path.stem
    if not re.match(KEBAB, topic):
        message = (
            f"topic '{topic}' (the file name) is not lowercase-kebab; set 'topic:' in the deck"
        )
        problems.append(problem(str(parsed.path), 1, 1, "format", message))
    if parsed.source.bundled:
        line = parsed.checked.keys.get("title", 1)
        problems.extend(check_deck_translations(deck_file, str(parsed.path), line))
    line = parsed.checked.keys.get("domains", 1)
    problems.extend(check_deck_domains(deck_file, str(parsed.path), line))
    return _build(deck_file, topic, parsed)


def _build(deck_file: DeckFile, topic: str, parsed: _Parsed) -> Deck:
    return Deck(
        topic=topic,
        title=deck_file.title,
        description=deck_file.description or "",
        path=parsed.path,
        origin=parsed.source.origin,
        cards=deck_file.cards,
        lines={
            card.id: keys[""]
            for card, keys in zip(deck_file.cards, parsed.checked.lines, strict=True)
        },
        translations={str(lang): tr for lang, tr in deck_file.translations.items()},
        domains=deck_file.domains,
    )


def _card_problems(parsed: list[_Parsed], decks: list[Deck], quiet: set[str]) -> list[Problem]:
    grader = Grader(card for deck in decks for card in deck.cards)
    found: list[Problem] = []
    located: list[Located] = []
    by_path = {p.path: p for p in parsed}
    for deck in decks:
        source = by_path[deck.path]
        for card, lines in zip(deck.cards, source.checked.lines, strict=True):
            ctx = CardContext(str(deck.path), lines, grader, source.source.bundled)
            found.extend(check_card(card, ctx))
            located.append(Located(card, str(deck.path), lines.get("", 1)))
    return found + check_across(located, quiet=quiet)


def _topic_problems(decks: list[Deck], topic_lines: dict[Path, int]) -> list[Problem]:
    first: dict[str, Deck] = {}
    found = []
    for deck in decks:
        other = first.setdefault(deck.topic, deck)
        if other is not deck:
            message = (
                f"topic '{deck.topic}' is also the topic of {other.path};"
                " give this deck another 'topic:'"
            )
            line = topic_lines.get(deck.path, 1)
            found.append(problem(str(deck.path), line, 1, "duplicate-topic", message))
    return found
