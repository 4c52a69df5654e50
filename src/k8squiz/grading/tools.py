"""What the command grader knows about each tool, read once from `tools.yaml`.

The file is data (a flag or a subcommand is one line of it); this module turns it into frozen
structs: for each tool, the programs that start it, its subcommands with their positional
arguments, and every flag with the kind of value it takes. It is read on first use only,
since a quiz without command cards never needs it, and from a cache when the shell says where
one may live (`cache_in`): parsing the YAML costs more than a quiz's own start-up.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import msgspec
from msgspec import Struct

TOOLS_FILE = Path(__file__).with_name("tools.yaml")
CACHE_NAME = "tools.msgpack"
_cache_folder: list[Path] = []  # where the parsed file may be cached: set once by the shell


def cache_in(folder: Path | None) -> None:
    """Cache the parsed tool knowledge in `folder` (the deck cache's), or nowhere."""
    _cache_folder[:] = [folder] if folder is not None else []


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
    FIELD = "field"  # kubectl explain TYPE.field.path: the type by any of its aliases
    PATH = "path"  # a file or folder: ./web.yaml is web.yaml, ./ and . are the same folder
    SELECTOR = "selector"  # a label selector: a list whose a==b is a=b (both mean equals)
    PATHS = "paths"  # comma-separated files, in any order, each a path: ./a.yaml is a.yaml
    ARGV = "argv"  # a program and its arguments, run as they are: /bin/sh is sh
    VOLUME = "volume"  # docker's -v [SOURCE:]TARGET[:OPTIONS], as the mount it makes
    MOUNT = "mount"  # docker's --mount KEY=VALUE,...: the same mounts as -v, in fields


class Count(enum.Enum):
    """How many positional arguments a slot takes."""

    ONE = ""
    OPTIONAL = "?"
    SET = "*"  # the rest, in any order
    SEQUENCE = "..."  # the rest, in order


class Flag(Struct, frozen=True):
    """One flag of a tool: its spellings and the value it takes."""

    name: str  # the long spelling, else the short one (or its `as=`): what it compares as
    spellings: tuple[str, ...]
    kind: Kind
    many: bool = False  # may be repeated; its values compare as a multiset
    ordered: bool = False  # a repeated flag whose values compare in order (containers)
    default: str | None = None  # the value when it is not given, if known (a bool's: false)
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
    dashes: Kind = Kind.TEXT  # how the words after `--` compare (argv: kubectl exec's command)


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
    dashes: str = "text"


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
    """The tool knowledge, read from tools.yaml (or its cache) on first use."""
    from k8squiz import __version__
    from k8squiz.files import read_cache, stat_key, write_cache

    cached = _cache_folder[0] / CACHE_NAME if _cache_folder else None
    key = f"{__version__}\n{stat_key(TOOLS_FILE)}"
    data = read_cache(cached, key, _File) if cached else None
    if data is None:
        data = _parse(TOOLS_FILE.read_text(encoding="utf-8"))
        if cached:
            write_cache(cached, key, data)
    return build(data)


def _parse(text: str) -> _File:
    import yaml

    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # every scalar stays text
    return msgspec.convert(yaml.load(text, Loader=loader), _File)


def build(data: _File) -> Toolbook:
    """Structs from the file's content."""
    tools = {name: _tool(name, tool) for name, tool in data.tools.items()}
    programs = {
        program: tools[name] for name, tool in data.tools.items() for program in tool.programs
    }
    return Toolbook(tools, programs, frozenset(data.prefixes))


def _tool(name: str, data: _ToolFile) -> Tool:
    own = _flags(data.flags)
    flag_groups = {group: _flags(specs) for group, specs in data.groups.items()}
    commands: dict[str, Command] = {}
    for path, spec in data.commands.items():
        flags = _Flags((own, *(flag_groups[group] for group in spec.use)), spec.flags)
        slots = tuple(_slot(arg) for arg in spec.args)
        command = Command(path, slots, flags, spec.interspersed == "true", Kind(spec.dashes))
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


class _Flags(Mapping[str, Flag]):
    """A command's flags by spelling, merged on first use: a quiz grades a few commands of
    the hundreds the file knows, and merging them all costs more than the quiz."""

    __slots__ = ("_merged", "_own", "_shared")

    def __init__(self, shared: tuple[Mapping[str, Flag], ...], own: dict[str, str]) -> None:
        self._shared = shared
        self._own = own
        self._merged: dict[str, Flag] | None = None

    def _all(self) -> dict[str, Flag]:
        if self._merged is None:
            merged: dict[str, Flag] = {}
            for part in self._shared:
                merged.update(part)
            merged.update(_flags(self._own))
            self._merged = merged
        return self._merged

    def __getitem__(self, spelling: str) -> Flag:
        return self._all()[spelling]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


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


@cache
def parse_flag(spellings: str, spec: str) -> Flag:
    """`-r --replicas` and `text many` -> a Flag. Raises ValueError on a spec it cannot read.

    `as=--flag` names the flag whose values these compare with (docker's --mount, -v's)."""
    names = tuple(spellings.split())
    kind, *options = spec.split()
    settings = dict(option.partition("=")[::2] for option in options)
    unknown = settings.keys() - {"many", "ordered", "default", "bare", "as"}
    same = settings.get("as", names[-1] if names else "")
    if unknown or not names or not all(name.startswith("-") for name in (*names, same)):
        raise ValueError(f"cannot read the flag {spellings!r}: {spec!r}")
    return Flag(
        name=same,
        spellings=names,
        kind=Kind(kind),
        many="many" in settings or "ordered" in settings,
        ordered="ordered" in settings,
        default=settings.get("default", "false" if kind == Kind.BOOL.value else None),
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
