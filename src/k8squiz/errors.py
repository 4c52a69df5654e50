"""The one exception family k8squiz raises, each with an exit status and a fix."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from k8squiz.i18n import Said, Words


class ExitStatus(IntEnum):
    """Exit codes, documented in the README."""

    OK = 0
    ERROR = 1  # a failure, or problems found by `validate`
    USAGE = 2  # a bad option, an unknown topic or tag
    INTERRUPTED = 130  # Ctrl-C


class K8sQuizError(Exception):
    """An expected failure: shown as one line (what, where, how to fix), never a traceback.

    The message and the fix are text, or `Said` (a key of the program's words): those are
    shown in the learner's language (`shown`), and are English everywhere else."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str | Said, *, where: str = "", fix: str | Said = "") -> None:
        from k8squiz.i18n import Said, Words

        english = Words()
        self.said = (
            message if isinstance(message, Said) else None,
            fix if isinstance(fix, Said) else None,
        )
        self.message = message.text(english) if isinstance(message, Said) else message
        self.where = where
        self.fix = fix.text(english) if isinstance(fix, Said) else fix
        super().__init__(self.message)

    def shown(self, words: Words) -> str:
        """The line, in the language of `words` where it was written as Said."""
        said, said_fix = self.said
        message = said.text(words) if said else self.message
        fix = said_fix.text(words) if said_fix else self.fix
        text = f"{self.where}: {message}" if self.where else message
        return f"{text} ({fix})" if fix else text

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
