"""Read a deck file into YAML nodes that know their line, refusing hostile input.

Nodes are composed here from the parser's events (libyaml's C parser when present) rather
than by PyYAML's composer, for three reasons: every scalar stays the text its author typed
(`1.20`, `no`, `010`), nesting depth and alias expansion are bounded before they can hurt
(libyaml's own composer recurses and crashes on deep nesting), and it is several times
faster than `yaml.load`.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path
from typing import Any, Union

import msgspec
import yaml
from msgspec import Struct
from yaml import events as ev

from k8squiz.decks.problems import (
    CONTROLS,
    UNSAFE,
    Problem,
    describe_control,
    describe_invisible,
    problem,
)
from k8squiz.files import RefusedFileError, read_regular

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 4_000_000
ALIAS_ALLOWANCE = 10_000  # nodes aliases may add beyond ALIAS_FACTOR per node written out
ALIAS_FACTOR = 10
MAX_CHAR_PROBLEMS = 20  # control or invisible characters reported per file
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
PLAIN_TAGS = frozenset(
    {"!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges) + "]"


# C0 and C1 control characters (tab and newline are text) and DEL, in deck text.
CONTROL = re.compile(_char_class(CONTROLS))
# The rest of what a terminal must not get raw: invisible and direction-changing characters.
INVISIBLE = re.compile(_char_class(tuple(r for r in UNSAFE if r not in CONTROLS)))
# In a scalar's value: what a double-quoted scalar's escapes (\e, \x1b, \u200b) can make.
_IN_VALUE = re.compile(f"{CONTROL.pattern}|{INVISIBLE.pattern}")
# The same, for a whole file, in two parts: a class of characters below U+10000 is a bitmap
# (a fast scan), and the few files with characters above it get the full class.
_IN_TEXT = re.compile(
    _char_class(tuple((lo, min(hi, 0xFFFF)) for lo, hi in UNSAFE if lo <= 0xFFFF))
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
SYNTAX_HINTS = {  # libyaml's wording first, then PyYAML's
    "mapping values are not allowed in this context": "quote a value that contains ': '",
    "mapping values are not allowed here": "quote a value that contains ': '",
    "could not find expected ':'": "check the indentation of this line and the one before",
    "did not find expected key": "check the indentation of this line and the one before",
    "found unexpected end of stream": "a quote or bracket is not closed",
    "found a tab character that violates indentation": "indent with spaces, not tabs",
}
_KEY = re.compile(r"[ ]*(?:- )?[A-Za-z0-9_-]+$")  # what comes before a key's ':'


class ReadError(Exception):
    """The file cannot be read as a deck at all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


class Scalar(Struct):
    value: str
    line: int
    col: int
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULLS


class Seq(Struct):
    line: int
    col: int
    items: list[Node] = msgspec.field(default_factory=list)


class Map(Struct):
    line: int
    col: int
    pairs: list[tuple[Node, Node]] = msgspec.field(default_factory=list)


Node = Union[Scalar, Seq, Map]  # noqa: UP007 - used at runtime, before 3.10's |


def read(path: Path) -> Node:
    """The document of a deck file as nodes; ReadError says why it cannot be one."""
    where = str(path)
    data = _read_bytes(path, where)
    text = _decode(data, where)
    _refuse_unsafe_characters(text, where)
    if not text.strip():
        raise ReadError(
            [problem(where, 1, 1, "empty", "the file is empty; a deck needs a title and cards")]
        )
    return _Composer(text, where).document()


def _read_bytes(path: Path, where: str) -> bytes:
    """The file's bytes, if it is a regular file of at most MAX_BYTES (see read_regular)."""
    try:
        return read_regular(path, MAX_BYTES)
    except RefusedFileError as refused:
        if refused.size is not None:
            message = (
                f"the file has {refused.size:,} bytes, over the {MAX_BYTES:,} a deck may have"
                " (split it)"
            )
            raise ReadError([problem(where, 1, 1, "file-too-large", message)]) from refused
        reason = f"cannot read the file: {refused.reason}"
        raise ReadError([problem(where, 1, 1, "unreadable", reason)]) from refused
    except (OSError, ValueError) as exc:
        raise ReadError([problem(where, 1, 1, "unreadable", _os_reason(exc))]) from exc


