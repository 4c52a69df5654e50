"""The CLI run in this process: `cli.main` with its real streams swapped for byte buffers.

Fast enough for hypothesis to drive hundreds of runs, and it goes through everything a run
of the program does from `main` on (stream guards, usage errors, the one-line error).
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata
from dataclasses import dataclass
from typing import Any, TextIO

import pytest

from k8squiz import cli

# The oracle, written independently of k8squiz's own table: Unicode's categories for
# controls, format characters, surrogates and separators, and its list of default ignorable
# code points (DerivedCoreProperties.txt), which covers the invisible letters and selectors.
BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
ALLOWED = frozenset("\n\t")  # layout, in multi-line blocks: they move the cursor, no more


def is_unsafe(char: str) -> bool:
    code = ord(char)
    return unicodedata.category(char) in BAD_CATEGORIES or any(
        low <= code <= high for low, high in DEFAULT_IGNORABLE
    )


def raw_unsafe(text: str) -> list[str]:
    """The characters of `text` a terminal would act on or hide, as U+XXXX."""
    return [f"U+{ord(c):04X}" for c in text if c not in ALLOWED and is_unsafe(c)]


def assert_clean(data: bytes, where: str) -> None:
    """Output is UTF-8 and carries no raw control or invisible character."""
    text = data.decode("utf-8")  # strict: a lone surrogate or a raw 0xff byte fails here
    found = raw_unsafe(text)
    assert not found, f"{where}: raw {sorted(set(found))} in {text[:400]!r}"


_BUFFER: Any = object()  # run_main's default stdout: a byte buffer


# What the exam's status line writes at a terminal (save and restore the cursor, a scroll
# region, a move to the last line, erase it, a line up): k8squiz's own, never a deck's. The
# sessions tests force the Rich screens on without a terminal, so these reach the buffer.
STATUS_LINE = re.compile(rb"\x1b[78]|\x1b\[\d+;\d+r|\x1b\[\d+;1H|\x1b\[2K|\x1b\[1A")


@dataclass(frozen=True)
class Ran:
    args: tuple[str, ...]
    code: int
    out: bytes
    err: bytes

    def assert_clean(self, *, terminal: bool = False) -> None:
        """No raw unsafe character; with `terminal`, but for the status line's own codes."""
        out, err = (STATUS_LINE.sub(b"", s) if terminal else s for s in (self.out, self.err))
        assert_clean(out, f"stdout of {self.args!r}")
        assert_clean(err, f"stderr of {self.args!r}")
        assert b"internal error" not in self.err, self.err.decode()


def run_main(
    *args: str, stdin: bytes = b"", stdout: TextIO | None = _BUFFER, encoding: str = "utf-8"
) -> Ran:
    """`k8squiz ARGS` through `cli.main`, with stdin, stdout and stderr as byte buffers
    (`stdout` replaces the buffer: None as when the shell closed it, or a real file)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding=encoding, write_through=True)
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = out if stdout is _BUFFER else stdout
    sys.stderr = err
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    code = exited.value.code
    return Ran(args, code if isinstance(code, int) else 1, _bytes(out), _bytes(err))


def _bytes(stream: io.TextIOWrapper) -> bytes:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()
