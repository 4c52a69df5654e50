"""What the store keeps of exams: the migration that lets sessions be exams, and their answers."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from k8squiz.progress.migrations import SCHEMA_VERSION
from k8squiz.progress.records import AnswerRecord, ExamStatus, SessionInfo
from k8squiz.progress.store import Store
from tests._builders import NOW, Reply, learner, query

EXAM = SessionInfo("exam", (), (), "exam", 3, "en", 7, cert="kcna", time_limit=300, pass_mark=75)


def answer(card: str, given: str, correct: bool, seconds: float = 2.0) -> AnswerRecord:
    return AnswerRecord(
        card, "ports", given, correct, False, None, seconds, NOW, "kubernetes-fundamentals"
    )


@pytest.fixture
def upgraded(tmp_path: Path) -> Path:
    """A database written at schema 3 with a quiz in it, then opened by this k8squiz."""
    path = tmp_path / "k8squiz.db"
    old = Store(sqlite3.connect(path, isolation_level=None), path)
    old.migrate(upto=3)
    old.close()
    return tmp_path


class TestMigration:
    def test_an_old_database_takes_exams_and_keeps_its_quizzes(self, upgraded: Path) -> None:
        """After the upgrade a quiz and an exam sit side by side, each with its answers."""
        with learner(upgraded) as someone:
            someone.quiz([Reply("etcd-port", "2379", True)], NOW - timedelta(days=1))
            session = someone.store.start_session(EXAM, NOW)
            someone.store.put_exam_answer(session, answer("etcd-port", "2380", False))
            someone.store.end_session(session, NOW, ExamStatus.SUBMITTED)
            version = someone.store.schema_version()
        rows = query(
            upgraded / "k8squiz.db", "SELECT kind, cert, status FROM sessions ORDER BY id"
        )
        assert rows == [("quiz", None, None), ("exam", "kcna", "submitted")]
        assert version == SCHEMA_VERSION

    def test_the_rebuilt_table_still_checks_kinds_statuses_and_links(self, upgraded: Path) -> None:
        """An unknown kind or status is refused, and an answer must point at a session."""
        store = Store.open(upgraded / "k8squiz.db")
        try:
            db = store.db
            assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
            session = store.start_session(EXAM, NOW)
            with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
                db.execute("UPDATE sessions SET kind = 'drill' WHERE id = ?", (session,))
            with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
                db.execute("UPDATE sessions SET status = 'paused' WHERE id = ?", (session,))
            with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
                store.add_answer(db, 999, answer("etcd-port", "2379", True))
        finally:
            store.close()


class TestExamAnswers:
    def test_a_changed_answer_replaces_the_first_and_adds_up_the_time(
        self, tmp_path: Path
    ) -> None:
        """Two answers to one question: one row, the second answer, the seconds of both."""
        with learner(tmp_path) as someone:
            store = someone.store
            session = store.start_session(EXAM, NOW)
            store.put_exam_answer(session, answer("etcd-port", "2380", False, 3.0))
            store.put_exam_answer(session, answer("etcd-port", "2379", True, 4.5))
            [saved] = store.session_answers(session)
        assert (saved.given, saved.correct, saved.seconds) == ("2379", True, 7.5)
        assert saved.domain == "kubernetes-fundamentals"

    def test_an_exam_is_scored_against_all_its_questions(self, tmp_path: Path) -> None:
        """One right of three planned: 33%, failed against 75%; abandoned is not scored."""
        with learner(tmp_path) as someone:
            store = someone.store
            done = store.start_session(EXAM, NOW)
            store.put_exam_answer(done, answer("etcd-port", "2379", True))
            store.end_session(done, NOW, ExamStatus.TIMED_OUT)
            gave_up = store.start_session(EXAM, NOW + timedelta(hours=1))
            store.end_session(gave_up, NOW + timedelta(hours=1), ExamStatus.ABANDONED)
            latest, first = store.sessions("exam", cert="kcna")
        assert (first.correct, first.score_base, round(first.percent or 0)) == (1, 3, 33)
        assert (first.passed, latest.passed) == (False, None)
