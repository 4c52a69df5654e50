"""The rules a deck must obey: YAML nodes in, problems out.

The shape of a deck (keys, types, required fields, formats) is not written here: the walk
below reads it from the msgspec model in `deck.py`, the same model the loader converts into
and `k8squiz schema` prints. The rules that need more than a shape follow as small checks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import cache
from typing import Any

import msgspec
import msgspec.inspect as mi
from msgspec import Struct

from k8squiz.deck import LANGUAGES, Card, DeckFile, closest
from k8squiz.grading import Grader, equivalent, normalize
from k8squiz.source import CONTROL, Map, Node, Problem, Scalar, Seq, describe, describe_control


class Rule(Struct, frozen=True):
    """One thing `validate` checks, as listed by `k8squiz validate --rules`."""

    code: str
    severity: str
    summary: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("unreadable", "error", "the file can be opened and read"),
        Rule("file-too-large", "error", "a deck file is at most 16 MiB"),
        Rule("encoding", "error", "deck files are UTF-8"),
        Rule("empty", "error", "a deck file is not empty"),
        Rule("yaml-syntax", "error", "the file is valid YAML"),
        Rule("multiple-documents", "error", "a file holds one YAML document"),
        Rule("nesting", "error", "nesting is at most 32 levels deep"),
        Rule("alias-bomb", "error", "aliases do not expand to millions of nodes"),
        Rule("yaml-tag", "error", "no YAML tags such as !!python/...: every scalar is text"),
        Rule("control-character", "error", "no control characters or escape sequences in text"),
        Rule("shape", "error", "the file is a mapping with a title and a list of cards"),
        Rule("missing-key", "error", "required keys are present"),
        Rule("empty-value", "error", "required text is not empty or blank"),
        Rule("type", "error", "each key holds text, a list or a mapping, as the format says"),
        Rule("unknown-key", "error", "no unknown keys (with a did-you-mean)"),
        Rule("duplicate-key", "error", "no key appears twice in one mapping"),
        Rule("format", "error", "ids, topics and tags are lowercase-kebab; sources are URLs"),
        Rule("unknown-language", "error", "translations use a language k8squiz knows (pt-BR)"),
        Rule("duplicate-id", "error", "card ids are unique across every loaded deck"),
        Rule("duplicate-topic", "error", "topics are unique across every loaded deck"),
        Rule("list-answer", "error", "list items are distinct and contain no separators"),
        Rule("accept", "error", "accept fits the answer: a list, or item -> alternatives"),
        Rule("accept-redundant", "warning", "accept does not repeat the answer"),
        Rule("choices", "error", "choices are distinct wrong options, never the answer"),
        Rule("translation", "error", "a translated answer or choices keep the card's shape"),
        Rule("mistake-accepted", "error", "a known mistake is never graded correct"),
        Rule("mistake-repeat", "error", "a known mistake is listed once"),
        Rule("near-duplicate", "warning", "no two questions use the same words"),
        Rule("missing-source", "warning", "a bundled card cites its official source"),
        Rule("missing-translation", "warning", "bundled decks, cards and mistakes have pt-BR"),
        Rule("no-decks", "error", "a folder given to validate holds deck files"),
    )
}

SEPARATORS = re.compile(r"[,;/\n]| and | e | & ", re.IGNORECASE)
_BAD: Any = object()  # a value the walk could not build


def problem(path: str, line: int, col: int, code: str, message: str, *, card: str = "") -> Problem:
    """A problem with the severity its rule gives it."""
    return Problem(path, line, col, code, message, RULES[code].severity, card)


@cache
def _deck_type() -> mi.Type:
    return mi.type_info(DeckFile)


class CheckedFile(Struct, frozen=True):
    """What the walk made of one file: its problems, and its deck when the shape was right."""

    problems: tuple[Problem, ...]
    deck: DeckFile | None
    lines: tuple[dict[str, int], ...]  # per card of `deck`: key -> line; "" is the card's own line
    keys: dict[str, int] = {}  # the deck's own keys -> line


def check_shape(root: Node, path: str) -> CheckedFile:
    """Check a file's nodes against the model; build the deck from the cards that fit."""
    walk = _Walk(path)
    if not isinstance(root, Map):
        message = f"a deck is a mapping with 'title' and 'cards', found {describe(root)}"
        walk.add(root, "shape", message)
        return CheckedFile(tuple(walk.problems), None, ())
    data = walk.value(root, _deck_type(), ())
    keys = {k.value: k.line for k, _ in root.pairs if isinstance(k, Scalar)}
    deck = _convert(data, walk, root)
    return CheckedFile(tuple(walk.problems), deck, tuple(walk.card_lines), keys)


