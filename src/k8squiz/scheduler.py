"""Spaced repetition with FSRS: pure functions of a card's state and the time, UTC only.

This module owns the stored state format: JSON with the fsrs version that wrote them, read
anywhere else only through `load`, `due_of` and `stability_of`. All four outcomes of a
review are computed at once (`preview`), so the interval shown beside each rating is exactly
the one a rating gives, fuzz included.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone
from enum import IntEnum
from typing import TYPE_CHECKING, Annotated, Literal

import msgspec.json
from msgspec import Meta, Struct

if TYPE_CHECKING:  # fsrs loads when a card is scheduled: reading stored states never needs it
    import fsrs

# pyproject pins fsrs to major version 6 (FSRS-6); states record it, as the scheduler they need.
FSRS_VERSION = "6"
DEFAULT_RETENTION = 0.9
STATE_FORMAT = 1  # the layout of a stored state; fsrs's own version is stored beside it


class Rating(IntEnum):
    """How well a card was recalled: the keys 1 to 4."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Outcome(Struct, frozen=True):
    """What a rating does to a card."""

    rating: Rating
    state: fsrs.Card
    interval: timedelta

    @property
    def due(self) -> datetime:
        return self.state.due


def stable_id(card_id: str) -> int:
    """A positive 63-bit integer for a deck's card id, the same on every machine.

    Two CRC-32s with different seeds: zlib is loaded already, hashlib would cost 3 ms.
    """
    data = card_id.encode("utf-8")
    return (zlib.crc32(data) << 31) | (zlib.crc32(data, 0x9E3779B9) >> 1)


def require_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() != timedelta(0):
        raise ValueError(f"scheduling needs a UTC-aware time, got {moment!r}")
    return moment.astimezone(timezone.utc)


class Scheduler:
    """FSRS-6 with a desired retention (0.9 by default)."""

    def __init__(self, retention: float = DEFAULT_RETENTION, *, fuzz: bool = True) -> None:
        if not 0.7 <= retention <= 0.99:
            raise ValueError("desired retention must be between 0.70 and 0.99")
        import fsrs

        self.fsrs = fsrs.Scheduler(desired_retention=retention, enable_fuzzing=fuzz)

    def preview(
        self, card_id: str, state: fsrs.Card | None, now: datetime
    ) -> dict[Rating, Outcome]:
        """The outcome of each rating, were the card rated at `now`."""
        return {rating: self.review(card_id, state, rating, now) for rating in Rating}

    def review(
        self, card_id: str, state: fsrs.Card | None, rating: Rating, now: datetime
    ) -> Outcome:
        import fsrs

        now = require_utc(now)
        current = state if state is not None else new_state(card_id, now)
        after, _ = self.fsrs.review_card(current, fsrs.Rating(int(rating)), review_datetime=now)
        return Outcome(rating, after, max(after.due - now, timedelta(0)))

    def recall(self, state: fsrs.Card, now: datetime) -> float:
        """The probability the card is recalled at `now` (0 for a card never reviewed)."""
        return float(self.fsrs.get_card_retrievability(state, require_utc(now)))


def new_state(card_id: str, now: datetime) -> fsrs.Card:
    import fsrs

    return fsrs.Card(card_id=stable_id(card_id), due=require_utc(now))


def dump(state: fsrs.Card) -> str:
    """A state as stored: fsrs's own dictionary, with the format and FSRS major version."""
    data = {**state.to_dict(), "format": STATE_FORMAT, "fsrs": FSRS_VERSION}
    return msgspec.json.encode(data, order="sorted").decode()


def load(text: str) -> fsrs.Card:
    import fsrs

    return fsrs.Card.from_dict(msgspec.json.decode(text))


class _Stored(Struct):
    """The parts of a stored state other modules read, without building an fsrs.Card."""

    due: datetime
    stability: float | None = None
    state: int | None = None


def due_of(text: str) -> datetime:
    """When a stored state is next due, in UTC."""
    return require_utc(msgspec.json.decode(text, type=_Stored).due.astimezone(timezone.utc))


def stability_of(text: str) -> float:
    """A stored state's FSRS stability in days (0 for a card not yet reviewed)."""
    return msgspec.json.decode(text, type=_Stored).stability or 0.0


_Moment = Annotated[datetime, Meta(tz=True)]
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)


class _Checked(Struct, forbid_unknown_fields=True):
    """Every part of a stored state, with the range `load`, `due_of` and FSRS can use."""

    card_id: Annotated[int, Meta(ge=0, le=2**63 - 1)]
    state: Literal[1, 2, 3]
    step: Annotated[int, Meta(ge=0, le=1000)] | None
    stability: Annotated[float, Meta(ge=0, le=1e9)] | None
    difficulty: Annotated[float, Meta(ge=0, le=10)] | None
    due: _Moment
    last_review: _Moment | None
    format: Literal[1]
    fsrs: Annotated[str, Meta(pattern=r"^[0-9][0-9.]{0,15}\Z")]


def checked_state(text: str) -> int:
    """The FSRS state (Learning 1, Review 2, Relearning 3) of a stored state that came from
    outside (a progress file), once every part of it is checked; ValueError says what is wrong."""
    try:
        state = msgspec.json.decode(text, type=_Checked)
    except (msgspec.DecodeError, RecursionError) as exc:
        raise ValueError(str(exc).replace("`$.", "`")) from None
    for moment in (state.due, state.last_review or state.due):
        try:
            inside = EARLIEST <= moment <= LATEST
        except OverflowError:
            inside = False
        if not inside:
            raise ValueError(f"a date outside 1970 to 9000 ({moment.isoformat()})")
    load(text)
    return state.state


def short_interval(interval: timedelta, lang: str = "en") -> str:
    """Anki-style: 1m, 10m, 5h, 4d, 2.1mo, 1.3y; in pt-BR 1min, 10min, 5h, 4d, 2,1 meses,
    1,3 anos."""
    minutes = interval.total_seconds() / 60
    pt = lang == "pt-BR"
    if minutes < 60:
        return f"{max(1, round(minutes))}{'min' if pt else 'm'}"
    if minutes < 60 * 24:
        return f"{round(minutes / 60)}h"
    days = minutes / (60 * 24)
    if days < 30:
        return f"{round(days)}d"
    months, years = f"{days / 30:.1f}", f"{days / 365:.1f}"
    if not pt:
        return f"{months}mo" if days < 365 else f"{years}y"
    if days < 365:
        return f"{months.replace('.', ',')} {'mês' if days < 60 else 'meses'}"
    return f"{years.replace('.', ',')} {'ano' if days < 730 else 'anos'}"
