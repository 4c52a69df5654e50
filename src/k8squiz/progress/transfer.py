"""A learner's history as a file: export, import (a merge), and reset with a backup first.

The export is versioned JSON holding every session, answer and review, each with the uid it
was given when it was saved. Importing inserts only the uids the database lacks, so importing
the same file twice changes nothing, and importing from two machines merges them. A card's
state after an import is the state its latest review left.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from msgspec import Struct

from k8squiz import __version__
from k8squiz.errors import K8sQuizError, UsageError
from k8squiz.files import write_atomic
from k8squiz.progress.migrations import SCHEMA_VERSION
from k8squiz.progress.records import iso
from k8squiz.progress.store import Store

FORMAT = "k8squiz-progress"
FORMAT_VERSION = 1
TABLES = ("sessions", "answers", "reviews")


class Counts(Struct, frozen=True):
    sessions: int
    answers: int
    reviews: int


def export(store: Store, path: Path, now: datetime) -> Counts:
    """Write every session, answer and review to `path` (atomically)."""
    rows = {table: store.export_rows(table) for table in TABLES}
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": iso(now),
        "k8squiz": __version__,
        "fsrs": _installed("fsrs"),
        "schema": SCHEMA_VERSION,
        **rows,
    }
    data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise K8sQuizError(
            f"cannot write the export: {exc.strerror or exc}", where=str(path)
        ) from exc
    return Counts(*(len(rows[table]) for table in TABLES))


def _installed(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def read(path: Path) -> dict[str, Any]:
    """A progress file, checked enough that importing it cannot half-succeed."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read the file: {exc.strerror or exc}", where=str(path)) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise K8sQuizError(f"not a k8squiz progress file: {exc}", where=str(path)) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise K8sQuizError(
            "not a k8squiz progress file",
            where=str(path),
            fix="use a file from 'k8squiz progress export'",
        )
    if not isinstance(document.get("version"), int) or document["version"] > FORMAT_VERSION:
        raise K8sQuizError(
            f"written by a newer k8squiz (progress format {document.get('version')})",
            where=str(path),
            fix="upgrade k8squiz on this machine",
        )
    return document


def merge(store: Store, document: dict[str, Any], where: str = "") -> Counts:
    """Insert what the database lacks, in one transaction; then refresh the cards touched."""
    try:
        counts = store.import_rows(*(document.get(table, []) for table in TABLES))
    except (KeyError, TypeError, ValueError, AttributeError, sqlite3.IntegrityError) as exc:
        raise K8sQuizError(
            f"the progress file is damaged ({exc}); nothing was imported",
            where=where,
            fix="export it again from the machine it came from",
        ) from exc
    return Counts(*counts)


def backup(store: Store, now: datetime) -> Path:
    """A copy of the whole database beside it, named after the time; never overwrites one."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = store.path.with_name(f"k8squiz-backup-{stamp}.db")
    number = 1
    while target.exists():
        number += 1
        target = store.path.with_name(f"k8squiz-backup-{stamp}-{number}.db")
    store.backup(target)
    return target


def reset(store: Store, card_ids: set[str] | None) -> Counts:
    """Forget the answers, reviews and states of `card_ids` (everything when None)."""
    return Counts(*store.forget(card_ids))
