"""Odd files never hang, never crash and never leak: FIFOs, devices, sockets, folders named
like decks, files whose size lies, symbolic links (out of the folder, in loops, dangling),
names that are not UTF-8 and folders that cannot be listed are each one clear problem.

The real program runs under a timeout, so a hang fails the test instead of stopping the suite.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8squiz import files
from k8squiz.decks import build, discover, read
from k8squiz.decks.discover import DeckSource
from k8squiz.decks.read import ReadError
from tests._main import run_main
from tests.conftest import FIXTURES, Run
from tests.test_source import time_limit

DECK = (FIXTURES / "decks" / "valid" / "minimal.yaml").read_text(encoding="utf-8")


def deck(name: str) -> str:
    """The minimal deck, with its own topic and card id."""
    text = DECK.replace("Minimal", name).replace("etcd-client-port", f"{name}-port")
    return text.replace("Which TCP port serves etcd", f"Which {name} port serves {name}")


SECRET = "SECRET_KEY: hunter2\nAWS_SESSION_TOKEN: swordfish\n"  # what a .env may hold
TIMEOUT = 30
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and links are POSIX")
pytestmark = posix_only


def run(*args: str | bytes, env: dict[str, str] | None = None) -> Run:
    """The real program; TimeoutExpired (a failure) if it hangs."""
    done = subprocess.run(
        [sys.executable, "-m", "k8squiz", *args],
        input=b"",
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=TIMEOUT,
        check=False,
    )
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode())


def every_command(path: Path) -> Iterator[Run]:
    """Each way a deck path is given: validate, --deck on a few commands, K8SQUIZ_DECKS;
    through `cli.main` in this process, under a time limit."""
    for args in (
        ("validate", str(path)),
        ("validate", "-f", "json", str(path)),
        ("topics", "--deck", str(path)),
        ("quiz", "-n", "1", "--deck", str(path)),
    ):
        yield in_process(*args)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("K8SQUIZ_DECKS", str(path))
        yield in_process("due")


def in_process(*args: str) -> Run:
    with time_limit(TIMEOUT):
        ran = run_main(*args)
    return Run(ran.code, ran.out.decode(), ran.err.decode())


def assert_one_clear_problem(runs: Iterator[Run], words: str) -> None:
    for ran in runs:
        assert ran.code == 1, ran.out + ran.err
        assert words in ran.out + ran.err, ran.out + ran.err
        assert "internal error" not in ran.err
        assert "Traceback" not in ran.err


@pytest.fixture(autouse=True)
def small_bundled(monkeypatch: pytest.MonkeyPatch) -> None:
    """One small deck stands in for the bundled ones in this process: each run is quick."""
    small = DeckSource(FIXTURES / "decks" / "valid" / "minimal.yaml", "bundled")
    monkeypatch.setattr(discover, "bundled", lambda: small)


# Files that are not regular files


def make_fifo(folder: Path) -> Path:
    path = folder / "deck.yaml"
    os.mkfifo(path)
    return path


def make_socket(folder: Path) -> Path:
    path = folder / "s.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))  # the socket file stays after the socket is closed
    return path


def make_folder(folder: Path) -> Path:
    path = folder / "folder.yaml"
    path.mkdir()
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (make_fifo, "it is a FIFO (named pipe), not a regular file"),
        (make_socket, "it is a socket, not a regular file"),
        (make_folder, "cannot read the file: Is a directory"),
    ],
    ids=["fifo", "socket", "folder"],
)
@pytest.mark.parametrize("given", ["itself", "its folder"])
def test_a_special_file_named_like_a_deck_is_refused_at_once(
    tmp_path: Path, make: Callable[[Path], Path], words: str, given: str
) -> None:
    """A FIFO (no writer: reading it would wait for ever), a socket or a folder named *.yaml,
    given directly or found in a folder, is one problem for every command, within seconds
    (a folder given directly is a folder of decks, so it is only found in one)."""
    special = make(tmp_path)
    if given == "itself" and special.is_dir():
        pytest.skip("a folder given directly is read as a folder of decks")
    assert_one_clear_problem(every_command(special if given == "itself" else tmp_path), words)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_without_reading_it(device: str) -> None:
    """`--deck /dev/zero` would read until memory ran out; it is refused from its kind."""
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    assert_one_clear_problem(every_command(Path(device)), "it is a character device")


@pytest.mark.parametrize("command", ["validate", "topics", "quiz"])
def test_the_real_program_does_not_hang_on_a_fifo_or_dev_zero(
    tmp_path: Path, command: str
) -> None:
    """The real program, with a time limit: a FIFO named deck.yaml in a folder and
    `/dev/zero` are refused within seconds by every command that loads decks."""
    make_fifo(tmp_path)
    paths = [str(tmp_path), "/dev/zero"] if Path("/dev/zero").exists() else [str(tmp_path)]
    for path in paths:
        args = (command, path) if command == "validate" else (command, "--deck", path)
        ran = run(*args)
        assert ran.code == 1
        assert "not a regular file" in ran.out + ran.err
        assert "Traceback" not in ran.err


def test_a_link_in_a_folder_to_a_fifo_in_it_is_refused_too(tmp_path: Path) -> None:
    """A link inside the folder is followed, and what it leads to is checked like any file."""
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "deck.yaml").symlink_to("pipe")
    assert_one_clear_problem(every_command(tmp_path), "FIFO")


def fake_stat(size: int) -> Callable[..., os.stat_result]:
    """An fstat that says every file is a regular file of `size` bytes."""

    def fstat(fd: int) -> os.stat_result:
        return os.stat_result((stat.S_IFREG | 0o644, 0, 0, 1, 0, 0, size, 0, 0, 0))

    return fstat


def test_the_read_is_bounded_whatever_the_size_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that claims 10 bytes (a /proc file, or one that grew) is read no further than
    the limit plus one byte, then refused as too large: never read to its end."""
    endless = Path("/dev/zero")
    if not endless.exists():
        pytest.skip("no /dev/zero here")
    monkeypatch.setattr(files.os, "fstat", fake_stat(10))
    monkeypatch.setattr(files, "_refuse_special", lambda mode: None)
    taken = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        taken.append(len(data))
        return data

    monkeypatch.setattr(files.os, "read", counting_read)
    with pytest.raises(ReadError) as refused:
        read.read(endless)
    assert [p.code for p in refused.value.problems] == ["file-too-large"]
    assert sum(taken) == read.MAX_BYTES + 1


