"""What the command grader knows about each tool, read once from `tools.yaml`.

The file is data (a flag or a subcommand is one line of it); this module turns it into frozen
structs: for each tool, the programs that start it, its subcommands with their positional
arguments, and every flag with the kind of value it takes. It is read on first use only,
since a quiz without command cards never needs it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import msgspec
from msgspec import Struct

TOOLS_FILE = Path(__file__).with_name("tools.yaml")


class Kind(enum.Enum):
    """How a value is read and compared."""

    BOOL = "bool"
    TEXT = "text"
    INT = "int"  # a whole number: 03 is 3
    LIST = "list"  # comma-separated items, in any order
    IMAGE = "image"  # name[:tag][@digest]; compared as written, so no tag is not :latest
    PUBLISH = "publish"  # docker's [ip:][host:]container[/proto]
    PORTPAIR = "portpair"  # a:b, where b:a is the usual slip (kubectl create service --tcp)
    FORWARD = "forward"  # a port pair where a bare a means a:a (kubectl port-forward)
    RESOURCES = "resources"  # kubectl TYPE NAME..., TYPE/NAME...: a set of references
    TARGET = "target"  # kubectl TYPE/NAME, or a bare NAME for a pod


class Count(enum.Enum):
    """How many positional arguments a slot takes."""

    ONE = ""
    OPTIONAL = "?"
    SET = "*"  # the rest, in any order
    SEQUENCE = "..."  # the rest, in order


class Flag(Struct, frozen=True):
    """One flag of a tool: its spellings and the value it takes."""

    name: str  # the long spelling, else the short one: how feedback names it
    spellings: tuple[str, ...]
    kind: Kind
    many: bool = False  # may be repeated; its values compare as a multiset
    ordered: bool = False  # a repeated flag whose values compare in order (containers)
    default: str = "false"  # a bool's value when it is not given
    bare: str | None = None  # the value when given without one (then a value needs `=`)

    @property
    def takes_value(self) -> bool:
        return self.kind is not Kind.BOOL


class Slot(Struct, frozen=True):
    """A positional argument of a subcommand."""

    label: str
    kind: Kind = Kind.TEXT
    count: Count = Count.ONE


class Command(Struct, frozen=True):
    """A subcommand: its canonical path, arguments and flags (the tool's own flags included)."""

    path: str
    slots: tuple[Slot, ...]
    flags: Mapping[str, Flag]  # every spelling -> its flag
    interspersed: bool = True  # flags may follow arguments (false: docker run IMAGE COMMAND...)


class Tool(Struct, frozen=True):
    """A program a learner may be asked to run, and what its commands take."""

    name: str
    flags: Mapping[str, Flag]  # the flags every subcommand takes, by spelling
    commands: Mapping[str, Command]  # canonical paths and their aliases
    prefixes: frozenset[str]  # every leading part of a path: "rollout", "create secret"
    resources: Mapping[str, str]  # a resource type as typed -> its canonical name
    groups: Mapping[str, str]  # canonical resource type -> its API group
    env: Mapping[str, str]  # variables whose value here is the tool's default

    def command(self, path: str) -> Command:
        """The subcommand at `path`, or a bare one with the tool's own flags."""
        known = self.commands.get(path)
        return known or Command(path, (Slot("arguments", count=Count.SEQUENCE),), self.flags)


class Toolbook(Struct, frozen=True):
    """Every known tool, by name and by the programs that start it."""

    tools: Mapping[str, Tool]
    programs: Mapping[str, Tool]
    prefixes: frozenset[str]  # words before a program that do not change what it does (sudo)


class _ResourceFile(Struct, frozen=True, forbid_unknown_fields=True):
    aliases: tuple[str, ...] = ()
    group: str = ""


class _CommandFile(Struct, frozen=True, forbid_unknown_fields=True):
    aliases: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    use: tuple[str, ...] = ()
    flags: dict[str, str] = {}
    interspersed: str = "true"


class _ToolFile(Struct, frozen=True, forbid_unknown_fields=True):
    programs: tuple[str, ...]
    commands: dict[str, _CommandFile]
    flags: dict[str, str] = {}
    groups: dict[str, dict[str, str]] = {}
    resources: dict[str, _ResourceFile] = {}
    env: dict[str, str] = {}


class _File(Struct, frozen=True, forbid_unknown_fields=True):
    tools: dict[str, _ToolFile]
    prefixes: tuple[str, ...] = ()


@cache
def toolbook() -> Toolbook:
    """The tool knowledge, read from tools.yaml on first use."""
    import yaml

    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # every scalar stays text
    data = yaml.load(TOOLS_FILE.read_text(encoding="utf-8"), Loader=loader)
    return build(msgspec.convert(data, _File))


def build(data: _File) -> Toolbook:
    """Structs from the file's content."""
    tools = {name: _tool(name, tool) for name, tool in data.tools.items()}
    programs = {
        program: tools[name] for name, tool in data.tools.items() for program in tool.programs
    }
    return Toolbook(tools, programs, frozenset(data.prefixes))


def _tool(name: str, data: _ToolFile) -> Tool:
    own = _flags(data.flags)
    commands: dict[str, Command] = {}
    for path, spec in data.commands.items():
        flags = dict(own)
        for group in spec.use:
            flags.update(_flags(data.groups[group]))
        flags.update(_flags(spec.flags))
        command = Command(
            path, tuple(_slot(arg) for arg in spec.args), flags, spec.interspersed == "true"
        )
        for spelling in (path, *spec.aliases):
            commands[spelling] = command
    _alias_children(commands)
    resources = {
        typed: canonical
        for canonical, spec in data.resources.items()
        for typed in (canonical, *spec.aliases)
    }
    groups = {canonical: spec.group for canonical, spec in data.resources.items()}
    prefixes = frozenset(
        " ".join(path.split()[:end]) for path in commands for end in range(1, len(path.split()))
    )
    return Tool(name, own, commands, prefixes, resources, groups, data.env)


def _alias_children(commands: dict[str, Command]) -> None:
    """`create svc nodeport` too, since `create svc` is `create service`."""
    aliases = [
        (alias, command.path) for alias, command in commands.items() if alias != command.path
    ]
    for path, command in list(commands.items()):
        for alias, canonical in aliases:
            if path.startswith(f"{canonical} ") and path == command.path:
                commands.setdefault(f"{alias}{path[len(canonical) :]}", command)


def _flags(specs: dict[str, str]) -> dict[str, Flag]:
    flags = {}
    for spellings, spec in specs.items():
        flag = parse_flag(spellings, spec)
        flags.update(dict.fromkeys(flag.spellings, flag))
    return flags


def parse_flag(spellings: str, spec: str) -> Flag:
    """`-r --replicas` and `text many` -> a Flag. Raises ValueError on a spec it cannot read."""
    names = tuple(spellings.split())
    kind, *options = spec.split()
    settings = dict(option.partition("=")[::2] for option in options)
    unknown = settings.keys() - {"many", "ordered", "default", "bare"}
    if unknown or not names or not all(name.startswith("-") for name in names):
        raise ValueError(f"cannot read the flag {spellings!r}: {spec!r}")
    return Flag(
        name=names[-1],
        spellings=names,
        kind=Kind(kind),
        many="many" in settings or "ordered" in settings,
        ordered="ordered" in settings,
        default=settings.get("default", "false"),
        bare=settings.get("bare"),
    )


def _slot(arg: str) -> Slot:
    count = next(
        (c for c in (Count.SEQUENCE, Count.SET, Count.OPTIONAL) if arg.endswith(c.value)),
        Count.ONE,
    )
    label, _, kind = arg.removesuffix(count.value).partition(":")
    if not kind and label in {"resources", "target", "image"}:
        kind = label
    return Slot(label, Kind(kind or "text"), count)
