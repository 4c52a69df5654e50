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
from k8squiz.deck import Card, Deck, DeckTranslation, Library, Source, deck_files, sources

CACHE_NAME = "decks.msgpack"


class _CachedDeck(msgspec.Struct, frozen=True):
    topic: str
    title: str
    description: str
    path: str
    origin: str
    cards: tuple[Card, ...]
    lines: dict[str, int]
    translations: dict[str, DeckTranslation]
    domains: dict[str, tuple[str, ...]]  # required: a cache from before it is rebuilt


class _Cache(msgspec.Struct, frozen=True):
    key: str
    decks: tuple[_CachedDeck, ...]


def load_library(
    deck_options: Sequence[Path], environ: Mapping[str, str], cache_dir: Path | None
) -> Library:
    """Every deck a command works on; DeckError when any of them has an error."""
    key = _key(sources(deck_options, environ))
    cached = _read(cache_dir, key) if cache_dir else None
    if cached is not None:
        return cached
    from k8squiz import loader  # the full check: only when a deck changed

    library = loader.load_library(deck_options, environ)
    if cache_dir:
        _write(cache_dir, key, library)
    return library


def _key(given: Sequence[Source]) -> str:
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
        cache = msgspec.msgpack.decode((cache_dir / CACHE_NAME).read_bytes(), type=_Cache)
    except (OSError, msgspec.DecodeError):
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


def _write(cache_dir: Path, key: str, library: Library) -> None:
    decks = tuple(
        _CachedDeck(
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
        for d in library.decks
    )
    from k8squiz.files import write_atomic

    # The cache only saves time: a folder that cannot be written must not stop a quiz.
    with contextlib.suppress(OSError):
        write_atomic(cache_dir / CACHE_NAME, msgspec.msgpack.encode(_Cache(key, decks)))
