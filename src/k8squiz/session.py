"""Which cards a session shows, in what order, and what the answers add up to.

Pure: the same cards, seed and language always give the same quiz, and the same states and
clock the same study queue.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone

import msgspec.structs
from msgspec import Struct

from k8squiz.deck import Card, Library, card_text
from k8squiz.grading import Grader, normalize
from k8squiz.records import AnswerRecord

DEFAULT_QUESTIONS = 10
LETTERS = "abcd"


class Question(Struct, frozen=True):
    """One card as asked: its number, and its options when it is multiple choice."""

    number: int
    card: Card
    topic: str
    options: tuple[Option, ...] = ()


class QuizPlan(Struct, frozen=True):
    questions: tuple[Question, ...]
    seed: int

    def __len__(self) -> int:
        return len(self.questions)


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)


def plan_quiz(
    library: Library,
    pool: Sequence[Card],
    n: int,
    *,
    seed: int,
    choices: bool,
    lang: str,
    grader: Grader,
) -> QuizPlan:
    """Up to `n` cards of `pool` in an order fixed by `seed`, with options when `choices`."""
    picked = random.Random(seed).sample(list(pool), k=min(n, len(pool)))
    questions = tuple(
        Question(
            number=i,
            card=card,
            topic=library.topic_of(card.id),
            options=multiple_choice(library, card, seed=seed, lang=lang, grader=grader)
            if choices
            else (),
        )
        for i, card in enumerate(picked, start=1)
    )
    return QuizPlan(questions, seed)


# Multiple choice


def shape(answer: str) -> str:
    """What kind of answer a text is, so distractors look like the answer."""
    text = answer.strip().lower()
    if re.fullmatch(r"v?\d+(\.\d+)+", text):
        return "version"
    if re.fullmatch(r"[\d\s,./:\-\u2013tocpud]+", text) and re.search(r"\d", text):
        return "number"
    if text.split(" ", 1)[0] in {"kubectl", "minikube", "docker", "helm", "crictl", "kubeadm"}:
        return "command"
    words = len(text.split())
    return "term" if words == 1 else "phrase" if words <= 4 else "sentence"


class Option(Struct, frozen=True):
    """A multiple-choice option as shown, and the deck text it stands for in English."""

    shown: str
    original: str


def multiple_choice(
    library: Library, card: Card, *, seed: int, lang: str, grader: Grader
) -> tuple[Option, ...]:
    """The right answer and up to three wrong ones, shuffled; () when the card is typed anyway."""
    if card.kind == "list":
        return ()
    if card.kind == "true-false":
        words = ("true", "false") if lang == "en" else ("verdadeiro", "falso")
        return tuple(
            Option(word, english) for word, english in zip(words, ("true", "false"), strict=True)
        )
    right = Option(card_text(card, lang).answer, card.items[0])
    rng = random.Random(f"{seed}:{card.id}")
    options = [right, *_distractors(library, card, right, rng=rng, lang=lang, grader=grader)[:3]]
    rng.shuffle(options)
    return tuple(options)


def _distractors(
    library: Library, card: Card, right: Option, *, rng: random.Random, lang: str, grader: Grader
) -> list[Option]:
    shown = card_text(card, lang).choices
    own = [Option(text, original) for text, original in zip(shown, card.choices, strict=False)]
    rng.shuffle(own)
    wanted = shape(card.items[0])
    topic = library.topic_of(card.id)
    near = [
        c
        for c in library.cards
        if c.kind == "text" and c.id != card.id and shape(c.items[0]) == wanted
    ]
    same_topic = [c for c in near if library.topic_of(c.id) == topic]
    elsewhere = [c for c in near if library.topic_of(c.id) != topic]
    rng.shuffle(same_topic)
    rng.shuffle(elsewhere)
    borrowed = [Option(card_text(c, lang).answer, c.items[0]) for c in (*same_topic, *elsewhere)]
    seen = {normalize(right.shown)}
    picked: list[Option] = []
    for option in (*own, *borrowed):
        key = normalize(option.shown)
        if key not in seen and not grader.accepts(card, option.shown):
            seen.add(key)
            picked.append(option)
    return picked


def option_label(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


# Results


class TopicScore(Struct, frozen=True):
    topic: str
    correct: int
    answered: int


class QuizResult(Struct, frozen=True):
    """What a quiz's answers add up to."""

    answers: tuple[AnswerRecord, ...]
    planned: int

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def percent(self) -> float:
        return 100 * self.correct / self.answered if self.answered else 0.0

    @property
    def seconds(self) -> float:
        return sum(a.seconds for a in self.answers)

    @property
    def complete(self) -> bool:
        return self.answered >= self.planned

    @property
    def missed(self) -> tuple[AnswerRecord, ...]:
        return tuple(a for a in self.answers if not a.correct)

    def by_topic(self) -> tuple[TopicScore, ...]:
        topics = list(dict.fromkeys(a.topic for a in self.answers))
        return tuple(
            TopicScore(
                topic,
                sum(a.correct for a in self.answers if a.topic == topic),
                sum(a.topic == topic for a in self.answers),
            )
            for topic in topics
        )


