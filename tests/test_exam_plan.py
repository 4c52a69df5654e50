"""Planning a mock exam: questions per domain by weight, drawn by seed, never a card twice."""

from __future__ import annotations

import random
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8squiz.curricula import CERTS, allocate, draw, fillable, load, pools
from k8squiz.decks.build import build_library
from k8squiz.decks.discover import bundled
from k8squiz.decks.library import Deck, Library
from k8squiz.decks.model import Card, CardKind
from k8squiz.grading import Grader
from k8squiz.modes.exam_paper import ExamOptions, ExamPlan, plan_exam

KCNA = (
    "kubernetes-fundamentals",
    "container-orchestration",
    "cloud-native-application-delivery",
    "cloud-native-architecture",
)


def domain_deck(domain: str, n: int, cert: str = "kcna", *, prefix: str = "") -> Deck:
    """A deck of `n` text cards, all serving `domain` of `cert`."""
    cards = tuple(
        Card(
            id=f"{prefix}{domain}-{i}",
            question=f"Question {i} about {domain}?",
            answer=f"answer {domain} {i}",
            explanation="Explained.",
        )
        for i in range(1, n + 1)
    )
    return Deck(
        prefix + domain,
        domain.title(),
        "",
        Path(f"{domain}.yaml"),
        "bundled",
        cards,
        domains={cert: (domain,)},
    )


def kcna_library(per_domain: int = 30) -> Library:
    return Library(tuple(domain_deck(d, per_domain) for d in KCNA))


def plan(library: Library, cert: str = "kcna", **options: object) -> ExamPlan:
    chosen = ExamOptions(cert=cert, **options)  # type: ignore[arg-type]
    return plan_exam(library, load(cert), chosen, grader=Grader(library.cards))


def asked(exam: ExamPlan) -> list[tuple[str, str]]:
    return [(q.card.id, q.domain) for q in exam.questions]


class TestWeights:
    @pytest.mark.parametrize(
        ("n", "counts"),
        [
            (60, (26, 17, 10, 7)),  # 26.4 16.8 9.6 7.2: the two largest remainders round up
            (10, (4, 3, 2, 1)),
            (25, (11, 7, 4, 3)),  # exact
            (1, (1, 0, 0, 0)),
            (3, (1, 1, 1, 0)),
        ],
    )
    def test_kcna_counts_follow_the_weights(self, n: int, counts: tuple[int, ...]) -> None:
        """KCNA's 44/28/16/12 give these questions per domain, by largest remainder."""
        weights = {d.id: d.weight for d in load("kcna").domains}
        assert tuple(allocate(weights, n).values()) == counts

    @pytest.mark.parametrize("cert", ["cka", "ckad"])
    def test_forty_questions_give_every_domain_its_exact_share(self, cert: str) -> None:
        """CKA and CKAD weights are multiples of 5%, so 40 questions split without rounding."""
        curriculum = load(cert)
        counts = allocate({d.id: d.weight for d in curriculum.domains}, 40)
        assert [counts[d.id] for d in curriculum.domains] == [
            d.weight * 40 // 100 for d in curriculum.domains
        ]

    @given(
        st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=8),
        st.integers(min_value=0, max_value=500),
    )
    def test_counts_add_up_and_stay_within_one_of_the_share(
        self, weights: list[int], n: int
    ) -> None:
        """For any weights and n: counts sum to n, each within 1 of weight*n, every run alike."""
        named = {f"d{i}": w for i, w in enumerate(weights)}
        counts = allocate(named, n)
        assert sum(counts.values()) == n
        total = sum(weights)
        assert all(abs(counts[d] - w * n / total) < 1 for d, w in named.items())
        assert allocate(named, n) == counts


class TestDraw:
    @given(
        st.dictionaries(
            st.sampled_from("abcde"),
            st.lists(st.sampled_from([f"c{i}" for i in range(12)]), max_size=8, unique=True),
            min_size=1,
        ),
        st.integers(min_value=0, max_value=10),
        st.integers(min_value=0, max_value=2**32),
    )
    def test_no_card_is_drawn_twice_and_each_comes_from_its_pool(
        self, found: dict[str, list[str]], n: int, seed: int
    ) -> None:
        """Whatever the pools overlap, a card is drawn once, for a domain it serves."""
        needs = dict.fromkeys(found, n)
        drawn = draw(needs, found, random.Random(seed))
        cards = [card for ids in drawn.values() for card in ids]
        assert len(cards) == len(set(cards))
        assert all(card in found[domain] for domain, ids in drawn.items() for card in ids)
        assert all(len(drawn[d]) <= needs[d] for d in needs)

    @pytest.mark.parametrize("seed", range(20))
    def test_a_card_serving_two_domains_goes_where_it_is_needed(self, seed: int) -> None:
        """Domain b has only the shared card: a gets its own card, whatever the order drawn."""
        drawn = draw(
            {"a": 1, "b": 1}, {"a": ["shared", "own"], "b": ["shared"]}, random.Random(seed)
        )
        assert drawn == {"a": ["own"], "b": ["shared"]}

    def test_a_card_serving_two_domains_of_an_exam_is_asked_once(self) -> None:
        """A card mapped to two KCNA domains appears once even when both draw every card."""
        shared = Card(
            id="shared",
            question="Shared?",
            answer="shared answer",
            explanation="E.",
            domains={"kcna": KCNA[:2]},
        )
        both = Deck("both", "Both", "", Path("both.yaml"), "bundled", (shared,))
        library = Library((both, *(domain_deck(d, 1) for d in KCNA)))
        ids = [card for card, _ in asked(plan(library, count=60, seed=1))]
        assert len(ids) == len(set(ids)) == 5


