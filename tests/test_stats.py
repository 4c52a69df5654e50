"""Progress in figures: per topic, streak, charts, retention, weakest cards and common mistakes.

The figures are computed from a history saved through Memory and Store, at a fixed `now`,
in the learner's local timezone (UTC unless a test says otherwise).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import msgspec
import pytest

from k8squiz.i18n import Words
from k8squiz.output import stats_document
from k8squiz.progress.stats import Stats, compute
from k8squiz.scheduler import Rating, Scheduler
from tests._builders import (
    NOW,
    Learner,
    Reply,
    card,
    days_ago,
    learner,
    library,
    local_zone,
)
from tests.conftest import CLI

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 3, 10)
LIBRARY = library(
    ports=[
        card(
            "p-apiserver",
            ("8080", "8080 was the old insecure port."),
            ("8443", "8443 is minikube's port."),
        ),
        card("p-etcd"),
        card("p-kubelet"),
        card("p-scheduler"),
    ],
    helm=[card("h-chart", ("Chart.yml", "Helm reads Chart.yaml only.")), card("h-values")],
)


@pytest.fixture(autouse=True)
def _local_time_is_utc() -> Iterator[None]:
    with local_zone("UTC"):
        yield


@pytest.fixture
def someone(home: Path) -> Iterator[Learner]:
    with learner(home) as who:
        yield who


def figures(someone: Learner, now: datetime = NOW, topics: tuple[str, ...] = ()) -> Stats:
    return compute(LIBRARY, someone.store, now, topics=topics)


def cards_in_turn(count: int) -> list[str]:
    """`count` card ids of the library, taken in turn."""
    ids = [c.id for c in LIBRARY.cards]
    return [ids[n % len(ids)] for n in range(count)]


class TestPerTopic:
    def test_cards_and_seen_are_counted_per_topic(self, someone: Learner) -> None:
        """Each topic counts its cards, and the ones reviewed at least once."""
        for name in ("p-apiserver", "p-etcd", "h-chart", "card-no-longer-in-a-deck"):
            someone.rate(name, Rating.GOOD, days_ago(1))
        ports, helm = figures(someone).topics
        assert (ports.topic, ports.cards, ports.seen) == ("ports", 4, 2)
        assert (helm.topic, helm.cards, helm.seen) == ("helm", 2, 1)

    def test_a_card_counts_as_mastered_once_its_stability_passes_21_days(
        self, someone: Learner
    ) -> None:
        """Reviewed well at growing intervals, a card is mastered once its stability reaches 21."""
        at = days_ago(60)
        due = someone.rate("p-etcd", Rating.EASY, at).due
        below = 0
        while someone.stability("p-etcd") < 21:
            assert figures(someone, at).topics[0].mastered == 0
            below += 1
            at = due
            due = someone.rate("p-etcd", Rating.GOOD, at).due
        assert below >= 1, "the card was mastered after its first review"
        assert figures(someone, at).topics[0].mastered == 1

    def test_accuracy_counts_reviews_not_rated_again_over_7_and_30_days(
        self, someone: Learner
    ) -> None:
        """Hard, Good and Easy count as recalled; older reviews only in the 30-day figure."""
        someone.rate("p-apiserver", Rating.GOOD, days_ago(40))  # in neither figure
        for name, rating in [
            ("p-apiserver", Rating.AGAIN),
            ("p-etcd", Rating.AGAIN),
            ("p-kubelet", Rating.AGAIN),
            ("p-scheduler", Rating.GOOD),
        ]:
            someone.rate(name, rating, days_ago(20))
        for name, rating in [
            ("p-apiserver", Rating.GOOD),
            ("p-etcd", Rating.HARD),
            ("p-kubelet", Rating.EASY),
            ("p-scheduler", Rating.AGAIN),
        ]:
            someone.rate(name, rating, days_ago(2))
        ports, helm = figures(someone).topics
        assert ports.accuracy_7 == pytest.approx(3 / 4)
        assert ports.accuracy_30 == pytest.approx(4 / 8)
        assert (helm.accuracy_7, helm.accuracy_30) == (None, None)

    def _due_at_known_times(self, someone: Learner) -> None:
        """Three cards overdue (one for days), one due later today, one tomorrow, one in a week."""
        someone.rate("h-values", Rating.AGAIN, days_ago(3))
        someone.rate("p-apiserver", Rating.AGAIN, NOW - timedelta(hours=1))
        someone.rate("p-etcd", Rating.GOOD, NOW - timedelta(minutes=30))
        someone.rate("p-kubelet", Rating.GOOD, NOW - timedelta(minutes=5))
        easy = Scheduler(fuzz=False).review("any", None, Rating.EASY, NOW).interval
        someone.rate("p-scheduler", Rating.EASY, NOW + timedelta(days=1) - easy)
        someone.rate("h-chart", Rating.EASY, NOW + timedelta(days=7) - easy)

    def test_due_now_and_tomorrow(self, someone: Learner) -> None:
        """Overdue cards are due now; a card due later today is not; tomorrow's are counted."""
        self._due_at_known_times(someone)
        ports, helm = figures(someone).topics
        assert (ports.due_now, ports.due_today, ports.due_tomorrow) == (2, 3, 1)
        assert (helm.due_now, helm.due_today, helm.due_tomorrow) == (1, 1, 0)

    def test_due_per_day_covers_14_days_from_today(self, someone: Learner) -> None:
        """The due chart has a bar a day for 14 days from today; overdue cards count for today."""
        self._due_at_known_times(someone)
        per_day = figures(someone).due_per_day
        assert [day for day, _ in per_day] == [TODAY + timedelta(days=n) for n in range(14)]
        assert [n for _, n in per_day] == [4, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]


