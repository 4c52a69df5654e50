"""The progress database: schema upgrades, files that are not ours, writers at once, failing disks.

Every case is judged by what a learner would notice: answers kept or lost, a file left alone
or changed, one clear line or a traceback.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from k8squiz.errors import StoreError
from k8squiz.progress import store as store_module
from k8squiz.progress import transfer
from k8squiz.progress.memory import Memory
from k8squiz.progress.migrations import MIGRATIONS, SCHEMA_VERSION
from k8squiz.progress.records import AnswerRecord, SessionInfo
from k8squiz.progress.store import APPLICATION_ID, Store
from k8squiz.scheduler import FSRS_VERSION, Rating, Scheduler, dump, load, stable_id
from tests._builders import NOW, Reply, db_path, learner, query
from tests.conftest import CLI

CARD = "port-kube-apiserver-6443"
OTHER = "port-6443-component"


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read with plain sqlite3."""
    tables = [r[0] for r in query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: query(path, f"SELECT * FROM {t} ORDER BY rowid") for t in sorted(tables)}


def answer_at(card: str, n: int, *, given: str = "6443", correct: bool = True) -> AnswerRecord:
    return AnswerRecord(
        card, "ports", given, correct, False, None, 1.5, NOW + timedelta(minutes=n)
    )


def new_session(store: Store) -> int:
    return store.start_session(SessionInfo("quiz", ("ports",), (), "typed", 10, "en"), NOW)


def _only_wal(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode = WAL")


class TestNewDatabase:
    def test_a_new_database_is_marked_as_k8squiz_and_records_every_migration(
        self, home: Path
    ) -> None:
        """A first run creates a file k8squiz recognises, with each named migration recorded."""
        Store.open(db_path(home)).close()
        assert query(db_path(home), "PRAGMA application_id") == [(APPLICATION_ID,)]
        recorded = query(db_path(home), "SELECT version, name FROM schema_migrations")
        assert recorded == [(m.version, m.name) for m in MIGRATIONS]

    @pytest.mark.parametrize(
        "build",
        [
            pytest.param(lambda path: path.write_bytes(b""), id="an empty file"),
            pytest.param(_only_wal, id="an SQLite file with nothing in it (k8squiz stopped)"),
        ],
    )
    def test_a_file_with_nothing_in_it_is_adopted(
        self, home: Path, build: Callable[[Path], None]
    ) -> None:
        """What a k8squiz stopped while creating the database leaves is taken as new."""
        home.mkdir()
        build(db_path(home))
        with learner(home) as someone:
            someone.quiz([Reply(CARD, "6443", True)], NOW)
        assert query(db_path(home), "PRAGMA application_id") == [(APPLICATION_ID,)]
        assert query(db_path(home), "SELECT count(*) FROM answers") == [(1,)]

    def test_a_database_restored_in_rollback_journal_mode_opens(self, home: Path) -> None:
        """A k8squiz database copied back in rollback-journal mode opens, whole, in WAL."""
        with learner(home) as someone:
            someone.quiz([Reply(CARD, "6443", True)], NOW)
        with closing(sqlite3.connect(db_path(home))) as db:
            db.execute("PRAGMA journal_mode = DELETE")
        with learner(home) as someone:
            someone.quiz([Reply(OTHER, "etcd", False)], NOW + timedelta(hours=1))
        assert query(db_path(home), "PRAGMA journal_mode") == [("wal",)]
        assert query(db_path(home), "SELECT card_id FROM answers ORDER BY id") == [
            (CARD,),
            (OTHER,),
        ]


# A representative row set for every table any migration creates: text in two scripts,
# NULLs where a column allows them, both kinds of session and review.
_FIRST = Scheduler(fuzz=False).review(CARD, None, Rating.AGAIN, NOW)
_SECOND = Scheduler(fuzz=False).review(CARD, _FIRST.state, Rating.GOOD, NOW + timedelta(hours=1))
SAMPLE_ROWS: dict[str, list[dict[str, Any]]] = {
    "sessions": [
        {
            "id": 1,
            "uid": "a" * 32,
            "kind": "quiz",
            "started_at": "2026-03-01T09:00:00.000000+00:00",
            "ended_at": "2026-03-01T09:04:10.500000+00:00",
            "selection": '{"topics": ["ports"], "tags": [], "mode": "typed"}',
            "topics": '["ports"]',
            "tags": "[]",
            "mode": "typed",
            "planned": 10,
            "lang": "en",
            "seed": 42,
        },
        {
            "id": 2,
            "uid": "b" * 32,
            "kind": "study",
            "started_at": "2026-03-02T21:15:00.000000+00:00",
            "ended_at": None,
            "selection": '{"topics": [], "tags": ["exam-cka"], "mode": "study"}',
            "topics": "[]",
            "tags": '["exam-cka"]',
            "mode": "study",
            "planned": 20,
            "lang": "pt-BR",
            "seed": None,
        },
    ],
    "answers": [
        {
            "id": 1,
            "uid": "c" * 32,
            "session_id": 1,
            "card_id": CARD,
            "topic": "ports",
            "given": "8080",
            "correct": 0,
            "revealed": 0,
            "mistake": "8080",
            "seconds": 3.25,
            "answered_at": "2026-03-01T09:00:03.250000+00:00",
        },
        {
            "id": 2,
            "uid": "d" * 32,
            "session_id": 1,
            "card_id": OTHER,
            "topic": "ports",
            "given": "o API server — é o kube-apiserver ✓",
            "correct": 1,
            "revealed": 0,
            "mistake": None,
            "seconds": 7.0,
            "answered_at": "2026-03-01T09:00:10.000000+00:00",
        },
    ],
    "card_states": [
        {
            "card_id": CARD,
            "fsrs_id": stable_id(CARD),
            "state": dump(_SECOND.state),
            "due": _SECOND.due.isoformat(),
            "fsrs_version": FSRS_VERSION,
            "updated_at": "2026-03-02T21:15:04.000000+00:00",
        }
    ],
    "reviews": [
        {
            "id": 1,
            "uid": "e" * 32,
            "card_id": CARD,
            "session_id": 1,
            "source": "quiz",
            "rating": 1,
            "reviewed_at": "2026-03-01T09:00:03.250000+00:00",
            "duration_ms": None,
            "state_before": None,
            "state_after": dump(_FIRST.state),
            "fsrs_version": FSRS_VERSION,
            "answer_id": 1,
            "before_state": None,
        },
        {
            "id": 2,
            "uid": "f" * 32,
            "card_id": CARD,
            "session_id": 2,
            "source": "study",
            "rating": 3,
            "reviewed_at": "2026-03-02T21:15:04.000000+00:00",
            "duration_ms": 4200,
            "state_before": dump(_FIRST.state),
            "state_after": dump(_SECOND.state),
            "fsrs_version": FSRS_VERSION,
            "answer_id": None,
            "before_state": int(_FIRST.state.state),
        },
    ],
}


def _user_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name"
    )
    return [row[0] for row in rows]


