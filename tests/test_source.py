"""Reading a deck file: hostile input is refused quickly and cleanly, and scalars stay text."""

from __future__ import annotations

import contextlib
import re
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8squiz.decks import build, cache, discover, read
from k8squiz.decks.discover import DeckSource, bundled
from k8squiz.decks.read import Map, ReadError, Scalar, Seq
from k8squiz.errors import K8sQuizError
from tests.conftest import CLI, FIXTURES

DECKS = FIXTURES / "decks"
WriteDeck = Callable[..., Path]
CARD = """\
title: One card
cards:
  - id: etcd-client-port
    question: {question}
    answer: {answer}
    explanation: Clients reach etcd on 2379.
"""


class TooSlowError(Exception):
    """A check ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TooSlowError when the block runs longer than `seconds`; a runaway stops early."""

    def stop(signum: int, frame: Any) -> None:
        raise TooSlowError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


needs_alarm = pytest.mark.skipif(
    not hasattr(signal, "setitimer"), reason="time limits need SIGALRM (not on Windows)"
)


def refusal(path: Path) -> list[tuple[int, int, str]]:
    """(line, column, rule) of each problem `read.read` refuses the file with."""
    with pytest.raises(ReadError) as raised:
        read.read(path)
    return [(p.line, p.col, p.code) for p in raised.value.problems]


def check_file(path: Path) -> build.Report:
    return build.check([DeckSource(path, str(path))])


def write_bytes(tmp_path: Path, data: bytes, name: str = "deck.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# Hostile input


@needs_alarm
def test_a_billion_laughs_is_refused_at_once() -> None:
    """Aliases nested nine levels deep (10**9 nodes) are refused within a second."""
    with time_limit(1):
        assert refusal(DECKS / "alias-bomb.yaml") == [(7, 49, "alias-bomb")]


def test_a_billion_laughs_through_the_cli_is_one_clean_line(cli: CLI) -> None:
    """`validate` on an alias bomb prints the alias-bomb problem and no traceback."""
    run = cli("validate", str(DECKS / "alias-bomb.yaml"))
    assert "(a YAML alias bomb?)" in run.out
    assert "Traceback" not in run.err
    assert run.code == 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * 100_000 + "]" * 100_000, id="flow"),
        pytest.param("".join(f"{'  ' * i}k:\n" for i in range(3_000)), id="block"),
    ],
)
def test_deep_nesting_is_refused_without_crashing_python(
    cli: CLI, tmp_path: Path, text: str
) -> None:
    """100,000 nested brackets (or 3,000 indented keys) are refused in one located line, no crash.

    Whether k8squiz's own 32-level limit or the YAML parser's stops it first depends on the
    PyYAML release; either way it is one `file:line:col: error:` line and exit 1.
    """
    path = write_bytes(tmp_path, text.encode())
    run = cli("validate", str(path))
    assert run.code == 1  # a crashed interpreter exits with a signal, not 1
    problems = [line for line in run.lines if line.startswith(f"{path}:")]
    assert len(problems) == 1, run.out
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: error: .*nesting", problems[0])
    assert "Traceback" not in run.err


def test_a_python_tag_is_refused_and_never_run(cli: CLI, tmp_path: Path) -> None:
    """`!!python/object/apply:os.system` is refused, and the command in it never runs."""
    run = cli("validate", str(DECKS / "yaml-tag.yaml"), cwd=tmp_path)
    assert "YAML tag '!!python/object/apply:os.system' is not allowed" in run.out
    assert run.code == 1
    assert not (tmp_path / "k8squiz-was-here").exists()


