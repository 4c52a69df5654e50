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
* Words compare by their stem (`stem`, small and conservative): plurals, `-ing`, `-ed`,
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
  the words that begin an answer as a sentence (`it is`, `they are`, `it gets`, `é`, `eles
  são`), and words the card's question already says in English or Portuguese (`iptables mode`
  when the question asks for a mode, `5000 nodes` when it asks how many nodes). Never left
  out: a negation or `or` (NEVER_LEFT_OUT), a number when the answer has one, a word that
  tells the options of an either/or question apart (`... at the hardware level or at the
  process level?`, `... runtimes such as runc or crun?`), and any word of a run of words that
  names one of the card's known mistakes, its `choices` or (lists) items (`helm list helm
  history` is wrong). An answer that words left out could also read as a known mistake, a
  choice or the other option, keeping a word the right reading leaves out, is wrong
  (`PersistentVolume PersistentVolumeClaim`); an answer with nothing left is wrong.
* An answer may restate itself in parentheses or after a dash (`4 (COPY)`, `kube-proxy - the
  network proxy`): correct when one part is correct and the other is correct too or only
  restates, that is names no known mistake or choice, and no number, negation, `or`, known
  term or accepted answer of another card that the question does not say.
* A list answer needs every item, in any order; pieces are split on `,` `;` `/` `&`, `and`,
  `e` and new lines, and the verdict says which items were found, missing or extra. A piece
  made only of words that may be left out is not an extra. One piece that names nothing, in
  which two words or more each name an item, is items typed with spaces between them
  (`sandbox incubating graduated`).
* Number words from zero to twelve, English or Portuguese, are their digits when an answer
  names nothing as written (`three` and `três` are 3, `cinco minutos` is 5 minutes).
* One word with two spellings is one word: `contêiner` (Portuguese) is `container`.
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
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import msgspec.structs
from msgspec import Struct

from k8squiz.decks.model import (
    Card,
    CardKind,
    CommandAnswer,
    Mistake,
    card_text,
)
from k8squiz.errors import unreachable
from k8squiz.grading.reading import (
    Context,
    Judgement,
    Match,
    Plan,
    Target,
    Typed,
    context_of,
    exact,
    names_any,
    negates,
    plan_of,
    reached,
    readings_of,
    restated_parts,
    turns,
    typed_form,
    within,
    word_keys,
)
from k8squiz.grading.words import (
    WORD_PUNCTUATION,
    Form,
    expected_form,
    given_form,
    has_digit,
    normalize,
    numerals,
    stem,
    word_stem,
)
from k8squiz.i18n import Words

if TYPE_CHECKING:
    from k8squiz.grading.command import Difference

TRUE_WORDS = frozenset({"t", "true", "yes", "y", "verdadeiro", "verdadeira", "v", "sim", "s"})
FALSE_WORDS = frozenset({"f", "false", "no", "n", "falso", "falsa", "nao"})
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

_SLASHED_PROTOCOL = re.compile(r"/\s*(?:tcp|udp|sctp)\b|\b(?:tcp|udp|sctp)\s*/", re.IGNORECASE)
_PIECE_SEPARATOR = re.compile(r"[,;/&\n]|(?<!\s)\s+(?:and|e)\s+", re.IGNORECASE)
_CHOICE_LABEL = re.compile(r"\(?([a-z]|\d{1,3})[).]?", re.ASCII)


# ---------------------------------------------------------------- stems


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


# ---------------------------------------------------------------- the grader


class Choice(Struct, frozen=True):
    """A multiple-choice option as shown, and the deck text it stands for (in English)."""

    shown: str
    original: str


def is_choice_label(given: str) -> bool:
    """Whether `given` names an option by its place (`c`, `C)`, `3`) rather than its text."""
    return _choice_mark(given) is not None


def _choice_mark(given: str) -> str | None:
    """The letter or number of a place (`c` of `C)`, `3` of `3.`), if `given` is one."""
    label = _CHOICE_LABEL.fullmatch(normalize(given))
    return None if label is None else label.group(1)


def numbers_are_answers(options: Sequence[str]) -> bool:
    """Whether the options are all numbers (`5`, `2`, `4`, `3`; `1.24`): then a typed number
    is an answer, never an option's place (`4` is the option 4, not the fourth), and options
    are picked by letter or text."""
    return bool(options) and all(normalize(option)[:1].isdigit() for option in options)


def names_no_option(given: str, options: Sequence[Choice]) -> bool:
    """Whether `given` is a letter or number that picks none of `options`: asked again,
    never graded. Between true and false, `t`, `v` or `f` is an answer, not a letter; among
    options that are numbers, a number is an answer."""
    shown, mark = [o.shown for o in options], _choice_mark(given)
    if not options or mark is None or resolve_choice(given, shown) is not None:
        return False
    if mark.isdigit() and numbers_are_answers(shown):
        return False
    true_or_false = all(_truth(o.original) is not None for o in options)
    return not (true_or_false and _truth(given) is not None)


class Grader:
    """Grades answers to a set of cards; built once, its vocabulary guards typo tolerance."""

    def __init__(self, cards: Iterable[Card]) -> None:
        self._cards = tuple(cards)
        self._plans: dict[int, Plan] = {}
        self._contexts: dict[int, tuple[Card, Context]] = {}

    @cached_property
    def _vocabulary(self) -> frozenset[str]:
        """Every term a typo must not be mistaken for: all cards' forms and KNOWN_TERMS."""
        keys = {key for card in self._cards for key in self._plan_of(card).own_keys}
        return frozenset(keys | self._terms)

    @cached_property
    def _terms(self) -> frozenset[str]:
        """KNOWN_TERMS as keys and stems."""
        forms = [expected_form(term) for term in KNOWN_TERMS]
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
        expected = expected_text(card, lang)
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

    def _spaced_items(
        self, plan: Plan, judged: list[tuple[str, Judgement]]
    ) -> list[tuple[str, Judgement]]:
        """One piece that names nothing, in which two words or more each name an item, is
        items typed with spaces between them ("sandbox incubating graduated"); its other
        words are then items that are not part of the answer."""
        if len(judged) != 1 or judged[0][1].match is not None:
            return judged
        words = [(word, self._judge(plan, word)) for word in judged[0][0].split()]
        return words if sum(j.match is not None for _, j in words) >= 2 else judged

    def _plan_of(self, card: Card) -> Plan:
        """The card's answer forms, worked out once (on first use) per card object."""
        plan = self._plans.get(id(card))
        if plan is None or plan.card is not card:
            plan = self._plans[id(card)] = plan_of(card)
        return plan

    def _context_of(self, plan: Plan) -> Context:
        """What the card's question says, worked out once (when first needed) per card."""
        known = self._contexts.get(id(plan.card))
        if known is None or known[0] is not plan.card:
            known = self._contexts[id(plan.card)] = (plan.card, context_of(plan))
        return known[1]

    def _grade_text(self, plan: Plan, given: str, expected: str) -> Verdict:
        judged = self._judge(plan, given)
        if judged.match is None and not judged.mistakes:  # "three" for 3, "cinco minutos"
            spelled = numerals(given)
            judged = judged if spelled == normalize(given) else self._judge(plan, spelled)
        if judged.match is None:
            return Verdict(False, given, expected, mistakes=_named(plan, [judged]))
        typo = (given.strip(), judged.match.form.text) if judged.match.typo else None
        return Verdict(True, given, expected, typo=typo)

    def _grade_list(self, plan: Plan, given: str, expected: str, lang: str) -> Verdict:
        pieces = _pieces(given, one_word_items=plan.one_word_items)
        judged = self._spaced_items(plan, [(piece, self._judge(plan, piece)) for piece in pieces])
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

    def _judge(self, plan: Plan, text: str, *, whole: bool = True) -> Judgement:
        """What `text` names: an item or a mistake as written; else through the natural rules
        (words left out; when `whole`, a restatement in parentheses or after a dash); else an
        item or a mistake through a small typo."""
        typed = typed_form(text)
        match = exact(typed, plan.items)
        if match is not None:
            return Judgement(match)
        named = frozenset(i for i, t in enumerate(plan.mistakes) if exact(typed, (t,)))
        if named:
            return Judgement(mistakes=named)
        judged = self._left_out(plan, typed)
        if judged.match is None and not judged.mistakes and whole:
            judged = self._restated(plan, text) or judged
        if judged.match is not None or judged.mistakes:
            return judged
        match = self._typo(plan, typed, plan.items)
        if match is not None:
            return Judgement(match)
        named = frozenset(i for i, t in enumerate(plan.mistakes) if self._typo(plan, typed, (t,)))
        return Judgement(mistakes=named)

    def _left_out(self, plan: Plan, typed: Typed) -> Judgement:
        """What `typed` names once words that add nothing are left out: one item, unless a
        wrong answer (a mistake, a choice, the other option) can be read in it too, beyond a
        part of that item; then it names the mistakes it can be read as."""
        if len(normalize(typed.text).split()) < 2:
            return Judgement()  # one word: leaving it out leaves nothing
        ctx = self._context_of(plan)
        readings = readings_of(ctx, typed)
        if not any(any(reading.droppable) for reading in readings):
            return Judgement()
        right = reached(ctx, readings, plan.items)
        wrong = reached(ctx, readings, ctx.wrong)
        if len(right) == 1:
            [(index, kept)] = right.items()
            if all(within(other, kept) for other in wrong.values()):
                return Judgement(Match(index, plan.items[index].forms[0], typo=False))
        return Judgement(mistakes=frozenset(i for i in wrong if i < len(plan.mistakes)))

    def _says_nothing(self, plan: Plan, piece: str) -> bool:
        """Whether every word of a list piece may be left out: it adds no item, right or wrong."""
        ctx = self._context_of(plan)
        typed = typed_form(piece)
        readings = readings_of(ctx, typed)
        return any(reading.words and all(reading.droppable) for reading in readings)

    def _restated(self, plan: Plan, text: str) -> Judgement | None:
        """`A (B)` or `A - B`: right when one part is right and the other right or neutral."""
        parts = restated_parts(text)
        if parts is None:
            return None
        judged = [self._judge(plan, part, whole=False) for part in parts]
        mistakes = frozenset(i for j in judged for i in j.mistakes)
        if mistakes:
            return Judgement(mistakes=mistakes)
        matches = [j.match for j in judged if j.match is not None]
        if not matches or len({m.index for m in matches}) > 1:
            return None
        if len(matches) == 1:
            other = parts[1] if judged[0].match is not None else parts[0]
            if not self._neutral(plan, other):
                return None
        return Judgement(matches[0])

    def _neutral(self, plan: Plan, text: str) -> bool:
        """Whether `text` only restates: no number, `or`, negation, known term or other
        card's answer the question does not say, and nothing the card marks wrong."""
        ctx = self._context_of(plan)
        typed = typed_form(text)
        if names_any(ctx, text) or self._left_out(plan, typed).mistakes:
            return False
        if typed.keys & (self._vocabulary - plan.own_keys):
            return False
        for word in normalize(text).split():
            plain = word.strip(WORD_PUNCTUATION)
            key, stem = plain.replace("-", ""), word_stem(plain)
            if turns(plain) or stem in ctx.kept:
                return False
            if key in ctx.said or stem in ctx.said:
                continue
            if has_digit(key) or key in self._terms or stem in self._terms:
                return False
        return True

    def _typo(self, plan: Plan, typed: Typed, targets: Sequence[Target]) -> Match | None:
        keys = typed.keys
        if not all(keys) or any(map(has_digit, keys)) or negates(typed.text):
            return None
        if keys & self._vocabulary or keys & plan.own_keys:
            return None
        given_keys = {given.key for given in typed.forms}
        near: list[tuple[int, int, Form, str]] = []
        for index, target in enumerate(targets):
            for form in target.forms:
                for key in given_keys:
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
        return Match(index, form, typo=True)

    def _names_another(self, plan: Plan, typed: Typed, form: Form) -> bool:
        """Whether a word of `typed` is a known term that `form` does not hold: `SELinux
        namespaces` is no typo of `Linux namespaces`, nor `CRI runtime-spec` of `OCI ...`."""
        own = word_keys(form.text)
        known = self._vocabulary | plan.own_keys
        return any(key in known and key not in own for key in word_keys(typed.text))

    def _has_rival(self, plan: Plan, key: str, distance: int, mine: frozenset[str]) -> bool:
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
    form = expected_form(text, "en")
    return min(form.numbers) if form.numbers else form.key


def equivalent(first: str, second: str) -> bool:
    """Whether a deck author's two texts are the same answer as written (no typo, no stems)."""
    one, two = expected_form(first, "en"), expected_form(second, "en")
    if one.numbers or two.numbers:
        return one.same_as(two) or two.same_as(one)
    return one.key == two.key


def resolve_choice(given: str, options: Sequence[str]) -> str | None:
    """The option `given` picks: by its text, its letter (`b`, `B`, `b)`) or number (`2`;
    not among options that are numbers themselves)."""
    typed = given_form(given)
    by_text = next((option for option in options if expected_form(option).key == typed.key), None)
    if by_text is not None or not typed.key:
        return by_text
    mark = _choice_mark(given)
    if mark is None:
        return None
    if mark.isdigit() and numbers_are_answers(options):
        return None
    index = int(mark) - 1 if mark.isdigit() else ord(mark) - ord("a")
    return options[index] if 0 <= index < len(options) else None


# ---------------------------------------------------------------- true or false


def _grade_true_false(card: Card, given: str, expected: str) -> Verdict:
    said = _truth(given)
    if said is not None and said == _truth(card.items[0]):
        return Verdict(True, given, expected)
    return Verdict(False, given, expected, mistakes=_true_false_mistakes(card, said))


def _grade_command(card: Card, answer: CommandAnswer, given: str) -> Verdict:
    from k8squiz.grading.command import differences  # the tool model: only for command cards

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
    from k8squiz.grading.command import same_effect

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


def expected_text(card: Card, lang: str) -> str:
    """A card's answer as a learner of `lang` reads it: `falso`, not `false`, in pt-BR."""
    if card.kind is CardKind.TRUE_FALSE:
        return Words(lang)("true" if _truth(card.items[0]) else "false")
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


def _named(plan: Plan, judged: Iterable[Judgement]) -> tuple[Mistake, ...]:
    """The card's mistakes any of the judgements names, in the card's order."""
    indices = {index for judgement in judged for index in judgement.mistakes}
    return tuple(m for index, m in enumerate(plan.card.mistakes) if index in indices)


# ---------------------------------------------------------------- what a question says


# ---------------------------------------------------------------- forms


def _typo_distance(typed: str, expected: str) -> int | None:
    """Edits from `typed` to `expected` when few enough to call a typo, else None."""
    from rapidfuzz.distance import DamerauLevenshtein  # late: importing costs every start ~25 ms

    if sum(c.isalpha() for c in expected) < 5 or has_digit(expected):
        return None
    allowed = 1 if len(expected) < 8 else 2
    distance = DamerauLevenshtein.distance(typed, expected, score_cutoff=allowed)
    return distance if distance <= allowed else None


def _is_rival(typed: str, term: str, distance: int, mine: frozenset[str]) -> bool:
    from rapidfuzz.distance import DamerauLevenshtein

    return (
        term not in mine
        and stem(term) not in mine  # another form of the same word is no rival
        and DamerauLevenshtein.distance(typed, term, score_cutoff=distance) <= distance
    )