class TestStreak:
    @pytest.mark.parametrize(
        ("days", "streak"),
        [
            pytest.param([0, 1, 2, 4], 3, id="up to today, broken by a gap"),
            pytest.param([1, 2, 3], 3, id="up to yesterday when today has no review yet"),
            pytest.param([0, 2, 3], 1, id="today only: yesterday is missing"),
            pytest.param([2, 3], 0, id="nothing yesterday or today"),
            pytest.param([], 0, id="no review at all"),
        ],
    )
    def test_the_streak_counts_days_in_a_row(
        self, someone: Learner, days: list[int], streak: int
    ) -> None:
        """The streak is the run of days with a review ending today, or yesterday before one."""
        for name, day in zip(cards_in_turn(len(days)), sorted(days, reverse=True), strict=True):
            someone.rate(name, Rating.GOOD, days_ago(day, hours=3))
        assert figures(someone).streak == streak

    def test_days_are_the_learners_local_days(self, someone: Learner) -> None:
        """In São Paulo, a review at 23:00 local time counts for that day, not the next UTC one."""
        someone.rate("p-etcd", Rating.GOOD, datetime(2026, 3, 9, 13, tzinfo=timezone.utc))
        someone.rate("p-kubelet", Rating.GOOD, datetime(2026, 3, 10, 2, tzinfo=timezone.utc))
        with local_zone("America/Sao_Paulo"):
            stats = figures(someone)
        assert stats.reviews_per_day[-2:] == ((date(2026, 3, 9), 2), (TODAY, 0))
        assert stats.streak == 1


class TestCharts:
    def test_reviews_per_day_covers_the_last_30_days_oldest_first(self, someone: Learner) -> None:
        """One count per day for 30 days ending today; older reviews are left out."""
        times = [days_ago(30), *[days_ago(29, hours=3 - n) for n in range(3)], days_ago(5)]
        times += [NOW - timedelta(hours=2), NOW - timedelta(hours=1)]
        for name, at in zip(cards_in_turn(len(times)), times, strict=True):
            someone.rate(name, Rating.GOOD, at)
        per_day = figures(someone).reviews_per_day
        assert [day for day, _ in per_day] == [
            TODAY - timedelta(days=n) for n in range(29, -1, -1)
        ]
        counts = dict(per_day)
        assert counts[TODAY - timedelta(days=29)] == 3
        assert counts[TODAY - timedelta(days=5)] == 1
        assert counts[TODAY] == 2
        assert sum(counts.values()) == 6


class TestRetention:
    def test_retention_counts_only_reviews_of_learned_cards(self, someone: Learner) -> None:
        """Reviews of new, learning and relearning cards are left out of achieved retention."""
        someone.rate("p-apiserver", Rating.EASY, days_ago(30))  # new: left out
        someone.rate("p-apiserver", Rating.GOOD, days_ago(20))  # learned, recalled
        someone.rate("p-apiserver", Rating.AGAIN, days_ago(10))  # learned, forgotten
        someone.rate("p-apiserver", Rating.GOOD, days_ago(9))  # relearning: left out
        someone.rate("p-etcd", Rating.AGAIN, days_ago(5))  # new: left out
        someone.rate("p-etcd", Rating.GOOD, days_ago(5) + timedelta(minutes=1))  # learning
        stats = figures(someone)
        assert (stats.retention, stats.retention_reviews) == (0.5, 2)
        assert stats.target == 0.9

    def test_no_learned_card_means_no_retention_figure(self, someone: Learner) -> None:
        """Before any card is learned, retention is unknown rather than 0% or 100%."""
        someone.rate("p-etcd", Rating.AGAIN, days_ago(1))
        stats = figures(someone)
        assert (stats.retention, stats.retention_reviews) == (None, 0)


