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

from functools import cache

# C0 and C1 controls, DEL; invisible and direction-changing characters: the soft hyphen,
# zero-width and bidi marks, line and paragraph separators, word joiner and invisible
# operators, bidi embeddings, overrides and isolates, fillers, variation selectors, the byte
# order mark, interlinear annotations and tag characters.
_UNSAFE = (
    (0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x61C, 0x61C), (0x115F, 0x1160),
    (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0xE0000, 0xE007F),
)  # fmt: skip


def _escape(code: int) -> str:
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # JSON writes astral characters as a pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


@cache
def _table(multiline: bool) -> dict[int, str]:
    """A str.translate table: one pass in C, built on first use (a regex of these ranges
    costs more to compile than most runs spend escaping)."""
    table = {code: _escape(code) for low, high in _UNSAFE for code in range(low, high + 1)}
    if not multiline:
        table.update({ord("\t"): _escape(ord("\t")), ord("\n"): _escape(ord("\n"))})
    return table


def safe(text: str, *, multiline: bool = False) -> str:
    """`text` with every control or invisible character shown as an escape.

    On one line (the default) tabs and new lines are escaped too, so a name cannot forge a
    second line of a report; `multiline` keeps them for explanations and other blocks.
    """
    if text.isascii() and text.isprintable():  # nothing to escape: the common case, fast
        return text
    return text.translate(_table(multiline))
