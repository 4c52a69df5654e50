"""Grade answers given as words: text, numbers and ranges, lists, true/false.

The contract (docs/decks.md promises it to learners and deck authors):

* Text is compared after `normalize` (case, accents, dashes, spacing, trailing punctuation,
  leading articles) and with spaces and hyphens inside words ignored, so
  `kube-apiserver` = `kube apiserver` = `kubeapiserver`. Port decorations (`6443/tcp`,
  `TCP 6443`, `port 6443`, `porta 6443`) are dropped from any text holding a number, and a
  leading `v` on a version (`v1.24`) is dropped; versions still compare as text.
* A card accepts its answer, its `accept` alternatives, and the pt-BR translation's
  `answer` and `accept`, whatever the session language.
* When an accepted form reads as numbers (`2379-2380`, `2379 and 2380`, `5000`), the answer
  is compared as a set of integers: ranges and lists in English or Portuguese, and thousands
  separators (`5,000`, `5.000`, `5 000`) in what the learner typed.
* A list answer needs every item, in any order; pieces are split on `,` `;` `/` `&`, `and`,
  `e` and new lines, and the verdict says which items were found, missing or extra.
* A true/false card takes t/f, true/false, yes/no, y/n, verdadeiro/falso, v/f, sim/nao, s/n.
* A small typo in a word of 5 letters or more is accepted with a note, never in numbers, never
  when the typed word is itself a known term, and never when another known term is as close.
* A known mistake matches as tolerantly as a correct answer; the verdict lists it.
* An empty answer or `?` reveals the answer and counts as wrong.
* A command answer is graded by what the command does (`command`); the verdict lists what
  differs, and a known mistake matches a command that does what the mistake does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache

import msgspec.structs
from msgspec import Struct

from k8squiz.decks.model import (
    Accept,
    Card,
    CardKind,
    CommandAnswer,
    Mistake,
    TextAnswer,
    card_text,
)
from k8squiz.errors import unreachable
from k8squiz.grading.command import Difference, differences, same_effect

Spans = tuple[tuple[int, int], ...]  # a set of integers as sorted, merged, inclusive ranges

ARTICLES = frozenset({"the", "a", "an", "o", "os", "as", "um", "uma"})
TRAILING_PUNCTUATION = ".!?;:, "
TRUE_WORDS = frozenset({"t", "true", "yes", "y", "verdadeiro", "verdadeira", "v", "sim", "s"})
FALSE_WORDS = frozenset({"f", "false", "no", "n", "falso", "falsa", "nao"})
TRUE_FALSE_WORDS = {"en": ("true", "false"), "pt-BR": ("verdadeiro", "falso")}
KNOWN_TERMS = (  # confusable on purpose: a typo never turns one of them into another
    "kubectl", "kubelet", "kubeadm", "kube-proxy", "kube-apiserver", "kube-scheduler",
    "kube-controller-manager", "cloud-controller-manager", "etcd", "etcdctl", "etcdutl",
    "coredns", "kube-dns", "helm", "kustomize", "minikube", "kind", "k3s", "runc", "crun",
    "runsc", "youki", "containerd", "containerd-shim", "cri-o", "crictl", "cri-dockerd",
    "dockershim", "docker", "dockerd", "moby", "podman", "buildah", "buildkit", "skopeo",
    "gvisor", "kata", "kata-containers", "firecracker", "conmon", "oci", "cri", "cni", "csi",
    "cgroups", "namespaces", "seccomp", "apparmor", "selinux", "capabilities", "overlayfs",
    "calico", "cilium", "flannel", "clusterip", "nodeport", "loadbalancer", "externalname",
    "headless", "ingress", "service", "endpoints", "endpointslice", "deployment", "replicaset",
    "replicationcontroller", "daemonset", "statefulset", "job", "cronjob", "pod", "configmap",
    "secret", "namespace", "serviceaccount", "persistentvolume", "persistentvolumeclaim",
    "storageclass", "role", "clusterrole", "rolebinding", "clusterrolebinding", "networkpolicy",
    "taint", "toleration", "affinity",
)  # fmt: skip

_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
)
_DECORATION = re.compile(r"[/(]?(?<![\w-])(?:tcp|udp|sctp|ports?|portas?)(?![\w-])[)/]?")
_SLASHED_PROTOCOL = re.compile(r"/\s*(?:tcp|udp|sctp)\b|\b(?:tcp|udp|sctp)\s*/", re.IGNORECASE)
_PIECE_SEPARATOR = re.compile(r"[,;/&\n]|(?<!\s)\s+(?:and|e)\s+", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_CHOICE_LABEL = re.compile(r"\(?([a-z]|\d{1,3})[).]?", re.ASCII)
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


def normalize(text: str) -> str:
    """`text` casefolded, without accents, dashes unified, spacing collapsed, trailing
    punctuation and leading articles removed (one is kept when it is all there is). Idempotent.
    """
    words = _fold(text).split()
    words = " ".join(words).rstrip(TRAILING_PUNCTUATION).split(" ")
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def _fold(text: str) -> str:
    """Casefold, drop accents and invisible format characters, and unify dashes."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in decomposed if _visible_base(c)).translate(_DASHES)


