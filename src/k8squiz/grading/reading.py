"""Reading a card for the grader: what it accepts (its plan), what its question already says,
and which words of an answer may be left out (the rules of answers.py's docstring).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from msgspec import Struct

from k8squiz.decks.model import Accept, Card, CardKind, TextAnswer
from k8squiz.grading.words import (
    ARTICLES,
    ARTICLES_OF,
    FILLER_WORDS,
    NEVER_LEFT_OUT,
    WORD_PUNCTUATION,
    Form,
    expected_form,
    fold,
    given_form,
    has_digit,
    normalize,
    word_stem,
    words_of,
)

_CONJUNCTION_OF = {"en": "or", "pt-BR": "ou"}  # how each language asks "X or Y?"
NUMBER_LINKS = frozenset({"-", "..", "~", "to", "through", "thru", "a", "ate", "and", "e", "&"})
_QUESTION_WORD = re.compile(r"\w+(?:[-./']\w+)*")
_RESTATED = re.compile(r"^([^()]+?)\s*\(([^()]+)\)[\s.!?]*$")
_DASH_BREAK = re.compile(r"\s+[-\u2012\u2013\u2014\u2015\u2212]{1,2}\s+|\u2014")
_OPTION_LEAD = frozenset({
    "at", "in", "on", "by", "of", "to", "as", "the", "a", "an",
    "no", "na", "nos", "nas", "em", "de", "do", "da", "o", "os", "um", "uma", "como",
})  # fmt: skip  # words that introduce an option of an either/or question, not part of it


def _keys_of(forms: Iterable[Form]) -> frozenset[str]:
    """Every key and stem of `forms`: what a typed text or a target can be known by."""
    return frozenset(key for form in forms for key in (form.key, form.stem))


class Typed(Struct, frozen=True):
    """A learner's text as English and as Portuguese read it: without the leading articles of
    either language, so `o kubelet` is `kubelet` and `OS level` stays `OS level` in English."""

    text: str
    forms: tuple[Form, ...]  # one per distinct reading

    @property
    def keys(self) -> frozenset[str]:
        return _keys_of(self.forms)

    def same_as(self, expected: Form) -> bool:
        return any(form.same_as(expected) for form in self.forms)


class Target(Struct, frozen=True):
    """Something the learner can name: an answer item, or a known mistake, in all its forms."""

    forms: tuple[Form, ...]

    @property
    def keys(self) -> frozenset[str]:
        return _keys_of(self.forms)


class Plan(Struct, frozen=True):
    """A card's answer items and known mistakes, ready to compare."""

    card: Card
    items: tuple[Target, ...]
    mistakes: tuple[Target, ...]  # aligned with card.mistakes
    own_keys: frozenset[str]
    one_word_items: bool  # every form of every item is one word: spaces may separate items


class Context(Struct, frozen=True):
    """What a card's question lets the grader leave out of an answer, and what it must not."""

    said: frozenset[str]  # the words of the question in every language, as keys and stems
    kept: frozenset[str]  # stems never left out: what tells the options of `X or Y?` apart
    wrong: tuple[Target, ...]  # mistakes (first, aligned with them), choices, the other option
    named: tuple[Target, ...]  # what no left-out word may name: `wrong`, and a list's items
    span: int  # the most words a form of `named` can take, with an article or two around
    numeric: bool  # an accepted form holds a digit: no number is ever left out


class _Reading(Struct, frozen=True):
    """A learner's text word by word, each marked with whether it may be left out."""

    lang: str  # whose articles it lost, at its start, and may leave out anywhere
    words: tuple[str, ...]  # normalized, as typed
    keys: tuple[str, ...]  # without surrounding punctuation and hyphens
    stems: tuple[str, ...]
    droppable: tuple[bool, ...]


class Match(Struct, frozen=True):
    """Which target a piece of the answer named, through which form, and whether by a typo."""

    index: int
    form: Form
    typo: bool


class Judgement(Struct, frozen=True):
    """What one answer, or one piece of a list answer, names."""

    match: Match | None = None  # the answer item it names, if any
    mistakes: frozenset[int] = frozenset()  # the known mistakes it names, by index


def plan_of(card: Card) -> Plan:
    items = tuple(_target(_item_texts(card, index)) for index in range(len(card.items)))
    mistakes = tuple(_target([(t, "en") for t in (m.answer, *m.accept)]) for m in card.mistakes)
    own_keys = frozenset(key for target in (*items, *mistakes) for key in target.keys)
    one_word = all(" " not in normalize(form.text) for target in items for form in target.forms)
    return Plan(card, items, mistakes, own_keys, one_word)


