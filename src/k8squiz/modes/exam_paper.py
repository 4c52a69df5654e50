"""An exam paper: which questions, and what the answers to them add up to.

The plan draws each domain's share of the questions (largest remainder on the curriculum's
weights) at random within the domain, reproducibly by seed, never one card twice, and asks
them in an order fixed by the seed: multiple choice where the card allows it in a
multiple-choice exam (KCNA), typed answers and commands in a knowledge check of a hands-on one
(CKA, CKAD). The result counts an unanswered question as wrong.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from msgspec import Struct

from k8squiz.curricula import Curriculum, askable, draw, pools
from k8squiz.decks.library import Library
from k8squiz.decks.model import Card
from k8squiz.grading import Choice, Grader, Verdict
from k8squiz.modes.quiz import multiple_choice, new_seed
from k8squiz.progress.records import AnswerRecord


class ExamOptions(Struct, frozen=True, kw_only=True):
    """What `k8squiz exam` was asked for; None takes the curriculum's default."""

    cert: str
    count: int | None = None
    minutes: int | None = None
    seed: int | None = None
    lang: str = "en"


class ExamQuestion(Struct, frozen=True):
    """One card as an exam asks it: for which domain, with options when multiple choice."""

    number: int
    card: Card
    topic: str
    domain: str
    options: tuple[Choice, ...] = ()


class ExamPlan(Struct, frozen=True):
    cert: str
    questions: tuple[ExamQuestion, ...]
    seed: int
    minutes: int
    pass_mark: int
    wanted: dict[str, int]  # domain -> the questions its weight asks for

    def __len__(self) -> int:
        return len(self.questions)

    def shortfall(self) -> dict[str, int]:
        """Domain -> questions it could not fill, for want of cards (only those short)."""
        asked = {d: sum(q.domain == d for q in self.questions) for d in self.wanted}
        return {d: n - asked[d] for d, n in self.wanted.items() if n > asked[d]}


# Planning


def plan_exam(
    library: Library, curriculum: Curriculum, options: ExamOptions, *, grader: Grader
) -> ExamPlan:
    """The questions of an exam: each domain's share, drawn by seed, in an order fixed by it."""
    n = options.count or curriculum.default_questions()
    seed = options.seed or new_seed()
    rng = random.Random(seed)
    wanted = curriculum.shares(n)
    drawn = draw(wanted, pools(library, askable(library, curriculum), curriculum), rng)
    picked = [(card_id, domain) for domain in wanted for card_id in drawn[domain]]
    rng.shuffle(picked)
    choices = not curriculum.hands_on
    questions = tuple(
        ExamQuestion(
            number,
            card,
            library.topic_of(card.id),
            domain,
            multiple_choice(library, card, seed=seed, lang=options.lang, grader=grader)
            if choices
            else (),
        )
        for number, (card, domain) in enumerate(_cards(library, picked), start=1)
    )
    minutes = options.minutes or curriculum.default_minutes(len(questions))  # asked, not wanted
    return ExamPlan(curriculum.id, questions, seed, minutes, curriculum.exam.pass_mark, wanted)


def _cards(library: Library, picked: list[tuple[str, str]]) -> list[tuple[Card, str]]:
    """(card, domain) for each (card id, domain) drawn from the library."""
    return [(card, d) for card_id, d in picked if (card := library.card(card_id)) is not None]


# Results


class QuestionResult(Struct, frozen=True):
    question: ExamQuestion
    answer: AnswerRecord | None  # None: not answered, counted wrong
    flagged: bool
    verdict: Verdict | None = None  # how the answer was graded, when it was given here

    @property
    def correct(self) -> bool:
        return self.answer is not None and self.answer.correct


class DomainScore(Struct, frozen=True):
    domain: str
    name: str
    weight: int
    questions: int
    correct: int

    @property
    def percent(self) -> float:
        return 100 * self.correct / self.questions if self.questions else 0.0


class ExamResult(Struct, frozen=True):
    """What an exam's answers add up to; an unanswered question counts as wrong."""

    questions: tuple[QuestionResult, ...]
    domains: tuple[DomainScore, ...]
    pass_mark: int

    @property
    def correct(self) -> int:
        return sum(q.correct for q in self.questions)

    @property
    def answered(self) -> int:
        return sum(q.answer is not None for q in self.questions)

    @property
    def percent(self) -> float:
        return 100 * self.correct / len(self.questions) if self.questions else 0.0

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_mark

    @property
    def missed(self) -> tuple[QuestionResult, ...]:
        return tuple(q for q in self.questions if not q.correct)

    @property
    def weakest(self) -> DomainScore | None:
        """The domain scored lowest (ties: the heavier); None when every domain is perfect."""
        asked = [d for d in self.domains if d.questions and d.correct < d.questions]
        return min(asked, key=lambda d: (d.percent, -d.weight), default=None)


def score(
    plan: ExamPlan,
    curriculum: Curriculum,
    answers: dict[int, AnswerRecord],
    flagged: set[int],
    lang: str,
    *,
    verdicts: Mapping[int, Verdict] | None = None,
) -> ExamResult:
    graded = verdicts or {}
    questions = tuple(
        QuestionResult(q, answers.get(q.number), q.number in flagged, graded.get(q.number))
        for q in plan.questions
    )
    domains = tuple(
        DomainScore(
            d.id,
            d.name_in(lang),
            d.weight,
            sum(q.question.domain == d.id for q in questions),
            sum(q.correct for q in questions if q.question.domain == d.id),
        )
        for d in curriculum.domains
    )
    return ExamResult(questions, domains, plan.pass_mark)
