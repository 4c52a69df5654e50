"""The checks beyond a deck's shape: card by card, and across every loaded file.

The shape itself (keys, types, required fields, formats) is checked in `shape.py` from the
deck model; every rule's code and severity is registered in `problems.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence

from msgspec import Struct

from k8squiz.decks.library import Deck, Library
from k8squiz.decks.model import (
    FRESH_MINORS,
    KUBERNETES_RELEASE,
    LANGUAGES,
    Accept,
    Answer,
    Card,
    CardKind,
    CommandAnswer,
    DeckFile,
    card_text,
    minor,
)
from k8squiz.decks.problems import Problem, closest, problem
from k8squiz.grading import Grader, canonical, command, equivalent, normalize
from k8squiz.grading.words import is_generic

SEPARATORS = re.compile(r"[,;/\n]| and | e | & ", re.IGNORECASE)


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
    if card.kind is not CardKind.LIST:
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
    if card.kind is CardKind.COMMAND:
        return  # _command says what to use instead
    if card.kind is CardKind.TRUE_FALSE and (card.accept or card.choices):
        yield ctx.problem(
            card, "accept", "a true/false card takes no 'accept' or 'choices'", "answer"
        )
    elif card.kind is CardKind.LIST and not isinstance(card.accept, dict) and card.accept:
        yield ctx.problem(
            card,
            "accept",
            "for a list answer, 'accept' maps an item to its alternatives",
            "accept",
        )
    elif card.kind is CardKind.TEXT and isinstance(card.accept, dict):
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
    if card.kind not in (CardKind.TEXT, CardKind.LIST):
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
    if not card.choices or card.kind in (CardKind.TRUE_FALSE, CardKind.COMMAND):
        return
    if card.kind is CardKind.LIST:
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


def _command(card: Card, ctx: CardContext) -> Iterator[Problem]:
    if not isinstance(card.answer, CommandAnswer):
        return
    answer = card.answer
    for text in (answer.command, *answer.alternatives):
        for message in command.problems(text, strict=True):
            yield ctx.problem(card, "command", message, "answer")
    for text in (form for mistake in card.mistakes for form in (mistake.answer, *mistake.accept)):
        for message in command.problems(text, strict=False):
            yield ctx.problem(card, "command", f"mistake: {message}", "mistakes")
    yield from _command_answer(card, answer, ctx)


def _command_answer(card: Card, answer: CommandAnswer, ctx: CardContext) -> Iterator[Problem]:
    for alternative in answer.alternatives:
        if not command.differences(answer.command, alternative, optional=answer.optional):
            message = (
                f"alternative '{alternative}' is graded as the command already (aliases, flag"
                " order and spellings are); remove it"
            )
            yield ctx.problem(card, "command-alternative", message, "answer")
    for entry in answer.optional:
        if not command.flag_of(answer.command, entry):
            message = f"optional '{entry}' is not a flag of '{answer.command}'"
            yield ctx.problem(card, "command-optional", message, "answer")
    if card.accept:
        message = "a command card takes no 'accept'; list other commands under answer.alternatives"
        yield ctx.problem(card, "command-accept", message, "accept")
    if card.choices:
        message = "a command card takes no 'choices'; put wrong commands and why under 'mistakes'"
        yield ctx.problem(card, "command-accept", message, "choices")


def _mistakes(card: Card, ctx: CardContext) -> Iterator[Problem]:
    if (repeated := _first_repeat([m.answer for m in card.mistakes])) is not None:
        message = f"mistake '{repeated}' is listed twice"
        yield ctx.problem(card, "mistake-repeat", message, "mistakes")
    for mistake in card.mistakes:
        for form in (mistake.answer, *mistake.accept):
            if ctx.grader.accepts(card, form):
                message = f"mistake '{form}' would be graded correct for this card"
                yield ctx.problem(card, "mistake-accepted", message, "mistakes")


def _domains(card: Card, ctx: CardContext) -> Iterator[Problem]:
    for message in domain_problems(card.domains):
        yield ctx.problem(card, "unknown-domain", message, "domains")


def domain_problems(domains: Mapping[str, Sequence[str]]) -> list[str]:
    """What is wrong with a deck's or card's `domains`: certifications and domain ids that no
    curriculum defines (with the closest known one)."""
    if not domains:
        return []
    from k8squiz.curricula import CERTS, load

    found = []
    for cert, ids in domains.items():
        if cert not in CERTS:
            found.append(f"unknown certification '{cert}' in domains{_guess(cert, CERTS)}")
            continue
        known = [d.id for d in load(cert).domains]
        found += [
            f"unknown {cert} domain '{domain}'{_guess(domain, known)}"
            for domain in ids
            if domain not in known
        ]
    return found


def _guess(name: str, known: Sequence[str]) -> str:
    guess = closest(name, known)
    hint = f"; did you mean '{guess}'?" if guess else ""
    return f"{hint} known: {', '.join(sorted(known))}"


def _bundled(card: Card, ctx: CardContext) -> Iterator[Problem]:
    if not ctx.bundled:
        return
    if card.source is None:
        yield ctx.problem(card, "missing-source", "a bundled card needs a 'source' URL")
    yield from _freshness(card, ctx)
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


def _freshness(card: Card, ctx: CardContext) -> Iterator[Problem]:
    """A bundled card says which Kubernetes release it was checked against, a recent one."""
    if card.checked is None:
        message = f"a bundled card needs 'checked: \"{KUBERNETES_RELEASE}\"' once it is checked"
        yield ctx.problem(card, "stale", message)
    elif minor(card.checked) < minor(KUBERNETES_RELEASE) - FRESH_MINORS:
        message = (
            f"checked against Kubernetes {card.checked}, more than {FRESH_MINORS} releases before"
            f" {KUBERNETES_RELEASE}; check it again and update 'checked'"
        )
        yield ctx.problem(card, "stale", message, "checked")


CARD_CHECKS: tuple[Callable[[Card, CardContext], Iterator[Problem]], ...] = (
    _list_answer,
    _accept,
    _generic,
    _choices,
    _command,
    _translations,
    _mistakes,
    _domains,
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


def check_deck_domains(deck: DeckFile, path: str, line: int = 1) -> list[Problem]:
    """A deck's own `domains` name known certifications and domains."""
    return [
        problem(path, line, 1, "unknown-domain", message)
        for message in domain_problems(deck.domains)
    ]


def check_exams(decks: Sequence[Deck]) -> list[Problem]:
    """For the bundled decks: every curriculum domain they serve has the cards a full exam
    draws from it without asking one card twice. Reported at the domain in its curriculum."""
    from k8squiz.curricula import CERTS, FOLDER, askable, fillable, line_of, load, pools

    library = Library(tuple(decks))
    named = {cert for card in library.cards for cert in library.domains_of(card)}
    found = []
    for cert in (c for c in CERTS if c in named):
        curriculum = load(cert)
        n = curriculum.default_questions()
        needs = curriculum.shares(n)
        found_in = pools(library, askable(library, curriculum), curriculum)
        for domain, missing in fillable(needs, found_in).items():
            if missing:
                message = (
                    f"{cert} domain '{domain}' fills {needs[domain] - missing} of the"
                    f" {needs[domain]} questions a full exam of {n} asks of it without"
                    " repeating a card; map more cards to it"
                )
                path = str(FOLDER / f"{cert}.yaml")
                found.append(problem(path, line_of(cert, domain), 1, "thin-domain", message))
    return found


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
