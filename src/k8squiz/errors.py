"""The one exception family k8squiz raises, each with an exit status and a fix."""

from __future__ import annotations

from enum import IntEnum
from typing import NoReturn


class ExitStatus(IntEnum):
    """Exit codes, documented in the README."""

    OK = 0
    ERROR = 1  # a failure, or problems found by `validate`
    USAGE = 2  # a bad option, an unknown topic or tag
    INTERRUPTED = 130  # Ctrl-C


class K8sQuizError(Exception):
    """An expected failure: shown as one line (what, where, how to fix), never a traceback."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str, *, where: str = "", fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.fix = fix

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} ({self.fix})" if self.fix else text


class DeckError(K8sQuizError):
    """A deck file that cannot be loaded; `validate` lists every problem."""


class UsageError(K8sQuizError):
    """The command line asked for something that does not exist (a topic, a tag, -n 0)."""

    exit_status = ExitStatus.USAGE


class EmptySelectionError(K8sQuizError):
    """The options were valid but no card is left to ask."""


class StoreError(K8sQuizError):
    """The progress database cannot be opened, read or written."""


def unreachable(value: NoReturn) -> NoReturn:
    """The default branch of an exhaustive match: mypy proves it is never reached."""
    raise AssertionError(f"unhandled member: {value!r}")


class EmptyExportError(UsageError):
    """An export's topics, tags and certification leave no card to write (exit 2)."""


class ExportError(K8sQuizError):
    """An export file cannot be written, or would overwrite a file k8squiz did not write."""