def _convert(data: Any, walk: _Walk, root: Node) -> DeckFile | None:
    """The deck, from the cards that passed; None when none did (their problems say why)."""
    if data is _BAD or (walk.errors and not data.get("cards")):
        return None
    try:
        return msgspec.convert(data, DeckFile)
    except msgspec.ValidationError as exc:  # the walk should have caught it: say what msgspec saw
        walk.add(root, "shape", f"the deck does not fit the format: {exc}")
        return None


class _Walk:
    """Checks nodes against msgspec type information, collecting every problem."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.errors = 0
        self.card = ""
        self.card_lines: list[dict[str, int]] = []

    def add(self, node: Node, code: str, message: str) -> None:
        found = problem(self.path, node.line, node.col, code, message, card=self.card)
        self.problems.append(found)
        self.errors += found.severity == "error"

    def value(self, node: Node, t: mi.Type, at: tuple[str, ...]) -> Any:
        note = ""
        while isinstance(t, mi.Metadata):
            note = (t.extra_json_schema or {}).get("description", note)
            t = t.type
        if isinstance(t, mi.UnionType):
            return self._union(node, t, at)
        if isinstance(t, mi.StructType):
            return self._struct(node, t, at)
        if isinstance(t, mi.VarTupleType):
            return self._list(node, t, at)
        if isinstance(t, mi.DictType):
            return self._dict(node, t, at)
        if isinstance(t, mi.StrType):
            return self._text(node, t, at, note)
        raise TypeError(f"the deck model uses a type validate does not know: {t!r}")

    def _union(self, node: Node, t: mi.UnionType, at: tuple[str, ...]) -> Any:
        if (
            isinstance(node, Scalar)
            and node.is_null
            and any(_kind(m) == "nothing" for m in t.types)
        ):
            return None
        for member in t.types:
            if _kind(member) == describe(node):
                return self.value(node, member, at)
        wanted = " or ".join(_kind(m) for m in t.types if _kind(m) != "nothing")
        self.add(node, "type", f"'{_label(at)}' should be {wanted}, found {describe(node)}")
        return _BAD

    def _struct(self, node: Node, t: mi.StructType, at: tuple[str, ...]) -> Any:
        if not isinstance(node, Map):
            self.add(node, "type", f"'{_label(at)}' should be a mapping, found {describe(node)}")
            return _BAD
        outer = self.card
        if t.cls is not Card:
            return self._fields(node, t, at)
        self.card = _card_id(node)
        try:
            value = self._fields(node, t, at)
        finally:
            self.card = outer
        if value is not _BAD:
            keys = {k.value: k.line for k, _ in node.pairs if isinstance(k, Scalar)}
            self.card_lines.append({"": node.line, **keys})
        return value

    def _fields(self, node: Map, t: mi.StructType, at: tuple[str, ...]) -> Any:
        before, tolerated = self.errors, 0
        fields = {f.encode_name: f for f in t.fields}
        out: dict[str, Any] = {}
        for key, value_node in self._pairs(node, at):
            if key not in fields:
                self._unknown_key(node, key, fields, at)
                continue
            errors = self.errors
            value = self.value(value_node, fields[key].type, (*at, key))
            tolerated += self.errors - errors if key == "cards" else 0
            if value is not _BAD:
                out[key] = value
        for name, f in fields.items():
            if name not in out:
                self._missing(node, name, f, at)
        return _BAD if self.errors - before > tolerated else out

    def _pairs(self, node: Map, at: tuple[str, ...]) -> Iterator[tuple[str, Node]]:
        seen: dict[str, int] = {}
        for key_node, value_node in node.pairs:
            if not isinstance(key_node, Scalar) or key_node.is_null:
                self.add(key_node, "type", f"keys in '{_label(at) or 'the deck'}' must be text")
                continue
            key = key_node.value
            if key in seen:
                message = (
                    f"key '{key}' appears twice in this mapping (first on line {seen[key]});"
                    " YAML loaders silently keep the last"
                )
                self.add(key_node, "duplicate-key", message)
                continue
            seen[key] = key_node.line
            yield key, value_node

    def _unknown_key(
        self, node: Map, key: str, fields: dict[str, Any], at: tuple[str, ...]
    ) -> None:
        key_node = next(k for k, _ in node.pairs if isinstance(k, Scalar) and k.value == key)
        guess = closest(key, fields)
        hint = f"; did you mean '{guess}'?" if guess else f"; known keys: {', '.join(fields)}"
        where = f" in '{_label(at)}'" if _label(at) else ""
        self.add(key_node, "unknown-key", f"unknown key '{key}'{where}{hint}")

    def _missing(self, node: Map, name: str, f: mi.Field, at: tuple[str, ...]) -> None:
        present = any(isinstance(k, Scalar) and k.value == name for k, _ in node.pairs)
        if f.required and not present:
            label = _label(at)
            whose = label if label.startswith("card ") else f"'{label}'" if label else "the deck"
            self.add(node, "missing-key", f"{whose} is missing '{name}'")

    def _list(self, node: Node, t: mi.VarTupleType, at: tuple[str, ...]) -> Any:
        if not isinstance(node, Seq):
            self.add(node, "type", f"'{_label(at)}' should be a list, found {describe(node)}")
            return _BAD
        if t.min_length and len(node.items) < t.min_length:
            self.add(node, "empty-value", f"'{_label(at)}' needs at least {t.min_length} item")
            return _BAD
        values = [
            self.value(item, t.item_type, (*at, str(i))) for i, item in enumerate(node.items)
        ]
        return [v for v in values if v is not _BAD]

    def _dict(self, node: Node, t: mi.DictType, at: tuple[str, ...]) -> Any:
        if not isinstance(node, Map):
            self.add(node, "type", f"'{_label(at)}' should be a mapping, found {describe(node)}")
            return _BAD
        out: dict[str, Any] = {}
        for key, value_node in self._pairs(node, at):
            if isinstance(t.key_type, mi.LiteralType) and key not in t.key_type.values:
                self._unknown_language(node, key)
                continue
            value = self.value(value_node, t.value_type, (*at, key))
            if value is not _BAD:
                out[key] = value
        return out

    def _unknown_language(self, node: Map, key: str) -> None:
        key_node = next(k for k, _ in node.pairs if isinstance(k, Scalar) and k.value == key)
        guess = closest(key, LANGUAGES) or closest(key.replace("_", "-"), LANGUAGES)
        hint = f"did you mean '{guess}'? " if guess else ""
        message = f"unknown language tag '{key}'; {hint}known: {', '.join(LANGUAGES)}"
        self.add(key_node, "unknown-language", message)

    def _text(self, node: Node, t: mi.StrType, at: tuple[str, ...], note: str) -> Any:
        if not isinstance(node, Scalar) or node.is_null:
            found = describe(node)
            code, message = (
                ("empty-value", "is empty")
                if found == "nothing"
                else ("type", f"should be text, found {found}")
            )
            self.add(node, code, f"'{_label(at)}' {message}")
            return _BAD
        value = node.value
        if (t.min_length or 0) > 0 and not value.strip():
            self.add(node, "empty-value", f"'{_label(at)}' is blank")
            return _BAD
        if bad := CONTROL.search(value):
            self.add(node, "control-character", f"'{_label(at)}': {describe_control(bad.group())}")
            return _BAD
        if (t.pattern and not re.search(t.pattern, value)) or (
            t.max_length and len(value) > t.max_length
        ):
            self.add(node, "format", f"{_label(at)} '{value}' is not {note or 'well formed'}")
            return _BAD
        return value


def _card_id(node: Map) -> str:
    ids = [v for k, v in node.pairs if isinstance(k, Scalar) and k.value == "id"]
    return ids[0].value if ids and isinstance(ids[0], Scalar) else ""


def _kind(t: mi.Type) -> str:
    while isinstance(t, mi.Metadata):
        t = t.type
    if isinstance(t, (mi.StrType, mi.LiteralType)):
        return "text"
    if isinstance(t, mi.VarTupleType):
        return "a list"
    return "nothing" if isinstance(t, mi.NoneType) else "a mapping"


def _label(at: tuple[str, ...]) -> str:
    """A field's name for messages: 'cards.3.question' is shown as 'question'."""
    if len(at) == 2 and at[0] == "cards":
        return f"card {int(at[1]) + 1}"
    parts = at[2:] if at[:1] == ("cards",) and len(at) > 2 else at
    return ".".join(p if not p.isdigit() else f"[{p}]" for p in parts).replace(".[", "[")


