"""Past sessions as a document for scripts (`k8squiz history --json`)."""

from __future__ import annotations

from typing import Any

from k8squiz.records import AnswerRecord, SessionSummary
from k8squiz.store import Store


def document(store: Store, limit: int) -> dict[str, Any]:
    """The last `limit` sessions, newest first, each with every answer given."""
    return {"sessions": [_session(store, s) for s in store.sessions(limit=limit)]}


def answer_document(a: AnswerRecord) -> dict[str, Any]:
    """An answer as scripts read it, in `history --json` and `quiz --json`."""
    return {
        "card": a.card_id,
        "topic": a.topic,
        "given": a.given,
        "correct": a.correct,
        "revealed": a.revealed,
        "mistake": a.mistake,
        "seconds": a.seconds,
        "answered_at": a.answered_at.isoformat(),
    }


def _session(store: Store, s: SessionSummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "uid": s.uid,
        "kind": s.kind,
        "started_at": s.started_at.isoformat(),
        "ended_at": s.ended_at.isoformat() if s.ended_at else None,
        "topics": list(s.topics),
        "tags": list(s.tags),
        "mode": s.mode,
        "lang": s.lang,
        "seed": s.seed,
        "planned": s.planned,
        "answered": s.answered,
        "correct": s.correct,
        "seconds": round(s.seconds, 1),
        "reviews": s.reviews,
        "answers": [answer_document(a) for a in store.session_answers(s.id)],
    }
