"""Damaged progress files: every field of every row, broken every way, imports nothing.

A real export is damaged one field at a time (a wrong type, a value out of range, a control
character, a date that is not one, a missing or unknown field, a uid given twice or linking
to nothing) and written in k8squiz's own layout, indented, or on one line. Importing it must
exit 1 with one line naming the row and field, and leave the database byte for byte as it
was. And the other way round: whatever a session saves, its export imports.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from k8squiz.cli import main
from k8squiz.progress import transfer
from k8squiz.progress.records import AnswerRecord, SessionInfo
from k8squiz.progress.rows import CONTROLS, TABLES, Mode, plain
from k8squiz.progress.store import Store, export_fields
from k8squiz.scheduler import Rating
from tests._builders import NOW, Reply, db_path, learner

RAW = "@raw:"  # a string value replaced by raw JSON text (not JSON at all, or huge)
CONTROL_CHARS = [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)]
CONTROL_CHARS += list("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONTROL_CHARS += ["\u2028", "\u2029"]
UID = re.compile(r"[0-9A-Za-z_-]{1,64}")


@cache
def exported() -> str:
    """A real export: quizzes with known mistakes and a study session, from its own home."""
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="k8squiz-damage-"))
    with learner(home) as someone:
        someone.quiz(
            [
                Reply("port-a", "8080", False, mistake="8080"),
                Reply("port-b", "6443", True),
                Reply("port-a", "6443", True),
            ],
            NOW - timedelta(days=2),
        )
        someone.study([("helm-a", Rating.GOOD), ("port-a", Rating.HARD)], NOW - timedelta(days=1))
        someone.rate("helm-b", Rating.EASY, NOW)
        file = home / "progress.json"
        transfer.export(someone.store, file, NOW)
    return file.read_text(encoding="utf-8")


def _not_uid(value: object) -> bool:
    return not (isinstance(value, str) and UID.fullmatch(value))


def _with_control(text: str) -> st.SearchStrategy[str]:
    """`text` with one control character put somewhere in it."""
    return st.tuples(st.sampled_from(CONTROL_CHARS), st.integers(0, len(text))).map(
        lambda pair: text[: pair[1]] + pair[0] + text[pair[1] :]
    )


OTHER_TYPES = st.one_of(
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
NOT_NUMBERS = st.sampled_from(
    [f"{RAW}Infinity", f"{RAW}-Infinity", f"{RAW}NaN", f"{RAW}1e999", f"{RAW}{'9' * 5000}"]
)
DEEP = st.integers(10, 3000).map(lambda n: f"{RAW}{'[' * n}{']' * n}")


def _times(nullable: bool) -> st.SearchStrategy[object]:
    naive = st.datetimes(datetime(1971, 1, 1), datetime(8999, 1, 1)).map(datetime.isoformat)
    too_early = st.datetimes(datetime(1, 1, 2), datetime(1969, 12, 30)).map(
        lambda d: d.replace(tzinfo=timezone.utc).isoformat()
    )
    too_late = st.datetimes(datetime(9000, 1, 2), datetime(9999, 12, 30)).map(
        lambda d: d.replace(tzinfo=timezone.utc).isoformat()
    )
    words = st.text(max_size=30).filter(lambda t: not re.match(r"\s*\d{4}-", t))
    bad = st.one_of(naive, too_early, too_late, words, OTHER_TYPES, NOT_NUMBERS, DEEP)
    return bad if nullable else st.one_of(bad, st.none())


def _choice_of(allowed: tuple[str, ...], nullable: bool = False) -> st.SearchStrategy[object]:
    other = st.text(max_size=20).filter(lambda t: t not in allowed)
    return st.one_of(other, OTHER_TYPES) if nullable else st.one_of(other, st.none(), OTHER_TYPES)


def _ints(low: int, high: int, nullable: bool) -> st.SearchStrategy[object]:
    bad = st.one_of(
        st.integers(max_value=low - 1),
        st.integers(min_value=high + 1),
        st.floats(allow_nan=False).filter(lambda f: not f.is_integer()),
        st.text(max_size=5),
        st.booleans(),
        NOT_NUMBERS,
        DEEP,
    )
    return bad if nullable else st.one_of(bad, st.none())


def _texts(value: str, nullable: bool, least: int = 0) -> st.SearchStrategy[object]:
    bad = st.one_of(
        _with_control(value),
        st.integers(),
        st.lists(st.text(max_size=3), max_size=2),
        DEEP,
        *([st.just("")] if least else []),
    )
    return bad if nullable else st.one_of(bad, st.none())


def _json_lists(value: str) -> st.SearchStrategy[object]:
    return st.one_of(
        st.text(max_size=20).filter(lambda t: not t.strip().startswith("[")),
        st.lists(st.integers(), min_size=1).map(json.dumps),
        st.sampled_from(CONTROL_CHARS).map(lambda c: json.dumps([f"po{c}rts"])),
        _with_control(value),
        st.integers(),
        st.none(),
    )


def _selection(value: str) -> st.SearchStrategy[object]:
    return st.one_of(
        st.text(max_size=20).filter(lambda t: not t.strip().startswith("{")),
        st.sampled_from(CONTROL_CHARS).map(lambda c: json.dumps({"mode": f"ty{c}ped"})),
        st.integers(5, 40).map(lambda n: json.dumps({"a": json.loads("[" * n + "]" * n)})),
        _with_control(value),
        st.none(),
        st.integers(),
    )


def _states(value: str | None, nullable: bool) -> st.SearchStrategy[object]:
    state = json.loads(value) if value else json.loads(_any_state())
    broken = [
        {**state, "due": "2026-03-10T12:00:00"},
        {**state, "due": 5},
        {**state, "state": 7},
        {**state, "stability": "high"},
        {**state, "stability": -1},
        {**state, "difficulty": 11},
        {**state, "card_id": -1},
        {**state, "format": 2},
        {**state, "last_review": "yesterday"},
        {**state, "extra": 1},
        {k: v for k, v in state.items() if k != "due"},
        [state],
    ]
    bad = st.one_of(
        st.sampled_from(broken).map(json.dumps),
        st.text(max_size=20).filter(lambda t: not t.strip().startswith("{")),
        st.just(json.dumps(state).replace('"stability": ', '"stability": NaN, "x": ')),
        st.integers(),
    )
    return bad if nullable else st.one_of(bad, st.none())


@cache
def _any_state() -> str:
    document = json.loads(exported())
    return str(document["reviews"][0]["state_after"])


UIDS = st.one_of(st.text(max_size=70).filter(_not_uid), st.integers(), OTHER_TYPES)
UNKNOWN_UID = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
FLAGS = st.one_of(
    st.integers().filter(lambda n: n not in (0, 1)),
    st.floats(),
    st.text(max_size=5),
    st.none(),
)
MODES = get_args(Mode)
BAD: dict[str, Callable[[Any], st.SearchStrategy[object]]] = {
    "uid": lambda _: UIDS,
    "session": lambda _: st.one_of(UIDS, UNKNOWN_UID),  # an answer's may not be null either
    "answer": lambda _: st.one_of(UIDS, UNKNOWN_UID),
    "kind": lambda _: _choice_of(("quiz", "study", "exam")),
    "source": lambda _: _choice_of(("quiz", "study")),
    "mode": lambda _: _choice_of(MODES),
    "lang": lambda _: _choice_of(("en", "pt-BR")),
    "started_at": lambda _: _times(nullable=False),
    "answered_at": lambda _: _times(nullable=False),
    "reviewed_at": lambda _: _times(nullable=False),
    "ended_at": lambda _: _times(nullable=True),
    "selection": _selection,
    "topics": _json_lists,
    "tags": _json_lists,
    "planned": lambda _: _ints(0, 2**31 - 1, nullable=False),
    "seed": lambda _: _ints(-(2**63), 2**63 - 1, nullable=True),
    "rating": lambda _: _ints(1, 4, nullable=False),
    "duration_ms": lambda _: _ints(0, 10**12, nullable=True),
    "correct": lambda _: FLAGS,
    "revealed": lambda _: FLAGS,
    "seconds": lambda _: st.one_of(
        st.floats(max_value=-1e-9),
        st.floats(min_value=1.1e9, allow_infinity=False),
        NOT_NUMBERS,
        st.text(max_size=5),
        st.booleans(),
        st.none(),
    ),
    "card_id": lambda value: _texts(value, nullable=False, least=1),
    "topic": lambda value: _texts(value, nullable=False, least=1),
    "given": lambda value: _texts(value, nullable=False),
    "mistake": lambda value: _texts(value or "8080", nullable=True),
    "state_before": lambda value: _states(value, nullable=True),
    "state_after": lambda value: _states(value, nullable=False),
    "cert": lambda _: _choice_of(("kcna", "cka", "ckad"), nullable=True),
    "status": lambda _: _choice_of(("submitted", "timed-out", "abandoned"), nullable=True),
    "time_limit": lambda _: _ints(1, 100_000_000, nullable=True),
    "pass_mark": lambda _: _ints(0, 100, nullable=True),
    "domain": lambda value: _texts(value or "storage", nullable=True, least=1),
    "fsrs_version": lambda _: st.one_of(
        st.text(max_size=10).filter(lambda t: not re.fullmatch(r"[0-9]+(\.[0-9]+)*", t)),
        st.integers(),
        st.none(),
    ),
}


def bad_values(table: str, field: str, value: Any) -> st.SearchStrategy[object]:
    """Values that `field` of a row of `table` must refuse."""
    if (table, field) == ("answers", "session"):
        return st.one_of(BAD[field](value), st.none())
    return BAD[field](value)


def _rows(document: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [
        (table, index, field)
        for table in TABLES
        for index in range(len(document[table]))
        for field in export_fields(table)
    ]


@st.composite
def damaged_rows(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A real export with one field of one row damaged, and the row's name."""
    document = copy.deepcopy(json.loads(exported()))
    table, index, field = draw(st.sampled_from(_rows(document)))
    row = document[table][index]
    how = draw(st.sampled_from(["value", "value", "value", "missing", "unknown", "twice"]))
    if how == "missing":
        assume((table, field) not in OPTIONAL)
        del row[field]
    elif how == "unknown":
        row[draw(st.text(min_size=1, max_size=10).filter(lambda k: k not in row))] = 1
        field = ""
    elif how == "twice":
        assume(index > 0)
        row["uid"] = document[table][draw(st.integers(0, index - 1))]["uid"]
        field = "uid"
    else:
        row[field] = draw(bad_values(table, field, row[field]))
    return document, f"{table}[{index}]" + (f".{field}" if field else "")


