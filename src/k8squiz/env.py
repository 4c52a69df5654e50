"""Everything k8squiz takes from the world it runs in, as one object tests can replace."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

import msgspec
from msgspec import Struct

from k8squiz.errors import UsageError
from k8squiz.i18n import Said

LANGUAGES = ("en", "pt-BR")
# The years K8SQUIZ_NOW may name: FSRS schedules a review up to 100 years ahead and `stats`
# looks back over a year, and Python's dates end in year 9999.
FIRST_YEAR, LAST_YEAR = 1970, 9000


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Env(Struct, frozen=True):
    """Streams, terminal, variables, data folder and clock of one run."""

    stdin: TextIO = msgspec.field(default_factory=lambda: sys.stdin)
    stdout: TextIO = msgspec.field(default_factory=lambda: sys.stdout)
    stderr: TextIO = msgspec.field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = msgspec.field(default_factory=lambda: dict(os.environ))
    clock: Callable[[], datetime] = utc_now

    @property
    def interactive(self) -> bool:
        """A person at a terminal: both stdin and stdout are terminals."""
        return isatty(self.stdin) and isatty(self.stdout)

    @property
    def color(self) -> bool:
        """Colour unless NO_COLOR is set to anything (https://no-color.org)."""
        return "NO_COLOR" not in self.environ

    @property
    def home(self) -> Path | None:
        """K8SQUIZ_HOME, when set: it holds the data and the cache both."""
        home = self.environ.get("K8SQUIZ_HOME")
        return Path(home).expanduser() if home else None

    @property
    def data_dir(self) -> Path:
        """K8SQUIZ_HOME, or the platform's user data folder."""
        if self.home is not None:
            return self.home
        import platformdirs

        return platformdirs.user_data_path("k8squiz", appauthor=False)

    @property
    def cache_dir(self) -> Path:
        """K8SQUIZ_HOME/cache, or the platform's user cache folder."""
        if self.home is not None:
            return self.home / "cache"
        import platformdirs

        return platformdirs.user_cache_path("k8squiz", appauthor=False)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "k8squiz.db"

    def now(self) -> datetime:
        """The current time, UTC-aware; K8SQUIZ_NOW (ISO 8601, with offset) fixes it for tests."""
        fixed = self.environ.get("K8SQUIZ_NOW")
        if not fixed:
            return self.clock()
        return _fixed_time(fixed)

    def lang(self, option: str | None = None) -> str:
        """--lang, then K8SQUIZ_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG); else English."""
        if option:
            return parse_lang(option, strict=True)
        if chosen := self.environ.get("K8SQUIZ_LANG"):
            return parse_lang(chosen, strict=True)
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            if value := self.environ.get(name):
                return parse_lang(value, strict=False)
        return "en"


def _fixed_time(fixed: str) -> datetime:
    """K8SQUIZ_NOW as a UTC time, if it is an ISO 8601 time with an offset in a year k8squiz
    can schedule in."""
    example = "e.g. K8SQUIZ_NOW=2026-01-31T09:00:00Z"
    try:
        parsed = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise UsageError(
            f"K8SQUIZ_NOW='{fixed}' is not an ISO 8601 time with an offset", fix=example
        )
    try:
        moment = parsed.astimezone(timezone.utc)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past the last year Python knows
        moment = datetime.max.replace(tzinfo=timezone.utc)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise UsageError(
            f"K8SQUIZ_NOW='{fixed}' is outside the years k8squiz can schedule in"
            f" ({FIRST_YEAR} to {LAST_YEAR}: reviews go up to a century ahead)",
            fix=example,
        )
    return moment


def parse_lang(value: str, *, strict: bool) -> str:
    """'pt_BR.UTF-8', 'pt-br' or 'pt' -> 'pt-BR'; 'en_US' -> 'en'."""
    base = value.split(".", maxsplit=1)[0].split("@", maxsplit=1)[0].replace("_", "-").lower()
    if base.startswith("pt"):
        return "pt-BR"
    if base.startswith("en") or base in ("c", "posix") or not strict:
        return "en"
    values = {"name": value, "known": ", ".join(LANGUAGES)}
    raise UsageError(Said("unknown_lang", values), fix=Said("unknown_lang_fix"))


def isatty(stream: TextIO) -> bool:
    """Whether `stream` is a terminal; False for a closed stream or one that cannot say."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
