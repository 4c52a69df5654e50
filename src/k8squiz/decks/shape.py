"""Check a deck file's YAML nodes against the deck model, and build the deck from them.

Nothing about the shape of a deck is written here: keys, types, required fields and formats
are read from the msgspec model in `model.py` (through msgspec's type information), the
same model the loader converts into and `k8squiz schema` prints. Every problem is reported,
with its line and column, not only the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import msgspec
import msgspec.inspect as mi
from msgspec import Struct

from k8squiz.decks.model import LANGUAGES, Card, DeckFile
from k8squiz.decks.problems import Problem, closest, describe_control, did_you_mean, problem
from k8squiz.decks.read import CONTROL, Map, Node, Scalar, Seq, describe

_BAD: Any = object()  # a value the walk could not build


@cache
def _deck_type() -> mi.Type:
    return mi.type_info(DeckFile)


class CheckedFile(Struct, frozen=True):
    """What the walk made of one file: its problems, and its deck when the shape was right."""

    problems: tuple[Problem, ...]
    deck: DeckFile | None
    lines: tuple[dict[str, int], ...]  # per card of `deck`: key -> line; "" is the card's own line
    keys: dict[str, int] = {}  # the deck's own keys -> line


def check_shape(root: Node, path: str) -> CheckedFile:
    """Check a file's nodes against the model; build the deck from the cards that fit."""
    walk = _Walk(path)
    if not isinstance(root, Map):
        message = f"a deck is a mapping with 'title' and 'cards', found {describe(root)}"
        walk.add(root, "shape", message)
        return CheckedFile(tuple(walk.problems), None, ())
    data = walk.value(root, _deck_type(), ())
    deck = _convert(data, walk, root)
    return CheckedFile(tuple(walk.problems), deck, tuple(walk.card_lines), _key_lines(root))


def _convert(data: Any, walk: _Walk, root: Node) -> DeckFile | None:
    """The deck, from the cards that passed; None when none did (their problems say why)."""
    if data is _BAD or (walk.errors and not data.get("cards")):
        return None
    try:
        return msgspec.convert(data, DeckFile)
    except msgspec.ValidationError as exc:  # the walk should have caught it: say what msgspec saw
        walk.add(root, "shape", f"the deck does not fit the format: {exc}")
        return None


