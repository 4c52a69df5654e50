"""Text from files and users is data on every output path.

Whatever a string holds (terminal escape sequences, C0 and C1 controls, bidi overrides and
isolates, zero-width characters, separators, tag characters, bytes of a name that are not
UTF-8) and wherever it comes from (a deck's keys, ids, topics, tags and titles, a file's name,
a typed or piped answer, progress, an argument, an environment variable), no raw control or
invisible character reaches stdout or stderr. The CLI runs in this process (`cli.main`, with
its real streams swapped for byte buffers), so hypothesis can drive hundreds of strings
through every command; a few end-to-end runs of the real program confirm it in a subprocess.
Tests run without a terminal and with NO_COLOR, so k8squiz's own colour codes are absent too.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8squiz.decks import cache, discover, read, shape
from k8squiz.decks.discover import DeckSource
from k8squiz.decks.library import Deck, Library
from k8squiz.decks.model import Card, Mistake
from k8squiz.decks.problems import UNSAFE
from k8squiz.env import Env
from k8squiz.terminal import rich_screen
from k8squiz.terminal.escape import safe
from tests._main import ALLOWED, Ran, assert_clean, is_unsafe, raw_unsafe, run_main
from tests.conftest import CLI, FIXTURES

# Hostile strings

ATTACKS = (
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52: write the clipboard
    "\x1b]52;c;aGVsbG8=\x1b\\",
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b]0;owned\x07",  # set the window title
    "\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\",  # a hyperlink
    "\x1bP+q544e\x1b\\",  # DCS: ask the terminal to answer
    "\x9b31m",  # C1 CSI
    "\x85next line",
    "access\u202e\u2066level\u2069\u2066",  # Trojan Source
    "kube\u200blet",
    "kube\u200dlet\ufeff",
    "a\u2028b\u2029c",
    "tag\U000e0041\U000e0042",
    "soft\xadhyphen",
    "\u3164\u115f",
    "warn\ufe0f",
    "\udcff\udc80",  # the bytes of a name that is not UTF-8
    "\r\x08\x7f\x00",
)
# One character from each end of every range k8squiz escapes, and a few it must not.
EDGES = sorted({chr(code) for low, high in UNSAFE for code in (low, high)} - {"\n", "\t"})
PLAIN = "ab-z 09:/é中"
hostile_char = st.sampled_from(EDGES) | st.characters(
    categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Mn")
)
hostile = st.one_of(
    st.sampled_from(ATTACKS),
    st.builds(
        lambda head, bad, tail: head + bad + tail,
        st.text(st.sampled_from(PLAIN), max_size=4),
        st.text(hostile_char, min_size=1, max_size=4),
        st.text(st.sampled_from(PLAIN) | hostile_char, max_size=6),
    ),
).filter(lambda s: bool(raw_unsafe(s)))
PROPERTY = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def for_environ(text: str) -> str:
    """`text` as an environment variable can hold it: no NUL, surrogates only as bytes."""
    text = text.replace("\x00", "")
    return "".join(
        c for c in text if not 0xD800 <= ord(c) < 0xDC80 and not 0xDD00 <= ord(c) < 0xE000
    )


def for_file_name(text: str) -> str:
    return for_environ(text).replace("/", "") or "x"


def in_deck(text: str) -> str:
    """`text` as a deck can hold it: decks are decoded from UTF-8, so they have no surrogate."""
    return "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)


def as_bytes(text: str) -> bytes:
    """`text` as bytes a pipe can carry: a surrogate of an undecodable byte becomes that byte."""
    return for_environ(text).encode("utf-8", "surrogateescape")


# The CLI in this process


@pytest.fixture
def small_bundled(monkeypatch: pytest.MonkeyPatch) -> None:
    """One small deck stands in for the bundled ones, so each run checks decks quickly."""
    small = DeckSource(FIXTURES / "decks" / "valid" / "minimal.yaml", "bundled")
    monkeypatch.setattr(discover, "bundled", lambda: small)


@pytest.fixture
def as_a_terminal(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    """Make sessions use the Rich screen (as at a terminal), keys read from stdin."""

    def use(rich: bool) -> None:
        monkeypatch.setattr(Env, "interactive", property(lambda self: rich))
        monkeypatch.setattr(rich_screen, "_getchar", lambda: sys.stdin.read(1) or "q")

    return use


def hostile_library(s: str) -> Library:
    """A deck whose every field is `s`, as no deck file that validates could make it."""
    s = in_deck(s)
    reason = f"Because {s} is not it.\n\n```\n{s}\n```"
    cards = (
        Card(
            id=f"{s}-text",
            question=f"Which `{s}` serves {s}?",
            answer=f"{s} answer",
            explanation=f"It is {s}.\n\n- `{s}`\n- [{s}](https://example.com/{s})",
            choices=(f"{s} one", f"{s} two", f"{s} three"),
            tags=(s, f"{s}-tag"),
            mistakes=(Mistake(answer=f"{s} wrong", reason=reason),),
        ),
        Card(
            id=f"{s}-list",
            question=f"Name both {s}.",
            answer=(f"{s} first", f"{s} second"),
            explanation=s,
            tags=(s,),
        ),
        Card(id=f"{s}-truth", question=f"{s} is true.", answer="true", explanation=s),
    )
    deck = Deck(
        s,
        f"{s} title",
        s,
        Path(f"{for_file_name(s)}.yaml"),
        f"{s} origin",
        cards,
        domains={"kcna": KCNA_DOMAINS, "cka": (), "ckad": ()},  # so the exam can use it
    )
    return Library((deck,))


KCNA_DOMAINS = (
    "kubernetes-fundamentals",
    "container-orchestration",
    "cloud-native-application-delivery",
    "cloud-native-architecture",
)
EXAM_KEYS = [":f", ":r", ":b", ":h", ":s", "y"]  # flag, review, back, help, submit, confirm


def session_input(s: str) -> bytes:
    """Answers for a quiz or a study session: right, wrong, a known mistake, list items,
    a label that names no option, ratings and an undo, with `s` in every typed line."""
    lines = [
        f"{s} answer",
        f"{s} wrong",
        f"{s} first, {s} extra",
        "z",
        "a",
        f"{s}",
        "3",
        "u",
        f"{s} second",
        "1",
        "\udcff not utf-8",
    ]
    return as_bytes("\n".join(lines * 2)) + b"\xff\xfe\n"


SESSION_COMMANDS = (
    ("quiz", "--seed", "1", "-n", "3"),
    ("quiz", "--seed", "2", "-n", "3", "--choices"),
    ("quiz", "--seed", "3", "-n", "3", "--json"),
    ("study", "--limit", "3"),
)


def report_commands(s: str) -> Iterator[tuple[str, ...]]:
    topic = in_deck(s)
    yield from (("topics",), ("topics", "--tags"), ("due", "--topic", topic))
    yield from (("stats", "--topic", topic),)
    yield from (("stats", "--json"), ("history",), ("history", "--json"))
    yield from (
        ("quiz", "--topic", f"{s}x"),
        ("quiz", "--tag", f"{s}-tagx"),
        ("due", "--topic", "x"),
    )


@PROPERTY
@given(s=hostile)
def test_sessions_and_reports_escape_what_decks_answers_and_progress_hold(
    monkeypatch: pytest.MonkeyPatch, as_a_terminal: Callable[[bool], None], s: str
) -> None:
    """Quiz, study and exam (plain and Rich screens), with `s` typed and in every deck field, then
    topics, tags, due, stats, history (their progress now holding `s`) and did-you-mean
    hints: nothing raw reaches the output."""
    monkeypatch.setattr(cache, "load_library", lambda *args, **kwargs: hostile_library(s))
    sessions: list[tuple[Ran, bool]] = []
    for rich in (False, True):
        as_a_terminal(rich)
        sessions += [(ran, rich) for ran in session_runs(s)]
    as_a_terminal(False)
    reports = [run_main(*args) for args in report_commands(s)]
    for ran, rich in sessions:
        ran.assert_clean(terminal=rich)
    for ran in reports:
        ran.assert_clean()
    runs = [ran for ran, _ in sessions] + reports
    assert any(safe(in_deck(s)) in ran.out.decode() for ran in runs)  # shown, escaped
    history = json.loads(next(r.out for r in runs if r.args == ("history", "--json")))
    assert history["sessions"]  # the sessions were saved, so the reports showed progress


def session_runs(s: str) -> Iterator[Ran]:
    """Quizzes (typed, multiple choice, --json, a known mistake), study and exams."""
    for args in SESSION_COMMANDS:
        yield run_main(*args, "--topic", in_deck(s), stdin=session_input(s))
    mistaken = as_bytes(f"{s} wrong\n" * 3)  # the known mistake, whichever card it meets
    yield run_main("quiz", "-n", "3", "--topic", in_deck(s), stdin=mistaken)
    typed = as_bytes("\n".join([f"{s} answer", *EXAM_KEYS, f"{s}", "a", ":s", "y", ""]))
    for json_out in ((), ("--json",)):
        yield run_main("exam", "--cert", "kcna", "-n", "3", "--seed", "1", *json_out, stdin=typed)


def deck_text(s: str) -> str:
    """A deck with `s` in a key, an id, a topic, a tag, a title and a misspelt key, written
    as YAML escapes so that it survives the file's raw text check."""
    q = yaml_quote
    return (
        f"title: {q(s)}\ntopic: {q(s)}\n{q(s)}: 1\ncards:\n"
        f"  - id: {q(s)}\n    question: {q(s + '?')}\n    answer: {q(s)}\n"
        f"    explanation: {q(s)}\n    tags: [{q(s)}]\n    {q('explaination' + s)}: x\n"
        f"  - id: {q(s)}\n    question: {q(s + '?')}\n    answer: [{q(s)}, {q(s)}]\n"
        f"    choices: [{q(s)}]\n    explanation: x\n    source: {q(s)}\n"
    )