def test_a_python_tag_in_a_user_deck_stops_a_command_cleanly(cli: CLI, tmp_path: Path) -> None:
    """Loaded with --deck, a tagged deck stops the command with one line and runs nothing."""
    run = cli("topics", "--deck", str(DECKS / "yaml-tag.yaml"), cwd=tmp_path)
    assert run.code == 1
    assert "yaml-tag.yaml:5:13" in run.err
    assert "is not allowed" in run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "k8squiz-was-here").exists()


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system [id]",
        "!!python/name:os.system",
        "!!int 2379",
        "!!float 1.20",
        "!!bool yes",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "!custom text",
        "!<tag:example.com,2000:app/foo> text",
    ],
)
def test_every_yaml_tag_but_plain_ones_is_refused(write_deck: WriteDeck, value: str) -> None:
    """A tag on any value is refused where it stands: deck text is never converted or run."""
    path = write_deck(CARD.format(question="Which port?", answer=value))
    assert refusal(path) == [(5, 13, "yaml-tag")]


def test_plain_tags_leave_the_text_as_typed(write_deck: WriteDeck) -> None:
    """`!!str`, `!!map` and `!!seq` change nothing, so they are allowed."""
    path = write_deck(
        """
        title: !!str Plain tags
        cards: !!seq
          - !!map
            id: etcd-client-port
            question: Which port serves etcd clients?
            answer: !!str 2379
            explanation: Clients reach etcd on 2379.
        """
    )
    report = check_file(path)
    assert report.problems == ()
    assert report.decks[0].cards[0].answer == "2379"


def test_bytes_that_are_not_utf8_are_located(cli: CLI) -> None:
    """A Latin-1 byte is reported at its own line and column, with what to do."""
    run = cli("validate", str(DECKS / "encoding.yaml"))
    assert f"{DECKS / 'encoding.yaml'}:4:37: error: byte 0xe9 is not UTF-8" in run.out
    assert "save the file as UTF-8" in run.out
    assert "Traceback" not in run.err
    assert run.code == 1


