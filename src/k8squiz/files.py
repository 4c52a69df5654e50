"""Writing files so that a crash never leaves half of one, and only over regular files; and
caches that only save time.

The data goes to a temporary file beside the target, is flushed to disk, then moved into
place. A symbolic link is written through: its target gets the new file (atomically, in the
target's folder), and the link stays, so a file synced from elsewhere is updated where it
lives. A file with other hard links is rewritten in place once the new data is complete,
since moving a new file there would leave the other names with the old data. A device, a
FIFO, a socket or a folder is never written: `NotARegularFileError` says which it is.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Generic, TypeVar

import msgspec

T = TypeVar("T")
CACHE_MAX_BYTES = 1024 * 1024 * 1024  # a cache is read no further, whatever is there


READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO or a device never waits for a writer
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class NotARegularFileError(OSError):
    """The target exists and is not a regular file; nothing was written."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then move it into place."""
    with atomic_writer(path) as out:
        out.write(data)


@contextmanager
def atomic_writer(path: Path) -> Iterator[IO[bytes]]:
    """A binary file whose content replaces `path` only when the block ends without error."""
    target = regular_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    existing = _stat(target)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            if existing is not None:
                os.fchmod(out.fileno(), stat.S_IMODE(existing.st_mode))
            os.fsync(out.fileno())
        if existing is not None and existing.st_nlink > 1:
            _rewrite_in_place(temporary, target)
            temporary.unlink()
        else:
            temporary.replace(target)
        _sync_folder(target.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def regular_target(path: Path) -> Path:
    """The file that writing `path` changes: a link's target; refused if not a regular file."""
    target = Path(os.path.realpath(path))
    found = _stat(target)
    if found is not None and not stat.S_ISREG(found.st_mode):
        kind = file_kind(found.st_mode)
        raise NotARegularFileError(
            errno.EINVAL,
            f"it is {kind}, not a regular file; k8squiz writes only regular files",
            str(path),
        )
    return target


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def open_regular(path: Path) -> IO[bytes]:
    """`path` opened for reading, only if it is a regular file (a link to one is fine):
    NotARegularFileError for a folder, device, FIFO or socket, which would never end or wait
    for a writer for ever. The kind is checked on the opened file too, and opening never
    waits (O_NONBLOCK), so nothing swapped in between can hang the read."""
    fd, _ = _open_checked(path, lambda mode: _readable(path, mode))
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


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
    fd, info = _open_checked(path, _refuse_special)
    try:
        _refuse_size(info.st_size, limit)
        data = _read_at_most(fd, limit + 1)
    finally:
        os.close(fd)
    _refuse_size(len(data), limit)  # the file grew, or its size was not its length
    return data


def _open_checked(path: Path, refuse: Callable[[int], None]) -> tuple[int, os.stat_result]:
    """A descriptor of `path` and what it is, once `refuse` has seen its kind before opening
    (a FIFO is never opened, a socket cannot be) and on the opened file (nothing can have
    been swapped in between)."""
    refuse(path.stat().st_mode)
    fd = os.open(path, READ_FLAGS)
    try:
        info = os.fstat(fd)
        refuse(info.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def _refuse_special(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise RefusedFileError("Is a directory")  # as the system says it of a folder
    if not stat.S_ISREG(mode):
        raise RefusedFileError(f"it is {file_kind(mode)}, not a regular file")


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


def _readable(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotARegularFileError(
            errno.EINVAL,
            f"it is {file_kind(mode)}, not a regular file; k8squiz reads only regular files",
            str(path),
        )


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in a learner's words."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def _rewrite_in_place(source: Path, target: Path) -> None:
    """Copy the finished `source` over `target` itself, keeping its other hard links."""
    with source.open("rb") as data, target.open("r+b") as out:
        shutil.copyfileobj(data, out, 1 << 20)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _Cached(msgspec.Struct, Generic[T]):
    key: str  # what the value was made from: a different key is a miss
    value: T


def read_cache(path: Path, key: str, kind: type[T]) -> T | None:
    """The value cached at `path` for `key`; None when missing, stale or damaged."""
    try:
        data = read_regular(path, CACHE_MAX_BYTES)  # a FIFO or /dev/zero there is a miss
        cached = msgspec.msgpack.decode(data, type=_Cached[kind])  # type: ignore[valid-type]
    except (OSError, ValueError, RefusedFileError, msgspec.DecodeError):
        return None
    return cached.value if cached.key == key else None


def write_cache(path: Path, key: str, value: object) -> None:
    """Cache `value` for `key` at `path`; a folder that cannot be written only costs time."""
    with contextlib.suppress(OSError):
        write_atomic(path, msgspec.msgpack.encode(_Cached(key, value)))


def stat_key(*paths: Path) -> str:
    """What identifies the content of files without reading them: path, size, modification."""
    parts = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            parts.append(f"{path}\0missing")
            continue
        parts.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return "\n".join(parts)
