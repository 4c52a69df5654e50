"""What k8squiz remembers of each card: answers and ratings, saved with the FSRS state they give.

A quiz answer is a review too (right = Good, wrong = Again), so quiz and study share one
memory of each card; a practice answer (`quiz --practice`, an exam) is saved without one, so
cramming never moves a card's schedule. Each answer or rating is one transaction: the card's
state is read under the write lock, so two sessions reviewing the same card at once both count.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from msgspec import Struct

from k8squiz.progress.records import AnswerRecord, ReviewWrite
from k8squiz.progress.store import Store
from k8squiz.scheduler import FSRS_VERSION, Outcome, Rating, Scheduler, dump, load

if TYPE_CHECKING:
    import fsrs


class Preview(Struct, frozen=True):
    """What each rating would do, computed from the state the learner was shown."""

    before: str | None
    outcomes: dict[Rating, Outcome]


class Saved(Struct, frozen=True):
    """A rating as saved, enough to undo it."""

    review_id: int
    card_id: str
    outcome: Outcome


class Memory:
    """The store and the scheduler, used together."""

    def __init__(self, store: Store, scheduler: Scheduler) -> None:
        self.store = store
        self.scheduler = scheduler

    def state(self, card_id: str) -> fsrs.Card | None:
        text = self.store.card_state(card_id)
        return None if text is None else load(text)

    def preview(self, card_id: str, now: datetime) -> Preview:
        """The outcome of each rating, to label the rating keys with the intervals they give."""
        before = self.store.card_state(card_id)
        state = None if before is None else load(before)
        return Preview(before, self.scheduler.preview(card_id, state, now))

    def answer(self, session_id: int, answer: AnswerRecord, source: str = "quiz") -> Saved:
        """Save a quiz answer and the review it implies: Good when right, Again when wrong."""
        rating = Rating.GOOD if answer.correct else Rating.AGAIN
        return self.rate(
            session_id, answer.card_id, rating, answer.answered_at, answer=answer, source=source
        )

    def practise(self, session_id: int, answer: AnswerRecord) -> None:
        """Save a practice answer: in the history and the weakest cards, never a review."""
        self.store.save_answer(session_id, answer)

    def rate(
        self,
        session_id: int | None,
        card_id: str,
        rating: Rating,
        at: datetime,
        *,
        answer: AnswerRecord | None = None,
        preview: Preview | None = None,
        source: str = "study",
        duration_ms: int | None = None,
    ) -> Saved:
        """Save a rating; a `preview` still matching the stored state gives the outcome shown."""
        with self.store.transaction() as db:
            before = self.store.card_state_in(db, card_id)
            state = None if before is None else load(before)
            if preview is not None and preview.before == before:
                outcome = preview.outcomes[rating]
            else:
                outcome = self.scheduler.review(card_id, state, rating, at)
            answer_id = (
                self.store.add_answer(db, session_id, answer) if answer and session_id else None
            )
            review_id = self.store.add_review(
                db,
                ReviewWrite(
                    card_id=card_id,
                    rating=int(rating),
                    at=at,
                    before=before,
                    after=dump(outcome.state),
                    source=source,
                    session_id=session_id,
                    duration_ms=duration_ms,
                    fsrs_version=FSRS_VERSION,
                    answer_id=answer_id,
                    before_state=None if state is None else int(state.state),
                ),
            )
        return Saved(review_id, card_id, outcome)

    def undo(self, saved: Saved) -> None:
        """Take back a rating: the review, its answer, and the card's state before it."""
        self.store.undo_review(saved.review_id)
