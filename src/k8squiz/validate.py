"""The rules a deck must obey, as data (RULES), and the checks beyond its shape.

The shape itself (keys, types, required fields, formats) is checked in `shape.py`, from
the deck model. Here: the rules list, and the checks that need more than a shape, card by
card and across every file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

from msgspec import Struct

from k8squiz.deck import LANGUAGES, Accept, Answer, Card, CommandAnswer, DeckFile, card_text
from k8squiz.grading import Grader, canonical, equivalent, normalize
from k8squiz.grading.answers import is_generic
from k8squiz.source import Problem


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
        Rule("accept-generic", "warning", "no accepted answer is one generic word (level, mode)"),
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


def problem(path: str, line: int, col: int, code: str, message: str, *, card: str = "") -> Problem:
    """A problem with the severity its rule gives it."""
    return Problem(path, line, col, code, message, RULES[code].severity, card)


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
    if (repeated := _first_repeat(card.items)) is not None:
        yield ctx.problem(card, "list-answer", f"the list answer repeats '{repeated}'", "answer")
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


def _generic(card: Card, ctx: CardContext) -> Iterator[Problem]:
    """An accepted answer that is one generic word (`level`, `modo`) lets through any answer
    made of it and words the question says (`hardware level`, when the question names one)."""
    if card.kind not in ("text", "list"):
        return
    named: list[tuple[str, str, str, tuple[str, ...]]] = [
        ("answer", "answer", "en", card.items),
        ("accept", "accept", "en", _accepted(card.accept)),
    ]
    for lang, tr in card.translations.items():
        translated = card_text(card, lang).items if tr.answer is not None else ()
        named.append(("translations", f"the {lang} answer", lang, translated))
        named.append(("translations", f"the {lang} accept", lang, _accepted(tr.accept)))
    for key, label, language, texts in named:
        for text in dict.fromkeys(texts):
            if is_generic(text, language):
                message = (
                    f"{label} '{text}' is one generic word: it lets through any answer that adds"
                    " words of the question to it; name the thing itself"
                )
                yield ctx.problem(card, "accept-generic", message, key)


def _accepted(accept: Accept) -> tuple[str, ...]:
    """Every alternative in `accept`, a list or a mapping from item to alternatives."""
    if isinstance(accept, dict):
        return tuple(text for texts in accept.values() for text in texts)
    return accept


def _choices(card: Card, ctx: CardContext) -> Iterator[Problem]:
    if not card.choices or card.kind == "true-false":
        return
    if card.kind == "list":
        yield ctx.problem(card, "choices", "a list answer takes no 'choices'", "choices")
        return
    if (repeated := _first_repeat(card.choices)) is not None:
        yield ctx.problem(card, "choices", f"choice '{repeated}' is listed twice", "choices")
    for choice in card.choices:
        if ctx.grader.accepts(card, choice):
            message = f"choice '{choice}' would be graded correct; choices are wrong options"
            yield ctx.problem(card, "choices", message, "choices")


def _translations(card: Card, ctx: CardContext) -> Iterator[Problem]:
    for lang, tr in card.translations.items():
        if tr.answer is not None and (
            isinstance(card.answer, CommandAnswer)
            or isinstance(tr.answer, tuple) != isinstance(card.answer, tuple)
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


def _first_repeat(texts: Sequence[str]) -> str | None:
    """The first text that repeats an earlier one as the grader reads them, if any."""
    seen: set[object] = set()
    for text in texts:
        key = canonical(text)
        if key in seen:
            return text
        seen.add(key)
    return None


def _shape(answer: Answer) -> str:
    if isinstance(answer, CommandAnswer):
        return "left out (a command is not translated)"
    return "a list" if isinstance(answer, tuple) else "text"


def _mistakes(card: Card, ctx: CardContext) -> Iterator[Problem]:
    if (repeated := _first_repeat([m.answer for m in card.mistakes])) is not None:
        message = f"mistake '{repeated}' is listed twice"
        yield ctx.problem(card, "mistake-repeat", message, "mistakes")
    for mistake in card.mistakes:
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
    _generic,
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
