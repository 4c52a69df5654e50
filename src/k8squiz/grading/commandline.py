"""Read a command line as the tool it runs would: the model behind command grading.

The text is split as a POSIX shell would (`shlex`), then read with the tool's model from
`tools.yaml`: the program (`k` is kubectl), the subcommand and its aliases (`create deploy`),
flags by pflag's rules (short or long, `--flag=value` or `--flag value`, combined short flags
such as `-it`, booleans, flags whose value needs `=`), and positional arguments by what they
are (kubectl's `TYPE/NAME` = `TYPE NAME`; `docker run IMAGE COMMAND...` keeps its order).
Each value is reduced to a key that two equivalent spellings share: a program started in a
running container (`kubectl exec POD -- /bin/sh`, `docker exec`) is its name where its path
is in a folder of the default PATH (`/bin/sh` is `sh`). Never raises.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable, Sequence
from functools import lru_cache

from msgspec import Struct

from k8squiz.grading.tools import Command, Count, Flag, Kind, Slot, Tool, toolbook

JOINS = frozenset({"|", "||", "&&", ";"})
REDIRECTS = frozenset({">", ">>", "<"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_TRUE = frozenset({"1", "t", "true"})
_FALSE = frozenset({"0", "f", "false"})


class Word(Struct, frozen=True, order=True):
    """One value: what is compared, and how the learner or the deck wrote it."""

    key: str
    text: str


class Setting(Struct, frozen=True):
    """A flag (or an environment variable, or a redirection) and its values."""

    name: str
    kind: Kind
    words: tuple[Word, ...]  # sorted when the flag is repeatable or a list
    spelling: str = ""  # how it was first typed (-r for --replicas), for feedback


class Argument(Struct, frozen=True):
    """The positional arguments that fill one slot of a subcommand."""

    label: str
    kind: Kind
    words: tuple[Word, ...]


class Invocation(Struct, frozen=True):
    """One program run, read with what is known about the program."""

    program: str  # the tool's name, or the program as typed when it is not a known tool
    known: bool
    path: str = ""  # the canonical subcommand, or the first word when none is known
    settings: tuple[Setting, ...] = ()
    arguments: tuple[Argument, ...] = ()
    rest: tuple[Word, ...] = ()  # everything after `--`, in order, read as the command says


class Line(Struct, frozen=True):
    """A command line: one or more invocations joined by |, && or ;, or why it cannot be read."""

    parts: tuple[Invocation, ...] = ()
    joins: tuple[str, ...] = ()
    error: str = ""  # "quote", "escape" or "empty" when the text cannot be read


@lru_cache(maxsize=4096)
def parse(text: str) -> Line:
    """`text` read as a command line; never raises."""
    try:
        tokens = _split(text)
    except ValueError as error:
        return Line(error="escape" if "escaped" in str(error) else "quote")
    parts, joins = _segments(tokens)
    if not any(parts):
        return Line(error="empty")
    return Line(tuple(_invocation(part) for part in parts), tuple(joins))


def _split(text: str) -> list[str]:
    lexer = shlex.shlex(text.replace("\x00", " "), posix=True, punctuation_chars="|&;<>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


def _segments(tokens: list[str]) -> tuple[list[list[str]], list[str]]:
    parts: list[list[str]] = [[]]
    joins: list[str] = []
    for token in tokens:
        if token in JOINS:
            joins.append(token)
            parts.append([])
        else:
            parts[-1].append(token)
    return parts, joins


def _invocation(tokens: list[str]) -> Invocation:
    book = toolbook()
    env: list[str] = []
    while tokens and (tokens[0] in book.prefixes or _ASSIGNMENT.match(tokens[0])):
        if tokens[0] not in book.prefixes:
            env.append(tokens[0])
        tokens = tokens[1:]
    if not tokens:
        return Invocation("", known=False, settings=_environment(env, None))
    tool = book.programs.get(tokens[0].rsplit("/", 1)[-1])
    if tool is None:
        words = tuple(Word(token, token) for token in tokens[1:])
        argument = Argument("arguments", Kind.TEXT, words)
        return Invocation(tokens[0], False, "", _environment(env, None), (argument,))
    return _known_invocation(tool, tokens[1:], env)


# Commands that run another tool with the words after `--`: those words are that tool's
# command line, graded as one (`minikube kubectl -- get po -A`).
PASSES_ON = {("minikube", "kubectl"): "kubectl"}


def passed_on(invocation: Invocation) -> Invocation | None:
    """The command a passing-on invocation runs with the words after `--`, else None."""
    name = PASSES_ON.get((invocation.program, invocation.path))
    if name is None:
        return None
    return _known_invocation(toolbook().tools[name], [word.text for word in invocation.rest], [])


def _known_invocation(tool: Tool, tokens: list[str], env: list[str]) -> Invocation:
    path, used = _subcommand(tool, tokens)
    tokens = [token for index, token in enumerate(tokens) if index not in used]
    command = tool.command(path)
    if path not in tool.commands and tokens and not tokens[0].startswith("-"):
        path, tokens = tokens[0], tokens[1:]  # an unknown subcommand, compared as typed
    raw, positionals, rest, redirects = _read_flags(tokens, command)
    settings = [*_settings(raw, command), *_environment(env, tool), *redirects]
    arguments = _arguments(command.slots, positionals, tool)
    dashes = _sequence_words(command.dashes, rest)
    return Invocation(tool.name, True, path, tuple(settings), arguments, tuple(dashes))


def _subcommand(tool: Tool, tokens: list[str]) -> tuple[str, set[int]]:
    """The longest known subcommand path, and the indexes of its words among `tokens`.

    Only the tool's own flags (kubectl -n, helm --kube-context) may come before or between
    the words of a path.
    """
    best: tuple[str, set[int]] = ("", set())
    words: list[str] = []
    used: set[int] = set()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.startswith("-") and token != "-":
            flag = tool.flags.get(token.partition("=")[0])
            if flag is None or token == "--":
                break
            index += 1 + int(flag.takes_value and "=" not in token and flag.bare is None)
            continue
        words.append(token)
        used.add(index)
        phrase = " ".join(words)
        if phrase in tool.commands:
            best = (tool.commands[phrase].path, set(used))
        if phrase not in tool.prefixes:
            break
        index += 1
    return best


class _Raw(Struct):
    """A flag's values as typed, in order, each with how it reads (--mount's are not -v's)."""

    flag: Flag
    spelling: str
    values: list[tuple[Kind, str]]


