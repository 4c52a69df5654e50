"""The deck format (a public contract), loaded decks, and where decks are found.

The msgspec structs below are the single definition of a deck file: `validate` walks
their type information to check a file, the loader converts checked data into them, and
`k8squiz schema` prints the JSON Schema generated from them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args

import msgspec
from msgspec import Meta, Struct

from k8squiz.errors import UsageError

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DECK_SUFFIXES = (".yaml", ".yml")

Text = Annotated[str, Meta(min_length=1)]
Id = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=64,
        pattern=KEBAB,
        description="lowercase-kebab: a-z, 0-9 and single hyphens, at most 64 characters",
    ),
]
Tag = Annotated[
    str,
    Meta(pattern=KEBAB, max_length=40, description="lowercase-kebab, e.g. control-plane"),
]
Url = Annotated[
    str,
    Meta(pattern=r"^https?://\S+$", description="an http(s) URL of the official page"),
]
Lang = Literal["pt-BR"]
LANGUAGES: tuple[str, ...] = get_args(Lang)
# Editors flag an unknown language key; said here, not left to each msgspec release to infer.
LANGUAGE_KEYS = Meta(extra_json_schema={"propertyNames": {"enum": list(LANGUAGES)}})
K8sVersion = Annotated[
    str,
    Meta(pattern=r"^1\.[0-9]{1,3}$", description="a Kubernetes minor version, e.g. 1.37"),
]


class CommandAnswer(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A command, graded by what it does rather than by how it is typed."""

    command: Text
    alternatives: tuple[Text, ...] = ()  # other commands with the same effect
    optional: tuple[Text, ...] = ()  # flags that may be added without changing the effect


Words = Union[Text, tuple[Text, ...]]  # noqa: UP007 - a runtime alias msgspec reads
Answer = Union[Text, tuple[Text, ...], CommandAnswer]  # noqa: UP007
# A certification (kcna, cka, ckad) -> the ids of the curriculum domains a card serves.
Domains = dict[Id, tuple[Id, ...]]
Accept = Union[tuple[Text, ...], dict[Text, tuple[Text, ...]]]  # noqa: UP007
TRUE_FALSE = ("true", "false")


class MistakeTranslation(Struct, frozen=True, forbid_unknown_fields=True):
    """The reason of a known mistake, in another language."""

    reason: Text


