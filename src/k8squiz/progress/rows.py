"""What a progress file holds: its header and its rows, as checked structs.

A progress file is one JSON object: the header (`format` "k8squiz-progress", `version` 1,
and what wrote it), then `sessions`, `answers` and `reviews`, each a list of rows linked by
uid. Every field of every row is checked here before anything is written to the database:
its type, its range, dates with a timezone, finite numbers, known kinds, modes and
languages, FSRS states the scheduler can read, and text without control characters (C0,
DEL, C1, bidi controls, line separators), which would break the one-line reports and JSON
documents that show them later. A field that fails says which one and what it expects.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

import msgspec
from msgspec import Meta, Struct

from k8squiz.progress.records import iso
from k8squiz.scheduler import EARLIEST, LATEST, checked_state

FORMAT = "k8squiz-progress"
FORMAT_VERSION = 1
TABLES = ("sessions", "answers", "reviews")

CONTROLS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_CONTROL = re.compile(f"[{CONTROLS}]")
_PLAIN = f"^[^{CONTROLS}]*\\Z"  # \Z: "$" would let a final newline through

Uid = Annotated[str, Meta(pattern=r"^[0-9A-Za-z_-]{1,64}\Z")]
Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=_PLAIN)]
TYPED_MOST = 100_000  # characters of an answer as typed
Typed = Annotated[str, Meta(max_length=TYPED_MOST, pattern=_PLAIN)]
JsonText = Annotated[str, Meta(min_length=2, max_length=20_000, pattern=_PLAIN)]
StateText = Annotated[str, Meta(min_length=2, max_length=4_000, pattern=_PLAIN)]
Version = Annotated[str, Meta(pattern=r"^[0-9][0-9A-Za-z.+_-]{0,63}\Z")]  # 1.2.0, 0.1.dev3+g1
FsrsMajor = Annotated[str, Meta(pattern=r"^[0-9]{1,4}(\.[0-9]{1,4}){0,3}\Z")]  # 6
Time = Annotated[datetime, Meta(tz=True)]
Flag = bool | Literal[0, 1]
Count = Annotated[int, Meta(ge=0, le=2**31 - 1)]
Int64 = Annotated[int, Meta(ge=-(2**63), le=2**63 - 1)]
Seconds = Annotated[float, Meta(ge=0, le=1e9)]
Millis = Annotated[int, Meta(ge=0, le=10**12)]
Kind = Literal["quiz", "study", "exam"]
Source = Literal["quiz", "study"]  # what a review comes from: an exam makes none
# The session modes k8squiz writes (modes/quiz.py QuizOptions.mode, modes/study.py,
# modes/exam.py): a new mode is added here too, or its sessions cannot be imported.
Mode = Literal[
    "typed", "choices", "typed+missed", "choices+missed", "typed+practice",
    "choices+practice", "typed+missed+practice", "choices+missed+practice", "study", "exam",
]  # fmt: skip
Lang = Literal["en", "pt-BR"]
Cert = Literal["kcna", "cka", "ckad"]
Status = Literal["submitted", "timed-out", "abandoned"]  # how an exam ended
Minutes = Annotated[int, Meta(gt=0, le=100_000_000)]


class Header(Struct, frozen=True, forbid_unknown_fields=True):
    format: Literal["k8squiz-progress"]
    version: Literal[1]
    exported_at: Time | None = None
    k8squiz: Version | None = None
    fsrs: Version | None = None
    schema: Count | None = None


class SessionRow(Struct, frozen=True, forbid_unknown_fields=True):
    uid: Uid
    kind: Kind
    started_at: Time
    ended_at: Time | None
    selection: JsonText
    topics: JsonText
    tags: JsonText
    mode: Mode
    planned: Count
    lang: Lang
    seed: Int64 | None = None
    cert: Cert | None = None  # exams, and the columns below: absent from older files
    time_limit: Minutes | None = None  # seconds
    pass_mark: Annotated[int, Meta(ge=0, le=100)] | None = None
    status: Status | None = None


class AnswerRow(Struct, frozen=True, forbid_unknown_fields=True):
    uid: Uid
    card_id: Name
    topic: Name
    given: Typed
    correct: Flag
    revealed: Flag
    mistake: Typed | None
    seconds: Seconds
    answered_at: Time
    session: Uid
    domain: Name | None = None  # an exam's answer: the curriculum domain it was asked for


class ReviewRow(Struct, frozen=True, forbid_unknown_fields=True):
    uid: Uid
    card_id: Name
    source: Source
    rating: Annotated[int, Meta(ge=1, le=4)]
    reviewed_at: Time
    duration_ms: Millis | None
    state_before: StateText | None
    state_after: StateText
    fsrs_version: FsrsMajor
    session: Uid | None = None
    answer: Uid | None = None


Row = SessionRow | AnswerRow | ReviewRow
ROW_TYPES: dict[str, type[Row]] = {
    "sessions": SessionRow,
    "answers": AnswerRow,
    "reviews": ReviewRow,
}

_TIME = "a date and time with a timezone (e.g. 2026-03-10T12:00:00+00:00) from 1970 to 8999"
_TEXT = "text without control characters"
# What each field must hold, as the error says it: "answers[12].seconds: expected ...".
EXPECTED: dict[str, str] = {
    "format": '"k8squiz-progress"',
    "version": "1 (a whole number)",
    "exported_at": f"{_TIME}, or null",
    "k8squiz": "a version such as 1.2.0, or null",
    "fsrs": "a version such as 6.1.0, or null",
    "schema": "a whole number >= 0, or null",
    "uid": "a uid: 1 to 64 letters, digits, '-' or '_'",
    "kind": '"quiz", "study" or "exam"',
    "source": '"quiz" or "study"',
    "started_at": _TIME,
    "ended_at": f"{_TIME}, or null",
    "answered_at": _TIME,
    "reviewed_at": _TIME,
    "selection": f"a JSON object of names to values or lists of values, as {_TEXT}",
    "topics": f"a JSON list of names as {_TEXT}",
    "tags": f"a JSON list of names as {_TEXT}",
    "mode": " or ".join(f'"{mode}"' for mode in get_args(Mode)),
    "planned": "a whole number from 0 to 2147483647",
    "lang": '"en" or "pt-BR"',
    "seed": "a whole 64-bit number, or null",
    "card_id": f"a name of 1 to 200 characters, {_TEXT}",
    "topic": f"a name of 1 to 200 characters, {_TEXT}",
    "given": f"{_TEXT}, at most 100000 characters",
    "correct": "true, false, 1 or 0",
    "revealed": "true, false, 1 or 0",
    "mistake": f"{_TEXT}, at most 100000 characters, or null",
    "seconds": "a finite number >= 0 (at most 1e9)",
    "session": "the uid of a session in this file or this database",
    "answer": "the uid of an answer in this file or this database, or null",
    "rating": "a rating from 1 to 4",
    "duration_ms": "a whole number of milliseconds >= 0, or null",
    "state_before": "an FSRS card state k8squiz wrote, or null",
    "state_after": "an FSRS card state k8squiz wrote",
    "fsrs_version": 'a version number such as "6"',
    "cert": '"kcna", "cka" or "ckad", or null',
    "time_limit": "a whole number of seconds > 0, or null",
    "pass_mark": "a whole percentage from 0 to 100, or null",
    "status": '"submitted", "timed-out" or "abandoned", or null',
    "domain": f"a name of 1 to 200 characters, {_TEXT}, or null",
}


class FieldError(ValueError):
    """A field that does not hold what it must: `field` ("" for the row as a whole)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