def _target(texts: Iterable[tuple[str, str]]) -> Target:
    return Target(tuple(expected_form(text, lang) for text, lang in dict.fromkeys(texts)))


def _item_texts(card: Card, index: int) -> list[tuple[str, str]]:
    """Every accepted way of writing answer item `index`, in English and pt-BR, with its
    language."""
    item = card.items[index]
    texts = [(text, "en") for text in (item, *_alternatives(card, card.accept, item))]
    translation = card.translations.get("pt-BR")
    if translation is not None:
        translated = _translated_items(card, translation.answer, index)
        texts += [(text, "pt-BR") for text in translated]
        for name in (item, *translated):
            texts += [(text, "pt-BR") for text in _alternatives(card, translation.accept, name)]
    return texts


def _alternatives(card: Card, accept: Accept, item: str) -> tuple[str, ...]:
    """An item's `accept` entries: a mapping per item for list answers, else the list."""
    if isinstance(accept, dict):
        return accept.get(item, ())
    return () if card.kind is CardKind.LIST else accept


def _translated_items(card: Card, answer: TextAnswer | None, index: int) -> list[str]:
    """The translation of item `index`: the item at the same place in a list answer."""
    items = [] if answer is None else [answer] if isinstance(answer, str) else list(answer)
    if card.kind is not CardKind.LIST:
        return items
    return [items[index]] if len(items) == len(card.items) else []


def context_of(plan: Plan) -> Context:
    """The words of the card's question, and the answers no left-out word may hide."""
    card = plan.card
    asked: list[tuple[str, str]] = [("en", card.question)]
    asked += [(lang, tr.question) for lang, tr in card.translations.items()]
    said = frozenset(word for _, question in asked for word in _question_words(question))
    wrong = [*plan.mistakes, *(_target([(c, "en")]) for c in card.choices)]
    for language, tr in card.translations.items():
        wrong += [_target([(choice, language)]) for choice in tr.choices]
    kept: set[str] = set()
    for lang, question in asked:
        options = _either_or(question, _CONJUNCTION_OF.get(lang, "or"))
        if options is None:
            continue
        first, second = ({word_stem(word) for word in option.split()} for option in options)
        kept |= first ^ second  # what tells the options apart: a learner's pick, never filler
        rival = _rival(plan, options)
        if rival is not None:
            wrong.append(_target([(rival, lang)]))
    named = (*wrong, *plan.items) if card.kind is CardKind.LIST else tuple(wrong)
    numeric = any(has_digit(form.key) for target in plan.items for form in target.forms)
    words = (len(normalize(form.text).split()) for target in named for form in target.forms)
    span = max(words, default=0) + 2
    return Context(said, frozenset(kept), tuple(wrong), named, span, numeric)


def _question_words(question: str) -> set[str]:
    """Each word of `question`, and each part of a hyphenated or dotted word, as key and stem."""
    words: set[str] = set()
    for token in _QUESTION_WORD.findall(fold(question)):
        for part in (token, *re.split(r"[-./']", token)):
            words.update((part.replace("-", ""), word_stem(part)))
    return words


def _either_or(question: str, conjunction: str) -> tuple[str, str] | None:
    """The two options of a question that ends `..., X or Y?` (or holds `(X or Y)`), without
    their leading prepositions and articles; None when it asks for no such choice."""
    text = fold(question).strip()
    if not text.endswith("?"):
        return None
    words = re.split(r"[.!?:]\s", text[:-1])[-1].split()
    if conjunction not in words:
        return None
    at = len(words) - 1 - words[::-1].index(conjunction)
    after, before = words[at + 1 :], words[:at]
    closed = next((i for i, word in enumerate(after) if ")" in word), None)
    if closed is not None:  # a choice in parentheses: its options end there
        after = after[: closed + 1]
    breaks = [i + 1 for i, word in enumerate(before) if word.endswith(",")]
    breaks += [i for i, word in enumerate(before) if word.startswith("(")]
    cut = max(breaks, default=0)
    first = _option(before[max(cut, len(before) - len(after)) :])
    second = _option(after)
    if not first or not second or len(second.split()) > 4:
        return None
    return first, second


def _option(words: Sequence[str]) -> str:
    plain = [word.strip(WORD_PUNCTUATION) for word in words]
    while plain and plain[0] in _OPTION_LEAD:
        plain = plain[1:]
    return " ".join(word for word in plain if word)


