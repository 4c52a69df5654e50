"""Grade a command by what it does, not by how it is typed.

Both commands are read by `commandline` (the tool's model from `tools.yaml`), then compared:
the program, the subcommand, the positional arguments by what they are, every flag and its
values, what follows `--`. A program started in a running container (`kubectl exec POD --
sh`, `docker exec CONTAINER sh`) is the same by its name or by its path in a folder of the
default PATH (`/bin/sh` is `sh`, `/usr/bin/bash` is `bash`); a command an object records
(`docker run IMAGE COMMAND`, `kubectl create job ... -- COMMAND`) is compared as typed, like
an image's tag. docker's `-v` and `--mount` are one mount in two syntaxes (`-v data:/data:ro`
is `--mount source=data,target=/data,readonly`); a difference between them is told as what is
missing in the card's syntax and extra in the learner's. Never tolerant where it matters: a
different flag, value, name, image tag, port order, program or subcommand is a difference,
reported as a `Difference` a learner can act on (`describe` puts it in words). Unknown flags
and programs are compared literally, and nothing here raises on any text: a command that
cannot be read is simply different.
"""

from __future__ import annotations

import enum
import re
import shlex
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from msgspec import Struct

from k8squiz.decks.problems import did_you_mean
from k8squiz.grading.commandline import (
    REDIRECTS,
    Argument,
    Invocation,
    Line,
    Setting,
    parse,
    passed_on,
)
from k8squiz.grading.tools import Flag, Kind, Tool, toolbook
from k8squiz.grading.values import Word, words_of
from k8squiz.i18n import Words

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class DifferenceKind(enum.Enum):
    """What differs between a learner's command and the expected one."""

    UNREADABLE = "unreadable"
    PIPELINE = "pipeline"
    PROGRAM = "program"
    SUBCOMMAND = "subcommand"
    RESOURCE = "resource"
    NAME = "name"
    ARGUMENT = "argument"
    MISSING_ARGUMENT = "missing-argument"
    EXTRA_ARGUMENT = "extra-argument"
    MISSING_FLAG = "missing-flag"
    UNEXPECTED_FLAG = "unexpected-flag"
    FLAG_VALUE = "flag-value"
    SWAPPED_PUBLISH = "swapped-publish"
    SWAPPED_PORTS = "swapped-ports"
    AFTER_DASHES = "after-dashes"


class Difference(Struct, frozen=True):
    """One thing a learner's command does differently, with the values to show."""

    kind: DifferenceKind
    subject: str = ""  # the flag or the argument it is about
    given: str = ""
    expected: str = ""


# Comparing


class Optional(Struct, frozen=True):
    """A flag a card lets the learner add or leave out: any value, or the one given."""

    name: str
    key: str | None


def compare(expected: Line, given: Line, optional: Sequence[str] = ()) -> tuple[Difference, ...]:
    """What `given` does differently from `expected`; empty when they do the same thing."""
    if given.error:
        return (Difference(DifferenceKind.UNREADABLE, given=given.error),)
    if expected.error:
        return (Difference(DifferenceKind.UNREADABLE, expected=expected.error),)
    if given.joins != expected.joins:
        shown = (_outline(given), _outline(expected))
        return (Difference(DifferenceKind.PIPELINE, given=shown[0], expected=shown[1]),)
    pairs = zip(expected.parts, given.parts, strict=True)
    first = expected.parts[0]
    allowed = _optional(first, optional)
    return tuple(d for want, got in pairs for d in _compare(want, got, allowed))


def _outline(line: Line) -> str:
    """`kubectl | base64`: the programs of a command line and what joins them."""
    programs = [part.program for part in line.parts]
    return " ".join(
        p for pair in zip(programs, [*line.joins, ""], strict=True) for p in pair
    ).strip()


def _optional(invocation: Invocation, entries: Iterable[str]) -> tuple[Optional, ...]:
    if not invocation.known:
        return ()
    flags = _flags_of(invocation)
    found = []
    for entry in entries:
        name, equals, value = entry.partition("=")
        flag = flags.get(name)
        if flag is not None:
            key = words_of(flag.kind, value)[0].key if equals else None
            found.append(Optional(flag.name, key))
    return tuple(found)