def test_a_utf16_file_is_refused_at_its_first_byte(tmp_path: Path) -> None:
    """A deck saved as UTF-16 is refused as not UTF-8, at line 1, column 1."""
    path = write_bytes(tmp_path, "title: x\n".encode("utf-16"))
    assert refusal(path) == [(1, 1, "encoding")]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 file that starts with a byte order mark loads like any other."""
    text = CARD.format(question="Which port serves etcd clients?", answer='"2379"')
    path = write_bytes(tmp_path, b"\xef\xbb\xbf" + text.encode())
    report = check_file(path)
    assert report.problems == ()
    assert report.decks[0].title == "One card"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty; a deck needs a title and cards"),
        (b"\n  \n\t\n", "the file is empty; a deck needs a title and cards"),
        (
            b"# yaml-language-server: $schema=deck.schema.json\n\n# nothing yet\n",
            "the file holds only comments or blank lines; a deck needs a title and cards",
        ),
    ],
    ids=["empty", "blank", "comments"],
)
def test_a_file_without_content_is_empty(tmp_path: Path, data: bytes, message: str) -> None:
    """An empty, blank or comments-only file is one `empty` problem at 1:1."""
    path = write_bytes(tmp_path, data)
    with pytest.raises(ReadError) as raised:
        read.read(path)
    assert [str(p) for p in raised.value.problems] == [f"{path}:1:1: error: {message}"]


def test_comments_only_through_the_cli_is_one_clean_line(cli: CLI, tmp_path: Path) -> None:
    """`validate` on a comments-only file reports it as empty and exits 1."""
    path = write_bytes(tmp_path, b"# just a comment\n")
    run = cli("validate", str(path))
    assert run.lines[0] == (
        f"{path}:1:1: error: the file holds only comments or blank lines;"
        " a deck needs a title and cards"
    )
    assert run.code == 1


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title: a\n---\ntitle: b\n", 2),
        ("---\ntitle: a\n---\ntitle: b\n", 3),
        ("title: a\n...\n---\n", 3),
    ],
)
def test_several_documents_are_refused_at_the_second(tmp_path: Path, text: str, line: int) -> None:
    """A second YAML document is refused at the line where it starts."""
    path = write_bytes(tmp_path, text.encode())
    assert refusal(path) == [(line, 1, "multiple-documents")]


def test_one_document_with_an_explicit_start_is_fine(write_deck: WriteDeck) -> None:
    """A single document that starts with `---` is a normal deck."""
    text = "---\n" + CARD.format(question="Which port serves etcd clients?", answer='"2379"')
    report = check_file(write_deck(text))
    assert report.problems == ()


def test_a_folder_without_decks_through_the_cli(cli: CLI) -> None:
    """`validate FOLDER` on a folder with no deck files says so and exits 1."""
    run = cli("validate", str(DECKS / "no-decks"))
    assert f"{DECKS / 'no-decks'}:1:1: error: this folder holds no deck files" in run.out
    assert "Traceback" not in run.err
    assert run.code == 1


@pytest.mark.parametrize("command", ["validate", "topics"])
def test_a_path_that_does_not_exist(cli: CLI, tmp_path: Path, command: str) -> None:
    """A missing path is one clean line, from validate and from any command given --deck."""
    missing = tmp_path / "nowhere" / "deck.yaml"
    args = [str(missing)] if command == "validate" else ["--deck", str(missing)]
    run = cli(command, *args)
    assert f"{missing}:1:1" in run.out + run.err
    assert "no such file or folder" in run.out + run.err
    assert "Traceback" not in run.err
    assert run.code == 1


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x1b", "U+001B is a terminal escape sequence"),
        ("\x00", "U+0000 is a control character"),
        ("\x07", "U+0007 is a control character"),
        ("\x7f", "U+007F is a control character"),
        ("\x9b", "U+009B is a control character"),
        ("\r", "U+000D is a control character"),
        ("\u202e", "U+202E (right-to-left override) changes the direction of the text around it"),
        ("\u2066", "U+2066 (left-to-right isolate) changes the direction of the text around it"),
        ("\u200b", "U+200B (zero width space) is invisible"),
        (
            "\ufeff",
            "U+FEFF (zero width no-break space) is a byte order mark inside the text,"
            " where it is invisible",
        ),
    ],
)
def test_control_characters_are_refused_where_they_are(
    tmp_path: Path, char: str, name: str
) -> None:
    """Escape sequences, C0/C1 controls, bidi overrides and zero-width characters are refused
    at their position."""
    text = CARD.format(question=f"Which port{char} serves etcd clients?", answer='"2379"')
    path = write_bytes(tmp_path, text.encode())
    with pytest.raises(ReadError) as raised:
        read.read(path)
    assert [str(p) for p in raised.value.problems] == [
        f"{path}:4:25: error: {name}; deck text is shown as typed, so remove it"
    ]


def test_windows_line_ends_are_line_ends(tmp_path: Path) -> None:
    """A deck saved with CRLF line ends loads like the same deck with LF; a carriage return
    anywhere else is a control character, at its own line and column."""
    text = CARD.format(question="Which port serves etcd clients?", answer='"2379"')
    crlf = write_bytes(tmp_path, text.replace("\n", "\r\n").encode(), "crlf.yaml")
    assert check_file(crlf).problems == ()
    assert check_file(crlf).decks[0].cards[0].question == "Which port serves etcd clients?"
    lone = write_bytes(tmp_path, text.replace("serves", "ser\rves").encode(), "cr.yaml")
    assert refusal(lone) == [(4, 29, "control-character")]


def test_tabs_inside_text_are_allowed(write_deck: WriteDeck) -> None:
    """A tab in quoted text is text, not a control character."""
    path = write_deck(CARD.format(question='"Which\tport serves etcd clients?"', answer='"2379"'))
    assert check_file(path).problems == ()


def test_an_escaped_control_character_in_quotes_is_refused(write_deck: WriteDeck) -> None:
    """`"\\e[31m"` written as a YAML escape is caught in the text it becomes."""
    path = write_deck(CARD.format(question='"Which \\e[31mport?"', answer='"2379"'))
    assert [(p.line, p.code) for p in check_file(path).problems] == [(4, "control-character")]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "title: T\ncards:\n\t- id: a\n",
            (3, 1),
            "YAML syntax: found character that cannot start any token"
            " (indent with spaces, not tabs)",
        ),
        (
            'title: "T\ncards:\n',
            (3, 1),
            "YAML syntax: found unexpected end of stream (a quote or bracket is not closed)",
        ),
        (
            "title: T\ncards:\n  - question: @home\n",
            (3, 15),
            "YAML syntax: found character that cannot start any token"
            " (quote a value that starts with '@')",
        ),
        (
            "title: T\ncards:\n  - id: a\n    question: Q?\n      answer: x\n",
            (5, 13),
            "YAML syntax: mapping values are not allowed in this context (this key is indented"
            " deeper than the line above it: line it up with its neighbours)",
        ),
        (
            "title: T\ncards:\n  - id: a\n    question: What is it: a thing?\n",
            (4, 25),
            "YAML syntax: mapping values are not allowed in this context (quote a value that"
            " contains ': ')",
        ),
        (
            "title: T\ncards:\n  - id: a\n\tquestion: Q?\n",
            (4, 1),
            "YAML syntax: found a tab character that violates indentation (indent with spaces,"
            " not tabs)",
        ),
        ("title: *nope\ncards: x\n", (1, 8), "alias '*nope' has no anchor '&nope' before it"),
        ("title: &a [*a]\n", (1, 12), "alias '*a' has no anchor '&a' before it"),
    ],
    ids=[
        "tab",
        "open-quote",
        "at-sign",
        "key-indented-deeper",
        "colon-in-value",
        "tab-in-indentation",
        "unknown-alias",
        "self-alias",
    ],
)
def test_syntax_errors_say_where_and_how_to_fix(
    tmp_path: Path, text: str, where: tuple[int, int], message: str
) -> None:
    """A YAML syntax error is one problem at its line and column, with a hint when one helps."""
    path = write_bytes(tmp_path, text.encode())
    with pytest.raises(ReadError) as raised:
        read.read(path)
    assert [str(p) for p in raised.value.problems] == [
        f"{path}:{where[0]}:{where[1]}: error: {message}"
    ]


# Input that is large for its size


@needs_alarm
def test_a_long_list_answer_is_checked_quickly(write_deck: WriteDeck) -> None:
    """One card with 30,000 list items (a 300 KB file) is checked in under two seconds."""
    items = ", ".join(f"item{i}" for i in range(30_000))
    path = write_deck(CARD.format(question="Name them all.", answer=f"[{items}]"))
    with time_limit(2):
        report = check_file(path)
    assert len(report.decks[0].cards[0].items) == 30_000


@needs_alarm
def test_aliases_that_multiply_a_small_file_are_refused_or_checked_quickly(
    write_deck: WriteDeck,
) -> None:
    """A 20 KB file whose aliases make a million nodes is dealt with in under two seconds."""
    items = ", ".join(f"item{i}" for i in range(1_000))
    aliases = "\n".join("  - *card" for _ in range(1_000))
    path = write_deck(
        "title: Amplified\ncards:\n"
        f"  - &card {{id: same, question: q, answer: [{items}], explanation: e}}\n{aliases}\n"
    )
    with time_limit(2):
        check_file(path)


# YAML scalars are the text the author typed


@pytest.fixture(scope="module")
def as_text() -> dict[str, Any]:
    """The cards of the yaml-as-text fixture, by id, as `validate` loads them."""
    path = DECKS / "valid" / "yaml-as-text.yaml"
    report = build.check([DeckSource(path, str(path))])
    assert report.problems == ()
    return {card.id: card for card in report.decks[0].cards}


@pytest.mark.parametrize(
    ("card_id", "answer"),
    [
        ("version-removed-insecure-port", "1.20"),
        ("norway-problem", "no"),
        ("switch-state", "on"),
        ("octal-looking", "010"),
        ("sexagesimal-looking", "10:30"),
        ("hex-looking", "0x1F"),
        ("exponent-looking", "1e3"),
    ],
)
def test_unquoted_scalars_keep_their_text(
    as_text: dict[str, Any], card_id: str, answer: str
) -> None:
    """An unquoted 1.20, no, on, 010, 10:30, 0x1F or 1e3 is the answer exactly as typed."""
    assert as_text[card_id].answer == answer
    assert as_text[card_id].kind.value == "text"


def test_list_items_choices_and_tags_keep_their_text(as_text: dict[str, Any]) -> None:
    """Inside lists too, YAML 1.1 booleans, numbers and dates stay the text typed."""
    assert as_text["more-implicit-types"].answer == (
        "yes",
        "off",
        "1_000",
        ".inf",
        "2001-01-01",
        "+12",
    )
    assert as_text["more-implicit-types"].tags == ("yaml", "123")
    assert as_text["switch-state"].choices == ("off", "yes", "null")


def test_an_aliased_scalar_is_the_anchored_text(as_text: dict[str, Any]) -> None:
    """`*why` gives every card the explanation anchored as `&why`."""
    explanations = {card.explanation for card in as_text.values()}
    assert explanations == {"Every plain scalar is read as the text its author typed."}


def test_loaded_with_deck_the_scalars_are_the_same_text() -> None:
    """Through load_library (what `--deck` does) the answers are the same text."""
    library = cache.load_library([DECKS / "valid" / "yaml-as-text.yaml"], {}, None)
    assert library.card("octal-looking").answer == "010"  # type: ignore[union-attr]
    assert library.card("version-removed-insecure-port").answer == "1.20"  # type: ignore[union-attr]
    assert library.select(topics=["yaml-as-text"])[0].id == "version-removed-insecure-port"


def test_an_unquoted_false_makes_a_true_false_card(write_deck: WriteDeck) -> None:
    """`answer: false` is the text 'false', which makes a true/false card."""
    path = write_deck(CARD.format(question="Secrets are encrypted by default.", answer="false"))
    card = check_file(path).decks[0].cards[0]
    assert (card.answer, card.kind.value) == ("false", "true-false")


def test_nodes_know_their_line_and_column(write_deck: WriteDeck) -> None:
    """Every node read from a file carries the line and column where it starts."""
    root = read.read(write_deck(CARD.format(question="Which port?", answer='"2379"')))
    assert isinstance(root, Map)
    key, cards = root.pairs[1]
    assert isinstance(key, Scalar)
    assert (key.value, key.line, key.col) == ("cards", 2, 1)
    assert isinstance(cards, Seq)
    card = cards.items[0]
    assert isinstance(card, Map)
    answer = card.pairs[2][1]
    assert isinstance(answer, Scalar)
    assert (answer.value, answer.line, answer.col, answer.plain) == ("2379", 5, 13, False)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (CARD.format(question="~", answer='"2379"'), "empty-value"),
        (CARD.format(question="null", answer='"2379"'), "empty-value"),
        ("---\n...\n", "empty"),
        ("~\n", "empty"),
    ],
    ids=["tilde-question", "null-question", "empty-document", "tilde-document"],
)
def test_a_null_value_is_nothing(tmp_path: Path, text: str, code: str) -> None:
    """`~`, `null` and an empty document are nothing: an empty question, an empty file."""
    path = write_bytes(tmp_path, text.encode())
    assert [p.code for p in check_file(path).problems] == [code]


# Property: loading never raises anything but K8sQuizError

KEYS = [
    "title",
    "topic",
    "description",
    "cards",
    "id",
    "question",
    "answer",
    "explanation",
    "accept",
    "choices",
    "tags",
    "source",
    "mistakes",
    "reason",
    "translations",
    "pt-BR",
    "pt_BR",
    "explaination",
    "<<",
    "x",
]
WORDS = (
    "ports",
    "etcd-port",
    "2379",
    "1.20",
    "no",
    "true",
    "~",
    "''",
    '"a: b"',
    "https://kubernetes.io/docs/",
    "Which port?",
    "[a, b]",
    "{a: b}",
    "[]",
    "*a",
    "&a x",
    "!!str s",
    "!!int 3",
    "!!python/name:os.system",
    "|\n  block",
    "'open",
    "a: b: c",
    "@",
    "\t",
    "\x1b",
    "\u202e",
    "caf\u00e9",
)
PREFIXES = ("", "", "", "&a ", "&b ", "*a", "!!map ", "!!seq ", "!x ")

scalars = st.sampled_from(WORDS) | st.text(st.sampled_from("abz09-_ .:,#&*!'\"[]{}"), max_size=6)


def _nodes(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    pairs = st.tuples(st.sampled_from(KEYS) | scalars, children)
    prefix = st.sampled_from(PREFIXES)
    return st.tuples(st.just("seq"), prefix, st.lists(children, max_size=4)) | st.tuples(
        st.just("map"), prefix, st.lists(pairs, max_size=6)
    )


def render(node: Any, indent: int = 0) -> list[str]:
    """A node of the grammar as block-style YAML lines."""
    pad = " " * indent
    if isinstance(node, str):
        return [pad + node]
    kind, _, children = node
    lines = []
    for child in children:
        head, value = (f"{pad}-", child) if kind == "seq" else (f"{pad}{child[0]}:", child[1])
        if isinstance(value, str):
            lines.append(f"{head} {value}")
        else:
            lines.append(f"{head} {value[1]}".rstrip())
            lines.extend(render(value, indent + 2))
    return lines or [pad + ("[]" if kind == "seq" else "{}")]


trees = st.recursive(scalars, _nodes, max_leaves=20)
deck_like = st.tuples(
    st.just("map"),
    st.just(""),
    st.lists(st.tuples(st.sampled_from(KEYS[:4]), trees), min_size=1, max_size=5),
)
documents = st.one_of(trees, deck_like).map(lambda tree: "\n".join(render(tree)) + "\n")
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def one_bundled_deck(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand a one-card deck in for the bundled decks, so load_library is cheap to call."""
    small = DeckSource(DECKS / "valid" / "minimal.yaml", "bundled")
    monkeypatch.setattr(discover, "bundled", lambda: small)


