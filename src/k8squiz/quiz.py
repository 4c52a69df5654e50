"""Running a quiz: ask, grade, save each answer as it is given, then sum up.

End of input ends the quiz cleanly (exit 0); Ctrl-C ends it too (exit 130). Either way
every answer given is already saved and the summary covers them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import msgspec.structs
from msgspec import Struct

from k8squiz.deck import Card, Library, card_text
from k8squiz.env import Env
from k8squiz.errors import EmptySelectionError, ExitStatus
from k8squiz.grading import Grader, Verdict, resolve_choice
from k8squiz.history import answer_document
from k8squiz.i18n import Words
from k8squiz.library import load_library
from k8squiz.memory import Memory
from k8squiz.records import AnswerRecord, SessionInfo
from k8squiz.scheduler import Scheduler
from k8squiz.screens import Screen
from k8squiz.session import Question, QuizPlan, QuizResult, change, new_seed, plan_quiz
from k8squiz.store import Store


class QuizOptions(Struct, frozen=True):
    """What `k8squiz quiz` was asked for."""

    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int = 10
    seed: int | None = None
    choices: bool = False
    missed: bool = False
    lang: str = "en"
    json: bool = False
    decks: tuple[Path, ...] = ()

    @property
    def mode(self) -> str:
        return ("choices" if self.choices else "typed") + ("+missed" if self.missed else "")


class _Quiz(Struct):
    env: Env
    library: Library
    grader: Grader
    store: Store
    memory: Memory
    screen: Screen
    info: SessionInfo
    session_id: int


def run(env: Env, options: QuizOptions) -> ExitStatus:
    """Run a whole quiz and print its summary (or its JSON); return the exit status."""
    library = load_library(options.decks, env.environ, env.cache_dir)
    with Store.open(env.db_path) as store:
        return _run(env, options, library, store)


def _run(env: Env, options: QuizOptions, library: Library, store: Store) -> ExitStatus:
    grader = Grader(library.cards)
    pool = _pool(library, store, options)
    plan = plan_quiz(
        library,
        pool,
        options.count,
        seed=options.seed or new_seed(),
        choices=options.choices,
        lang=options.lang,
        grader=grader,
    )
    info = SessionInfo(
        "quiz", options.topics, options.tags, options.mode, len(plan), options.lang, plan.seed
    )
    quiz = _Quiz(
        env,
        library,
        grader,
        store,
        Memory(store, Scheduler()),
        Screen(env, Words(options.lang), to_stderr=options.json),
        info,
        store.start_session(info, env.now()),
    )
    status = _ask_all(quiz, plan)
    store.end_session(quiz.session_id, env.now())
    _finish(quiz, plan, options, interrupted=status == ExitStatus.INTERRUPTED)
    return status


def _pool(library: Library, store: Store, options: QuizOptions) -> tuple[Card, ...]:
    pool = library.select(options.topics, options.tags)
    if options.missed:
        wanted = set(store.last_quiz_missed() or store.weakest(options.count))
        pool = tuple(card for card in pool if card.id in wanted)
        if not pool:
            raise EmptySelectionError(
                "no missed card to quiz: the last quiz had none wrong and no card was ever missed",
                fix="take a quiz first, or drop --missed",
            )
    if not pool:
        raise EmptySelectionError(
            "no card matches these topics and tags", fix="see 'k8squiz topics --tags'"
        )
    return pool


def _ask_all(quiz: _Quiz, plan: QuizPlan) -> ExitStatus:
    try:
        for question in plan.questions:
            _ask(quiz, question, len(plan))
    except EOFError:
        return ExitStatus.OK
    except KeyboardInterrupt:
        quiz.screen.out.print()
        return ExitStatus.INTERRUPTED
    return ExitStatus.OK


def _ask(quiz: _Quiz, question: Question, total: int) -> None:
    card, screen = question.card, quiz.screen
    title = f"{question.topic} · {screen.words('question_of', n=question.number, total=total)}"
    progress = (question.number - 1, total)
    screen.question(card, title=title, progress=progress, options=question.options)
    started = time.monotonic()
    given = screen.answer_prompt(card, question.options)
    verdict = _grade(quiz.grader, question, given, screen.words.lang)
    _save(quiz, question, verdict, time.monotonic() - started)
    screen.verdict(card, verdict)


def _grade(grader: Grader, question: Question, given: str, lang: str) -> Verdict:
    """A typed answer, or the option picked by letter, number or text."""
    shown = [option.shown for option in question.options]
    picked = resolve_choice(given, shown) if shown else None
    option = question.options[shown.index(picked)] if picked is not None else None
    verdict = grader.grade(question.card, picked or given, lang)
    if option is None or verdict.correct or verdict.mistakes or option.original == option.shown:
        return verdict
    # A translated option: its known mistake is written in the deck's own language.
    mistakes = grader.matches_mistake(question.card, option.original)
    return msgspec.structs.replace(verdict, mistakes=mistakes)


def _save(quiz: _Quiz, question: Question, verdict: Verdict, seconds: float) -> None:
    answer = AnswerRecord(
        card_id=question.card.id,
        topic=question.topic,
        given=verdict.given,
        correct=verdict.correct,
        revealed=verdict.revealed,
        mistake=verdict.mistakes[0].answer if verdict.mistakes else None,
        seconds=seconds,
        answered_at=quiz.env.now(),
    )
    quiz.memory.answer(quiz.session_id, answer)


def _finish(quiz: _Quiz, plan: QuizPlan, options: QuizOptions, *, interrupted: bool) -> None:
    result = QuizResult(tuple(quiz.store.session_answers(quiz.session_id)), len(plan))
    delta = change(result, quiz.store.previous_score(quiz.info, quiz.session_id))
    if options.json:
        from k8squiz.ui import dump_json

        dump_json(quiz.env, _document(quiz, plan, result, delta, interrupted))
        return
    quiz.screen.quiz_summary(quiz.library, result, delta, seed=plan.seed)


def _document(
    quiz: _Quiz, plan: QuizPlan, result: QuizResult, delta: float | None, interrupted: bool
) -> dict[str, Any]:
    lang = quiz.info.lang
    return {
        "kind": "quiz",
        "session": quiz.session_id,
        "seed": plan.seed,
        "lang": lang,
        "topics": list(quiz.info.topics),
        "tags": list(quiz.info.tags),
        "mode": quiz.info.mode,
        "planned": len(plan),
        "answered": result.answered,
        "correct": result.correct,
        "percent": round(result.percent, 1),
        "seconds": round(result.seconds, 1),
        "complete": result.complete,
        "interrupted": interrupted,
        "change": None if delta is None else round(delta, 1),
        "by_topic": [
            {"topic": t.topic, "correct": t.correct, "answered": t.answered}
            for t in result.by_topic()
        ],
        "answers": [_answer_entry(quiz.library, a, lang) for a in result.answers],
    }


def _answer_entry(library: Library, answer: AnswerRecord, lang: str) -> dict[str, Any]:
    card = library.card(answer.card_id)
    text = card_text(card, lang) if card else None
    return {
        **answer_document(answer),
        "question": text.question if text else None,
        "expected": text.answer if text else None,
    }