def _flags_of(invocation: Invocation) -> Mapping[str, Flag]:
    """The flags the tool model knows for a known invocation's subcommand, by spelling."""
    return toolbook().tools[invocation.program].command(invocation.path).flags


def _compare(
    expected: Invocation, given: Invocation, allowed: tuple[Optional, ...]
) -> list[Difference]:
    if (given.program, given.known) != (expected.program, expected.known):
        return [Difference(DifferenceKind.PROGRAM, given=given.program, expected=expected.program)]
    if given.path != expected.path:
        return [Difference(DifferenceKind.SUBCOMMAND, given=given.path, expected=expected.path)]
    found = _compare_arguments(expected.arguments, given.arguments)
    inner = passed_on(expected), passed_on(given)
    if inner[0] is not None and inner[1] is not None:
        found += _compare(inner[0], inner[1], ())  # another tool's command line: read as one
    elif _keys(given.rest) != _keys(expected.rest):
        shown = (_joined(given.rest), _joined(expected.rest))
        found.append(Difference(DifferenceKind.AFTER_DASHES, given=shown[0], expected=shown[1]))
    found += _compare_settings(
        _without(expected.settings, allowed), _without(given.settings, allowed)
    )
    return found


def _compare_arguments(
    expected: tuple[Argument, ...], given: tuple[Argument, ...]
) -> list[Difference]:
    theirs = {argument.label: argument for argument in given}
    found = []
    for mine in expected:
        other = theirs.pop(mine.label, Argument(mine.label, mine.kind, ()))
        found += _compare_argument(mine, other)
    for extra in theirs.values():
        found += _compare_argument(Argument(extra.label, extra.kind, ()), extra)
    return found


def _compare_argument(expected: Argument, given: Argument) -> list[Difference]:
    if _keys(expected.words) == _keys(given.words):
        return []
    if expected.kind in (Kind.RESOURCES, Kind.TARGET):
        return [_resource_difference(expected.words, given.words)]
    if (
        expected.kind in (Kind.PUBLISH, Kind.PORTPAIR, Kind.FORWARD)
        and expected.words
        and given.words
    ):
        return _compare_words(expected.label, expected.kind, expected.words, given.words)
    shown, wanted = _texts(given.words), _texts(expected.words)
    if not given.words:
        return [Difference(DifferenceKind.MISSING_ARGUMENT, expected.label, expected=wanted)]
    if not expected.words:
        return [Difference(DifferenceKind.EXTRA_ARGUMENT, given.label, given=shown)]
    return [Difference(DifferenceKind.ARGUMENT, expected.label, shown, wanted)]


def _resource_difference(expected: tuple[Word, ...], given: tuple[Word, ...]) -> Difference:
    """A different resource type, else a different name."""
    types = [sorted({word.key.partition("/")[0] for word in words}) for words in (given, expected)]
    if types[0] != types[1]:
        return Difference(
            DifferenceKind.RESOURCE, given=", ".join(types[0]), expected=", ".join(types[1])
        )
    names = [
        ", ".join(word.key.partition("/")[2] for word in words) for words in (given, expected)
    ]
    return Difference(DifferenceKind.NAME, given=names[0], expected=names[1])


def _without(settings: tuple[Setting, ...], allowed: tuple[Optional, ...]) -> dict[str, Setting]:
    """The settings by name, less the words an optional flag allows."""
    kept = {}
    for setting in settings:
        rules = [rule for rule in allowed if rule.name == setting.name]
        words = tuple(w for w in setting.words if not any(r.key in (None, w.key) for r in rules))
        if words:
            kept[setting.name] = Setting(setting.name, setting.kind, words, setting.spelling)
    return kept


