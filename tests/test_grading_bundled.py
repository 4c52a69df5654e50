"""Exactness over the bundled cards: the natural-answer rules never make a wrong answer right.

Hypothesis draws cards, answers and words from the bundled decks (loaded with k8squiz's own
loader) and checks what must hold for every card, not just the ones a table names: a known
mistake or the other option of an either/or question stays wrong however it is dressed, an
answer made only of words that add nothing is wrong, confusable names stay apart, and a right
answer stays right when a word of the question or a filler is added.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from k8squiz.decks.cache import load_library
from k8squiz.decks.library import Library
from k8squiz.decks.model import Card
from k8squiz.grading import Grader, normalize
from k8squiz.grading.words import FILLER_WORDS, NEVER_LEFT_OUT

LIBRARY: Library = load_library([], {}, None)
GRADER = Grader(LIBRARY.cards)
WORDED = tuple(card for card in LIBRARY.cards if card.kind.value in ("text", "list"))
FILLERS = sorted(FILLER_WORDS)
CONFUSABLE = (("kubelet", "kubectl"), ("runc", "runsc"), ("2379", "2380"))
LEADS = {"at", "in", "on", "by", "of", "to", "the", "a", "an", "no", "na", "em", "de", "o"}


def plain(text: str) -> str:
    """Lowercase, no accents: how the tests below compare words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def question_words(card: Card) -> list[str]:
    """The words of the card's questions, English and pt-BR, as a learner would retype them."""
    texts = [card.question, *(tr.question for tr in card.translations.values())]
    return sorted({w for text in texts for w in re.findall(r"\w+(?:[-.'/]\w+)*", text)})


def dressed(data: st.DataObject, card: Card, word: str) -> tuple[str, list[str]]:
    """`word` among up to three words of the card's questions or fillers, and those words."""
    words = data.draw(st.lists(st.sampled_from(question_words(card) + FILLERS), max_size=3))
    at = data.draw(st.integers(0, len(words)))
    return " ".join([*words[:at], word, *words[at:]]), words


def accepted_texts(card: Card) -> list[str]:
    """Every text the deck itself lists as right for the card."""
    texts = list(card.items)
    accept = card.accept
    texts += [t for alts in accept.values() for t in alts] if isinstance(accept, dict) else accept
    for tr in card.translations.values():
        if tr.answer is not None:
            texts += [tr.answer] if isinstance(tr.answer, str) else list(tr.answer)
        alts = tr.accept
        texts += [t for a in alts.values() for t in a] if isinstance(alts, dict) else alts
    return texts


def wrong_texts(card: Card) -> list[str]:
    """The card's known mistakes (with their accept forms) and choices, in both languages."""
    texts = [t for m in card.mistakes for t in (m.answer, *m.accept)] + list(card.choices)
    return texts + [c for tr in card.translations.values() for c in tr.choices]


def either_or(question: str) -> tuple[str, str] | None:
    """`X or Y?` at the end of a question: its two options, without leading prepositions."""
    last = re.split(r"[.!:]\s", question.strip())[-1]
    found = re.search(r"^(.*?)\s(?:or|ou)\s(.+)\?$", last)
    if found is None:
        return None
    before, after = found.group(1).split(), found.group(2).split()
    first = before[-len(after) :]
    if any(word.endswith(",") for word in first[:-1]):
        first = first[max(i for i, w in enumerate(first) if w.endswith(",")) + 1 :]

    def trimmed(words: list[str]) -> str:
        words = [w.strip("(),`") for w in words]
        while words and plain(words[0]) in LEADS:
            words = words[1:]
        return " ".join(words)

    return trimmed(first), trimmed(after)


def either_or_cards() -> Iterator[tuple[Card, str, str]]:
    """(card, the option that is right, the option that is wrong) for either/or questions."""
    for card in WORDED:
        for question in (card.question, *(tr.question for tr in card.translations.values())):
            options = either_or(question)
            if options is None:
                continue
            right = [GRADER.accepts(card, option) for option in options]
            if right[0] != right[1]:
                yield (card, *options) if right[0] else (card, *options[::-1])