_AT = re.compile(r" - at `\$(?:\.([A-Za-z_]+))?[^`]*`$")
_NAMED = re.compile(r"field `([^`]+)`")


def field_error(exc: msgspec.ValidationError, *, table: str = "") -> FieldError:
    """msgspec's complaint about a row, as the field and what it expects."""
    text = str(exc)
    found = _AT.search(text)
    named = _NAMED.search(text)
    field = (found.group(1) if found else None) or (named.group(1) if named else "")
    if "missing required field" in text:
        return FieldError(field, "missing")
    if "unknown field" in text:
        return FieldError(field, f"not a field of {table or 'a progress file'} (version 1)")
    if field in EXPECTED:
        return FieldError(field, f"expected {EXPECTED[field]}")
    return FieldError(field, "expected an object (one row)" if not field else text)


def check(row: Row) -> tuple[Any, ...]:
    """The values of a decoded row as the database stores them, once the checks a struct
    cannot say are done (date ranges, JSON in text, FSRS states)."""
    for name in row.__struct_fields__:
        value = getattr(row, name)
        if isinstance(value, datetime):
            _in_range(name, value)
    match row:
        case SessionRow():
            return _session(row)
        case AnswerRow():
            return (*_values(row)[:8], iso(row.answered_at), row.domain, row.session)
        case ReviewRow():
            return _review(row)