# Rules beyond the shape: each takes a card and its context and yields problems.


class CardContext(Struct, frozen=True):
    """Where a card is, and what the checks need to know about the whole deck set."""

    path: str
    lines: dict[str, int]  # key -> line, "" -> the card's own line
    grader: Grader
    bundled: bool

    def problem(self, card: Card, code: str, message: str, key: str = "") -> Problem:
        line = self.lines.get(key) or self.lines.get("", 1)
        return problem(self.path, line, 1, code, message, card=card.id)


def _list_answer(card: Card, ctx: CardContext) -> Iterator[Problem]:
    if card.kind != "list":
        return
    counts = Counter(normalize(item) for item in card.items)
    for item in card.items:
        if counts[normalize(item)] > 1:
            yield ctx.problem(card, "list-answer", f"the list answer repeats '{item}'", "answer")
            break
    for item in card.items:
        if SEPARATORS.search(f" {item} "):
            message = (
                f"list item '{item}' contains a separator (, ; / and e &)"
                " a learner's answer is split on; reword it"
            )
            yield ctx.problem(card, "list-answer", message, "answer")
    if len(card.items) < 2:
        message = "a list answer needs two or more items; write one answer as text"
        yield ctx.problem(card, "list-answer", message, "answer")


def _accept(card: Card, ctx: CardContext) -> Iterator[Problem]:
    if card.kind == "true-false" and (card.accept or card.choices):
        yield ctx.problem(
            card, "accept", "a true/false card takes no 'accept' or 'choices'", "answer"
        )
    elif card.kind == "list" and not isinstance(card.accept, dict) and card.accept:
        yield ctx.problem(
            card,
            "accept",
            "for a list answer, 'accept' maps an item to its alternatives",
            "accept",
        )
    elif card.kind == "text" and isinstance(card.accept, dict):
        yield ctx.problem(
            card, "accept", "for a text answer, 'accept' is a list of alternatives", "accept"
        )
    elif isinstance(card.accept, dict):
        for item in card.accept.keys() - set(card.items):
            message = f"'accept' names '{item}', which is not an item of the answer"
            yield ctx.problem(card, "accept", message, "accept")
    else:
        for alt in card.accept:
            if equivalent(alt, card.items[0]):
                message = f"accept '{alt}' is the answer itself; remove it"
                yield ctx.problem(card, "accept-redundant", message, "accept")


