"""The progress database's schema, as an ordered list of named migrations.

Each migration is recorded in the database's `schema_migrations` table when it is applied;
a database never goes back to an earlier version. Add a migration at the end, never edit one
that has shipped: a learner's database may already hold it.
"""

from __future__ import annotations

from msgspec import Struct


class Migration(Struct, frozen=True):
    """A named schema change; its SQL is statements separated by ';' (none inside one).

    `rebuild`: it rebuilds a table other tables refer to (the way SQLite changes a CHECK
    constraint), so foreign keys are off while it runs and checked before it commits.
    """

    version: int
    name: str
    sql: str
    rebuild: bool = False


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "quiz sessions and answers",
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('quiz', 'study')),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            selection TEXT NOT NULL,
            topics TEXT NOT NULL,
            tags TEXT NOT NULL,
            mode TEXT NOT NULL,
            planned INTEGER NOT NULL,
            lang TEXT NOT NULL,
            seed INTEGER
        );
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            card_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            given TEXT NOT NULL,
            correct INTEGER NOT NULL,
            revealed INTEGER NOT NULL,
            mistake TEXT,
            seconds REAL NOT NULL,
            answered_at TEXT NOT NULL
        );
        CREATE INDEX answers_by_session ON answers(session_id);
        CREATE INDEX answers_by_card ON answers(card_id, answered_at);
        CREATE INDEX sessions_by_selection ON sessions(kind, selection, started_at);
        """,
    ),
    Migration(
        2,
        "fsrs card states and review log",
        """
        CREATE TABLE card_states (
            card_id TEXT PRIMARY KEY,
            fsrs_id INTEGER NOT NULL,
            state TEXT NOT NULL,
            due TEXT NOT NULL,
            fsrs_version TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            card_id TEXT NOT NULL,
            session_id INTEGER REFERENCES sessions(id),
            source TEXT NOT NULL CHECK (source IN ('quiz', 'study')),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed_at TEXT NOT NULL,
            duration_ms INTEGER,
            state_before TEXT,
            state_after TEXT NOT NULL,
            fsrs_version TEXT NOT NULL,
            answer_id INTEGER REFERENCES answers(id)
        );
        CREATE INDEX reviews_by_card ON reviews(card_id, reviewed_at);
        CREATE INDEX reviews_by_time ON reviews(reviewed_at);
        CREATE INDEX card_states_by_due ON card_states(due);
        """,
    ),
    Migration(
        3,
        "the FSRS state of each card before each review",
        """
        ALTER TABLE reviews ADD COLUMN before_state INTEGER;
        UPDATE reviews SET before_state = json_extract(state_before, '$.state')
        """,
    ),
    Migration(
        4,
        "exams and practice answers",
        # sessions gains the kind 'exam' and, for exams, the certification, the time limit,
        # the pass mark and how it ended. Exam answers (and those of `quiz --practice`) are
        # answers without a review: they never move a card's schedule. An exam answer keeps
        # the curriculum domain it was asked for.
        """
        CREATE TABLE sessions_new (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('quiz', 'study', 'exam')),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            selection TEXT NOT NULL,
            topics TEXT NOT NULL,
            tags TEXT NOT NULL,
            mode TEXT NOT NULL,
            planned INTEGER NOT NULL,
            lang TEXT NOT NULL,
            seed INTEGER,
            cert TEXT,
            time_limit INTEGER CHECK (time_limit IS NULL OR time_limit > 0),
            pass_mark INTEGER CHECK (pass_mark IS NULL OR pass_mark BETWEEN 0 AND 100),
            status TEXT CHECK (status IS NULL OR status IN ('submitted', 'timed-out', 'abandoned'))
        );
        INSERT INTO sessions_new (id, uid, kind, started_at, ended_at, selection, topics, tags,
            mode, planned, lang, seed)
            SELECT id, uid, kind, started_at, ended_at, selection, topics, tags, mode, planned,
            lang, seed FROM sessions;
        DROP TABLE sessions;
        ALTER TABLE sessions_new RENAME TO sessions;
        CREATE INDEX sessions_by_selection ON sessions(kind, selection, started_at);
        CREATE INDEX sessions_by_cert ON sessions(kind, cert, started_at);
        ALTER TABLE answers ADD COLUMN domain TEXT
        """,
        rebuild=True,
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
