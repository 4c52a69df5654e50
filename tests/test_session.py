"""Which cards a session shows, in which order, with which options."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8squiz.decks.library import Deck, Library
from k8squiz.decks.model import Card, CardTranslation
from k8squiz.grading import Choice as Option
from k8squiz.grading import Grader, normalize
from k8squiz.modes.quiz import multiple_choice, plan_quiz, shape
from k8squiz.modes.study import StudyQueue, interleave, plan_study

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def card(card_id: str, answer: str | tuple[str, ...], **more: object) -> Card:
    return Card(
        id=card_id, question=f"Question {card_id}?", answer=answer, explanation="Why.", **more
    )  # type: ignore[arg-type]


PORTS = (
    card("apiserver", "6443"),
    card("etcd", "2379-2380", choices=("2378-2380", "6443-6444", "10250-10252")),
    card("kubelet", "10250"),
    card("scheduler", "10259"),
    card("controller", "10257"),
    card("true-false", "false"),
    card("list", ("etcd", "kube-apiserver")),
)
COMPONENTS = (
    card("on-10250", "kubelet"),
    card("on-6443", "kube-apiserver"),
    card("on-10259", "kube-scheduler"),
    card("on-10257", "kube-controller-manager"),
    card(
        "pt",
        "vm",
        translations={
            "pt-BR": CardTranslation(question="Q?", explanation="E.", answer="máquina virtual")
        },
    ),
)


def shown(options: tuple[Option, ...]) -> list[str]:
    return [option.shown for option in options]


def library() -> Library:
    return Library(
        (
            Deck("ports", "Ports", "", Path("ports.yaml"), "bundled", PORTS),
            Deck("components", "Components", "", Path("c.yaml"), "bundled", COMPONENTS),
        )
    )


class TestQuizPlan:
    def test_the_same_seed_asks_the_same_questions_in_the_same_order(self) -> None:
        """--seed reproduces a quiz exactly."""
        lib = library()
        grader = Grader(lib.cards)
        first = plan_quiz(lib, lib.cards, 5, seed=42, choices=True, lang="en", grader=grader)
        again = plan_quiz(lib, lib.cards, 5, seed=42, choices=True, lang="en", grader=grader)
        assert first == again

    def test_different_seeds_ask_in_a_different_order(self) -> None:
        """Without a seed the order varies: two seeds give two orders."""
        lib = library()
        grader = Grader(lib.cards)
        orders = {
            tuple(
                q.card.id
                for q in plan_quiz(
                    lib, lib.cards, 12, seed=s, choices=False, lang="en", grader=grader
                ).questions
            )
            for s in range(5)
        }
        assert len(orders) > 1

    def test_a_quiz_asks_at_most_the_cards_there_are(self) -> None:
        """Asking for 10 questions of a 7-card selection asks the 7, each once."""
        lib = library()
        plan = plan_quiz(
            lib, PORTS, 10, seed=1, choices=False, lang="en", grader=Grader(lib.cards)
        )
        assert sorted(q.card.id for q in plan.questions) == sorted(c.id for c in PORTS)
        assert [q.number for q in plan.questions] == list(range(1, 8))


class TestMultipleChoice:
    def test_four_options_one_of_them_right(self) -> None:
        """A multiple-choice question shows the answer among three wrong options."""
        lib = library()
        options = multiple_choice(lib, PORTS[0], seed=3, lang="en", grader=Grader(lib.cards))
        assert len(options) == 4
        assert "6443" in shown(options)

    def test_the_cards_own_choices_come_first(self) -> None:
        """A card's `choices` are its wrong options when it has them."""
        lib = library()
        options = multiple_choice(lib, PORTS[1], seed=3, lang="en", grader=Grader(lib.cards))
        assert set(shown(options)) == {"2379-2380", "2378-2380", "6443-6444", "10250-10252"}

    def test_distractors_have_the_shape_of_the_answer(self) -> None:
        """Ports are offered among ports, components among components."""
        lib = library()
        grader = Grader(lib.cards)
        port_options = multiple_choice(lib, PORTS[2], seed=5, lang="en", grader=grader)
        name_options = multiple_choice(lib, COMPONENTS[0], seed=5, lang="en", grader=grader)
        assert all(shape(o) == "number" for o in shown(port_options))
        assert all(shape(o) == "term" for o in shown(name_options))

    def test_no_wrong_option_would_be_graded_correct(self) -> None:
        """Only one option counts as right, whatever the seed."""
        lib = library()
        grader = Grader(lib.cards)
        for seed in range(20):
            for c in (*PORTS[:5], *COMPONENTS):
                options = shown(multiple_choice(lib, c, seed=seed, lang="en", grader=grader))
                assert sum(grader.accepts(c, o) for o in options) == 1
                assert len({normalize(o) for o in options}) == len(options)

    def test_true_false_cards_offer_true_and_false(self) -> None:
        """A true/false card is multiple choice between the two, in the session's language."""
        lib = library()
        assert shown(
            multiple_choice(lib, PORTS[5], seed=1, lang="en", grader=Grader(lib.cards))
        ) == [
            "true",
            "false",
        ]
        assert shown(
            multiple_choice(lib, PORTS[5], seed=1, lang="pt-BR", grader=Grader(lib.cards))
        ) == [
            "verdadeiro",
            "falso",
        ]

    def test_list_answers_stay_typed(self) -> None:
        """A card whose answer is a list is not turned into multiple choice."""
        lib = library()
        assert multiple_choice(lib, PORTS[6], seed=1, lang="en", grader=Grader(lib.cards)) == ()

    def test_options_are_in_the_sessions_language(self) -> None:
        """In Portuguese, the right option is the card's Portuguese answer."""
        lib = library()
        options = multiple_choice(
            lib, COMPONENTS[4], seed=1, lang="pt-BR", grader=Grader(lib.cards)
        )
        assert "máquina virtual" in shown(options)

    def test_a_translated_option_stands_for_the_decks_own_text(self) -> None:
        """A Portuguese option remembers its English original, where the deck's mistakes live."""
        lib = library()
        options = multiple_choice(
            lib, COMPONENTS[4], seed=1, lang="pt-BR", grader=Grader(lib.cards)
        )
        assert Option("máquina virtual", "vm") in options


