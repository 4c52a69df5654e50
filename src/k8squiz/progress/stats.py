"""A learner's progress in figures: per topic, overall, and the cards that need work.

"Mastered" means an FSRS stability of 21 days or more: the card is expected to be recalled
with 90% probability three weeks after its last review. Accuracy counts every review (a
quiz answer or a study rating) that was not Again. Achieved retention counts only reviews
of cards that were already learned (FSRS Review state), which is what the target measures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from msgspec import Struct

from k8squiz.curricula import CERTS
from k8squiz.days import day_end
from k8squiz.decks.library import Library
from k8squiz.decks.model import Card, card_text, mistake_reason
from k8squiz.progress.records import CardState, SessionSummary, iso
from k8squiz.progress.store import Store
from k8squiz.scheduler import DEFAULT_RETENTION, Scheduler, load, stability_of

MASTERED_DAYS = 21.0
HISTORY_DAYS = 400  # reviews older than this count in no figure
WEAKEST = 10
LAST_EXAMS = 5


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


class ExamHistory(Struct, frozen=True):
    """A certification's last scored mock exams, oldest first, and the change across them."""

    cert: str
    exams: tuple[SessionSummary, ...]

    @property
    def pass_mark(self) -> int | None:
        return self.exams[-1].pass_mark if self.exams else None

    @property
    def trend(self) -> float | None:
        """Percentage points from the first of these exams to the last (None for one)."""
        if len(self.exams) < 2:
            return None
        return (self.exams[-1].percent or 0.0) - (self.exams[0].percent or 0.0)


def exam_history(store: Store, cert: str, last: int = LAST_EXAMS) -> ExamHistory:
    """The last `last` exams of `cert` that were scored (submitted or timed out)."""
    scored = [s for s in store.sessions("exam", cert=cert) if s.passed is not None]
    return ExamHistory(cert, tuple(reversed(scored[:last])))


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
    exams: tuple[ExamHistory, ...] = ()


def due_by_topic(
    library: Library, states: Sequence[CardState], now: datetime, topics: Sequence[str] = ()
) -> tuple[TopicStats, ...]:
    """Per topic: cards, seen, mastered, and how many are due now, today, tomorrow and this
    week. Pure: the figures `topics`, `due` and the per-topic part of `stats` share."""
    return tuple(
        _topic(d.topic, d.title, cards=d.cards, states=states, history=_History(), now=now)
        for d in library.decks
        if not topics or d.topic in topics
    )


def compute(
    library: Library,
    store: Store,
    now: datetime,
    *,
    topics: Sequence[str] = (),
    lang: str = "en",
) -> Stats:
    """Every figure of `k8squiz stats`, for the topics asked (all when empty)."""
    decks = [d for d in library.decks if not topics or d.topic in topics]
    wanted = {c.id for d in decks for c in d.cards}
    states = [s for s in store.card_states() if s.card_id in wanted]
    history = _history(store, wanted, now)
    per_topic = tuple(
        _topic(d.topic, d.title_in(lang), cards=d.cards, states=states, history=history, now=now)
        for d in decks
    )
    return Stats(
        topics=per_topic,
        streak=_streak(history.days, now),
        reviews_per_day=_per_day(history.days, now),
        due_per_day=_due_per_day(states, now),
        retention=_ratio(*history.retention),
        retention_reviews=history.retention[1],
        target=DEFAULT_RETENTION,
        weakest=_weakest(library, states, history, now, lang),
        mistakes=_mistakes(library, store, wanted, lang),
        exams=tuple(e for cert in CERTS if (e := exam_history(store, cert)).exams),
    )


class _CardHistory(Struct, frozen=True):
    """One card's reviews, counted: (not Again, all) over 7 and 30 days, lapses, and
    (not Again, all) of the reviews made once the card was learned."""

    right_7: int = 0
    all_7: int = 0
    right_30: int = 0
    all_30: int = 0
    lapses: int = 0
    right_learned: int = 0
    all_learned: int = 0


class _History(Struct, frozen=True):
    """The review log of the selected cards, aggregated by SQLite."""

    cards: dict[str, _CardHistory] = {}
    days: dict[date, int] = {}  # reviews per local day: the last 31 days, or more for a streak

    @property
    def retention(self) -> tuple[int, int]:
        cards = self.cards.values()
        return sum(c.right_learned for c in cards), sum(c.all_learned for c in cards)


