"""Grade answers given as words: text, numbers and ranges, lists, true/false.

The contract (docs/decks.md promises it to learners and deck authors):

* Text is compared after `normalize` (case, accents, dashes, spacing, trailing punctuation,
  leading articles) and with spaces and hyphens inside words ignored, so
  `kube-apiserver` = `kube apiserver` = `kubeapiserver`. Port decorations (`6443/tcp`,
  `TCP 6443`, `port 6443`, `porta 6443`) are dropped from any text holding a number, and a
  leading `v` on a version (`v1.24`) is dropped; versions still compare as text.
* Leading articles go by the language of the text: a card's own `answer`, `accept`, `choices`
  and mistakes lose `the`, `a`, `an`; its pt-BR translation's `answer` and `accept` lose `o`,
  `a`, `os`, `as`, `um`, `uma`. A learner's answer is read both ways (`o kubelet` is
  `kubelet`), so the accept `OS level` takes `OS level`, `OS-level` and `os level`, and bare
  `level` matches nothing.
* Words compare by their stem (`_stem`, small and conservative): plurals, `-ing`, `-ed`,
  `-ation`, `-ator`, `-ate`, a silent `-e`, `-ise`/`-ize` and, for Portuguese, `-ões`, `-eis`,
  `-em`/`-ens` and `-a`/`-o` fold together, so `templating` = `templates`, `orchestration` =
  `orchestrator`, `efêmera` = `efêmeros`. A word with a digit or anything but ASCII letters,
  and a few words a stem would turn into another (`pode`, `https`), are never stemmed.
* A card accepts its answer, its `accept` alternatives, and the pt-BR translation's
  `answer` and `accept`, whatever the session language.
* When an accepted form reads as numbers (`2379-2380`, `2379 and 2380`, `5000`), the answer
  is compared as a set of integers: ranges and lists in English or Portuguese, and thousands
  separators (`5,000`, `5.000`, `5 000`) in what the learner typed.
* Words that add nothing may be left out of an answer, only when what is left is an accepted
  form: filler words (`just`, `only`, `basically`, `apenas`, `só`...: FILLER_WORDS), articles,
  and words the card's question already says in English or Portuguese (`iptables mode` when
  the question asks for a mode, `5000 nodes` when it asks how many nodes). Never left out: a
  negation or `or` (NEVER_LEFT_OUT), a number when the answer has one, a word that tells
  the options of an either/or question apart (`... at the hardware level or at the process
  level?`, `... runtimes such as runc or crun?`),
  and any word of a run of words that names one of the card's known mistakes, its `choices`
  or (lists) items (`helm list helm history` is wrong). An answer that words left out could
  also read as a known mistake, a choice or the other option, keeping a word the right
  reading leaves out, is wrong (`PersistentVolume PersistentVolumeClaim`); an answer with
  nothing left is wrong.
* An answer may restate itself in parentheses or after a dash (`4 (COPY)`, `kube-proxy - the
  network proxy`): correct when one part is correct and the other is correct too or only
  restates, that is names no known mistake or choice, and no number, negation, `or`, known
  term or accepted answer of another card that the question does not say.
* A list answer needs every item, in any order; pieces are split on `,` `;` `/` `&`, `and`,
  `e` and new lines, and the verdict says which items were found, missing or extra. A piece
  made only of words that may be left out is not an extra.
* A true/false card takes t/f, true/false, yes/no, y/n, verdadeiro/falso, v/f, sim/nao, s/n.
* A small typo in a word of 5 letters or more is accepted with a note, never in numbers, never
  through a negation or `or`, never when the typed word is itself a known term (or one of its
  forms) or brings one in (`SELinux namespaces` is no typo of `Linux namespaces`), and never
  when another known term is as close. Exact forms, then known mistakes,
  then the rules above come first; a typo is tried last.
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

_ARTICLES_OF = {"en": EN_ARTICLES, "pt-BR": PT_ARTICLES}
_CONJUNCTION_OF = {"en": "or", "pt-BR": "ou"}  # how each language asks "X or Y?"
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
_NUMBER_LINKS = frozenset({"-", "..", "~", "to", "through", "thru", "a", "ate", "and", "e", "&"})
_GROUPED = {
    separators: re.compile(
        rf"(?<![\d.,])[1-9]\d{{0,2}}([{separators}])\d{{3}}(?:\1\d{{3}})*(?!\d)"
    )
    for separators in (", ", ",. ")
}
_WORD_PUNCTUATION = "\"'`()[]{}<>,;:!?"  # around a word, never part of it
_QUESTION_WORD = re.compile(r"\w+(?:[-./']\w+)*")
_RESTATED = re.compile(r"^([^()]+?)\s*\(([^()]+)\)[\s.!?]*$")
_DASH_BREAK = re.compile(r"\s+[-\u2012\u2013\u2014\u2015\u2212]{1,2}\s+|\u2014")
_OPTION_LEAD = frozenset({
    "at", "in", "on", "by", "of", "to", "as", "the", "a", "an",
    "no", "na", "nos", "nas", "em", "de", "do", "da", "o", "os", "um", "uma", "como",
})  # fmt: skip  # words that introduce an option of an either/or question, not part of it
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
    articles = _ARTICLES_OF.get(lang or "", ARTICLES)
    words = _words(text)
    while len(words) > 1 and words[0] in articles:
        words = words[1:]
    return " ".join(words)


def _words(text: str) -> list[str]:
    """`text` folded, without trailing punctuation, cut into words (articles kept)."""
    return " ".join(_fold(text).split()).rstrip(TRAILING_PUNCTUATION).split(" ")


def is_generic(text: str, lang: str | None = None) -> bool:
    """Whether `text` is, once normalized, one word that names no idea of its own (`level`)."""
    if _expected_form(text, lang or "").stem not in _GENERIC_STEMS:
        return False  # the usual case, from a form the grader keeps anyway
    return len(normalize(text, lang).split()) == 1


def _fold(text: str) -> str:
    """Casefold, drop accents and invisible format characters, and unify dashes."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in decomposed if _visible_base(c)).translate(_DASHES)


