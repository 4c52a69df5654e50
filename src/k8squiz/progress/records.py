"""What the progress database holds, as records: sessions, answers, reviews, card states."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import msgspec.json
from msgspec import Struct

from k8squiz.grading import Verdict


def iso(moment: datetime) -> str:
    """A UTC time as text that sorts as it compares."""
    if moment.tzinfo is None:
        raise ValueError("times are stored in UTC and must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def new_uid() -> str:
    return uuid.uuid4().hex


class SessionInfo(Struct, frozen=True):
    """What a session asked for."""

    kind: str
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    mode: str
    planned: int
    lang: str
    seed: int | None = None

    @property
    def selection(self) -> str:
        """The same selection gives the same key, whatever the order of the options."""
        key = {"topics": sorted(self.topics), "tags": sorted(self.tags), "mode": self.mode}
        return msgspec.json.encode(key).decode()


class AnswerRecord(Struct, frozen=True):
    """One answer as it was given."""

    card_id: str
    topic: str
    given: str
    correct: bool
    revealed: bool
    mistake: str | None
    seconds: float
    answered_at: datetime


def answer_record(
    card_id: str, topic: str, verdict: Verdict, seconds: float, at: datetime
) -> AnswerRecord:
    """What is saved of a graded answer: the one mapping from a verdict to a record."""
    return AnswerRecord(
        card_id=card_id,
        topic=topic,
        given=verdict.given,
        correct=verdict.correct,
        revealed=verdict.revealed,
        mistake=verdict.mistakes[0].answer if verdict.mistakes else None,
        seconds=seconds,
        answered_at=at,
    )


class ReviewWrite(Struct, frozen=True):
    """A rating to save, with the card's memory state before and after it."""

    card_id: str
    rating: int
    at: datetime
    before: str | None
    after: str
    source: str
    session_id: int | None
    duration_ms: int | None
    fsrs_version: str
    answer_id: int | None = None
    before_state: int | None = None  # FSRS Learning 1, Review 2, Relearning 3; None when new


class ReviewRecord(Struct, frozen=True):
    """One rating of a card, with its memory state before and after."""

    id: int
    card_id: str
    rating: int
    reviewed_at: datetime
    state_before: str | None
    state_after: str


class SessionSummary(Struct, frozen=True):
    """A past session and its score."""

    id: int
    uid: str
    kind: str
    started_at: datetime
    ended_at: datetime | None
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    mode: str
    planned: int
    lang: str
    seed: int | None
    answered: int
    correct: int
    seconds: float
    reviews: int = 0


class CardState(Struct, frozen=True):
    card_id: str
    state: str
    due: datetime
