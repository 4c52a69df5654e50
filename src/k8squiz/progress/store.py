"""The learner's progress in SQLite: opening it safely, migrating it, every read and write.

One file in the data folder, in WAL mode, so sessions read while another writes. Every answer
and review is its own short transaction, and a write waits for another's to finish however
long it takes (an import, a reset's backup), saying so once: nothing given is ever lost. A
file that is not a k8squiz database, is damaged, or was written by a newer k8squiz is found
so by a read-only look, reported, and left untouched.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import msgspec.json

from k8squiz.errors import StoreError
from k8squiz.files import open_regular
from k8squiz.progress.migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from k8squiz.progress.records import (
    AnswerRecord,
    CardState,
    ExamStatus,
    ReviewRecord,
    ReviewWrite,
    SessionInfo,
    SessionSummary,
    iso,
    new_uid,
)
from k8squiz.scheduler import due_of, stable_id

APPLICATION_ID = 0x6B387351  # "k8sQ": marks the file as ours
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
WAIT_SLICE_MS = 500  # a write waiting for the lock looks again this often
WAIT_NOTE_SECONDS = 3.0  # after this long waiting, the learner is told why
# What a file holds that tells whether k8squiz may adopt it (one read, no write).
_LOOK = (
    "SELECT (SELECT application_id FROM pragma_application_id()),"
    " (SELECT user_version FROM pragma_user_version())"
    " + (SELECT count(*) FROM sqlite_master)"
)


class Store:
    """An open progress database."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path
        self.waiting: Callable[[], None] | None = None  # told once when a write waits long

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed) the database at `path`, upgrading its schema.

        An existing file is looked at read-only first: one that is not ours, is damaged, or
        was written by a newer k8squiz is refused before anything could write to it.
        """
        _ensure_folder(path.parent)
        _inspect(path)
        store = cls(_connect(path), path)
        try:
            with store._guard("open"):
                store._prepare()
        except BaseException:
            store.close()  # refused or failed: leave no connection (nor lock) behind
            raise
        return store

    @classmethod
    @contextmanager
    def copy_of(cls, path: Path, folder: Path) -> Iterator[Store]:
        """Another k8squiz database to read (the backup a reset wrote): looked at read-only
        like any database k8squiz opens, then copied into `folder` and opened there, upgraded
        to this schema, so the original is never written. The copy is gone afterwards."""
        _inspect(path)
        copy = scratch_file(folder, ".k8squiz-restore-", ".db")
        try:
            try:
                with open_regular(path) as source, copy.open("wb") as target:
                    shutil.copyfileobj(source, target)
            except OSError as exc:
                raise StoreError(
                    f"cannot copy the database to read it: {exc.strerror or exc}", where=str(path)
                ) from exc
            with cls.open(copy) as store:
                yield store
        finally:
            for end in ("", "-wal", "-shm", "-journal"):
                Path(f"{copy}{end}").unlink(missing_ok=True)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def copy(self, target: Path) -> None:
        """Inside a transaction: a copy of the whole database in the new file `target`,
        checked before it counts (it opens, passes integrity_check, and holds every row).

        Another, read-only connection makes it, so the write lock this one holds keeps
        every other session waiting until the caller is done (a reset forgets nothing
        the copy lacks)."""
        if not self.db.in_transaction:
            raise RuntimeError("copy() needs the write lock: call it inside transaction()")
        with self._guard("back up"):
            expected = _row_counts(self.db)
            source = _read_only(self.path)
            copy = sqlite3.connect(target, isolation_level=None)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one file, no WAL beside it
            finally:
                copy.close()
                source.close()
            _verify_copy(target, expected)

    # schema

    def _prepare(self) -> None:
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # One statement, so another k8squiz creating the file cannot slip in between.
        app_id, used = self.db.execute(_LOOK).fetchone()
        _refuse_unless_ours(self.path, app_id, used)
        self.db.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL loses no committed answer when k8squiz stops, even killed; only a
        # power cut can lose the last ones. FULL would fsync every answer.
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        if app_id != APPLICATION_ID or self.schema_version() != SCHEMA_VERSION:
            self.migrate()

    def migrate(self, upto: int = SCHEMA_VERSION) -> None:
        """Apply the migrations this database lacks, each in its own transaction.

        A database from a newer k8squiz is refused before anything is written to it.
        """
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise _newer(self.path, current)
        with self.transaction():
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        for migration in MIGRATIONS:
            if current < migration.version <= upto:
                self._apply(migration)

    def _apply(self, migration: Migration) -> None:
        if migration.rebuild:  # SQLite ignores this pragma inside a transaction
            self.db.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.transaction() as db:
                if self.schema_version(db) >= migration.version:
                    return  # another k8squiz applied it while this one waited for the lock
                for statement in migration.sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
                if migration.rebuild and db.execute("PRAGMA foreign_key_check").fetchone():
                    raise sqlite3.DatabaseError(f"migration {migration.name}: corrupt links")
                db.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (migration.version, migration.name, iso(datetime.now(timezone.utc))),
                )
        finally:
            if migration.rebuild:
                self.db.execute("PRAGMA foreign_keys = ON")

    def schema_version(self, db: sqlite3.Connection | None = None) -> int:
        """The last migration applied (0 for a new file)."""
        return _schema_of(db or self.db)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; waits for another session's write to finish first."""
        with self._guard("write"):
            self._begin()
            try:
                yield self.db
            except BaseException:
                if self.db.in_transaction:  # SQLite has already rolled back on a full disk
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _begin(self) -> None:
        """Take the write lock, however long another k8squiz holds it (a long import, a
        reset's backup): an answer is saved late rather than lost. `waiting` is called
        once when the wait passes WAIT_NOTE_SECONDS, so the learner knows why."""
        started = time.monotonic()
        told = False
        self.db.execute(f"PRAGMA busy_timeout = {WAIT_SLICE_MS}")
        try:
            while True:
                try:
                    self.db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _busy(exc):
                        raise
                if not told and time.monotonic() - started >= WAIT_NOTE_SECONDS:
                    told = True
                    if self.waiting is not None:
                        self.waiting()
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One unchanging view of the database for reads that take a while (an export),
        while other sessions go on writing."""
        with self._guard("read"):
            self.db.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")

    @contextmanager
    def selected(self, card_ids: Iterable[str]) -> Iterator[None]:
        """A temporary table `selected(card_id)` of `card_ids`, for the queries about only
        them (`review_counts`, `reviews_per_day`) made inside it."""
        with self._guard("read"):
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS selected (card_id TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM temp.selected")
            self.db.executemany("INSERT INTO temp.selected VALUES (?)", ((c,) for c in card_ids))
        try:
            yield
        finally:
            with self._guard("read"):
                self.db.execute("DELETE FROM temp.selected")

    def _query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Any]:
        """Rows of a read; damage found on the way is a StoreError naming the file."""
        with self._guard("read"):
            return self.db.execute(sql, params).fetchall()

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise _explain(exc, self.path, doing) from exc

    # sessions and answers

    def start_session(self, info: SessionInfo, at: datetime) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO sessions (uid, kind, started_at, selection, topics, tags, mode,"
                " planned, lang, seed, cert, time_limit, pass_mark)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new_uid(),
                    info.kind,
                    iso(at),
                    info.selection,
                    msgspec.json.encode(list(info.topics)).decode(),
                    msgspec.json.encode(list(info.tags)).decode(),
                    info.mode,
                    info.planned,
                    info.lang,
                    info.seed,
                    info.cert,
                    info.time_limit,
                    info.pass_mark,
                ),
            )
        return int(cursor.lastrowid or 0)

    def end_session(self, session_id: int, at: datetime, status: ExamStatus | None = None) -> None:
        """Mark a session ended; an exam also says how (submitted, timed out, abandoned)."""
        with self.transaction() as db:
            db.execute(
                "UPDATE sessions SET ended_at = ?, status = ? WHERE id = ?",
                (iso(at), status.value if status else None, session_id),
            )

    def add_answer(self, db: sqlite3.Connection, session_id: int, answer: AnswerRecord) -> int:
        """Inside a transaction: save one answer as it was given."""
        cursor = db.execute(
            "INSERT INTO answers (uid, session_id, card_id, topic, given, correct, revealed,"
            " mistake, seconds, answered_at, domain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_uid(), session_id, answer.card_id, answer.topic, *_given(answer)),
        )
        return int(cursor.lastrowid or 0)

    def save_answer(self, session_id: int, answer: AnswerRecord) -> None:
        """An answer alone, as its own transaction: a practice answer, never a review."""
        with self.transaction() as db:
            self.add_answer(db, session_id, answer)

    def put_exam_answer(self, session_id: int, answer: AnswerRecord) -> None:
        """An exam's answer to a question: saved the first time, replaced when it changes
        (one card is asked once in an exam). Never a review."""
        with self.transaction() as db:
            updated = db.execute(
                "UPDATE answers SET given = ?, correct = ?, revealed = ?, mistake = ?,"
                " seconds = seconds + ?, answered_at = ?, domain = ?"
                " WHERE session_id = ? AND card_id = ?",
                (*_given(answer), session_id, answer.card_id),
            ).rowcount
            if not updated:
                self.add_answer(db, session_id, answer)

    def session_answers(self, session_id: int) -> list[AnswerRecord]:
        rows = self._query(
            "SELECT card_id, topic, given, correct, revealed, mistake, seconds, answered_at,"
            " domain FROM answers WHERE session_id = ? ORDER BY id",
            (session_id,),
        )
        return [_answer(row) for row in rows]

    def previous_score(self, info: SessionInfo, before: int) -> tuple[int, int] | None:
        """(correct, answered) of the quiz on the same selection just before session `before`."""
        rows = self._query(
            "SELECT sum(a.correct), count(a.id)"
            " FROM sessions s JOIN answers a ON a.session_id = s.id"
            " WHERE s.kind = 'quiz' AND s.selection = ? AND s.id != ?"
            " AND s.started_at <= (SELECT started_at FROM sessions WHERE id = ?)"
            " GROUP BY s.id ORDER BY s.started_at DESC, s.id DESC LIMIT 1",
            (info.selection, before, before),
        )
        return (int(rows[0][0]), int(rows[0][1])) if rows else None

    def last_quiz_missed(self) -> list[str]:
        """Cards answered wrong in the most recent quiz that has answers."""
        rows = self._query(
            "SELECT card_id FROM answers WHERE correct = 0 AND session_id = ("
            " SELECT s.id FROM sessions s JOIN answers a ON a.session_id = s.id"
            " WHERE s.kind = 'quiz' ORDER BY s.started_at DESC, s.id DESC LIMIT 1) ORDER BY id"
        )
        return list(dict.fromkeys(row[0] for row in rows))

    def weakest(self, limit: int) -> list[str]:
        """Cards most often answered wrong, then least often right."""
        rows = self._query(
            "SELECT card_id FROM answers GROUP BY card_id HAVING sum(1 - correct) > 0"
            " ORDER BY sum(1 - correct) DESC, avg(correct) ASC, max(answered_at) DESC LIMIT ?",
            (limit,),
        )
        return [row[0] for row in rows]

    def sessions(
        self, kind: str | None = None, limit: int | None = None, *, cert: str | None = None
    ) -> list[SessionSummary]:
        """Past sessions, newest first (by when they started), with their scores. A quiz or
        a study session in which nothing was answered or rated is left out: nothing happened
        in it (an exam is kept, as it was sat, even abandoned at once)."""
        rows = self._query(
            "SELECT s.id, s.uid, s.kind, s.started_at, s.ended_at, s.topics, s.tags, s.mode,"
            " s.planned, s.lang, s.seed, count(a.id) AS answered, coalesce(sum(a.correct), 0),"
            " coalesce(sum(a.seconds), 0),"
            " (SELECT count(*) FROM reviews r WHERE r.session_id = s.id) AS rated,"
            " s.cert, s.time_limit, s.pass_mark, s.status"
            " FROM sessions s LEFT JOIN answers a ON a.session_id = s.id"
            " WHERE (? IS NULL OR s.kind = ?) AND (? IS NULL OR s.cert = ?) GROUP BY s.id"
            " HAVING answered > 0 OR rated > 0 OR s.kind = 'exam'"
            " ORDER BY s.started_at DESC, s.id DESC LIMIT ?",
            (kind, kind, cert, cert, -1 if limit is None else limit),
        )
        return [_session(row) for row in rows]

    # card memory (FSRS)

    def card_state(self, card_id: str) -> str | None:
        rows = self._query("SELECT state FROM card_states WHERE card_id = ?", (card_id,))
        return str(rows[0][0]) if rows else None

    def card_states(self) -> list[CardState]:
        rows = self._query("SELECT card_id, state, due FROM card_states")
        return [CardState(row[0], row[1], datetime.fromisoformat(row[2])) for row in rows]

    def card_state_in(self, db: sqlite3.Connection, card_id: str) -> str | None:
        """The card's state; inside a transaction, read under the write lock."""
        row = db.execute("SELECT state FROM card_states WHERE card_id = ?", (card_id,)).fetchone()
        return None if row is None else str(row[0])

    def add_review(self, db: sqlite3.Connection, review: ReviewWrite) -> int:
        """Inside a transaction: log a review and store the card's new state."""
        cursor = db.execute(
            "INSERT INTO reviews (uid, card_id, session_id, source, rating, reviewed_at,"
            " duration_ms, state_before, state_after, fsrs_version, answer_id, before_state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new_uid(),
                review.card_id,
                review.session_id,
                review.source,
                review.rating,
                iso(review.at),
                review.duration_ms,
                review.before,
                review.after,
                review.fsrs_version,
                review.answer_id,
                review.before_state,
            ),
        )
        _put_state(db, review.card_id, review.after, review.fsrs_version, review.at)
        return int(cursor.lastrowid or 0)

    def undo_review(self, review_id: int) -> None:
        """Delete a review and its answer, and put the card's state back as it was before
        it, unless another session has rated the card since: that later rating stands."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT card_id, state_before, state_after, answer_id FROM reviews WHERE id = ?",
                (review_id,),
            ).fetchone()
            if row is None:
                return
            card_id, before, after, answer_id = row
            db.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            db.execute("DELETE FROM answers WHERE id = ?", (answer_id,))
            if before is None:
                db.execute(
                    "DELETE FROM card_states WHERE card_id = ? AND state = ?", (card_id, after)
                )
            else:
                db.execute(
                    "UPDATE card_states SET state = ?, due = ? WHERE card_id = ? AND state = ?",
                    (before, iso(due_of(before)), card_id, after),
                )

    def reviews(self, card_id: str | None = None) -> list[ReviewRecord]:
        rows = self._query(
            "SELECT id, card_id, rating, reviewed_at, state_before, state_after FROM reviews"
            " WHERE (? IS NULL OR card_id = ?) ORDER BY reviewed_at, id",
            (card_id, card_id),
        )
        return [
            ReviewRecord(r[0], r[1], r[2], datetime.fromisoformat(r[3]), r[4], r[5]) for r in rows
        ]

    def new_cards_studied_since(self, since: datetime) -> int:
        """Cards first seen in a study session at or after `since`: today's new cards."""
        rows = self._query(
            "SELECT count(*) FROM (SELECT source, reviewed_at, row_number()"
            " OVER (PARTITION BY card_id ORDER BY reviewed_at, id) AS n FROM reviews)"
            " WHERE n = 1 AND source = 'study' AND reviewed_at >= ?",
            (iso(since),),
        )
        return int(rows[0][0])

    # figures for stats

    def review_counts(self, since: Mapping[str, str]) -> list[Any]:
        """Per `selected` card: (card_id, right 7 days, all 7 days, right 30 days, all 30
        days, lapses, right once learned, all once learned); `since` holds since_7, since_30
        and since."""
        return self._query(_PER_CARD, since)

    def reviews_per_day(self, since: str, *, most: bool = False) -> list[tuple[str, int]]:
        """(local date, reviews) of the `selected` cards since `since`; `most` when that is
        most of the log, where a table scan beats the time index."""
        column = "+r.reviewed_at" if most else "r.reviewed_at"
        rows = self._query(_PER_DAY.format(column=column), {"since": since})
        return [(str(day), int(count)) for day, count in rows]

    def mistake_counts(self) -> list[tuple[str, str, int]]:
        """(card, mistake, times) of the known mistakes answered, commonest first."""
        rows = self._query(
            "SELECT card_id, mistake, count(*) FROM answers WHERE mistake IS NOT NULL"
            " GROUP BY card_id, mistake ORDER BY count(*) DESC, max(answered_at) DESC"
        )
        return [(str(card), str(mistake), int(n)) for card, mistake, n in rows]

    # progress files: every row with the uids that link it

    def export_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """Every row of `sessions`, `answers` or `reviews` as a progress file holds it (the
        fields of `export_fields(table)`), read in batches; inside `snapshot()`, the three
        tables are read as they were at one moment."""
        sql = f"SELECT {', '.join(f't.{c}' for c in EXPORT_COLUMNS[table])}"
        if table != "sessions":
            sql += ", s.uid"
        if table == "reviews":
            sql += ", a.uid"
        sql += f" FROM {table} t"
        if table != "sessions":
            sql += " LEFT JOIN sessions s ON s.id = t.session_id"
        if table == "reviews":
            sql += " LEFT JOIN answers a ON a.id = t.answer_id"
        with self._guard("read"):
            cursor = self.db.execute(sql + " ORDER BY t.id")
            while batch := cursor.fetchmany(EXPORT_BATCH):
                yield from batch

    def broken_link(self, staging: Staging) -> tuple[str, int, str] | None:
        """The first staged row (table, index, field) whose session or answer uid is
        neither in the progress file nor in this database."""
        with self._attached(staging):
            for table, field, sql in _LINKS:
                rows = self._query(sql)
                if rows:
                    return table, int(rows[0][0]), field
        return None

    def merge(self, staging: Staging) -> tuple[int, int, int]:
        """Insert the staged rows whose uid is new, in one short transaction, linking them
        by uid; then give each card touched the state its latest review left. Returns how
        many sessions, answers and reviews were new."""
        with self._attached(staging), self.transaction() as db:
            sessions, answers, reviews = (db.execute(sql).rowcount for sql in _MERGE)
            cards = db.execute("SELECT DISTINCT card_id FROM staged.reviews").fetchall()
            for (card_id,) in cards:
                _refresh_state(db, card_id)
        return sessions, answers, reviews

    @contextmanager
    def _attached(self, staging: Staging) -> Iterator[None]:
        with self._guard("read"):
            self.db.execute("ATTACH DATABASE ? AS staged", (str(staging.path),))
        try:
            yield
        finally:
            with self._guard("read"):
                self.db.execute("DETACH DATABASE staged")

    def forget(self, db: sqlite3.Connection, card_ids: set[str] | None) -> tuple[int, int, int]:
        """Inside a transaction the caller holds (after a backup, say): delete the answers,
        reviews and states of `card_ids` (everything when None), and the sessions left empty.
        Returns (sessions, answers, reviews) deleted."""
        ids = [] if card_ids is None else list(card_ids)
        where = "" if card_ids is None else f" WHERE card_id IN ({', '.join('?' for _ in ids)})"
        reviews = db.execute(f"DELETE FROM reviews{where}", ids).rowcount
        answers = db.execute(f"DELETE FROM answers{where}", ids).rowcount
        db.execute(f"DELETE FROM card_states{where}", ids)
        emptied = db.execute(
            "DELETE FROM sessions WHERE id NOT IN (SELECT session_id FROM answers)"
            " AND id NOT IN (SELECT session_id FROM reviews WHERE session_id IS NOT NULL)"
        ).rowcount
        return emptied, answers, reviews