def _visible_base(char: str) -> bool:
    return not unicodedata.combining(char) and unicodedata.category(char) not in {"Mn", "Me", "Cf"}


# ---------------------------------------------------------------- stems


def _stem(word: str) -> str:
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
def _chunk(word: str) -> str:
    """A word as its stem compares: no surrounding punctuation, possessive `'s` or hyphens,
    each piece stemmed."""
    word = word.strip(_WORD_PUNCTUATION).removesuffix("'s")
    return "".join(_stem(piece) for piece in word.split("-"))


_GENERIC_STEMS = frozenset(_stem(word) for word in GENERIC_WORDS)


# ---------------------------------------------------------------- verdicts and forms


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
    stem: str  # the key with each word stemmed
    numbers: frozenset[Spans]  # its readings as sets of integers; empty when it is not numeric

    def same_as(self, expected: _Form) -> bool:
        """Equal to `expected`: as numbers when `expected` is numeric, else as text."""
        if expected.numbers:
            return not self.numbers.isdisjoint(expected.numbers)
        return self.key == expected.key or self.stem == expected.stem


class _Typed(Struct, frozen=True):
    """A learner's text as English and as Portuguese read it: without the leading articles of
    either language, so `o kubelet` is `kubelet` and `OS level` stays `OS level` in English."""

    text: str
    forms: tuple[_Form, ...]  # one per distinct reading

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key for form in self.forms for key in (form.key, form.stem))

    def same_as(self, expected: _Form) -> bool:
        return any(form.same_as(expected) for form in self.forms)


class _Target(Struct, frozen=True):
    """Something the learner can name: an answer item, or a known mistake, in all its forms."""

    forms: tuple[_Form, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key for form in self.forms for key in (form.key, form.stem))


class _Plan(Struct, frozen=True):
    """A card's answer items and known mistakes, ready to compare."""

    card: Card
    items: tuple[_Target, ...]
    mistakes: tuple[_Target, ...]  # aligned with card.mistakes
    own_keys: frozenset[str]
    one_word_items: bool  # every form of every item is one word: spaces may separate items


class _Context(Struct, frozen=True):
    """What a card's question lets the grader leave out of an answer, and what it must not."""

    said: frozenset[str]  # the words of the question in every language, as keys and stems
    kept: frozenset[str]  # stems never left out: what tells the options of `X or Y?` apart
    wrong: tuple[_Target, ...]  # mistakes (first, aligned with them), choices, the other option
    named: tuple[_Target, ...]  # what no left-out word may name: `wrong`, and a list's items
    span: int  # the most words a form of `named` can take, with an article or two around
    numeric: bool  # an accepted form holds a digit: no number is ever left out


class _Reading(Struct, frozen=True):
    """A learner's text word by word, each marked with whether it may be left out."""

    lang: str  # whose articles it lost, at its start, and may leave out anywhere
    words: tuple[str, ...]  # normalized, as typed
    keys: tuple[str, ...]  # without surrounding punctuation and hyphens
    stems: tuple[str, ...]
    droppable: tuple[bool, ...]


