"""The Library a command works on, from a cache when no deck file has changed.

Checking decks costs more than starting Python, so the result of a clean check is kept in
one cache file keyed by every deck file's path, size and modification time. Any change to a
deck, a new or removed file, or a new k8squiz version misses the cache and checks afresh.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import msgspec

from k8squiz import __version__
from k8squiz.decks.discover import (
    DeckSource,
    RefusedFileError,
    deck_files,
    deck_sources,
    read_regular,
)
from k8squiz.decks.library import Deck, Library
from k8squiz.decks.model import Card, DeckTranslation

CACHE_NAME = "decks.msgpack"
CACHE_MAX_BYTES = 1024 * 1024 * 1024  # read no more, whatever is there (a FIFO is not read)


class _CachedDeck(msgspec.Struct, frozen=True):
    """A Deck as msgpack holds it: paths as text."""

    topic: str
    title: str
    description: str
    path: str
    origin: str
    cards: tuple[Card, ...]
    lines: dict[str, int]
    translations: dict[str, DeckTranslation]
    domains: dict[str, tuple[str, ...]]


class _Cache(msgspec.Struct, frozen=True):
    key: str
    decks: tuple[_CachedDeck, ...]


def load_library(
    deck_options: Sequence[Path], environ: Mapping[str, str], cache_dir: Path | None
) -> Library:
    """Every deck a command works on; DeckError when any of them has an error."""
    given = deck_sources(deck_options, environ)
    key = _key(given)
    cached = _read(cache_dir, key) if cache_dir else None
    if cached is not None:
        return cached
    from k8squiz.decks.build import build_library  # the full check: only when a deck changed

    library = build_library(given)
    if cache_dir:
        _write(cache_dir, key, library)
    return library


def _key(given: Sequence[DeckSource]) -> str:
    parts = [__version__]
    for source in given:
        parts.append(f"{source.origin}\0{source.path}")
        try:
            for file in deck_files(source.path):
                stat = file.stat()
                parts.append(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}")
        except OSError:
            parts.append("missing")
    return "\n".join(parts)


def _read(cache_dir: Path, key: str) -> Library | None:
    try:
        data = read_regular(cache_dir / CACHE_NAME, CACHE_MAX_BYTES)
        cache = msgspec.msgpack.decode(data, type=_Cache)
    except (OSError, ValueError, RefusedFileError, msgspec.DecodeError):  # a miss: check afresh
        return None
    if cache.key != key:
        return None
    return Library(tuple(_deck(d) for d in cache.decks))


def _deck(d: _CachedDeck) -> Deck:
    return Deck(
        d.topic,
        d.title,
        d.description,
        Path(d.path),
        d.origin,
        d.cards,
        d.lines,
        d.translations,
        d.domains,
    )


def _cached(d: Deck) -> _CachedDeck:
    return _CachedDeck(
        d.topic,
        d.title,
        d.description,
        str(d.path),
        d.origin,
        d.cards,
        dict(d.lines),
        dict(d.translations),
        dict(d.domains),
    )


def _write(cache_dir: Path, key: str, library: Library) -> None:
    from k8squiz.files import write_atomic

    data = msgspec.msgpack.encode(_Cache(key, tuple(_cached(d) for d in library.decks)))
    # The cache only saves time: a folder that cannot be written must not stop a quiz.
    with contextlib.suppress(OSError):
        write_atomic(cache_dir / CACHE_NAME, data)