class TestStudyQueue:
    def test_new_cards_come_from_every_topic_in_turn(self) -> None:
        """Interleaving takes one card per topic in turn, each topic in its deck's order."""
        mixed = interleave([PORTS[:3], COMPONENTS[:2], ()])
        assert [c.id for c in mixed] == ["apiserver", "on-10250", "etcd", "on-6443", "kubelet"]

    def test_due_cards_come_first_most_overdue_first_then_new_cards(self) -> None:
        """The order is: reviews by how overdue they are, then new cards in deck order."""
        cards = PORTS[:5]
        states = {
            "kubelet": NOW - timedelta(hours=1),
            "etcd": NOW - timedelta(days=3),
            "scheduler": NOW + timedelta(days=1),
        }
        queue = plan_study(cards, states, NOW, new_allowed=10, limit=None)
        assert queue.due == ("etcd", "kubelet")
        assert queue.new == ("apiserver", "controller")
        assert queue.next(NOW) == "etcd"

    def test_new_cards_are_limited_to_what_is_left_for_the_day(self) -> None:
        """Only `new_allowed` never-seen cards enter the session."""
        queue = plan_study(PORTS[:5], {}, NOW, new_allowed=2, limit=None)
        assert queue.new == ("apiserver", "etcd")
        assert plan_study(PORTS[:5], {}, NOW, new_allowed=-3, limit=None).finished

    def test_a_card_due_again_comes_back_once_its_time_has_come(self) -> None:
        """A card due again in 6 minutes waits while other cards are left, and comes first
        once its 6 minutes have passed."""
        queue = StudyQueue(due=(), new=tuple(c.id for c in PORTS[:5]))
        queue = queue.rated("apiserver", due_again=NOW + timedelta(minutes=6))
        assert queue.next(NOW) == "etcd"
        queue = queue.rated("etcd", due_again=None)
        assert queue.next(NOW + timedelta(minutes=5)) != "apiserver"
        assert queue.next(NOW + timedelta(minutes=6)) == "apiserver"

    def test_a_card_due_again_is_shown_early_when_nothing_else_is_left(self) -> None:
        """The last card rated Again is not skipped just because its time has not come."""
        queue = StudyQueue(due=(), new=("only",))
        queue = queue.rated("only", due_again=NOW + timedelta(minutes=10))
        assert queue.next(NOW) == "only"

    def test_the_limit_caps_the_session(self) -> None:
        """--limit stops the session after that many cards."""
        queue = StudyQueue(due=("a", "b", "c"), new=(), limit=2)
        queue = queue.rated("a", due_again=None).rated("b", due_again=None)
        assert queue.finished
        assert queue.next(NOW) is None

    @given(
        due=st.integers(0, 6),
        new=st.integers(0, 6),
        limit=st.none() | st.integers(1, 15),
        again=st.lists(st.none() | st.integers(-5, 20), max_size=20),
    )
    def test_the_counts_left_are_the_cards_still_shown(
        self, due: int, new: int, limit: int | None, again: list[int | None]
    ) -> None:
        """At every step, the due and new counts shown above a card are the due and new cards
        the session will still show when nothing more is rated Again, limit or not (cards due
        again in minutes from now, or some minutes ago)."""
        queue = StudyQueue(
            due=tuple(f"d{i}" for i in range(due)),
            new=tuple(f"n{i}" for i in range(new)),
            limit=limit,
        )
        for minutes in again:
            if queue.finished:
                break
            back = None if minutes is None else NOW + timedelta(minutes=minutes)
            queue = queue.rated(_shown(queue), due_again=back)
        left, shown = queue.left(NOW), [0, 0]
        while not queue.finished:
            card = _shown(queue)
            shown[card in queue.new] += 1  # [due, new]
            queue = queue.rated(card, due_again=None)
        assert tuple(shown) == left

    def test_rating_returns_a_new_queue_and_keeps_the_old_one(self) -> None:
        """Each step is a new value, so undo can go back to the queue as it was."""
        before = StudyQueue(due=("a",), new=("b",))
        after = before.rated("a", due_again=None)
        assert before.due == ("a",)
        assert (after.due, after.done) == ((), 1)


