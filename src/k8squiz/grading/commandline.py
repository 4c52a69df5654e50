"""Read a command line as the tool it runs would: the model behind command grading.

The text is split as a POSIX shell would (`shlex`), then read with the tool's model from
`tools.yaml`: the program (`k` is kubectl), the subcommand and its aliases (`create deploy`),
flags by pflag's rules (short or long, `--flag=value` or `--flag value`, combined short flags
such as `-it`, booleans, flags whose value needs `=`), and positional arguments by what they
are (kubectl's `TYPE/NAME` = `TYPE NAME`; `docker run IMAGE COMMAND...` keeps its order).
Each value is reduced to a key that two equivalent spellings share (`values`); a program
started in a running container (`kubectl exec POD -- /bin/sh`, `docker exec`) is read as its
name where its path is in a folder of the default PATH (`/bin/sh` is `sh`). Never raises.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from functools import lru_cache

from msgspec import Struct

from k8squiz.grading.tools import Command, Count, Flag, Kind, Slot, Tool, toolbook
from k8squiz.grading.values import Word, is_list, program, words_of

JOINS = frozenset({"|", "||", "&&", ";"})
REDIRECTS = frozenset({">", ">>", "<"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


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
        elif flag.many or is_list(flag.kind):
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
        return [Word(program(arg) if at == 0 else arg, arg) for at, arg in enumerate(args)]
    return [word for arg in args for word in words_of(kind, arg)]


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