class _Match(Struct, frozen=True):
    """Which target a piece of the answer named, through which form, and whether by a typo."""

    index: int
    form: _Form
    typo: bool


class _Judgement(Struct, frozen=True):
    """What one answer, or one piece of a list answer, names."""

    match: _Match | None = None  # the answer item it names, if any
    mistakes: frozenset[int] = frozenset()  # the known mistakes it names, by index


# ---------------------------------------------------------------- the grader


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
        self._contexts: dict[int, tuple[Card, _Context]] = {}

    @cached_property
    def _vocabulary(self) -> frozenset[str]:
        """Every term a typo must not be mistaken for: all cards' forms and KNOWN_TERMS."""
        keys = {key for card in self._cards for key in self._plan_of(card).own_keys}
        return frozenset(keys | self._terms)

    @cached_property
    def _terms(self) -> frozenset[str]:
        """KNOWN_TERMS as keys and stems."""
        forms = [_expected_form(term) for term in KNOWN_TERMS]
        return frozenset(key for form in forms for key in (form.key, form.stem))

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
        return _named(plan, [self._judge(plan, piece) for piece in pieces])

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

    def _context_of(self, plan: _Plan) -> _Context:
        """What the card's question says, worked out once (when first needed) per card."""
        known = self._contexts.get(id(plan.card))
        if known is None or known[0] is not plan.card:
            known = self._contexts[id(plan.card)] = (plan.card, _context(plan))
        return known[1]

    def _grade_text(self, plan: _Plan, given: str, expected: str) -> Verdict:
        judged = self._judge(plan, given)
        if judged.match is None:
            return Verdict(False, given, expected, mistakes=_named(plan, [judged]))
        typo = (given.strip(), judged.match.form.text) if judged.match.typo else None
        return Verdict(True, given, expected, typo=typo)

    def _grade_list(self, plan: _Plan, given: str, expected: str, lang: str) -> Verdict:
        pieces = _pieces(given, one_word_items=plan.one_word_items)
        judged = [(piece, self._judge(plan, piece)) for piece in pieces]
        named = [(piece, j.match) for piece, j in judged if j.match is not None]
        found = frozenset(match.index for _, match in named)
        typo = next(((p, m.form.text) for p, m in named if m.typo), None)
        wrong = [(p, j) for p, j in judged if j.match is None and not self._says_nothing(plan, p)]
        shown = _display_items(plan.card, lang)
        missing = tuple(item for i, item in enumerate(shown) if i not in found)
        return Verdict(
            correct=not missing and not wrong,
            given=given,
            expected=expected,
            typo=typo,
            found=tuple(item for i, item in enumerate(shown) if i in found),
            missing=missing,
            extra=tuple(piece for piece, _ in wrong),
            mistakes=_named(plan, [j for _, j in wrong]),
        )

    def _judge(self, plan: _Plan, text: str, *, whole: bool = True) -> _Judgement:
        """What `text` names: an item or a mistake as written; else through the natural rules
        (words left out; when `whole`, a restatement in parentheses or after a dash); else an
        item or a mistake through a small typo."""
        typed = _typed(text)
        match = _exact(typed, plan.items)
        if match is not None:
            return _Judgement(match)
        named = frozenset(i for i, t in enumerate(plan.mistakes) if _exact(typed, (t,)))
        if named:
            return _Judgement(mistakes=named)
        judged = self._left_out(plan, typed)
        if judged.match is None and not judged.mistakes and whole:
            judged = self._restated(plan, text) or judged
        if judged.match is not None or judged.mistakes:
            return judged
        match = self._typo(plan, typed, plan.items)
        if match is not None:
            return _Judgement(match)
        named = frozenset(i for i, t in enumerate(plan.mistakes) if self._typo(plan, typed, (t,)))
        return _Judgement(mistakes=named)

    def _left_out(self, plan: _Plan, typed: _Typed) -> _Judgement:
        """What `typed` names once words that add nothing are left out: one item, unless a
        wrong answer (a mistake, a choice, the other option) can be read in it too, beyond a
        part of that item; then it names the mistakes it can be read as."""
        if len(normalize(typed.text).split()) < 2:
            return _Judgement()  # one word: leaving it out leaves nothing
        ctx = self._context_of(plan)
        readings = (_reading(ctx, typed, "en"), _reading(ctx, typed, "pt-BR"))
        if not any(any(reading.droppable) for reading in readings):
            return _Judgement()
        right = _reached(ctx, readings, plan.items)
        wrong = _reached(ctx, readings, ctx.wrong)
        if len(right) == 1:
            [(index, kept)] = right.items()
            if all(_within(other, kept) for other in wrong.values()):
                return _Judgement(_Match(index, plan.items[index].forms[0], typo=False))
        return _Judgement(mistakes=frozenset(i for i in wrong if i < len(plan.mistakes)))

    def _says_nothing(self, plan: _Plan, piece: str) -> bool:
        """Whether every word of a list piece may be left out: it adds no item, right or wrong."""
        ctx = self._context_of(plan)
        typed = _typed(piece)
        readings = (_reading(ctx, typed, "en"), _reading(ctx, typed, "pt-BR"))
        return any(reading.words and all(reading.droppable) for reading in readings)

    def _restated(self, plan: _Plan, text: str) -> _Judgement | None:
        """`A (B)` or `A - B`: right when one part is right and the other right or neutral."""
        parts = _parts(text)
        if parts is None:
            return None
        judged = [self._judge(plan, part, whole=False) for part in parts]
        mistakes = frozenset(i for j in judged for i in j.mistakes)
        if mistakes:
            return _Judgement(mistakes=mistakes)
        matches = [j.match for j in judged if j.match is not None]
        if not matches or len({m.index for m in matches}) > 1:
            return None
        if len(matches) == 1:
            other = parts[1] if judged[0].match is not None else parts[0]
            if not self._neutral(plan, other):
                return None
        return _Judgement(matches[0])

    def _neutral(self, plan: _Plan, text: str) -> bool:
        """Whether `text` only restates: no number, `or`, negation, known term or other
        card's answer the question does not say, and nothing the card marks wrong."""
        ctx = self._context_of(plan)
        typed = _typed(text)
        if _names(ctx, text) or self._left_out(plan, typed).mistakes:
            return False
        if typed.keys & (self._vocabulary - plan.own_keys):
            return False
        for word in normalize(text).split():
            plain = word.strip(_WORD_PUNCTUATION)
            key, stem = plain.replace("-", ""), _chunk(plain)
            if _turns(plain) or stem in ctx.kept:
                return False
            if key in ctx.said or stem in ctx.said:
                continue
            if _has_digit(key) or key in self._terms or stem in self._terms:
                return False
        return True

    def _typo(self, plan: _Plan, typed: _Typed, targets: Sequence[_Target]) -> _Match | None:
        keys = typed.keys
        if not all(keys) or any(map(_has_digit, keys)) or _negates(typed.text):
            return None
        if keys & self._vocabulary or keys & plan.own_keys:
            return None
        near: list[tuple[int, int, _Form, str]] = []
        for index, target in enumerate(targets):
            for form in target.forms:
                for key in {given.key for given in typed.forms}:
                    distance = _typo_distance(key, form.key)
                    if distance is not None:
                        near.append((distance, index, form, key))
        if not near:
            return None
        distance, index, form, key = min(near, key=lambda candidate: candidate[0])
        if self._has_rival(plan, key, distance, targets[index].keys):
            return None
        if self._names_another(plan, typed, form):
            return None
        return _Match(index, form, typo=True)

    def _names_another(self, plan: _Plan, typed: _Typed, form: _Form) -> bool:
        """Whether a word of `typed` is a known term that `form` does not hold: `SELinux
        namespaces` is no typo of `Linux namespaces`, nor `CRI runtime-spec` of `OCI ...`."""
        own = _word_keys(form.text)
        known = self._vocabulary | plan.own_keys
        return any(key in known and key not in own for key in _word_keys(typed.text))

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


