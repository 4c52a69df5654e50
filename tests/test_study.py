"""`k8squiz study`: FSRS order, daily limits, undo, and cards that change, with a frozen clock."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pexpect
import pytest

from k8squiz.decks.model import Card
from k8squiz.progress.memory import Memory
from k8squiz.progress.records import AnswerRecord, SessionInfo
from k8squiz.progress.store import Store
from k8squiz.scheduler import Rating, Scheduler
from tests.conftest import CLI

PROMPT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"  # ends every prompt at a terminal

DAY1 = "2026-03-02T12:00:00+00:00"
DAY1_LATER = "2026-03-02T15:00:00+00:00"
DAY2 = "2026-03-03T12:00:00+00:00"


def deck_text(n: int, *, question: str = "What is card {i}?", first: int = 1) -> str:
    cards = "".join(
        f'  - id: card-{i}\n    question: "{question.format(i=i)}"\n    answer: answer{i}\n'
        f"    explanation: Card {i} explained.\n"
        for i in range(first, n + 1)
    )
    return f"title: Study\ntopic: study\ncards:\n{cards}"


@pytest.fixture
def deck(write_deck: Callable[..., Path]) -> Path:
    return write_deck(deck_text(6), "study.yaml")


def study(cli: CLI, deck: Path, stdin: str, *args: str, now: str = DAY1):  # type: ignore[no-untyped-def]
    return cli(
        "study",
        "--deck",
        str(deck),
        "--topic",
        "study",
        *args,
        stdin=stdin,
        env={"K8SQUIZ_NOW": now},
    )


def reviews(home: Path) -> list[tuple[str, int]]:
    with closing(sqlite3.connect(home / "k8squiz.db")) as db:
        return list(db.execute("SELECT card_id, rating FROM reviews ORDER BY id"))


class TestOrderAndLimits:
    def test_new_cards_are_shown_in_deck_order_and_rated(
        self, cli: CLI, deck: Path, home: Path
    ) -> None:
        """An empty line reveals, the next line rates; each rating is saved as given."""
        run = study(cli, deck, "\n3\n\ngood\n", "--new", "2")
        assert run.code == 0, run.err
        assert "What is card 1?" in run.out
        assert "Answer: answer1" in run.out
        assert reviews(home) == [("card-1", 3), ("card-2", 3)]

    def test_the_new_card_limit_holds_across_sessions_on_the_same_day(
        self, cli: CLI, deck: Path, home: Path
    ) -> None:
        """Three new cards a day: two in the morning leave one for the afternoon."""
        study(cli, deck, "\n4\n\n4\nq\n", "--new", "3")
        run = study(cli, deck, "\n4\n\n4\n\n4\n", "--new", "3", now=DAY1_LATER)
        assert [card for card, _ in reviews(home)] == ["card-1", "card-2", "card-3"]
        assert "Nothing due" in run.out or "Reviewed: 1" in run.out

    def test_the_new_card_limit_resets_the_next_day(
        self, cli: CLI, deck: Path, home: Path
    ) -> None:
        """The next day brings three more new cards."""
        study(cli, deck, "\n4\n" * 3, "--new", "3")
        study(cli, deck, "\n4\n" * 3, "--new", "3", now=DAY2)
        new_on_day2 = [card for card, _ in reviews(home)][3:]
        assert new_on_day2 == ["card-4", "card-5", "card-6"]

    def test_a_card_rated_again_comes_back_in_the_same_session(
        self, cli: CLI, deck: Path, home: Path
    ) -> None:
        """Again puts the card back into this session's queue."""
        study(cli, deck, "\n1\n" + "\n4\n" * 5, "--new", "1")
        assert [card for card, _ in reviews(home)] == ["card-1", "card-1"]

    def test_limit_caps_the_session(self, cli: CLI, deck: Path, home: Path) -> None:
        """--limit 2 stops after two cards."""
        run = study(cli, deck, "\n4\n" * 6, "--limit", "2")
        assert len(reviews(home)) == 2
        assert "Reviewed: 2" in run.out

    def test_the_counts_shown_are_what_the_limit_leaves(
        self, cli: CLI, deck: Path, home: Path
    ) -> None:
        """With --limit 2 the line above each card counts the two cards this session will
        show, not every new card of the day; the history plans two as well."""
        run = study(cli, deck, "\n4\n" * 6, "--limit", "2")
        counts = re.findall(r"^due (\d+) · new (\d+) · done (\d+)$", run.out, re.M)
        assert counts == [("0", "2", "0"), ("0", "1", "1")]
        document = json.loads(cli("history", "--json").out)
        assert document["sessions"][0]["planned"] == 2

    def test_a_session_left_early_says_how_many_cards_are_due_now(
        self, cli: CLI, deck: Path
    ) -> None:
        """Stopping before the due cards (here: end of input at once) says they are due now,
        not "No card is scheduled" (which it said while two cards were due)."""
        study(cli, deck, "\n3\n\n3\n", "--new", "2")  # two cards learning, due in minutes
        run = study(cli, deck, "", now=DAY1_LATER)
        assert "2 cards due now; 0 cards due tomorrow." in run.out
        assert "No card is scheduled" not in run.out

    def test_nothing_due_says_when_the_next_card_is(self, cli: CLI, deck: Path) -> None:
        """With every card seen and none due, the learner is told when to come back."""
        study(cli, deck, "\n4\n" * 6, "--new", "6")
        run = study(cli, deck, "", now=DAY1_LATER)
        assert "Nothing due." in run.out
        assert "Next review in" in run.out

    def test_due_cards_come_before_new_ones(self, cli: CLI, deck: Path, home: Path) -> None:
        """A card due again is reviewed before any new card of the day."""
        study(cli, deck, "\n1\nq\n", "--new", "1")
        study(cli, deck, "\n4\n" * 2, "--new", "2", now=DAY2)
        assert [card for card, _ in reviews(home)][1:] == ["card-1", "card-2"]