def yaml_quote(text: str) -> str:
    """`text` as a double-quoted YAML scalar, every character past printable ASCII escaped."""
    out = []
    for char in text:
        code = ord(char)
        if 0x20 <= code < 0x7F and char not in '"\\':
            out.append(char)
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def validate_runs(folder: Path) -> list[Ran]:
    args = [("validate", str(folder)), ("validate", "-f", "github", str(folder))]
    args += [("validate", "-f", "json", str(folder)), ("validate", "--strict", str(folder))]
    args += [(command, "--deck", str(folder)) for command in ("topics", "quiz", "due", "stats")]
    return [run_main(*a) for a in args]


@PROPERTY
@given(s=hostile)
def test_validate_and_load_errors_escape_names_keys_ids_topics_and_tags(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    small_bundled: None,
    s: str,
) -> None:
    """`s` as a file name and in a deck's keys, id, topic, tags and title: validate (text,
    github, json, strict) and every command's load error print it escaped, both when the
    reader refuses it and with the reader's check switched off, so that the messages of
    the shape and the rules (unknown key, did-you-mean, format, duplicate id) carry it."""
    folder = tmp_path_factory.mktemp("decks")
    name = folder / f"{for_file_name(s)}.yaml"
    name.write_text(deck_text(s), encoding="utf-8")
    (folder / f"{for_file_name(s)}-raw.yml").write_bytes(as_bytes(f"title: {s}\ncards: [{s}]\n"))
    runs = validate_runs(folder)
    never = re.compile("(?!)")
    with monkeypatch.context() as patched:
        for module, name_ in ((read, "_IN_TEXT"), (read, "_IN_VALUE"), (shape, "CONTROL")):
            patched.setattr(module, name_, never)
        runs += validate_runs(folder)
    for ran in runs:
        ran.assert_clean()
        assert ran.code == 1
    for ran in runs:
        if "json" in ran.args:
            json.loads(ran.out)


