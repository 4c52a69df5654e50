"""A scored quiz: which cards in what order, with which options; asking, grading and saving
each answer as it is given; and what the answers add up to.

The runner gets its screen passed in (anything with the `QuizScreen` methods) and returns a
`QuizOutcome`; it never touches a terminal. End of input ends the quiz cleanly, and Ctrl-C
ends it too: either way every answer given is already saved.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from msgspec import Struct

from k8squiz.curricula import select
from k8squiz.decks.library import Library
from k8squiz.decks.model import Card, CardKind, card_text
from k8squiz.errors import EmptySelectionError, unreachable
from k8squiz.grading import Choice, Grader, Verdict, names_no_option, normalize
from k8squiz.i18n import Said, Words
from k8squiz.progress.memory import Memory
from k8squiz.progress.records import AnswerRecord, SessionInfo, answer_record
from k8squiz.progress.store import Store
from k8squiz.scheduler import Scheduler

OPTIONS = 4  # a multiple-choice question shows the answer and up to three wrong options


class QuizOptions(Struct, frozen=True, kw_only=True):
    """What `k8squiz quiz` was asked for."""

    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int = 10
    seed: int | None = None
    choices: bool = False
    missed: bool = False
    practice: bool = False  # answers saved without reviews: the schedule stays as it is
    cert: str | None = None  # only cards serving this certification...
    domains: tuple[str, ...] = ()  # ...in these curriculum domains (any when empty)
    lang: str = "en"

    @property
    def mode(self) -> str:
        extras = ("+missed" if self.missed else "") + ("+practice" if self.practice else "")
        return ("choices" if self.choices else "typed") + extras


class Question(Struct, frozen=True):
    """One card as asked: its number, and its options when it is multiple choice."""

    number: int
    card: Card
    topic: str
    options: tuple[Choice, ...] = ()


class QuizPlan(Struct, frozen=True):
    questions: tuple[Question, ...]
    seed: int

    def __len__(self) -> int:
        return len(self.questions)


class QuizScreen(Protocol):
    """What a quiz needs from a screen."""

    def question(self, question: Question, total: int) -> None: ...

    def read_answer(self, question: Question) -> str:
        """The answer typed; EOFError at the end of input, KeyboardInterrupt on Ctrl-C."""
        ...

    def not_an_option(self, given: str, count: int) -> None: ...

    def notice(self, said: Said) -> None: ...

    def verdict(self, card: Card, verdict: Verdict) -> None: ...

    def interrupted(self) -> None: ...


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


class QuizOutcome(Struct, frozen=True):
    """A finished (or interrupted) quiz: what was asked and what it added up to."""

    session_id: int
    info: SessionInfo
    plan: QuizPlan
    result: QuizResult
    change: float | None  # percentage points since the previous quiz on the same selection
    interrupted: bool


def change(result: QuizResult, previous: tuple[int, int] | None) -> float | None:
    """Percentage points gained since the previous quiz on the same selection."""
    if previous is None or previous[1] == 0 or not result.answered:
        return None
    return result.percent - 100 * previous[0] / previous[1]


# Running a quiz


class _Quiz(Struct):
    grader: Grader
    memory: Memory
    screen: QuizScreen
    now: Callable[[], datetime]
    lang: str
    session_id: int
    practice: bool


def run_quiz(
    library: Library,
    store: Store,
    screen: QuizScreen,
    options: QuizOptions,
    *,
    now: Callable[[], datetime],
) -> QuizOutcome:
    """Ask every question, saving each answer as it is given; return what it added up to."""
    grader = Grader(library.cards)
    pool, notices = select_pool(library, store, options)
    for said in notices:
        screen.notice(said)
    seed = options.seed or new_seed()
    plan = plan_quiz(
        library, pool, options.count, seed=seed, choices=options.choices, lang=options.lang,
        grader=grader,
    )  # fmt: skip
    info = SessionInfo(
        "quiz", options.topics, options.tags, options.mode, len(plan), options.lang, plan.seed,
        cert=options.cert, domains=options.domains,
    )  # fmt: skip
    memory = Memory(store, Scheduler())
    session = store.start_session(info, now())
    quiz = _Quiz(grader, memory, screen, now, options.lang, session, options.practice)
    interrupted = _ask_all(quiz, plan)
    store.end_session(quiz.session_id, now())
    result = QuizResult(tuple(store.session_answers(quiz.session_id)), len(plan))
    delta = change(result, store.previous_score(info, quiz.session_id))
    return QuizOutcome(quiz.session_id, info, plan, result, delta, interrupted)


def select_pool(
    library: Library, store: Store, options: QuizOptions
) -> tuple[tuple[Card, ...], list[Said]]:
    """The cards a quiz may ask (the selection, or only its missed cards with `missed`), and
    what the quiz does other than asked, to say before it starts: fewer cards than -n are all
    asked; --missed with nothing missed in the last quiz asks the weakest cards so far."""
    pool = select(library, options.topics, options.tags, options.cert, options.domains)
    if not options.missed and len(pool) >= options.count:
        return pool, []
    if not options.missed:
        return pool, [Said("fewer_cards", {"n": len(pool), "count": options.count})]
    last = store.last_quiz_missed()
    wanted = set(last or store.weakest(options.count))
    if not wanted:
        raise EmptySelectionError(Said("nothing_missed"), fix=Said("nothing_missed_fix"))
    pool = tuple(card for card in pool if card.id in wanted)
    if not pool:
        raise EmptySelectionError(Said("missed_elsewhere"), fix=Said("missed_elsewhere_fix"))
    return pool, [] if last else [Said("missed_from_weakest")]  # a few cards: no surprise


def _ask_all(quiz: _Quiz, plan: QuizPlan) -> bool:
    """Ask the questions in turn; True when Ctrl-C stopped the quiz."""
    try:
        for question in plan.questions:
            _ask(quiz, question, len(plan))
    except EOFError:
        return False
    except KeyboardInterrupt:
        quiz.screen.interrupted()
        return True
    return False


def _ask(quiz: _Quiz, question: Question, total: int) -> None:
    quiz.screen.question(question, total)
    started = time.monotonic()
    given = _read(quiz.screen, question)
    card = question.card
    verdict = quiz.grader.grade_choice(card, given, question.options, quiz.lang)
    seconds = time.monotonic() - started
    record = answer_record(card.id, question.topic, verdict, seconds, quiz.now())
    if quiz.practice:
        quiz.memory.practise(quiz.session_id, record)
    else:
        quiz.memory.answer(quiz.session_id, record)
    quiz.screen.verdict(card, verdict)


def _read(screen: QuizScreen, question: Question) -> str:
    """The answer; a letter or number that names no option is asked again."""
    while True:
        given = screen.read_answer(question)
        if not names_no_option(given, question.options):
            return given
        screen.not_an_option(given, len(question.options))


# Planning: which cards, in what order, with which options


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


def _program(command: str) -> str:
    return command.split(" ", 1)[0]


def multiple_choice(
    library: Library, card: Card, *, seed: int, lang: str, grader: Grader
) -> tuple[Choice, ...]:
    """The right answer and up to three wrong ones, shuffled; () when the card is typed anyway."""
    match card.kind:
        case CardKind.LIST:
            return ()
        case CardKind.TRUE_FALSE:
            return tuple(Choice(Words(lang)(word), word) for word in ("true", "false"))
        case CardKind.TEXT | CardKind.COMMAND:
            right = Choice(card_text(card, lang).answer, card.items[0])
            rng = random.Random(f"{seed}:{card.id}")
            wrong = _distractors(library, card, right, rng=rng, lang=lang, grader=grader)
            options = [right, *wrong[: OPTIONS - 1]]
            rng.shuffle(options)
            return tuple(options)
        case unknown:
            unreachable(unknown)


def _distractors(
    library: Library, card: Card, right: Choice, *, rng: random.Random, lang: str, grader: Grader
) -> list[Choice]:
    shown = card_text(card, lang).choices
    own = [Choice(text, original) for text, original in zip(shown, card.choices, strict=False)]
    rng.shuffle(own)
    wanted = shape(card.items[0])
    topic = library.topic_of(card.id)
    near = [
        c
        for c in library.cards
        if c.kind is card.kind and c.id != card.id and shape(c.items[0]) == wanted
    ]
    same_topic = [c for c in near if library.topic_of(c.id) == topic]
    elsewhere = [c for c in near if library.topic_of(c.id) != topic]
    rng.shuffle(same_topic)
    rng.shuffle(elsewhere)
    borrowed = [Choice(card_text(c, lang).answer, c.items[0]) for c in (*same_topic, *elsewhere)]
    tempting: list[Choice] = []
    if card.kind is CardKind.COMMAND:
        # Another tool's command gives the answer away: the card's known mistakes first, then
        # commands of the same tool (a stable sort keeps the shuffled order within each).
        tempting = [Choice(m.answer, m.answer) for m in card.mistakes]
        rng.shuffle(tempting)
        program = _program(card.items[0])
        borrowed.sort(key=lambda option: _program(option.original) != program)
    seen = {normalize(right.shown)}
    picked: list[Choice] = []
    for option in (*own, *tempting, *borrowed):
        key = normalize(option.shown)
        if key not in seen and not grader.accepts(card, option.shown):
            seen.add(key)
            picked.append(option)
    return picked