def _history(store: Store, wanted: set[str], now: datetime) -> _History:
    """Per-card counts in one pass; reviews per day for the chart, and as far back as a
    streak needs (the whole log is read only when the last 31 days were all study days)."""
    since = {f"since_{n}": iso(now - timedelta(days=n)) for n in (7, 30)}
    since["since"] = iso(now - timedelta(days=HISTORY_DAYS))
    with store.selected(wanted):
        cards = store.review_counts(since)
        days = _days(store.reviews_per_day(iso(now - timedelta(days=31))))
        if _streak(days, now) >= 30:
            days = _days(store.reviews_per_day(since["since"], most=True))
    return _History(cards={row[0]: _CardHistory(*row[1:]) for row in cards}, days=days)


def _days(rows: Sequence[tuple[str, int]]) -> dict[date, int]:
    return {date.fromisoformat(day): count for day, count in rows}


def _topic(
    topic: str,
    title: str,
    *,
    cards: Sequence[Card],
    states: Sequence[CardState],
    history: _History,
    now: datetime,
) -> TopicStats:
    ids = {c.id for c in cards}
    mine = [s for s in states if s.card_id in ids]
    counts = [history.cards[c.id] for c in cards if c.id in history.cards]
    today_end = day_end(now)
    return TopicStats(
        topic=topic,
        title=title,
        cards=len(cards),
        seen=len(mine),
        mastered=sum(stability_of(s.state) >= MASTERED_DAYS for s in mine),
        accuracy_7=_ratio(sum(c.right_7 for c in counts), sum(c.all_7 for c in counts)),
        accuracy_30=_ratio(sum(c.right_30 for c in counts), sum(c.all_30 for c in counts)),
        due_now=sum(s.due <= now for s in mine),
        due_today=sum(s.due < today_end for s in mine),
        due_tomorrow=sum(today_end <= s.due < today_end + timedelta(days=1) for s in mine),
        due_week=sum(s.due < today_end + timedelta(days=6) for s in mine),
    )


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _streak(days: dict[date, int], now: datetime) -> int:
    """Days in a row with at least one review, ending today (or yesterday, if not yet today)."""
    day = now.astimezone().date()
    if day not in days:
        day -= timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _per_day(days: dict[date, int], now: datetime) -> tuple[tuple[date, int], ...]:
    today = now.astimezone().date()
    recent = (today - timedelta(days=n) for n in range(29, -1, -1))
    return tuple((day, days.get(day, 0)) for day in recent)


def _due_per_day(states: Sequence[CardState], now: datetime) -> tuple[tuple[date, int], ...]:
    today = now.astimezone().date()
    counts = Counter(max(s.due.astimezone().date(), today) for s in states)
    return tuple((day, counts[day]) for day in (today + timedelta(days=n) for n in range(14)))


def _weakest(
    library: Library,
    states: Sequence[CardState],
    history: _History,
    now: datetime,
    lang: str,
) -> tuple[WeakCard, ...]:
    """The 10 cards with most lapses, then the lowest chance of recall now.

    Recall is worked out only for cards that can still make the list: those with at least as
    many lapses as the tenth card has.
    """
    lapses = {s.card_id: history.cards.get(s.card_id, _CardHistory()).lapses for s in states}
    cut = sorted(lapses.values(), reverse=True)[:WEAKEST][-1:] or [0]
    scheduler = Scheduler()
    ranked = []
    for state in states:
        card = library.card(state.card_id)
        if card is not None and lapses[card.id] >= cut[0]:
            recall = scheduler.recall(load(state.state), now)
            ranked.append((-lapses[card.id], recall, card))
    ranked.sort(key=lambda entry: (entry[0], entry[1], entry[2].id))
    return tuple(
        _weak(library, card, -neg, recall, lang) for neg, recall, card in ranked[:WEAKEST]
    )


def _weak(library: Library, card: Card, lapses: int, recall: float, lang: str) -> WeakCard:
    from k8squiz.grading import expected_text  # the answer as sessions show it: `falso` in pt-BR

    question, answer = card_text(card, lang).question, expected_text(card, lang)
    return WeakCard(card.id, library.topic_of(card.id), question, answer, lapses, recall)


def _mistakes(
    library: Library, store: Store, wanted: set[str], lang: str
) -> tuple[MistakeCount, ...]:
    found = []
    for card_id, mistake, count in store.mistake_counts():
        card = library.card(card_id)
        known = next((m for m in card.mistakes if m.answer == mistake), None) if card else None
        if card_id in wanted and known is not None:
            found.append(MistakeCount(card_id, mistake, count, mistake_reason(known, lang)))
    return tuple(found[:10])
