"""A learner's history as a file: export, import (a merge), and reset with a backup first.

The export is versioned JSON holding every session, answer and review, each with the uid it
was given when it was saved, one row per line (`rows.py` says what each holds). Both ways
stream: the export writes rows as it reads them from one snapshot of the database, and the
import checks every row as it reads it into a scratch database, so memory stays flat however
long the history. Only then does the import lock the database, for one short transaction
that inserts the uids the database lacks: importing the same file twice changes nothing,
importing from two machines merges them, and a damaged file imports nothing. A card's
state after an import is the state its latest review left.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import datetime, timezone
from itertools import count
from pathlib import Path
from typing import IO, Any

import msgspec
from msgspec import Struct

from k8squiz import __version__
from k8squiz.errors import K8sQuizError, StoreError, UsageError
from k8squiz.files import NotARegularFileError, atomic_writer, open_regular
from k8squiz.i18n import Said
from k8squiz.progress.jsonstream import EXPECTED_LIST, JsonError, Reader
from k8squiz.progress.migrations import SCHEMA_VERSION
from k8squiz.progress.records import iso
from k8squiz.progress.rows import (
    EXPECTED,
    FORMAT,
    FORMAT_VERSION,
    ROW_TYPES,
    TABLES,
    FieldError,
    Header,
    check,
    field_error,
    plain,
)
from k8squiz.progress.store import SQLITE_HEADER, Staging, Store, export_fields, scratch_file

BATCH = 2_000  # rows encoded, or staged, at a time
_ENCODER = msgspec.json.Encoder()


class Counts(Struct, frozen=True):
    """Sessions, answers and reviews written (or forgotten); `known`, on import, the rows of
    the file that were already here."""

    sessions: int
    answers: int
    reviews: int
    known: int = 0


# export


def export(store: Store, target: Path | IO[bytes], now: datetime) -> Counts:
    """Write every session, answer and review to the file `target` (atomically, through a
    link to where it points) or to a stream such as stdout."""
    if not isinstance(target, Path):
        return write(store, target, now)
    _refuse_the_database(store, target)
    _refuse_a_file_not_ours(target)
    try:
        with atomic_writer(target) as out:
            return write(store, out, now)
    except NotARegularFileError as exc:
        raise UsageError(
            Said("cannot_write_export", {"reason": exc.strerror}),
            where=str(target),
            fix=Said("cannot_write_export_fix"),
        ) from exc
    except OSError as exc:
        raise K8sQuizError(
            Said("cannot_write_export", {"reason": exc.strerror or exc}), where=str(target)
        ) from exc


def write(store: Store, out: IO[bytes], now: datetime) -> Counts:
    """The progress file, to `out`: the header on the first line, then one row per line."""
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": iso(now),
        "k8squiz": __version__,
        "fsrs": _installed("fsrs"),
        "schema": SCHEMA_VERSION,
    }
    out.write(_ENCODER.encode(header)[:-1] + b",\n")
    written = []
    with store.snapshot():
        for table in TABLES:
            out.write(b'"%s":[\n' % table.encode())
            written.append(_write_rows(out, table, store.export_rows(table)))
            out.write(b"\n]}\n" if table == TABLES[-1] else b"\n],\n")
    return Counts(*written)


def _write_rows(out: IO[bytes], table: str, rows: Iterable[tuple[Any, ...]]) -> int:
    fields = export_fields(table)
    chunk: list[bytes] = []
    separator = b""
    written = 0
    for row in rows:
        record = dict(zip(fields, row, strict=True))
        if table == "answers":  # typed at a terminal: may hold an escape or a tab
            record["given"] = plain(record["given"])
            record["mistake"] = record["mistake"] and plain(record["mistake"])
        chunk.append(separator + _ENCODER.encode(record))
        separator = b",\n"
        written += 1
        if len(chunk) == BATCH:
            out.write(b"".join(chunk))
            chunk.clear()
    out.write(b"".join(chunk))
    return written


_OURS = b'{"format":"' + FORMAT.encode() + b'"'  # how every progress file k8squiz writes begins


def _refuse_a_file_not_ours(target: Path) -> None:
    """An export replaces an earlier export, never a file k8squiz did not write (a deck, a
    document, a typo away from the intended name), and never creates a mistyped folder."""
    if not target.parent.is_dir():
        raise UsageError(
            Said("export_no_folder", {"folder": target.parent}),
            where=str(target),
            fix=Said("export_no_folder_fix"),
        )
    if not target.is_file():
        return  # nothing there, or no regular file (which the writer refuses)
    try:
        with target.open("rb") as file:
            start = file.read(len(_OURS))
    except OSError:
        return  # unreadable: the writer says what is wrong, if anything
    if start and start != _OURS:
        raise UsageError(
            Said("export_not_ours"), where=str(target), fix=Said("export_not_ours_fix")
        )


def _refuse_the_database(
    store: Store, target: Path, *, fix: str = "export to another file"
) -> None:
    """An export over the database (or its WAL) would destroy what it exports; an import of
    it would find nothing to add."""
    real = os.path.realpath(target)
    ours = [os.path.realpath(f"{store.path}{end}") for end in ("", "-wal", "-shm", "-journal")]
    try:
        linked = target.exists() and target.samefile(store.path)
    except OSError:
        linked = False
    if linked or real in ours:
        raise UsageError(
            "that is k8squiz's own progress database",
            where=str(target),
            fix=fix,
        )


def _installed(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# import


def import_from(store: Store, source: Path | IO[bytes]) -> Counts:
    """Merge the progress file `source` (a path, or a stream such as stdin) into `store`; a
    path may also be a k8squiz database, such as the backup a reset wrote."""
    if not isinstance(source, Path):
        return merge(store, source, "<stdin>")
    try:
        stream = open_regular(source)
    except OSError as exc:
        raise UsageError(
            Said("cannot_read_file", {"reason": exc.strerror or exc}), where=str(source)
        ) from exc
    with stream:
        if stream.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
            return _merge_database(store, source)
        stream.seek(0)
        return merge(store, stream, str(source))


def _merge_database(store: Store, path: Path) -> Counts:
    """A k8squiz database's rows merged like a progress file's, through the same checks: the
    backup of a reset, imported, undoes the reset and keeps whatever was done since."""
    _refuse_the_database(store, path, fix="import a backup or an exported file")
    try:
        with Store.copy_of(path, store.path.parent) as other, _scratch(store) as rows:
            write(other, rows, datetime.now(timezone.utc))
            rows.seek(0)
            return merge(store, rows, str(path))
    except StoreError as exc:
        if exc.where != str(path):
            raise
        raise K8sQuizError(
            f"{exc.message}; nothing was imported",
            where=str(path),
            fix="use a file from 'k8squiz progress export', or a backup a reset wrote",
        ) from exc


def _scratch(store: Store) -> IO[bytes]:
    """A nameless file beside the database, for rows on their way: memory stays flat."""
    try:
        return tempfile.TemporaryFile(dir=store.path.parent)
    except OSError as exc:
        raise StoreError(
            f"cannot write in the data folder: {exc.strerror or exc}", where=str(store.path)
        ) from exc


def merge(store: Store, stream: IO[bytes], where: str) -> Counts:
    """Check every row of the file into a scratch database (no lock held), then insert
    what the database lacks in one transaction, and refresh the cards touched."""
    with Staging(store.path.parent) as staging:
        _stage(Reader(stream), staging, where)
        duplicate = staging.duplicate()
        if duplicate is not None:
            table, index, first = duplicate
            raise _damaged(where, f"{table}[{index}].uid: the same uid as {table}[{first}]")
        broken = store.broken_link(staging)
        if broken is not None:
            table, index, field = broken
            raise _damaged(where, f"{table}[{index}].{field}: {_expected(field)}")
        added = store.merge(staging)
        return Counts(*added, known=sum(staging.rows.values()) - sum(added))


def _stage(reader: Reader, staging: Staging, where: str) -> None:
    header: dict[str, Any] = {}
    seen: set[str] = set()
    try:
        if not reader.begins_object():
            raise _foreign(where)
        for key in reader.members():
            if key in seen:
                raise _damaged(where, f"{key}: given twice")
            seen.add(key)
            if key in TABLES:
                _check_header(header, where)
                _stage_rows(reader, key, staging, where)
            elif key in Header.__struct_fields__:
                header[key] = _header_value(reader, key, where)
                _check_header(header, where)
            elif "format" not in header:
                raise _foreign(where)
            else:
                raise _damaged(where, f"{key}: not a field of a progress file (version 1)")
        reader.end()
    except JsonError as exc:
        raise (_damaged(where, str(exc)) if seen else _foreign(where, str(exc))) from None
    _check_header(header, where, complete=True)


def _header_value(reader: Reader, key: str, where: str) -> Any:
    try:
        return reader.value()
    except JsonError as exc:
        raise _damaged(where, f"{key}: {exc}") from None


def _stage_rows(reader: Reader, table: str, staging: Staging, where: str) -> None:
    """Check each row of `table` as it is read, and stage them in batches."""
    kind = ROW_TYPES[table]
    decoder = msgspec.json.Decoder(kind)
    batch: list[tuple[Any, ...]] = []
    index = 0
    try:
        convert = lambda value: msgspec.convert(value, kind)  # noqa: E731
        for row in reader.elements(decoder.decode, convert, msgspec.ValidationError):
            batch.append(check(row))
            index += 1
            if len(batch) == BATCH:
                staging.add(table, batch)
                batch.clear()
    except msgspec.ValidationError as exc:
        raise _row_error(where, table, index, field_error(exc, table=table)) from None
    except FieldError as exc:
        raise _row_error(where, table, index, exc) from None
    except JsonError as exc:
        what = f"{table}: expected a list of rows" if exc.problem == EXPECTED_LIST else None
        raise _damaged(where, what or f"{table}[{index}]: {exc}") from None
    staging.add(table, batch)


def _check_header(header: dict[str, Any], where: str, *, complete: bool = False) -> None:
    """The format and version as soon as they are read; every header field at the end."""
    if header.get("format", FORMAT) != FORMAT or (complete and "format" not in header):
        raise _foreign(where)
    version = header.get("version", FORMAT_VERSION)
    if type(version) is int and version > FORMAT_VERSION:
        raise K8sQuizError(
            f"written by a newer k8squiz (progress format {version})",
            where=where,
            fix="upgrade k8squiz on this machine",
        )
    if type(version) is not int or version != FORMAT_VERSION:
        raise _damaged(where, f"version: {_expected('version')}")
    if complete:
        try:
            msgspec.convert(header, Header)
        except msgspec.ValidationError as exc:
            found = field_error(exc)
            raise _damaged(where, f"{found.field}: {found.problem}") from None


def _expected(field: str) -> str:
    return f"expected {EXPECTED[field]}"


def _row_error(where: str, table: str, index: int, exc: FieldError) -> K8sQuizError:
    field = f".{exc.field}" if exc.field else ""
    return _damaged(where, f"{table}[{index}]{field}: {exc.problem}")


def _damaged(where: str, what: str) -> K8sQuizError:
    return K8sQuizError(
        Said("progress_damaged", {"what": what}), where=where, fix=Said("progress_damaged_fix")
    )


def _foreign(where: str, why: str = "") -> K8sQuizError:
    key = "progress_foreign_why" if why else "progress_foreign"
    return K8sQuizError(Said(key, {"why": why}), where=where, fix=Said("progress_foreign_fix"))


# reset


def reset(store: Store, card_ids: set[str] | None, now: datetime) -> tuple[Path, Counts]:
    """Forget the answers, reviews and states of `card_ids` (everything when None), after
    writing a checked backup beside the database. The write lock is held from before the
    backup until the forgetting is done, so the backup holds everything forgotten."""
    with store.transaction() as db:
        backup = _backup(store, now)
        forgotten = store.forget(db, card_ids)
    return backup, Counts(*forgotten)


def _backup(store: Store, now: datetime) -> Path:
    """A checked copy of the database beside it, named after the time; it gets its name
    only once complete and checked, and never overwrites another backup."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    temporary = scratch_file(store.path.parent, f".k8squiz-backup-{stamp}-", ".partial")
    try:
        store.copy(temporary)
        return _place(temporary, stamp)
    finally:
        temporary.unlink(missing_ok=True)


def _place(temporary: Path, stamp: str) -> Path:
    """Give the finished backup its name: the first of k8squiz-backup-STAMP(-N).db free."""
    for number in count(1):
        suffix = "" if number == 1 else f"-{number}"
        target = temporary.with_name(f"k8squiz-backup-{stamp}{suffix}.db")
        try:
            os.link(temporary, target)  # fails, rather than replaces, when the name is taken
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if target.exists():
                continue
            temporary.replace(target)
        return target
    raise AssertionError("unreachable")