class Staging:
    """A progress file's rows, checked and waiting in a scratch database beside the store
    until `Store.merge` takes them in one short transaction. Reading and checking a large
    file takes a while, and holds no lock meanwhile; on disk, it costs no memory. The
    file is deleted when closed."""

    def __init__(self, folder: Path) -> None:
        self.path = scratch_file(folder, ".k8squiz-import-", ".db")
        self.rows = dict.fromkeys(STAGED_COLUMNS, 0)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            for table, columns in STAGED_COLUMNS.items():
                fields = ", ".join(columns)
                self.db.execute(f"CREATE TABLE {table} (n INTEGER PRIMARY KEY, {fields})")
            self.db.execute("BEGIN")
        except sqlite3.Error as exc:
            self.close()
            raise _explain(exc, self.path, "write") from exc

    def add(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Stage checked rows of `table` (the values of `STAGED_COLUMNS[table]`), in order."""
        columns = STAGED_COLUMNS[table]
        first = self.rows[table]
        sql = f"INSERT INTO {table} VALUES (?, {', '.join('?' for _ in columns)})"
        try:
            self.db.executemany(sql, ((first + n, *row) for n, row in enumerate(rows)))
        except sqlite3.Error as exc:
            raise _explain(exc, self.path, "write") from exc
        self.rows[table] = first + len(rows)

    def duplicate(self) -> tuple[str, int, int] | None:
        """Once every row is staged: the first row (table, index, index of the earlier
        one) whose uid another row of its table already has."""
        try:
            self.db.execute("COMMIT")
            for table, columns in STAGED_COLUMNS.items():
                for column in ("uid", *(c for c in columns if c in ("session", "answer"))):
                    self.db.execute(f"CREATE INDEX {table}_{column} ON {table} ({column})")
                row = self.db.execute(
                    f"SELECT t.n, min(o.n) FROM {table} t JOIN {table} o ON o.uid = t.uid"
                    " AND o.n < t.n GROUP BY t.n ORDER BY t.n LIMIT 1"
                ).fetchone()
                if row is not None:
                    return table, int(row[0]), int(row[1])
        except sqlite3.Error as exc:
            raise _explain(exc, self.path, "read") from exc
        return None

    def close(self) -> None:
        if hasattr(self, "db"):
            self.db.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": (
        "uid", "kind", "started_at", "ended_at", "selection", "topics", "tags", "mode",
        "planned", "lang", "seed", "cert", "time_limit", "pass_mark", "status",
    ),
    "answers": (
        "uid", "card_id", "topic", "given", "correct", "revealed", "mistake", "seconds",
        "answered_at", "domain",
    ),
    "reviews": (
        "uid", "card_id", "source", "rating", "reviewed_at", "duration_ms", "state_before",
        "state_after", "fsrs_version",
    ),
}  # fmt: skip


def export_fields(table: str) -> tuple[str, ...]:
    """The fields of a row of `table` in a progress file: its columns, then the uids that
    link it to its session (and answer)."""
    links = {"sessions": (), "answers": ("session",), "reviews": ("session", "answer")}
    return (*EXPORT_COLUMNS[table], *links[table])


STAGED_COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": export_fields("sessions"),
    "answers": export_fields("answers"),
    "reviews": (*export_fields("reviews"), "before_state"),
}


EXPORT_BATCH = 1_000
_IN_MAIN = "(SELECT 1 FROM main.{table} m WHERE m.uid = t.{field})"
_IN_FILE = "(SELECT 1 FROM staged.{table} f WHERE f.uid = t.{field})"
# (table, field, the first staged row whose link is neither in the file nor in the database)
_LINKS: tuple[tuple[str, str, str], ...] = tuple(
    (
        table,
        field,
        f"SELECT t.n FROM staged.{table} t WHERE t.{field} IS NOT NULL"
        f" AND NOT EXISTS {_IN_FILE.format(table=target, field=field)}"
        f" AND NOT EXISTS {_IN_MAIN.format(table=target, field=field)} ORDER BY t.n LIMIT 1",
    )
    for table, field, target in (
        ("answers", "session", "sessions"),
        ("reviews", "session", "sessions"),
        ("reviews", "answer", "answers"),
    )
)
_MERGE = (
    "INSERT INTO main.sessions ({s}) SELECT {s} FROM staged.sessions WHERE true ORDER BY n"
    " ON CONFLICT(uid) DO NOTHING".format(s=", ".join(EXPORT_COLUMNS["sessions"])),
    "INSERT INTO main.answers ({a}, session_id) SELECT {t}, (SELECT id FROM main.sessions s"
    " WHERE s.uid = t.session) FROM staged.answers t WHERE true ORDER BY t.n"
    " ON CONFLICT(uid) DO NOTHING".format(
        a=", ".join(EXPORT_COLUMNS["answers"]),
        t=", ".join(f"t.{c}" for c in EXPORT_COLUMNS["answers"]),
    ),
    "INSERT INTO main.reviews ({r}, session_id, answer_id, before_state) SELECT {t},"
    " (SELECT id FROM main.sessions s WHERE s.uid = t.session),"
    " (SELECT id FROM main.answers a WHERE a.uid = t.answer), t.before_state"
    " FROM staged.reviews t WHERE true ORDER BY t.n ON CONFLICT(uid) DO NOTHING".format(
        r=", ".join(EXPORT_COLUMNS["reviews"]),
        t=", ".join(f"t.{c}" for c in EXPORT_COLUMNS["reviews"]),
    ),
)
REVIEW_STATE = 2  # fsrs.State.Review: a card already learned
_PER_CARD = (
    "SELECT r.card_id, sum(r.reviewed_at >= :since_7 AND r.rating > 1),"
    " sum(r.reviewed_at >= :since_7), sum(r.reviewed_at >= :since_30 AND r.rating > 1),"
    " sum(r.reviewed_at >= :since_30), sum(r.rating = 1),"
    f" sum(r.before_state IS {REVIEW_STATE} AND r.rating > 1),"
    f" sum(r.before_state IS {REVIEW_STATE})"
    " FROM reviews r JOIN selected USING (card_id) WHERE r.reviewed_at >= :since"
    " GROUP BY r.card_id"
)
_PER_DAY = (
    "SELECT date(r.reviewed_at, 'localtime') AS day, count(*)"
    " FROM reviews r JOIN selected USING (card_id) WHERE {column} >= :since GROUP BY day"
)


def _refresh_state(db: sqlite3.Connection, card_id: str) -> None:
    row = db.execute(
        "SELECT state_after, reviewed_at, fsrs_version FROM reviews WHERE card_id = ?"
        " ORDER BY reviewed_at DESC, id DESC LIMIT 1",
        (card_id,),
    ).fetchone()
    if row is not None:
        _put_state(db, card_id, row[0], row[2], datetime.fromisoformat(row[1]))


def _put_state(
    db: sqlite3.Connection, card_id: str, state: str, fsrs_version: str, at: datetime
) -> None:
    """The one write of a card's current FSRS state (a review, an undo, an import)."""
    db.execute(
        "INSERT INTO card_states (card_id, fsrs_id, state, due, fsrs_version, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(card_id) DO UPDATE SET state = excluded.state,"
        " due = excluded.due, fsrs_version = excluded.fsrs_version,"
        " updated_at = excluded.updated_at",
        (card_id, stable_id(card_id), state, iso(due_of(state)), fsrs_version, iso(at)),
    )


def _given(answer: AnswerRecord) -> tuple[Any, ...]:
    """The columns of an answer as it was given, in the order of `given` to `domain`."""
    return (
        answer.given,
        int(answer.correct),
        int(answer.revealed),
        answer.mistake,
        round(answer.seconds, 3),
        iso(answer.answered_at),
        answer.domain,
    )


def _count(db: sqlite3.Connection, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _answer(row: Sequence[Any]) -> AnswerRecord:
    return AnswerRecord(
        card_id=row[0],
        topic=row[1],
        given=row[2],
        correct=bool(row[3]),
        revealed=bool(row[4]),
        mistake=row[5],
        seconds=float(row[6]),
        answered_at=datetime.fromisoformat(row[7]),
        domain=row[8],
    )


def _session(row: Sequence[Any]) -> SessionSummary:
    return SessionSummary(
        id=row[0],
        uid=row[1],
        kind=row[2],
        started_at=datetime.fromisoformat(row[3]),
        ended_at=datetime.fromisoformat(row[4]) if row[4] else None,
        topics=tuple(msgspec.json.decode(row[5])),
        tags=tuple(msgspec.json.decode(row[6])),
        mode=row[7],
        planned=row[8],
        lang=row[9],
        seed=row[10],
        answered=int(row[11]),
        correct=int(row[12]),
        seconds=float(row[13]),
        reviews=int(row[14]),
        cert=row[15],
        time_limit=row[16],
        pass_mark=row[17],
        status=row[18],
    )


def _connect(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise _explain(exc, path, "open") from exc


def _ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the data folder: {exc.strerror or exc}",
            where=str(folder),
            fix="set K8SQUIZ_HOME to a folder you can write",
        ) from exc


def _inspect(path: Path) -> None:
    """A read-only look at an existing file before any connection could write to it.

    Adopted: a missing or empty file, an SQLite file with nothing in it at all (a k8squiz
    stopped while creating it), and a k8squiz database of this schema or an older one.
    Refused, untouched: anything else, a newer k8squiz's database, and a damaged one. The
    full integrity check runs only when opening would write (a migration, or switching an
    older file to WAL), so a learner's every start stays quick.
    """
    header = _header(path)
    if not header:
        return
    wal = header[18:20] == b"\x02\x02"  # SQLite's file format bytes: 2 is WAL
    try:
        with closing(_read_only(path, settled=wal and not Path(f"{path}-wal").exists())) as look:
            app_id, used = look.execute(_LOOK).fetchone()
            _refuse_unless_ours(path, app_id, used)
            schema = _schema_of(look)
            if schema > SCHEMA_VERSION:
                raise _newer(path, schema)
            if not wal or schema < SCHEMA_VERSION:
                found = look.execute("PRAGMA integrity_check(1)").fetchone()[0]
                if found != "ok":
                    raise sqlite3.DatabaseError(f"database disk image is malformed: {found}")
    except sqlite3.Error as exc:
        raise _explain(exc, path, "open") from exc


def _header(path: Path) -> bytes:
    """The first 100 bytes of `path` (none for a new file); a file that is not SQLite is
    refused."""
    try:
        with open_regular(path) as handle:  # a FIFO or a device would hang or never end
            header = handle.read(100)
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise StoreError(
            f"cannot read the database: {exc.strerror or exc}", where=str(path)
        ) from exc
    if header and not header.startswith(SQLITE_HEADER):
        raise _not_ours(path)
    return header


def _read_only(path: Path, *, settled: bool = False) -> sqlite3.Connection:
    """A connection that cannot write to the file, whatever it is asked. `settled`: a WAL
    database with no WAL beside it, read as it is, without even creating the files SQLite
    keeps beside a WAL database while it is open."""
    uri = f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if settled else ''}"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)


def scratch_file(folder: Path, prefix: str, suffix: str) -> Path:
    """A new, empty file of k8squiz's own in the data folder (for an import, a backup)."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    except OSError as exc:
        raise StoreError(
            f"cannot write in the data folder: {exc.strerror or exc}",
            where=str(folder),
            fix="make the folder writable, or free some space",
        ) from exc
    os.close(fd)
    return Path(name)


def _schema_of(db: sqlite3.Connection) -> int:
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    return int(db.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] or 0)


def _row_counts(db: sqlite3.Connection) -> list[int]:
    return [_count(db, t) for t in ("sessions", "answers", "reviews", "card_states")]


def _verify_copy(path: Path, expected: list[int]) -> None:
    """A backup counts only if it opens, is sound, is ours, and holds every row."""
    with closing(_read_only(path)) as copy:
        sound = copy.execute("PRAGMA integrity_check(1)").fetchone()[0] == "ok"
        ours = copy.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        if not (sound and ours and _row_counts(copy) == expected):
            raise StoreError(
                "the backup did not check out (damaged or incomplete); nothing was forgotten",
                where=str(path),
                fix="make sure the disk has room and works, then try again",
            )


_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6  # SQLite's primary result codes


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite gave up waiting for another connection's lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(exc).lower() or "busy" in str(exc).lower()


def _newer(path: Path, schema: int) -> StoreError:
    return StoreError(
        f"the database was written by a newer k8squiz (schema {schema},"
        f" this one knows {SCHEMA_VERSION}); it was left untouched",
        where=str(path),
        fix="upgrade k8squiz: pip install --upgrade k8squiz",
    )


def _refuse_unless_ours(path: Path, app_id: int, used: int) -> None:
    """A file is ours when it carries k8squiz's application id, or nothing at all yet."""
    if app_id != APPLICATION_ID and (app_id != 0 or used):
        raise _not_ours(path)


def _not_ours(path: Path) -> StoreError:
    return StoreError(
        "this file is not a k8squiz database; it was left untouched",
        where=str(path),
        fix="move it away, or set K8SQUIZ_HOME to another folder",
    )


# What SQLite says -> what it means for the learner, and what to do. First match wins.
SQLITE_ERRORS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("locked", "busy"),
        "the database is busy in another k8squiz for too long",
        "try again in a moment",
    ),
    (
        ("readonly", "read-only", "unable to open"),
        "cannot {doing} the database: the file or its folder is read-only",
        "set K8SQUIZ_HOME to a folder you can write",
    ),
    (
        ("full",),
        "the disk is full; the answers given before this one are saved",
        "free some space and start again",
    ),
    (
        ("not a database", "malformed", "corrupt"),
        "the database file is damaged; it was left untouched",
        "restore it from a backup (k8squiz writes one before a reset),"
        " or move it away to start afresh",
    ),
)


def _explain(exc: sqlite3.Error, path: Path, doing: str) -> StoreError:
    text = str(exc).lower()
    for needles, message, fix in SQLITE_ERRORS:
        if any(needle in text for needle in needles):
            return StoreError(message.format(doing=doing), where=str(path), fix=fix)
    return StoreError(f"database error while trying to {doing}: {exc}", where=str(path))
