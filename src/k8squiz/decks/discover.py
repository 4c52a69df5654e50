"""Where decks are found: the bundled ones, `--deck` paths and K8SQUIZ_DECKS, and the files
inside a folder."""

from __future__ import annotations

import errno
import os
import stat
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


# What `stat` says a path is, for a file that is not a regular one.
_KINDS = (
    (stat.S_ISDIR, "Is a directory"),
    (stat.S_ISFIFO, "it is a FIFO (a named pipe), not a regular file"),
    (stat.S_ISCHR, "it is a character device, not a regular file"),
    (stat.S_ISBLK, "it is a block device, not a regular file"),
    (stat.S_ISSOCK, "it is a socket, not a regular file"),
)
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO or a device never waits for a writer
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class RefusedFileError(Exception):
    """A file that is not read: not a regular file, or larger than allowed."""

    def __init__(self, reason: str, *, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size  # set when the file is too large


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; RefusedFileError for anything else
    (OSError when it cannot be opened or read).

    A FIFO would wait for a writer for ever and a device such as /dev/zero never ends, so
    the kind is checked before opening (a FIFO is never opened) and on the opened file (it
    cannot have been swapped in between), and no more than `limit` + 1 bytes are read,
    whatever size the file claims.
    """
    _refuse_special(path.stat().st_mode)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        _refuse_special(info.st_mode)
        _refuse_size(info.st_size, limit)
        data = _read_at_most(fd, limit + 1)
    finally:
        os.close(fd)
    _refuse_size(len(data), limit)  # the file grew, or its size was not its length
    return data


def _refuse_special(mode: int) -> None:
    for test, reason in _KINDS:
        if test(mode):
            raise RefusedFileError(reason)
    if not stat.S_ISREG(mode):
        raise RefusedFileError("it is not a regular file")


def _refuse_size(size: int, limit: int) -> None:
    if size > limit:
        raise RefusedFileError(f"{size:,} bytes, over the limit of {limit:,}", size=size)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 4 * 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