def _read_flags(
    tokens: list[str], command: Command
) -> tuple[dict[str, _Raw], list[str], list[str], list[Setting]]:
    """Flags (pflag's rules), positional arguments, what follows `--`, and redirections."""
    raw: dict[str, _Raw] = {}
    positionals: list[str] = []
    redirects: list[Setting] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token == "--":
            return raw, positionals, tokens[index + 1 :], redirects
        if token in REDIRECTS:
            target = following or ""
            redirects.append(Setting(token, Kind.TEXT, (Word(target, target),)))
            index += 2
        elif (
            not token.startswith("-") or token == "-" or (positionals and not command.interspersed)
        ):
            positionals.append(token)
            index += 1
        else:
            index += 1 + _read_flag(token, following, command, raw)
    return raw, positionals, [], redirects


def _read_flag(token: str, following: str | None, command: Command, raw: dict[str, _Raw]) -> int:
    """Record the flag(s) in `token`; 1 when the next token was its value, else 0."""
    if token.startswith("--"):
        name, equals, value = token.partition("=")
        return _record(name, value if equals else None, following, command, raw)
    for at in range(1, len(token)):
        name = f"-{token[at]}"
        attached = token[at + 1 :]
        flag = command.flags.get(name)
        if attached and (flag is None or flag.takes_value or attached.startswith("=")):
            _record(name, attached.removeprefix("="), None, command, raw)
            return 0
        if not attached:
            return _record(name, None, following, command, raw)
        _record(name, None, None, command, raw)
    return 0


def _record(
    name: str, value: str | None, following: str | None, command: Command, raw: dict[str, _Raw]
) -> int:
    flag = command.flags.get(name) or Flag(name, (name,), Kind.TEXT, many=True)
    used = 0
    if value is None:
        if flag.kind is Kind.BOOL:
            value = "true"
        elif flag.bare is not None:
            value = flag.bare
        elif following is not None and (name in command.flags or not following.startswith("-")):
            value, used = following, 1
        else:
            value = "true" if name not in command.flags else ""
    entry = raw.setdefault(flag.name, _Raw(flag, name, []))
    entry.values.append((flag.kind, value))
    return used


def _settings(raw: dict[str, _Raw], command: Command) -> list[Setting]:
    settings = []
    for name, entry in raw.items():
        flag = entry.flag
        values = entry.values if flag.many else entry.values[-1:]
        words = [word for kind, value in values for word in words_of(kind, value)]
        if not flag.many and words[0].key == _default_key(flag):
            continue  # the flag's default, said out loud
        if flag.ordered and len(words) > 1:  # one value: the list, in its order
            words = [Word("\x1f".join(w.key for w in words), ", ".join(w.text for w in words))]
        elif flag.many or flag.kind in _ITEMS:
            words.sort()
        settings.append(Setting(name, flag.kind, tuple(words), entry.spelling))
    return settings


def _environment(assignments: list[str], tool: Tool | None) -> tuple[Setting, ...]:
    settings = []
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        if tool is None or tool.env.get(name) != value:
            settings.append(Setting(name, Kind.TEXT, (Word(value, value),)))
    return tuple(settings)


