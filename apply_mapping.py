#!/usr/bin/env python3
"""Write the curriculum domains of curricula-mapping.yaml into the bundled decks.

A one-off: run it once from the repository root, check `k8squiz validate --strict` and the
diff, then delete this script and curricula-mapping.yaml.

The decks are edited as text, so their comments and layout stay as they are:

- a deck's default goes on one line right after its `description:` (or `topic:`, or
  `title:`): `domains: {kcna: [kubernetes-fundamentals], cka: [cluster-architecture]}`;
- a card whose domains differ from its deck's default gets one line right after its `tags:`
  (after the whole value, when the tags are a block list), or, without tags, after its
  `explanation:` block, at the card's own indentation.

A `domains:` key already present is replaced, so running the script twice changes nothing.
Each edited file is parsed again and compared with the original: apart from the `domains`
keys, the data must be identical, or the file is not written.

Usage: python3 apply_mapping.py [--mapping FILE] [--decks DIR] [--curricula DIR] [--check]
Needs only Python 3.10+ and PyYAML.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CERTIFICATIONS = ("kcna", "cka", "ckad")
Domains = dict[str, list[str]]


class MappingError(Exception):
    """The mapping or a deck is not what the script can apply."""


# The mapping


def load_mapping(path: Path) -> tuple[dict[str, Domains], dict[str, Domains]]:
    """The deck defaults and the card overrides, checked for shape."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or set(data) - {"decks", "cards"}:
        raise MappingError(f"{path}: expected a mapping with `decks` and `cards`")
    decks = {str(k): _domains(v, f"decks.{k}") for k, v in (data.get("decks") or {}).items()}
    cards = {str(k): _domains(v, f"cards.{k}") for k, v in (data.get("cards") or {}).items()}
    return decks, cards


def _domains(value: Any, where: str) -> Domains:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MappingError(f"{where}: expected {{certification: [domain, ...]}}")
    out: Domains = {}
    for cert, ids in value.items():
        if cert not in CERTIFICATIONS:
            raise MappingError(f"{where}: unknown certification {cert!r}")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise MappingError(f"{where}.{cert}: expected a list of domain ids")
        if len(set(ids)) != len(ids):
            raise MappingError(f"{where}.{cert}: a domain is listed twice")
        out[cert] = list(ids)
    return out


def known_domains(curricula: Path) -> dict[str, set[str]]:
    """certification -> its domain ids, from the curriculum files (empty if there are none)."""
    known: dict[str, set[str]] = {}
    for cert in CERTIFICATIONS:
        path = curricula / f"{cert}.yaml"
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            known[cert] = {d["id"] for d in data["domains"]}
    return known


def check_ids(mapping: dict[str, Domains], known: dict[str, set[str]], what: str) -> None:
    for name, domains in mapping.items():
        for cert, ids in domains.items():
            unknown = [i for i in ids if cert in known and i not in known[cert]]
            if unknown:
                raise MappingError(f"{what} {name}: unknown {cert} domain(s) {unknown}")


def flow(domains: Domains) -> str:
    """`{kcna: [a, b], cka: []}` in the certifications' order."""
    parts = [f"{c}: [{', '.join(domains[c])}]" for c in CERTIFICATIONS if c in domains]
    return "{" + ", ".join(parts) + "}"


def card_line_value(card: Domains, default: Domains) -> Domains | None:
    """What a card's own `domains:` says, or None when the deck's default already says it.

    A certification the deck's default names and the card does not serve is written as
    `[]`, so the line means the same read on its own or merged with the deck's.
    """
    served = {c: ids for c, ids in card.items() if ids}
    if served == {c: ids for c, ids in default.items() if ids}:
        return None
    out = {c: list(served.get(c, [])) for c in CERTIFICATIONS if c in served or default.get(c)}
    return out or None


# Where things are in a deck's text


@dataclass(frozen=True)
class Key:
    name: str
    line: int  # 0-based line of the key
    indent: int  # column of the key


def keys_of(node: yaml.MappingNode) -> list[Key]:
    return [
        Key(str(k.value), k.start_mark.line, k.start_mark.column)
        for k, _ in node.value
        if isinstance(k, yaml.ScalarNode)
    ]


def value_end(lines: list[str], key: Key, boundary: int) -> int:
    """The last line (0-based) of a key's value: its own line and the lines that continue it.

    A continuation is a line indented deeper than the key, or a `- ` item at the key's own
    indentation (a block list written flush with its key). Blank and comment lines count
    only when a continuation follows them, so comments above the next key stay there.
    """
    last = key.line
    for i in range(key.line + 1, boundary):
        text = lines[i]
        stripped = text.strip()
        if not stripped:
            continue
        indent = len(text) - len(text.lstrip(" "))
        if stripped.startswith("#") and indent <= key.indent:
            continue
        if indent > key.indent or (indent == key.indent and stripped.startswith("- ")):
            last = i
            continue
        break
    return last


@dataclass(frozen=True)
class Edit:
    start: int  # first line replaced (0-based)
    end: int  # one past the last line replaced; start == end inserts
    text: str  # the new line, without its newline


