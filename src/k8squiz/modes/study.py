"""A study session: flashcards in FSRS order, each rating saved as it is given.

Due cards come first, most overdue first, then new cards from every topic in turn, up to a
daily allowance counted across sessions. A card the rating makes due again within 20 minutes
(Again, and the first steps of a new card) comes back in the session once its time has come,
or sooner when no other card is left. `u` takes back the last rating exactly (review,
answer and card state); `q`, Ctrl-C or the end of input stop, keeping everything. The runner
gets its screen passed in (anything with the `StudyScreen` methods) and returns a
`StudyOutcome`; it never touches a terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

import msgspec
import msgspec.structs
from msgspec import Struct

from k8squiz.curricula import select
from k8squiz.days import day_end, day_start
from k8squiz.decks.library import Library
from k8squiz.decks.model import Card
from k8squiz.grading import Grader, Verdict
from k8squiz.progress.memory import Memory, Preview, Saved
from k8squiz.progress.records import SessionInfo, answer_record
from k8squiz.progress.store import Store
from k8squiz.scheduler import DEFAULT_RETENTION, Rating, Scheduler

# A card due again within this comes back this session: once its time has come, or sooner
# when no other card is left (Anki's "learn ahead" limit, 20 minutes there too).
LEARN_AHEAD = timedelta(minutes=20)
RATING_WORDS = {
    "1": Rating.AGAIN,
    "again": Rating.AGAIN,
    "2": Rating.HARD,
    "hard": Rating.HARD,
    "3": Rating.GOOD,
    "good": Rating.GOOD,
    "4": Rating.EASY,
    "easy": Rating.EASY,
}
UNDO, QUIT = "u", "q"


class StudyOptions(Struct, frozen=True, kw_only=True):
    """What `k8squiz study` was asked for."""

    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    new: int = 20
    limit: int | None = None
    lang: str = "en"
    retention: float = DEFAULT_RETENTION
    cert: str | None = None  # only cards serving this certification...
    domains: tuple[str, ...] = ()  # ...in these curriculum domains (any when empty)


class StudyScreen(Protocol):
    """What a study session needs from a screen."""

    def status(self, *, due: int, new: int, done: int) -> None: ...

    def card(self, card: Card, topic: str) -> None: ...

    def read_attempt(self) -> str:
        """An attempt, or "" to reveal; EOFError at the end of input, KeyboardInterrupt on ^C."""
        ...

    def flashcard_back(self, card: Card, verdict: Verdict | None) -> None: ...

    def read_rating(self, preview: Preview, suggested: Rating | None) -> str:
        """A rating key or word, "u", "q", or "" to take the suggestion."""
        ...

    def undone(self, card_id: str | None) -> None: ...

    def not_a_rating(self, key: str) -> None: ...

    def interrupted(self) -> None: ...


class Upcoming(Struct, frozen=True):
    """When the selection needs the learner next."""

    next_due: timedelta | None  # of the cards not yet due
    tomorrow: int
    due_now: int = 0  # due already: left by a session that stopped early


class StudyOutcome(Struct, frozen=True):
    """A study session that ran, or found nothing due (`session_id` None)."""

    session_id: int | None
    reviewed: int
    again: int
    seconds: float
    upcoming: Upcoming
    interrupted: bool


# Which card next


class StudyQueue(Struct, frozen=True):
    """The cards left in a study session. Every step returns a new queue, so undo is exact."""

    due: tuple[str, ...]
    new: tuple[str, ...]
    again: tuple[tuple[str, datetime], ...] = ()  # (card id, when it is due again)
    done: int = 0
    limit: int | None = None

    @property
    def finished(self) -> bool:
        capped = self.limit is not None and self.done >= self.limit
        return capped or not (self.due or self.new or self.again)

    def next(self, now: datetime) -> str | None:
        """The card to show at `now`: a card due again whose time has come, then reviews,
        then new cards; when none is left, the card due again soonest."""
        if self.finished:
            return None
        waiting = sorted(self.again, key=lambda entry: entry[1])
        if waiting and waiting[0][1] <= now:
            return waiting[0][0]
        return (list(self.due[:1]) or list(self.new[:1]) or [waiting[0][0]])[0]

    def rated(self, card_id: str, *, due_again: datetime | None) -> StudyQueue:
        """The queue once `card_id` is rated; `due_again` when it comes back this session."""
        again = tuple(entry for entry in self.again if entry[0] != card_id)
        if due_again is not None:
            again += ((card_id, due_again),)
        return msgspec.structs.replace(
            self,
            due=tuple(c for c in self.due if c != card_id),
            new=tuple(c for c in self.new if c != card_id),
            again=again,
            done=self.done + 1,
        )

    def left(self, now: datetime) -> tuple[int, int]:
        """The due and new cards this session will still show if nothing more is rated
        Again: all of them, or those `limit` leaves room for, in the order `next` takes them
        at `now` (cards due again whose time has come, due, new, the other cards due again)."""
        if self.limit is None:
            return len(self.due) + len(self.again), len(self.new)
        room = max(self.limit - self.done, 0)
        ready = sum(when <= now for _, when in self.again)
        due = min(ready + len(self.due), room)
        new = min(len(self.new), room - due)
        later = min(len(self.again) - ready, room - due - new)
        return due + later, new


def plan_study(
    cards: Sequence[Card],
    states: Mapping[str, datetime],
    now: datetime,
    *,
    new_allowed: int,
    limit: int | None,
) -> StudyQueue:
    """Due cards, most overdue first; then new cards (never reviewed) in deck order."""
    due = sorted((states[c.id], c.id) for c in cards if c.id in states and states[c.id] <= now)
    new = [c.id for c in cards if c.id not in states][: max(new_allowed, 0)]
    return StudyQueue(due=tuple(card for _, card in due), new=tuple(new), limit=limit)


def interleave(groups: Sequence[Sequence[Card]]) -> list[Card]:
    """One card of each group in turn, each group in its own order: new cards from every
    topic, not twenty from the first deck."""
    mixed: list[Card] = []
    for turn in range(max((len(group) for group in groups), default=0)):
        mixed += [group[turn] for group in groups if turn < len(group)]
    return mixed


def comes_back(due: datetime, now: datetime) -> bool:
    return due - now <= LEARN_AHEAD


def upcoming(due: Mapping[str, datetime], cards: Sequence[Card], now: datetime) -> Upcoming:
    """The next review of these cards, and how many fall due tomorrow; `due`: when each card
    with a schedule is due."""
    dues = [due[card.id] for card in cards if card.id in due]
    future = [due - now for due in dues if due > now]
    tomorrow = day_end(now)
    count = sum(tomorrow <= due < day_end(tomorrow) for due in dues)
    return Upcoming(min(future) if future else None, count, sum(due <= now for due in dues))


# Running a session


class StopRequestedError(Exception):
    """The learner pressed q."""


class _Study(Struct):
    library: Library
    grader: Grader
    memory: Memory
    screen: StudyScreen
    now: Callable[[], datetime]
    lang: str
    session_id: int
    queue: StudyQueue
    undo: list[tuple[Saved, StudyQueue]] = msgspec.field(default_factory=list)
    again: int = 0


def run_study(
    library: Library,
    store: Store,
    screen: StudyScreen,
    options: StudyOptions,
    *,
    now: Callable[[], datetime],
) -> StudyOutcome:
    """Study until nothing is left, `q`, Ctrl-C or the end of input."""
    started = time.monotonic()
    cards = study_cards(library, options)
    due = _due(store)
    queue = _plan(store, due, cards, now(), options)
    if queue.finished:
        return StudyOutcome(None, 0, 0, 0.0, upcoming(due, cards, now()), interrupted=False)
    planned = sum(queue.left(now()))
    info = SessionInfo(
        "study",
        options.topics,
        options.tags,
        "study",
        planned,
        options.lang,
        cert=options.cert,
        domains=options.domains,
    )
    study = _Study(
        library,
        Grader(library.cards),
        Memory(store, Scheduler(options.retention)),
        screen,
        now,
        options.lang,
        store.start_session(info, now()),
        queue,
    )
    interrupted = _loop(study)
    store.end_session(study.session_id, now())
    return StudyOutcome(
        study.session_id,
        len(study.undo),
        study.again,
        time.monotonic() - started,
        upcoming(_due(store), cards, now()),
        interrupted,
    )


def study_cards(library: Library, options: StudyOptions) -> tuple[Card, ...]:
    """The selected cards, new ones taken from every topic in turn."""
    chosen = select(library, options.topics, options.tags, options.cert, options.domains)
    wanted = {card.id for card in chosen}
    return tuple(interleave([[c for c in d.cards if c.id in wanted] for d in library.decks]))


def _due(store: Store) -> dict[str, datetime]:
    """When each card with a schedule is next due."""
    return {s.card_id: s.due for s in store.card_states()}


def _plan(
    store: Store,
    due: Mapping[str, datetime],
    cards: tuple[Card, ...],
    now: datetime,
    options: StudyOptions,
) -> StudyQueue:
    allowed = options.new - store.new_cards_studied_since(day_start(now))
    return plan_study(cards, due, now, new_allowed=allowed, limit=options.limit)


def _loop(study: _Study) -> bool:
    """Show cards until the queue is empty; True when Ctrl-C stopped the session."""
    try:
        while (card_id := study.queue.next(study.now())) is not None:
            card = study.library.card(card_id)
            if card is not None:
                _show(study, card)
    except (EOFError, StopRequestedError):
        return False
    except KeyboardInterrupt:
        study.screen.interrupted()
        return True
    return False


def _show(study: _Study, card: Card) -> None:
    screen, queue = study.screen, study.queue
    due_left, new_left = queue.left(study.now())
    screen.status(due=due_left, new=new_left, done=queue.done)
    screen.card(card, study.library.topic_of(card.id))
    started = time.monotonic()
    attempt = screen.read_attempt().strip()
    if attempt.lower() in (UNDO, QUIT):
        return _command(study, attempt.lower())
    verdict = study.grader.grade(card, attempt, study.lang) if attempt else None
    screen.flashcard_back(card, verdict)
    preview = study.memory.preview(card.id, study.now())
    rating = _rating(study, preview, _suggest(verdict))
    if rating is not None:
        _rate(study, card, rating, preview, verdict=verdict, seconds=time.monotonic() - started)
    return None


def _command(study: _Study, key: str) -> None:
    if key == QUIT:
        raise StopRequestedError
    if not study.undo:
        study.screen.undone(None)
        return
    saved, queue = study.undo.pop()
    study.memory.undo(saved)
    study.queue = queue
    study.again -= saved.outcome.rating == Rating.AGAIN
    study.screen.undone(saved.card_id)


def _suggest(verdict: Verdict | None) -> Rating | None:
    if verdict is None or verdict.revealed:
        return None
    if verdict.correct:
        return Rating.GOOD
    return Rating.HARD if verdict.found else Rating.AGAIN


def _rating(study: _Study, preview: Preview, suggested: Rating | None) -> Rating | None:
    """The learner's rating; None when they undid the previous one instead."""
    while True:
        key = study.screen.read_rating(preview, suggested).strip().lower()
        if key in (UNDO, QUIT):
            _command(study, key)
            return None
        if not key and suggested is not None:
            return suggested
        if key in RATING_WORDS:
            return RATING_WORDS[key]
        if key:
            study.screen.not_a_rating(key)


def _rate(
    study: _Study,
    card: Card,
    rating: Rating,
    preview: Preview,
    *,
    verdict: Verdict | None,
    seconds: float,
) -> None:
    now = study.now()
    topic = study.library.topic_of(card.id)
    answer = answer_record(card.id, topic, verdict, seconds, now) if verdict else None
    saved = study.memory.rate(
        study.session_id,
        card.id,
        rating,
        now,
        answer=answer,
        preview=preview,
        duration_ms=round(seconds * 1000),
    )
    study.undo.append((saved, study.queue))
    study.again += rating == Rating.AGAIN
    due_again = saved.outcome.due if comes_back(saved.outcome.due, now) else None
    study.queue = study.queue.rated(card.id, due_again=due_again)
