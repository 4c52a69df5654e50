"""What the progress database holds, as records: sessions, answers, reviews, card states."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING

import msgspec.json
from msgspec import Struct

if TYPE_CHECKING:
    from k8squiz.grading import Verdict


def iso(moment: datetime) -> str:
    """A UTC time as text that sorts as it compares."""
    if moment.tzinfo is None:
        raise ValueError("times are stored in UTC and must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def new_uid() -> str:
    return uuid.uuid4().hex


class ExamStatus(Enum):
    """How an exam ended, as stored."""

    SUBMITTED = "submitted"
    TIMED_OUT = "timed-out"  # submitted when its time ran out
    ABANDONED = "abandoned"  # stopped with Ctrl-C: its answers are kept, it is not scored


class SessionInfo(Struct, frozen=True):
    """What a session asked for."""

    kind: str
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    mode: str
    planned: int
    lang: str
    seed: int | None = None
    cert: str | None = None  # an exam's, or a selection by certification
    domains: tuple[str, ...] = ()  # a selection by curriculum domain
    time_limit: int | None = None  # an exam's, in seconds
    pass_mark: int | None = None  # an exam's, in percent

    @property
    def selection(self) -> str:
        """The same selection gives the same key, whatever the order of the options."""
        key: dict[str, object] = {
            "topics": sorted(self.topics),
            "tags": sorted(self.tags),
            "mode": self.mode,
        }
        if self.cert:  # only then, so the keys of earlier sessions stay what they were
            key.update(cert=self.cert, domains=sorted(self.domains))
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
    domain: str | None = None  # an exam's: the curriculum domain the question was asked for


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
    cert: str | None = None
    time_limit: int | None = None
    pass_mark: int | None = None
    status: str | None = None  # an exam's: submitted, timed-out or abandoned

    @property
    def score_base(self) -> int:
        """What a score counts against: every question of an exam (unanswered ones are
        wrong), the answers given in a quiz."""
        return self.planned if self.kind == "exam" else self.answered

    @property
    def percent(self) -> float | None:
        base = self.score_base
        return 100 * self.correct / base if base else None

    @property
    def passed(self) -> bool | None:
        """An exam submitted (or timed out) at or over its pass mark; None when not scored."""
        scored = (ExamStatus.SUBMITTED.value, ExamStatus.TIMED_OUT.value)
        if self.kind != "exam" or self.status not in scored:
            return None
        percent = self.percent
        return percent is not None and self.pass_mark is not None and percent >= self.pass_mark


class CardState(Struct, frozen=True):
    card_id: str
    state: str
    due: datetime
