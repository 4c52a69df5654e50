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
from k8squiz.progress.records import ExamStatus

if TYPE_CHECKING:
    from k8squiz.decks.build import Report
    from k8squiz.decks.library import Library
    from k8squiz.decks.problems import Problem
    from k8squiz.modes.exam import ExamOutcome, QuestionResult
    from k8squiz.modes.quiz import QuizOutcome
    from k8squiz.progress.readiness import Readiness
    from k8squiz.progress.records import AnswerRecord, SessionSummary
    from k8squiz.progress.stats import ExamHistory, Stats

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
    domain: str | None = None  # exam answers: the curriculum domain asked for


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
    cert: str | None = None  # exams (and selections by certification)
    status: str | None = None  # exams: submitted, timed-out or abandoned
    pass_mark: int | None = None  # exams, in percent
    time_limit: int | None = None  # exams, in seconds


class HistoryDocument(Struct, frozen=True, kw_only=True):
    """`k8squiz history --json`: the last sessions, newest first, each with every answer."""

    version: int = VERSION
    kind: Literal["history"] = "history"
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


class ExamScore(Struct, frozen=True, kw_only=True):
    """A past mock exam, as `stats` lists it."""

    session: int
    started_at: str
    status: str
    questions: int
    correct: int
    percent: float
    passed: bool


class ExamTrend(Struct, frozen=True, kw_only=True):
    cert: str
    pass_mark: int | None
    exams: list[ExamScore]  # the last ones scored, oldest first
    trend: float | None  # percentage points from the first of them to the last


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
    exams: list[ExamTrend] = []


class DomainReadiness(Struct, frozen=True, kw_only=True):
    domain: str
    name: str
    weight: int
    cards: int
    seen: int
    recall: float  # the share of its cards expected to be recalled, 0..1


class StudyFirst(Struct, frozen=True, kw_only=True):
    card: str
    topic: str
    domain: str  # the first of `domains`
    domains: list[str]  # every domain of the curriculum the card serves; `gain` sums them
    question: str
    recall: float
    gain: float  # percentage points the total would gain were the card recalled


class ReadinessDocument(Struct, frozen=True, kw_only=True):
    """`k8squiz stats --cert C --json`."""

    version: int = VERSION
    kind: Literal["readiness"] = "readiness"
    cert: str
    at: str  # ISO 8601, UTC: the moment the recall is worked out for
    readiness: float  # the weighted total, 0..1
    domains: list[DomainReadiness]
    study_first: list[StudyFirst]
    next: str | None  # the command that studies the weakest domain
    exams: ExamTrend


class ExamDomain(Struct, frozen=True, kw_only=True):
    domain: str
    name: str
    weight: int
    questions: int
    correct: int
    percent: float | None


class ExamQuestionEntry(Struct, frozen=True, kw_only=True):
    number: int
    card: str
    topic: str
    domain: str
    question: str
    options: list[str]  # multiple choice, in the order shown (a, b, c...); [] when typed
    expected: str
    given: str | None  # null: not answered (counted wrong)
    correct: bool
    mistake: str | None
    flagged: bool
    seconds: float | None


class ExamDocument(Struct, frozen=True, kw_only=True):
    """`k8squiz exam --json`."""

    version: int = VERSION
    kind: Literal["exam"] = "exam"
    session: int
    cert: str
    seed: int
    lang: str
    status: ExamStatus
    started_at: str
    time_limit: int  # seconds
    seconds: float  # time used
    questions: int
    answered: int
    correct: int
    percent: float
    pass_mark: int
    passed: bool | None  # null when abandoned
    by_domain: list[ExamDomain]
    readiness: float  # today's, 0..1 (see stats --cert)
    next: str  # the command that studies the weakest domain
    answers: list[ExamQuestionEntry]


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


DOCUMENTS = (
    QuizDocument,
    ExamDocument,
    HistoryDocument,
    StatsDocument,
    ReadinessDocument,
    ValidateDocument,
)


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
        domain=record.domain,
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
        cert=s.cert,
        status=s.status,
        pass_mark=s.pass_mark,
        time_limit=s.time_limit,
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
        exams=[exam_trend(e) for e in figures.exams],
    )


def exam_trend(history: ExamHistory) -> ExamTrend:
    return ExamTrend(
        cert=history.cert,
        pass_mark=history.pass_mark,
        exams=[
            ExamScore(
                session=s.id,
                started_at=s.started_at.isoformat(),
                status=s.status or "",
                questions=s.planned,
                correct=s.correct,
                percent=round(s.percent or 0.0, 1),
                passed=bool(s.passed),
            )
            for s in history.exams
        ],
        trend=None if history.trend is None else round(history.trend, 1),
    )


def readiness_document(
    ready: Readiness, history: ExamHistory, next_command: str | None
) -> ReadinessDocument:
    return ReadinessDocument(
        cert=ready.cert,
        at=ready.at.isoformat(),
        readiness=round(ready.total, 4),
        domains=[
            DomainReadiness(
                domain=d.domain,
                name=d.name,
                weight=d.weight,
                cards=d.cards,
                seen=d.seen,
                recall=round(d.recall, 4),
            )
            for d in ready.domains
        ],
        study_first=[
            StudyFirst(
                card=f.card_id,
                topic=f.topic,
                domain=f.domain,
                domains=list(f.domains),
                question=f.question,
                recall=round(f.recall, 4),
                gain=round(f.gain, 3),
            )
            for f in ready.first
        ],
        next=next_command,
        exams=exam_trend(history),
    )


def exam_document(outcome: ExamOutcome) -> ExamDocument:
    result, plan = outcome.result, outcome.plan
    scored = outcome.status is not ExamStatus.ABANDONED
    return ExamDocument(
        session=outcome.session_id,
        cert=plan.cert,
        seed=plan.seed,
        lang=outcome.lang,
        status=outcome.status,
        started_at=outcome.started_at.isoformat(),
        time_limit=plan.minutes * 60,
        seconds=round(outcome.seconds, 1),
        questions=len(result.questions),
        answered=result.answered,
        correct=result.correct,
        percent=round(result.percent, 1),
        pass_mark=result.pass_mark,
        passed=result.passed if scored else None,
        by_domain=[
            ExamDomain(
                domain=d.domain,
                name=d.name,
                weight=d.weight,
                questions=d.questions,
                correct=d.correct,
                percent=round(d.percent, 1) if d.questions else None,
            )
            for d in result.domains
        ],
        readiness=round(outcome.readiness.total, 4),
        next=outcome.next_command,
        answers=[_exam_answer(q, outcome.lang) for q in result.questions],
    )


def _exam_answer(item: QuestionResult, lang: str) -> ExamQuestionEntry:
    question, record = item.question, item.answer
    text = card_text(question.card, lang)
    return ExamQuestionEntry(
        number=question.number,
        card=question.card.id,
        topic=question.topic,
        domain=question.domain,
        question=text.question,
        options=[o.shown for o in question.options],
        expected=text.answer,
        given=record.given if record else None,
        correct=item.correct,
        mistake=record.mistake if record else None,
        flagged=item.flagged,
        seconds=round(record.seconds, 1) if record else None,
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