class TestWeakest:
    def test_weakest_cards_are_ranked_by_lapses_then_recall(self, someone: Learner) -> None:
        """More lapses rank first, whatever the recall; among equals, the least recalled first."""
        someone.rate("p-etcd", Rating.AGAIN, days_ago(20))
        someone.rate("p-etcd", Rating.GOOD, days_ago(20) + timedelta(minutes=10))
        someone.rate("p-kubelet", Rating.GOOD, days_ago(25))
        for day, rating in [(3, Rating.AGAIN), (2, Rating.AGAIN), (1, Rating.GOOD)]:
            someone.rate("p-apiserver", rating, days_ago(day))
        someone.rate("p-scheduler", Rating.GOOD, days_ago(1))
        weakest = figures(someone).weakest
        assert [(w.card_id, w.lapses) for w in weakest] == [
            ("p-apiserver", 2),
            ("p-etcd", 1),
            ("p-kubelet", 0),
            ("p-scheduler", 0),
        ]
        recall = {w.card_id: w.recall for w in weakest}
        assert recall["p-apiserver"] > recall["p-etcd"]
        assert recall["p-kubelet"] < recall["p-scheduler"]
        assert weakest[0].question == "Question of p-apiserver?"
        assert weakest[0].topic == "ports"


class TestMistakes:
    def test_the_commonest_known_mistakes_come_first_with_their_reason(
        self, someone: Learner
    ) -> None:
        """Listed mistakes are counted, most frequent then most recent first, with their reason."""
        someone.quiz(
            [
                Reply("p-apiserver", "8443", False, mistake="8443"),
                Reply("p-apiserver", "8080", False, mistake="8080"),
                Reply("p-etcd", "1234", False, mistake="1234"),  # not a listed mistake
            ],
            days_ago(3),
        )
        someone.quiz(
            [Reply("p-apiserver", "8080", False, mistake="8080")] * 2
            + [Reply("h-chart", "Chart.yml", False, mistake="Chart.yml", topic="helm")],
            days_ago(1),
        )
        found = [(m.card_id, m.mistake, m.count, m.reason) for m in figures(someone).mistakes]
        assert found == [
            ("p-apiserver", "8080", 3, "8080 was the old insecure port."),
            ("h-chart", "Chart.yml", 1, "Helm reads Chart.yaml only."),
            ("p-apiserver", "8443", 1, "8443 is minikube's port."),
        ]
        only_ports = figures(someone, topics=("ports",)).mistakes
        assert [m.mistake for m in only_ports] == ["8080", "8443"]


# The command line, on the bundled decks.

PORTS_CARD = "port-kube-apiserver-6443"
STATS_KEYS = {
    "version",
    "kind",
    "generated_at",
    "mastered_days",
    "target_retention",
    "topics",
    "streak_days",
    "retention",
    "retention_reviews",
    "reviews_per_day",
    "due_per_day",
    "weakest",
    "mistakes",
    "exams",
}
TOPIC_KEYS = {
    "topic",
    "title",
    "cards",
    "seen",
    "mastered",
    "accuracy_7",
    "accuracy_30",
    "due_now",
    "due_today",
    "due_tomorrow",
    "due_week",
}


@pytest.fixture
def history_on_disk(home: Path) -> None:
    """Four days in a row of quizzes and study on real cards; one ports card mastered, one due."""
    with learner(home) as who:
        # Two good reviews 12 days apart master a card under any FSRS-6 release's defaults.
        who.rate("port-etcd-client-2379", Rating.EASY, days_ago(20))
        who.rate("port-etcd-client-2379", Rating.GOOD, days_ago(8))
        for day in (3, 2, 1):
            who.quiz(
                [
                    Reply(PORTS_CARD, "8080", False, mistake="8080"),
                    Reply("port-6443-component", "kube-apiserver", True),
                ],
                days_ago(day),
            )
        who.study([("helm-chart-is-the-package", Rating.AGAIN)], NOW - timedelta(hours=1))


def run_stats(cli: CLI, *args: str, columns: int = 100) -> str:
    run = cli("stats", *args, env={"K8SQUIZ_NOW": NOW.isoformat(), "COLUMNS": str(columns)})
    assert run.code == 0, run.err
    assert run.err == ""
    return run.out


