"""The deck format, a public contract: the single definition of a deck file.

`shape` walks these structs' type information to check a file, `build` converts checked data
into them, and `k8squiz schema` prints the JSON Schema generated from them. Also here: what a
learner reads of a card in one language.
"""

# No `from __future__ import annotations`: msgspec would evaluate every annotation string
# again each time k8squiz starts and reads the deck cache.

from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args

import msgspec
from msgspec import Meta, Struct

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# The current Kubernetes release (1.37, August 2026): bundled cards are checked against it, and
# validate reports a bundled card last checked against a release more than two minors older.
KUBERNETES_RELEASE = "1.37"
FRESH_MINORS = 2

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


TextAnswer = Union[Text, tuple[Text, ...]]  # noqa: UP007 - a runtime alias msgspec reads
Answer = Union[Text, tuple[Text, ...], CommandAnswer]  # noqa: UP007
# A certification (kcna, cka, ckad) -> the ids of the curriculum domains a card serves.
Domains = dict[Id, tuple[Id, ...]]
Accept = Union[tuple[Text, ...], dict[Text, tuple[Text, ...]]]  # noqa: UP007
TRUE_FALSE = ("true", "false")


class CardKind(Enum):
    """How a card is answered: a closed set, matched exhaustively wherever it matters."""

    TEXT = "text"  # words, a number or a range
    LIST = "list"  # every item required, any order
    TRUE_FALSE = "true-false"
    COMMAND = "command"  # graded by what the command does


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
    answer: TextAnswer | None = None  # a command is not translated
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
    def kind(self) -> CardKind:
        """How the card is answered, from the shape of its answer."""
        if isinstance(self.answer, CommandAnswer):
            return CardKind.COMMAND
        if isinstance(self.answer, tuple):
            return CardKind.LIST
        return CardKind.TRUE_FALSE if self.answer.strip().lower() in TRUE_FALSE else CardKind.TEXT


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


def minor(release: str) -> int:
    """The minor number of a Kubernetes release such as `1.37`."""
    return int(release.split(".")[1])


def mistake_reason(mistake: Mistake, lang: str) -> str:
    """The mistake's reason in `lang`, or in English."""
    tr = mistake.translations.get(lang)  # type: ignore[call-overload]
    return mistake.reason if tr is None else tr.reason


def _as_items(answer: str | tuple[str, ...]) -> tuple[str, ...]:
    return answer if isinstance(answer, tuple) else (answer,)


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
