"""Loaded decks and the questions a learner can ask of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import msgspec
from msgspec import Struct

from k8squiz.decks.model import Card, DeckTranslation, minor
from k8squiz.decks.problems import near
from k8squiz.errors import UsageError
from k8squiz.i18n import Said


class Deck(Struct, frozen=True):
    """A loaded deck: its file's content plus where it came from."""

    topic: str
    title: str
    description: str
    path: Path
    origin: str  # "bundled", or the user path it was found through
    cards: tuple[Card, ...]
    lines: Mapping[str, int] = msgspec.field(default_factory=dict)  # card id -> line in the file
    translations: Mapping[str, DeckTranslation] = msgspec.field(default_factory=dict)
    domains: Mapping[str, tuple[str, ...]] = msgspec.field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        tr = self.translations.get(lang)
        return self.title if tr is None else tr.title

    def where(self, card_id: str) -> str:
        """`path:line` of a card, for messages."""
        return f"{self.path}:{self.lines.get(card_id, 1)}"


class Library:
    """Every loaded deck, and the questions a learner can ask of them."""

    __slots__ = ("_cards", "_deck_of", "decks")

    def __init__(self, decks: tuple[Deck, ...]) -> None:
        self.decks = decks
        self._deck_of = {card.id: deck for deck in decks for card in deck.cards}
        self._cards = {card.id: card for deck in decks for card in deck.cards}

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(card for deck in self.decks for card in deck.cards)

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(deck.topic for deck in self.decks)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({tag for card in self.cards for tag in card.tags}))

    def deck_of(self, card_id: str) -> Deck | None:
        return self._deck_of.get(card_id)

    def topic_of(self, card_id: str) -> str:
        deck = self.deck_of(card_id)
        return deck.topic if deck else "?"

    def card(self, card_id: str) -> Card | None:
        return self._cards.get(card_id)

    def checked(self) -> tuple[str | None, int]:
        """The oldest Kubernetes release a bundled card was checked against, and how many
        bundled cards record none."""
        bundled = [c for d in self.decks if d.origin == "bundled" for c in d.cards]
        releases = [c.checked for c in bundled if c.checked]
        oldest = min(releases, key=minor) if releases else None
        return oldest, len(bundled) - len(releases)

    def domains_of(self, card: Card) -> Mapping[str, tuple[str, ...]]:
        """Certification -> curriculum domains: the card's own, else its deck's."""
        if card.domains:
            return card.domains
        deck = self.deck_of(card.id)
        return deck.domains if deck else {}

    def select(self, topics: Sequence[str] = (), tags: Sequence[str] = ()) -> tuple[Card, ...]:
        """Cards in any of `topics` (all when empty) carrying any of `tags` (any when empty)."""
        for topic in topics:
            _require(topic, self.topics, "topic", "k8squiz topics")
        for tag in tags:
            _require(tag, self.tags, "tag", "k8squiz topics --tags")
        wanted = set(topics) or set(self.topics)
        return tuple(
            card
            for deck in self.decks
            if deck.topic in wanted
            for card in deck.cards
            if not tags or set(tags) & set(card.tags)
        )


def _require(name: str, known: Sequence[str], what: str, listing: str) -> None:
    if name in known:
        return
    values: dict[str, object] = {
        "name": name,
        "hint": near(name, known),
        "known": ", ".join(sorted(known)),
    }
    raise UsageError(Said(f"unknown_{what}", values), fix=Said("see", {"listing": listing}))
