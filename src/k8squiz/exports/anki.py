"""Decks as an Anki package (.apkg), so learners review on a phone with Anki.

One Anki deck per topic under a parent deck (`k8squiz::ports`), every note of one k8squiz
note type. Identity is what lets a newer export update an older one in place, keeping the
learner's reviews: the note type and the decks have ids derived from fixed names, and a
note's GUID follows from its card id (see anki_note.py). Anki updates a note when the export
is newer than its copy, so every note carries the export's time.

An .apkg is a zip holding an SQLite collection. Before replacing an earlier export, its card
ids are read back, so the summary can name the cards this export no longer carries: Anki
keeps their notes until the learner deletes them.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import genanki
from msgspec import Struct

from k8squiz.decks.library import Deck, Library
from k8squiz.decks.model import Card
from k8squiz.errors import EmptyExportError, ExportError, UsageError
from k8squiz.exports import anki_note as note
from k8squiz.files import write_atomic

SUFFIX = ".apkg"
COLLECTION = "collection.anki2"  # the collection inside a package in Anki's legacy format


class AnkiOptions(Struct, frozen=True, kw_only=True):
    """What to export and how the notes read."""

    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    cert: str | None = None  # kcna, cka, ckad: cards whose domains name it
    lang: str = "en"  # en, pt-BR, or both (pt-BR under the English)
    typed: bool = False  # a type-in box, compared by Anki exactly


class AnkiExport(Struct, frozen=True, kw_only=True):
    """What was written, and what an earlier export at the same path had that this one lacks."""

    path: Path
    notes: int
    decks: int
    size: int  # bytes
    removed: tuple[str, ...] = ()  # card ids no longer in any loaded deck
    left_out: tuple[str, ...] = ()  # card ids still in the decks but outside this selection


Selection = tuple[tuple[Deck, tuple[Card, ...]], ...]


def export(library: Library, options: AnkiOptions, output: Path, *, now: datetime) -> AnkiExport:
    """Write the selected cards to `output` (an .apkg), replacing it in one step."""
    _check_output(output, options.lang)
    selection = select(library, options)
    earlier = earlier_card_ids(output)
    data = package(selection, options, now=now)
    _write(output, data)
    missing = sorted(earlier - {card.id for _, cards in selection for card in cards})
    return AnkiExport(
        path=output,
        notes=sum(len(cards) for _, cards in selection),
        decks=len(selection),
        size=len(data),
        removed=tuple(card for card in missing if library.card(card) is None),
        left_out=tuple(card for card in missing if library.card(card) is not None),
    )


def select(library: Library, options: AnkiOptions) -> Selection:
    """The cards to export, by deck; an unknown topic or tag, or no card at all, exits 2."""
    chosen = {
        card.id
        for card in library.select(options.topics, options.tags)
        if options.cert is None or options.cert in library.domains_of(card)
    }
    selection = tuple(
        (deck, cards)
        for deck in library.decks
        if (cards := tuple(c for c in deck.cards if c.id in chosen))
    )
    if not selection:
        certified = f" serving {options.cert}" if options.cert else ""
        raise EmptyExportError(
            f"no card{certified} matches these topics and tags; nothing was written",
            fix="see 'k8squiz topics --tags'"
            + ("; --cert keeps the cards whose domains name it" if options.cert else ""),
        )
    return selection


def package(selection: Selection, options: AnkiOptions, *, now: datetime) -> bytes:
    """The .apkg: a zip holding the collection genanki writes, plus an empty media list."""
    decks = [genanki.Deck(note.stable_id("deck", note.PARENT), note.PARENT)]
    decks += [_anki_deck(deck, cards, options) for deck, cards in selection]
    stamp = now.timestamp()
    buffer = io.BytesIO()
    # genanki's own write_to_file leaves its database behind in the temp folder.
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / COLLECTION
        with contextlib.closing(sqlite3.connect(db)) as conn:
            ids = itertools.count(int(stamp * 1000))
            genanki.Package(decks).write_to_db(conn.cursor(), stamp, ids)
            conn.commit()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as apkg:
            apkg.write(db, COLLECTION)
            apkg.writestr("media", "{}")
    return buffer.getvalue()


def _anki_deck(deck: Deck, cards: Sequence[Card], options: AnkiOptions) -> genanki.Deck:
    name = note.deck_name(deck.topic)
    anki_deck = genanki.Deck(
        note.stable_id("deck", name), name, note.deck_description(deck, options.lang)
    )
    for position, card in enumerate(cards):
        anki_deck.add_note(
            genanki.Note(
                model=note.note_type(),
                fields=list(note.fields(card, options.lang, typed=options.typed)),
                guid=note.guid(card.id),
                tags=list(note.tags(card, deck.topic)),
                due=position,  # new cards come in the deck's order
            )
        )
    return anki_deck


def earlier_card_ids(path: Path) -> frozenset[str]:
    """The card ids in the earlier k8squiz export at `path`; none when there is no file.

    A file that is there but is not a k8squiz export is never replaced.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return frozenset()
    try:
        with zipfile.ZipFile(path) as apkg, tempfile.TemporaryDirectory() as tmp:
            ids = _card_ids(Path(apkg.extract(COLLECTION, tmp)))
    except (OSError, KeyError, zipfile.BadZipFile, sqlite3.Error):
        ids = frozenset()
    if not ids:
        raise ExportError(
            f"{path} exists and is not an Anki package written by k8squiz; it was left as it is",
            fix="choose another file with -o, or move that one away first",
        )
    return ids


def _card_ids(db: Path) -> frozenset[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT flds FROM notes WHERE mid = ?", (note.stable_id("note-type"),)
        ).fetchall()
    return frozenset(str(row[0]).split("\x1f")[note.CARD_ID_FIELD] for row in rows)


def _check_output(output: Path, lang: str) -> None:
    if lang not in note.LANGS:
        raise UsageError(f"unknown card language '{lang}'", fix="use en, pt-BR or both")
    if output.suffix.lower() != SUFFIX:
        raise UsageError(
            f"the output file '{output}' does not end in {SUFFIX}",
            fix="name it like k8squiz.apkg: Anki and AnkiDroid recognise packages by it",
        )


def _write(output: Path, data: bytes) -> None:
    if not output.parent.is_dir():  # a mistyped folder is not silently created
        raise ExportError(
            f"cannot write {output}: the folder {output.parent} does not exist",
            fix="create it first, or choose another file with -o",
        )
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise ExportError(
            f"cannot write {output}: {exc.strerror or exc}",
            fix="choose a file in a folder you can write to with -o",
        ) from exc


def report(result: AnkiExport) -> list[tuple[str, dict[str, object]]]:
    """The summary as k8squiz messages (i18n keys) and their values."""
    lines: list[tuple[str, dict[str, object]]] = [
        (
            "anki_exported",
            {
                "notes": result.notes,
                "decks": result.decks,
                "n": result.decks,  # one deck reads "1 deck"
                "path": result.path,
                "size": _size(result.size),
            },
        )
    ]
    if result.removed:
        search = " OR ".join(f"{note.FIELDS[note.CARD_ID_FIELD]}:{c}" for c in result.removed)
        cards = ", ".join(result.removed)
        lines.append(
            ("anki_removed", {"n": len(result.removed), "cards": cards, "search": search})
        )
    if result.left_out:
        lines.append(("anki_left_out", {"n": len(result.left_out)}))
    return lines


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"
