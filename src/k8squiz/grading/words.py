"""Answers as comparable words: normalising, stemming, and reading a text as numbers.

Pure and shared by the grader (answers.py) and the question reading (reading.py); the
contract these rules keep is written in answers.py's docstring and in docs/decks.md.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from msgspec import Struct

Spans = tuple[tuple[int, int], ...]  # a set of integers as sorted, merged, inclusive ranges


EN_ARTICLES = frozenset({"the", "a", "an"})


PT_ARTICLES = frozenset({"o", "a", "os", "as", "um", "uma"})


ARTICLES = EN_ARTICLES | PT_ARTICLES  # what a text of no known language loses


FILLER_WORDS = frozenset({
    "just", "only", "basically", "simply", "merely", "really", "actually", "essentially", "so",
    "apenas", "somente", "basicamente", "simplesmente", "meramente", "realmente",
})  # fmt: skip  # "so" is also Portuguese "só" without its accent


NEVER_LEFT_OUT = frozenset({
    "not", "no", "never", "none", "nothing", "neither", "nor", "without", "non", "cannot",
    "except", "or", "either", "nao", "nem", "nunca", "sem", "nenhum", "nenhuma", "nada",
    "exceto", "ou",
})  # fmt: skip


GENERIC_WORDS = frozenset({
    "level", "mode", "type", "sort", "way", "thing", "stuff", "part", "form", "method",
    "option", "style", "something", "nivel", "modo", "tipo", "forma", "coisa", "parte",
    "jeito", "maneira", "algo", "metodo", "opcao", "estilo",
})  # fmt: skip  # a word that names no idea of its own: an answer made of it says nothing


TRAILING_PUNCTUATION = ".!?;:, "


ARTICLES_OF = {"en": EN_ARTICLES, "pt-BR": PT_ARTICLES}


_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
)


_DECORATION = re.compile(r"[/(]?(?<![\w-])(?:tcp|udp|sctp|ports?|portas?)(?![\w-])[)/]?")


DIGIT = re.compile(r"\d")


_VERSION = re.compile(r"v\d+(?:\.\d+)+", re.ASCII)


_VERSION_PREFIX = re.compile(
    r"^(?:kubernetes|k8s|versao|version)\s+(?=v?\d+(?:\.\d+)+$)", re.ASCII
)


_RANGE_WORD = r"(?:-|\.\.|~|to|through|thru|a|ate)"


_TERM = rf"(\d{{1,12}})(?:\s*{_RANGE_WORD}\s*(\d{{1,12}}))?"  # a number, or a range


_GAP = r"\s*(?:(?:[,;/&]|and|e)\s*)+|\s+"  # unambiguous: no backtracking blow-up


_NUMBERS = re.compile(rf"{_TERM}(?:(?:{_GAP}){_TERM})*", re.ASCII)


_NUMBER_TERM = re.compile(_TERM, re.ASCII)


_GROUPED = {
    separators: re.compile(
        rf"(?<![\d.,])[1-9]\d{{0,2}}([{separators}])\d{{3}}(?:\1\d{{3}})*(?!\d)"
    )
    for separators in (", ", ",. ")
}


WORD_PUNCTUATION = "\"'`()[]{}<>,;:!?"  # around a word, never part of it


_STEM_EXEMPT = frozenset({
    "https", "ipvs", "kubernetes", "dns", "tls", "status", "always", "alias", "none", "note",
    "notes", "pode", "deve", "rede", "sobe", "dele", "nele",
})  # fmt: skip  # kept whole: a stem would make them another word (pode is not pod)


_UNDOUBLE = frozenset("bdgmnprt")


_VOWELS = frozenset("aeiou")


def normalize(text: str, lang: str | None = None) -> str:
    """`text` casefolded, without accents, dashes unified, spacing collapsed, trailing
    punctuation and leading articles removed (one is kept when it is all there is). Idempotent.

    The articles are those of `lang` ("en" or "pt-BR"); with no known language, either.
    """
    articles = ARTICLES_OF.get(lang or "", ARTICLES)
    words = words_of(text)
    while len(words) > 1 and words[0] in articles:
        words = words[1:]
    return " ".join(words)


def words_of(text: str) -> list[str]:
    """`text` folded, without trailing punctuation, cut into words (articles kept)."""
    return " ".join(fold(text).split()).rstrip(TRAILING_PUNCTUATION).split(" ")


_EN_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
               "ten", "eleven", "twelve")  # fmt: skip
_PT_NUMBERS = ("zero", "um", "dois", "tres", "quatro", "cinco", "seis", "sete", "oito", "nove",
               "dez", "onze", "doze")  # fmt: skip
NUMBER_WORDS = {
    word: str(value) for words in (_EN_NUMBERS, _PT_NUMBERS) for value, word in enumerate(words)
} | {"uma": "1", "duas": "2"}


def numerals(text: str) -> str:
    """`text` folded, with number words as digits: "three" is "3", "cinco minutos" is
    "5 minutos". The grader tries it when an answer does not match as written, so a number
    word never turns a right answer wrong."""
    return " ".join(NUMBER_WORDS.get(word, word) for word in fold(text).split())


def is_generic(text: str, lang: str | None = None) -> bool:
    """Whether `text` is, once normalized, one word that names no idea of its own (`level`)."""
    if expected_form(text, lang or "").stem not in GENERIC_STEMS:
        return False  # the usual case, from a form the grader keeps anyway
    return len(normalize(text, lang).split()) == 1


def fold(text: str) -> str:
    """Casefold, drop accents and invisible format characters, and unify dashes."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in decomposed if _visible_base(c)).translate(_DASHES)


