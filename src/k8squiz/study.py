"""Running a study session: flashcards in FSRS order, each rating saved as it is given.

`u` takes back the last rating exactly (review, answer and card state); `q`, Ctrl-C or the
end of input stop, keeping everything. Without a terminal, an empty line reveals and the
next line is the rating (1-4, or again, hard, good, easy).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import msgspec
from msgspec import Struct

from k8squiz.deck import Card, Library
from k8squiz.env import Env
from k8squiz.errors import ExitStatus
from k8squiz.grading import Grader, Verdict
from k8squiz.i18n import Words
from k8squiz.library import load_library
from k8squiz.memory import Memory, Preview, Saved
from k8squiz.records import AnswerRecord, SessionInfo
from k8squiz.scheduler import DEFAULT_RETENTION, Rating, Scheduler
from k8squiz.screens import Screen
from k8squiz.session import StudyQueue, comes_back, day_start, interleave, plan_study
from k8squiz.store import Store

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


class StudyOptions(Struct, frozen=True):
    """What `k8squiz study` was asked for."""

    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    new: int = 20
    limit: int | None = None
    lang: str = "en"
    retention: float = DEFAULT_RETENTION
    decks: tuple[Path, ...] = ()


class StopRequestedError(Exception):
    """The learner pressed q."""


class _Study(Struct):
    env: Env
    library: Library
    grader: Grader
    memory: Memory
    screen: Screen
    session_id: int
    queue: StudyQueue
    undo: list[tuple[Saved, StudyQueue]] = msgspec.field(default_factory=list)
    again: int = 0
    started: float = msgspec.field(default_factory=time.monotonic)


def run(env: Env, options: StudyOptions) -> ExitStatus:
    """Study until nothing is left, `q`, Ctrl-C or the end of input; print a summary."""
    library = load_library(options.decks, env.environ, env.cache_dir)
    wanted = {card.id for card in library.select(options.topics, options.tags)}
    cards = tuple(interleave([[c for c in d.cards if c.id in wanted] for d in library.decks]))
    with Store.open(env.db_path) as store:
        return _run(env, options, library, store, cards)


def _run(
    env: Env, options: StudyOptions, library: Library, store: Store, cards: tuple[Card, ...]
) -> ExitStatus:
    memory = Memory(store, Scheduler(options.retention))
    screen = Screen(env, Words(options.lang))
    queue = _plan(store, cards, env.now(), options)
    if queue.finished:
        screen.nothing_due(_upcoming(store, cards, env.now()))
        return ExitStatus.OK
    info = SessionInfo(
        "study",
        options.topics,
        options.tags,
        "study",
        len(queue.due) + len(queue.new),
        options.lang,
    )
    study = _Study(
        env,
        library,
        Grader(library.cards),
        memory,
        screen,
        store.start_session(info, env.now()),
        queue,
    )
    status = _loop(study)
    store.end_session(study.session_id, env.now())
    screen.study_summary(
        len(study.undo),
        study.again,
        time.monotonic() - study.started,
        _upcoming(store, cards, env.now()),
    )
    return status


def _plan(
    store: Store, cards: tuple[Card, ...], now: datetime, options: StudyOptions
) -> StudyQueue:
    states = {s.card_id: s.due for s in store.card_states()}
    allowed = options.new - store.new_cards_studied_since(day_start(now))
    return plan_study(cards, states, now, new_allowed=allowed, limit=options.limit)


def _loop(study: _Study) -> ExitStatus:
    try:
        while (card_id := study.queue.next()) is not None:
            card = study.library.card(card_id)
            if card is not None:
                _show(study, card)
    except (EOFError, StopRequestedError):
        return ExitStatus.OK
    except KeyboardInterrupt:
        study.screen.out.print()
        return ExitStatus.INTERRUPTED
    return ExitStatus.OK


def _show(study: _Study, card: Card) -> None:
    screen, queue = study.screen, study.queue
    screen.status(due=queue.due_left, new=len(queue.new), done=queue.done)
    screen.question(card, title=study.library.topic_of(card.id))
    started = time.monotonic()
    attempt = screen.read_line(screen.words("reveal_hint")).strip()
    if attempt.lower() in ("u", "q"):
        return _command(study, attempt.lower())
    verdict = study.grader.grade(card, attempt, screen.words.lang) if attempt else None
    screen.flashcard_back(card, verdict)
    preview = study.memory.preview(card.id, study.env.now())
    rating = _rating(study, preview, _suggest(verdict))
    if rating is None:
        return None
    _rate(study, card, rating, preview, verdict=verdict, seconds=time.monotonic() - started)
    return None


def _command(study: _Study, key: str) -> None:
    if key == "q":
        raise StopRequestedError
    if not study.undo:
        study.screen.note(study.screen.words("nothing_to_undo"), "yellow")
        return
    saved, queue = study.undo.pop()
    study.memory.undo(saved)
    study.queue = queue
    study.again -= saved.outcome.rating == Rating.AGAIN
    study.screen.note(study.screen.words("undone", card=saved.card_id), "yellow")


def _suggest(verdict: Verdict | None) -> Rating | None:
    if verdict is None or verdict.revealed:
        return None
    if verdict.correct:
        return Rating.GOOD
    return Rating.HARD if verdict.found else Rating.AGAIN


def _rating(study: _Study, preview: Preview, suggested: Rating | None) -> Rating | None:
    """The learner's rating; None when they undid the previous one instead."""
    screen = study.screen
    while True:
        screen.rating_bar(preview, suggested)
        key = screen.read_key(screen.words("rate_hint"), "1234uq")
        if key in ("u", "q"):
            _command(study, key)
            return None
        if not key and suggested is not None:
            return suggested
        if key in RATING_WORDS:
            return RATING_WORDS[key]


def _rate(
    study: _Study,
    card: Card,
    rating: Rating,
    preview: Preview,
    *,
    verdict: Verdict | None,
    seconds: float,
) -> None:
    now = study.env.now()
    answer = _answer(study, card, verdict, seconds, now) if verdict else None
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
    study.queue = study.queue.rated(card.id, comes_back=comes_back(saved.outcome.due, now))


def _answer(
    study: _Study, card: Card, verdict: Verdict, seconds: float, now: datetime
) -> AnswerRecord:
    return AnswerRecord(
        card_id=card.id,
        topic=study.library.topic_of(card.id),
        given=verdict.given,
        correct=verdict.correct,
        revealed=verdict.revealed,
        mistake=verdict.mistakes[0].answer if verdict.mistakes else None,
        seconds=seconds,
        answered_at=now,
    )


class Upcoming(Struct, frozen=True):
    """When the selection needs the learner next."""

    next_due: timedelta | None
    tomorrow: int


def _upcoming(store: Store, cards: tuple[Card, ...], now: datetime) -> Upcoming:
    wanted = {card.id for card in cards}
    dues = [s.due for s in store.card_states() if s.card_id in wanted]
    future = [due - now for due in dues if due > now]
    tomorrow = day_start(now) + timedelta(days=1)
    count = sum(tomorrow <= due < tomorrow + timedelta(days=1) for due in dues)
    return Upcoming(min(future) if future else None, count)