def _values(row: Row) -> tuple[Any, ...]:
    return tuple(
        int(value) if isinstance(value, bool) else value for value in msgspec.structs.astuple(row)
    )


def _session(row: SessionRow) -> tuple[Any, ...]:
    topics = _names("topics", row.topics)
    tags = _names("tags", row.tags)
    _object("selection", row.selection)
    ended = None if row.ended_at is None else iso(row.ended_at)
    return (
        row.uid, row.kind, iso(row.started_at), ended, row.selection, topics, tags,
        row.mode, row.planned, row.lang, row.seed, row.cert, row.time_limit, row.pass_mark,
        row.status,
    )  # fmt: skip


def _review(row: ReviewRow) -> tuple[Any, ...]:
    before = None if row.state_before is None else _state("state_before", row.state_before)
    _state("state_after", row.state_after)
    return (
        row.uid, row.card_id, row.source, row.rating, iso(row.reviewed_at), row.duration_ms,
        row.state_before, row.state_after, row.fsrs_version, row.session, row.answer, before,
    )  # fmt: skip


def _in_range(name: str, moment: datetime) -> None:
    try:
        inside = EARLIEST <= moment < LATEST
    except OverflowError:
        inside = False
    if not inside:
        raise FieldError(name, f"expected {_TIME}")


_NAMES = msgspec.json.Decoder(list[Name])


def _names(name: str, text: str) -> str:
    """A JSON list of names, re-encoded the way k8squiz writes it."""
    try:
        return msgspec.json.encode(_NAMES.decode(text)).decode()
    except (msgspec.DecodeError, RecursionError):
        raise FieldError(name, f"expected {EXPECTED[name]}") from None


Scalar = str | int | float | bool | None
# A selection as SessionInfo.selection writes it: names to a value or a list of values. Its
# text is checked after decoding: msgspec before 0.23 aborts Python at exit when a decoder
# holds a pattern-constrained string inside a union inside a dict's values.
_SELECTION = msgspec.json.Decoder(dict[str, Scalar | list[Scalar]])


def _object(name: str, text: str) -> None:
    try:
        selection = _SELECTION.decode(text)
    except (msgspec.DecodeError, RecursionError):
        raise FieldError(name, f"expected {EXPECTED[name]}") from None
    values = [
        v for value in selection.values() for v in (value if isinstance(value, list) else [value])
    ]
    texts = [*selection, *(v for v in values if isinstance(v, str))]
    if any(_CONTROL.search(text) for text in texts):
        raise FieldError(name, f"expected {EXPECTED[name]}")


def _state(name: str, text: str) -> int:
    try:
        return checked_state(text)
    except ValueError as exc:
        raise FieldError(name, f"expected {EXPECTED[name]} ({exc})") from None


def plain(text: str) -> str:
    """`text` as a progress file may hold it: each control character replaced (a tab by a
    space, the rest by U+FFFD), and no longer than an answer may be.

    Answers are saved as typed, and a terminal can type an escape or a tab, a pipe a line of
    any length; the export writes them like this so the file imports anywhere."""
    text = text[:TYPED_MOST]
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: " " if m.group() == "\t" else "\ufffd", text)