def _choices(card: Card, ctx: CardContext) -> Iterator[Problem]:
    if not card.choices or card.kind == "true-false":
        return
    if card.kind == "list":
        yield ctx.problem(card, "choices", "a list answer takes no 'choices'", "choices")
        return
    counts = Counter(normalize(choice) for choice in card.choices)
    for choice in card.choices:
        if counts[normalize(choice)] > 1:
            yield ctx.problem(card, "choices", f"choice '{choice}' is listed twice", "choices")
            break
    for choice in card.choices:
        if ctx.grader.accepts(card, choice):
            message = f"choice '{choice}' would be graded correct; choices are wrong options"
            yield ctx.problem(card, "choices", message, "choices")


def _translations(card: Card, ctx: CardContext) -> Iterator[Problem]:
    for lang, tr in card.translations.items():
        if tr.answer is not None and isinstance(tr.answer, tuple) != isinstance(
            card.answer, tuple
        ):
            message = f"the {lang} answer must be {_shape(card.answer)}, like the card's"
            yield ctx.problem(card, "translation", message, "translations")
        elif isinstance(tr.answer, tuple) and len(tr.answer) != len(card.items):
            message = f"the {lang} answer needs {len(card.items)} items, like the card's"
            yield ctx.problem(card, "translation", message, "translations")
        if tr.choices and len(tr.choices) != len(card.choices):
            message = f"the {lang} choices need {len(card.choices)} entries, like the card's"
            yield ctx.problem(card, "translation", message, "translations")
        if (
            tr.accept
            and isinstance(tr.accept, dict) != isinstance(card.accept, dict)
            and card.accept
        ):
            message = f"the {lang} accept must have the shape of the card's"
            yield ctx.problem(card, "translation", message, "translations")