EITHER_OR = list(either_or_cards())


def addable(card: Card) -> list[str]:
    """Question words that add nothing to an answer of this card, by the documented rules.

    Left out on purpose: negations and `or`, numbers (on a numeric card), and any word that is
    part of a known mistake, a choice or an option of an `X or Y?` question, so what is added
    cannot say something else.
    """
    numeric = any(ch.isdigit() for text in accepted_texts(card) for ch in text)
    questions = [card.question, *(tr.question for tr in card.translations.values())]
    options = [o for q in questions for o in either_or(q) or ()]
    taken = " ".join(plain(t) for t in [*wrong_texts(card), *options])
    words = []
    for word in question_words(card):
        low = plain(word)
        if low in NEVER_LEFT_OUT or (numeric and any(ch.isdigit() for ch in low)):
            continue
        if low[:5] in taken or any(part[:5] in taken for part in re.split(r"[-./']", low)):
            continue
        words.append(word)
    return words


def answer_text(card: Card) -> str:
    return ", ".join(card.items) if card.kind.value == "list" else card.items[0]


def with_word(card: Card, text: str, word: str, before: bool) -> str:
    """`text` with `word` added at its start or end (for a list, to its first or last item)."""
    return f"{word} {text}" if before else f"{text} {word}"


# ---------------------------------------------------------------- normalising by language


@pytest.mark.parametrize(
    ("text", "lang", "normalized"),
    [
        ("OS level", "en", "os level"),
        ("OS level", "pt-BR", "level"),
        ("the level", "pt-BR", "the level"),
        ("the level", "en", "level"),
        ("as camadas", "pt-BR", "camadas"),
        ("as camadas", "en", "as camadas"),
        ("a camada", "en", "camada"),
        ("um processo", "en", "um processo"),
        ("um processo", None, "processo"),
    ],
)
def test_leading_articles_go_by_language(text: str, lang: str | None, normalized: str) -> None:
    """English text loses the/a/an, Portuguese o/a/os/as/um/uma, text of no language either."""
    assert normalize(text, lang) == normalized


@given(st.text(), st.sampled_from(["en", "pt-BR", None]))
def test_normalizing_in_a_language_is_idempotent(text: str, lang: str | None) -> None:
    """Normalising twice gives the same text as normalising once, in every language."""
    once = normalize(text, lang)
    assert normalize(once, lang) == once


# ---------------------------------------------------------------- nothing left


@given(st.sampled_from(WORDED), st.text(), st.sampled_from(["en", "pt-BR"]))
def test_any_text_on_a_bundled_card_gets_a_verdict(card: Card, text: str, lang: str) -> None:
    """Whatever is typed, grading a bundled card returns a verdict and never raises."""
    verdict = GRADER.grade(card, text, lang)
    assert not (verdict.revealed and verdict.correct)


@settings(max_examples=300)
@given(st.data(), st.sampled_from(WORDED))
def test_an_answer_of_words_that_add_nothing_is_wrong(data: st.DataObject, card: Card) -> None:
    """Fillers and question words that are no part of an accepted answer make no answer."""
    accepted = " ".join(plain(t) for t in accepted_texts(card))
    pool = FILLERS + [w for w in question_words(card) if plain(w)[:5] not in accepted]
    words = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=5))
    assert not GRADER.grade(card, " ".join(words)).correct


# ---------------------------------------------------------------- either/or questions


def test_either_or_questions_are_found() -> None:
    """The bundled either/or questions are found, so the property below is not vacuous."""
    ids = {card.id for card, _, _ in EITHER_OR}
    assert {"container-isolation-level", "runtime-engine-docker-podman"} <= ids


@settings(max_examples=300)
@given(st.data(), st.sampled_from(EITHER_OR))
def test_the_other_option_never_passes(
    data: st.DataObject, question: tuple[Card, str, str]
) -> None:
    """The wrong option of `X or Y?`, with any words of the question or fillers, is wrong."""
    card, _, other = question
    text, _ = dressed(data, card, other)
    assert not GRADER.grade(card, text).correct, text