def test_a_first_study_session_mixes_the_bundled_topics(cli: CLI, home: Path) -> None:
    """With no topic, the day's new cards come from several topics, not only the first deck."""
    run = cli("study", "--new", "5", stdin="\n4\n" * 5, env={"K8SQUIZ_NOW": DAY1})
    topics = re.findall(r"^\[([a-z-]+)\]$", run.out, re.MULTILINE)
    assert len(set(topics[:5])) == 5


class TestUndo:
    @pytest.fixture(autouse=True)
    def _close(self) -> Iterator[None]:
        self.opened: list[Store] = []
        yield
        for store in self.opened:
            store.close()

    def store(self, home: Path) -> Store:
        """The learner's store, closed again after the test."""
        self.opened.append(Store.open(home / "k8squiz.db"))
        return self.opened[-1]

    def test_undo_restores_the_state_and_the_log_exactly(self, home: Path) -> None:
        """After `u`, the card's stored state and the review log are what they were before."""
        store = self.store(home)
        memory = Memory(store, Scheduler(fuzz=False))
        now = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
        session = store.start_session(SessionInfo("study", (), (), "study", 1, "en"), now)
        memory.rate(session, "card-1", Rating.GOOD, now)
        state_before, log_before = store.card_state("card-1"), store.reviews()
        answer = AnswerRecord("card-1", "t", "answer1", True, False, None, 2.0, now)
        saved = memory.rate(session, "card-1", Rating.EASY, now, answer=answer)
        assert store.card_state("card-1") != state_before
        memory.undo(saved)
        assert store.card_state("card-1") == state_before
        assert store.reviews() == log_before
        assert store.session_answers(session) == []

    def test_undoing_a_first_review_makes_the_card_new_again(self, home: Path) -> None:
        """A card whose only rating is undone has no state: it is new again."""
        store = self.store(home)
        memory = Memory(store, Scheduler())
        saved = memory.rate(None, "card-1", Rating.GOOD, datetime(2026, 3, 2, tzinfo=timezone.utc))
        memory.undo(saved)
        assert store.card_state("card-1") is None

    @pytest.mark.parametrize("first_review", [True, False], ids=["new card", "seen card"])
    def test_undo_keeps_a_rating_another_session_made_since(
        self, home: Path, first_review: bool
    ) -> None:
        """Two sessions at once: when one takes back its rating of a card that the other has
        rated since, the other's rating stands (its review and the state it gave)."""
        now = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
        mine, theirs = (Memory(self.store(home), Scheduler(fuzz=False)) for _ in range(2))
        if not first_review:
            mine.rate(None, "card-1", Rating.GOOD, now)
        saved = mine.rate(None, "card-1", Rating.GOOD, now)
        theirs.rate(None, "card-1", Rating.EASY, now)
        state_after_theirs = theirs.store.card_state("card-1")
        mine.undo(saved)
        assert mine.store.card_state("card-1") == state_after_theirs
        assert [r.rating for r in mine.store.reviews("card-1")][-1] == Rating.EASY
        assert saved.review_id not in [r.id for r in mine.store.reviews("card-1")]

    def test_u_from_a_pipe_undoes_the_last_rating(self, cli: CLI, deck: Path, home: Path) -> None:
        """`u` at the next card takes the last rating back, and the card is shown again."""
        run = study(cli, deck, "\n1\nu\n\n4\n\n4\n", "--new", "2")
        assert "Undid the rating of card-1" in run.out
        assert reviews(home) == [("card-1", 4), ("card-2", 4)]


