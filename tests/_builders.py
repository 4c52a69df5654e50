"""Builders shared by the store, progress and stats tests: real history, saved as k8squiz saves it.

Nothing here writes rows by hand: answers and ratings go through Memory and Store, so the
tests see the same records a quiz or a study session would leave.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from k8squiz.decks.library import Deck, Library
from k8squiz.decks.model import Card, Mistake
from k8squiz.progress.memory import Memory
from k8squiz.progress.records import AnswerRecord, SessionInfo
from k8squiz.progress.store import Store
from k8squiz.scheduler import Outcome, Rating, Scheduler

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
DB_NAME = "k8squiz.db"

# A deck of one true/false card (its answer is false), with a pt-BR translation.
TRUE_FALSE = """
title: Truths
topic: truths
cards:
  - id: secrets-encrypted
    question: Secrets are encrypted at rest by default.
    answer: "false"
    explanation: |
      Only base64-encoded. Turn encryption on with a config like:
      ```yaml
      kind: EncryptionConfiguration
      ```
    translations:
      pt-BR:
        question: Secrets são criptografados em repouso por padrão.
        explanation: Só em base64.
"""


def db_path(home: Path) -> Path:
    """Where k8squiz keeps the progress database of a data folder."""
    return home / DB_NAME


def days_ago(days: float, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


@dataclass(frozen=True)
class Reply:
    """One quiz answer to record: the card, what was typed, and whether it was right."""

    card: str
    given: str
    correct: bool
    mistake: str | None = None
    topic: str = "ports"


class Learner:
    """A learner's history, saved through Memory and Store exactly as a session saves it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.memory = Memory(store, Scheduler(fuzz=False))

    def quiz(self, replies: Sequence[Reply], at: datetime, topics: Sequence[str] = ()) -> int:
        """A finished quiz, one answer a second from `at`; returns its session id."""
        chosen = tuple(topics) or tuple(dict.fromkeys(r.topic for r in replies))
        info = SessionInfo("quiz", chosen, (), "typed", len(replies), "en", seed=7)
        session = self.store.start_session(info, at)
        for n, reply in enumerate(replies):
            self.memory.answer(session, _record(reply, at + timedelta(seconds=n)))
        self.store.end_session(session, at + timedelta(seconds=len(replies)))
        return session

    def study(self, ratings: Sequence[tuple[str, Rating]], at: datetime) -> int:
        """A finished study session, one rating a second from `at`; returns its session id."""
        info = SessionInfo("study", (), (), "study", len(ratings), "en")
        session = self.store.start_session(info, at)
        for n, (card, rating) in enumerate(ratings):
            self.memory.rate(session, card, rating, at + timedelta(seconds=n))
        self.store.end_session(session, at + timedelta(seconds=len(ratings)))
        return session

    def rate(self, card: str, rating: Rating, at: datetime) -> Outcome:
        """One rating outside any session."""
        return self.memory.rate(None, card, rating, at).outcome

    def stability(self, card: str) -> float:
        state = self.memory.state(card)
        assert state is not None
        assert state.stability is not None
        return float(state.stability)


def _record(reply: Reply, at: datetime) -> AnswerRecord:
    return AnswerRecord(
        card_id=reply.card,
        topic=reply.topic,
        given=reply.given,
        correct=reply.correct,
        revealed=False,
        mistake=reply.mistake,
        seconds=2.5,
        answered_at=at,
    )


@contextmanager
def learner(home: Path) -> Iterator[Learner]:
    """The learner whose progress lives in `home`, closed again afterwards."""
    store = Store.open(db_path(home))
    try:
        yield Learner(store)
    finally:
        store.close()


def query(path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Rows read straight from a database file with plain sqlite3, bypassing k8squiz."""
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql, args).fetchall()


def count(path: Path, table: str) -> int:
    return int(query(path, f"SELECT count(*) FROM {table}")[0][0])


def counts(path: Path) -> dict[str, int]:
    """How many sessions, answers, reviews and card states a database holds."""
    return {t: count(path, t) for t in ("sessions", "answers", "reviews", "card_states")}


def card(card_id: str, *mistakes: tuple[str, str]) -> Card:
    """A card with `(answer, reason)` known mistakes."""
    return Card(
        id=card_id,
        question=f"Question of {card_id}?",
        answer=f"answer of {card_id}",
        explanation="Because the documentation says so.",
        mistakes=tuple(Mistake(answer=a, reason=r) for a, r in mistakes),
    )


def library(**topics: Sequence[Card]) -> Library:
    """A library of one deck per keyword: topic name -> its cards."""
    return Library(
        tuple(
            Deck(name, name.title(), "", Path(f"{name}.yaml"), "bundled", tuple(cards))
            for name, cards in topics.items()
        )
    )


@contextmanager
def local_zone(name: str) -> Iterator[None]:
    """Run with the local timezone set to `name` (this process and the ones it starts)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
