"""A quiz read without Typer is the quiz Typer would have run, or is left to Typer."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import typer.main
from hypothesis import given
from hypothesis import strategies as st

from k8squiz.cli import quick, sessions
from k8squiz.cli.app import stored_int
from k8squiz.cli.commands import app, run_app
from k8squiz.cli.quick import QUIZ, STORED_INT, Kind, QuizArgs, read_quiz
from tests.conftest import CLI

# Click's parameter types by name (Click 8.1 says "text" and "integer" where later say "str"
# and "int")
KINDS = {"boolean": Kind.FLAG, "text": Kind.TEXT, "str": Kind.TEXT, "choice": Kind.CHOICE}
KINDS |= {"path": Kind.PATH} | dict.fromkeys(
    ["integer", "int", "integer range", "int range"], Kind.INT
)


def _declared() -> list[dict[str, Any]]:
    """The quiz's options as Typer builds them from cli/sessions.py."""
    command = typer.main.get_command(app).commands["quiz"]  # type: ignore[attr-defined]
    return [
        {
            "name": p.name,
            "opts": tuple(p.opts),
            "secondary_opts": tuple(p.secondary_opts),
            "kind": KINDS[p.type.name],
            "multiple": p.multiple,
            "default": p.default,
            "choices": tuple(getattr(p.type, "choices", ())),
            "bounds": (getattr(p.type, "min", None), getattr(p.type, "max", None)),
        }
        for p in command.params
        if p.name != "help"
    ]


def _table() -> list[dict[str, Any]]:
    return [
        {
            "name": o.name,
            "opts": o.opts,
            "secondary_opts": o.secondary_opts,
            "kind": o.kind,
            "multiple": o.multiple,
            "default": o.default,
            "choices": o.choices,
            "bounds": (None, None) if o.name == "seed" else (o.low, o.high),
        }
        for o in QUIZ
    ]


def test_the_table_has_every_option_typer_declares_for_the_quiz() -> None:
    """Names, spellings, kinds, defaults, choices and bounds: an option added to the quiz
    and not to `quick.QUIZ` fails here, instead of being refused by the quick reader."""
    assert _table() == _declared()


def test_the_seeds_bounds_are_those_typer_checks() -> None:
    """--seed's range is checked by a callback in Typer and by bounds in the table."""
    seed = next(o for o in QUIZ if o.name == "seed")
    assert (seed.low, seed.high) == STORED_INT
    assert stored_int(STORED_INT[1]) == STORED_INT[1]
    with pytest.raises(typer.BadParameter):
        stored_int(STORED_INT[1] + 1)


def read_by_typer(args: list[str]) -> QuizArgs | None:
    """What Typer hands the quiz for `k8squiz quiz ARGS`; None when it refuses the line
    (or shows help)."""
    seen: list[QuizArgs] = []

    def record(given: QuizArgs) -> int:
        seen.append(given)
        return 0

    with mock.patch.object(sessions, "run_quiz_command", record):
        try:
            run_app(["quiz", *args])
        except Exception:  # a usage error: Click's to show
            return None
    return seen[0] if seen else None


SPELLINGS = [s for o in QUIZ for s in o.opts]
ODD = ["--no-json", "-h", "--help", "--", "-", "--debug", "--topics", "-n5", "-tports", "-cn"]
VALUES = [
    "", "0", "1", "3", "10", "-1", "+5", " 5", "1_0", "\u0663", "007", "kcna", "cka", "KCNA",
    "ports", "a b", "x=y", "./decks", "ü", str(STORED_INT[1]), str(STORED_INT[1] + 1),
    str(STORED_INT[0]), str(STORED_INT[0] - 1), "--json", "-t", "-n",
]  # fmt: skip
TOKEN = st.one_of(
    st.sampled_from(SPELLINGS),
    st.sampled_from(ODD),
    st.sampled_from(VALUES),
    st.builds(lambda s, v: f"{s}={v}", st.sampled_from(SPELLINGS), st.sampled_from(VALUES)),
    st.text(max_size=6),
)


@given(st.lists(TOKEN, max_size=7))
def test_the_quick_reader_never_reads_a_line_otherwise_than_typer(args: list[str]) -> None:
    """Whatever the line, `read_quiz` gives what Typer would, or steps aside (None)."""
    quick_read = read_quiz(["quiz", *args])
    if quick_read is not None:
        assert read_by_typer(args) == quick_read


@given(
    st.lists(
        st.one_of(
            st.tuples(st.sampled_from(SPELLINGS), st.sampled_from(VALUES)).map(" ".join),
            st.sampled_from(SPELLINGS),
        ),
        max_size=5,
    ).map(lambda parts: " ".join(parts).split())
)
def test_lines_made_of_options_and_values_agree_with_typer(args: list[str]) -> None:
    """Lines of known options and values, the ones learners type, agree as well."""
    quick_read = read_quiz(["quiz", *args])
    if quick_read is not None:
        assert read_by_typer(args) == quick_read


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["-n", "1", "--topic", "ports"],
        ["-n", "1", "--topic", "ports", "--json"],
        ["--topic=ports", "-t", "services", "--tag", "exam", "--choices", "--seed", "42"],
        ["-c", "kcna", "--domain", "Kubernetes Fundamentals", "--practice", "-l", "pt-BR"],
        ["--missed", "-d", "./my-decks", "--deck", "extra.yaml", "--count", "5"],
    ],
)
def test_the_lines_learners_and_scripts_type_are_read_without_typer(args: list[str]) -> None:
    """The common spellings take the quick path, and read as Typer reads them."""
    quick_read = read_quiz(["quiz", *args])
    assert quick_read is not None
    assert read_by_typer(args) == quick_read


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-n", "0"],
        ["-n5"],
        ["--json=yes"],
        ["--cert", "KCNA"],
        ["--topic"],
        ["--", "--topic", "ports"],
        ["extra"],
        ["--seed", str(STORED_INT[1] + 1)],
    ],
)
def test_help_and_usage_errors_are_left_to_typer(args: list[str]) -> None:
    """Help and every line Typer refuses go to Typer, which explains them."""
    assert read_quiz(["quiz", *args]) is None


def test_only_the_quiz_is_read_quickly() -> None:
    """Root options and other commands go to Typer."""
    assert read_quiz(["--debug", "quiz"]) is None
    assert read_quiz(["study", "-n", "1"]) is None
    assert read_quiz([]) is None


def test_a_quiz_repeats_with_the_options_it_was_given(cli: CLI) -> None:
    """The seed hint after a quick quiz names the options given, as after a Typer one."""
    run = cli("quiz", "-n", "2", "--topic=ports", "-d", "missing-folder", stdin="?\n?\n")
    assert run.code != 0  # the deck folder does not exist: an error, and no hint
    run = cli("quiz", "-n", "2", "--topic=ports", "--choices", stdin="?\n?\n")
    assert run.code == 0
    hint = run.lines[-1]
    assert hint.endswith("asks the same questions again")
    assert "k8squiz quiz --topic ports --count 2 --choices --seed " in hint


def test_a_deck_path_is_given_to_the_quiz_as_typed(tmp_path: Path) -> None:
    """A relative deck path reaches the quiz as the path Typer would give it."""
    assert read_quiz(["quiz", "-d", "decks/"]) == QuizArgs(deck=(Path("decks"),))
    assert quick.read_quiz(["quiz", "--deck=./a.yaml"]) == read_by_typer(["--deck=./a.yaml"])
