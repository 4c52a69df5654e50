"""The versioned JSON documents k8squiz prints for programs (`--json`, `validate --format
json`): one struct per document, the only place their fields are written.

Every document starts with `"version": 1`; the version changes only when a field changes
meaning or goes away (new fields may appear). `k8squiz schema output` prints their JSON
Schema, committed as schema/output.schema.json. Building a document from k8squiz's records
is done here too, so a command never assembles JSON by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import msgspec
from msgspec import Struct

from k8squiz.decks.model import card_text

if TYPE_CHECKING:
    from k8squiz.decks.build import Report
    from k8squiz.decks.library import Library
    from k8squiz.decks.problems import Problem
    from k8squiz.modes.quiz import QuizOutcome
    from k8squiz.progress.records import AnswerRecord, SessionSummary
    from k8squiz.progress.stats import Stats

VERSION = 1


class Answer(Struct, frozen=True, kw_only=True):
    """One answer as it was given."""

    card: str
    topic: str
    given: str
    correct: bool
    revealed: bool
    mistake: str | None  # the known mistake the answer matched
    seconds: float
    answered_at: str  # ISO 8601, UTC
    question: str | None = None  # quiz documents: the question in the quiz's language
    expected: str | None = None


class TopicScore(Struct, frozen=True, kw_only=True):
    topic: str
    correct: int
    answered: int


class QuizDocument(Struct, frozen=True, kw_only=True):
    """`k8squiz quiz --json`."""

    version: int = VERSION
    kind: Literal["quiz"] = "quiz"
    session: int
    seed: int
    lang: str
    topics: list[str]
    tags: list[str]
    mode: str
    planned: int
    answered: int
    correct: int
    percent: float
    seconds: float
    complete: bool
    interrupted: bool
    change: float | None
    by_topic: list[TopicScore]
    answers: list[Answer]


class Session(Struct, frozen=True, kw_only=True):
    id: int
    uid: str
    kind: str
    started_at: str
    ended_at: str | None
    topics: list[str]
    tags: list[str]
    mode: str
    lang: str
    seed: int | None
    planned: int
    answered: int
    correct: int
    seconds: float
    reviews: int
    answers: list[Answer]


class HistoryDocument(Struct, frozen=True, kw_only=True):
    """`k8squiz history --json`: the last sessions, newest first, each with every answer."""

    version: int = VERSION
    sessions: list[Session]


class TopicFigures(Struct, frozen=True, kw_only=True):
    topic: str
    title: str
    cards: int
    seen: int
    mastered: int
    accuracy_7: float | None
    accuracy_30: float | None
    due_now: int
    due_today: int
    due_tomorrow: int
    due_week: int


class DayReviews(Struct, frozen=True):
    date: str
    reviews: int


class DayDue(Struct, frozen=True):
    date: str
    cards: int


class WeakCard(Struct, frozen=True, kw_only=True):
    card: str
    topic: str
    question: str
    answer: str
    lapses: int
    recall: float


class MistakeCount(Struct, frozen=True, kw_only=True):
    card: str
    mistake: str
    count: int
    reason: str


class StatsDocument(Struct, frozen=True, kw_only=True):
    """`k8squiz stats --json`."""

    version: int = VERSION
    kind: Literal["stats"] = "stats"
    generated_at: str
    mastered_days: float
    target_retention: float
    topics: list[TopicFigures]
    streak_days: int
    retention: float | None
    retention_reviews: int
    reviews_per_day: list[DayReviews]
    due_per_day: list[DayDue]
    weakest: list[WeakCard]
    mistakes: list[MistakeCount]


class ProblemEntry(Struct, frozen=True, kw_only=True):
    path: str
    line: int
    column: int
    severity: Literal["error", "warning"]
    code: str
    message: str
    card: str | None


class ValidateDocument(Struct, frozen=True, kw_only=True):
    """`k8squiz validate --format json`."""

    version: int = VERSION
    files: int
    cards: int
    errors: int
    warnings: int
    problems: list[ProblemEntry]


DOCUMENTS = (QuizDocument, HistoryDocument, StatsDocument, ValidateDocument)


def encode(document: Struct) -> str:
    """A document as indented JSON text (UTF-8 kept as is), "version" first."""
    return msgspec.json.format(msgspec.json.encode(document), indent=2).decode() + "\n"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of every document k8squiz prints for programs."""
    schemas, components = msgspec.json.schema_components(DOCUMENTS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "k8squiz output documents",
        "anyOf": list(schemas),
        "$defs": components,
    }


