"""The certification curricula (KCNA, CKA, CKAD) as data: domains, weights and exam format.

Each certification is one YAML file beside this module, read only when a command needs it
(an exam, readiness, a selection by domain, `validate`). Also here: how many questions of an
exam each domain gets (largest remainder on the weights), which cards serve a domain, and a
draw of cards that never asks one card twice, even when it serves two domains.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Literal

from msgspec import Struct

from k8squiz.decks.library import Library
from k8squiz.decks.model import Card, CardKind
from k8squiz.decks.problems import near
from k8squiz.errors import K8sQuizError, UsageError
from k8squiz.i18n import Said

FOLDER = Path(__file__).parent
CERTS = ("kcna", "cka", "ckad")

# CKA and CKAD are hands-on exams; k8squiz checks the knowledge behind them instead. 40
# questions: their weights are multiples of 5%, so every 20 questions give each domain a whole
# share, and 40 give a steadier score than 20. The time follows the pace of the real
# multiple-choice KCNA: 90 minutes for 60 questions, 1.5 minutes a question.
KNOWLEDGE_CHECK_QUESTIONS = 40
KCNA_PACE = 90 / 60  # minutes a question


class ExamKind(Enum):
    MULTIPLE_CHOICE = "multiple-choice"
    PERFORMANCE_BASED = "performance-based"


class QuestionRange(Struct, frozen=True, forbid_unknown_fields=True):
    min: int
    max: int


class ExamFormat(Struct, frozen=True, forbid_unknown_fields=True):
    """The real exam, as its curriculum file describes it."""

    kind: ExamKind
    questions: QuestionRange
    minutes: int
    pass_mark: int  # percent
    source: str
    sources: tuple[str, ...] = ()


class DomainTranslation(Struct, frozen=True, forbid_unknown_fields=True):
    name: str


class Domain(Struct, frozen=True, forbid_unknown_fields=True):
    """A curriculum domain: its id (what decks name), name, weight and competencies."""

    id: str
    name: str
    weight: int  # percent of the exam
    competencies: tuple[str, ...]
    translations: dict[Literal["pt-BR"], DomainTranslation] = {}

    def name_in(self, lang: str) -> str:
        tr = self.translations.get(lang)  # type: ignore[call-overload]
        return self.name if tr is None else tr.name


class Curriculum(Struct, frozen=True, forbid_unknown_fields=True):
    """One certification's curriculum file."""

    format: int
    id: str
    name: str
    effective: str
    kubernetes: str | None
    source: str
    exam: ExamFormat
    domains: tuple[Domain, ...]

    @property
    def short(self) -> str:
        return self.id.upper()

    @property
    def hands_on(self) -> bool:
        return self.exam.kind is ExamKind.PERFORMANCE_BASED

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)

    def default_questions(self) -> int:
        """The real exam's count for KCNA; the knowledge check's for a hands-on exam."""
        return KNOWLEDGE_CHECK_QUESTIONS if self.hands_on else self.exam.questions.max

    def default_minutes(self, questions: int) -> int:
        """The real KCNA's time for its 60 questions, and its pace for any other count (a
        part of a minute counts as a whole one)."""
        if not self.hands_on and questions == self.exam.questions.max:
            return self.exam.minutes
        return max(1, math.ceil(questions * KCNA_PACE))

    def shares(self, n: int) -> dict[str, int]:
        """Domain id -> how many of `n` questions it gets by its weight (see `allocate`)."""
        return allocate({d.id: d.weight for d in self.domains}, n)