def _shown(queue: StudyQueue) -> str:
    card = queue.next(NOW)
    assert card is not None
    return card


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("6443", "number"),
        ("2379-2380", "number"),
        ("30000\u201332767", "number"),
        ("1.24", "version"),
        ("kubectl config use-context dev", "command"),
        ("kube-apiserver", "term"),
        ("a container runtime", "phrase"),
        ("the process that watches for new pods and assigns them", "sentence"),
    ],
)
def test_answers_are_sorted_by_shape(answer: str, kind: str) -> None:
    """Distractors are drawn from answers of the same shape."""
    assert shape(answer) == kind


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_commands_wrong_options_are_of_the_same_tool(seed: int) -> None:
    """A command question's wrong options are its known mistakes, then commands of the same
    tool: an exam's "docker ps --all" among three kubectl commands gave the answer away."""
    from k8squiz.decks.cache import load_library

    bundled = load_library([], {}, None)
    grader = Grader(bundled.cards)
    for command in (c for c in bundled.cards if c.kind.value == "command"):
        program = command.items[0].split()[0]
        if program not in ("kubectl", "docker", "helm"):  # tools with commands to spare
            continue
        options = multiple_choice(bundled, command, seed=seed, lang="en", grader=grader)
        tempting = {m.answer for m in command.mistakes} | set(command.choices)
        others = [o.original for o in options if o.original not in tempting]
        assert all(o.split()[0] == program for o in others), (command.id, others)