def _default_key(flag: Flag) -> str | None:
    """How the value a flag has when it is not given compares, if the model knows it."""
    return None if flag.default is None else words_of(flag.kind, flag.default)[0].key


def words_of(kind: Kind, value: str) -> list[Word]:
    item = _ITEMS.get(kind)
    if item is not None:  # comma-separated items, each compared on its own
        return [Word(item(piece), piece) for piece in _items(value)]
    read = _READERS.get(kind)
    return [Word(read(value) if read else value, value)]


_EQUALS = re.compile(r"(?<=[^=!])==(?!=)")


def _equality(requirement: str) -> str:
    """A label selector's requirement, its `==` written `=` (both mean equals)."""
    return _EQUALS.sub("=", requirement, count=1)


def _integer(value: str) -> str:
    return str(int(value)) if _INTEGER.fullmatch(value) else value


def _path(value: str) -> str:
    """A file or folder without what does not change which: `./web.yaml` is `web.yaml`, `./`
    is `.`, `conf/` is `conf`. The key of `--from-file=key=path`, a URL and `-` (stdin) stay
    as written."""
    if "://" in value or value in ("", "-"):
        return value
    key, equals, path = value.partition("=")
    if not equals or "/" in key:
        key, equals, path = "", "", value
    return f"{key}{equals}{posixpath.normpath(path)}"


def _truth(value: str) -> str:
    lowered = value.lower()
    return "true" if lowered in _TRUE else "false" if lowered in _FALSE else value


def _items(value: str) -> list[str]:
    """Comma-separated items; commas inside {} or [] or after a backslash do not separate."""
    items, current, depth, escaped = [], "", 0, False
    for char in value:
        if char == "," and not depth and not escaped:
            items.append(current)
            current = ""
            continue
        depth += (char in "{[") - (char in "}]")
        escaped = char == "\\" and not escaped
        current += char
    return [*items, current]


def _published(value: str) -> str:
    """docker's `[ip:][host:]container[/proto]` as `ip:host:container/proto`."""
    address, _, protocol = value.partition("/")
    parts = address.rsplit(":", 2)
    ip, host, container = ["", "", *parts][-3:] if len(parts) < 3 else parts
    return f"{ip}:{host}:{container}/{(protocol or 'tcp').lower()}"


def _port_pair(value: str) -> str:
    """`a:b`, or a bare `a` meaning `a:a`."""
    first, colon, second = value.partition(":")
    return f"{first}:{second}" if colon else f"{first}:{first}"


# docker's mounts: -v's OPTIONS as --mount's fields (rw is the default; z and Z have none)
_PROPAGATIONS = ("shared", "rshared", "slave", "rslave", "private", "rprivate")
_VOLUME_OPTIONS = {
    "ro": "readonly",
    "rw": "",
    "nocopy": "volume-nocopy",
    **{mode: f"bind-propagation={mode}" for mode in _PROPAGATIONS},
    **{mode: f"consistency={mode}" for mode in ("consistent", "cached", "delegated")},
}
_MOUNT_KEYS = {"src": "source", "dst": "target", "destination": "target", "ro": "readonly"}
_MOUNT_SWITCHES = frozenset({"readonly", "volume-nocopy"})  # true when given without a value


def _volume(value: str) -> str:
    """docker's `-v [SOURCE:]TARGET[:OPTIONS]` as the mount it makes: a SOURCE that is a path
    (`/srv`, `./site`) is a bind mount, a name a volume, none an anonymous volume."""
    parts = value.split(":")
    if len(parts) > 3:
        return value
    source, target = (parts[0], parts[1]) if len(parts) > 1 else ("", parts[0])
    bind = source.startswith(("/", "./")) or source == "."
    options = parts[2].split(",") if len(parts) == 3 else []
    fields = [_VOLUME_OPTIONS.get(option, f"-v:{option}") for option in options]
    return _mount_key("bind" if bind else "volume", source, target, fields)


def _mount(value: str) -> str:
    """docker's `--mount type=T,source=S,target=D,readonly,...` as the mount it makes; the
    type is a volume unless it says otherwise."""
    if '"' in value:
        return value  # a field in quotes (--mount reads CSV): compared as written
    found = {"type": "volume", "source": "", "target": ""}
    fields = []
    for field in value.split(","):
        name, equals, setting = field.partition("=")
        key = _MOUNT_KEYS.get(name.lower(), name.lower())
        truth = _truth(setting if equals else "true")
        if key in found and equals:
            found[key] = setting.lower() if key == "type" else setting
        elif key in _MOUNT_SWITCHES and truth in ("true", "false"):
            fields.append(key if truth == "true" else "")
        elif key in ("bind-propagation", "consistency") and equals:
            fields.append(f"{key}={setting.lower()}")
        else:
            fields.append(f"--mount:{field}")  # no -v option says it
    return _mount_key(found["type"], found["source"], found["target"], fields)