# ---------------------------------------------------------------- public helpers


def canonical(text: str) -> object:
    """What equivalent answers a deck author wrote have in common, as a key for grouping.

    Two texts with the same canonical key are `equivalent`: the first number reading of a
    numeric answer, else its comparison key (as written: stems are not compared).
    """
    form = _expected_form(text, "en")
    return min(form.numbers) if form.numbers else form.key


def equivalent(first: str, second: str) -> bool:
    """Whether a deck author's two texts are the same answer as written (no typo, no stems)."""
    one, two = _expected_form(first, "en"), _expected_form(second, "en")
    if one.numbers or two.numbers:
        return one.same_as(two) or two.same_as(one)
    return one.key == two.key


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


# ---------------------------------------------------------------- true or false


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


# ---------------------------------------------------------------- what a card expects


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


def _named(plan: _Plan, judged: Iterable[_Judgement]) -> tuple[Mistake, ...]:
    """The card's mistakes any of the judgements names, in the card's order."""
    indices = {index for judgement in judged for index in judgement.mistakes}
    return tuple(m for index, m in enumerate(plan.card.mistakes) if index in indices)


def _plan(card: Card) -> _Plan:
    items = tuple(_target(_item_texts(card, index)) for index in range(len(card.items)))
    mistakes = tuple(_target([(t, "en") for t in (m.answer, *m.accept)]) for m in card.mistakes)
    own_keys = frozenset(key for target in (*items, *mistakes) for key in target.keys)
    one_word = all(" " not in normalize(form.text) for target in items for form in target.forms)
    return _Plan(card, items, mistakes, own_keys, one_word)