OPTIONAL = {
    ("sessions", "seed"),
    ("reviews", "session"),
    ("reviews", "answer"),
    # added with exams: files written before them have none of these
    *(("sessions", c) for c in ("cert", "time_limit", "pass_mark", "status")),
    ("answers", "domain"),
}


def _layout(document: dict[str, Any], layout: str) -> str:
    if layout == "indented":
        text = json.dumps(document, indent=1, ensure_ascii=False)
    elif layout == "one line":
        text = json.dumps(document, ensure_ascii=False)
    else:  # as k8squiz writes it: the header line, then a row a line
        head = {k: v for k, v in document.items() if k not in TABLES}
        parts = [json.dumps(head)[:-1] + ","]
        for n, table in enumerate(TABLES):
            rows = ",\n".join(json.dumps(row, ensure_ascii=False) for row in document[table])
            parts.append(f'"{table}":[\n{rows}\n]' + ("}" if n == 2 else ","))
        text = "\n".join(parts) + "\n"
    return re.sub(r'"@raw:((?:[^"\\]|\\.)*)"', lambda m: json.loads(f'"{m.group(1)}"'), text)


class Importer:
    """`k8squiz progress import FILE` run in this process, as the command line runs it."""

    def __init__(self, home: Path, tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.home, self.file, self.capsys = home, tmp / "progress.json", capsys
        self.tried = self.refused = self.imported = 0

    def run(self, text: str | bytes) -> tuple[int, str]:
        self.file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        self.capsys.readouterr()
        with pytest.raises(SystemExit) as done:
            main(["progress", "import", str(self.file)])
        code = int(done.value.code or 0)
        self.tried += 1
        self.refused += code != 0
        self.imported += code == 0
        return code, self.capsys.readouterr().err

    def folder(self) -> dict[str, bytes]:
        """Every file of the data folder, byte for byte."""
        return {p.name: p.read_bytes() for p in sorted(self.home.iterdir()) if p.is_file()}


@pytest.fixture
def importer(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Importer]:
    """A data folder holding a history of its own, and a way to import files into it."""
    with learner(home) as someone:
        someone.quiz([Reply("port-x", "2379", True)], NOW - timedelta(days=5))
    running = Importer(home, tmp_path, capsys)
    yield running
    print(
        f"\n{running.tried} damaged files, {running.refused} refused, {running.imported} imported"
    )


def _refused_cleanly(importer: Importer, text: str | bytes, names: str) -> None:
    before = importer.folder()
    code, err = importer.run(text)
    assert code == 1, err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("k8squiz: error:"), err
    assert "Traceback" not in err
    assert names in err, err
    assert importer.folder() == before  # the database, byte for byte, and no scratch left


SLOW = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class TestDamagedRows:
    @SLOW
    @given(damage=damaged_rows(), layout=st.sampled_from(["k8squiz", "indented", "one line"]))
    def test_a_damaged_field_imports_nothing_and_names_its_row(
        self, importer: Importer, damage: tuple[dict[str, Any], str], layout: str
    ) -> None:
        """Any field of any row broken any way: exit 1, one line naming it, nothing changed."""
        document, names = damage
        _refused_cleanly(importer, _layout(document, layout), names)

    @settings(SLOW, max_examples=300)
    @given(
        field=st.sampled_from(["version", "exported_at", "k8squiz", "fsrs", "schema"]),
        value=st.one_of(OTHER_TYPES, st.text(max_size=10), NOT_NUMBERS, DEEP, st.none()),
        layout=st.sampled_from(["k8squiz", "indented", "one line"]),
    )
    def test_a_damaged_header_imports_nothing(
        self, importer: Importer, field: str, value: object, layout: str
    ) -> None:
        """A header field of the wrong type or range is named, and nothing is imported."""
        assume(not _fine_in_header(field, value))
        document = json.loads(exported())
        document[field] = value
        _refused_cleanly(importer, _layout(document, layout), field)


def _fine_in_header(field: str, value: object) -> bool:
    """Whether `value` is one a header field may hold (or, for version, a newer one)."""
    match field:
        case "version":
            return type(value) is int and value >= 1
        case "schema":
            return value is None or (type(value) is int and 0 <= value < 2**31)
        case "k8squiz" | "fsrs":
            pattern = r"[0-9][0-9A-Za-z.+_-]{0,63}"
            return value is None or (isinstance(value, str) and bool(re.fullmatch(pattern, value)))
    return value is None  # exported_at: no text drawn is long enough to be a date


DEEPEST = "[" * 100_000 + "]" * 100_000
HUGE = "7" * 20_000
WRECKS: dict[str, Callable[[str], str | bytes]] = {
    "cut short": lambda text: text[: len(text) * 2 // 3],
    "not UTF-8": lambda text: text.encode().replace(b"8080", b"80\xff80", 1),
    "extra text after the object": lambda text: text + "{}",
    "a trailing comma": lambda text: text.replace("\n]", ",\n]", 1),
    "a key given twice": lambda text: text.replace('"sessions":[', '"reviews":[],"sessions":[', 1),
    "Infinity in a row": lambda text: text.replace('"seconds":2.5', '"seconds":Infinity', 1),
    "nested 100,000 deep": lambda text: text.replace('"seed":7', f'"seed":{DEEPEST}', 1),
    "a 20,000-digit number": lambda text: text.replace('"planned":3', f'"planned":{HUGE}', 1),
    "a 10 MB string": lambda text: text.replace('"given":"8080"', f'"given":"{"x" * 10**7}"', 1),
}  # fmt: skip


class TestWreckedFiles:
    @pytest.mark.parametrize("wreck", WRECKS)
    def test_a_wrecked_file_gives_one_clear_line(self, importer: Importer, wreck: str) -> None:
        """JSON that breaks off, nests too deep, or holds huge values: one line, no change."""
        text = WRECKS[wreck](exported())
        assert text != exported()
        _refused_cleanly(importer, text, "nothing was imported")


ANSWERS = st.one_of(
    st.text(max_size=40),
    st.text(st.sampled_from([*CONTROL_CHARS, "a", "\u00e9", "\t"]), max_size=20),
    st.integers(100_000, 100_010).map(lambda n: "x" * n),  # pasted: as long as an answer may be
)


class TestRoundTrip:
    @settings(max_examples=60, deadline=None)
    @given(
        answers=st.lists(ANSWERS, min_size=1, max_size=6),
        layout=st.sampled_from(["k8squiz", "indented", "one line"]),
    )
    def test_whatever_a_session_saves_its_export_imports(
        self, tmp_path_factory: pytest.TempPathFactory, answers: list[str], layout: str
    ) -> None:
        """Answers typed with escapes, tabs or bidi marks still export to a file that imports."""
        here, there = tmp_path_factory.mktemp("here"), tmp_path_factory.mktemp("there")
        with learner(here) as someone:
            session = someone.store.start_session(
                SessionInfo("quiz", ("ports",), (), "typed", len(answers), "en", seed=1), NOW
            )
            for n, text in enumerate(answers):
                record = AnswerRecord(
                    f"card-{n}", "ports", text, n % 2 == 0, False, text or None, 1.5,
                    NOW + timedelta(seconds=n),
                )  # fmt: skip
                someone.memory.answer(session, record)
            file = here / "progress.json"
            transfer.export(someone.store, file, NOW)
        text = _layout(json.loads(file.read_text(encoding="utf-8")), layout)
        file.write_text(text, encoding="utf-8")
        with Store.open(db_path(there)) as store:
            counts = transfer.import_from(store, file)
            saved = [a.given for s in store.sessions() for a in store.session_answers(s.id)]
        assert (counts.sessions, counts.answers, counts.reviews) == (1, len(answers), len(answers))
        assert saved == [plain(a) for a in answers]
        assert all(not set(a) & set(CONTROL_CHARS) for a in saved)


def test_the_control_characters_refused_are_the_ones_tested() -> None:
    """The characters the tests inject are exactly the ones a progress file may not hold."""
    refused = {chr(c) for c in range(0x110000) if re.match(f"[{CONTROLS}]", chr(c))}
    assert refused == set(CONTROL_CHARS)