def argument_runs(s: str, home: Path) -> Iterator[Ran]:
    """Every place an argument or a variable is echoed back (an argument holds what Python
    makes of the bytes it was given, as a variable does)."""
    s = for_environ(s)
    for args in (
        (s,),
        ("--help", "--lang", s),
        ("quiz", "--help", "--lang", s),
        ("exam", "--cert", s),
        ("exam", "--cert", "kcna", "--minutes", s),
        ("quiz", "-n", s),
        ("quiz", f"--{s}"),
        ("quiz", f"-{s}"),
        ("validate", "-f", s),
        ("quiz", "--topic", s),
        ("quiz", "--tag", s),
        ("quiz", "--lang", s),
        ("study", "--retention", s),
        ("history", "-n", s),
        ("validate", s),
        ("topics", "--deck", s),
        ("export", "anki", "-o", s, "--cert", s),
        ("--debug", "quiz", "--topic", s),
        ("progress", s),
    ):
        yield run_main(*args)
    value = for_environ(s)
    for name, args in (
        ("K8SQUIZ_NOW", ("quiz",)),
        ("K8SQUIZ_LANG", ("topics",)),
        ("K8SQUIZ_DECKS", ("topics",)),
        ("K8SQUIZ_HOME", ("--version",)),
    ):
        with pytest.MonkeyPatch.context() as env:
            env.setenv(name, str(home / value) if name == "K8SQUIZ_HOME" else value)
            yield run_main(*args)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("_K8SQUIZ_COMPLETE", "complete_bash")
        env.setenv("COMP_WORDS", f"k8squiz quiz --topic {value}")
        env.setenv("COMP_CWORD", "3")
        yield run_main()


@PROPERTY
@given(s=hostile)
def test_usage_errors_hints_and_variables_are_echoed_escaped(
    tmp_path_factory: pytest.TempPathFactory, small_bundled: None, s: str
) -> None:
    """A bad option value, an unknown command, option, topic, tag, language, path, clock or
    data folder, the completion of a word, and the traceback of --debug: `s` is escaped in
    each, and each is a usage error or a clean failure, never an internal error."""
    home = tmp_path_factory.mktemp("home")
    for ran in argument_runs(s, home):
        ran.assert_clean()