# Symbolic links

Layout = Callable[[Path, Path], Path]  # (folder, outside) -> the link made in folder


def absolute_out(folder: Path, outside: Path) -> Path:
    link = folder / "deck.yaml"
    link.symlink_to(outside / ".env")
    return link


def relative_out(folder: Path, outside: Path) -> Path:
    link = folder / "deck.yaml"
    link.symlink_to(Path("..") / outside.name / ".env")
    return link


def chain_out(folder: Path, outside: Path) -> Path:
    (folder / "hop").symlink_to(outside / ".env")  # not a deck name: only reached through
    link = folder / "deck.yaml"
    link.symlink_to("hop")
    return link


def out_to_a_real_deck(folder: Path, outside: Path) -> Path:
    link = folder / "deck.yaml"
    link.symlink_to(outside / "other.yaml")
    return link


def through_a_linked_folder(folder: Path, outside: Path) -> Path:
    (folder / "sub").symlink_to(outside)
    link = folder / "deck.yaml"
    link.symlink_to(Path("sub") / ".env")
    return link


OUTWARD: dict[str, Layout] = {
    "absolute": absolute_out,
    "relative": relative_out,
    "chain": chain_out,
    "a-real-deck": out_to_a_real_deck,
    "linked-folder": through_a_linked_folder,
}


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    """A deck folder holding one good deck, and a folder beside it with secrets and a deck."""
    folder, outside = tmp_path / "decks", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "good.yaml").write_text(deck("good"), encoding="utf-8")
    (outside / ".env").write_text(SECRET, encoding="utf-8")
    (outside / "other.yaml").write_text(deck("other"), encoding="utf-8")
    return folder, outside


@pytest.mark.parametrize("layout", OUTWARD.values(), ids=OUTWARD.keys())
def test_a_link_that_leaves_the_folder_is_reported_and_never_read(
    places: tuple[Path, Path], layout: Layout
) -> None:
    """Absolute, relative, chained or through a linked folder: a link out of the folder is
    one problem, and nothing of what it leads to (a .env's variable names) is printed."""
    folder, outside = places
    link = layout(folder, outside)
    for fmt in ("text", "json", "github"):
        ran = in_process("validate", "-f", fmt, str(folder))
        assert ran.code == 1
        for secret in ("SECRET_KEY", "hunter2", "AWS_SESSION_TOKEN", "other-port"):
            assert secret not in ran.out + ran.err
        if fmt == "text":
            assert f"{link}:1:1: error: a symbolic link that leaves the folder; not read" in (
                ran.lines
            )
    load = in_process("topics", "--deck", str(folder))
    assert "a symbolic link that leaves the folder; not read" in load.err
    assert "SECRET_KEY" not in load.out + load.err