class TestChangingDecks:
    def test_a_card_edited_in_its_deck_keeps_its_progress(
        self, cli: CLI, write_deck: Callable[..., Path], home: Path
    ) -> None:
        """Rewording a card's question does not make it new again: progress is keyed by id."""
        deck = write_deck(deck_text(2), "study.yaml")
        study(cli, deck, "\n4\n\n4\n", "--new", "2")
        deck.write_text(
            deck_text(2, question="Reworded: which answer goes with card {i}?"), encoding="utf-8"
        )
        run = study(cli, deck, "", now=DAY2)
        assert "Nothing due." in run.out
        assert len(reviews(home)) == 2

    def test_a_card_removed_from_its_deck_keeps_its_history_but_is_not_shown(
        self, cli: CLI, write_deck: Callable[..., Path], home: Path
    ) -> None:
        """A vanished card stays in the log and is never asked again."""
        deck = write_deck(deck_text(3), "study.yaml")
        study(cli, deck, "\n1\nq\n", "--new", "1")
        deck.write_text(deck_text(3, first=2), encoding="utf-8")
        run = study(cli, deck, "\n4\n" * 3, "--new", "3", now=DAY2)
        assert "What is card 2?" in run.out
        assert "What is card 1?" not in run.out
        assert ("card-1", 1) in reviews(home)
        assert all(card != "card-1" for card, _ in reviews(home)[1:])


class TestQuizAndStudyShareOneMemory:
    def test_a_quiz_answer_is_a_review(self, cli: CLI, deck: Path, home: Path) -> None:
        """Right in a quiz is Good, wrong is Again, in the same log study uses."""
        cli(
            "quiz",
            "--deck",
            str(deck),
            "--topic",
            "study",
            "-n",
            "2",
            "--seed",
            "1",
            stdin="answer1\nwrong\n",
            env={"K8SQUIZ_NOW": DAY1},
        )
        ratings = sorted(rating for _, rating in reviews(home))
        assert ratings in ([1, 3], [1, 1], [3, 3])
        history = json.loads(cli("history", "--json").out)["sessions"]
        assert history[0]["kind"] == "quiz"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
class TestAtATerminal:
    def test_single_key_ratings_and_ctrl_c(self, home: Path, deck: Path) -> None:
        """At a terminal one key rates; Ctrl-C stops, keeps the rating and exits 130."""
        env = {**os.environ, "K8SQUIZ_HOME": str(home), "K8SQUIZ_NOW": DAY1}
        child = pexpect.spawn(
            sys.executable,
            ["-m", "k8squiz", "study", "--deck", str(deck), "--topic", "study"],
            env=env,
            encoding="utf-8",
            timeout=20,
            dimensions=(40, 100),
        )
        child.expect("What is card 1")
        child.expect(PROMPT)
        child.sendline("answer1")
        child.expect("Good · ")
        child.expect(PROMPT)
        child.send("3")
        child.expect("What is card 2")
        child.expect(PROMPT)
        child.sendintr()
        child.expect("Reviewed: 1")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130
        assert reviews(home) == [("card-1", 3)]

    def test_enter_takes_the_suggested_rating(self, home: Path, deck: Path) -> None:
        """After a right attempt, Enter at the rating prompt rates Good, as suggested."""
        env = {**os.environ, "K8SQUIZ_HOME": str(home), "K8SQUIZ_NOW": DAY1}
        child = pexpect.spawn(
            sys.executable,
            ["-m", "k8squiz", "study", "--deck", str(deck), "--topic", "study", "--limit", "1"],
            env=env,
            encoding="utf-8",
            timeout=20,
            dimensions=(40, 100),
        )
        child.expect(PROMPT)
        child.sendline("answer1")
        child.expect("suggested")
        child.expect(PROMPT)
        child.send("\r")
        child.expect("Reviewed: 1")
        child.expect(pexpect.EOF)
        child.close()
        assert reviews(home) == [("card-1", 3)]


def test_cards_have_the_shape_study_expects() -> None:
    """The deck helper writes valid one-answer cards (guards the tests above)."""
    assert (
        Card(id="card-1", question="Q?", answer="answer1", explanation="E.").kind.value == "text"
    )