def _loads_or_says_why(path: Path) -> None:
    report = check_file(path)
    assert all(p.severity in {"error", "warning"} for p in report.problems)
    with contextlib.suppress(K8sQuizError):
        cache.load_library([path], {}, None)


@PROPERTY
@given(data=st.binary(max_size=300))
def test_any_bytes_load_or_give_problems(
    tmp_path: Path, one_bundled_deck: None, data: bytes
) -> None:
    """Arbitrary bytes: check returns problems, load_library raises only K8sQuizError."""
    _loads_or_says_why(write_bytes(tmp_path, data))


@PROPERTY
@given(text=documents)
def test_any_yaml_ish_text_loads_or_gives_problems(
    tmp_path: Path, one_bundled_deck: None, text: str
) -> None:
    """YAML built from mappings, lists, anchors, aliases and tags never breaks loading."""
    _loads_or_says_why(write_bytes(tmp_path, text.encode("utf-8", "surrogatepass")))


@PROPERTY
@given(text=documents)
def test_a_file_either_reads_or_is_refused(tmp_path: Path, text: str) -> None:
    """read.read returns nodes or raises ReadError with located problems, nothing else."""
    path = write_bytes(tmp_path, text.encode("utf-8", "surrogatepass"))
    try:
        read.read(path)
        return
    except ReadError as refused:
        problems = refused.problems
    assert problems
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


# Without libyaml


def test_decks_load_the_same_with_the_pure_python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML built without libyaml reads every bundled deck to the same cards."""
    import yaml

    from k8squiz.decks.build import check

    with_libyaml = check([bundled()])
    monkeypatch.setattr(read, "_Parser", yaml.SafeLoader)
    without = check([bundled()])
    assert without.problems == with_libyaml.problems == ()
    assert [d.cards for d in without.decks] == [d.cards for d in with_libyaml.decks]


def test_the_pure_python_parser_reports_syntax_errors_the_same_way(
    monkeypatch: pytest.MonkeyPatch, write_deck: WriteDeck
) -> None:
    """A YAML error is still one problem with its line, not an exception."""
    import yaml

    monkeypatch.setattr(read, "_Parser", yaml.SafeLoader)
    path = write_deck("title: a: b\ncards: []\n")
    assert [(line, code) for line, _, code in refusal(path)] == [(1, "yaml-syntax")]