class TestPlan:
    def test_the_same_seed_plans_the_same_exam(self) -> None:
        """Same seed: the same cards, for the same domains, in the same order, same options."""
        library = kcna_library()
        first, again = plan(library, count=20, seed=42), plan(library, count=20, seed=42)
        assert asked(first) == asked(again)
        assert [q.options for q in first.questions] == [q.options for q in again.questions]

    def test_another_seed_plans_another_exam(self) -> None:
        """Different seeds draw or order the questions differently."""
        library = kcna_library()
        assert asked(plan(library, count=20, seed=1)) != asked(plan(library, count=20, seed=2))

    def test_the_domains_asked_follow_the_weights(self) -> None:
        """Each domain is asked exactly its allocated share, drawn from its own cards."""
        exam = plan(kcna_library(), count=25, seed=9)
        assert Counter(q.domain for q in exam.questions) == dict(
            zip(KCNA, (11, 7, 4, 3), strict=True)
        )
        assert all(q.card.id.startswith(q.domain) for q in exam.questions)
        assert exam.shortfall() == {}

    def test_a_domain_short_of_cards_is_reported(self) -> None:
        """With two cards for a domain that should get seven, the plan says five are missing."""
        library = Library(tuple(domain_deck(d, 2 if i == 3 else 40) for i, d in enumerate(KCNA)))
        exam = plan(library, count=60, seed=3)
        assert exam.shortfall() == {"cloud-native-architecture": 5}
        assert len(exam) == 55

    def test_kcna_is_multiple_choice_and_cka_is_typed(self) -> None:
        """KCNA questions carry options; a CKA knowledge check is answered by typing."""
        kcna = plan(kcna_library(), count=8, seed=4)
        assert all(len(q.options) >= 2 for q in kcna.questions)
        cka = Library(tuple(domain_deck(d.id, 10, "cka") for d in load("cka").domains))
        assert all(q.options == () for q in plan(cka, "cka", count=8, seed=4).questions)

    def test_defaults_come_from_the_curriculum(self) -> None:
        """KCNA: 60 questions in 90 minutes; CKA: 40 in 60; -n 30 gets 45 minutes."""
        assert (load("kcna").default_questions(), load("kcna").default_minutes(60)) == (60, 90)
        assert (load("cka").default_questions(), load("cka").default_minutes(40)) == (40, 60)
        assert load("kcna").default_minutes(30) == 45
        assert plan(kcna_library(), count=10, seed=1, minutes=7).minutes == 7

    def test_the_time_limit_is_for_the_questions_asked(self) -> None:
        """With too few cards for -n, the default time is the pace times the questions the
        exam can ask (55 of 60: 83 minutes), not times the ones it wanted."""
        library = Library(tuple(domain_deck(d, 2 if i == 3 else 40) for i, d in enumerate(KCNA)))
        exam = plan(library, count=60, seed=3)
        assert len(exam) == 55
        assert exam.minutes == load("kcna").default_minutes(55) == 83


@cache
def bundled_library() -> Library:
    return build_library([bundled()])


class TestBundledDecks:
    def test_a_full_kcna_exam_fills_from_the_bundled_decks(self) -> None:
        """60 distinct questions, 26/17/10/7 by domain, every one multiple choice: like the real
        KCNA, no list card asks for a typed answer (some did, up to 8 in an exam)."""
        exam = plan(bundled_library(), count=None, seed=2026)
        assert len(exam) == 60
        assert len({q.card.id for q in exam.questions}) == 60
        assert Counter(q.domain for q in exam.questions) == dict(
            zip(KCNA, (26, 17, 10, 7), strict=True)
        )
        assert exam.minutes == 90
        assert exam.pass_mark == 75
        for q in exam.questions:
            assert len(q.options) >= 2
            assert q.card.kind is not CardKind.LIST

    @pytest.mark.parametrize("cert", CERTS)
    def test_every_curriculum_fills_a_full_exam(self, cert: str) -> None:
        """No domain of any curriculum is short of bundled cards for its default exam."""
        library = bundled_library()
        curriculum = load(cert)
        found = pools(library, library.cards, curriculum)
        needs = curriculum.shares(curriculum.default_questions())
        assert set(fillable(needs, found).values()) == {0}