def change(result: QuizResult, previous: tuple[int, int] | None) -> float | None:
    """Percentage points gained since the previous quiz on the same selection."""
    if previous is None or previous[1] == 0 or not result.answered:
        return None
    return result.percent - 100 * previous[0] / previous[1]


# Study: which card next


LEARN_AHEAD = timedelta(minutes=20)  # a card due again within this comes back this session
AGAIN_GAP = 3  # ...after this many other cards, unless nothing else is left


class StudyQueue(Struct, frozen=True):
    """The cards left in a study session. Every step returns a new queue, so undo is exact."""

    due: tuple[str, ...]
    new: tuple[str, ...]
    again: tuple[tuple[str, int], ...] = ()  # (card id, shown once `done` reaches this)
    done: int = 0
    limit: int | None = None

    @property
    def finished(self) -> bool:
        capped = self.limit is not None and self.done >= self.limit
        return capped or not (self.due or self.new or self.again)

    def next(self) -> str | None:
        """The card to show now: a card due again, then reviews, then new cards."""
        if self.finished:
            return None
        ready = [card for card, after in self.again if after <= self.done]
        return (ready or list(self.due[:1]) or list(self.new[:1]) or [self.again[0][0]])[0]

    def rated(self, card_id: str, *, comes_back: bool) -> StudyQueue:
        """The queue once `card_id` is rated; `comes_back` when it is due again soon."""
        again = tuple(entry for entry in self.again if entry[0] != card_id)
        if comes_back:
            again += ((card_id, self.done + 1 + AGAIN_GAP),)
        return msgspec.structs.replace(
            self,
            due=tuple(c for c in self.due if c != card_id),
            new=tuple(c for c in self.new if c != card_id),
            again=again,
            done=self.done + 1,
        )

    @property
    def due_left(self) -> int:
        return len(self.due) + len(self.again)


def plan_study(
    cards: Sequence[Card],
    states: Mapping[str, datetime],
    now: datetime,
    *,
    new_allowed: int,
    limit: int | None,
) -> StudyQueue:
    """Due cards, most overdue first; then new cards (never reviewed) in deck order."""
    due = sorted((states[c.id], c.id) for c in cards if c.id in states and states[c.id] <= now)
    new = [c.id for c in cards if c.id not in states][: max(new_allowed, 0)]
    return StudyQueue(due=tuple(card for _, card in due), new=tuple(new), limit=limit)


def interleave(groups: Sequence[Sequence[Card]]) -> list[Card]:
    """One card of each group in turn, each group in its own order: new cards from every
    topic, not twenty from the first deck."""
    mixed: list[Card] = []
    for turn in range(max((len(group) for group in groups), default=0)):
        mixed += [group[turn] for group in groups if turn < len(group)]
    return mixed


def comes_back(due: datetime, now: datetime) -> bool:
    return due - now <= LEARN_AHEAD


def day_start(now: datetime) -> datetime:
    """Local midnight of `now`'s day, in UTC: new-card allowances reset then."""
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)
