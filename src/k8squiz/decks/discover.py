"""Where decks are found: the bundled ones, `--deck` paths and K8SQUIZ_DECKS, and the files
inside a folder."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from msgspec import Struct

DECK_SUFFIXES = (".yaml", ".yml")
LOOP = "a symbolic link loop (a link that leads back to itself); not read"
OUTSIDE = "a symbolic link that leaves the folder; not read"


def bundled_dir() -> Path:
    """The decks shipped with k8squiz: inside the wheel, or at the top of a source checkout."""
    package = Path(__file__).parents[1]
    installed = package / "decks" / "bundled"
    return installed if installed.is_dir() else package.parents[1] / "decks"


class DeckSource(Struct, frozen=True):
    """A path to load decks from, and how to name where its decks came from."""

    path: Path
    origin: str  # "bundled" or the path as the user gave it

    @property
    def bundled(self) -> bool:
        return self.origin == "bundled"


def bundled() -> DeckSource:
    """The decks shipped with k8squiz."""
    return DeckSource(bundled_dir(), "bundled")


def deck_sources(deck_options: Sequence[Path], environ: Mapping[str, str]) -> list[DeckSource]:
    """The bundled decks, then `--deck` paths, then K8SQUIZ_DECKS."""
    user = [DeckSource(p, str(p)) for p in user_deck_paths(deck_options, environ)]
    return [bundled(), *user]


def user_deck_paths(options: Sequence[Path], environ: Mapping[str, str]) -> list[Path]:
    """`--deck` paths first, then the entries of K8SQUIZ_DECKS (an os.pathsep list)."""
    from_env = [Path(p) for p in environ.get("K8SQUIZ_DECKS", "").split(os.pathsep) if p]
    return [*options, *from_env]


def deck_files(path: Path) -> Iterator[Path]:
    """A deck file itself, or the deck files directly inside a folder, sorted by name; OSError
    when the folder cannot be listed."""
    if path.is_dir():
        yield from sorted(
            p for p in path.iterdir() if p.suffix in DECK_SUFFIXES and not p.name.startswith(".")
        )
    else:
        yield path


def missing(path: Path) -> str:
    """Why `path` cannot be found, or "" when it can: a loop and a dangling link say so."""
    try:
        path.stat()
    except ValueError:  # a NUL, or a character the file system's encoding cannot hold
        return "no such file or folder (the name cannot be a file's)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LOOP
        if path.is_symlink():
            return "a symbolic link to nothing (its target does not exist); not read"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "no such file or folder"
        return f"cannot read it: {exc.strerror or type(exc).__name__}"
    return ""


def link_refusal(file: Path, folder: Path) -> str:
    """Why a deck file found inside `folder` is not read, or "" when it may be.

    A symbolic link is followed only to a file inside the folder given: a link to `~/.env` or
    `/etc/passwd` in a deck repository is never opened, so a CI log cannot show its contents.
    A folder given by name (or through a link) is the user's choice, and is always read.
    """
    if not file.is_symlink():
        return ""
    reason = missing(file)
    if reason == LOOP:
        return reason
    target = Path(os.path.realpath(file))  # where the link leads, found without reading it
    return OUTSIDE if not target.is_relative_to(os.path.realpath(folder)) else reason