def _mount_key(kind: str, source: str, target: str, fields: list[str]) -> str:
    """One key for a mount, whichever flag made it: type, source, target, the other fields."""
    return "\x1f".join([kind, source, target, *sorted(field for field in fields if field)])


# How a value of each kind is compared: a list of items, each read by the function here...
_ITEMS: dict[Kind, Callable[[str], str]] = {Kind.LIST: str, Kind.SELECTOR: _equality}
# ...or one value read by the function here (a kind in neither compares as written).
_READERS = {
    Kind.BOOL: _truth,
    Kind.INT: _integer,
    Kind.PUBLISH: _published,
    Kind.FORWARD: _port_pair,
    Kind.PATH: _path,
    Kind.VOLUME: _volume,
    Kind.MOUNT: _mount,
}


def _arguments(slots: Sequence[Slot], positionals: list[str], tool: Tool) -> tuple[Argument, ...]:
    arguments = []
    left = list(positionals)
    for slot in slots:
        taken, left = _take(slot, left)
        words = _slot_words(slot, taken, tool)
        arguments.append(Argument(slot.label, slot.kind, words))
    if left:
        arguments.append(Argument("", Kind.TEXT, tuple(Word(arg, arg) for arg in left)))
    return tuple(arguments)


def _take(slot: Slot, left: list[str]) -> tuple[list[str], list[str]]:
    if slot.kind is Kind.RESOURCES:
        end = next((i for i, arg in enumerate(left) if not _looks_like_resource(arg)), len(left))
        return left[:end], left[end:]
    if slot.count in (Count.SET, Count.SEQUENCE):
        return left, []
    return left[:1], left[1:]


def _looks_like_resource(arg: str) -> bool:
    return "=" not in arg and ":" not in arg and not (len(arg) > 1 and arg.endswith("-"))


def _slot_words(slot: Slot, taken: list[str], tool: Tool) -> tuple[Word, ...]:
    if slot.kind is Kind.RESOURCES:
        return tuple(sorted(_references(taken, tool)))
    if slot.kind is Kind.TARGET:
        return tuple(_reference(arg if "/" in arg else f"pod/{arg}", tool) for arg in taken)
    if slot.kind is Kind.FIELD:
        return tuple(_field(arg, tool) for arg in taken)
    words = _sequence_words(slot.kind, taken)
    return tuple(sorted(words)) if slot.count is Count.SET else tuple(words)


def _sequence_words(kind: Kind, args: Sequence[str]) -> list[Word]:
    """Words in a row, each read as `kind` says; an argv's first is its program."""
    if kind is Kind.ARGV:
        return [Word(_program(arg) if at == 0 else arg, arg) for at, arg in enumerate(args)]
    return [word for arg in args for word in words_of(kind, arg)]


# The folders of the default PATH (Docker's, and a container runtime's): a program there is
# the one its bare name runs.
PATH_FOLDERS = frozenset(
    {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}
)


def _program(typed: str) -> str:
    """A program by its name: `/bin/sh` and `/usr/bin/sh` are `sh`; `./sh` stays itself."""
    folder, _, name = typed.rpartition("/")
    return name if folder in PATH_FOLDERS and name else typed


def _references(args: list[str], tool: Tool) -> list[Word]:
    """kubectl's `TYPE NAME...`, `TYPE1,TYPE2`, `TYPE/NAME...`: one word per type and name."""
    if not args or "/" in args[0]:
        return [_reference(arg, tool) for arg in args]
    types, names = args[0].split(","), args[1:]
    if not names:
        return [Word(_resource_type(kind, tool), kind) for kind in types]
    return [_reference(f"{kind}/{name}", tool) for kind in types for name in names]


def _field(typed: str, tool: Tool) -> Word:
    """`kubectl explain`'s TYPE.field.path with TYPE canonical: `deploy.spec` is
    `deployment.spec`."""
    head, dot, path = typed.partition(".")
    return Word(f"{_resource_type(head, tool)}{dot}{path}", typed)


def _reference(arg: str, tool: Tool) -> Word:
    kind, _, name = arg.partition("/")
    return Word(f"{_resource_type(kind, tool)}/{name}", arg)


def _resource_type(typed: str, tool: Tool) -> str:
    """The canonical type: `deploy`, `Deployments`, `deployments.apps` -> `deployment`."""
    lowered = typed.lower()
    head, _, group = lowered.partition(".")
    canonical = tool.resources.get(head)
    if canonical is None:
        return lowered
    own_group = tool.groups.get(canonical, "")
    if not group or group == own_group or (group.endswith(f".{own_group}") and own_group):
        return canonical
    return lowered