def _rival(plan: Plan, options: tuple[str, str]) -> str | None:
    """The option that is wrong, when exactly one of the two is right."""
    right = [any(typed_form(o).same_as(f) for t in plan.items for f in t.forms) for o in options]
    if right[0] == right[1]:
        return None
    return options[1] if right[0] else options[0]


def restated_parts(text: str) -> tuple[str, str] | None:
    """`A (B)` or `A - B` as (A, B), when both parts hold something."""
    restated = _RESTATED.match(text.strip())
    if restated is not None:
        parts = (restated.group(1), restated.group(2))
    else:
        broken = _DASH_BREAK.split(text.strip(), maxsplit=1)
        if len(broken) != 2:
            return None
        parts = (broken[0], broken[1])
    return parts if all(normalize(part) for part in parts) else None


def readings_of(ctx: Context, typed: Typed) -> tuple[_Reading, _Reading]:
    """`typed` as English and as Portuguese read it, word by word, with what may be left out
    (the language's articles anywhere). Both readings have the same words, keys and stems;
    only which words are articles depends on the language, so the rest is worked out once."""
    words = tuple(words_of(typed.text))
    keys = tuple(word.strip(WORD_PUNCTUATION).replace("-", "") for word in words)
    stems = tuple(word_stem(word) for word in words)
    droppable = tuple(
        _droppable(ctx, word, key, stem)
        for word, key, stem in zip(words, keys, stems, strict=True)
    )
    en, pt = (
        _Reading(lang, words, keys, stems, _with_articles(words, droppable, lang))
        for lang in ("en", "pt-BR")
    )
    return en, pt


def _with_articles(
    words: tuple[str, ...], droppable: tuple[bool, ...], lang: str
) -> tuple[bool, ...]:
    """`droppable`, with the articles of `lang` droppable too, wherever they stand, and the
    words that begin the answer as a sentence in `lang` (`it is`, `eles são`)."""
    articles, framed = ARTICLES_OF[lang], _framing(words, lang)
    return tuple(
        word in articles or drop or at < framed
        for at, (word, drop) in enumerate(zip(words, droppable, strict=True))
    )


# What an answer may begin with, as a sentence would: a pronoun, then a form of "be" or
# "get" (`it is a process`, `they are reconciled`, `it gets killed`; `é`, `eles são`).
# Only at the start, and only ever left out as any word that adds nothing is.
_SUBJECTS = {
    "en": frozenset({"it", "they", "this", "that", "these", "those"}),
    "pt-BR": frozenset({"ele", "ela", "eles", "elas", "isso", "isto"}),
}
_VERBS = {
    "en": frozenset({"is", "are", "was", "were", "gets", "get", "it's", "they're", "that's"}),
    "pt-BR": frozenset({"e", "sao", "era", "eram", "esta", "estao", "fica", "ficam", "foi"}),
}


def _framing(words: tuple[str, ...], lang: str) -> int:
    """How many words at the start of `words` only frame the answer as a sentence."""
    plain = [word.strip(WORD_PUNCTUATION).replace("\u2019", "'") for word in words[:3]]
    start = 1 if plain and plain[0] in _SUBJECTS[lang] else 0
    verb = len(plain) > start + 1 and plain[start] in _VERBS[lang]  # something must follow
    return start + 1 if verb else 0


def _droppable(ctx: Context, word: str, key: str, stem: str) -> bool:
    """Whether `word` adds nothing: a filler, or a word the question says, that is not a
    negation, `or`, a number of a numeric card, a word of the other option, or a name of
    a mistake, choice or list item on its own."""
    plain = word.strip(WORD_PUNCTUATION)
    if not key:
        return True  # punctuation alone
    if turns(plain) or stem in ctx.kept:
        return False
    if has_digit(key) and ctx.numeric:
        return False
    if plain not in FILLER_WORDS and key not in ctx.said and stem not in ctx.said:
        return False
    return not names_any(ctx, plain)


def names_any(ctx: Context, text: str) -> bool:
    """Whether `text` as written names a mistake, a choice, the other option or an item."""
    typed = typed_form(text)
    return any(typed.same_as(form) for target in ctx.named for form in target.forms)


