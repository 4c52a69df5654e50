"""What a user can do to a run (close or fill its output, pipe bytes that are not UTF-8, set
a clock in year 9999, an ASCII encoding, a locale that does not exist, an option value no
database can store, a one-megabyte answer) ends in one clear line or goes on working,
never in "internal error, please report it".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8squiz.days import day_end
from k8squiz.env import FIRST_YEAR, LAST_YEAR, Env
from k8squiz.errors import UsageError
from tests._main import run_main
from tests.conftest import FIXTURES

TIMEOUT = 60
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX shell")
MINI = FIXTURES / "decks" / "valid" / "minimal.yaml"


def shell(
    script: str, *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`sh -c SCRIPT` where "$@" is `python -m k8squiz ARGS`, so redirections apply to it."""
    return subprocess.run(
        ["sh", "-c", script, "sh", sys.executable, "-m", "k8squiz", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=TIMEOUT,
        check=False,
    )


# Every command, and what it needs on stdin to get to its output
COMMANDS: dict[str, tuple[tuple[str, ...], bytes]] = {
    "quiz": (("quiz", "-n", "2", "--seed", "1"), b"?\n?\n"),
    "quiz-json": (("quiz", "-n", "1", "--seed", "1", "--json"), b"?\n"),
    "study": (("study", "--limit", "1"), b"\n3\n"),
    "exam": (("exam", "--cert", "kcna", "-n", "2", "--seed", "1"), b"a\n:s\ny\n"),
    "stats": (("stats",), b""),
    "stats-json": (("stats", "--json"), b""),
    "history": (("history",), b""),
    "history-json": (("history", "--json"), b""),
    "topics": (("topics",), b""),
    "tags": (("topics", "--tags"), b""),
    "due": (("due",), b""),
    "validate": (("validate",), b""),
    "rules": (("validate", "--rules"), b""),
    "schema": (("schema",), b""),
    "version": (("--version",), b""),
    "help": (("--help",), b""),
    "progress-export": (("progress", "export", "-"), b""),
}


# Output that cannot be written


CLOSED = (
    "k8squiz: error: cannot write to standard output: it is closed"
    " (send the output to a terminal, a pipe or a file on a disk with room)"
)


@posix_only
@pytest.mark.parametrize("name", ["quiz", "study", "exam", "stats", "history", "validate", "help"])
def test_a_closed_stdout_fails_with_one_line(name: str) -> None:
    """`k8squiz ... >&-`: exit 1 and one line on stderr, stats and history included (they
    used to exit 0 having printed nothing)."""
    args, stdin = COMMANDS[name]
    done = shell('exec "$@" >&-', *args, stdin=stdin)
    assert done.returncode == 1, done.stderr
    assert done.stderr.decode().splitlines() == [CLOSED]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_closed_stdout_fails_every_command(name: str) -> None:
    """The same for every command, through cli.main with the stdout Python has when the
    shell closed it (None)."""
    args, stdin = COMMANDS[name]
    ran = run_main(*args, stdin=stdin, stdout=None)
    assert ran.code == 1, ran.err
    assert ran.err.decode().splitlines()[-1] == CLOSED  # after the questions, with --json


@posix_only
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("name", ["quiz", "stats", "history", "help"])
def test_a_full_disk_fails_with_one_line(name: str) -> None:
    """`k8squiz ... > /dev/full`: exit 1 and one line naming the reason, no traceback."""
    args, stdin = COMMANDS[name]
    done = shell('exec "$@" > /dev/full', *args, stdin=stdin)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert err.splitlines() == [
        "k8squiz: error: cannot write to standard output: No space left on device"
        " (send the output to a terminal, a pipe or a file on a disk with room)"
    ]


@posix_only
@pytest.mark.parametrize(
    "name", ["quiz", "topics", "validate", "rules", "schema", "help", "progress-export"]
)
def test_a_reader_that_stops_early_ends_the_run_quietly(name: str) -> None:
    """`k8squiz ... | head -1`: the reader left, nothing went wrong; exit 141 as `cat` does,
    and not a word on stderr (no traceback, no 'Exception ignored')."""
    args, stdin = COMMANDS[name]
    child = subprocess.Popen(
        [sys.executable, "-m", "k8squiz", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    child.stdout.close()  # before Python has even started: its first write finds no reader
    _, err = child.communicate(stdin, timeout=TIMEOUT)
    assert (child.returncode, err) == (141, b"")


@posix_only
@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
def test_an_error_with_nowhere_to_say_it_still_exits_1(redirect: str) -> None:
    """A failure while stderr is closed or full: the status still says so, and no hang."""
    done = shell(f'exec "$@" {redirect}', "topics", "--deck", "/nowhere/deck.yaml")
    assert done.returncode == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_fails_every_command(name: str) -> None:
    """Through cli.main with /dev/full as stdout: every command fails with one line."""
    args, stdin = COMMANDS[name]
    with Path("/dev/full").open("w", encoding="utf-8") as full:
        ran = run_main(*args, stdin=stdin, stdout=full)
    assert ran.code == 1, ran.err
    assert b"No space left on device" in ran.err


# Input that is not what was expected


@pytest.mark.parametrize(
    "locale", [{"LC_ALL": "C.UTF-8"}, {"LC_ALL": "en_US.UTF-8"}, {"PYTHONUTF8": "0"}]
)
@pytest.mark.parametrize("bad", [b"caf\xe9", b"\xed\xa0\x80\xff"])
def test_answers_that_are_not_utf8_are_read_and_the_quiz_goes_on(
    locale: dict[str, str], bad: bytes
) -> None:
    """Bytes that are not UTF-8 in a piped answer become U+FFFD: the answer is graded and the
    next question asked, under any locale, instead of an internal error."""
    done = shell('exec "$@"', "quiz", "-n", "2", "--seed", "1", stdin=bad + b"\n?\n", env=locale)
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, err
    assert "question 2 of 2" in out
    assert "\ufffd" in out
    assert "internal error" not in err


def test_a_closed_stdin_is_the_end_of_input() -> None:
    """`k8squiz quiz <&-` reads no answer and says so, like an empty pipe."""
    done = shell('exec "$@" <&-', "quiz", "-n", "1")
    assert done.returncode == 0
    assert "No answer given" in done.stdout.decode()
    assert done.stderr == b""


@pytest.mark.parametrize("size", [2_001, 1_000_000, 10_000_000])
def test_a_huge_answer_is_cut_and_the_quiz_goes_on(size: int) -> None:
    """A 1 MB (or 10 MB) answer is read in bounded pieces, cut to 2,000 characters with a
    note, graded at once, and the next answer is still the next question's."""
    answers = b"kubelet" * (size // 7 + 1) + b"\n?\n"
    done = shell('exec "$@"', "quiz", "-n", "2", "--seed", "1", stdin=answers)
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr
    assert "Only the first 2,000 characters of that answer were read" in out
    assert "question 2 of 2" in out
    assert "Answer shown" in out  # the '?' answered question 2: nothing shifted
    assert len(out) < 20_000


# The clock, the encoding, the locale, the terminal's width, the data folder


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T00:00:00Z",
        "9999-12-31T23:00:00-05:00",
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:30:00+01:00",
        "1969-12-31T23:59:59Z",
        "9001-01-01T00:00:00Z",
    ],
)
@pytest.mark.parametrize(
    "command", [("quiz", "-n", "1"), ("study",), ("exam", "--cert", "kcna"), ("stats",), ("due",)]
)
def test_a_clock_out_of_range_is_a_usage_error(moment: str, command: tuple[str, ...]) -> None:
    """K8SQUIZ_NOW in year 9999 (or 1) is refused before any date overflows."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("K8SQUIZ_NOW", moment)
        ran = run_main(*command, stdin=b"?\n")
    assert ran.code == 2, ran.err
    assert b"is outside the years k8squiz can schedule in" in ran.err


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(1, 9999),
    hours=st.integers(-23, 23),
    day=st.integers(1, 28),
    month=st.integers(1, 12),
)
def test_any_clock_is_refused_or_safe_to_schedule_from(
    year: int, hours: int, day: int, month: int
) -> None:
    """Every K8SQUIZ_NOW is a usage error, or a time from which a century of reviews ahead and
    a year of history behind can be computed without overflowing."""
    offset = f"{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"
    try:
        now = Env(environ={"K8SQUIZ_NOW": f"{year:04d}-{month:02d}-{day:02d}T12:00:00{offset}"})
        moment = now.now()
    except UsageError:  # noon of a day, moved by the offset, can be in the year before
        assert not FIRST_YEAR < year < LAST_YEAR
        return
    assert FIRST_YEAR <= moment.year <= LAST_YEAR
    day_end(moment + timedelta(days=36_500))
    moment - timedelta(days=800)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "ascii:strict"])
def test_an_output_encoding_without_the_cards_letters_never_crashes(encoding: str) -> None:
    """PYTHONIOENCODING=ascii and Portuguese cards: the letters it cannot write are written
    as \\u escapes, and a JSON document is still the same JSON."""
    env = {"PYTHONIOENCODING": encoding, "K8SQUIZ_LANG": "pt-BR"}
    for args, stdin in (COMMANDS["quiz"], COMMANDS["topics"], COMMANDS["stats"]):
        done = shell('exec "$@"', *args, stdin=stdin, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.decode(encoding.split(":", maxsplit=1)[0])  # what it says it writes
        if encoding.startswith("ascii"):
            assert b"\\u00" in done.stdout  # Portuguese letters, escaped
    utf8 = shell('exec "$@"', "schema")
    ascii_ = shell('exec "$@"', "schema", env=env)
    assert json.loads(ascii_.stdout) == json.loads(utf8.stdout)
    deck = shell('exec "$@"', "validate", "-f", "json", str(FIXTURES / "decks" / "encoding.yaml"))
    same = shell(
        'exec "$@"', "validate", "-f", "json", str(FIXTURES / "decks" / "encoding.yaml"), env=env
    )
    assert json.loads(same.stdout) == json.loads(deck.stdout)


@pytest.mark.parametrize(
    "locale",
    [
        {"LC_ALL": "xx_YY.UTF-8"},
        {"LANG": "zz"},
        {"LC_ALL": "pt_BR.ISO-8859-1"},
        {"LC_ALL": "C"},
        {"LANG": ""},
    ],
)
def test_a_locale_that_does_not_exist_is_english_and_works(locale: dict[str, str]) -> None:
    """A locale the system does not have changes nothing but the language picked."""
    done = shell('exec "$@"', "topics", env=locale)
    assert done.returncode == 0, done.stderr
    assert b"ports" in done.stdout


@pytest.mark.parametrize("columns", ["0", "1", "5", "-3", "abc", "99999"])
def test_any_columns_value_still_lists_every_topic(columns: str) -> None:
    """COLUMNS=0 used to print nothing at all; every width shows the topics."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COLUMNS", columns)
        ran = run_main("topics")
    assert ran.code == 0
    assert b"ports" in ran.out


@pytest.mark.parametrize("command", [("quiz", "-n", "1"), ("stats",), ("history",), ("due",)])
def test_a_data_folder_that_is_a_file_is_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """K8SQUIZ_HOME naming a file (or a folder inside one) is one error line, exit 1."""
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    for home in (a_file, a_file / "inside"):
        with pytest.MonkeyPatch.context() as env:
            env.setenv("K8SQUIZ_HOME", str(home))
            ran = run_main(*command, stdin=b"?\n")
        assert ran.code == 1, ran.err
        assert ran.err.startswith(b"k8squiz: error: ")
        assert b"internal error" not in ran.err


# Option values

BAD_VALUES = [
    ("quiz", "--seed", "1" + "0" * 30),
    ("quiz", "--seed", "-" + "9" * 30),
    ("history", "-n", "9" * 30),
    ("study", "--retention", "nan"),
    ("study", "--retention", "inf"),
    ("study", "--retention", "-inf"),
    ("quiz", "-n", "0"),
    ("study", "--limit", "0"),
    ("study", "--new", "-1"),
    ("quiz", "--lang", "xx"),
    ("validate", "--format", "yaml"),
]


@pytest.mark.parametrize("args", BAD_VALUES, ids=" ".join)
def test_option_values_out_of_range_are_usage_errors(args: tuple[str, ...]) -> None:
    """A seed or a limit no database can store, a retention of NaN: exit 2, one message."""
    ran = run_main(*args, stdin=b"?\n")
    assert ran.code == 2, ran.err
    assert b"internal error" not in ran.err


@settings(max_examples=60, deadline=None)
@given(
    command=st.sampled_from(
        [("quiz", "-n", "1", "--seed"), ("history", "-n"), ("study", "--limit"), ("quiz", "-n")]
    ),
    value=st.integers(-(2**70), 2**70).map(str) | st.sampled_from(["nan", "1e400", "-0", ""]),
)
def test_any_number_given_is_used_or_refused(command: tuple[str, ...], value: str) -> None:
    """Any integer (or not-quite integer) as a count, a limit or a seed runs or is refused
    as a usage error; none reaches the database to overflow it."""
    ran = run_main(*command, value, stdin=b"?\n")
    assert ran.code in (0, 2), ran.err
    assert b"internal error" not in ran.err
