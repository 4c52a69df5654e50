"""The quiz and study runners, driven in-process by a scripted screen: no terminal, no CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from k8squiz.decks.model import Card, CardTranslation, Mistake, MistakeTranslation
from k8squiz.grading import Verdict
from k8squiz.i18n import Said
from k8squiz.modes.quiz import Question, QuizOptions, run_quiz
from k8squiz.modes.study import StudyOptions, run_study
from k8squiz.progress.memory import Preview
from k8squiz.progress.store import Store
from k8squiz.scheduler import Rating
from tests._builders import library

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
PORT = Card(
    id="api-port",
    question="Which port does kube-apiserver listen on?",
    answer="6443",
    explanation="The secure port.",
    choices=("8080", "10250", "2379"),
    mistakes=(
        Mistake(
            answer="8080",
            reason="The old insecure port.",
            translations={"pt-BR": MistakeTranslation(reason="A antiga porta insegura.")},
        ),
    ),
)
AGENT = Card(
    id="node-agent",
    question="Which agent runs on every node?",
    answer="kubelet",
    explanation="The node agent.",
    translations={
        "pt-BR": CardTranslation(
            question="Qual agente roda em cada node?", explanation="O agente do node."
        )
    },
)
LIBRARY = library(ports=[PORT], nodes=[AGENT])


class Scripted:
    """A screen that answers from a script and remembers what it was asked to show."""

    def __init__(
        self, *replies: str | type[BaseException], by_card: dict[str, str] | None = None
    ) -> None:
        self.replies: Iterator[str | type[BaseException]] = iter(replies)
        self.by_card = by_card or {}
        self.shown: list[tuple[str, object]] = []

    def _next(self) -> str:
        reply = next(self.replies, EOFError)
        if isinstance(reply, type):
            raise reply
        return reply

    # QuizScreen

    def question(self, question: Question, total: int) -> None:
        self.shown.append(("question", (question.card.id, question.number, total)))

    def read_answer(self, question: Question) -> str:
        return self.by_card.get(question.card.id) or self._next()

    def not_an_option(self, given: str, count: int) -> None:
        self.shown.append(("not-an-option", given))

    def notice(self, said: Said) -> None:
        self.shown.append(("notice", said.key))

    def verdict(self, card: Card, verdict: Verdict) -> None:
        self.shown.append(("verdict", verdict))

    def interrupted(self) -> None:
        self.shown.append(("interrupted", None))

    # StudyScreen

    def status(self, *, due: int, new: int, done: int) -> None:
        self.shown.append(("status", (due, new, done)))

    def card(self, card: Card, topic: str) -> None:
        self.shown.append(("card", card.id))

    def read_attempt(self) -> str:
        return self._next()

    def flashcard_back(self, card: Card, verdict: Verdict | None) -> None:
        self.shown.append(("back", verdict))

    def read_rating(self, preview: Preview, suggested: Rating | None) -> str:
        self.shown.append(("suggested", suggested))
        return self._next()

    def undone(self, card_id: str | None) -> None:
        self.shown.append(("undone", card_id))

    def not_a_rating(self, key: str) -> None:
        self.shown.append(("not a rating", key))

    def what(self, kind: str) -> list[object]:
        return [value for shown, value in self.shown if shown == kind]


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    with Store.open(home / "k8squiz.db") as opened:
        yield opened


def clock() -> datetime:
    return NOW


def quiz(store: Store, screen: Scripted, **options: object):  # type: ignore[no-untyped-def]
    chosen = QuizOptions(**{"seed": 3, **options})  # type: ignore[arg-type]
    return run_quiz(LIBRARY, store, screen, chosen, now=clock)


class TestQuiz:
    def test_every_answer_is_graded_and_saved_as_given(self, store: Store) -> None:
        """Two answers, one right and one a known mistake: both saved, the mistake named."""
        given = {"node-agent": "Kubelet", "api-port": "8080"}
        outcome = quiz(store, Scripted(by_card=given))
        saved = {a.card_id: a for a in store.session_answers(outcome.session_id)}
        assert {c: a.given for c, a in saved.items()} == given
        assert (saved["node-agent"].correct, saved["api-port"].correct) == (True, False)
        assert (saved["node-agent"].mistake, saved["api-port"].mistake) == (None, "8080")
        assert (outcome.result.answered, outcome.interrupted) == (2, False)

    def test_the_end_of_input_ends_the_quiz_cleanly_with_the_answers_kept(
        self, store: Store
    ) -> None:
        """Input that runs out after one answer: one answer saved, not interrupted, incomplete."""
        outcome = quiz(store, Scripted("6443"))
        assert (outcome.result.answered, outcome.result.complete) == (1, False)
        assert not outcome.interrupted
        assert len(store.session_answers(outcome.session_id)) == 1

    def test_a_quiz_says_when_it_asks_fewer_cards_than_n(self, store: Store) -> None:
        """Two cards match and -n is 10: the quiz says it asks both, before asking."""
        screen = Scripted("6443", "kubelet")
        quiz(store, screen)
        assert screen.shown[0] == ("notice", "fewer_cards")
        assert screen.what("notice") == ["fewer_cards"]

    def test_missed_with_nothing_missed_says_it_asks_the_weakest(self, store: Store) -> None:
        """--missed after a quiz without a miss says it falls back to the weakest cards."""
        quiz(store, Scripted(by_card={"api-port": "8080", "node-agent": "kubelet"}))
        quiz(store, Scripted(by_card={"api-port": "6443", "node-agent": "kubelet"}))
        screen = Scripted("6443", "kubelet")
        quiz(store, screen, missed=True)
        assert screen.what("notice") == ["missed_from_weakest"]

    def test_ctrl_c_stops_the_quiz_and_keeps_the_answers(self, store: Store) -> None:
        """Ctrl-C at the second question: the first answer is saved and the outcome says so."""
        screen = Scripted("6443", KeyboardInterrupt)
        outcome = quiz(store, screen)
        assert outcome.interrupted
        assert screen.what("interrupted") == [None]
        assert outcome.result.answered == 1

    def test_a_letter_that_names_no_option_is_asked_again(self, store: Store) -> None:
        """Among four options, typing `e` re-asks instead of grading it."""
        screen = Scripted("e", "a", "a")
        quiz(store, screen, choices=True, topics=("ports",))
        assert screen.what("not-an-option") == ["e"]
        assert len(screen.what("verdict")) == 1

    def test_among_port_numbers_a_number_is_an_answer(self, store: Store) -> None:
        """The options are ports: `9` is a wrong port, graded, not a place to ask again."""
        screen = Scripted("9", "a")
        quiz(store, screen, choices=True, topics=("ports",))
        assert screen.what("not-an-option") == []
        assert len(screen.what("verdict")) == 1

    def test_an_option_picked_by_letter_is_graded_as_its_text(self, store: Store) -> None:
        """Every option letter is graded as the option it names: exactly one of them is right."""
        verdicts = []
        for letter in "abcd":
            screen = Scripted(letter)
            quiz(store, screen, choices=True, topics=("ports",))
            verdicts += screen.what("verdict")
        assert sum(v.correct for v in verdicts) == 1  # type: ignore[attr-defined]
        wrong = [v for v in verdicts if not v.correct]  # type: ignore[attr-defined]
        assert sum(bool(v.mistakes) for v in wrong) == 1  # type: ignore[attr-defined]

    def test_the_change_since_the_previous_quiz_on_the_same_selection(self, store: Store) -> None:
        """A wrong first quiz then a right second one on the same topic: +100 points."""
        quiz(store, Scripted("nope"), topics=("ports",))
        outcome = quiz(store, Scripted("6443"), topics=("ports",))
        assert outcome.change == pytest.approx(100.0)


def study(store: Store, screen: Scripted, **options: object):  # type: ignore[no-untyped-def]
    return run_study(LIBRARY, store, screen, StudyOptions(**options), now=clock)  # type: ignore[arg-type]


class TestStudy:
    def test_a_typed_answer_suggests_a_rating_and_enter_takes_it(self, store: Store) -> None:
        """A right attempt suggests Good; an empty rating key takes it; the review is saved."""
        screen = Scripted("6443", "", EOFError)
        outcome = study(store, screen, topics=("ports",))
        assert screen.what("suggested") == [Rating.GOOD]
        assert outcome.reviewed == 1
        assert [r.rating for r in store.reviews("api-port")] == [Rating.GOOD]

    def test_a_key_that_is_no_rating_says_so_and_asks_again(self, store: Store) -> None:
        """`5` or `bogus` at the rating prompt is answered with what to type, then asked
        again; the card is rated by the next valid key."""
        screen = Scripted("", "5", "bogus", "3", EOFError)
        study(store, screen, topics=("ports",))
        assert screen.what("not a rating") == ["5", "bogus"]
        assert [r.rating for r in store.reviews("api-port")] == [Rating.GOOD]

    def test_undo_takes_back_the_last_rating_exactly(self, store: Store) -> None:
        """Rate a card Again, then `u`: its review and state are gone and it is shown again."""
        screen = Scripted("", "1", "u", "q")
        study(store, screen, topics=("ports",))
        assert store.reviews("api-port") == []
        assert store.card_state("api-port") is None
        assert screen.what("undone") == ["api-port"]
        assert screen.what("card") == ["api-port"] * 3  # again soon, then again after undo

    def test_q_stops_and_nothing_due_says_when_next(self, store: Store) -> None:
        """After every card is rated Easy, a second session finds nothing due."""
        study(store, Scripted("", "4", "", "4"))
        outcome = study(store, Scripted())
        assert outcome.session_id is None
        assert outcome.upcoming.next_due is not None
        assert outcome.upcoming.next_due > timedelta(days=1)
