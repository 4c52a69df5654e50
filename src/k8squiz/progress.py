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
from k8squiz.migrations import SCHEMA_VERSION
from k8squiz.records import iso
from k8squiz.scheduler import FSRS_VERSION, stable_id
from k8squiz.store import Store

FORMAT = "k8squiz-progress"
FORMAT_VERSION = 1
SESSION_COLUMNS = [
    "uid",
    "kind",
    "started_at",
    "ended_at",
    "selection",
    "topics",
    "tags",
    "mode",
    "planned",
    "lang",
    "seed",
]
ANSWER_COLUMNS = [
    "uid",
    "card_id",
    "topic",
    "given",
    "correct",
    "revealed",
    "mistake",
    "seconds",
    "answered_at",
]
REVIEW_COLUMNS = [
    "uid",
    "card_id",
    "source",
    "rating",
    "reviewed_at",
    "duration_ms",
    "state_before",
    "state_after",
    "fsrs_version",
]


class Counts(Struct, frozen=True):
    sessions: int
    answers: int
    reviews: int


def export(store: Store, path: Path, now: datetime) -> Counts:
    """Write every session, answer and review to `path` (atomically)."""
    sessions = _rows(store, "sessions", SESSION_COLUMNS)
    answers = _rows(store, "answers", ANSWER_COLUMNS, join_session=True)
    reviews = _reviews(store)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": iso(now),
        "k8squiz": __version__,
        "fsrs": _installed("fsrs"),
        "schema": SCHEMA_VERSION,
        "sessions": sessions,
        "answers": answers,
        "reviews": reviews,
    }
    data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise K8sQuizError(
            f"cannot write the export: {exc.strerror or exc}", where=str(path)
        ) from exc
    return Counts(len(sessions), len(answers), len(reviews))


def _installed(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _rows(
    store: Store, table: str, columns: list[str], *, join_session: bool = False
) -> list[dict[str, Any]]:
    selected = ", ".join(f"t.{c}" for c in columns)
    if join_session:
        selected += ", s.uid"
        sql = f"SELECT {selected} FROM {table} t LEFT JOIN sessions s ON s.id = t.session_id"
    else:
        sql = f"SELECT {selected} FROM {table} t"
    names = [*columns, "session"] if join_session else columns
    return [dict(zip(names, row, strict=True)) for row in store.query(sql + " ORDER BY t.id")]


def _reviews(store: Store) -> list[dict[str, Any]]:
    """Reviews with the uids of their session and of the answer they came from."""
    selected = ", ".join(f"r.{c}" for c in REVIEW_COLUMNS)
    rows = store.query(
        f"SELECT {selected}, s.uid, a.uid FROM reviews r"
        " LEFT JOIN sessions s ON s.id = r.session_id LEFT JOIN answers a ON a.id = r.answer_id"
        " ORDER BY r.id"
    )
    names = [*REVIEW_COLUMNS, "session", "answer"]
    return [dict(zip(names, row, strict=True)) for row in rows]


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
    with store.transaction() as db:
        try:
            sessions = _insert_sessions(db, document.get("sessions", []))
            answers = _insert(db, "answers", ANSWER_COLUMNS, document.get("answers", []))
            reviews = _insert(
                db, "reviews", REVIEW_COLUMNS, document.get("reviews", []), answers=True
            )
            db.execute(
                "UPDATE reviews SET before_state = json_extract(state_before, '$.state')"
                " WHERE before_state IS NULL AND state_before IS NOT NULL"
            )
            _refresh_states(db, {r["card_id"] for r in document.get("reviews", [])})
        except (KeyError, TypeError, ValueError, AttributeError, sqlite3.IntegrityError) as exc:
            raise K8sQuizError(
                f"the progress file is damaged ({exc}); nothing was imported",
                where=where,
                fix="export it again from the machine it came from",
            ) from exc
    return Counts(sessions, answers, reviews)


def _insert_sessions(db: sqlite3.Connection, rows: list[dict[str, Any]]) -> int:
    columns = ", ".join(SESSION_COLUMNS)
    marks = ", ".join("?" for _ in SESSION_COLUMNS)
    before = db.total_changes
    for row in rows:
        values = [row[c] for c in SESSION_COLUMNS]
        db.execute(
            f"INSERT INTO sessions ({columns}) VALUES ({marks}) ON CONFLICT(uid) DO NOTHING",
            values,
        )
    return db.total_changes - before


def _insert(
    db: sqlite3.Connection,
    table: str,
    columns: list[str],
    rows: list[dict[str, Any]],
    *,
    answers: bool = False,
) -> int:
    """Insert rows whose uid is new, linking their session (and answer) by uid."""
    names = ", ".join([*columns, "session_id", *(["answer_id"] if answers else [])])
    marks = ", ".join("?" for _ in columns)
    links = "(SELECT id FROM sessions WHERE uid = ?)"
    if answers:
        links += ", (SELECT id FROM answers WHERE uid = ?)"
    before = db.total_changes
    for row in rows:
        values = [row[c] for c in columns]
        extra = [row.get("session"), *([row.get("answer")] if answers else [])]
        db.execute(
            f"INSERT INTO {table} ({names}) VALUES ({marks}, {links}) ON CONFLICT(uid) DO NOTHING",
            values + extra,
        )
    return db.total_changes - before


def _refresh_states(db: sqlite3.Connection, card_ids: set[str]) -> None:
    for card_id in card_ids:
        row = db.execute(
            "SELECT state_after, reviewed_at FROM reviews WHERE card_id = ?"
            " ORDER BY reviewed_at DESC, id DESC LIMIT 1",
            (card_id,),
        ).fetchone()
        if row is None:
            continue
        due = iso(datetime.fromisoformat(json.loads(row[0])["due"]))
        db.execute(
            "INSERT INTO card_states (card_id, fsrs_id, state, due, fsrs_version, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(card_id) DO UPDATE SET state = excluded.state,"
            " due = excluded.due, updated_at = excluded.updated_at",
            (card_id, stable_id(card_id), row[0], due, FSRS_VERSION, row[1]),
        )


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
    with store.transaction() as db:
        if card_ids is None:
            counts = Counts(*(_count(db, t) for t in ("sessions", "answers", "reviews")))
            for table in ("reviews", "answers", "card_states", "sessions"):
                db.execute(f"DELETE FROM {table}")
            return counts
        marks = ", ".join("?" for _ in card_ids)
        ids = list(card_ids)
        reviews = db.execute(f"DELETE FROM reviews WHERE card_id IN ({marks})", ids).rowcount
        answers = db.execute(f"DELETE FROM answers WHERE card_id IN ({marks})", ids).rowcount
        db.execute(f"DELETE FROM card_states WHERE card_id IN ({marks})", ids)
        emptied = db.execute(
            "DELETE FROM sessions WHERE id NOT IN (SELECT session_id FROM answers)"
            " AND id NOT IN (SELECT session_id FROM reviews WHERE session_id IS NOT NULL)"
        ).rowcount
        return Counts(emptied, answers, reviews)


def _count(db: sqlite3.Connection, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
