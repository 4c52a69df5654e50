"""A learner's progress in figures: per topic, overall, and the cards that need work.

"Mastered" means an FSRS stability of 21 days or more: the card is expected to be recalled
with 90% probability three weeks after its last review. Accuracy counts every review (a
quiz answer or a study rating) that was not Again. Achieved retention counts only reviews
of cards that were already learned (FSRS Review state), which is what the target measures.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from msgspec import Struct

from k8squiz.deck import Card, Library, card_text, mistake_reason
from k8squiz.scheduler import DEFAULT_RETENTION, Scheduler, load
from k8squiz.store import CardState, Store, iso

MASTERED_DAYS = 21.0
REVIEW_STATE = 2  # fsrs.State.Review


class TopicStats(Struct, frozen=True):
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


class WeakCard(Struct, frozen=True):
    card_id: str
    topic: str
    question: str
    answer: str
    lapses: int
    recall: float


class MistakeCount(Struct, frozen=True):
    card_id: str
    mistake: str
    count: int
    reason: str


class Stats(Struct, frozen=True):
    topics: tuple[TopicStats, ...]
    streak: int
    reviews_per_day: tuple[tuple[date, int], ...]  # the last 30 days, oldest first
    due_per_day: tuple[tuple[date, int], ...]  # the next 14 days, today first
    retention: float | None
    retention_reviews: int
    target: float
    weakest: tuple[WeakCard, ...]
    mistakes: tuple[MistakeCount, ...]


def due_by_topic(
    library: Library, states: Sequence[CardState], now: datetime
) -> tuple[TopicStats, ...]:
    """Per topic: cards, seen, and how many are due now, today, tomorrow and this week."""
    return compute(library, None, now, states=states, with_reviews=False).topics


def compute(
    library: Library,
    store: Store | None,
    now: datetime,
    *,
    topics: Sequence[str] = (),
    lang: str = "en",
    states: Sequence[CardState] | None = None,
    with_reviews: bool = True,
) -> Stats:
    """Every figure of `k8squiz stats`, for the topics asked (all when empty)."""
    decks = [d for d in library.decks if not topics or d.topic in topics]
    cards = [c for d in decks for c in d.cards]
    wanted = {c.id for c in cards}
    if states is None:
        states = store.card_states() if store else []
    states = [s for s in states if s.card_id in wanted]
    reviews = _reviews(store, wanted, now) if store and with_reviews else []
    per_topic = tuple(
        _topic(d.topic, d.title_in(lang), cards=d.cards, states=states, reviews=reviews, now=now)
        for d in decks
    )
    retention, retention_reviews = _retention(reviews)
    return Stats(
        topics=per_topic,
        streak=_streak(reviews, now),
        reviews_per_day=_per_day(reviews, now),
        due_per_day=_due_per_day(states, now),
        retention=retention,
        retention_reviews=retention_reviews,
        target=DEFAULT_RETENTION,
        weakest=_weakest(library, states, reviews, now, lang),
        mistakes=_mistakes(library, store, wanted, lang) if store and with_reviews else (),
    )


class _Review(Struct, frozen=True):
    card_id: str
    rating: int
    day: date
    at: datetime
    learned: bool  # the card was in the Review state before this rating


def _reviews(store: Store, wanted: set[str], now: datetime) -> list[_Review]:
    since = now - timedelta(days=400)
    rows = store.query(
        "SELECT card_id, rating, reviewed_at, json_extract(state_before, '$.state')"
        " FROM reviews WHERE reviewed_at >= ?",
        (iso(since),),
    )
    out = []
    for card_id, rating, at_text, before in rows:
        if card_id in wanted:
            at = datetime.fromisoformat(at_text)
            out.append(
                _Review(card_id, rating, at.astimezone().date(), at, before == REVIEW_STATE)
            )
    return out


def _topic(
    topic: str,
    title: str,
    *,
    cards: Sequence[Card],
    states: Sequence[CardState],
    reviews: Sequence[_Review],
    now: datetime,
) -> TopicStats:
    ids = {c.id for c in cards}
    mine = [s for s in states if s.card_id in ids]
    today_end = _day_end(now)
    return TopicStats(
        topic=topic,
        title=title,
        cards=len(cards),
        seen=len(mine),
        mastered=sum(_stability(s) >= MASTERED_DAYS for s in mine),
        accuracy_7=_accuracy([r for r in reviews if r.card_id in ids], now, 7),
        accuracy_30=_accuracy([r for r in reviews if r.card_id in ids], now, 30),
        due_now=sum(s.due <= now for s in mine),
        due_today=sum(s.due < today_end for s in mine),
        due_tomorrow=sum(today_end <= s.due < today_end + timedelta(days=1) for s in mine),
        due_week=sum(s.due < today_end + timedelta(days=6) for s in mine),
    )


def _stability(state: CardState) -> float:
    value = json.loads(state.state).get("stability")
    return float(value) if value is not None else 0.0


def _day_end(now: datetime) -> datetime:
    local = now.astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return midnight.astimezone(now.tzinfo)


def _accuracy(reviews: Sequence[_Review], now: datetime, days: int) -> float | None:
    recent = [r for r in reviews if r.at >= now - timedelta(days=days)]
    return sum(r.rating > 1 for r in recent) / len(recent) if recent else None


def _streak(reviews: Sequence[_Review], now: datetime) -> int:
    """Days in a row with at least one review, ending today (or yesterday, if not yet today)."""
    days = {r.day for r in reviews}
    day = now.astimezone().date()
    if day not in days:
        day -= timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _per_day(reviews: Sequence[_Review], now: datetime) -> tuple[tuple[date, int], ...]:
    counts = Counter(r.day for r in reviews)
    today = now.astimezone().date()
    return tuple(
        (day, counts[day]) for day in (today - timedelta(days=n) for n in range(29, -1, -1))
    )


def _due_per_day(states: Sequence[CardState], now: datetime) -> tuple[tuple[date, int], ...]:
    today = now.astimezone().date()
    counts = Counter(max(s.due.astimezone().date(), today) for s in states)
    return tuple((day, counts[day]) for day in (today + timedelta(days=n) for n in range(14)))


def _retention(reviews: Sequence[_Review]) -> tuple[float | None, int]:
    learned = [r for r in reviews if r.learned]
    if not learned:
        return None, 0
    return sum(r.rating > 1 for r in learned) / len(learned), len(learned)


def _weakest(
    library: Library,
    states: Sequence[CardState],
    reviews: Sequence[_Review],
    now: datetime,
    lang: str,
) -> tuple[WeakCard, ...]:
    lapses = Counter(r.card_id for r in reviews if r.rating == 1)
    scheduler = Scheduler()
    ranked = []
    for state in states:
        card = library.card(state.card_id)
        if card is None:
            continue
        recall = scheduler.recall(load(state.state), now)
        ranked.append((-lapses[card.id], recall, card))
    ranked.sort(key=lambda entry: (entry[0], entry[1], entry[2].id))
    return tuple(_weak(library, card, -neg, recall, lang) for neg, recall, card in ranked[:10])


def _weak(library: Library, card: Card, lapses: int, recall: float, lang: str) -> WeakCard:
    text = card_text(card, lang)
    return WeakCard(card.id, library.topic_of(card.id), text.question, text.answer, lapses, recall)


def _mistakes(
    library: Library, store: Store, wanted: set[str], lang: str
) -> tuple[MistakeCount, ...]:
    rows = store.query(
        "SELECT card_id, mistake, count(*) FROM answers WHERE mistake IS NOT NULL"
        " GROUP BY card_id, mistake ORDER BY count(*) DESC, max(answered_at) DESC"
    )
    found = []
    for card_id, mistake, count in rows:
        card = library.card(card_id)
        known = next((m for m in card.mistakes if m.answer == mistake), None) if card else None
        if card_id in wanted and known is not None:
            found.append(MistakeCount(card_id, mistake, count, mistake_reason(known, lang)))
    return tuple(found[:10])