def _fill(db: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Insert the sample rows of `table`; return its columns and rows as stored."""
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    for row in SAMPLE_ROWS[table]:
        assert set(columns) <= row.keys(), f"SAMPLE_ROWS[{table!r}] lacks a new column"
        values = [row[c] for c in columns]
        marks = ", ".join("?" for _ in columns)
        db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
    return columns, db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


class TestUpgrade:
    @pytest.mark.parametrize("version", range(SCHEMA_VERSION), ids=lambda v: f"schema-{v}")
    def test_a_database_of_an_earlier_version_upgrades_with_nothing_lost(
        self, tmp_path: Path, version: int
    ) -> None:
        """Opening a database an older k8squiz wrote upgrades it and keeps every row as it was."""
        path = tmp_path / "old.db"
        old = Store(sqlite3.connect(path, isolation_level=None), path)
        old.migrate(upto=version)
        tables = _user_tables(old.db)
        assert set(tables) <= SAMPLE_ROWS.keys(), "add sample rows for the new tables"
        before = {table: _fill(old.db, table) for table in tables}
        old.close()

        upgraded = Store.open(path)
        upgraded.close()

        migrations = query(path, "SELECT version, name FROM schema_migrations ORDER BY version")
        assert migrations == [(m.version, m.name) for m in MIGRATIONS]
        for table, (columns, rows) in before.items():
            assert query(path, f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid") == rows

    def test_the_upgraded_database_takes_new_answers(self, tmp_path: Path) -> None:
        """After an upgrade from the first schema, a quiz answer is saved with its review."""
        path = tmp_path / "old.db"
        old = Store(sqlite3.connect(path, isolation_level=None), path)
        old.migrate(upto=1)
        old.close()
        store = Store.open(path)
        Memory(store, Scheduler()).answer(new_session(store), answer_at(CARD, 0))
        store.close()
        assert query(path, "SELECT card_id FROM reviews") == [(CARD,)]


# Files k8squiz must refuse to open, and leave exactly as they were.


def _text_file(path: Path) -> None:
    path.write_text("# my notes\nkubectl get pods -A\n", encoding="utf-8")


def _other_application(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE bookmarks (url TEXT)")
        db.execute("INSERT INTO bookmarks VALUES ('https://kubernetes.io')")
    db.close()


def _other_application_id(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA application_id = 252006674")  # Fossil's
        db.execute("CREATE TABLE blob (rid INTEGER PRIMARY KEY)")
    db.close()


def _damaged(keep: int, *, rollback: bool = False) -> Callable[[Path], None]:
    """A real k8squiz database whose every byte after the first `keep` is garbage; in
    rollback-journal mode (as a copied or restored file can be) when `rollback`."""

    def build(path: Path) -> None:
        with learner(path.parent) as someone:
            someone.quiz([Reply(CARD, "6443", True)], NOW)
        if rollback:
            _to_rollback_journal(path)
        data = path.read_bytes()
        garbage = bytes(range(256)) * (len(data) // 256)
        path.write_bytes(data[:keep] + garbage[keep:])

    return build


def _to_rollback_journal(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode = DELETE")


def _only(*statements: str) -> Callable[[Path], None]:
    """Another program's SQLite file holding nothing but what `statements` make."""

    def build(path: Path) -> None:
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            for statement in statements:
                db.execute(statement)

    return build


NOT_OURS: dict[str, Callable[[Path], None]] = {
    "a text file": _text_file,
    "another application's database": _other_application,
    "a database with another application id": _other_application_id,
    "a damaged database (sound header)": _damaged(keep=100),
    "a damaged database (sound first page)": _damaged(keep=4096),
    "a damaged database in rollback-journal mode (sound header)": _damaged(100, rollback=True),
    "a damaged database in rollback-journal mode (sound first page)": _damaged(
        4096, rollback=True
    ),
    "an empty database with only user_version set": _only("PRAGMA user_version = 7"),
    "an empty database with only a view": _only("CREATE VIEW v AS SELECT 1 AS one"),
    "an empty database with only an application id": _only("PRAGMA application_id = 7"),
    "another application's WAL database": _only(
        "PRAGMA journal_mode = WAL", "CREATE TABLE notes (text TEXT)"
    ),
    "another application's WAL database with only a view": _only(
        "PRAGMA journal_mode = WAL", "CREATE VIEW v AS SELECT 1 AS one"
    ),
}


def _newer(path: Path) -> None:
    """A k8squiz database written by a future version (schema 999)."""
    with learner(path.parent) as someone:
        someone.quiz([Reply(CARD, "6443", True)], NOW)
        someone.store.db.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")


def _newer_rollback(path: Path) -> None:
    """A future k8squiz's database, in rollback-journal mode (WAL would change its header)."""
    _newer(path)
    _to_rollback_journal(path)


NEWER = {"in WAL mode": _newer, "in rollback-journal mode": _newer_rollback}


def _folder(home: Path) -> dict[str, bytes]:
    """Every file in the data folder, byte for byte."""
    return {p.name: p.read_bytes() for p in sorted(home.iterdir())}


def _make(home: Path, build: Callable[[Path], None]) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    build(db_path(home))
    return db_path(home)


class TestFilesThatAreNotOurs:
    @pytest.mark.parametrize("kind", NOT_OURS)
    def test_is_refused_and_left_byte_for_byte_untouched(self, home: Path, kind: str) -> None:
        """A file that is not a usable k8squiz database is named, with a fix, and not changed:
        not a byte of it, and no file appears beside it."""
        path = _make(home, NOT_OURS[kind])
        before = _folder(home)
        with pytest.raises(StoreError) as raised:
            Store.open(path)
        gc.collect()  # a connection left open would write on close
        assert str(path) in str(raised.value)
        assert "move it away" in raised.value.fix
        assert _folder(home) == before

    @pytest.mark.parametrize("mode", NEWER)
    def test_a_newer_database_is_refused_before_anything_writes(
        self, home: Path, mode: str
    ) -> None:
        """A newer k8squiz's database, in either journal mode, is refused with not a byte of it
        changed (switching it to WAL would rewrite its header) and nothing left beside it."""
        path = _make(home, NEWER[mode])
        before = _folder(home)
        with pytest.raises(StoreError, match="newer k8squiz") as raised:
            Store.open(path)
        gc.collect()
        assert "upgrade" in raised.value.fix
        assert _folder(home) == before

    def test_a_database_from_a_newer_k8squiz_is_refused_and_not_downgraded(
        self, home: Path
    ) -> None:
        """A newer k8squiz's database is reported with the upgrade to do, and its data kept."""
        path = _make(home, _newer)
        before = snapshot(path)
        with pytest.raises(StoreError) as raised:
            Store.open(path)
        gc.collect()
        assert "newer k8squiz" in str(raised.value)
        assert str(path) in str(raised.value)
        assert "upgrade" in raised.value.fix
        assert snapshot(path) == before

    def test_a_database_from_a_newer_k8squiz_is_left_byte_for_byte_untouched(
        self, home: Path
    ) -> None:
        """Refusing a newer k8squiz's database does not write to it at all."""
        path = _make(home, _newer)
        before = path.read_bytes()
        with pytest.raises(StoreError):
            Store.open(path)
        gc.collect()
        assert path.read_bytes() == before

    @pytest.mark.parametrize("kind", [*NOT_OURS, *NEWER])
    def test_the_command_line_says_so_in_one_line(self, home: Path, cli: CLI, kind: str) -> None:
        """`k8squiz history` on such a file prints one error line naming it, and exits 1."""
        path = _make(home, NOT_OURS.get(kind) or NEWER[kind])
        run = cli("history")
        assert run.code == 1
        assert len(run.err.splitlines()) == 1
        assert run.err.startswith("k8squiz: error:")
        assert str(path) in run.err
        assert "Traceback" not in run.err

    def test_damage_found_after_opening_is_reported_with_the_path(
        self, home: Path, cli: CLI
    ) -> None:
        """A database whose answer pages are garbage gives the same clear error as any damage."""
        with learner(home) as someone:
            for n in range(30):
                someone.quiz([Reply(CARD, "x" * 200, False)] * 10, NOW + timedelta(hours=n))
        path = db_path(home)
        data = bytearray(path.read_bytes())
        data[16 * 4096 : len(data) - 4096] = b"\x5a" * (len(data) - 17 * 4096)
        path.write_bytes(bytes(data))
        run = cli("history")
        assert run.code == 1
        assert run.err.startswith("k8squiz: error:")
        assert str(path) in run.err


# Two k8squiz processes writing to one database at the same time.

WRITER = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from k8squiz.progress.memory import Memory
from k8squiz.scheduler import Scheduler
from k8squiz.progress.records import AnswerRecord, SessionInfo
from k8squiz.progress.store import Store

path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = Store.open(path)
memory = Memory(store, Scheduler(fuzz=False))
start = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
session = store.start_session(SessionInfo("quiz", ("ports",), (), "typed", count, "en"), start)
print("ready", flush=True)
sys.stdin.readline()
for i in range(count):
    at = start + timedelta(seconds=i)
    card, given, correct = f"card-{i % 10}", f"{name}-{i}", i % 3 > 0
    answer = AnswerRecord(card, "ports", given, correct, False, None, 1.0, at)
    memory.answer(session, answer)
store.close()
"""

RATER = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from k8squiz.progress.memory import Memory
from k8squiz.scheduler import Rating, Scheduler
from k8squiz.progress.store import Store

path, rating, rounds = Path(sys.argv[1]), Rating(int(sys.argv[2])), int(sys.argv[3])
store = Store.open(path)
memory = Memory(store, Scheduler(fuzz=False))
start = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
for i in range(rounds):
    at = start + timedelta(days=i)
    shown = memory.preview("shared-card", at)
    print("shown", flush=True)
    sys.stdin.readline()
    memory.rate(None, "shared-card", rating, at, preview=shown)
store.close()
"""


def _start(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _release(processes: list[subprocess.Popen[str]], expect: str) -> None:
    """Wait until every process printed `expect`, then let them all go on at once."""
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == expect
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()


def _finish(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        process.communicate(timeout=120)
        assert process.returncode == 0


def _replays(path: Path) -> None:
    """Each card's reviews form one unbroken chain, and its state is where the chain ends."""
    scheduler = Scheduler(fuzz=False)
    reviews = query(
        path, "SELECT card_id, rating, reviewed_at, state_before, state_after FROM reviews"
    )
    last: dict[str, str | None] = {}
    for card_id, rating, at, before, after in reviews:
        assert before == last.get(card_id), f"a review of {card_id} missed the one before"
        state = None if before is None else load(before)
        replayed = scheduler.review(card_id, state, Rating(rating), datetime.fromisoformat(at))
        assert dump(replayed.state) == after
        last[card_id] = after
    assert dict(query(path, "SELECT card_id, state FROM card_states")) == last


class _Rows:
    """Rows already read, so the statement holds no lock while another k8squiz runs."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None


class TestWritersAtOnce:
    def test_two_processes_answering_at_once_lose_nothing(self, home: Path) -> None:
        """200 answers from each of two processes writing together are all saved and counted."""
        path = db_path(home)
        Store.open(path).close()  # created first: creating it at once is the race below
        writers = [_start(WRITER, path, name, 200) for name in ("left", "right")]
        _release(writers, "ready")
        _finish(writers)
        assert query(path, "PRAGMA integrity_check") == [("ok",)]
        given = {row[0] for row in query(path, "SELECT given FROM answers")}
        assert given == {f"{name}-{i}" for name in ("left", "right") for i in range(200)}
        linked = query(path, "SELECT count(*) FROM reviews r JOIN answers a ON a.id = r.answer_id")
        assert linked == [(400,)]
        _replays(path)

    def test_two_sessions_rating_the_same_card_at_once_both_count(self, home: Path) -> None:
        """When two sessions rate a card shown to both, the second rating builds on the first."""
        path = db_path(home)
        Store.open(path).close()
        raters = [_start(RATER, path, int(rating), 20) for rating in (Rating.GOOD, Rating.HARD)]
        for _ in range(20):
            _release(raters, "shown")
        _finish(raters)
        assert query(path, "SELECT count(*) FROM reviews") == [(40,)]
        _replays(path)

    def test_two_quizzes_at_once_keep_all_twenty_answers(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """Two `k8squiz quiz` runs, each reading 10 answers from a file, keep all 20."""
        quizzes = []
        for n in range(2):
            answers = tmp_path / f"answers-{n}.txt"
            answers.write_text("".join(f"answer {n}-{i}\n" for i in range(10)), encoding="utf-8")
            with answers.open(encoding="utf-8") as stdin:
                quizzes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "k8squiz", "quiz", "-t", "ports", "-n", "10"],
                        stdin=stdin,
                        stdout=subprocess.DEVNULL,
                        env={**os.environ, "K8SQUIZ_NOW": NOW.isoformat()},
                    )
                )
        for quiz in quizzes:
            assert quiz.wait(timeout=120) == 0
        sessions = json.loads(cli("history", "--json").out)["sessions"]
        given = sorted(a["given"] for s in sessions for a in s["answers"])
        assert given == sorted(f"answer {n}-{i}" for n in range(2) for i in range(10))

    def test_a_k8squiz_starting_while_another_creates_the_database_opens_it(
        self, home: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Two k8squiz started together on a fresh folder both open the database it gets."""
        path = db_path(home)
        connect = store_module._connect
        pending = [lambda: Store.open(path).close()]

        class Interleaved:
            """A connection after whose first look at the file another k8squiz creates it."""

            def __init__(self, db: sqlite3.Connection) -> None:
                self.db = db

            def execute(self, sql: str, *args: Any) -> Any:
                looks = "application_id" in sql or "sqlite_master" in sql
                if not looks or not pending:
                    return self.db.execute(sql, *args)
                rows = self.db.execute(sql, *args).fetchall()
                pending.pop()()
                return _Rows(rows)

            def __getattr__(self, name: str) -> Any:
                return getattr(self.db, name)

        opened: list[object] = []

        def first_interleaved(where: Path) -> Any:
            db = connect(where)
            opened.append(db)
            return Interleaved(db) if len(opened) == 1 else db

        monkeypatch.setattr(store_module, "_connect", first_interleaved)
        Store.open(path).close()
        assert not pending, "the other k8squiz never ran"


# A long write in another k8squiz: an answer waits for it, and is never lost.

IMPORT_HOLDING_THE_LOCK = """
import sys
from k8squiz.cli import main
from k8squiz.progress import store

refresh = store._refresh_state


def held(db, card_id):
    # Inside the import's one transaction: hold the write lock until told to go on.
    if not held.done:
        held.done = True
        print("locked", flush=True)
        sys.stdin.readline()
    refresh(db, card_id)


held.done = False
store._refresh_state = held
main(["progress", "import", sys.argv[1]])
"""


def _exported_history(tmp_path: Path) -> Path:
    """A progress file from another machine, with reviews (the import refreshes states)."""
    other = tmp_path / "other"
    with learner(other) as someone:
        someone.quiz([Reply(OTHER, "kube-apiserver", True)], NOW - timedelta(days=3))
        file = tmp_path / "progress.json"
        transfer.export(someone.store, file, NOW)
    return file


def _quiz(answers: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "k8squiz", "quiz", "-t", "ports", f"-n{answers}", "--seed=1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "K8SQUIZ_NOW": NOW.isoformat()},
    )


class TestLongWrites:
    def test_an_answer_given_while_an_import_holds_the_lock_is_saved(
        self, home: Path, tmp_path: Path
    ) -> None:
        """A quiz answering while `progress import` holds the write lock (for as long as it
        takes) says once that it waits, then saves every answer; the import lands too."""
        Store.open(db_path(home)).close()
        quiz = _quiz(2)
        assert quiz.stdout is not None
        assert quiz.stdin is not None
        assert quiz.stderr is not None
        while not quiz.stdout.readline().startswith("[ports"):  # its session is saved
            pass
        importer = _start(IMPORT_HOLDING_THE_LOCK, _exported_history(tmp_path))
        assert importer.stdout is not None
        assert importer.stdin is not None
        assert importer.stdout.readline().strip() == "locked"
        quiz.stdin.write("6443\nnot a port\n")
        quiz.stdin.close()
        waiting = quiz.stderr.readline()  # blocks until the quiz has waited a few seconds
        assert "Waiting for another k8squiz" in waiting
        assert "nothing is lost" in waiting
        importer.stdin.write("go\n")
        importer.stdin.flush()
        out, err = importer.communicate(timeout=60)
        assert importer.returncode == 0, err
        assert "Imported 1 session, 1 answer and 1 review" in out
        quiz.stdout.read()
        quiz.stdout.close()
        problems = quiz.stderr.read()
        quiz.stderr.close()
        assert quiz.wait(timeout=60) == 0, problems
        given = [row[0] for row in query(db_path(home), "SELECT given FROM answers ORDER BY id")]
        assert sorted(given) == sorted(["kube-apiserver", "6443", "not a port"])
        assert query(db_path(home), "SELECT count(*) FROM reviews") == [(3,)]
        _replays(db_path(home))

    def test_an_import_takes_no_lock_while_it_reads_and_checks_the_file(
        self, home: Path, tmp_path: Path
    ) -> None:
        """While an import is still reading its file, a session writes without waiting."""
        Store.open(db_path(home)).close()
        text = _exported_history(tmp_path).read_bytes()
        importer = subprocess.Popen(
            [sys.executable, "-m", "k8squiz", "progress", "import", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert importer.stdin is not None
        importer.stdin.write(text[: len(text) // 2])
        importer.stdin.flush()
        _wait_for(lambda: any(home.glob(".k8squiz-import-*")))  # it is reading the file
        store = Store.open(db_path(home))

        def waited() -> None:
            raise AssertionError("a session waited for an import that was only reading")

        store.waiting = waited
        Memory(store, Scheduler()).answer(new_session(store), answer_at(CARD, 0))
        store.close()
        importer.stdin.write(text[len(text) // 2 :])
        out, err = importer.communicate(timeout=60)
        assert importer.returncode == 0, err
        assert b"Imported 1 session, 1 answer and 1 review" in out
        assert query(db_path(home), "SELECT count(*) FROM answers") == [(2,)]
        assert not list(home.glob(".k8squiz-import-*"))


def _wait_for(condition: Callable[[], bool]) -> None:
    """Until `condition` holds, as another process gets there (at most a minute)."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "the other process never got there"
        time.sleep(0.01)


# Storage that fails under k8squiz.


class TestFailingStorage:
    @pytest.mark.parametrize("command", [["history"], ["quiz", "-t", "ports", "-n", "1"]])
    def test_a_data_folder_that_cannot_be_created_is_one_clear_line(
        self, tmp_path: Path, cli: CLI, command: list[str]
    ) -> None:
        """With K8SQUIZ_HOME under a regular file, k8squiz says so in one line and exits 1."""
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where a folder should be\n", encoding="utf-8")
        run = cli(*command, stdin="6443\n", env={"K8SQUIZ_HOME": str(blocker / "home")})
        assert run.code == 1
        assert len(run.err.splitlines()) == 1
        assert run.err.startswith("k8squiz: error:")
        assert str(blocker / "home") in run.err
        assert "K8SQUIZ_HOME" in run.err
        assert "Traceback" not in run.err

    def test_a_read_only_database_is_reported_and_earlier_answers_kept(self, home: Path) -> None:
        """A write refused as read-only says so, and the answers saved before it are kept."""
        store = Store.open(db_path(home))
        memory = Memory(store, Scheduler())
        session = new_session(store)
        for n in range(3):
            memory.answer(session, answer_at(CARD, n, given=f"try {n}"))
        store.db.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreError, match="read-only") as raised:
            memory.answer(session, answer_at(CARD, 3, given="try 3"))
        assert str(db_path(home)) in str(raised.value)
        store.close()
        assert query(db_path(home), "SELECT given FROM answers ORDER BY id") == [
            ("try 0",),
            ("try 1",),
            ("try 2",),
        ]
        assert query(db_path(home), "SELECT count(*) FROM reviews") == [(3,)]

    def _fill_disk(self, store: Store) -> tuple[list[str], StoreError]:
        """Answer until the database may grow no more; return what was saved and the error."""
        memory = Memory(store, Scheduler())
        session = new_session(store)
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
        saved: list[str] = []
        for n in range(1000):
            given = f"answer {n} " + "x" * 300
            try:
                memory.answer(session, answer_at(f"card-{n}", n, given=given))
            except StoreError as exc:
                return saved, exc
            saved.append(given)
        raise AssertionError("the disk never filled up")

    def test_answers_saved_before_the_disk_filled_are_intact(self, home: Path) -> None:
        """When the disk fills, the answer that did not fit fails and every earlier one is kept."""
        store = Store.open(db_path(home))
        saved, _ = self._fill_disk(store)
        store.close()
        assert saved, "the disk filled before the first answer"
        path = db_path(home)
        assert [row[0] for row in query(path, "SELECT given FROM answers ORDER BY id")] == saved
        assert query(path, "SELECT count(*) FROM reviews") == [(len(saved),)]
        assert query(path, "PRAGMA integrity_check") == [("ok",)]

    def test_a_full_disk_is_reported_as_a_full_disk(self, home: Path) -> None:
        """An answer that does not fit on the disk says the disk is full, and where."""
        store = Store.open(db_path(home))
        _, error = self._fill_disk(store)
        store.close()
        assert "disk is full" in str(error)
        assert str(db_path(home)) in str(error)


class TestHistory:
    @pytest.fixture(autouse=True)
    def _dates_in_utc(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TZ", "UTC")

    def _two_sessions(self, home: Path) -> None:
        with learner(home) as someone:
            someone.quiz(
                [Reply(CARD, "8080", False, mistake="8080"), Reply(OTHER, "kube-apiserver", True)],
                datetime(2026, 3, 9, 18, 30, tzinfo=timezone.utc),
            )
            someone.quiz(
                [Reply("helm-chart-is-the-package", "chart", True, topic="helm")],
                datetime(2026, 3, 10, 8, 5, tzinfo=timezone.utc),
            )

    def test_history_lists_quizzes_newest_first_with_date_topics_and_score(
        self, home: Path, cli: CLI
    ) -> None:
        """Each quiz appears on its own line with its date, its topics and its score."""
        self._two_sessions(home)
        rows = [line for line in cli("history").lines if "quiz" in line]
        assert len(rows) == 2
        assert "2026-03-10 08:05" in rows[0]
        assert "helm" in rows[0]
        assert "1/1 (100%)" in rows[0]
        assert "2026-03-09 18:30" in rows[1]
        assert "ports" in rows[1]
        assert "1/2 (50%)" in rows[1]

    def test_history_json_includes_every_answer(self, home: Path, cli: CLI) -> None:
        """`history --json` gives every answer: the card, what was typed, and the verdict."""
        self._two_sessions(home)
        document = json.loads(cli("history", "--json").out)
        assert document["version"] == 1
        answers = [
            (a["card"], a["given"], a["correct"], a["mistake"])
            for s in document["sessions"]
            for a in s["answers"]
        ]
        assert answers == [
            ("helm-chart-is-the-package", "chart", True, None),
            (CARD, "8080", False, "8080"),
            (OTHER, "kube-apiserver", True, None),
        ]
