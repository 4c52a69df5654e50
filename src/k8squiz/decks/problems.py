"""Deck problems and the registry of the rules that find them, as data.

Every check (reading, shape, rules) reports through `problem`, which takes a problem's
severity from its rule, so `k8squiz validate --rules` lists exactly what is checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from msgspec import Struct

from k8squiz.i18n import Said, Words

Severity = Literal["error", "warning"]


class Problem(Struct, frozen=True):
    """Something wrong in a deck file, where it is, and how bad."""

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = "error"
    card: str = ""

    def __str__(self) -> str:
        card = f" [{self.card}]" if self.card else ""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}{card}"


class Rule(Struct, frozen=True):
    """One thing `validate` checks, as listed by `k8squiz validate --rules`."""

    code: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("unreadable", "error", "the file can be opened and read"),
        Rule("file-too-large", "error", "a deck file is at most 16 MiB"),
        Rule("encoding", "error", "deck files are UTF-8"),
        Rule("empty", "error", "a deck file is not empty"),
        Rule("yaml-syntax", "error", "the file is valid YAML"),
        Rule("multiple-documents", "error", "a file holds one YAML document"),
        Rule("nesting", "error", "nesting is at most 32 levels deep"),
        Rule("alias-bomb", "error", "aliases do not expand to millions of nodes"),
        Rule("yaml-tag", "error", "no YAML tags such as !!python/...: every scalar is text"),
        Rule("control-character", "error", "no control characters or escape sequences in text"),
        Rule(
            "invisible-character",
            "error",
            "no invisible or direction-changing characters (zero-width, bidi, BOM) in text",
        ),
        Rule("shape", "error", "the file is a mapping with a title and a list of cards"),
        Rule("missing-key", "error", "required keys are present"),
        Rule("empty-value", "error", "required text is not empty or blank"),
        Rule("type", "error", "each key holds text, a list or a mapping, as the format says"),
        Rule("unknown-key", "error", "no unknown keys (with a did-you-mean)"),
        Rule("duplicate-key", "error", "no key appears twice in one mapping"),
        Rule("format", "error", "ids, topics and tags are lowercase-kebab; sources are URLs"),
        Rule("unknown-language", "error", "translations use a language k8squiz knows (pt-BR)"),
        Rule("duplicate-id", "error", "card ids are unique across every loaded deck"),
        Rule("duplicate-topic", "error", "topics are unique across every loaded deck"),
        Rule("list-answer", "error", "list items are distinct and contain no separators"),
        Rule("accept", "error", "accept fits the answer: a list, or item -> alternatives"),
        Rule("accept-redundant", "warning", "accept does not repeat the answer"),
        Rule("accept-generic", "warning", "no accepted answer is one generic word (level, mode)"),
        Rule("choices", "error", "choices are distinct wrong options, never the answer"),
        Rule("translation", "error", "a translated answer or choices keep the card's shape"),
        Rule("mistake-accepted", "error", "a known mistake is never graded correct"),
        Rule("mistake-repeat", "error", "a known mistake is listed once"),
        Rule("near-duplicate", "warning", "no two questions use the same words"),
        Rule("missing-source", "warning", "a bundled card cites its official source"),
        Rule("missing-translation", "warning", "bundled decks, cards and mistakes have pt-BR"),
        Rule(
            "stale",
            "warning",
            "a bundled card was checked against one of the last three Kubernetes releases",
        ),
        Rule("no-decks", "error", "a folder given to validate holds deck files"),
        Rule(
            "command",
            "error",
            "a command runs a tool k8squiz knows, with known subcommands and flags",
        ),
        Rule(
            "command-alternative",
            "warning",
            "a command's alternatives are other commands, not spellings it already accepts",
        ),
        Rule(
            "command-optional", "error", "a command's optional entries are flags of its subcommand"
        ),
        Rule(
            "command-accept", "error", "a command card takes alternatives, not accept or choices"
        ),
        Rule(
            "unknown-domain",
            "error",
            "domains name a certification (kcna, cka, ckad) and domain ids of its curriculum",
        ),
        Rule(
            "thin-domain",
            "warning",
            "bundled decks give each curriculum domain the cards a full mock exam draws",
        ),
    )
}


def problem(path: str, line: int, col: int, code: str, message: str, *, card: str = "") -> Problem:
    """A problem with the severity its rule gives it."""
    return Problem(text_path(path), line, col, code, message, RULES[code].severity, card)


def text_path(path: str) -> str:
    """A path as text any output can hold: a name's bytes that are not UTF-8 (which Python
    keeps as lone surrogates) are shown as `\\xff`."""
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = path.encode("utf-8", "surrogateescape")  # how Python decoded the name
        except UnicodeEncodeError:
            raw = path.encode("utf-8", "backslashreplace")
        return raw.decode("utf-8", "backslashreplace")
    return path


# Characters that deck text, file names and answers must never bring to a terminal raw: C0
# and C1 controls and DEL (tab and newline are text), every format character (Unicode
# category Cf: zero-width, bidi marks, embeddings, overrides and isolates, the byte order
# mark, interlinear annotations, tag characters), the line and paragraph separators, lone
# surrogates (undecodable bytes of a file name or an argument), and every other default
# ignorable code point (soft hyphen, combining grapheme joiner, Hangul fillers, variation
# selectors): a terminal acts on the first and draws the others as nothing. Inclusive
# ranges; `terminal.escape.safe` escapes exactly these, and `validate` refuses them.
UNSAFE: tuple[tuple[int, int], ...] = (
    (0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x34F, 0x34F), (0x600, 0x605),
    (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F), (0x890, 0x891), (0x8E2, 0x8E2),
    (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x2028, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xD800, 0xDFFF), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
CONTROLS = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F))  # the part of UNSAFE that is controls
# Bidirectional formatting: marks, embeddings, overrides and isolates.
BIDI = frozenset({0x61C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})


def describe_control(char: str) -> str:
    """The message for a control character found in deck text."""
    kind = "a terminal escape sequence" if char == "\x1b" else "a control character"
    return f"U+{ord(char):04X} is {kind}; deck text is shown as typed, so remove it"


def describe_invisible(char: str) -> str:
    """The message for an invisible or direction-changing character found in deck text."""
    import unicodedata

    code = ord(char)
    name = unicodedata.name(char, "").lower()
    named = f"U+{code:04X} ({name})" if name else f"U+{code:04X}"
    if code in BIDI:
        what = "changes the direction of the text around it"
    elif code == 0xFEFF:
        what = "is a byte order mark inside the text, where it is invisible"
    else:
        what = "is invisible"
    return f"{named} {what}; deck text is shown as typed, so remove it"


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option `word` was most likely a typo of, if any is close."""
    import difflib

    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """The hint "did you mean '...'? " naming the option `word` was most likely a typo of,
    or "" when none is close (see `closest`)."""
    hint = near(word, options)
    return hint.text(Words()) if isinstance(hint, Said) else hint


def near(word: str, options: Iterable[str]) -> Said | str:
    """`did_you_mean` in the program's words, for a message shown in the learner's language."""
    guess = closest(word, options)
    return Said("did_you_mean", {"name": guess}) if guess else ""
