"""What k8squiz does to start fast changes nothing a learner, a script or a caller sees."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import k8squiz.modes.quiz
from k8squiz.cli.common import prepare
from k8squiz.env import Env
from tests._main import run_main


def test_the_collector_runs_during_a_session_and_after_main(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Start-up runs without the garbage collector; the questions are asked with it on, and
    a caller of `main` gets it back on."""
    seen: list[bool] = []
    real = k8squiz.modes.quiz.run_quiz

    def run_quiz(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(k8squiz.modes.quiz, "run_quiz", run_quiz)
    ran = run_main("quiz", "-n", "1", "--topic", "ports", stdin=b"?\n")
    assert ran.code == 0
    assert seen == [True]
    assert gc.isenabled()


def test_loading_the_decks_ends_start_up() -> None:
    """Every command that loads decks turns the collector back on."""
    gc.disable()
    try:
        prepare(Env(), None)
        assert gc.isenabled()
    finally:
        gc.enable()


def _program(*args: str, stdin: str, stdout: Path) -> int:
    """`python -m k8squiz ARGS` as a program, its output in a file; its exit status."""
    with stdout.open("wb") as out:
        done = subprocess.run(
            [sys.executable, "-m", "k8squiz", *args],
            input=stdin.encode(),
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    return done.returncode


def test_a_program_that_ends_early_still_delivers_everything(tmp_path: Path) -> None:
    """The process ends without Python's teardown, yet a large output redirected to a file
    arrives whole, the answers are in the database, and the exit status is the command's."""
    out = tmp_path / "out.json"  # a file: written in blocks, unlike a terminal
    assert _program("quiz", "-n", "30", "--json", stdin="?\n" * 30, stdout=out) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["answers"]) == 30
    assert _program("history", "--json", stdin="", stdout=out) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["sessions"][0]["answered"] == 30
    assert _program("quiz", "--topic", "no-such-topic", stdin="", stdout=out) == 2
