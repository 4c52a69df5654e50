"""The one escaping function: every string that came from a file or a user passes through
`safe` before a terminal or a CI log sees it.

Deck text, card ids, file names, keys a deck author typed, a progress file's strings and a
learner's answers are data. A terminal would act on their control characters (ESC starts
sequences that move the cursor, set the title or write the clipboard) and hide or reorder text
around invisible and direction-changing characters. `safe` shows each of them as a visible
escape (`\\u001b`, `\\u202e`), so the text reads as what it is and can do nothing. The escapes
are JSON's own, so a JSON document passed through `safe` is still the same JSON.
"""

from __future__ import annotations

from bisect import bisect_right

from k8squiz.decks.problems import UNSAFE

ESCAPE_ERRORS = "k8squiz-escape"  # a codec error handler: see `register_escape_errors`
_STARTS = tuple(low for low, _ in UNSAFE)  # UNSAFE is sorted and its ranges do not overlap


def _escape(code: int) -> str:
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # JSON writes astral characters as a pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def _unsafe(char: str, multiline: bool) -> bool:
    if char in "\t\n":
        return not multiline
    code = ord(char)
    at = bisect_right(_STARTS, code) - 1
    return at >= 0 and code <= UNSAFE[at][1]


def safe(text: str, *, multiline: bool = False) -> str:
    """`text` with every control or invisible character shown as an escape.

    On one line (the default) tabs and new lines are escaped too, so a name cannot forge a
    second line of a report; `multiline` keeps them for explanations and other blocks.
    """
    if text.isascii() and text.isprintable():  # nothing to escape: the common case, fast
        return text
    # A str.translate table of just the characters this text holds: one pass in C, without
    # building a table of every unsafe code point (thousands) or compiling a regex of them.
    found = {ord(char): _escape(ord(char)) for char in set(text) if _unsafe(char, multiline)}
    return text.translate(found) if found else text


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    """What a stream writes for characters its encoding lacks: the same visible escapes."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    shown = "".join(_escape(ord(char)) for char in error.object[error.start : error.end])
    return shown, error.end


def register_escape_errors() -> None:
    """Make `errors="k8squiz-escape"` available to streams: a character the output's encoding
    cannot write (any non-ASCII one under PYTHONIOENCODING=ascii, a lone surrogate under
    UTF-8) is written as its escape, `\\u00e9`, instead of stopping k8squiz."""
    import codecs

    codecs.register_error(ESCAPE_ERRORS, _escape_unencodable)