def _target(texts: Iterable[tuple[str, str]]) -> _Target:
    return _Target(tuple(_expected_form(text, lang) for text, lang in dict.fromkeys(texts)))


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


# ---------------------------------------------------------------- what a question says


def _context(plan: _Plan) -> _Context:
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
        first, second = ({_chunk(word) for word in option.split()} for option in options)
        kept |= first ^ second  # what tells the options apart: a learner's pick, never filler
        rival = _rival(plan, options)
        if rival is not None:
            wrong.append(_target([(rival, lang)]))
    named = (*wrong, *plan.items) if card.kind is CardKind.LIST else tuple(wrong)
    numeric = any(_has_digit(form.key) for target in plan.items for form in target.forms)
    words = (len(normalize(form.text).split()) for target in named for form in target.forms)
    span = max(words, default=0) + 2
    return _Context(said, frozenset(kept), tuple(wrong), named, span, numeric)


def _question_words(question: str) -> set[str]:
    """Each word of `question`, and each part of a hyphenated or dotted word, as key and stem."""
    words: set[str] = set()
    for token in _QUESTION_WORD.findall(_fold(question)):
        for part in (token, *re.split(r"[-./']", token)):
            words.update((part.replace("-", ""), _chunk(part)))
    return words


def _either_or(question: str, conjunction: str) -> tuple[str, str] | None:
    """The two options of a question that ends `..., X or Y?` (or holds `(X or Y)`), without
    their leading prepositions and articles; None when it asks for no such choice."""
    text = _fold(question).strip()
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
    plain = [word.strip(_WORD_PUNCTUATION) for word in words]
    while plain and plain[0] in _OPTION_LEAD:
        plain = plain[1:]
    return " ".join(word for word in plain if word)


def _rival(plan: _Plan, options: tuple[str, str]) -> str | None:
    """The option that is wrong, when exactly one of the two is right."""
    right = [any(_typed(o).same_as(f) for t in plan.items for f in t.forms) for o in options]
    if right[0] == right[1]:
        return None
    return options[1] if right[0] else options[0]


def _parts(text: str) -> tuple[str, str] | None:
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


def _reading(ctx: _Context, typed: _Typed, lang: str) -> _Reading:
    """`typed` as `lang` reads it, word by word, with what may be left out (its articles
    anywhere). Every reading of one text has the same words, whatever its language."""
    words = tuple(_words(typed.text))
    keys = tuple(word.strip(_WORD_PUNCTUATION).replace("-", "") for word in words)
    stems = tuple(_chunk(word) for word in words)
    articles = _ARTICLES_OF[lang]
    droppable = tuple(
        word in articles or _droppable(ctx, word, key, stem)
        for word, key, stem in zip(words, keys, stems, strict=True)
    )
    return _Reading(lang, words, keys, stems, droppable)


def _droppable(ctx: _Context, word: str, key: str, stem: str) -> bool:
    """Whether `word` adds nothing: a filler, or a word the question says, that is not a
    negation, `or`, a number of a numeric card, a word of the other option, or a name of
    a mistake, choice or list item on its own."""
    plain = word.strip(_WORD_PUNCTUATION)
    if not key:
        return True  # punctuation alone
    if _turns(plain) or stem in ctx.kept:
        return False
    if _has_digit(key) and ctx.numeric:
        return False
    if plain not in FILLER_WORDS and key not in ctx.said and stem not in ctx.said:
        return False
    return not _names(ctx, plain)


def _names(ctx: _Context, text: str) -> bool:
    """Whether `text` as written names a mistake, a choice, the other option or an item."""
    typed = _typed(text)
    return any(typed.same_as(form) for target in ctx.named for form in target.forms)