def _os_reason(exc: OSError | ValueError) -> str:
    if not isinstance(exc, OSError):  # a NUL in the name
        return "cannot read the file: its name cannot be a file's"
    if exc.errno == errno.ELOOP:
        return "cannot read the file: a symbolic link loop (a link that leads back to itself)"
    if exc.errno == errno.EAGAIN:
        return "cannot read the file: it has nothing to read yet (a special file?)"
    return f"cannot read the file: {exc.strerror or type(exc).__name__}"


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8"
        raise ReadError([problem(where, line, col, "encoding", message)]) from exc


def _refuse_unsafe_characters(text: str, where: str) -> None:
    """Control, invisible and direction-changing characters anywhere in the file, comments
    included, each at its line and column (the first 20)."""
    if "\r\n" in text:  # a Windows line end is one line end to YAML, not a control character
        text = text.replace("\r\n", "\n")  # (lines and columns stay where they were)
    problems = []
    for found in (_IN_VALUE if _ASTRAL.search(text) else _IN_TEXT).finditer(text):
        problems.append(_unsafe_problem(where, *_position(text, found.start()), found.group()))
        if len(problems) == MAX_CHAR_PROBLEMS:
            break
    if problems:
        raise ReadError(problems)


def _unsafe_problem(where: str, line: int, col: int, char: str) -> Problem:
    if CONTROL.match(char):
        return problem(where, line, col, "control-character", describe_control(char))
    return problem(where, line, col, "invisible-character", describe_invisible(char))


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


class _Frame:
    __slots__ = ("anchor", "key", "node", "size")

    def __init__(self, node: Seq | Map, anchor: str | None) -> None:
        self.node = node
        self.anchor = anchor
        self.size = 1
        self.key: Node | None = None


