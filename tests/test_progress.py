"""Progress as a file: export, import (a merge that never duplicates), and reset with a backup."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pexpect
import pytest

from k8squiz import __version__
from k8squiz.errors import StoreError
from k8squiz.progress import store as store_module
from k8squiz.progress import transfer as progress
from k8squiz.progress.store import APPLICATION_ID
from k8squiz.scheduler import Rating
from tests._builders import NOW, Reply, counts, days_ago, db_path, learner, query
from tests.conftest import CLI, Run

PORTS = ("port-kube-apiserver-6443", "port-6443-component", "port-etcd-client-2379")
HELM = ("helm-chart-is-the-package", "helm-big-three-concepts")
FIXED_NOW = {"K8SQUIZ_NOW": NOW.isoformat()}


def some_history(home: Path, start: float = 3) -> None:
    """A quiz on ports and a study session on helm, `start` days ago."""
    with learner(home) as someone:
        someone.quiz(
            [
                Reply(PORTS[0], "8080", False, mistake="8080"),
                Reply(PORTS[1], "kube-apiserver", True),
                Reply(PORTS[2], "2379", True),
            ],
            days_ago(start),
        )
        someone.study([(HELM[0], Rating.GOOD), (HELM[1], Rating.AGAIN)], days_ago(start - 1))


def history(cli: CLI, home: Path) -> list[dict[str, Any]]:
    """`k8squiz history --json` of a data folder, without the ids local to that database."""
    run = cli("history", "--json", "-n", "100", env={"K8SQUIZ_HOME": str(home)})
    assert run.code == 0, run.err
    return [{k: v for k, v in s.items() if k != "id"} for s in json.loads(run.out)["sessions"]]


def card_states(home: Path) -> list[tuple[Any, ...]]:
    return query(db_path(home), "SELECT card_id, state, due FROM card_states ORDER BY card_id")


def export_from(cli: CLI, home: Path, file: Path) -> Path:
    run = cli("progress", "export", str(file), env={"K8SQUIZ_HOME": str(home)})
    assert run.code == 0, run.err
    return file


def import_into(cli: CLI, home: Path, file: Path) -> Run:
    return cli("progress", "import", str(file), env={"K8SQUIZ_HOME": str(home)})


# How a progress file k8squiz wrote begins (the rest does not matter to an export over it)
AN_EARLIER_EXPORT = '{"format":"k8squiz-progress","version":1}\n'


class TestExport:
    def test_export_is_versioned_json_holding_every_record_with_its_uid(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """The export names its format and version, and links answers and reviews by uid."""
        some_history(home)
        file = tmp_path / "progress.json"
        run = cli("progress", "export", str(file))
        assert "Exported 2 sessions, 3 answers and 5 reviews" in run.out
        document = json.loads(file.read_text(encoding="utf-8"))
        assert (document["format"], document["version"]) == ("k8squiz-progress", 1)
        assert document["k8squiz"] == __version__
        sessions = {s["uid"] for s in document["sessions"]}
        answers = {a["uid"] for a in document["answers"]}
        reviews = {r["uid"] for r in document["reviews"]}
        assert (len(sessions), len(answers), len(reviews)) == (2, 3, 5)
        assert {a["session"] for a in document["answers"]} <= sessions
        assert {r["answer"] for r in document["reviews"]} == answers | {None}
        assert [a["given"] for a in document["answers"]] == ["8080", "kube-apiserver", "2379"]

    def test_the_export_holds_one_row_a_line(self, home: Path, cli: CLI, tmp_path: Path) -> None:
        """Each row is alone on its line (after the header line), so files diff line by line
        and a reader can take them one at a time."""
        some_history(home)
        file = export_from(cli, home, tmp_path / "progress.json")
        lines = file.read_text(encoding="utf-8").splitlines()
        rows = [line.rstrip(",") for line in lines if line.startswith('{"uid"')]
        assert len(rows) == 2 + 3 + 5
        assert all(set(json.loads(row)) >= {"uid"} for row in rows)

    def test_a_symlink_is_written_through_and_stays_a_link(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """Exporting to a link updates the file it points to (in another folder, as a synced
        folder is) and leaves the link in place, pointing there."""
        some_history(home)
        synced = tmp_path / "synced" / "progress.json"
        synced.parent.mkdir()
        synced.write_text(AN_EARLIER_EXPORT, encoding="utf-8")
        synced.chmod(0o640)
        link = tmp_path / "progress.json"
        link.symlink_to(synced)
        run = cli("progress", "export", str(link))
        assert run.code == 0, run.err
        assert link.is_symlink()
        assert link.resolve() == synced.resolve()
        assert json.loads(synced.read_text(encoding="utf-8"))["format"] == "k8squiz-progress"
        assert synced.stat().st_mode & 0o777 == 0o640
        assert sorted(p.name for p in synced.parent.iterdir()) == ["progress.json"]

    def test_a_link_to_a_file_not_yet_written_creates_it(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """A link whose target does not exist yet gets its target written."""
        some_history(home)
        target = tmp_path / "target.json"
        link = tmp_path / "link.json"
        link.symlink_to(target)
        assert cli("progress", "export", str(link)).code == 0
        assert link.is_symlink()
        assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1

    def test_a_file_with_other_hard_links_is_updated_under_every_name(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """A hard-linked export target keeps its links: every name shows the new export."""
        some_history(home)
        first = tmp_path / "progress.json"
        first.write_text(AN_EARLIER_EXPORT, encoding="utf-8")
        second = tmp_path / "backup-name.json"
        second.hardlink_to(first)
        assert cli("progress", "export", str(first)).code == 0
        assert first.samefile(second)
        assert json.loads(second.read_text(encoding="utf-8"))["format"] == "k8squiz-progress"

    @pytest.mark.parametrize(
        "kind", ["a folder", "a FIFO (named pipe)", "a socket", "a character device"]
    )
    def test_a_target_that_is_not_a_regular_file_is_refused_and_left_alone(
        self, home: Path, cli: CLI, tmp_path: Path, kind: str
    ) -> None:
        """A folder, a FIFO, a socket or a device (like /dev/full, as root too) is never
        replaced or written, nor through a link: one line saying what it is, exit 2, nothing
        left behind."""
        some_history(home)
        target = _special(tmp_path, kind)
        link = _linked(tmp_path, target)
        mode = target.stat().st_mode
        before = sorted(target.parent.iterdir()), sorted(tmp_path.iterdir())
        for path in (target, link):
            run = cli("progress", "export", str(path))
            assert run.code == 2
            assert len(run.err.splitlines()) == 1
            assert kind in run.err
            assert target.stat().st_mode == mode
            assert (sorted(target.parent.iterdir()), sorted(tmp_path.iterdir())) == before

    def test_dash_writes_the_export_to_stdout(self, home: Path, cli: CLI, tmp_path: Path) -> None:
        """`export -` prints the progress file itself (and says what it wrote on stderr);
        no file named '-' appears."""
        some_history(home)
        run = cli("progress", "export", "-", cwd=tmp_path)
        assert run.code == 0, run.err
        assert json.loads(run.out)["format"] == "k8squiz-progress"
        assert "Exported 2 sessions, 3 answers and 5 reviews" in run.err
        assert not (tmp_path / "-").exists()
        elsewhere = tmp_path / "elsewhere"
        imported = cli(
            "progress", "import", "-", stdin=run.out, env={"K8SQUIZ_HOME": str(elsewhere)}
        )
        assert "Imported 2 sessions, 3 answers and 5 reviews" in imported.out
        assert history(cli, elsewhere) == history(cli, home)

    def test_an_export_replaces_an_earlier_export_but_no_other_file(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """A second export replaces the first; a deck (or any file k8squiz did not write) is
        left as it is, with one line that names it and says what to do."""
        some_history(home)
        earlier = tmp_path / "progress.json"
        earlier.write_bytes(b"")  # an empty file holds nothing to lose
        for _ in range(2):
            run = cli("progress", "export", str(earlier))
            assert run.code == 0, run.err
        assert json.loads(earlier.read_text(encoding="utf-8"))["format"] == "k8squiz-progress"
        deck = tmp_path / "deck.yaml"
        deck.write_text("topic: mine\n", encoding="utf-8")
        run = cli("progress", "export", str(deck))
        assert run.code == 2
        assert run.err.count("\n") == 1
        assert "deck.yaml" in run.err
        assert "not a k8squiz progress file" in run.err
        assert deck.read_text(encoding="utf-8") == "topic: mine\n"

    def test_an_export_never_creates_a_mistyped_folder(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """A folder that does not exist is refused, not created."""
        some_history(home)
        run = cli("progress", "export", str(tmp_path / "Dowloads" / "progress.json"))
        assert run.code == 2
        assert "does not exist" in run.err
        assert not (tmp_path / "Dowloads").exists()

    @pytest.mark.parametrize("name", ["k8squiz.db", "k8squiz.db-wal"])
    def test_the_database_itself_is_never_exported_over(
        self, home: Path, cli: CLI, tmp_path: Path, name: str
    ) -> None:
        """Exporting onto the progress database (or its WAL), even through a link, is refused."""
        some_history(home)
        before = db_path(home).read_bytes()
        link = tmp_path / "link.json"
        link.symlink_to(home / name)
        for path in (home / name, link):
            run = cli("progress", "export", str(path))
            assert run.code == 2
            assert "progress database" in run.err
        assert db_path(home).read_bytes() == before


class TestImport:
    def test_importing_into_an_empty_home_reproduces_history_and_card_states(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """On a new machine, the imported history and every card's memory are the same."""
        some_history(home)
        file = export_from(cli, home, tmp_path / "progress.json")
        elsewhere = tmp_path / "elsewhere"
        run = import_into(cli, elsewhere, file)
        assert "Imported 2 sessions, 3 answers and 5 reviews" in run.out
        assert "already here" not in run.out
        assert history(cli, elsewhere) == history(cli, home)
        assert card_states(elsewhere) == card_states(home)
        assert len(card_states(home)) == 5

    def test_importing_the_same_file_twice_changes_nothing(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """A second import of one file adds nothing and says it added nothing."""
        some_history(tmp_path / "elsewhere")
        file = export_from(cli, tmp_path / "elsewhere", tmp_path / "progress.json")
        import_into(cli, home, file)
        before = (counts(db_path(home)), card_states(home))
        run = import_into(cli, home, file)
        assert run.code == 0
        assert "Imported 0 sessions, 0 answers and 0 reviews (10 records already here)" in run.out
        assert (counts(db_path(home)), card_states(home)) == before

    def _two_homes(self, tmp_path: Path) -> tuple[Path, Path]:
        """Two machines: an older quiz on one, a newer quiz on the other, one card on both."""
        laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
        with learner(laptop) as someone:
            someone.quiz([Reply(PORTS[0], "6443", True), Reply(PORTS[1], "etcd", False)], NOW)
        with learner(desktop) as someone:
            someone.quiz(
                [Reply(PORTS[0], "443", False, mistake="443"), Reply(HELM[0], "chart", True)],
                NOW + timedelta(days=1),
            )
        return laptop, desktop

    def test_merging_two_homes_gives_the_union(self, cli: CLI, tmp_path: Path) -> None:
        """Importing one machine's export into another's keeps both histories, each once."""
        laptop, desktop = self._two_homes(tmp_path)
        expected = history(cli, laptop) + history(cli, desktop)
        import_into(cli, desktop, export_from(cli, laptop, tmp_path / "laptop.json"))
        merged = history(cli, desktop)
        assert sorted(map(json.dumps, merged)) == sorted(map(json.dumps, expected))
        assert counts(db_path(desktop)) == {
            "sessions": 2,
            "answers": 4,
            "reviews": 4,
            "card_states": 3,
        }

    def test_after_a_merge_a_card_keeps_the_state_of_its_latest_review(
        self, cli: CLI, tmp_path: Path
    ) -> None:
        """A card reviewed on both machines ends in the state its most recent review left."""
        laptop, desktop = self._two_homes(tmp_path)
        [latest] = [row for row in card_states(desktop) if row[0] == PORTS[0]]
        import_into(cli, laptop, export_from(cli, desktop, tmp_path / "desktop.json"))
        assert latest in card_states(laptop)

    @pytest.mark.parametrize("indent", [None, 1, 4], ids=["one line", "indent 1", "indent 4"])
    def test_a_progress_file_in_another_layout_imports_the_same(
        self, cli: CLI, tmp_path: Path, indent: int | None
    ) -> None:
        """Earlier k8squiz exports (indented) and files rewritten by other tools still import,
        their keys in any order."""
        some_history(tmp_path / "elsewhere")
        file = export_from(cli, tmp_path / "elsewhere", tmp_path / "progress.json")
        document = json.loads(file.read_text(encoding="utf-8"))
        reordered = {k: document[k] for k in reversed(list(document))}
        file.write_text(json.dumps(reordered, indent=indent), encoding="utf-8")
        home = tmp_path / "home"
        run = import_into(cli, home, file)
        assert "Imported 2 sessions, 3 answers and 5 reviews" in run.out, run.err
        assert history(cli, home) == history(cli, tmp_path / "elsewhere")

    def test_after_a_merge_history_is_still_newest_first(self, cli: CLI, tmp_path: Path) -> None:
        """Sessions imported from another machine take their place by date in `history`."""
        laptop, desktop = self._two_homes(tmp_path)
        import_into(cli, desktop, export_from(cli, laptop, tmp_path / "laptop.json"))
        started = [s["started_at"] for s in history(cli, desktop)]
        assert started == sorted(started, reverse=True)


@pytest.mark.parametrize(
    "kind", ["a folder", "a FIFO (named pipe)", "a socket", "a character device"]
)
def test_importing_what_is_not_a_regular_file_is_refused_at_once(
    home: Path, cli: CLI, tmp_path: Path, kind: str
) -> None:
    """A FIFO would wait for a writer for ever and a device never ends: progress import names
    what the path is, in one line, exit 2, without reading it (the run has a time limit)."""
    target = _special(tmp_path, kind)
    if target == Path("/dev/null"):
        pytest.skip("a device of its own needs root")
    run = cli("progress", "import", str(target))
    assert run.code == 2
    assert f"it is {kind}, not a regular file" in run.err
    assert len(run.err.splitlines()) == 1


def test_a_database_path_that_is_a_fifo_is_refused_not_waited_on(home: Path, cli: CLI) -> None:
    """A FIFO where the database belongs is one clear line, never a hang."""
    home.mkdir(parents=True, exist_ok=True)
    os.mkfifo(db_path(home))
    run = cli("history")
    assert run.code == 1
    assert "it is a FIFO (named pipe), not a regular file" in run.err


def _special(folder: Path, kind: str) -> Path:
    """A file of `kind` to export onto; the device is a private copy of /dev/full where
    the tests may make one (as root), since a regression would replace the real one."""
    path = folder / "special"
    if kind == "a folder":
        path.mkdir()
    elif kind == "a FIFO (named pipe)":
        os.mkfifo(path)
    elif kind == "a socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
    else:
        try:
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        except PermissionError:
            return Path("/dev/null")  # not root: nothing here can replace it
    return path


def _linked(folder: Path, target: Path) -> Path:
    link = folder / "link-to-it"
    link.symlink_to(target)
    return link


def _text(path: Path, _: dict[str, Any]) -> None:
    path.write_text("sessions,answers\n1,2\n", encoding="utf-8")


def _binary(path: Path, _: dict[str, Any]) -> None:
    path.write_bytes(bytes(range(256)))


Writer = Callable[[Path, dict[str, Any]], None]


def _edited(change: Callable[[dict[str, Any]], object]) -> Writer:
    """A damaged copy of a real export: `change` edits the document in place first."""

    def write(path: Path, document: dict[str, Any]) -> None:
        change(document)
        path.write_text(json.dumps(document), encoding="utf-8")

    return write


def _foreign(path: Path, _: dict[str, Any]) -> None:
    path.write_text(json.dumps({"format": "anki-export", "cards": []}), encoding="utf-8")


def _in_a_list(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps([document]), encoding="utf-8")


def _truncated(path: Path, document: dict[str, Any]) -> None:
    text = json.dumps(document, indent=1)
    path.write_text(text[: len(text) // 2], encoding="utf-8")


# `progress reset --yes`, stopped for good while it copies the database.
KILLED_RESET = """
import sys
from k8squiz.cli import main
from k8squiz.progress import store

def copying(path, expected):
    print("copying", flush=True)
    sys.stdin.readline()  # killed here

store._verify_copy = copying
main(["progress", "reset", "--yes"])
"""

BAD_FILES = [
    pytest.param(_text, id="a CSV file"),
    pytest.param(_binary, id="a binary file"),
    pytest.param(_foreign, id="another format"),
    pytest.param(_in_a_list, id="an export inside a list"),
    pytest.param(_truncated, id="a truncated export"),
    pytest.param(_edited(lambda d: d["answers"][1].pop("given")), id="an answer without a field"),
    pytest.param(_edited(lambda d: d.update(sessions={"uid": "x"})), id="sessions not a list"),
    pytest.param(_edited(lambda d: d["reviews"][0].update(rating=9)), id="a rating out of range"),
    pytest.param(
        _edited(lambda d: d["answers"][0].update(session="0" * 32)),
        id="an answer of a session not in the file",
    ),
    pytest.param(
        _edited(lambda d: d["reviews"][-1].update(state_after="garbage")),
        id="a card state that is not JSON",
    ),
]


class TestRefusedFiles:
    @pytest.fixture
    def export(self, tmp_path: Path) -> dict[str, Any]:
        """A real export from another machine, as a document."""
        other = tmp_path / "other"
        some_history(other)
        with learner(other) as someone:
            progress.export(someone.store, tmp_path / "real.json", NOW)
        document: dict[str, Any] = json.loads((tmp_path / "real.json").read_text("utf-8"))
        return document

    @pytest.mark.parametrize("write", BAD_FILES)
    def test_a_damaged_or_foreign_file_is_refused_and_nothing_imported(
        self,
        home: Path,
        cli: CLI,
        tmp_path: Path,
        export: dict[str, Any],
        write: Writer,
    ) -> None:
        """A file that is not a sound k8squiz export gives one clear error and imports nothing."""
        some_history(home, start=10)
        before = counts(db_path(home))
        file = tmp_path / "progress.json"
        write(file, export)
        run = import_into(cli, home, file)
        assert run.code == 1
        assert run.err.startswith("k8squiz: error:")
        assert len(run.err.splitlines()) == 1
        assert counts(db_path(home)) == before

    def test_a_file_from_a_newer_k8squiz_is_refused(
        self, home: Path, cli: CLI, tmp_path: Path, export: dict[str, Any]
    ) -> None:
        """An export in a format version this k8squiz does not know is refused, naming the fix."""
        some_history(home, start=10)
        before = counts(db_path(home))
        file = tmp_path / "progress.json"
        file.write_text(json.dumps({**export, "version": 2}), encoding="utf-8")
        run = import_into(cli, home, file)
        assert run.code == 1
        assert "newer k8squiz" in run.err
        assert "upgrade" in run.err
        assert counts(db_path(home)) == before


class TestReset:
    def _backups(self, home: Path) -> list[Path]:
        return sorted(home.glob("k8squiz-backup-*.db"))

    def test_reset_writes_a_backup_then_forgets_everything(self, home: Path, cli: CLI) -> None:
        """`reset --yes` first copies the whole database beside it, says where, then empties it."""
        some_history(home)
        before = {t: query(db_path(home), f"SELECT * FROM {t}") for t in ("answers", "reviews")}
        run = cli("progress", "reset", "--yes", env=FIXED_NOW)
        assert run.code == 0, run.err
        [backup] = self._backups(home)
        assert str(backup) in run.out.replace("\n", "")
        assert "Forgot 2 sessions, 3 answers and 5 reviews." in " ".join(run.out.split())
        assert query(backup, "PRAGMA application_id") == [(APPLICATION_ID,)]
        assert query(backup, "PRAGMA integrity_check") == [("ok",)]
        assert {t: query(backup, f"SELECT * FROM {t}") for t in before} == before
        assert counts(db_path(home)) == dict.fromkeys(counts(db_path(home)), 0)
        assert "No session yet" in cli("history").out

    def test_reset_of_one_topic_forgets_only_its_study_ratings(self, home: Path, cli: CLI) -> None:
        """`reset --topic ports` forgets the ports cards and keeps every other card's memory."""
        with learner(home) as someone:
            someone.study([(PORTS[0], Rating.GOOD), (HELM[0], Rating.EASY)], days_ago(2))
            someone.study([(PORTS[1], Rating.AGAIN)], days_ago(1))
        run = cli("progress", "reset", "--topic", "ports", "--yes", env=FIXED_NOW)
        assert run.code == 0, run.err
        assert len(self._backups(home)) == 1
        assert query(db_path(home), "SELECT card_id FROM reviews") == [(HELM[0],)]
        assert [row[0] for row in card_states(home)] == [HELM[0]]
        assert query(db_path(home), "SELECT count(*) FROM sessions") == [(1,)]

    def test_reset_of_one_topic_forgets_only_its_quiz_answers(self, home: Path, cli: CLI) -> None:
        """After a quiz on two topics, `reset --topic ports` keeps the helm answers and reviews."""
        with learner(home) as someone:
            someone.quiz(
                [Reply(PORTS[0], "6443", True), Reply(HELM[0], "chart", True, topic="helm")],
                days_ago(1),
            )
        run = cli("progress", "reset", "--topic", "ports", "--yes", env=FIXED_NOW)
        assert run.code == 0, run.err
        assert query(db_path(home), "SELECT card_id FROM answers") == [(HELM[0],)]
        assert query(db_path(home), "SELECT card_id FROM reviews") == [(HELM[0],)]
        assert [row[0] for row in card_states(home)] == [HELM[0]]

    def test_the_command_a_reset_prints_undoes_it_and_keeps_what_came_after(
        self, home: Path, cli: CLI
    ) -> None:
        """`reset` says how to undo it; that command, run as printed after another session,
        brings back every forgotten session, answer, review and card state and keeps the new
        session. Running it again adds nothing; the backup is not written to."""
        some_history(home)
        before = history(cli, home)
        states = card_states(home)
        run = cli("progress", "reset", "--topic", "ports", "--yes", env=FIXED_NOW)
        [backup] = self._backups(home)
        undo = run.out.replace("\n", "").split("to undo: ", 1)[1].rstrip(")")
        assert shlex.split(undo) == ["k8squiz", "progress", "import", str(backup)]
        with learner(home) as someone:
            someone.quiz([Reply(HELM[0], "chart", True, topic="helm")], days_ago(0.5))
        after_reset = history(cli, home)[0]
        saved = backup.read_bytes()
        restored = cli(*shlex.split(undo)[1:])
        assert restored.code == 0, restored.err
        assert history(cli, home) == [after_reset, *before]
        assert [s for s in card_states(home) if s[0] in PORTS] == [
            s for s in states if s[0] in PORTS
        ]
        again = cli(*shlex.split(undo)[1:])
        assert "Imported 0 sessions, 0 answers and 0 reviews (" in again.out
        assert backup.read_bytes() == saved
        assert list(home.glob(".k8squiz-*")) == []  # the copy it was read through is gone

    def test_importing_a_database_that_is_not_k8squizs_is_refused(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """Another program's SQLite file, or k8squiz's own database, imports nothing."""
        some_history(home)
        before = counts(db_path(home))
        other = tmp_path / "other.db"
        with closing(sqlite3.connect(other)) as db:
            db.execute("CREATE TABLE t (x)")
            db.commit()
        refused = import_into(cli, home, other)
        assert refused.code == 1
        assert "not a k8squiz database" in refused.err
        assert "nothing was imported" in refused.err
        own = import_into(cli, home, db_path(home))
        assert own.code == 2
        assert "k8squiz's own progress database" in own.err
        assert counts(db_path(home)) == before

    def test_reset_without_yes_and_without_a_terminal_refuses(self, home: Path, cli: CLI) -> None:
        """Without --yes and with no one to ask, reset exits 2 and changes nothing."""
        some_history(home)
        before = counts(db_path(home))
        run = cli("progress", "reset")
        assert run.code == 2
        assert "no terminal to ask for a confirmation" in run.err
        assert "nothing was changed (pass --yes" in run.err
        assert counts(db_path(home)) == before
        assert self._backups(home) == []

    def test_a_second_reset_in_the_same_second_keeps_the_first_backup(
        self, home: Path, cli: CLI
    ) -> None:
        """Two resets in a row leave a backup that still holds the progress from before both."""
        some_history(home)
        answers = query(db_path(home), "SELECT * FROM answers")
        cli("progress", "reset", "--yes", env=FIXED_NOW)
        cli("progress", "reset", "--yes", env=FIXED_NOW)
        assert any(query(b, "SELECT * FROM answers") == answers for b in self._backups(home))

    def test_a_backup_damaged_on_its_way_to_disk_stops_the_reset(
        self, home: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A backup that does not check out (here: garbled once written) is not given a
        backup's name, nothing is forgotten, and the error says so."""
        some_history(home)
        before = counts(db_path(home))
        verify = store_module._verify_copy

        def garbled(path: Path, expected: list[int]) -> None:
            data = bytearray(path.read_bytes())
            data[4096:] = b"\x5a" * (len(data) - 4096)
            path.write_bytes(bytes(data))
            verify(path, expected)

        monkeypatch.setattr(store_module, "_verify_copy", garbled)
        with learner(home) as someone, pytest.raises(StoreError) as raised:
            progress.reset(someone.store, None, NOW)
        assert "nothing was forgotten" in str(raised.value)
        assert self._backups(home) == []
        assert not list(home.glob(".k8squiz-backup-*"))
        assert counts(db_path(home)) == before

    def test_a_reset_killed_during_its_backup_leaves_no_backup_and_forgets_nothing(
        self, home: Path, tmp_path: Path
    ) -> None:
        """Killed while the backup is written, a reset leaves no file named as a backup (a
        damaged one would be restored from) and the database as it was."""
        some_history(home)
        before = counts(db_path(home))
        reset = subprocess.Popen(
            [sys.executable, "-c", KILLED_RESET],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **FIXED_NOW},
        )
        assert reset.stdout is not None
        assert reset.stdout.readline().strip() == "copying"
        reset.send_signal(signal.SIGKILL)
        reset.communicate(timeout=60)
        assert self._backups(home) == []
        assert counts(db_path(home)) == before
        assert query(db_path(home), "PRAGMA integrity_check") == [("ok",)]

    def test_ctrl_d_at_the_question_interrupts_like_ctrl_c(self, home: Path) -> None:
        """End of input at "[y/N]" exits 130, with no backup written and nothing forgotten."""
        some_history(home)
        before = counts(db_path(home))
        child = pexpect.spawn(
            sys.executable,
            ["-m", "k8squiz", "progress", "reset"],
            env={**os.environ, "TERM": "dumb"},
            encoding="utf-8",
            timeout=60,
        )
        child.expect_exact("[y/N]")
        child.sendeof()
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130
        assert "Traceback" not in (child.before or "")
        assert self._backups(home) == []
        assert counts(db_path(home)) == before

    def test_the_question_is_asked_in_portuguese_and_answered_with_sim(self, home: Path) -> None:
        """In pt-BR the reset asks "[s/N]" (it showed "[y/N]") and takes "s" for yes."""
        some_history(home)
        child = pexpect.spawn(
            sys.executable,
            ["-m", "k8squiz", "progress", "reset"],
            env={**os.environ, "TERM": "dumb", "K8SQUIZ_LANG": "pt-BR"},
            encoding="utf-8",
            timeout=60,
        )
        child.expect_exact("Apagar todo o seu progresso? Um backup é gravado antes. [s/N]")
        child.sendline("s")
        child.expect("Apagado: ")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        assert len(self._backups(home)) == 1

    def test_without_a_terminal_the_refusal_is_in_portuguese(self, home: Path, cli: CLI) -> None:
        """The whole one-line refusal follows the language, the question and the fix."""
        some_history(home)
        run = cli("progress", "reset", env={"K8SQUIZ_LANG": "pt-BR"})
        assert run.code == 2
        assert "não há um terminal onde pedir uma confirmação" in run.err
        assert "nada foi alterado (passe --yes para seguir sem perguntar)" in run.err

    def test_a_bad_progress_file_is_explained_in_portuguese(
        self, home: Path, cli: CLI, tmp_path: Path
    ) -> None:
        """A missing, damaged or foreign file to import, and a file not to export over, are
        one line in the learner's language."""
        some_history(home)
        pt = {"K8SQUIZ_LANG": "pt-BR"}
        whole = export_from(cli, home, tmp_path / "progress.json").read_bytes()
        cut = tmp_path / "cut.json"
        cut.write_bytes(whole[: len(whole) // 2])
        notes = tmp_path / "notes.txt"
        notes.write_text("minhas anotações\n", encoding="utf-8")
        said = {
            ("import", str(tmp_path / "nope.json")): "não foi possível ler o arquivo",
            ("import", str(cut)): "o arquivo de progresso está danificado",
            ("import", str(notes)): "não é um arquivo de progresso do k8squiz",
            ("export", str(notes)): "não é um arquivo de progresso do k8squiz; ficou como estava",
        }
        for (command, path), words in said.items():
            run = cli("progress", command, path, env=pt)
            assert run.code != 0
            assert run.err.count("\n") == 1
            assert words in run.err, run.err

    def test_the_backup_path_is_printed_on_one_line(self, home: Path, cli: CLI) -> None:
        """The backup's path can be copied from the output, whatever the terminal width."""
        some_history(home)
        run = cli("progress", "reset", "--yes", env={**FIXED_NOW, "COLUMNS": "60"})
        [backup] = self._backups(home)
        assert any(str(backup) in line for line in run.lines)