def reached(
    ctx: Context, readings: Sequence[_Reading], targets: Sequence[Target]
) -> dict[int, tuple[bool, ...]]:
    """The targets that some words left out of a reading spell exactly, each with the words
    kept to spell it."""
    reached: dict[int, tuple[bool, ...]] = {}
    for index, target in enumerate(targets):
        for form, reading in ((form, reading) for form in target.forms for reading in readings):
            kept = _spelled(reading, form)
            if kept is not None and _dropped_fine(ctx, reading, kept):
                reached[index] = kept
                break
    return reached


def within(inner: tuple[bool, ...], outer: tuple[bool, ...]) -> bool:
    """Whether every word kept in `inner` is kept in `outer`: a part of the same answer."""
    return all(keep <= wide for keep, wide in zip(inner, outer, strict=True))


def _dropped_fine(ctx: Context, reading: _Reading, kept: tuple[bool, ...]) -> bool:
    """Whether every run of words that names something of the card (a mistake, a choice, the
    other option, a list's item) still names it with only its kept words: `helm list helm
    history` does not hide the mistake `helm list` by keeping one `helm` of it."""
    words = reading.words
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + ctx.span) + 1):
            if all(kept[start:end]) or not names_any(ctx, " ".join(words[start:end])):
                continue
            run = zip(words[start:end], kept[start:end], strict=True)
            if not names_any(ctx, " ".join(word for word, keep in run if keep)):
                return False
    return True


def _spelled(reading: _Reading, form: Form) -> tuple[bool, ...] | None:
    """Which words of `reading` to keep so they spell `form`, leaving out only droppable ones."""
    if form.numbers:
        words = reading.words
        kept = tuple(
            not drop or (word in NUMBER_LINKS and _between_numbers(words, at))
            for at, (word, drop) in enumerate(zip(words, reading.droppable, strict=True))
        )
        text = " ".join(word for word, keep in zip(reading.words, kept, strict=True) if keep)
        if all(kept) or not any(kept):
            return None
        return kept if given_form(text, reading.lang).same_as(form) else None
    return _spell(reading.keys, reading.droppable, form.key) or _spell(
        reading.stems, reading.droppable, form.stem
    )


def word_keys(text: str) -> set[str]:
    """Each word of `text`, and each hyphenated part of one, as key and as stem."""
    keys: set[str] = set()
    for word in normalize(text).split():
        plain = word.strip(WORD_PUNCTUATION)
        for part in (plain, *plain.split("-")):
            keys.update((part.replace("-", ""), word_stem(part)))
    return keys


def negates(text: str) -> bool:
    """Whether `text` says `not`, `or` or another word that turns what it means."""
    return any(turns(word.strip(WORD_PUNCTUATION)) for word in normalize(text).split())


def turns(word: str) -> bool:
    """Whether `word` (plain) turns what an answer means: a negation, `or`, `n't`."""
    return word in NEVER_LEFT_OUT or word.endswith("n't")


def _between_numbers(words: Sequence[str], at: int) -> bool:
    """Whether the word at `at` has a number on each side, as `to` in `2379 to 2380`."""
    return 0 < at < len(words) - 1 and has_digit(words[at - 1]) and has_digit(words[at + 1])


def _spell(
    parts: Sequence[str], droppable: Sequence[bool], target: str
) -> tuple[bool, ...] | None:
    """Which parts to keep so that, joined, they are `target`; None when no choice does.

    Keeping a part is tried before leaving it out, so the first way found keeps the most.
    """
    frontier: dict[int, tuple[bool, ...]] = {0: ()}  # characters of target spelled -> choices
    for part, drop in zip(parts, droppable, strict=True):
        reached: dict[int, tuple[bool, ...]] = {}
        for at, kept in frontier.items():
            if part and target.startswith(part, at):
                reached.setdefault(at + len(part), (*kept, True))
            if drop:
                reached.setdefault(at, (*kept, False))
        if not reached:
            return None
        frontier = reached
    spelled = frontier.get(len(target))
    return spelled if spelled is not None and any(spelled) else None


def exact(typed: Typed, targets: Sequence[Target]) -> Match | None:
    """The first target `typed` names as written (stems, articles and decorations aside)."""
    for index, target in enumerate(targets):
        form = next((form for form in target.forms if typed.same_as(form)), None)
        if form is not None:
            return Match(index, form, typo=False)
    return None


def typed_form(text: str) -> Typed:
    """A learner's text as English and as Portuguese read it (one reading when it starts
    with no article)."""
    if words_of(text)[0] not in ARTICLES:
        return Typed(text, (given_form(text),))
    en, pt = given_form(text, "en"), given_form(text, "pt-BR")
    return Typed(text, (en,) if en == pt else (en, pt))
