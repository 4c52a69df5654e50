"""The Library a command works on, from a cache when no deck file has changed.

Checking decks costs more than starting Python, so the result of a clean check is kept in
one cache file keyed by every deck file's path, size and modification time. Any change to a
deck, a new or removed file, or a new k8squiz version misses the cache and checks afresh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import msgspec

from k8squiz import __version__
from k8squiz.decks.discover import DeckSource, deck_files, deck_sources
from k8squiz.decks.library import Deck, Library
from k8squiz.decks.model import Card, DeckTranslation
from k8squiz.files import read_cache, stat_key, write_cache

CACHE_NAME = "decks.msgpack"


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


def load_library(
    deck_options: Sequence[Path], environ: Mapping[str, str], cache_dir: Path | None
) -> Library:
    """Every deck a command works on; DeckError when any of them has an error."""
    given = deck_sources(deck_options, environ)
    key = _key(given)
    cached = (
        read_cache(cache_dir / CACHE_NAME, key, tuple[_CachedDeck, ...]) if cache_dir else None
    )
    if cached is not None:
        return Library(tuple(_deck(d) for d in cached))
    from k8squiz.decks.build import build_library  # the full check: only when a deck changed

    library = build_library(given)
    if cache_dir:
        write_cache(cache_dir / CACHE_NAME, key, tuple(_cached(d) for d in library.decks))
    return library


def _key(given: Sequence[DeckSource]) -> str:
    parts = [__version__]
    for source in given:
        parts.append(f"{source.origin}\0{source.path}")
        try:
            parts.append(stat_key(*deck_files(source.path)))
        except OSError:
            parts.append("missing")
    return "\n".join(parts)


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
