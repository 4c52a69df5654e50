"""Readiness for a certification: per domain, the share of its cards expected to be recalled,
weighted like the exam, from a history built the way sessions build it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from k8squiz.curricula import load
from k8squiz.errors import UsageError
from k8squiz.progress.readiness import moment, readiness, weakest_command
from k8squiz.scheduler import Rating, Scheduler
from k8squiz.scheduler import load as load_state
from tests._builders import NOW, days_ago, learner
from tests.conftest import CLI
from tests.test_exam_plan import KCNA, kcna_library

LIBRARY = kcna_library(4)  # four cards in each KCNA domain
FUNDAMENTALS = [f"kubernetes-fundamentals-{i}" for i in range(1, 5)]


def history(home: Path) -> None:
    """Two fundamentals cards learned well a week ago, one orchestration card failed today."""
    with learner(home) as someone:
        for card in FUNDAMENTALS[:2]:
            for days in (30, 20, 7):
                someone.rate(card, Rating.GOOD, days_ago(days))
        someone.rate("container-orchestration-1", Rating.AGAIN, days_ago(0, hours=1))


def figures(home: Path, at=NOW):  # type: ignore[no-untyped-def]
    with learner(home) as someone:
        return readiness(LIBRARY, load("kcna"), someone.store.card_states(), at)


class TestFigures:
    def test_a_domain_is_the_mean_recall_of_its_cards_unseen_ones_counting_zero(
        self, home: Path
    ) -> None:
        """Fundamentals: two cards at their FSRS recall, two unseen at 0, averaged over four."""
        history(home)
        ready = figures(home)
        with learner(home) as someone:
            recall = [
                Scheduler().recall(load_state(someone.store.card_state(c) or ""), NOW)
                for c in FUNDAMENTALS[:2]
            ]
        fundamentals = ready.domains[0]
        assert (fundamentals.cards, fundamentals.seen) == (4, 2)
        assert fundamentals.recall == pytest.approx(sum(recall) / 4)
        assert 0.4 < fundamentals.recall < 0.5  # two cards recalled at 80-100%
        assert [d.seen for d in ready.domains] == [2, 1, 0, 0]

    def test_the_total_weighs_the_domains_like_the_exam(self, home: Path) -> None:
        """Total = sum(weight * recall) / 100 for KCNA's 44/28/16/12."""
        history(home)
        ready = figures(home)
        expected = sum(d.weight * d.recall for d in ready.domains) / 100
        assert ready.total == pytest.approx(expected)
        assert [d.weight for d in ready.domains] == [44, 28, 16, 12]

    def test_nothing_reviewed_is_nothing_ready(self, home: Path) -> None:
        """With no history every domain and the total are 0."""
        ready = figures(home)
        assert ready.total == 0
        assert {d.recall for d in ready.domains} == {0}

    def test_recall_fades_by_the_exam_day(self, home: Path) -> None:
        """Readiness a month ahead is lower than today's, from the same history."""
        history(home)
        assert figures(home, NOW + timedelta(days=30)).total < figures(home).total

    def test_the_cards_to_study_first_add_the_most(self, home: Path) -> None:
        """Unseen cards of the domain with most weight per card come first, with their gain."""
        history(home)
        first = figures(home).first
        # fundamentals: 44/4 = 11 points a card; orchestration 28/4 = 7; the others 4 and 3
        assert first[0].domain == "kubernetes-fundamentals"
        assert first[0].card_id in FUNDAMENTALS[2:]
        assert first[0].gain == pytest.approx(11.0)
        assert [f.gain for f in first] == sorted((f.gain for f in first), reverse=True)
        assert all(f.card_id not in FUNDAMENTALS[:2] for f in first[:2])

    def test_a_card_serving_two_domains_names_both_and_adds_both(self) -> None:
        """A card in two domains gains what it adds to each, and names both, so the gain
        shown beside its domains adds up (CKA: services-networking and troubleshooting)."""
        from k8squiz.decks.cache import load_library

        curriculum = load("cka")
        ready = readiness(load_library([], {}, None), curriculum, [], NOW)
        cards = {d.domain: d.cards for d in ready.domains}
        share = {d.id: d.weight / cards[d.id] for d in curriculum.domains}  # points a card
        assert any(len(f.domains) == 2 for f in ready.first)
        for first in ready.first:
            assert first.gain == pytest.approx(sum(share[d] for d in first.domains))

    def test_the_next_command_studies_the_first_cards_domain(self, home: Path) -> None:
        """The command under the list studies the domain of its first card, where each card
        learned adds the most (it named another domain than the list's, which read as two
        contradicting pieces of advice)."""
        history(home)
        ready = figures(home)
        first = ready.first[0].domain
        assert weakest_command(ready) == f"k8squiz study --cert kcna --domain {first}"


