"""The bundled decks: the topics they promise, enough cards, sources, translations, true facts."""

from __future__ import annotations

import pytest

from k8squiz.decks import build, cache, discover
from k8squiz.decks.library import Library
from k8squiz.decks.model import Card
from k8squiz.grading import Grader

TOPICS = (
    "containers",
    "isolation",
    "runtimes",
    "oci",
    "history",
    "control-plane",
    "nodes",
    "ports",
    "workloads",
    "services",
    "config-storage",
    "helm",
    "docker",
    "tools",
    "ha",
    "cloud-native",
    "commands",
    "delivery",
    "security",
)
# Each component named in docs/decks.md with the port it listens on.
PORTS = {
    "kube-apiserver": "6443",
    "etcd": "2379",
    "kubelet": "10250",
    "kube-scheduler": "10259",
    "kube-controller-manager": "10257",
}
# Outdated numbers older notes still teach, and the card fact each one gets wrong.
OUTDATED = {"2378": "etcd", "10251": "kube-scheduler", "10252": "kube-controller-manager"}


@pytest.fixture(scope="module")
def bundled() -> Library:
    """The bundled decks, loaded (and so checked) the way every command loads them."""
    return cache.load_library([], {}, None)


@pytest.fixture(scope="module")
def grader(bundled: Library) -> Grader:
    return Grader(bundled.cards)


def ports_cards(bundled: Library) -> tuple[Card, ...]:
    return bundled.select(topics=["ports"])


# What the library holds


def test_the_bundled_topics_are_all_there(bundled: Library) -> None:
    """Every topic the README promises is a bundled deck, and there are no others."""
    assert sorted(bundled.topics) == sorted(TOPICS)
    assert {deck.origin for deck in bundled.decks} == {"bundled"}


def test_there_are_at_least_180_cards(bundled: Library) -> None:
    """The bundled decks hold at least 180 cards."""
    assert len(bundled.cards) >= 180


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_enough_cards_for_a_quiz(bundled: Library, topic: str) -> None:
    """Each topic holds at least ten cards, a full default quiz."""
    assert len(bundled.select(topics=[topic])) >= 10


def test_the_bundled_decks_pass_validate_strict() -> None:
    """Checked as `validate --strict` does, the bundled decks have no problem at all."""
    report = build.check([discover.bundled()])
    assert [str(p) for p in report.problems] == []


# Sources and translations


def test_every_card_cites_an_official_source(bundled: Library) -> None:
    """Every bundled card has an http(s) source URL."""
    missing = [c.id for c in bundled.cards if not (c.source or "").startswith("https://")]
    assert missing == []


def test_every_deck_and_card_has_a_portuguese_translation(bundled: Library) -> None:
    """Every deck title and every card (question and explanation) is translated to pt-BR."""
    assert [d.topic for d in bundled.decks if "pt-BR" not in d.translations] == []
    untranslated = [
        c.id
        for c in bundled.cards
        if "pt-BR" not in c.translations
        or not c.translations["pt-BR"].question.strip()
        or not c.translations["pt-BR"].explanation.strip()
    ]
    assert untranslated == []


def test_every_mistake_has_a_portuguese_reason(bundled: Library) -> None:
    """Every known mistake explains itself in pt-BR too."""
    missing = [
        (c.id, m.answer)
        for c in bundled.cards
        for m in c.mistakes
        if "pt-BR" not in m.translations or not m.translations["pt-BR"].reason.strip()
    ]
    assert missing == []


# What kinds of cards


def test_at_least_60_cards_carry_a_known_mistake(bundled: Library) -> None:
    """At least 60 cards name a tempting wrong answer and why it is wrong."""
    assert sum(bool(c.mistakes) for c in bundled.cards) >= 60


def test_the_cards_mix_every_kind(bundled: Library) -> None:
    """There are list answers, true/false cards, and cards with their own choices."""
    kinds = [c.kind.value for c in bundled.cards]
    assert kinds.count("list") >= 5
    assert kinds.count("true-false") >= 5
    assert sum(bool(c.choices) for c in bundled.cards) >= 20


def test_every_mistake_is_graded_wrong(bundled: Library, grader: Grader) -> None:
    """No card accepts one of its own known mistakes as a correct answer."""
    accepted = [
        (c.id, form)
        for c in bundled.cards
        for m in c.mistakes
        for form in (m.answer, *m.accept)
        if grader.accepts(c, form)
    ]
    assert accepted == []


def test_every_card_accepts_its_own_answer(bundled: Library, grader: Grader) -> None:
    """Typing a card's answer as written (a list joined by commas) is graded correct."""
    rejected = [c.id for c in bundled.cards if not grader.accepts(c, ", ".join(c.items))]
    assert rejected == []


# Ports, both ways and without outdated numbers


@pytest.mark.parametrize(("component", "port"), PORTS.items())
def test_the_ports_deck_asks_for_the_port_of_each_component(
    bundled: Library, grader: Grader, component: str, port: str
) -> None:
    """For each component in the docs, some ports card asks which port it listens on."""
    assert any(
        c.kind.value == "text" and grader.accepts(c, port) and component in c.question
        for c in ports_cards(bundled)
    )


@pytest.mark.parametrize(("component", "port"), PORTS.items())
def test_the_ports_deck_asks_for_the_component_on_each_port(
    bundled: Library, grader: Grader, component: str, port: str
) -> None:
    """For each of those ports, some ports card asks which component listens there."""
    assert any(
        c.kind.value == "text" and grader.accepts(c, component) and port in c.question
        for c in ports_cards(bundled)
    )


@pytest.mark.parametrize("outdated", OUTDATED)
def test_no_card_teaches_an_outdated_port(bundled: Library, grader: Grader, outdated: str) -> None:
    """No bundled card accepts 2378, 10251 or 10252 as a correct answer."""
    assert [c.id for c in bundled.cards if grader.accepts(c, outdated)] == []


@pytest.mark.parametrize(("outdated", "component"), OUTDATED.items())
def test_an_outdated_port_is_a_known_mistake_of_its_component(
    bundled: Library, grader: Grader, outdated: str, component: str
) -> None:
    """The card for the component's port rejects the outdated number and explains why."""
    card = next(
        c
        for c in ports_cards(bundled)
        if c.kind.value == "text"
        and grader.accepts(c, PORTS[component])
        and component in c.question
    )
    verdict = grader.grade(card, outdated)
    assert not verdict.correct
    assert [m.answer for m in verdict.mistakes] == [outdated]
