"""Known mistakes of the bundled decks: each is caught, explained, and never marked right."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from k8squiz.decks.build import check
from k8squiz.decks.discover import bundled
from k8squiz.decks.model import Card, Mistake, mistake_reason
from k8squiz.grading import Grader
from tests.conftest import CLI

LIBRARY = check([bundled()])
CARDS = tuple(card for deck in LIBRARY.decks for card in deck.cards)
GRADER = Grader(CARDS)


def bundled_mistakes() -> Iterator[tuple[Card, Mistake]]:
    for card in CARDS:
        for mistake in card.mistakes:
            yield card, mistake


def decorated(text: str) -> str:
    """How a learner might type the same mistake: a port decoration, or case and punctuation."""
    if re.fullmatch(r"\d+", text.strip()):
        return f"TCP {text.strip()}"
    if re.fullmatch(r"[\d\s\-\u2013]+", text.strip()):
        return f"{text.strip()}/tcp"
    return f"  {text.strip().upper()}. "


def typed(card: Card, mistake_text: str) -> str:
    """A whole answer containing the mistake: for a list card, the items plus the mistake."""
    if card.kind.value == "list":
        return ", ".join((*card.items[1:], mistake_text))
    return mistake_text


MISTAKES = [
    pytest.param(card, mistake, id=f"{card.id}:{mistake.answer}")
    for card, mistake in bundled_mistakes()
]


def test_there_are_enough_known_mistakes() -> None:
    """At least 60 bundled cards teach a known mistake: the notes' errors, classic confusions."""
    assert sum(bool(card.mistakes) for card in CARDS) >= 60


@pytest.mark.parametrize(("card", "mistake"), MISTAKES)
def test_a_known_mistake_is_wrong_and_explained(card: Card, mistake: Mistake) -> None:
    """Typing the mistake is wrong, and the verdict carries its reason."""
    verdict = GRADER.grade(card, typed(card, mistake.answer))
    assert not verdict.correct
    assert mistake in verdict.mistakes


@pytest.mark.parametrize(("card", "mistake"), MISTAKES)
def test_a_decorated_mistake_is_still_recognised(card: Card, mistake: Mistake) -> None:
    """`10251/tcp`, `TCP 10251` or ` CHART.YML. ` hit the same mistake as the bare form (a
    command, where case matters, only with spaces around it)."""
    if card.kind.value == "true-false":
        pytest.skip("a true/false mistake is a truth value, not text to decorate")
    shown = f"  {mistake.answer}  " if card.kind.value == "command" else decorated(mistake.answer)
    verdict = GRADER.grade(card, typed(card, shown))
    assert not verdict.correct
    assert mistake in verdict.mistakes


@pytest.mark.parametrize(("card", "mistake"), MISTAKES)
def test_the_reason_is_translated(card: Card, mistake: Mistake) -> None:
    """Every bundled mistake explains itself in Portuguese too."""
    assert mistake_reason(mistake, "pt-BR") != mistake.reason
    assert mistake_reason(mistake, "pt-BR").strip()


@pytest.mark.parametrize("card", [c for c in CARDS if c.mistakes], ids=lambda c: c.id)
def test_the_right_answer_of_a_card_with_mistakes_still_passes(card: Card) -> None:
    """Listing mistakes never makes the card's own answer wrong."""
    answer = ", ".join(card.items) if card.kind.value == "list" else card.items[0]
    verdict = GRADER.grade(card, answer)
    assert verdict.correct
    assert verdict.mistakes == ()


SCHEDULER_PORT = """
title: Ports
topic: mini-ports
cards:
  - id: mini-scheduler-port
    question: On which TCP port does kube-scheduler serve HTTPS by default?
    answer: "10259"
    explanation: The scheduler serves HTTPS on 10259.
    mistakes:
      - answer: "10251"
        reason: That was the old insecure HTTP port; it was disabled in v1.23.
        translations:
          pt-BR:
            reason: Essa era a antiga porta HTTP insegura; foi desativada na v1.23.
"""


class TestOnScreen:
    def test_the_reason_comes_right_after_the_verdict_and_before_the_explanation(
        self, cli: CLI, write_deck: Callable[..., Path]
    ) -> None:
        """In a quiz, the mistake's reason is printed between 'Wrong' and the explanation."""
        deck = write_deck(SCHEDULER_PORT, "ports.yaml")
        run = cli("quiz", "--deck", str(deck), "--topic", "mini-ports", stdin="10251/tcp\n")
        out = run.out
        assert (
            out.index("Wrong")
            < out.index("old insecure HTTP port")
            < out.index("serves HTTPS on 10259")
        )

    def test_json_names_the_mistake(self, cli: CLI, write_deck: Callable[..., Path]) -> None:
        """--json has the matched mistake in the answer's `mistake` field."""
        deck = write_deck(SCHEDULER_PORT, "ports.yaml")
        run = cli(
            "quiz", "--deck", str(deck), "--topic", "mini-ports", "--json", stdin="TCP 10251\n"
        )
        assert json.loads(run.out)["answers"][0]["mistake"] == "10251"

    def test_study_shows_the_reason_for_a_typed_attempt(
        self, cli: CLI, write_deck: Callable[..., Path]
    ) -> None:
        """In study, an attempt that is a known mistake shows the reason too, in Portuguese."""
        deck = write_deck(SCHEDULER_PORT, "ports.yaml")
        run = cli(
            "study",
            "--deck",
            str(deck),
            "--topic",
            "mini-ports",
            "--lang",
            "pt-BR",
            stdin="10251\n1\n",
        )
        assert "antiga porta HTTP insegura" in run.out

    def test_stats_lists_the_commonest_mistakes(
        self, cli: CLI, write_deck: Callable[..., Path]
    ) -> None:
        """After making a mistake twice, `stats` lists it with its reason."""
        deck = write_deck(SCHEDULER_PORT, "ports.yaml")
        for _ in range(2):
            cli("quiz", "--deck", str(deck), "--topic", "mini-ports", stdin="10251\n")
        run = cli("stats", "--deck", str(deck), "--topic", "mini-ports", "--json")
        [entry] = json.loads(run.out)["mistakes"]
        assert (entry["mistake"], entry["count"]) == ("10251", 2)
        assert "insecure" in entry["reason"]