def _compare_settings(expected: dict[str, Setting], given: dict[str, Setting]) -> list[Difference]:
    found = []
    for name in [*expected, *(name for name in given if name not in expected)]:
        mine, theirs = expected.get(name), given.get(name)
        if mine and theirs and mine.kind is not theirs.kind:
            found += _across_syntaxes(mine, theirs)
            continue
        shown = theirs or mine
        assert shown is not None  # the name came from one of them
        words = (mine.words if mine else (), theirs.words if theirs else ())
        found += _compare_words(shown.spelling or name, shown.kind, *words)
    return found


def _across_syntaxes(expected: Setting, given: Setting) -> list[Difference]:
    """One flag in two syntaxes (`-v data:/data`, `--mount source=data,target=/data`): what
    is missing in the card's, what is extra in the learner's, never one read as the other."""
    missing, extra = (
        _subtract(expected.words, given.words),
        _subtract(given.words, expected.words),
    )
    return [
        *(
            Difference(DifferenceKind.MISSING_FLAG, expected.spelling, expected=w.text)
            for w in missing
        ),
        *(Difference(DifferenceKind.UNEXPECTED_FLAG, given.spelling, given=w.text) for w in extra),
    ]


def _compare_words(
    name: str, kind: Kind, expected: tuple[Word, ...], given: tuple[Word, ...]
) -> list[Difference]:
    missing = _subtract(expected, given)
    extra = _subtract(given, expected)
    found: list[Difference] = []
    if kind in (Kind.PUBLISH, Kind.PORTPAIR, Kind.FORWARD):
        found, missing, extra = _swapped(name, kind, missing, extra)
    if missing and extra and len(missing) == len(extra) == 1:
        return [
            *found,
            Difference(DifferenceKind.FLAG_VALUE, name, extra[0].text, missing[0].text),
        ]
    found += [Difference(DifferenceKind.MISSING_FLAG, name, expected=w.text) for w in missing]
    found += [Difference(DifferenceKind.UNEXPECTED_FLAG, name, given=w.text) for w in extra]
    return found


def _swapped(
    name: str, kind: Kind, missing: list[Word], extra: list[Word]
) -> tuple[list[Difference], list[Word], list[Word]]:
    """Port mappings given the wrong way round, and the words left to compare."""
    found = []
    for word in list(extra):
        twin = next((w for w in missing if _reversed(w.key) == word.key), None)
        if twin is not None:
            differs = (
                DifferenceKind.SWAPPED_PUBLISH
                if kind is Kind.PUBLISH
                else DifferenceKind.SWAPPED_PORTS
            )
            found.append(Difference(differs, name, word.text, twin.text))
            missing.remove(twin)
            extra.remove(word)
    return found, missing, extra


def _reversed(key: str) -> str:
    """A port mapping key with its two ports swapped."""
    if key.count(":") == 2:  # ip:host:container/proto
        ip, host, rest = key.split(":")
        container, _, protocol = rest.partition("/")
        return f"{ip}:{container}:{host}/{protocol}"
    first, _, second = key.partition(":")
    return f"{second}:{first}"


def _subtract(words: tuple[Word, ...], other: tuple[Word, ...]) -> list[Word]:
    left = Counter(w.key for w in other)
    kept = []
    for word in words:
        if left[word.key]:
            left[word.key] -= 1
        else:
            kept.append(word)
    return kept


def _keys(words: tuple[Word, ...]) -> tuple[str, ...]:
    return tuple(word.key for word in words)


def _texts(words: tuple[Word, ...]) -> str:
    return " ".join(word.text for word in words)


def _joined(words: tuple[Word, ...]) -> str:
    """Words as a shell would read them back: `sh -c 'ls /'`."""
    return shlex.join(word.text for word in words)


# Grading


def differences(
    command: str, given: str, *, alternatives: Sequence[str] = (), optional: Sequence[str] = ()
) -> tuple[Difference, ...]:
    """How `given` differs from the closest accepted command; empty when it is accepted."""
    line = parse(given)
    found = [compare(parse(text), line, optional) for text in (command, *alternatives)]
    return min(found, key=_distance)


def _distance(found: tuple[Difference, ...]) -> int:
    """How far a command is from an accepted one: another program or subcommand is far."""
    return sum(10 if difference.kind in _FAR else 1 for difference in found)