@pytest.mark.usefixtures("history_on_disk")
class TestCommand:
    def test_stats_json_has_version_1_and_the_documented_keys(self, cli: CLI) -> None:
        """`stats --json` starts with "version": 1 and holds every figure under a stable key."""
        document = json.loads(run_stats(cli, "--json"))
        assert next(iter(document)) == "version"
        assert document["version"] == 1
        assert set(document) == STATS_KEYS
        assert all(set(t) == TOPIC_KEYS for t in document["topics"])
        ports = next(t for t in document["topics"] if t["topic"] == "ports")
        assert (ports["seen"], ports["mastered"], ports["due_now"]) == (3, 1, 1)
        assert document["streak_days"] == 4
        assert len(document["reviews_per_day"]) == 30
        assert len(document["due_per_day"]) == 14
        assert document["weakest"][0]["card"] == PORTS_CARD
        assert document["weakest"][0]["lapses"] == 3
        assert document["mistakes"][0]["mistake"] == "8080"
        assert document["mistakes"][0]["count"] == 3

    def test_stats_prints_topics_charts_and_weakest_cards_in_60_columns(self, cli: CLI) -> None:
        """Without colour on a narrow terminal, every part of the screen is there and fits."""
        out = run_stats(cli, columns=60)
        assert "\x1b[" not in out
        assert all(len(line) <= 60 for line in out.splitlines())
        for part in (
            "ports",
            "Streak: 4 days",
            "Reviews per day",
            "Cards due per day",
            "Weakest cards",
            "Your most common mistakes",
        ):
            assert part in out

    def test_a_true_false_answer_reads_in_the_learners_language(
        self, cli: CLI, home: Path
    ) -> None:
        """The weakest cards show a true/false answer as a session does: `falso` in pt-BR."""
        with learner(home) as someone:
            someone.rate("history-kubernetes-once-named-borg", Rating.AGAIN, days_ago(1))
        run = cli("stats", "--lang", "pt-BR")
        row = next(line for line in run.out.splitlines() if "O Kubernetes foi" in line)
        assert row.split("│")[1].strip() == "falso"

    def test_stats_names_every_topic_in_full_in_60_columns(self, cli: CLI) -> None:
        """On a narrow terminal each row of the per-topic table still says which topic it is."""
        out = run_stats(cli, columns=60)
        for name in ("config-storage", "containers", "control-plane", "ports"):
            assert re.search(rf"^{name}\s", out, re.MULTILINE), name

    @pytest.mark.parametrize("columns", [80, 100, 120])
    @pytest.mark.parametrize("lang", ["en", "pt-BR"])
    def test_every_topic_heading_is_shown_in_full(self, cli: CLI, lang: str, columns: int) -> None:
        """The per-topic table is split in two rather than cut short: at 80 columns (a pipe's
        width) the full table would not fit, and headings came out as "Ca…" and "Tomor"."""
        out = run_stats(cli, "--lang", lang, columns=columns)
        words = Words(lang)
        for key in ("cards", "seen", "mastered", "accuracy_7", "accuracy_30", "tomorrow"):
            assert re.search(rf"(^|\s){re.escape(words(key))}(\s|$)", out, re.M), key
        assert "\N{HORIZONTAL ELLIPSIS}" not in out
        assert all(len(line) <= columns for line in out.splitlines())

    def test_the_reviews_chart_keeps_its_date_axis_on_one_line_in_60_columns(
        self, cli: CLI
    ) -> None:
        """Both charts show their first and last dates on one axis line."""
        out = run_stats(cli, columns=60)
        assert len(re.findall(r"\d\d/\d\d\s+\d\d/\d\d", out)) == 2

    def test_topics_shows_due_and_mastered_once_a_database_exists(self, cli: CLI) -> None:
        """`k8squiz topics` adds Due and Mastered columns, filled from the progress database."""
        run = cli("topics", env={"K8SQUIZ_NOW": NOW.isoformat()})
        header = run.lines[0]
        assert "Due" in header
        assert "Mastered" in header
        [ports] = [line for line in run.lines if line.startswith("ports ")]
        cells = [cell.strip() for cell in ports.split("│")]
        assert cells[3] == "1"
        assert cells[4] == f"1/{cells[2]}"


def test_topics_has_no_progress_columns_before_the_first_session(cli: CLI, home: Path) -> None:
    """Before any session there is no database, and `topics` neither shows nor creates one."""
    header = cli("topics").lines[0]
    assert "Due" not in header
    assert "Mastered" not in header
    assert not home.exists() or not any(home.glob("*.db"))


def test_the_readme_documents_stats_json(home: Path) -> None:
    """Every key of `stats --json` is named in the README, as its docstring promises."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    with learner(home) as someone:
        figures = compute(LIBRARY, someone.store, NOW)
    keys = msgspec.to_builtins(stats_document(figures, NOW.isoformat()))
    assert "k8squiz stats" in readme
    assert all(f"`{key}`" in readme for key in keys)