def _visible_base(char: str) -> bool:
    return not unicodedata.combining(char) and unicodedata.category(char) not in {"Mn", "Me", "Cf"}


class Verdict(Struct, frozen=True):
    """What a learner's answer to a card was worth, and what to tell them."""

    correct: bool
    given: str  # as the learner typed it
    expected: str  # the canonical answer in the session language (list items joined by ", ")
    revealed: bool = False  # an empty answer or "?": the answer is shown, and it counts as wrong
    typo: tuple[str, str] | None = None  # (what was typed, the term it was accepted as)
    found: tuple[str, ...] = ()  # list answers: the expected items given, as shown in `lang`
    missing: tuple[str, ...] = ()  # list answers: the expected items not given
    extra: tuple[str, ...] = ()  # list answers: given items that are not part of it, as typed
    mistakes: tuple[Mistake, ...] = ()  # the card's known mistakes the answer matched
    differences: tuple[Difference, ...] = ()  # command answers: what the command does differently


class _Form(Struct, frozen=True):
    """One way of writing an answer, ready to compare."""

    text: str  # as written in the deck, or as typed
    key: str  # normalized, undecorated, without spaces and hyphens
    numbers: frozenset[Spans]  # its readings as sets of integers; empty when it is not numeric

    def same_as(self, expected: _Form) -> bool:
        """Equal to `expected`: as numbers when `expected` is numeric, else as text."""
        if expected.numbers:
            return not self.numbers.isdisjoint(expected.numbers)
        return self.key == expected.key