_FAR = frozenset({DifferenceKind.PROGRAM, DifferenceKind.SUBCOMMAND, DifferenceKind.PIPELINE})


def same_effect(first: str, second: str, optional: Sequence[str] = ()) -> bool:
    """Whether two commands do the same thing (with `optional` flags free in either)."""
    return not compare(parse(first), parse(second), optional)


def problems(text: str, *, strict: bool) -> tuple[str, ...]:
    """What a deck author should fix in `text`: it must read as a command; with `strict` (a
    right answer, not a known mistake) its tool, subcommand and every flag must be known too."""
    line = parse(text)
    if line.error:
        reason = Words("en")(f"cmd_reason_{line.error}")  # the words `describe` uses
        return (f"'{text}' cannot be read: {reason}",)
    book = toolbook()
    first = line.parts[0]
    if not first.known:
        hint = did_you_mean(first.program, book.programs)
        if not strict and not hint:  # a known mistake may be another tool (ctr, podman)
            return ()
        known = ", ".join(sorted(book.programs))
        return (f"'{first.program}' is not a tool k8squiz knows; {hint}known: {known}",)
    if not strict:
        return ()
    return tuple(_strict_problems(first, book.tools[first.program]))


def _strict_problems(invocation: Invocation, tool: Tool) -> Iterable[str]:
    if invocation.path not in tool.commands:
        yield f"'{tool.name} {invocation.path}' is not a subcommand k8squiz knows"
        return
    command = tool.commands[invocation.path]
    for setting in invocation.settings:
        if setting.name.startswith("-") and setting.name not in command.flags:
            yield f"'{tool.name} {invocation.path}' has no flag {setting.name} that k8squiz knows"


def flag_of(command: str, entry: str) -> bool:
    """Whether `entry` (`--flag` or `--flag=value`) is a flag of `command`'s subcommand."""
    line = parse(command)
    if line.error or not line.parts[0].known:
        return False
    return entry.partition("=")[0] in _flags_of(line.parts[0])


# Words


def describe(difference: Difference, words: Words) -> str:
    """The difference as a sentence in the learner's language."""
    difference = Difference(
        difference.kind,
        *(
            _printable(text)
            for text in (difference.subject, difference.given, difference.expected)
        ),
    )
    kind = difference.kind
    values = {
        "subject": difference.subject or words("cmd_arguments"),
        "given": difference.given,
        "expected": difference.expected,
    }
    if kind is DifferenceKind.UNREADABLE:
        return words(
            "cmd_unreadable", reason=words(f"cmd_reason_{difference.given or difference.expected}")
        )
    if kind is DifferenceKind.SUBCOMMAND and not difference.given:
        return words("cmd_no_subcommand", **values)
    if kind is DifferenceKind.AFTER_DASHES and not difference.given:
        return words("cmd_no_command_after_dashes", **values)
    if kind in (DifferenceKind.MISSING_FLAG, DifferenceKind.UNEXPECTED_FLAG):
        shown = flag_text(difference.subject, difference.given or difference.expected)
        return words(f"cmd_{kind.value.replace('-', '_')}", flag=shown)
    if kind is DifferenceKind.SWAPPED_PUBLISH:
        host, container = _host_and_container(difference.given)
        return words("cmd_swapped_publish", host=host, container=container, **values)
    return words(f"cmd_{kind.value.replace('-', '_')}", **values)


def _printable(text: str) -> str:
    """`text` with control characters shown as escapes, so they never reach a terminal raw."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def flag_text(name: str, value: str) -> str:
    """`--force`, `--replicas=3`, `> pod.yaml`, `ETCDCTL_API=3`: a setting as it is typed."""
    if name in REDIRECTS or (len(name) == 2 and name.startswith("-") and value != "true"):
        return f"{name} {value}"
    if name.startswith("-") and value == "true":
        return name
    return f"{name}={value}"


def _host_and_container(mapping: str) -> tuple[str, str]:
    address = mapping.partition("/")[0].rsplit(":", 2)
    return (address[-2], address[-1]) if len(address) > 1 else ("", address[-1])