class TestMoment:
    def test_today_is_now_and_a_later_day_is_its_noon(self) -> None:
        """No --on: now; today: now; a later day: noon there, local time."""
        assert moment(None, NOW) == NOW
        assert moment(NOW.astimezone().date().isoformat(), NOW) == NOW
        later = moment("2026-06-01", NOW)
        assert later.astimezone().hour == 12
        assert later.astimezone().date().isoformat() == "2026-06-01"

    @pytest.mark.parametrize(
        ("day", "says"), [("2020-01-01", "is in the past"), ("next week", "is not a date")]
    )
    def test_a_past_day_or_a_non_date_is_a_usage_error(self, day: str, says: str) -> None:
        """Readiness looks ahead, and --on takes YYYY-MM-DD."""
        with pytest.raises(UsageError, match=says):
            moment(day, NOW)


class TestCommand:
    def test_stats_cert_shows_domains_total_and_what_to_study(self, cli: CLI) -> None:
        """stats --cert kcna: the readiness line, each domain, the cards to study first."""
        run = cli("stats", "--cert", "kcna", env={"COLUMNS": "120"})
        assert run.code == 0, run.err
        assert any(line.startswith("KCNA readiness on ") for line in run.lines)
        assert sum("Kubernetes Fundamentals" in line for line in run.lines) >= 1
        assert "Study these first: each would add the points shown" in run.out
        document = json.loads(cli("stats", "--cert", "kcna", "--json").out)
        first = document["study_first"][0]["domain"]
        assert document["next"] == f"k8squiz study --cert kcna --domain {first}"
        assert f"Study where each card adds the most: {document['next']}" in run.out

    def test_stats_cert_json_is_a_readiness_document(self, cli: CLI) -> None:
        """--json prints the readiness document, domains in curriculum order."""
        document = json.loads(cli("stats", "--cert", "cka", "--json").out)
        assert [document[k] for k in ("version", "kind", "cert")] == [1, "readiness", "cka"]
        assert [d["weight"] for d in document["domains"]] == [25, 15, 20, 10, 30]
        assert len(document["study_first"]) == 10
        assert document["exams"] == {"cert": "cka", "pass_mark": None, "exams": [], "trend": None}

    def test_the_exam_day_option(self, cli: CLI) -> None:
        """--on a later day is accepted; a past one, or --on without --cert, is refused."""
        env = {"K8SQUIZ_NOW": "2026-03-10T12:00:00+00:00"}
        assert cli("stats", "--cert", "kcna", "--on", "2026-04-01", env=env).code == 0
        assert cli("stats", "--cert", "kcna", "--on", "2026-03-01", env=env).code == 2
        refused = cli("stats", "--on", "2026-04-01", env=env)
        assert (refused.code, "--on needs --cert" in refused.err) == (2, True)

    def test_a_topic_is_refused_with_readiness(self, cli: CLI) -> None:
        """Readiness counts every card of the certification, so --topic would be ignored:
        it is refused instead of printing the same figures as without it."""
        refused = cli("stats", "--cert", "kcna", "--topic", "ports")
        assert refused.code == 2
        assert "--topic does not apply to --cert readiness" in refused.err

    def test_the_last_exams_and_their_trend(self, cli: CLI) -> None:
        """A blank exam then a perfect one: both scores, oldest first, and +100 points."""
        env = {"K8SQUIZ_NOW": "2026-03-10T12:00:00+00:00"}
        args = ("exam", "--cert", "kcna", "-n", "4", "--seed", "1", "--json")
        first = json.loads(cli(*args, stdin="", env=env).out)
        right = "".join(a["expected"] + "\n" for a in first["answers"])
        cli(*args, stdin=right, env={"K8SQUIZ_NOW": "2026-03-11T12:00:00+00:00"})
        trend = json.loads(cli("stats", "--cert", "kcna", "--json").out)["exams"]
        assert [e["percent"] for e in trend["exams"]] == [0.0, 100.0]
        assert [e["passed"] for e in trend["exams"]] == [False, True]
        assert (trend["pass_mark"], trend["trend"]) == (75, 100.0)
        shown = cli("stats", "--cert", "kcna", env={"COLUMNS": "120"})
        assert "KCNA: 0% 100% (pass mark 75%); +100 pts over the last 2" in shown.lines


def test_kcna_domains_are_the_curriculum_order() -> None:
    """The test library's domains follow the KCNA curriculum (guards the figures above)."""
    assert tuple(d.id for d in load("kcna").domains) == KCNA