class _Composer:
    """Builds nodes from parser events, with bounded depth and alias expansion."""

    def __init__(self, text: str, where: str) -> None:
        self.parser: Any = _Parser(text)
        self.text = text
        self.where = where
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.root: Node | None = None
        self.documents = 0
        self.events = 0
        self.expanded = 0  # nodes added by aliases
        self.escaped: list[Problem] = []  # unsafe characters written as escapes

    def document(self) -> Node:
        try:
            self._run()
        except yaml.MarkedYAMLError as exc:
            raise ReadError([self._syntax_problem(exc)]) from exc
        except yaml.YAMLError as exc:
            raise ReadError([self._problem(1, 1, "yaml-syntax", f"YAML syntax: {exc}")]) from exc
        finally:
            self.parser.dispose()
        if self.escaped:
            raise ReadError(self.escaped)
        if self.root is None or (isinstance(self.root, Scalar) and self.root.is_null):
            raise ReadError(
                [
                    self._problem(
                        1,
                        1,
                        "empty",
                        "the file holds only comments or blank lines;"
                        " a deck needs a title and cards",
                    )
                ]
            )
        return self.root

    def _run(self) -> None:
        get = self.parser.get_event
        while True:
            event = get()
            self.events += 1
            kind = type(event)
            if kind is ev.ScalarEvent:
                self._scalar(event)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                self._open(event, kind is ev.MappingStartEvent)
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                self._close()
            elif kind is ev.AliasEvent:
                self._alias(event)
            elif kind is ev.DocumentStartEvent:
                self._start_document(event)
            elif kind is ev.StreamEndEvent:
                return

    def _start_document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            line = event.start_mark.line + 1
            message = (
                "a second YAML document starts here; a deck file holds exactly one (remove '---')"
            )
            raise ReadError([self._problem(line, 1, "multiple-documents", message)])

    def _scalar(self, event: Any) -> None:
        mark = event.start_mark
        self._check_tag(event.tag, mark)
        plain = not event.style  # None from PyYAML, '' from libyaml
        node = Scalar(event.value, mark.line + 1, mark.column + 1, plain)
        if event.style == '"' and len(self.escaped) < MAX_CHAR_PROBLEMS:
            self._check_escapes(node)
        self._add(node, 1, event.anchor)

    def _check_escapes(self, node: Scalar) -> None:
        """Only a double-quoted scalar has escapes; the rest of the text was checked raw."""
        if bad := _IN_VALUE.search(node.value):
            self.escaped.append(_unsafe_problem(self.where, node.line, node.col, bad.group()))

    def _open(self, event: Any, mapping: bool) -> None:
        mark = event.start_mark
        self._check_tag(event.tag, mark)
        if len(self.stack) >= MAX_DEPTH:
            message = f"nesting deeper than {MAX_DEPTH} levels; a deck is only a few levels deep"
            raise ReadError([self._problem(mark.line + 1, mark.column + 1, "nesting", message)])
        node: Seq | Map = (Map if mapping else Seq)(mark.line + 1, mark.column + 1)
        self.stack.append(_Frame(node, event.anchor))

    def _close(self) -> None:
        frame = self.stack.pop()
        self._add(frame.node, frame.size, frame.anchor)

    def _alias(self, event: Any) -> None:
        mark = event.start_mark
        if event.anchor not in self.anchors:
            message = f"alias '*{event.anchor}' has no anchor '&{event.anchor}' before it"
            raise ReadError(
                [self._problem(mark.line + 1, mark.column + 1, "yaml-syntax", message)]
            )
        node, size = self.anchors[event.anchor]
        self.expanded += size
        if self.expanded > ALIAS_ALLOWANCE + ALIAS_FACTOR * self.events:
            message = (
                f"aliases expand this file to over {self.expanded:,} nodes, far more than it holds"
                " (a YAML alias bomb?); write the repeated parts out or use fewer aliases"
            )
            raise ReadError([self._problem(mark.line + 1, mark.column + 1, "alias-bomb", message)])
        self._add(node, size, None)

    def _add(self, node: Node, size: int, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = (node, size)
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        frame.size += size
        if frame.size > MAX_NODES:
            message = (
                "aliases expand to millions of nodes (a YAML alias bomb?); the file was not read"
            )
            raise ReadError([self._problem(node.line, 1, "alias-bomb", message)])
        parent = frame.node
        if isinstance(parent, Seq):
            parent.items.append(node)
        elif frame.key is None:
            frame.key = node
        else:
            parent.pairs.append((frame.key, node))
            frame.key = None

    def _check_tag(self, tag: str | None, mark: Any) -> None:
        if tag is None or tag in PLAIN_TAGS:
            return
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        message = f"YAML tag '{shown}' is not allowed; a deck is plain text and tags are never run"
        raise ReadError([self._problem(mark.line + 1, mark.column + 1, "yaml-tag", message)])

    def _syntax_problem(self, exc: yaml.MarkedYAMLError) -> Problem:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        hint = SYNTAX_HINTS.get(what)
        if "cannot start any token" in what and mark is not None:
            hint = _token_hint(self.text, mark.index)
        elif what.startswith("mapping values are not allowed") and mark is not None:
            hint = _colon_hint(self.text, mark.line, mark.column) or hint
        message = f"YAML syntax: {what}" + (f" ({hint})" if hint else "")
        return self._problem(line, col, "yaml-syntax", message)

    def _problem(self, line: int, col: int, code: str, message: str) -> Problem:
        return problem(self.where, line, col, code, message)


def _colon_hint(text: str, line: int, column: int) -> str | None:
    """A key indented deeper than the line before it reads to YAML as a value with ': ' in
    it: say so, instead of telling the author to quote it."""
    lines = text.splitlines()
    if line >= len(lines) or not _KEY.match(lines[line][:column]):
        return None
    above = next(
        (t for t in reversed(lines[:line]) if t.strip() and not t.lstrip().startswith("#")), ""
    )
    indent = len(lines[line]) - len(lines[line].lstrip(" "))
    if indent <= len(above) - len(above.lstrip(" ")):
        return None
    return "this key is indented deeper than the line above it: line it up with its neighbours"


def _token_hint(text: str, index: int) -> str:
    char = text[index : index + 1]
    if char == "\t":
        return "indent with spaces, not tabs"
    return f"quote a value that starts with '{char}'"


def describe(node: Node) -> str:
    """What a node is, in a learner's words: 'text', 'a list', 'a mapping'."""
    if isinstance(node, Scalar):
        return "nothing" if node.is_null else "text"
    return "a list" if isinstance(node, Seq) else "a mapping"
