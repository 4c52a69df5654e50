"""Writing files so that a crash never leaves half of one, and caches that only save time."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")
CACHE_MAX_BYTES = 1024 * 1024 * 1024  # a cache is read no further, whatever is there


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        Path(name).replace(path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


class _Cached(msgspec.Struct, Generic[T]):
    key: str  # what the value was made from: a different key is a miss
    value: T


def read_cache(path: Path, key: str, kind: type[T]) -> T | None:
    """The value cached at `path` for `key`; None when missing, stale or damaged."""
    from k8squiz.decks.discover import RefusedFileError, read_regular

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