# ---------------------------------------------------------------- known mistakes

MISTAKE_FORMS = [
    (card, form)
    for card in WORDED
    for mistake in card.mistakes
    for form in (mistake.answer, *mistake.accept)
]


def as_answer(card: Card, form: str) -> str:
    """A whole answer holding the mistake: for a list, every item plus the mistake."""
    return ", ".join((*card.items, form)) if card.kind.value == "list" else form


@pytest.mark.parametrize(
    ("card", "form"), [pytest.param(c, f, id=f"{c.id}:{f}") for c, f in MISTAKE_FORMS]
)
def test_every_mistake_form_is_wrong_with_a_filler_or_article(card: Card, form: str) -> None:
    """Each known mistake and accept form of one, bare or decorated, is never right."""
    for text in (form, f"the {form}", f"just {form}", f"{form.upper()}.", f"o {form}"):
        assert not GRADER.grade(card, as_answer(card, text)).correct, text


@settings(max_examples=500)
@given(st.data(), st.sampled_from(MISTAKE_FORMS))
def test_a_mistake_stays_wrong_with_question_words(
    data: st.DataObject, mistake: tuple[Card, str]
) -> None:
    """A known mistake with words of the question or fillers around it is still wrong,
    unless those words spell the right answer with it ("ReadWriteOnce Pod" is
    ReadWriteOncePod with a space: right, as the learner meant it)."""
    card, form = mistake
    text, _ = dressed(data, card, form)
    assume(not any(_squeezed(right) in _squeezed(text) for right in accepted_texts(card)))
    assert not GRADER.grade(card, as_answer(card, text)).correct, text


def _squeezed(text: str) -> str:
    return "".join(text.split()).casefold()


# ---------------------------------------------------------------- confusable names


def confused() -> Iterator[tuple[Card, str, str]]:
    """(card, the answer a card takes, the confusable one it must refuse) over the decks."""
    for card in WORDED:
        for first, second in (*CONFUSABLE, *(pair[::-1] for pair in CONFUSABLE)):
            texts = [plain(t) for t in accepted_texts(card)]
            if first in texts and second not in texts:
                yield card, first, second


CONFUSED = list(confused())


def test_confusable_names_are_on_bundled_cards() -> None:
    """Every confusable name is the answer of some bundled card, so the property bites."""
    assert {right for _, right, _ in CONFUSED} == {name for pair in CONFUSABLE for name in pair}


@settings(max_examples=300)
@given(st.data(), st.sampled_from(CONFUSED))
def test_confusable_names_never_pass_for_each_other(
    data: st.DataObject, case: tuple[Card, str, str]
) -> None:
    """kubelet is never kubectl, runc never runsc, 2379 never 2380, however it is dressed."""
    card, right, wrong = case
    text, words = dressed(data, card, wrong)
    if card.kind.value == "list":
        items = [wrong if plain(item) == right else item for item in card.items]
        text = ", ".join(items) + (" " + " ".join(words) if words else "")
    assert not GRADER.grade(card, text).correct, text


# ---------------------------------------------------------------- right stays right


@settings(max_examples=500)
@given(st.data(), st.sampled_from(WORDED), st.booleans())
def test_a_right_answer_stays_right_with_a_question_word_or_filler(
    data: st.DataObject, card: Card, before: bool
) -> None:
    """Adding a word the question says (of those the rules let go) or a filler keeps it right."""
    pool = addable(card) + FILLERS
    word = data.draw(st.sampled_from(pool))
    text = with_word(card, answer_text(card), word, before)
    assert GRADER.grade(card, text).correct, text


@pytest.mark.parametrize("card", WORDED, ids=lambda card: card.id)
def test_every_card_takes_its_answer_with_the_words_of_its_question(card: Card) -> None:
    """Each card, with each word its question says that the rules let go, in turn."""
    for word in addable(card):
        text = with_word(card, answer_text(card), word, before=False)
        assert GRADER.grade(card, text).correct, text
