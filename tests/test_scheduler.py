"""FSRS scheduling: intervals, time, and stored states."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8squiz.scheduler import Rating, Scheduler, dump, load, new_state, short_interval, stable_id

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def review_series(
    scheduler: Scheduler, ratings: list[Rating], start: datetime = NOW
) -> list[timedelta]:
    """Rate a card at each of its due times; return the interval each rating gave."""
    state, now, intervals = None, start, []
    for rating in ratings:
        outcome = scheduler.review("card", state, rating, now)
        intervals.append(outcome.interval)
        state, now = outcome.state, outcome.due
    return intervals


class TestIntervals:
    def test_good_ratings_make_intervals_grow(self) -> None:
        """Each Good at the due time gives a longer interval than the one before, once learned."""
        intervals = review_series(Scheduler(fuzz=False), [Rating.GOOD] * 8)
        learned = intervals[2:]
        assert all(later > earlier for earlier, later in pairwise(learned))
        assert intervals[-1] > timedelta(days=30)

    def test_easy_gives_longer_intervals_than_good(self) -> None:
        """Easy pushes a card further than Good does, from the same state."""
        scheduler = Scheduler(fuzz=False)
        state = scheduler.review("card", None, Rating.GOOD, NOW).state
        later = NOW + timedelta(days=1)
        preview = scheduler.preview("card", state, later)
        assert preview[Rating.EASY].interval > preview[Rating.GOOD].interval
        assert preview[Rating.GOOD].interval > preview[Rating.HARD].interval

    def test_again_shrinks_the_interval_of_a_learned_card(self) -> None:
        """Forgetting a card that had a long interval brings it back within minutes."""
        scheduler = Scheduler(fuzz=False)
        state, now = None, NOW
        for _ in range(6):
            outcome = scheduler.review("card", state, Rating.GOOD, now)
            state, now = outcome.state, outcome.due
        before = outcome.interval
        lapse = scheduler.review("card", state, Rating.AGAIN, now)
        assert lapse.interval < before
        assert lapse.interval <= timedelta(minutes=10)

    def test_higher_retention_means_shorter_intervals(self) -> None:
        """Asking to remember more often schedules reviews sooner."""
        relaxed = review_series(Scheduler(0.8, fuzz=False), [Rating.GOOD] * 5)
        strict = review_series(Scheduler(0.95, fuzz=False), [Rating.GOOD] * 5)
        assert strict[-1] < relaxed[-1]

    def test_preview_gives_the_outcome_of_each_rating(self) -> None:
        """The interval shown beside a rating key is the one that rating gives."""
        scheduler = Scheduler(fuzz=False)
        preview = scheduler.preview("card", None, NOW)
        for rating, outcome in preview.items():
            assert scheduler.review("card", None, rating, NOW).interval == outcome.interval


class TestTime:
    @settings(max_examples=60, deadline=None)
    @given(
        ratings=st.lists(st.sampled_from(list(Rating)), min_size=1, max_size=12),
        gaps=st.lists(st.integers(min_value=0, max_value=400 * 24 * 60), min_size=12, max_size=12),
        fuzz=st.booleans(),
    )
    def test_a_review_never_schedules_into_the_past(
        self, ratings: list[Rating], gaps: list[int], fuzz: bool
    ) -> None:
        """Whatever the ratings and however late the reviews, the next due time is not past."""
        scheduler = Scheduler(fuzz=fuzz)
        state, now = None, NOW
        for rating, gap in zip(ratings, gaps[: len(ratings)], strict=True):
            now += timedelta(minutes=gap)
            outcome = scheduler.review("card", state, rating, now)
            assert outcome.due >= now
            state = outcome.state

    def test_naive_times_are_refused(self) -> None:
        """A time without a timezone cannot be scheduled: k8squiz works in UTC only."""
        with pytest.raises(ValueError, match="UTC"):
            Scheduler().review("card", None, Rating.GOOD, datetime(2026, 3, 1, 9, 0))

    def test_other_timezones_are_refused(self) -> None:
        """An aware time that is not UTC is refused rather than silently shifted."""
        paris = timezone(timedelta(hours=1))
        with pytest.raises(ValueError, match="UTC"):
            Scheduler().review("card", None, Rating.GOOD, datetime(2026, 3, 1, 9, 0, tzinfo=paris))


class TestStoredState:
    def test_a_state_survives_a_round_trip_through_json(self) -> None:
        """What is stored is what is loaded: due, stability, difficulty and step."""
        state = Scheduler(fuzz=False).review("card", None, Rating.GOOD, NOW).state
        loaded = load(dump(state))
        assert (loaded.due, loaded.stability, loaded.difficulty, loaded.step, loaded.state) == (
            state.due,
            state.stability,
            state.difficulty,
            state.step,
            state.state,
        )

    def test_a_stored_state_names_the_fsrs_version(self) -> None:
        """Each saved state says which fsrs wrote it, so a later one can migrate it."""
        assert '"fsrs":' in dump(new_state("card", NOW))

    def test_card_ids_map_to_stable_positive_integers(self) -> None:
        """The integer id FSRS needs is derived from the deck id, the same on every machine."""
        assert stable_id("etcd-client-peer-ports") == stable_id("etcd-client-peer-ports")
        assert stable_id("a") != stable_id("b")
        assert 0 < stable_id("etcd-client-peer-ports") < 2**63


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=20), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=63), "2.1mo"),
        (timedelta(days=480), "1.3y"),
    ],
)
def test_intervals_are_labelled_as_anki_does(interval: timedelta, label: str) -> None:
    """Rating keys show short interval labels: 1m, 10m, 5h, 4d, 2.1mo, 1.3y."""
    assert short_interval(interval) == label


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=20), "1min"),
        (timedelta(minutes=10), "10min"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=40), "1,3 mês"),
        (timedelta(days=108), "3,6 meses"),
        (timedelta(days=480), "1,3 ano"),
        (timedelta(days=800), "2,2 anos"),
    ],
)
def test_intervals_read_as_portuguese_in_pt_br(interval: timedelta, label: str) -> None:
    """In pt-BR, minutes are `min`, months and years are words with a decimal comma."""
    assert short_interval(interval, "pt-BR") == label
