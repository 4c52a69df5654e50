"""Shared fixtures: an isolated data folder for every test, and the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Run:
    """What a k8squiz process printed, and how it exited."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own K8SQUIZ_HOME, English, no colour, no extra decks."""
    folder = tmp_path / "home"
    monkeypatch.setenv("K8SQUIZ_HOME", str(folder))
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("K8SQUIZ_DECKS", "K8SQUIZ_LANG", "K8SQUIZ_NOW", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    return folder


CLI = Callable[..., Run]


@pytest.fixture
def cli() -> CLI:
    """Run `python -m k8squiz ARGS` with `stdin` text; extra environment variables as `env`."""

    def run(
        *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "k8squiz", *args],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, **(env or {})},
            cwd=cwd,
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[..., Path]:
    """Write a deck file from (dedented) YAML text and return its path."""

    def write(text: str, name: str = "deck.yaml", folder: Path | None = None) -> Path:
        path = (folder or tmp_path / "decks") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
