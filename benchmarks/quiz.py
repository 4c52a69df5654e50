"""How long a whole quiz takes when its answers come from a pipe.

`k8squiz quiz -n 10 --seed 1` reads ten answers from stdin (half right, half wrong), grades
each, saves each to the database and prints the summary: the work of a real quiz without
the person. `quiz -n 1 --topic ports`, plain and with `--json`, is the shortest quiz there
is: what a script or a test harness pays per call; `quiz -n 1 --topic commands` is the same
with a command card, whose grading loads the tool model (cached after the first run). They
run in one temporary data folder kept across runs, so after the first run the database and
the deck cache exist, as they do for a learner on their second day.

The floor is the one of startup.py, a fresh Python doing `import typer, rich.console, yaml`:
everything past it is k8squiz's own work. Budgets: the ten-question quiz within 1.5x of the
floor, a one-question quiz (plain or --json) within 0.85x: from a pipe k8squiz loads neither
Typer, Rich nor PyYAML. The ratio to `k8squiz --help` is printed too: what a quiz adds to
k8squiz's own startup. So is `python -c "import typer"`, unbudgeted: the part of the floor
that a quiz read without Typer (cli/quick.py) skips and every other command pays.

Run: python benchmarks/quiz.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from timing import (
    FLOOR_LABEL,
    Command,
    Timing,
    floor_command,
    k8squiz_env,
    k8squiz_script,
    measure,
    positive,
    print_header,
    print_table,
    run,
)

BUDGET = 1.5
ONE_BUDGET = 0.85
QUESTIONS = 10
HELP = "k8squiz --help"
TYPER = 'python -c "import typer"'
QUIZ = f"k8squiz quiz -n {QUESTIONS} --seed 1 < answers"
ONE = "k8squiz quiz -n 1 --topic ports < answer"
ONE_JSON = "k8squiz quiz -n 1 --topic ports --json < answer"
ONE_COMMAND = "k8squiz quiz -n 1 --topic commands < answer"
WRONG = ("6443", "kubelet", "?")  # plausible wrong answers, and `?` (reveal)


def quiz_argv(k8squiz: Path, *extra: str) -> tuple[str, ...]:
    """The seeded quiz's command line."""
    return (str(k8squiz), "quiz", "-n", str(QUESTIONS), "--seed", "1", *extra)


def expected_answers(k8squiz: Path, scratch: Path) -> list[str]:
    """The answers the seeded quiz expects, from a `--json` run in a throwaway data folder."""
    env = k8squiz_env(scratch / "probe")
    probe = Command("probe", quiz_argv(k8squiz, "--json"), env, stdin=b"?\n" * QUESTIONS)
    document = json.loads(run(probe).stdout)
    return [answer["expected"] for answer in document["answers"]]


def answer_lines(expected: list[str]) -> bytes:
    """The right answer to even-numbered questions, a wrong one to the others."""
    lines = []
    for number, right in enumerate(expected):
        wrong = next(w for w in WRONG if w.casefold() != right.casefold())
        lines.append(right if number % 2 == 0 else wrong)
    return "".join(f"{line}\n" for line in lines).encode()


def warm_up(quiz: Command) -> None:
    """One quiz with `--json` to create the database and cache, and to check the grading."""
    with_json = Command("warm-up", (*quiz.argv, "--json"), quiz.env, quiz.stdin)
    document = json.loads(run(with_json).stdout)
    print(f"answers: {document['answered']} given, {document['correct']} graded correct\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive, default=15, help="runs per command (15)")
    args = parser.parse_args()
    k8squiz = k8squiz_script()
    print_header(f"k8squiz quiz: {QUESTIONS} questions answered from a pipe", args.runs)
    with tempfile.TemporaryDirectory(prefix="k8squiz-bench-") as folder:
        scratch = Path(folder)
        env = k8squiz_env(scratch / "home")
        answers = answer_lines(expected_answers(k8squiz, scratch))
        quiz = Command(QUIZ, quiz_argv(k8squiz), env, stdin=answers)
        warm_up(quiz)
        one = (str(k8squiz), "quiz", "-n", "1", "--seed", "1")
        commands = [
            floor_command(env),
            Command(TYPER, (sys.executable, "-c", "import typer"), env),
            Command(HELP, (str(k8squiz), "--help"), env),
            quiz,
            Command(ONE, (*one, "--topic", "ports"), env, stdin=b"6443\n"),
            Command(ONE_JSON, (*one, "--topic", "ports", "--json"), env, stdin=b"6443\n"),
            Command(ONE_COMMAND, (*one, "--topic", "commands"), env, stdin=b"kubectl get pods\n"),
        ]
        times = measure(commands, args.runs)
    typer_run = Timing(TYPER, times[TYPER], note="(a quiz read without Typer skips it)")
    help_run = Timing(HELP, times[HELP], note="(not budgeted)")
    quiz_run = Timing(QUIZ, times[QUIZ], BUDGET)
    one_runs = [Timing(label, times[label], ONE_BUDGET) for label in (ONE, ONE_JSON)]
    one_runs.append(Timing(ONE_COMMAND, times[ONE_COMMAND], note="(grades a command)"))
    floor = Timing(FLOOR_LABEL, times[FLOOR_LABEL])
    print_table(floor, [typer_run, help_run, quiz_run, *one_runs])
    print(f"quiz / --help: {quiz_run.median_ms / help_run.median_ms:.2f}x (medians)")


if __name__ == "__main__":
    main()