@PROPERTY
@given(s=hostile)
def test_an_internal_error_escapes_its_message_and_traceback(
    monkeypatch: pytest.MonkeyPatch, s: str
) -> None:
    """Even an unexpected exception whose message is `s` prints it escaped, with --debug too."""

    def broken(*args: Any, **kwargs: Any) -> Library:
        raise RuntimeError(s)

    monkeypatch.setattr(cache, "load_library", broken)
    for args in (("topics",), ("--debug", "topics")):
        ran = run_main(*args)
        assert_clean(ran.out + ran.err, repr(args))
        assert b"internal error: RuntimeError" in ran.err


@settings(max_examples=300, deadline=None)
@given(s=st.text())
def test_safe_leaves_nothing_raw_and_keeps_the_rest(s: str) -> None:
    """safe() leaves no character the oracle rejects, on one line or many, and leaves text
    without any untouched."""
    assert not raw_unsafe(safe(s))
    assert not [c for c in safe(s, multiline=True) if c not in ALLOWED and is_unsafe(c)]
    if not raw_unsafe(s) and "\n" not in s and "\t" not in s:
        assert safe(s) == s


def test_safe_and_validate_agree_on_every_code_point() -> None:
    """safe() escapes exactly the characters validate refuses, and both cover every control,
    format character, surrogate, separator and default ignorable code point Unicode has."""
    refused = read._IN_VALUE
    for code in range(0x110000):
        char = chr(code)
        escaped = safe(char, multiline=True) != char
        assert escaped == bool(refused.match(char)), f"U+{code:04X}"
        if code <= 0xFFFF:  # a file's text is scanned with the class of these first
            assert escaped == bool(read._IN_TEXT.match(char)), f"U+{code:04X}"
        if unicodedata.category(char) != "Cn":  # k8squiz also covers some not yet assigned
            assert escaped == (is_unsafe(char) and char not in ALLOWED), f"U+{code:04X}"


# End to end: the real program, in a subprocess


def test_the_real_program_never_echoes_an_attack(cli: CLI, tmp_path: Path) -> None:
    """Through the real CLI, every attack at once: in file names, as keys written raw and as
    YAML escapes, as typed answers, an option value and a topic; all escaped, no crash."""
    folder = tmp_path / "decks"
    folder.mkdir()
    for n, attack in enumerate(ATTACKS):
        key = yaml_quote(attack)
        text = f"title: T\ncards:\n  - id: a{n}\n    question: q\n    answer: a\n    {key}: 1\n"
        (folder / f"{n}{for_file_name(attack)}.yaml").write_text(text, encoding="utf-8")
        (folder / f"{n}-raw.yml").write_bytes(as_bytes(f"title: T\n{attack}: 1\n"))
    answers = "".join(f"{in_deck(attack)}\n" for attack in ATTACKS)
    everything = "".join(for_environ(attack) for attack in ATTACKS)
    runs = [
        cli("validate", str(folder)),
        cli("validate", "-f", "github", str(folder)),
        cli("topics", "--deck", str(folder)),
        cli("quiz", "--topic", everything, "-n", everything),
        cli("quiz", "-n", str(len(ATTACKS)), "--seed", "1", stdin=answers),
    ]
    for run in runs:
        assert_clean((run.out + run.err).encode("utf-8", "surrogateescape"), run.err[:200])
        assert "internal error" not in run.err
    assert runs[0].out.count(": error: ") >= 2 * len(ATTACKS)


def test_echoed_answers_are_escaped_in_plain_mode(cli: CLI) -> None:
    """A piped answer is echoed with its escape sequence shown, not sent to the terminal."""
    run = cli("quiz", "-n", "1", "--seed", "1", stdin="\x1b]52;c;aGk=\x07 kube\u200blet\n")
    assert "\\u001b]52;c;aGk=\\u0007 kube\\u200blet" in run.out
    assert_clean(run.out.encode(), "quiz")


def test_an_unknown_key_that_would_set_the_clipboard_is_shown_escaped(
    cli: CLI, write_deck: Callable[..., Path]
) -> None:
    """The red team's OSC 52 key: refused where it stands, never printed raw, in any format."""
    path = write_deck('title: T\n"\\e]52;c;aGVsbG8=\\a": 1\ncards: []\n')
    for fmt in ("text", "github", "json"):
        run = cli("validate", "-f", fmt, str(path))
        assert "\x1b" not in run.out + run.err
        assert "control-character" in run.out or "U+001B" in run.out
        assert run.code == 1


def test_the_environment_of_these_tests_has_no_terminal() -> None:
    """The property tests rely on NO_COLOR and no terminal: k8squiz emits no codes itself."""
    assert os.environ.get("NO_COLOR") == "1"
    assert not Env().color
