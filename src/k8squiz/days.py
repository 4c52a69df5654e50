"""Days as the learner lives them: bounded by local midnight, whatever the clock's zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def day_start(now: datetime) -> datetime:
    """Local midnight at the start of `now`'s day, in UTC (new-card allowances reset then)."""
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def day_end(now: datetime) -> datetime:
    """Local midnight at the end of `now`'s day, in UTC: the start of tomorrow."""
    return day_start(now) + timedelta(days=1)