def plan_block(
    lines: list[str], keys: list[Key], boundary: int, anchors: tuple[str, ...], value: str
) -> Edit:
    """Put `domains: value` after the first anchor key present, or replace the key if there."""
    by_name = {k.name: k for k in keys}
    ordered = sorted(keys, key=lambda k: k.line)

    def next_line(key: Key) -> int:
        later = [k.line for k in ordered if k.line > key.line]
        return later[0] if later else boundary

    indent = ordered[0].indent
    line = " " * indent + f"domains: {value}"
    if "domains" in by_name:
        key = by_name["domains"]
        return Edit(key.line, value_end(lines, key, next_line(key)) + 1, line)
    for name in anchors:
        if name in by_name:
            key = by_name[name]
            end = value_end(lines, key, next_line(key)) + 1
            return Edit(end, end, line)
    raise MappingError(f"none of {', '.join(anchors)} found near line {ordered[0].line + 1}")


# One deck


def apply_to_deck(
    path: Path, default: Domains | None, cards: dict[str, Domains]
) -> tuple[str, str, set[str]]:
    """The deck's text before and after, and the ids of the cards found in it."""
    text = path.read_bytes().decode("utf-8")  # not read_text: it would turn \r\n into \n
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        raise MappingError(f"{path}: not a deck (the top level is not a mapping)")
    root_keys = keys_of(root)
    cards_node = next((v for k, v in root.value if k.value == "cards"), None)
    if not isinstance(cards_node, yaml.SequenceNode):
        raise MappingError(f"{path}: no list of cards")

    deck_default = default or {}
    edits: list[Edit] = []
    if default is not None and any(default.values()):
        edits.append(
            plan_block(
                lines, root_keys, len(lines), ("description", "topic", "title"), flow(default)
            )
        )

    found: set[str] = set()
    card_nodes = list(cards_node.value)
    for n, node in enumerate(card_nodes):
        if not isinstance(node, yaml.MappingNode):
            continue
        card_id = next((str(v.value) for k, v in node.value if k.value == "id"), None)
        if card_id is None:
            continue
        found.add(card_id)
        if card_id not in cards:
            continue
        value = card_line_value(cards[card_id], deck_default)
        if value is None:
            continue
        boundary = (
            card_nodes[n + 1].start_mark.line
            if n + 1 < len(card_nodes)
            else _after(root_keys, cards_node, len(lines))
        )
        edits.append(
            plan_block(lines, keys_of(node), boundary, ("tags", "explanation"), flow(value))
        )

    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        lines[edit.start : edit.end] = [edit.text]
    new = newline.join(lines) + (newline if text.endswith(("\n", "\r")) else "")
    return text, new, found


def _after(root_keys: list[Key], cards_node: yaml.Node, end: int) -> int:
    """The first line after the cards list: the next top-level key, or the end of file."""
    later = [k.line for k in root_keys if k.line > cards_node.start_mark.line]
    return min(later) if later else end


def expected(data: dict[str, Any], default: Domains | None, cards: dict[str, Domains]) -> None:
    """The parsed deck as it should read after the edit (changed in place)."""
    data.pop("domains", None)
    if default is not None and any(default.values()):
        data["domains"] = dict(default)
    for card in data.get("cards", []):
        card_id = card.get("id")
        if card_id in cards:
            value = card_line_value(cards[card_id], default or {})
            if value is not None:
                card["domains"] = value
                continue
            card.pop("domains", None)


def verify(
    path: Path, old: str, new: str, default: Domains | None, cards: dict[str, Domains]
) -> None:
    """The edit changed the `domains` keys and nothing else."""
    before = yaml.safe_load(old)
    after = yaml.safe_load(new)
    expected(before, default, cards)
    if before != after:
        raise MappingError(f"{path}: the edited deck does not parse as expected; not written")


# The command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mapping", type=Path, default=HERE / "curricula-mapping.yaml")
    parser.add_argument("--decks", type=Path, default=HERE / "decks")
    parser.add_argument("--curricula", type=Path, default=HERE / "src/k8squiz/curricula")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a deck would change"
    )
    args = parser.parse_args(argv)

    try:
        deck_defaults, card_domains = load_mapping(args.mapping)
        known = known_domains(args.curricula)
        check_ids(deck_defaults, known, "deck")
        check_ids(card_domains, known, "card")

        paths = sorted(p for p in args.decks.iterdir() if p.suffix in (".yaml", ".yml"))
        topics = {
            (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("topic") or p.stem: p
            for p in paths
        }
        missing_decks = sorted(set(deck_defaults) - set(topics))
        if missing_decks:
            raise MappingError(f"no deck with topic {', '.join(missing_decks)}")

        seen: set[str] = set()
        changed = []
        for topic, path in sorted(topics.items()):
            default = deck_defaults.get(topic)
            old, new, found = apply_to_deck(path, default, card_domains)
            seen |= found
            if default is None and not (found & set(card_domains)):
                continue
            verify(path, old, new, default, card_domains)
            if new != old:
                changed.append((path, new))
        missing_cards = sorted(set(card_domains) - seen)
        if missing_cards:
            raise MappingError(f"no card with id {', '.join(missing_cards)}")
    except (MappingError, OSError, yaml.YAMLError) as e:
        print(f"apply_mapping: {e}", file=sys.stderr)
        return 2

    for path, new in changed:
        if args.check:
            print(f"would change {path}")
        else:
            path.write_text(new, encoding="utf-8", newline="")
            print(f"changed {path}")
    if not changed:
        print("nothing to change")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