def _reached(
    ctx: _Context, readings: Sequence[_Reading], targets: Sequence[_Target]
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


def _within(inner: tuple[bool, ...], outer: tuple[bool, ...]) -> bool:
    """Whether every word kept in `inner` is kept in `outer`: a part of the same answer."""
    return all(keep <= wide for keep, wide in zip(inner, outer, strict=True))


def _dropped_fine(ctx: _Context, reading: _Reading, kept: tuple[bool, ...]) -> bool:
    """Whether every run of words that names something of the card (a mistake, a choice, the
    other option, a list's item) still names it with only its kept words: `helm list helm
    history` does not hide the mistake `helm list` by keeping one `helm` of it."""
    words = reading.words
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + ctx.span) + 1):
            if all(kept[start:end]) or not _names(ctx, " ".join(words[start:end])):
                continue
            run = zip(words[start:end], kept[start:end], strict=True)
            if not _names(ctx, " ".join(word for word, keep in run if keep)):
                return False
    return True


def _spelled(reading: _Reading, form: _Form) -> tuple[bool, ...] | None:
    """Which words of `reading` to keep so they spell `form`, leaving out only droppable ones."""
    if form.numbers:
        words = reading.words
        kept = tuple(
            not drop or (word in _NUMBER_LINKS and _between_numbers(words, at))
            for at, (word, drop) in enumerate(zip(words, reading.droppable, strict=True))
        )
        text = " ".join(word for word, keep in zip(reading.words, kept, strict=True) if keep)
        if all(kept) or not any(kept):
            return None
        return kept if _given_form(text, reading.lang).same_as(form) else None
    return _spell(reading.keys, reading.droppable, form.key) or _spell(
        reading.stems, reading.droppable, form.stem
    )


def _word_keys(text: str) -> set[str]:
    """Each word of `text`, and each hyphenated part of one, as key and as stem."""
    keys: set[str] = set()
    for word in normalize(text).split():
        plain = word.strip(_WORD_PUNCTUATION)
        for part in (plain, *plain.split("-")):
            keys.update((part.replace("-", ""), _chunk(part)))
    return keys


def _negates(text: str) -> bool:
    """Whether `text` says `not`, `or` or another word that turns what it means."""
    return any(_turns(word.strip(_WORD_PUNCTUATION)) for word in normalize(text).split())


def _turns(word: str) -> bool:
    """Whether `word` (plain) turns what an answer means: a negation, `or`, `n't`."""
    return word in NEVER_LEFT_OUT or word.endswith("n't")


def _between_numbers(words: Sequence[str], at: int) -> bool:
    """Whether the word at `at` has a number on each side, as `to` in `2379 to 2380`."""
    return 0 < at < len(words) - 1 and _has_digit(words[at - 1]) and _has_digit(words[at + 1])


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


# ---------------------------------------------------------------- forms


def _exact(typed: _Typed, targets: Sequence[_Target]) -> _Match | None:
    """The first target `typed` names as written (stems, articles and decorations aside)."""
    for index, target in enumerate(targets):
        form = next((form for form in target.forms if typed.same_as(form)), None)
        if form is not None:
            return _Match(index, form, typo=False)
    return None


def _typed(text: str) -> _Typed:
    """A learner's text as English and as Portuguese read it (one reading when it starts
    with no article)."""
    if _words(text)[0] not in ARTICLES:
        return _Typed(text, (_given_form(text),))
    en, pt = _given_form(text, "en"), _given_form(text, "pt-BR")
    return _Typed(text, (en,) if en == pt else (en, pt))


@lru_cache(maxsize=16384)
def _expected_form(text: str, lang: str = "") -> _Form:
    """A form written by a deck author: `.` is never a thousands separator (versions)."""
    return _form(text, ", ", lang)


def _given_form(text: str, lang: str = "") -> _Form:
    """A form typed by a learner: `5.000` may mean 5000."""
    return _form(text, ",. ", lang)


def _form(text: str, separators: str, lang: str) -> _Form:
    plain = _VERSION_PREFIX.sub("", _undecorated(normalize(text, lang or None)))
    if _VERSION.fullmatch(plain):
        key = stem = plain[1:]
    else:
        key = plain.replace(" ", "").replace("-", "")
        stem = "".join(_chunk(word) for word in plain.split(" "))
    return _Form(text, key, stem, _readings(plain, separators))


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
        and _stem(term) not in mine  # another form of the same word is no rival
        and DamerauLevenshtein.distance(typed, term, score_cutoff=distance) <= distance
    )


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None