# Building documents from k8squiz's records


def answer(
    record: AnswerRecord, question: str | None = None, expected: str | None = None
) -> Answer:
    return Answer(
        card=record.card_id,
        topic=record.topic,
        given=record.given,
        correct=record.correct,
        revealed=record.revealed,
        mistake=record.mistake,
        seconds=record.seconds,
        answered_at=record.answered_at.isoformat(),
        question=question,
        expected=expected,
    )


def quiz_document(library: Library, outcome: QuizOutcome) -> QuizDocument:
    result, info = outcome.result, outcome.info
    return QuizDocument(
        session=outcome.session_id,
        seed=outcome.plan.seed,
        lang=info.lang,
        topics=list(info.topics),
        tags=list(info.tags),
        mode=info.mode,
        planned=len(outcome.plan),
        answered=result.answered,
        correct=result.correct,
        percent=round(result.percent, 1),
        seconds=round(result.seconds, 1),
        complete=result.complete,
        interrupted=outcome.interrupted,
        change=None if outcome.change is None else round(outcome.change, 1),
        by_topic=[
            TopicScore(topic=t.topic, correct=t.correct, answered=t.answered)
            for t in result.by_topic()
        ],
        answers=[_quiz_answer(library, a, info.lang) for a in result.answers],
    )


def _quiz_answer(library: Library, record: AnswerRecord, lang: str) -> Answer:
    card = library.card(record.card_id)
    text = card_text(card, lang) if card else None
    return answer(record, text.question if text else None, text.answer if text else None)


def history_document(
    sessions: Sequence[tuple[SessionSummary, Sequence[AnswerRecord]]],
) -> HistoryDocument:
    return HistoryDocument(sessions=[_session(s, answers) for s, answers in sessions])


def _session(s: SessionSummary, answers: Sequence[AnswerRecord]) -> Session:
    return Session(
        id=s.id,
        uid=s.uid,
        kind=s.kind,
        started_at=s.started_at.isoformat(),
        ended_at=s.ended_at.isoformat() if s.ended_at else None,
        topics=list(s.topics),
        tags=list(s.tags),
        mode=s.mode,
        lang=s.lang,
        seed=s.seed,
        planned=s.planned,
        answered=s.answered,
        correct=s.correct,
        seconds=round(s.seconds, 1),
        reviews=s.reviews,
        answers=[answer(a) for a in answers],
    )


def stats_document(figures: Stats, generated_at: str) -> StatsDocument:
    from k8squiz.progress.stats import MASTERED_DAYS

    return StatsDocument(
        generated_at=generated_at,
        mastered_days=MASTERED_DAYS,
        target_retention=figures.target,
        topics=[
            TopicFigures(
                topic=t.topic,
                title=t.title,
                cards=t.cards,
                seen=t.seen,
                mastered=t.mastered,
                accuracy_7=t.accuracy_7,
                accuracy_30=t.accuracy_30,
                due_now=t.due_now,
                due_today=t.due_today,
                due_tomorrow=t.due_tomorrow,
                due_week=t.due_week,
            )
            for t in figures.topics
        ],
        streak_days=figures.streak,
        retention=figures.retention,
        retention_reviews=figures.retention_reviews,
        reviews_per_day=[DayReviews(d.isoformat(), n) for d, n in figures.reviews_per_day],
        due_per_day=[DayDue(d.isoformat(), n) for d, n in figures.due_per_day],
        weakest=[
            WeakCard(
                card=w.card_id,
                topic=w.topic,
                question=w.question,
                answer=w.answer,
                lapses=w.lapses,
                recall=round(w.recall, 3),
            )
            for w in figures.weakest
        ],
        mistakes=[
            MistakeCount(card=m.card_id, mistake=m.mistake, count=m.count, reason=m.reason)
            for m in figures.mistakes
        ],
    )


def validate_document(report: Report, problems: Sequence[Problem]) -> ValidateDocument:
    return ValidateDocument(
        files=report.files,
        cards=sum(len(d.cards) for d in report.decks),
        errors=sum(p.severity == "error" for p in problems),
        warnings=sum(p.severity == "warning" for p in problems),
        problems=[
            ProblemEntry(
                path=p.path,
                line=p.line,
                column=p.col,
                severity=p.severity,
                code=p.code,
                message=p.message,
                card=p.card or None,
            )
            for p in problems
        ],
    )
