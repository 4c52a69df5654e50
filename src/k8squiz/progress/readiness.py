"""Exam readiness: how much of a certification's curriculum you are expected to recall on a day.

For each domain, the share of its cards you would recall then: the mean FSRS retrievability of
its cards at that moment, a card never reviewed counting as not recalled (0). The total is
those shares weighted like the exam (KCNA: 44/28/16/12). The cards to study first are the ones
whose recall would raise the total most: a card's gain is (1 - its recall) times, for each
domain it serves, the domain's weight divided by its number of cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timezone

from msgspec import Struct

from k8squiz.curricula import Curriculum, pools, study_command
from k8squiz.decks.library import Library
from k8squiz.decks.model import card_text
from k8squiz.errors import UsageError
from k8squiz.progress.records import CardState
from k8squiz.scheduler import Scheduler, load

STUDY_FIRST = 10


class DomainReadiness(Struct, frozen=True):
    domain: str
    name: str
    weight: int
    cards: int
    seen: int
    recall: float  # 0..1: the share of its cards expected to be recalled


class StudyFirst(Struct, frozen=True):
    """A card whose recall would raise readiness most."""

    card_id: str
    topic: str
    domains: tuple[str, ...]  # every domain of the curriculum it serves, its gain their sum
    question: str
    recall: float
    gain: float  # percentage points of readiness, were the card sure to be recalled

    @property
    def domain(self) -> str:
        """The first of its domains, in the curriculum's order."""
        return self.domains[0]


class Readiness(Struct, frozen=True):
    cert: str
    at: datetime
    domains: tuple[DomainReadiness, ...]
    first: tuple[StudyFirst, ...]

    @property
    def weakest(self) -> DomainReadiness | None:
        """The domain losing the exam most points: the largest weight * (1 - recall)."""
        losing = [d for d in self.domains if d.cards and d.recall < 1]
        return max(losing, key=lambda d: d.weight * (1 - d.recall), default=None)

    @property
    def total(self) -> float:
        """The weighted share, 0..1."""
        weight = sum(d.weight for d in self.domains if d.cards)
        if not weight:
            return 0.0
        return sum(d.weight * d.recall for d in self.domains if d.cards) / weight


def readiness(
    library: Library,
    curriculum: Curriculum,
    states: Sequence[CardState],
    at: datetime,
    *,
    lang: str = "en",
) -> Readiness:
    """Readiness for `curriculum` at `at`, from the stored card states."""
    by_domain = pools(library, library.cards, curriculum)
    recall = _recall(states, {c for ids in by_domain.values() for c in ids}, at)
    domains = tuple(
        DomainReadiness(
            domain=d.id,
            name=d.name_in(lang),
            weight=d.weight,
            cards=len(by_domain[d.id]),
            seen=sum(c in recall for c in by_domain[d.id]),
            recall=_mean([recall.get(c, 0.0) for c in by_domain[d.id]]),
        )
        for d in curriculum.domains
    )
    first = _study_first(library, curriculum, by_domain, recall, lang)
    return Readiness(curriculum.id, at, domains, first)


def _recall(states: Sequence[CardState], wanted: set[str], at: datetime) -> dict[str, float]:
    scheduler = Scheduler()
    return {s.card_id: scheduler.recall(load(s.state), at) for s in states if s.card_id in wanted}


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _study_first(
    library: Library,
    curriculum: Curriculum,
    by_domain: dict[str, list[str]],
    recall: dict[str, float],
    lang: str,
) -> tuple[StudyFirst, ...]:
    """The cards with the largest gain; ties go to the card recalled least, then deck order."""
    total = sum(d.weight for d in curriculum.domains if by_domain[d.id]) or 1
    gains: dict[str, float] = {}
    served: dict[str, list[str]] = {}
    for domain in curriculum.domains:
        share = 100 * domain.weight / total / max(len(by_domain[domain.id]), 1)
        for card_id in by_domain[domain.id]:
            gains[card_id] = gains.get(card_id, 0.0) + share * (1 - recall.get(card_id, 0.0))
            served.setdefault(card_id, []).append(domain.id)
    order = {card_id: n for n, card_id in enumerate(gains)}
    ranked = sorted(gains, key=lambda c: (-round(gains[c], 9), recall.get(c, 0.0), order[c]))
    picked = []
    for card_id in ranked[:STUDY_FIRST]:
        card = library.card(card_id)
        if card is not None and gains[card_id] > 0:
            question = card_text(card, lang).question
            topic = library.topic_of(card_id)
            picked.append(
                StudyFirst(
                    card_id,
                    topic,
                    tuple(served[card_id]),
                    question,
                    recall.get(card_id, 0.0),
                    gains[card_id],
                )
            )
    return tuple(picked)


def weakest_command(ready: Readiness) -> str | None:
    """The command that studies the domain of the first card to study: where each card
    learned adds the most to the total, as the list above it shows (the domain losing the
    most points in all can be another, a heavy one with many cards); None when none adds."""
    if ready.first:
        return study_command(ready.cert, ready.first[0].domain)
    weakest = ready.weakest
    return study_command(ready.cert, weakest.domain) if weakest else None


def moment(day: str | None, now: datetime) -> datetime:
    """When readiness is worked out for: now, or noon (local time) on `day` (YYYY-MM-DD)."""
    if day is None:
        return now
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise UsageError(
            f"--on '{day}' is not a date", fix="write it as YYYY-MM-DD, e.g. 2026-06-01"
        ) from None
    today = now.astimezone().date()
    if wanted < today:
        raise UsageError(
            f"--on {day} is in the past; readiness looks ahead from what you know now",
            fix=f"give today ({today.isoformat()}) or a later day",
        )
    if wanted == today:
        return now
    noon = datetime(wanted.year, wanted.month, wanted.day, 12).astimezone()  # local time
    return noon.astimezone(timezone.utc)