class _Target(Struct, frozen=True):
    """Something the learner can name: an answer item, or a known mistake, in all its forms."""

    forms: tuple[_Form, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(form.key for form in self.forms)


class _Plan(Struct, frozen=True):
    """A card's answer items and known mistakes, ready to compare."""

    card: Card
    items: tuple[_Target, ...]
    mistakes: tuple[_Target, ...]  # aligned with card.mistakes
    own_keys: frozenset[str]
    one_word_items: bool  # every form of every item is one word: spaces may separate items


class _Match(Struct, frozen=True):
    """Which target a piece of the answer named, through which form, and whether by a typo."""

    index: int
    form: _Form
    typo: bool


class _Tally(Struct, frozen=True):
    """The pieces of a list answer, sorted into named items and extras."""

    found: frozenset[int]
    extra: tuple[str, ...]
    typo: tuple[str, str] | None


class Choice(Struct, frozen=True):
    """A multiple-choice option as shown, and the deck text it stands for (in English)."""

    shown: str
    original: str


def is_choice_label(given: str) -> bool:
    """Whether `given` names an option by its place (`c`, `C)`, `3`) rather than its text."""
    return _CHOICE_LABEL.fullmatch(normalize(given)) is not None


class Grader:
    """Grades answers to a set of cards; built once, its vocabulary guards typo tolerance."""

    def __init__(self, cards: Iterable[Card]) -> None:
        self._cards = tuple(cards)
        self._plans: dict[int, _Plan] = {}

    @cached_property
    def _vocabulary(self) -> frozenset[str]:
        """Every term a typo must not be mistaken for: all cards' forms and KNOWN_TERMS."""
        keys = {key for card in self._cards for key in self._plan_of(card).own_keys}
        keys.update(_expected_form(term).key for term in KNOWN_TERMS)
        return frozenset(keys)

    @cached_property
    def _by_length(self) -> dict[int, list[str]]:
        by_length: dict[int, list[str]] = {}
        for key in self._vocabulary:
            by_length.setdefault(len(key), []).append(key)
        return by_length

    def grade(self, card: Card, given: str, lang: str = "en") -> Verdict:
        """The verdict on `given` as an answer to `card`, with texts in `lang`."""
        if isinstance(card.answer, CommandAnswer):
            return _grade_command(card, card.answer, given)
        plan = self._plan_of(card)
        expected = _expected_text(card, lang)
        if not normalize(given):
            return Verdict(False, given, expected, revealed=True)
        match card.kind:
            case CardKind.TRUE_FALSE:
                return _grade_true_false(card, given, expected)
            case CardKind.LIST:
                return self._grade_list(plan, given, expected, lang)
            case CardKind.TEXT:
                return self._grade_text(plan, given, expected)
            case CardKind.COMMAND:  # its answer is a CommandAnswer: graded above
                raise AssertionError(card.id)
            case unknown:
                unreachable(unknown)

    def accepts(self, card: Card, text: str) -> bool:
        """Whether `text` would be graded correct for `card`, typo tolerance included."""
        return self.grade(card, text).correct

    def matches_mistake(self, card: Card, text: str) -> tuple[Mistake, ...]:
        """The known mistakes of `card` that `text` (or a piece of a list answer) matches."""
        if card.kind is CardKind.TRUE_FALSE:
            return _true_false_mistakes(card, _truth(text))
        if isinstance(card.answer, CommandAnswer):
            return _command_mistakes(card, card.answer, text)
        plan = self._plan_of(card)
        pieces = (
            _pieces(text, one_word_items=plan.one_word_items)
            if card.kind is CardKind.LIST
            else [text]
        )
        return self._mistakes_in(plan, pieces)

    def grade_choice(
        self, card: Card, given: str, choices: Sequence[Choice], lang: str = "en"
    ) -> Verdict:
        """A multiple-choice answer: the option picked by letter, number or text, else `given`
        graded as typed."""
        shown = [choice.shown for choice in choices]
        picked = resolve_choice(given, shown)
        if picked is None:
            return self.grade(card, given, lang)
        choice = choices[shown.index(picked)]
        verdict = self.grade(card, picked, lang)
        if verdict.correct or verdict.mistakes or choice.original == choice.shown:
            return verdict
        # A translated option: its known mistake is written in the deck's own language.
        return msgspec.structs.replace(
            verdict, mistakes=self.matches_mistake(card, choice.original)
        )

    def _plan_of(self, card: Card) -> _Plan:
        """The card's answer forms, worked out once (on first use) per card object."""
        plan = self._plans.get(id(card))
        if plan is None or plan.card is not card:
            plan = self._plans[id(card)] = _plan(card)
        return plan

    def _grade_text(self, plan: _Plan, given: str, expected: str) -> Verdict:
        match = self._find(plan, _given_form(given), plan.items)
        if match is None:
            return Verdict(False, given, expected, mistakes=self._mistakes_in(plan, [given]))
        typo = (given.strip(), match.form.text) if match.typo else None
        return Verdict(True, given, expected, typo=typo)

    def _grade_list(self, plan: _Plan, given: str, expected: str, lang: str) -> Verdict:
        tally = self._tally(plan, _pieces(given, one_word_items=plan.one_word_items))
        shown = _display_items(plan.card, lang)
        missing = tuple(item for i, item in enumerate(shown) if i not in tally.found)
        return Verdict(
            correct=not missing and not tally.extra,
            given=given,
            expected=expected,
            typo=tally.typo,
            found=tuple(item for i, item in enumerate(shown) if i in tally.found),
            missing=missing,
            extra=tally.extra,
            mistakes=self._mistakes_in(plan, tally.extra),
        )

    def _tally(self, plan: _Plan, pieces: Sequence[str]) -> _Tally:
        found: set[int] = set()
        extra: list[str] = []
        typo = None
        for piece in pieces:
            match = self._find(plan, _given_form(piece), plan.items)
            if match is None:
                extra.append(piece)
                continue
            found.add(match.index)
            if match.typo and typo is None:
                typo = (piece, match.form.text)
        return _Tally(frozenset(found), tuple(extra), typo)

    def _mistakes_in(self, plan: _Plan, pieces: Iterable[str]) -> tuple[Mistake, ...]:
        typed = [_given_form(piece) for piece in pieces]
        return tuple(
            mistake
            for mistake, target in zip(plan.card.mistakes, plan.mistakes, strict=True)
            if any(self._find(plan, form, (target,)) for form in typed)
        )

    def _find(self, plan: _Plan, typed: _Form, targets: Sequence[_Target]) -> _Match | None:
        """The target `typed` names exactly, else the one it is an acceptable typo of."""
        for index, target in enumerate(targets):
            form = next((form for form in target.forms if typed.same_as(form)), None)
            if form is not None:
                return _Match(index, form, typo=False)
        return self._typo(plan, typed, targets)

    def _typo(self, plan: _Plan, typed: _Form, targets: Sequence[_Target]) -> _Match | None:
        key = typed.key
        if not key or _has_digit(key) or key in self._vocabulary or key in plan.own_keys:
            return None
        near = [
            (distance, index, form)
            for index, target in enumerate(targets)
            for form in target.forms
            if (distance := _typo_distance(key, form.key)) is not None
        ]
        if not near:
            return None
        distance, index, form = min(near, key=lambda candidate: candidate[0])
        if self._has_rival(plan, key, distance, targets[index].keys):
            return None
        return _Match(index, form, typo=True)

    def _has_rival(self, plan: _Plan, key: str, distance: int, mine: frozenset[str]) -> bool:
        """Whether a known term other than `mine` is within `distance` edits of `key`.

        Levenshtein (fast) finds the few terms that can be that close: a Damerau edit costs
        at most two Levenshtein edits.
        """
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        for length in range(len(key) - distance, len(key) + distance + 1):
            terms = self._by_length.get(length, ())
            near = process.extract(
                key, terms, scorer=Levenshtein.distance, score_cutoff=2 * distance, limit=None
            )
            if any(_is_rival(key, term, distance, mine) for term, _, _ in near):
                return True
        return any(_is_rival(key, term, distance, mine) for term in plan.own_keys)


def canonical(text: str) -> object:
    """What equivalent answers a deck author wrote have in common, as a key for grouping.

    Two texts with the same canonical key are `equivalent`: the first number reading of a
    numeric answer, else its comparison key.
    """
    form = _expected_form(text)
    return min(form.numbers) if form.numbers else form.key


def equivalent(first: str, second: str) -> bool:
    """Whether a deck author's two texts are graded as the same answer (no typo tolerance)."""
    return _expected_form(first).same_as(_expected_form(second)) or _expected_form(second).same_as(
        _expected_form(first)
    )


def resolve_choice(given: str, options: Sequence[str]) -> str | None:
    """The option `given` picks: by its text, its letter (`b`, `B`, `b)`) or number (`2`)."""
    typed = _given_form(given)
    by_text = next((option for option in options if _expected_form(option).key == typed.key), None)
    if by_text is not None or not typed.key:
        return by_text
    label = _CHOICE_LABEL.fullmatch(normalize(given))
    if label is None:
        return None
    mark = label.group(1)
    index = int(mark) - 1 if mark.isdigit() else ord(mark) - ord("a")
    return options[index] if 0 <= index < len(options) else None


def _grade_true_false(card: Card, given: str, expected: str) -> Verdict:
    said = _truth(given)
    if said is not None and said == _truth(card.items[0]):
        return Verdict(True, given, expected)
    return Verdict(False, given, expected, mistakes=_true_false_mistakes(card, said))


def _grade_command(card: Card, answer: CommandAnswer, given: str) -> Verdict:
    """Right when the command does what the card's command or an alternative does."""
    if not normalize(given):
        return Verdict(False, given, answer.command, revealed=True)
    differs = differences(
        answer.command, given, alternatives=answer.alternatives, optional=answer.optional
    )
    mistakes = _command_mistakes(card, answer, given)
    correct = not differs and not mistakes  # a known mistake wins (validate keeps them apart)
    return Verdict(correct, given, answer.command, mistakes=mistakes, differences=differs)


def _command_mistakes(card: Card, answer: CommandAnswer, given: str) -> tuple[Mistake, ...]:
    """The known mistakes whose command does what `given` does."""
    return tuple(
        mistake
        for mistake in card.mistakes
        if any(
            same_effect(text, given, answer.optional) for text in (mistake.answer, *mistake.accept)
        )
    )


def _truth(text: str) -> bool | None:
    word = normalize(text)
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _true_false_mistakes(card: Card, said: bool | None) -> tuple[Mistake, ...]:
    if said is None:
        return ()
    return tuple(m for m in card.mistakes if said in {_truth(t) for t in (m.answer, *m.accept)})


def _expected_text(card: Card, lang: str) -> str:
    if card.kind is CardKind.TRUE_FALSE:
        words = TRUE_FALSE_WORDS.get(lang, TRUE_FALSE_WORDS["en"])
        return words[0] if _truth(card.items[0]) else words[1]
    return card_text(card, lang).answer


def _display_items(card: Card, lang: str) -> tuple[str, ...]:
    shown = card_text(card, lang).items
    return shown if len(shown) == len(card.items) else card.items


def _pieces(given: str, *, one_word_items: bool = False) -> list[str]:
    """A list answer cut into the items the learner named, as typed.

    When every item is one word, items typed with only spaces between them count too.
    """
    pieces = _PIECE_SEPARATOR.split(_SLASHED_PROTOCOL.sub(" ", given))
    pieces = [piece.strip() for piece in pieces if normalize(piece)]
    if one_word_items and len(pieces) == 1:
        return pieces[0].split()
    return pieces


def _plan(card: Card) -> _Plan:
    items = tuple(_target(_item_texts(card, index)) for index in range(len(card.items)))
    mistakes = tuple(_target((m.answer, *m.accept)) for m in card.mistakes)
    own_keys = frozenset(key for target in (*items, *mistakes) for key in target.keys)
    one_word = all(" " not in normalize(form.text) for target in items for form in target.forms)
    return _Plan(card, items, mistakes, own_keys, one_word)


def _target(texts: Iterable[str]) -> _Target:
    return _Target(tuple(_expected_form(text) for text in dict.fromkeys(texts)))


def _item_texts(card: Card, index: int) -> list[str]:
    """Every accepted way of writing answer item `index`, in English and pt-BR."""
    item = card.items[index]
    texts = [item, *_alternatives(card, card.accept, item)]
    translation = card.translations.get("pt-BR")
    if translation is not None:
        translated = _translated_items(card, translation.answer, index)
        texts += translated
        for name in (item, *translated):
            texts += _alternatives(card, translation.accept, name)
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


@lru_cache(maxsize=16384)
def _expected_form(text: str) -> _Form:
    """A form written by a deck author: `.` is never a thousands separator (versions)."""
    return _form(text, ", ")


def _given_form(text: str) -> _Form:
    """A form typed by a learner: `5.000` may mean 5000."""
    return _form(text, ",. ")


def _form(text: str, separators: str) -> _Form:
    plain = _VERSION_PREFIX.sub("", _undecorated(normalize(text)))
    key = plain[1:] if _VERSION.fullmatch(plain) else plain
    return _Form(text, key.replace(" ", "").replace("-", ""), _readings(plain, separators))


def _undecorated(text: str) -> str:
    """`text` without port decorations (`/tcp`, `TCP`, `port`, `porta`) when it holds a number."""
    return " ".join(_DECORATION.sub(" ", text).split()) if _has_digit(text) else text


def _readings(text: str, separators: str) -> frozenset[Spans]:
    """`text` read as a set of integers, with and without thousands separators."""
    if not _has_digit(text):
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


def _typo_distance(typed: str, expected: str) -> int | None:
    """Edits from `typed` to `expected` when few enough to call a typo, else None."""
    from rapidfuzz.distance import DamerauLevenshtein  # late: importing costs every start ~25 ms

    if sum(c.isalpha() for c in expected) < 5 or _has_digit(expected):
        return None
    allowed = 1 if len(expected) < 8 else 2
    distance = DamerauLevenshtein.distance(typed, expected, score_cutoff=allowed)
    return distance if distance <= allowed else None


def _is_rival(typed: str, term: str, distance: int, mine: frozenset[str]) -> bool:
    from rapidfuzz.distance import DamerauLevenshtein

    return (
        term not in mine
        and DamerauLevenshtein.distance(typed, term, score_cutoff=distance) <= distance
    )


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None