def _shape(answer: str | tuple[str, ...]) -> str:
    return "a list" if isinstance(answer, tuple) else "text"


def _mistakes(card: Card, ctx: CardContext) -> Iterator[Problem]:
    seen: list[str] = []
    for mistake in card.mistakes:
        if any(equivalent(mistake.answer, earlier) for earlier in seen):
            message = f"mistake '{mistake.answer}' is listed twice"
            yield ctx.problem(card, "mistake-repeat", message, "mistakes")
        seen.append(mistake.answer)
        for form in (mistake.answer, *mistake.accept):
            if ctx.grader.accepts(card, form):
                message = f"mistake '{form}' would be graded correct for this card"
                yield ctx.problem(card, "mistake-accepted", message, "mistakes")


def _bundled(card: Card, ctx: CardContext) -> Iterator[Problem]:
    if not ctx.bundled:
        return
    if card.source is None:
        yield ctx.problem(card, "missing-source", "a bundled card needs a 'source' URL")
    for lang in LANGUAGES:
        if lang not in card.translations:
            message = (
                f"no {lang} translation; add translations.{lang} with question and explanation"
            )
            yield ctx.problem(card, "missing-translation", message)
        untranslated = [m.answer for m in card.mistakes if lang not in m.translations]
        if untranslated:
            message = f"mistake '{untranslated[0]}' has no {lang} reason"
            yield ctx.problem(card, "missing-translation", message, "mistakes")


CARD_CHECKS: tuple[Callable[[Card, CardContext], Iterator[Problem]], ...] = (
    _list_answer,
    _accept,
    _choices,
    _translations,
    _mistakes,
    _bundled,
)


def check_card(card: Card, ctx: CardContext) -> list[Problem]:
    """Every rule beyond the shape, for one card."""
    return [found for check in CARD_CHECKS for found in check(card, ctx)]


def check_deck_translations(deck: DeckFile, path: str, line: int = 1) -> list[Problem]:
    """A bundled deck's title has a translation in every language."""
    return [
        problem(path, line, 1, "missing-translation", f"the deck title has no {lang} translation")
        for lang in LANGUAGES
        if lang not in deck.translations
    ]


class Located(Struct, frozen=True):
    """A card and where it was found, for the rules across files."""

    card: Card
    path: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def check_across(cards: Iterable[Located], *, quiet: Collection[str] = ()) -> list[Problem]:
    """Duplicate ids (errors) and near-duplicate questions (warnings) across every file.

    A question that only resembles one in a `quiet` file (decks given as context) is fine.
    """
    found: list[Problem] = []
    ids: dict[str, Located] = {}
    questions: dict[frozenset[str], Located] = {}
    for here in cards:
        card = here.card
        if (first := ids.setdefault(card.id, here)) is not here:
            message = f"card id '{card.id}' is already used at {first.where}; ids must be unique"
            found.append(problem(here.path, here.line, 1, "duplicate-id", message, card=card.id))
        key = question_key(card.question)
        twin = questions.setdefault(key, here)
        if twin is not here and twin.card.id != card.id and twin.path not in quiet:
            message = f"question has the same words as [{twin.card.id}] at {twin.where}"
            found.append(problem(here.path, here.line, 1, "near-duplicate", message, card=card.id))
    return found


def question_key(question: str) -> frozenset[str]:
    """The words of a question, ignoring case, accents, punctuation and order."""
    return frozenset(re.findall(r"\w+", normalize(question)))