def _visible_base(char: str) -> bool:
    return not unicodedata.combining(char) and unicodedata.category(char) not in {"Mn", "Me", "Cf"}


def stem(word: str) -> str:
    """`word` (folded) without the ending of its inflections and close derivations.

    Small and conservative on purpose; its limits: one plural rule and one derivation rule per
    word, no irregular forms (`children`), `-er`, `-ion`, `-ment`, `-ly` kept (`scheduler` is not
    `scheduling`), and a few pairs fold together that a dictionary would keep apart
    (`operator` = `operation`, `state` = `stats`). Words shorter than 4 letters, or with a
    digit or anything but ASCII letters, are kept as they are.
    """
    if len(word) < 4 or not (word.isascii() and word.isalpha()) or word in _STEM_EXEMPT:
        return word
    return _root(_singular(word))


def _singular(word: str) -> str:
    """`word` without an English or Portuguese plural ending."""
    if len(word) >= 5:
        if word.endswith("ies"):
            return word[:-3] + "y"  # policies
        if word.endswith("oes"):
            return word[:-3] + "ao"  # configuracoes
        if word[-3:] in ("ais", "eis", "ois", "uis"):
            return word[:-2] + "l"  # variaveis
        if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh", "r")):
            return word[:-2]  # processes, caches, servidores
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _root(word: str) -> str:
    """`word` without one derivation ending, a silent `e`, or its Portuguese gender."""
    if len(word) < 4:
        return word
    for suffix in ("ating", "ation", "ator", "ated", "ate", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            root = word[: -len(suffix)]
            if suffix in ("ing", "ed") and root[-1] == root[-2] and root[-1] in _UNDOUBLE:
                root = root[:-1]  # running, embedded
            return _american(root)
    if word.endswith("e") and word[-2] not in _VOWELS:
        return _american(word[:-1])  # template, cache, size
    if word.endswith("a") and len(word) >= 5 and word[-2] not in _VOWELS:
        return word[:-1] + "o"  # efemera = efemero
    if word.endswith("em"):
        return word[:-1] + "n"  # imagem = imagens
    return word


def _american(root: str) -> str:
    """`-is` as `-iz`: virtualisation = virtualization, organise = organize."""
    return root[:-2] + "iz" if root.endswith("is") else root


@lru_cache(maxsize=65536)
def word_stem(word: str) -> str:
    """A word as its stem compares: no surrounding punctuation, possessive `'s` or hyphens,
    each piece stemmed."""
    word = word.strip(WORD_PUNCTUATION).removesuffix("'s")
    return "".join(_SPELLINGS.get(root, root) for root in map(stem, word.split("-")))


# One word written two ways: Portuguese spells the loanword contêiner (plural contêineres).
_SPELLINGS = {"conteiner": "container"}


GENERIC_STEMS = frozenset(stem(word) for word in GENERIC_WORDS)


class Form(Struct, frozen=True):
    """One way of writing an answer, ready to compare."""

    text: str  # as written in the deck, or as typed
    key: str  # normalized, undecorated, without spaces and hyphens
    stem: str  # the key with each word stemmed
    numbers: frozenset[Spans]  # its readings as sets of integers; empty when it is not numeric

    def same_as(self, expected: Form) -> bool:
        """Equal to `expected`: as numbers when `expected` is numeric, else as text."""
        if expected.numbers:
            return not self.numbers.isdisjoint(expected.numbers)
        return self.key == expected.key or self.stem == expected.stem


@lru_cache(maxsize=16384)
def expected_form(text: str, lang: str = "") -> Form:
    """A form written by a deck author: `.` is never a thousands separator (versions)."""
    return _form(text, ", ", lang)


def given_form(text: str, lang: str = "") -> Form:
    """A form typed by a learner: `5.000` may mean 5000."""
    return _form(text, ",. ", lang)


def _form(text: str, separators: str, lang: str) -> Form:
    plain = _VERSION_PREFIX.sub("", _undecorated(normalize(text, lang or None)))
    if _VERSION.fullmatch(plain):
        key = stem = plain[1:]
    else:
        key = plain.replace(" ", "").replace("-", "")
        stem = "".join(word_stem(word) for word in plain.split(" "))
    return Form(text, key, stem, _readings(plain, separators))


def _undecorated(text: str) -> str:
    """`text` without port decorations (`/tcp`, `TCP`, `port`, `porta`) when it holds a number."""
    return " ".join(_DECORATION.sub(" ", text).split()) if has_digit(text) else text


def _readings(text: str, separators: str) -> frozenset[Spans]:
    """`text` read as a set of integers, with and without thousands separators."""
    if not has_digit(text):
        return frozenset()
    ungrouped = _GROUPED[separators].sub(lambda m: re.sub(r"\D", "", m.group()), text)
    readings = {_integer_set(text), _integer_set(ungrouped)}
    return frozenset(spans for spans in readings if spans is not None)


def _integer_set(text: str) -> Spans | None:
    """`2379-2380`, `2379 to 2380`, `2379, 2380` or `2379 e 2380` as merged ranges."""
    if _NUMBERS.fullmatch(text) is None:
        return None
    spans = sorted(_span(m.group(1), m.group(2)) for m in _NUMBER_TERM.finditer(text))
    merged: list[tuple[int, int]] = []
    for low, high in spans:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return tuple(merged)


def _span(first: str, last: str | None) -> tuple[int, int]:
    low, high = int(first), int(last or first)
    return (min(low, high), max(low, high))


def has_digit(text: str) -> bool:
    return DIGIT.search(text) is not None