class _Walk:
    """Checks nodes against msgspec type information, collecting every problem."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.errors = 0
        self.card = ""
        self.card_lines: list[dict[str, int]] = []

    def add(self, node: Node, code: str, message: str) -> None:
        found = problem(self.path, node.line, node.col, code, message, card=self.card)
        self.problems.append(found)
        self.errors += found.severity == "error"

    def value(self, node: Node, t: mi.Type, at: tuple[str, ...]) -> Any:
        note = ""
        while isinstance(t, mi.Metadata):
            note = (t.extra_json_schema or {}).get("description", note)
            t = t.type
        if isinstance(t, mi.UnionType):
            return self._union(node, t, at)
        if isinstance(t, mi.StructType):
            return self._struct(node, t, at)
        if isinstance(t, mi.VarTupleType):
            return self._list(node, t, at)
        if isinstance(t, mi.DictType):
            return self._dict(node, t, at)
        if isinstance(t, mi.StrType):
            return self._text(node, t, at, note)
        raise TypeError(f"the deck model uses a type validate does not know: {t!r}")

    def _union(self, node: Node, t: mi.UnionType, at: tuple[str, ...]) -> Any:
        if (
            isinstance(node, Scalar)
            and node.is_null
            and any(_kind(m) == "nothing" for m in t.types)
        ):
            return None
        for member in t.types:
            if _kind(member) == describe(node):
                return self.value(node, member, at)
        wanted = " or ".join(_kind(m) for m in t.types if _kind(m) != "nothing")
        self.add(node, "type", f"'{_label(at)}' should be {wanted}, found {describe(node)}")
        return _BAD

    def _struct(self, node: Node, t: mi.StructType, at: tuple[str, ...]) -> Any:
        if not isinstance(node, Map):
            self.add(node, "type", f"'{_label(at)}' should be a mapping, found {describe(node)}")
            return _BAD
        outer = self.card
        if t.cls is not Card:
            return self._fields(node, t, at)
        self.card = _card_id(node)
        try:
            value = self._fields(node, t, at)
        finally:
            self.card = outer
        if value is not _BAD:
            self.card_lines.append({"": node.line, **_key_lines(node)})
        return value

    def _fields(self, node: Map, t: mi.StructType, at: tuple[str, ...]) -> Any:
        before, tolerated = self.errors, 0
        fields = {f.encode_name: f for f in t.fields}
        out: dict[str, Any] = {}
        for key, value_node in self._pairs(node, at):
            if key not in fields:
                self._unknown_key(node, key, fields, at)
                continue
            errors = self.errors
            value = self.value(value_node, fields[key].type, (*at, key))
            tolerated += self.errors - errors if key == "cards" else 0
            if value is not _BAD:
                out[key] = value
        for name, f in fields.items():
            if name not in out:
                self._missing(node, name, f, at)
        return _BAD if self.errors - before > tolerated else out

    def _pairs(self, node: Map, at: tuple[str, ...]) -> Iterator[tuple[str, Node]]:
        seen: dict[str, int] = {}
        for key_node, value_node in node.pairs:
            if not isinstance(key_node, Scalar) or key_node.is_null:
                self.add(key_node, "type", f"keys in '{_label(at) or 'the deck'}' must be text")
                continue
            key = key_node.value
            if key in seen:
                message = (
                    f"key '{key}' appears twice in this mapping (first on line {seen[key]});"
                    " YAML loaders silently keep the last"
                )
                self.add(key_node, "duplicate-key", message)
                continue
            seen[key] = key_node.line
            yield key, value_node

    def _unknown_key(
        self, node: Map, key: str, fields: dict[str, Any], at: tuple[str, ...]
    ) -> None:
        key_node = next(k for k, _ in node.pairs if isinstance(k, Scalar) and k.value == key)
        guess = closest(key, fields)
        hint = f"; did you mean '{guess}'?" if guess else f"; known keys: {', '.join(fields)}"
        where = f" in '{_label(at)}'" if _label(at) else ""
        self.add(key_node, "unknown-key", f"unknown key '{key}'{where}{hint}")

    def _missing(self, node: Map, name: str, f: mi.Field, at: tuple[str, ...]) -> None:
        if not f.required:
            return
        present = any(isinstance(k, Scalar) and k.value == name for k, _ in node.pairs)
        if not present:
            label = _label(at)
            whose = label if label.startswith("card ") else f"'{label}'" if label else "the deck"
            self.add(node, "missing-key", f"{whose} is missing '{name}'")

    def _list(self, node: Node, t: mi.VarTupleType, at: tuple[str, ...]) -> Any:
        if not isinstance(node, Seq):
            self.add(node, "type", f"'{_label(at)}' should be a list, found {describe(node)}")
            return _BAD
        if t.min_length and len(node.items) < t.min_length:
            self.add(node, "empty-value", f"'{_label(at)}' needs at least {t.min_length} item")
            return _BAD
        values = [
            self.value(item, t.item_type, (*at, str(i))) for i, item in enumerate(node.items)
        ]
        return [v for v in values if v is not _BAD]

    def _dict(self, node: Node, t: mi.DictType, at: tuple[str, ...]) -> Any:
        if not isinstance(node, Map):
            self.add(node, "type", f"'{_label(at)}' should be a mapping, found {describe(node)}")
            return _BAD
        out: dict[str, Any] = {}
        for key, value_node in self._pairs(node, at):
            if isinstance(t.key_type, mi.LiteralType) and key not in t.key_type.values:
                self._unknown_language(node, key)
                continue
            value = self.value(value_node, t.value_type, (*at, key))
            if value is not _BAD:
                out[key] = value
        return out

    def _unknown_language(self, node: Map, key: str) -> None:
        key_node = next(k for k, _ in node.pairs if isinstance(k, Scalar) and k.value == key)
        hint = did_you_mean(key, LANGUAGES) or did_you_mean(key.replace("_", "-"), LANGUAGES)
        message = f"unknown language tag '{key}'; {hint}known: {', '.join(LANGUAGES)}"
        self.add(key_node, "unknown-language", message)

    def _text(self, node: Node, t: mi.StrType, at: tuple[str, ...], note: str) -> Any:
        if not isinstance(node, Scalar) or node.is_null:
            found = describe(node)
            code, message = (
                ("empty-value", "is empty")
                if found == "nothing"
                else ("type", f"should be text, found {found}")
            )
            self.add(node, code, f"'{_label(at)}' {message}")
            return _BAD
        value = node.value
        if (t.min_length or 0) > 0 and not value.strip():
            self.add(node, "empty-value", f"'{_label(at)}' is blank")
            return _BAD
        if bad := CONTROL.search(value):
            self.add(node, "control-character", f"'{_label(at)}': {describe_control(bad.group())}")
            return _BAD
        if (t.pattern and not re.search(t.pattern, value)) or (
            t.max_length and len(value) > t.max_length
        ):
            self.add(node, "format", f"{_label(at)} '{value}' is not {note or 'well formed'}")
            return _BAD
        return value


def _key_lines(node: Map) -> dict[str, int]:
    """A mapping's scalar keys -> their line (the last one, when a key appears twice)."""
    return {k.value: k.line for k, _ in node.pairs if isinstance(k, Scalar)}


def _card_id(node: Map) -> str:
    ids = [v for k, v in node.pairs if isinstance(k, Scalar) and k.value == "id"]
    return ids[0].value if ids and isinstance(ids[0], Scalar) else ""


def _kind(t: mi.Type) -> str:
    while isinstance(t, mi.Metadata):
        t = t.type
    if isinstance(t, (mi.StrType, mi.LiteralType)):
        return "text"
    if isinstance(t, mi.VarTupleType):
        return "a list"
    return "nothing" if isinstance(t, mi.NoneType) else "a mapping"


def _label(at: tuple[str, ...]) -> str:
    """A field's name for messages: 'cards.3.question' is shown as 'question'."""
    if len(at) == 2 and at[0] == "cards":
        return f"card {int(at[1]) + 1}"
    parts = at[2:] if at[:1] == ("cards",) and len(at) > 2 else at
    return ".".join(p if not p.isdigit() else f"[{p}]" for p in parts).replace(".[", "[")