@pytest.mark.parametrize("layout", OUTWARD.values(), ids=OUTWARD.keys())
def test_what_an_outward_link_leads_to_is_never_opened(
    places: tuple[Path, Path], layout: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not reading it is not enough: the file a link out leads to is never even opened."""
    folder, outside = places
    layout(folder, outside)
    opened = record_opens(monkeypatch)
    report = build.check([DeckSource(folder, str(folder))])
    assert [p.code for p in report.problems] == ["unreadable"]
    assert not [path for path in opened if path.is_relative_to(outside.resolve())]
    assert [d.topic for d in report.decks] == ["good"]


def record_opens(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the reader opens, resolved."""
    opened: list[Path] = []
    real_open = os.open

    def recording_open(path: Any, flags: int, *args: Any) -> int:
        opened.append(Path(os.path.realpath(path)))
        return real_open(path, flags, *args)

    monkeypatch.setattr(discover.os, "open", recording_open)
    return opened


def test_a_link_that_stays_in_the_folder_is_followed(places: tuple[Path, Path]) -> None:
    """A link to a file inside the folder, even by way of `..`, loads like the file."""
    folder, _ = places
    (folder / "shared").mkdir()
    for name in ("one", "two"):
        (folder / "shared" / f"{name}.yaml").write_text(deck(name), encoding="utf-8")
    (folder / "a.yaml").symlink_to(Path("shared") / "one.yaml")
    (folder / "b.yaml").symlink_to(Path("..") / folder.name / "shared" / "two.yaml")
    report = build.check([DeckSource(folder, str(folder))])
    assert report.problems == ()
    assert sorted(d.topic for d in report.decks) == ["a", "b", "good"]


def test_a_folder_given_through_a_link_is_read(places: tuple[Path, Path]) -> None:
    """The folder a user names is their choice, link or not; its links are judged against it."""
    folder, outside = places
    given = outside / "link-to-decks"
    given.symlink_to(folder)
    (folder / "inner.yaml").write_text(deck("inner"), encoding="utf-8")
    (folder / "again.yaml").symlink_to("inner.yaml")  # the same file twice: read once
    ran = run("validate", str(given))
    assert ran.code == 0, ran.out
    assert ran.lines[-1] == "2 files, 2 cards: no problems"


@pytest.mark.parametrize(
    ("links", "words"),
    [
        ({"deck.yaml": "deck.yaml"}, "a symbolic link loop"),
        ({"a.yaml": "b.yaml", "b.yaml": "a.yaml"}, "a symbolic link loop"),
        ({"deck.yaml": "nowhere.yaml"}, "a symbolic link to nothing"),
    ],
    ids=["self", "pair", "dangling"],
)
@pytest.mark.parametrize("given", ["the link", "its folder"])
def test_a_link_loop_or_a_dangling_link_is_a_clear_problem(
    tmp_path: Path, links: dict[str, str], words: str, given: str
) -> None:
    """A link to itself, two links to each other, or a link to nothing: one problem each,
    named, for every command; never 'no such file' or an internal error."""
    for name, target in links.items():
        (tmp_path / name).symlink_to(target)
    path = tmp_path / next(iter(links)) if given == "the link" else tmp_path
    assert_one_clear_problem(every_command(path), words)


# A property over link graphs: each link is followed only inside, and the rest never opened

targets = st.sampled_from(["inside", "outside", "nothing", "link"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(graph=st.lists(st.tuples(targets, st.integers(0, 5)), min_size=1, max_size=6))
def test_links_anywhere_are_followed_only_inside(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    graph: list[tuple[str, int]],
) -> None:
    """Random chains and loops of links into the folder, out of it and to nothing: every
    link is either loaded (it ends at a deck inside) or exactly one `unreadable` problem, and
    no file outside the folder is ever opened."""
    root = tmp_path_factory.mktemp("graph")
    folder, outside = root / "decks", root / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "inside.yml").write_text(deck("inside"), encoding="utf-8")
    (outside / "secret.yaml").write_text(SECRET, encoding="utf-8")
    ends = {"inside": "inside.yml", "outside": str(outside / "secret.yaml"), "nothing": "gone"}
    for n, (kind, other) in enumerate(graph):
        target = f"link{other % len(graph)}.yaml" if kind == "link" else ends[kind]
        (folder / f"link{n}.yaml").symlink_to(target)
    with monkeypatch.context() as patched:
        opened = record_opens(patched)
        report = build.check([DeckSource(folder, str(folder))])
    assert not [p for p in opened if p.is_relative_to(outside.resolve())]
    problems = {p.path for p in report.problems}
    assert all(
        p.code in {"unreadable", "duplicate-id", "duplicate-topic"} for p in report.problems
    )
    for n in range(len(graph)):
        link = folder / f"link{n}.yaml"
        leads_inside = Path(os.path.realpath(link)) == (folder / "inside.yml").resolve()
        assert leads_inside != (str(link) in problems), link


# Names that are not UTF-8


@pytest.mark.parametrize(
    "name", [b"\xff\xfe.yaml", b"caf\xe9.yaml", b"\x1b]0;owned\x07\xff.yaml"], ids=repr
)
def test_a_file_name_that_is_not_utf8_is_reported_escaped(tmp_path: Path, name: bytes) -> None:
    """A Latin-1 name, random bytes or an escape sequence with a bad byte: one `encoding`
    problem naming the file with its bytes shown as \\xff, in every format, never a crash."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / os.fsdecode(name)).write_text(DECK, encoding="utf-8")
    text = in_process("validate", str(folder))
    assert "the file name is not UTF-8" in text.out
    assert "\\x" in text.out
    assert "\x1b" not in text.out
    document = json.loads(in_process("validate", "-f", "json", str(folder)).out)
    assert [p["code"] for p in document["problems"]] == ["encoding"]
    github = in_process("validate", "-f", "github", str(folder))
    assert github.out.startswith("::error file=")
    direct = run("validate", os.fsencode(str(folder)) + b"/" + name)  # the real program
    assert "the file name is not UTF-8" in direct.out
    load = in_process("topics", "--deck", str(folder))
    assert load.code == 1
    assert load.err.startswith("k8squiz: error: ")
    for ran in (text, github, direct, load):
        assert "internal error" not in ran.err


# Folders and files that cannot be read


def test_a_folder_that_cannot_be_listed_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the user may not list is one `unreadable` problem, not an internal error."""

    def refuse(self: Path) -> Iterator[Path]:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refuse)
    report = build.check([DeckSource(tmp_path, str(tmp_path))])
    assert [(p.code, p.message) for p in report.problems] == [
        ("unreadable", "cannot read the folder: Permission denied")
    ]


def test_files_that_cannot_be_opened_are_each_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder of files the user may not read gives one problem per file."""
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(DECK, encoding="utf-8")

    def refuse(path: Any, flags: int, *args: Any) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(discover.os, "open", refuse)
    report = build.check([DeckSource(tmp_path, str(tmp_path))])
    assert [(p.code, p.message) for p in report.problems] == [
        ("unreadable", "cannot read the file: Permission denied")
    ] * 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_real_unreadable_folder_through_the_cli(tmp_path: Path) -> None:
    """With real permissions: an unlistable --deck folder is one line and exit 1."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "deck.yaml").write_text(DECK, encoding="utf-8")
    folder.chmod(0)
    try:
        assert_one_clear_problem(every_command(folder), "cannot read the folder")
    finally:
        folder.chmod(0o755)


def test_a_path_with_a_nul_is_no_such_file() -> None:
    """A path no file system can hold is 'no such file', not a ValueError."""
    assert discover.missing(Path("deck\x00.yaml")).startswith("no such file or folder")


# The deck cache in the data folder


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_an_odd_file_where_the_deck_cache_goes_is_a_cache_miss(home: Path, kind: str) -> None:
    """A FIFO, a link to /dev/zero or a folder at the cache's path used to hang every command
    (or read until memory ran out); it is a cache miss, and the decks are checked afresh."""
    cached = home / "cache" / "decks.msgpack"
    cached.parent.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(cached)
    elif kind == "folder":
        cached.mkdir()
    elif Path("/dev/zero").exists():
        cached.symlink_to("/dev/zero")
    else:
        pytest.skip("no /dev/zero here")
    ran = in_process("topics")
    assert ran.code == 0, ran.err
    assert "minimal" in ran.out