class Mistake(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A tempting wrong answer and why it is wrong (Markdown)."""

    answer: Text
    reason: Text
    accept: tuple[Text, ...] = ()
    translations: Annotated[dict[Lang, MistakeTranslation], LANGUAGE_KEYS] = {}


class CardTranslation(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A card in another language. `answer`, `accept` and `choices` follow the card's shape."""

    question: Text
    explanation: Text
    answer: Words | None = None  # a command is not translated
    accept: Accept = ()
    choices: tuple[Text, ...] = ()


class Card(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One question. A list `answer` needs every item; `true`/`false` makes a true/false card."""

    id: Id
    question: Text
    answer: Answer
    explanation: Text
    accept: Accept = ()
    choices: tuple[Text, ...] = ()
    tags: tuple[Tag, ...] = ()
    source: Url | None = None
    mistakes: tuple[Mistake, ...] = ()
    translations: Annotated[dict[Lang, CardTranslation], LANGUAGE_KEYS] = {}
    checked: K8sVersion | None = None  # the Kubernetes release the card was last checked against
    since: K8sVersion | None = None  # the release that made the change the card teaches
    domains: Domains = {}  # certification -> curriculum domains; else the deck's

    @property
    def items(self) -> tuple[str, ...]:
        """The answer as a tuple: one item, or every item of a list answer."""
        if isinstance(self.answer, CommandAnswer):
            return (self.answer.command,)
        return self.answer if isinstance(self.answer, tuple) else (self.answer,)

    @property
    def kind(self) -> Literal["text", "list", "true-false", "command"]:
        """How the card is answered."""
        if isinstance(self.answer, CommandAnswer):
            return "command"
        if isinstance(self.answer, tuple):
            return "list"
        return "true-false" if self.answer.strip().lower() in TRUE_FALSE else "text"


class DeckTranslation(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A deck's title and description in another language."""

    title: Text
    description: Text | None = None


class DeckFile(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A k8squiz deck: one YAML file per topic."""

    title: Text
    cards: Annotated[tuple[Card, ...], Meta(min_length=1)]
    topic: Id | None = None
    description: Text | None = None
    translations: Annotated[dict[Lang, DeckTranslation], LANGUAGE_KEYS] = {}
    domains: Domains = {}  # the curriculum domains of every card that names none of its own


class CardText(Struct, frozen=True):
    """What a learner reads of a card, in one language."""

    question: str
    explanation: str
    items: tuple[str, ...]
    choices: tuple[str, ...]

    @property
    def answer(self) -> str:
        return ", ".join(self.items)


def card_text(card: Card, lang: str) -> CardText:
    """The card's words in `lang`, falling back to English where it has no translation."""
    tr = card.translations.get(lang)  # type: ignore[call-overload]
    if tr is None:
        return CardText(card.question, card.explanation, card.items, card.choices)
    items = card.items if tr.answer is None else _as_items(tr.answer)
    return CardText(tr.question, tr.explanation, items, tr.choices or card.choices)


def mistake_reason(mistake: Mistake, lang: str) -> str:
    """The mistake's reason in `lang`, or in English."""
    tr = mistake.translations.get(lang)  # type: ignore[call-overload]
    return mistake.reason if tr is None else tr.reason


def _as_items(answer: str | tuple[str, ...]) -> tuple[str, ...]:
    return answer if isinstance(answer, tuple) else (answer,)


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
    # The deck file's curriculum domains: they apply to each card that names none of its own.
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
    guess = closest(name, known)
    hint = f"did you mean '{guess}'? " if guess else ""
    raise UsageError(
        f"unknown {what} '{name}'; {hint}known {what}s: {', '.join(sorted(known))}",
        fix=f"see '{listing}'",
    )


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option `word` was most likely a typo of, if any is close."""
    import difflib

    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def bundled_dir() -> Path:
    """The decks shipped with k8squiz: inside the wheel, or at the top of a source checkout."""
    installed = Path(__file__).parent / "decks"
    return installed if installed.is_dir() else Path(__file__).parents[2] / "decks"


class Source(Struct, frozen=True):
    """A path to load decks from, and how to name where its decks came from."""

    path: Path
    origin: str  # "bundled" or the path as the user gave it

    @property
    def bundled(self) -> bool:
        return self.origin == "bundled"


def bundled() -> Source:
    """The decks shipped with k8squiz."""
    return Source(bundled_dir(), "bundled")


def sources(deck_options: Sequence[Path], environ: Mapping[str, str]) -> list[Source]:
    """The bundled decks, then `--deck` paths, then K8SQUIZ_DECKS."""
    user = [Source(p, str(p)) for p in user_deck_paths(deck_options, environ)]
    return [bundled(), *user]


def user_deck_paths(options: Sequence[Path], environ: Mapping[str, str]) -> list[Path]:
    """`--deck` paths first, then the entries of K8SQUIZ_DECKS (an os.pathsep list)."""
    from_env = [Path(p) for p in environ.get("K8SQUIZ_DECKS", "").split(os.pathsep) if p]
    return [*options, *from_env]


def deck_files(path: Path) -> Iterator[Path]:
    """A deck file itself, or the deck files directly inside a folder, sorted by name."""
    if path.is_dir():
        yield from sorted(
            p for p in path.iterdir() if p.suffix in DECK_SUFFIXES and not p.name.startswith(".")
        )
    else:
        yield path


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a deck file, generated from `DeckFile`."""
    schema = msgspec.json.schema(DeckFile)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "k8squiz deck",
        **schema,
    }
    text_schema: dict[str, Any] = _scalars_are_text(schema)
    return text_schema


def _scalars_are_text(node: Any) -> Any:
    """k8squiz reads every YAML scalar as the text its author typed (`6443`, `no`, `1.20`).

    Editors parse YAML 1.2 first, so the schema lets a text field be any scalar.
    """
    if isinstance(node, dict):
        out = {key: _scalars_are_text(value) for key, value in node.items()}
        if out.get("type") == "string":
            out["type"] = ["string", "number", "boolean"]
        return out
    if isinstance(node, list):
        return [_scalars_are_text(item) for item in node]
    return node
