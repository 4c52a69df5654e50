"""A large JSON object read one member at a time, and its lists one element at a time.

A progress file of a long history is hundreds of megabytes; reading it whole would take
several times that in memory. `Reader` keeps only a window of the text: it walks the top
object's keys itself and hands each value (or each element of a list) over as it comes.
An element alone on its line, as `progress export` writes them, is decoded straight from
that line by the caller's fast decoder; any other layout (indented, one long line) falls
back to Python's JSON decoder, one element at a time. No value may be longer than
`most` characters, so a hostile file cannot make it hold more than that either.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

T = TypeVar("T")
CHUNK = 1 << 20  # characters read at a time
MOST = 1 << 22  # the longest value (a row, a header field) accepted, in characters
_SPACE = " \t\r\n"
NESTED = "values nested too deeply"
EXPECTED_LIST = "expected a list"
_DIGITS = 40  # longer whole numbers are out of every range anyway


class JsonError(ValueError):
    """The text is not the JSON expected; `line` is where (1-based), 0 when unknown."""

    def __init__(self, problem: str, line: int = 0) -> None:
        super().__init__(f"{problem} (line {line})" if line else problem)
        self.problem = problem
        self.line = line


def _whole(text: str) -> int | float:
    """A JSON whole number; an absurdly long one becomes infinity, out of every range."""
    return int(text) if len(text) <= _DIGITS else float("inf")


_DECODER = json.JSONDecoder(parse_int=_whole)


def _cut_short(exc: json.JSONDecodeError, length: int) -> bool:
    """Whether the decoder may have failed only because the window ends too soon."""
    return exc.pos >= length - 8 or exc.msg.startswith("Unterminated string")


class Reader:
    """The JSON text of `stream` (bytes, UTF-8), read forwards through a bounded window."""

    def __init__(self, stream: IO[bytes], *, most: int = MOST) -> None:
        self.stream = stream
        self.most = most
        self.text = ""
        self.pos = 0
        self.lines_before = 0  # newlines in the text already dropped from the window
        self.ended = False
        self.utf8 = codecs.getincrementaldecoder("utf-8-sig")()

    # the top object

    def begins_object(self) -> bool:
        """Whether the text starts with `{` (consumed), as a progress file does."""
        if self._peek() != "{":
            return False
        self.pos += 1
        return True

    def members(self) -> Iterator[str]:
        """Each key of the top object, positioned at its value; the caller reads the value."""
        if self._peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise self.error("expected a key in double quotes")
            self._expect(":")
            yield key
            if self._next_of(",}") == "}":
                return

    def end(self) -> None:
        """Only white space may follow the top object."""
        if self._peek() != "":
            raise self.error("extra text after the JSON object")

    # values

    def value(self) -> Any:
        """The next whole value, decoded by Python's JSON decoder."""
        self._peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if _cut_short(exc, len(self.text)) and self._more(len(self.text)):
                    continue
                raise self._syntax(exc) from None
            except RecursionError:
                raise self.error(NESTED) from None
            except ValueError as exc:  # a number Python will not convert
                raise self.error(str(exc)) from None
            if end == len(self.text) and self._more(end):
                continue  # a number may go on in the next chunk
            self.pos = end
            return value

    def elements(
        self,
        fast: Callable[[str], T],
        slow: Callable[[Any], T],
        precise: type[Exception] | tuple[type[Exception], ...] = (),
    ) -> Iterator[T]:
        """Each element of the list that comes next: `fast` decodes an element alone on its
        line (raising anything when it cannot), `slow` converts one Python's decoder read.
        Python's decoder cannot say where values nest too deeply; `fast`, typed, can: its
        `precise` exceptions are raised instead."""
        if self._peek() != "[":
            raise self.error(EXPECTED_LIST)
        self.pos += 1
        if self._peek() == "]":
            self.pos += 1
            return
        lines = True
        while True:
            element = self._on_its_line(fast) if lines else None
            if element is None:
                lines = False
                element = slow(self._element(fast, precise))
            yield element
            if self._next_of(",]") == "]":
                return

    def _element(
        self, fast: Callable[[str], T], precise: type[Exception] | tuple[type[Exception], ...]
    ) -> Any:
        try:
            return self.value()
        except JsonError as exc:
            if exc.problem == NESTED:
                try:
                    fast(self.text[self.pos :])
                except precise:
                    raise
                except Exception:  # not precise: the nesting error says it best
                    pass
            raise

    def _on_its_line(self, fast: Callable[[str], T]) -> T | None:
        """The element decoded from the rest of its line, or None when that is not one."""
        self._peek()
        newline = self.text.find("\n", self.pos)
        while newline < 0 and self._more(len(self.text)):
            newline = self.text.find("\n", self.pos)
        end = len(self.text) if newline < 0 else newline
        line = self.text[self.pos : end].rstrip()
        if line.endswith(","):
            line = line[:-1]
        try:
            element = fast(line)
        except Exception:  # any failure: the slow path reads it, and says what is wrong
            return None
        self.pos += len(line)
        return element

    # the window

    def _peek(self) -> str:
        """The next character that is not white space ("" at the end), not consumed."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in _SPACE:
                pos += 1
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self._more(pos):
                return ""

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise self.error(f"expected '{char}'")
        self.pos += 1

    def _next_of(self, chars: str) -> str:
        found = self._peek()
        if found == "" or found not in chars:
            raise self.error("expected " + " or ".join(f"'{c}'" for c in chars))
        self.pos += 1
        return found

    def _more(self, needed: int) -> bool:
        """Read another chunk, dropping what was consumed; False at the end of the text or
        when the value being read (from `pos` to `needed`) is longer than allowed."""
        if self.ended or needed - self.pos > self.most:
            return False
        if self.pos:
            self.lines_before += self.text.count("\n", 0, self.pos)
            self.text = self.text[self.pos :]
            self.pos = 0
        try:
            data = self.stream.read(CHUNK)
            self.text += self.utf8.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise self.error(f"not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise JsonError(f"cannot read the file: {exc.strerror or exc}") from exc
        self.ended = not data
        return True

    def line(self, at: int | None = None) -> int:
        return self.lines_before + self.text.count("\n", 0, self.pos if at is None else at) + 1

    def error(self, problem: str) -> JsonError:
        return JsonError(problem, self.line())

    def _syntax(self, exc: json.JSONDecodeError) -> JsonError:
        if not self.ended and _cut_short(exc, len(self.text)):
            return JsonError(f"a value longer than {self.most} characters", self.line())
        if self.ended and _cut_short(exc, len(self.text)):
            return JsonError("the file ends in the middle of a value", self.line(exc.pos))
        return JsonError(f"not valid JSON: {exc.msg}", self.line(exc.pos))
