"""How long `k8squiz stats` takes on a long history: 100,000 reviews over 2,000 cards.

The history is made with k8squiz's own scheduler (every state is a real FSRS state) and
written as a progress file, which `k8squiz progress import` loads into a temporary data
folder: about 400 days of study on a 2,000-card deck, a third of the reviews from quizzes
with their answers (some of them known mistakes). Then `k8squiz stats` is timed against
`k8squiz --help` on the same folder. Budget: stats takes under 0.5 s more than --help.

Run: python benchmarks/stats.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from k8squiz.progress.records import iso
from k8squiz.scheduler import FSRS_VERSION, Rating, Scheduler, dump
from timing import (
    Command,
    Timing,
    k8squiz_env,
    k8squiz_script,
    measure,
    positive,
    print_header,
    print_table,
    run,
)

CARDS = 2_000
REVIEWS_PER_CARD = 50
DAYS = 400
BUDGET_SECONDS = 0.5
NOW = datetime.now(timezone.utc).replace(microsecond=0)
RATINGS = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)
WEIGHTS = (12, 8, 70, 10)


def deck_text() -> str:
    """A deck of CARDS cards, each with one known mistake, in the bundled decks' format."""
    lines = ["title: Benchmark", "topic: bench", "cards:"]
    for i in range(CARDS):
        lines += [
            f"  - id: bench-{i:05d}",
            f'    question: "Which value does benchmark card {i} hold?"',
            f'    answer: "value{i}"',
            f"    explanation: Card {i} holds value{i}.",
            "    mistakes:",
            f'      - answer: "wrong{i}"',
            "        reason: A tempting wrong value.",
        ]
    return "\n".join(lines) + "\n"


def history(rng: random.Random) -> dict[str, Any]:
    """A progress file: sessions, answers and reviews, with real FSRS states."""
    sessions = [_session(day) for day in range(DAYS)]
    answers: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    scheduler = Scheduler(fuzz=False)
    for i in range(CARDS):
        _card_history(
            f"bench-{i:05d}",
            i,
            rng=rng,
            scheduler=scheduler,
            sessions=sessions,
            answers=answers,
            reviews=reviews,
        )
    return {
        "format": "k8squiz-progress",
        "version": 1,
        "sessions": sessions,
        "answers": answers,
        "reviews": reviews,
    }


def _session(day: int) -> dict[str, Any]:
    started = NOW - timedelta(days=DAYS - day)
    return {
        "uid": uuid.uuid4().hex,
        "kind": "quiz" if day % 3 == 0 else "study",
        "started_at": iso(started),
        "ended_at": iso(started + timedelta(minutes=20)),
        "selection": json.dumps({"topics": ["bench"], "tags": [], "mode": "typed"}),
        "topics": '["bench"]',
        "tags": "[]",
        "mode": "typed",
        "planned": 10,
        "lang": "en",
        "seed": day,
    }


def _card_history(
    card_id: str,
    number: int,
    *,
    rng: random.Random,
    scheduler: Scheduler,
    sessions: list[dict[str, Any]],
    answers: list[dict[str, Any]],
    reviews: list[dict[str, Any]],
) -> None:
    days = sorted(rng.sample(range(DAYS), REVIEWS_PER_CARD))
    state, before = None, None
    for day in days:
        session = sessions[day]
        at = datetime.fromisoformat(session["started_at"]) + timedelta(seconds=rng.randrange(1200))
        rating = rng.choices(RATINGS, WEIGHTS)[0]
        outcome = scheduler.review(card_id, state, rating, at)
        answer_uid = None
        if session["kind"] == "quiz":
            answer_uid = uuid.uuid4().hex
            right = rating != Rating.AGAIN
            answers.append(
                _answer(answer_uid, card_id, number, right=right, at=at, session=session["uid"])
            )
        after = dump(outcome.state)
        reviews.append(
            {
                "uid": uuid.uuid4().hex,
                "card_id": card_id,
                "source": session["kind"],
                "rating": int(rating),
                "reviewed_at": iso(at),
                "duration_ms": 4000,
                "state_before": before,
                "state_after": after,
                "fsrs_version": FSRS_VERSION,
                "session": session["uid"],
                "answer": answer_uid,
            }
        )
        state, before = outcome.state, after


def _answer(
    uid: str, card_id: str, number: int, *, right: bool, at: datetime, session: str
) -> dict[str, Any]:
    return {
        "uid": uid,
        "card_id": card_id,
        "topic": "bench",
        "given": f"value{number}" if right else f"wrong{number}",
        "correct": int(right),
        "revealed": 0,
        "mistake": None if right else f"wrong{number}",
        "seconds": 4.0,
        "answered_at": iso(at),
        "session": session,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive, default=9, help="runs per command (9)")
    args = parser.parse_args()
    k8squiz = k8squiz_script()
    print_header(
        f"k8squiz stats on {CARDS * REVIEWS_PER_CARD:,} reviews of {CARDS:,} cards", args.runs
    )
    with tempfile.TemporaryDirectory(prefix="k8squiz-bench-") as folder:
        scratch = Path(folder)
        deck = scratch / "bench.yaml"
        deck.write_text(deck_text(), encoding="utf-8")
        progress = scratch / "progress.json"
        progress.write_text(json.dumps(history(random.Random(7))), encoding="utf-8")
        env = k8squiz_env(scratch / "home")
        imported = run(Command("import", (str(k8squiz), "progress", "import", str(progress)), env))
        print(imported.stdout.decode().strip() + "\n")
        stats = Command("k8squiz stats", (str(k8squiz), "stats", "--deck", str(deck)), env)
        helps = Command("k8squiz --help", (str(k8squiz), "--help"), env)
        times = measure([helps, stats], args.runs)
    help_run = Timing(helps.label, times[helps.label])
    stats_run = Timing(stats.label, times[stats.label], note="(budget below)")
    print_table(help_run, [stats_run])
    extra = (stats_run.median_ms - help_run.median_ms) / 1000
    verdict = "yes" if extra < BUDGET_SECONDS else "NO"
    print(f"stats - --help: {extra:.3f} s (budget: under {BUDGET_SECONDS} s) within: {verdict}")


if __name__ == "__main__":
    main()
