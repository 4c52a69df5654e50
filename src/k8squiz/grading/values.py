"""A typed value reduced to the key its equivalent spellings share, by the kind `tools.yaml`
gives it: `true` and `t` for a boolean, `./web.yaml` and `web.yaml` for a path, `8080` and
`8080:8080` for a port pair, docker's `-v data:/data` and `--mount source=data,target=/data`
for a mount, `app==web` and `app=web` in a selector, `/bin/sh` and `sh` for a program run in a
container. A value of a kind none of these know compares as written. Never raises.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from msgspec import Struct

from k8squiz.grading.tools import Kind

_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_TRUE = frozenset({"1", "t", "true"})
_FALSE = frozenset({"0", "f", "false"})


class Word(Struct, frozen=True, order=True):
    """One value: what is compared, and how the learner or the deck wrote it."""

    key: str
    text: str


def is_list(kind: Kind) -> bool:
    """Whether a value of this kind is comma-separated items, each compared on its own."""
    return kind in _ITEMS


def words_of(kind: Kind, value: str) -> list[Word]:
    """The value as words: one, or one per item of a list."""
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
_ITEMS: dict[Kind, Callable[[str], str]] = {
    Kind.LIST: str,
    Kind.SELECTOR: _equality,
    Kind.PATHS: _path,
}
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


# The folders of the default PATH (Docker's, and a container runtime's): a program there is
# the one its bare name runs.
PATH_FOLDERS = frozenset(
    {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}
)


def program(typed: str) -> str:
    """A program by its name: `/bin/sh` and `/usr/bin/sh` are `sh`; `./sh` stays itself."""
    folder, _, name = typed.rpartition("/")
    return name if folder in PATH_FOLDERS and name else typed