@cache
def load(cert: str) -> Curriculum:
    """The curriculum of `cert` (kcna, cka, ckad); UsageError for any other name."""
    import msgspec.yaml  # imports PyYAML: only when a curriculum is read

    require_cert(cert)
    path = FOLDER / f"{cert}.yaml"
    try:
        return msgspec.yaml.decode(path.read_bytes(), type=Curriculum)
    except (OSError, msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise K8sQuizError(
            f"the {cert} curriculum cannot be read: {exc}",
            where=str(path),
            fix="reinstall k8squiz",
        ) from exc


def line_of(cert: str, domain_id: str) -> int:
    """The line of a domain's id in its curriculum file, for messages (1 when not found)."""
    text = (FOLDER / f"{cert}.yaml").read_text(encoding="utf-8").splitlines()
    wanted = f"- id: {domain_id}"
    return next((n for n, line in enumerate(text, start=1) if line.strip() == wanted), 1)


def require_cert(cert: str) -> None:
    if cert not in CERTS:
        values = {"name": cert, "hint": near(cert, CERTS), "known": ", ".join(CERTS)}
        raise UsageError(Said("unknown_cert", values), fix=Said("unknown_cert_fix"))


def domain_ids(curriculum: Curriculum, domains: Iterable[str]) -> tuple[str, ...]:
    """The ids of `domains`, each given by its id or by its name in English or Portuguese
    (`Workloads and Scheduling`, `workloads e agendamento`: case, accents and punctuation
    aside); UsageError naming the closest id for any other."""
    ids = {
        _domain_key(text): d.id
        for d in curriculum.domains
        for text in (d.id, d.name, *(tr.name for tr in d.translations.values()))
    }
    found = []
    for domain in domains:
        if _domain_key(domain) not in ids:
            known = [d.id for d in curriculum.domains]
            values = {
                "cert": curriculum.id, "name": domain, "hint": near(domain, known),
                "known": ", ".join(known),
            }  # fmt: skip
            listing = f"k8squiz stats --cert {curriculum.id}"
            raise UsageError(Said("unknown_domain", values), fix=Said("see", {"listing": listing}))
        found.append(ids[_domain_key(domain)])
    return tuple(found)


def _domain_key(text: str) -> str:
    """A domain's id or name as compared: its words, folded, without `and` and `e`."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in plain if not unicodedata.combining(c))
    return " ".join(word for word in letters.split() if word not in ("and", "e"))


# Cards and domains


def select(
    library: Library,
    topics: Sequence[str] = (),
    tags: Sequence[str] = (),
    cert: str | None = None,
    domains: Sequence[str] = (),
) -> tuple[Card, ...]:
    """Cards of `topics` with `tags`, serving `cert` in one of `domains` when those are given;
    an unknown topic, tag, certification or domain, or no card at all, is a UsageError."""
    cards = library.select(topics, tags)
    if cert is None:
        if domains:
            raise UsageError(Said("domain_needs_cert"), fix=_with_cert(domains[0]))
    else:
        ids = domain_ids(load(cert), domains)
        cards = tuple(card for card in cards if serves(library, card, cert, ids))
    if not cards:
        key = "no_card_matches"
        if cert is not None:
            key = "no_card_serves_domains" if domains else "no_card_serves"
        raise UsageError(
            Said(key, {"cert": cert}), fix=Said("see", {"listing": "k8squiz topics --tags"})
        )
    return cards


def _with_cert(domain: str) -> Said:
    """How to use `domain`: with the certifications that have it, else where they are listed."""
    having = [cert for cert in CERTS if any(d.id == domain for d in load(cert).domains)]
    if not having:
        return Said("add_cert_listed")
    return Said("add_cert", {"certs": ", ".join(f"--cert {cert}" for cert in having)})


def serves(library: Library, card: Card, cert: str, domains: Sequence[str] = ()) -> bool:
    """The card serves `cert` (in one of `domains`, when some are given)."""
    mine = library.domains_of(card).get(cert, ())
    return bool(mine) and (not domains or bool(set(mine) & set(domains)))


def askable(library: Library, curriculum: Curriculum) -> tuple[Card, ...]:
    """The cards an exam of `curriculum` can ask: all of them in a typed knowledge check; in
    a multiple-choice exam (KCNA) those that can have options, so no list card is typed."""
    if curriculum.hands_on:
        return library.cards
    return tuple(card for card in library.cards if card.kind is not CardKind.LIST)


def pools(library: Library, cards: Iterable[Card], curriculum: Curriculum) -> dict[str, list[str]]:
    """Domain id -> the ids of the cards serving it, in deck order (a card may be in two)."""
    found: dict[str, list[str]] = {d.id: [] for d in curriculum.domains}
    for card in cards:
        for domain in library.domains_of(card).get(curriculum.id, ()):
            if domain in found:
                found[domain].append(card.id)
    return found


def study_command(cert: str, domain: str | None = None) -> str:
    """The command that studies a certification's domain: its due cards, then new ones."""
    return f"k8squiz study --cert {cert}" + (f" --domain {domain}" if domain else "")


# How many questions each domain gets


def allocate(weights: Mapping[str, int], n: int) -> dict[str, int]:
    """`n` questions shared by weight, by largest remainder: the counts add up to `n`, and each
    is within one of weight * n / total. Ties go to the heavier domain, then the earlier."""
    total = sum(weights.values())
    if total <= 0 or n <= 0:
        return dict.fromkeys(weights, 0)
    exact = {d: w * n / total for d, w in weights.items()}
    counts = {d: int(share) for d, share in exact.items()}
    order = list(weights)
    ranked = sorted(weights, key=lambda d: (-(exact[d] - counts[d]), -weights[d], order.index(d)))
    for domain in ranked[: n - sum(counts.values())]:
        counts[domain] += 1
    return counts


def draw(
    needs: Mapping[str, int], pools: Mapping[str, Sequence[str]], rng: random.Random
) -> dict[str, list[str]]:
    """Cards for each domain, at random within it, never one card twice, as many as `needs`
    asks where the pools allow (a maximum matching of cards to places: a card that serves two
    domains goes where it is needed).

    The scarcest domains draw first; each place tries its domain's cards in a shuffled
    order, and a card already placed moves to another of its domains when that frees it.
    """
    shuffled = {d: rng.sample(list(p), k=len(p)) for d, p in pools.items()}
    holder: dict[str, str] = {}  # card -> the domain it was drawn for
    order = sorted(needs, key=lambda d: (len(pools.get(d, ())) - needs[d], d))
    for domain in order:
        for _ in range(needs[domain]):
            if not _place(domain, shuffled, holder, set()):
                break
    drawn: dict[str, list[str]] = {d: [] for d in needs}
    for card, domain in holder.items():
        drawn[domain].append(card)
    return drawn


def _place(
    domain: str, shuffled: Mapping[str, list[str]], holder: dict[str, str], seen: set[str]
) -> bool:
    """Find `domain` one more card, moving placed cards along (Kuhn's augmenting path)."""
    for card in shuffled.get(domain, []):
        if card in seen:
            continue
        seen.add(card)
        if card not in holder or _place(holder[card], shuffled, holder, seen):
            holder[card] = domain
            return True
    return False


def fillable(needs: Mapping[str, int], pools: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Domain -> how many of the questions `needs` asks of it (a curriculum's `shares`) could
    not be drawn from it (0 when fine)."""
    drawn = draw(needs, pools, random.Random(0))
    return {d: needs[d] - len(drawn[d]) for d in needs}
