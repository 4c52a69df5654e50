"""Deck text as HTML for exports: always escaped, never trusted as markup.

Deck text is data. A question is plain text with `code` spans; an explanation or a mistake's
reason is Markdown, rendered with raw HTML turned off so `<script>` arrives as text. Square
brackets are written as an entity too: readers such as Anki turn `[sound:...]`, `[latex]` and
`[anki:tts]` in a field into media, and a deck must not be able to ask for any.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def escape(text: str) -> str:
    """HTML that shows exactly `text`."""
    return _brackets(html.escape(text, quote=True))


def inline(text: str) -> str:
    """A question: plain text where `code` spans (in backticks) are shown as code."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code span at all
        return escape(text)
    return "".join(
        f"<code>{escape(part)}</code>" if i % 2 else escape(part) for i, part in enumerate(parts)
    )


def code_block(text: str) -> str:
    return f"<pre><code>{escape(text)}</code></pre>"


def bullets(items: Iterable[str]) -> str:
    """A list of HTML snippets (already escaped) as an HTML list."""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def markdown(text: str) -> str:
    """Deck Markdown as HTML: CommonMark with code blocks; raw HTML and images shown as text."""
    return _brackets(_markdown_it().render(text)).strip()


@cache
def _markdown_it() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # "html": False escapes raw HTML; images would fetch from anywhere, so they stay text;
    # links to javascript:, vbscript:, file: and data: are refused by markdown-it itself.
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def _brackets(markup: str) -> str:
    return markup.replace("[", "&#91;").replace("]", "&#93;")
