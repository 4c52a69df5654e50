"""A session at a terminal: panels, a progress bar, Markdown, tables and single-key ratings.

What is said is decided in `Screen`; this draws it with Rich. Deck text reaches Rich only as
`Text` or as Markdown without hyperlinks (a link shows its address), never as markup.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from k8squiz.env import Env
from k8squiz.i18n import Words
from k8squiz.terminal.console import code_spans, console, with_code
from k8squiz.terminal.escape import safe
from k8squiz.terminal.screen import Screen, Segment

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.markdown import Markdown, MarkdownElement

    from k8squiz.grading import Choice

PROMPT = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "


class RichScreen(Screen):
    """Where a session is shown at a terminal, and its answers are read."""

    plain = False

    @property
    def narrow(self) -> bool:
        return self.out.width < NARROW

    def __init__(self, env: Env, words: Words, *, to_stderr: bool = False) -> None:
        super().__init__(words, env.stdin)
        self.out = console(env, stderr=to_stderr)

    def line(self, *segments: Segment, end: str = "\n") -> None:
        self.out.print(Text.assemble(*segments), end=end)

    def buttons(self, buttons: Sequence[Sequence[Segment]]) -> None:
        shown = [Text.assemble(*button) for button in buttons]
        if sum(b.cell_len for b in shown) + 3 * (len(shown) - 1) <= self.out.width:
            super().buttons(buttons)
            return
        for button in shown:
            self.out.print(button, no_wrap=True, overflow="ellipsis")

    def markdown(self, text: str, *, title: str = "", style: str = "dim") -> None:
        body = _markdown()(safe(text.strip(), multiline=True), hyperlinks=False)
        self.out.print(
            Panel(
                body, title=title or None, title_align="left", border_style=style, padding=(0, 1)
            )
        )

    def question_box(
        self, title: str, progress: tuple[int, int] | None, body: Sequence[Segment],
        options: Sequence[Choice],
    ) -> None:  # fmt: skip
        lines: list[RenderableType] = [Text.assemble(*body)]
        if options:
            grid = Table.grid(padding=(0, 1))  # an option that wraps stays beside its letter
            grid.add_column(no_wrap=True, style="bold cyan")
            grid.add_column(overflow="fold")  # a long URL breaks, never cut short
            for i, option in enumerate(options):
                grid.add_row(f"{chr(97 + i)})", Text(safe(option.shown)))
            lines += [Text(""), grid]
        self.out.print()
        self.out.print(_header(title, progress, self.out.width))
        self.out.print(Panel(Group(*lines), border_style="cyan", padding=(1, 2)))

    def _question_text(self, question: str) -> list[Segment]:
        """`code` spans (in backticks) shown as code."""
        return code_spans(safe(question))

    def table(
        self,
        title: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        compact: bool = False,
    ) -> None:
        table = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
        for i, column in enumerate(columns):
            if compact:  # a name and its figure
                table.add_column(column, justify="right" if i else "left")
            else:  # prose: the first column gets the most room
                table.add_column(column, ratio=3 if i == 0 else 2)
        for row in rows:
            table.add_row(*(with_code(cell) for cell in row))
        self.out.print(table)

    def read_line(self, prompt: str) -> str:
        """One line of input, with line editing; EOFError at ^D, KeyboardInterrupt at ^C."""
        _line_editing()
        answer = self.out.input(Text(prompt + PROMPT, style="bold cyan"))
        if not answer and "readline" in sys.modules:
            # readline, not told of the prompt Rich drew, ends an empty line without moving
            # to the next: what comes next would follow the prompt on its line.
            self.out.print()
        return self._within_limit(answer)

    def read_key(self, prompt: str, keys: str) -> str:
        """One of `keys` (or Enter) as a single key press."""
        self.out.print(Text(prompt + PROMPT, style="bold cyan"), end="")
        while True:
            key = _getchar().lower()  # raises KeyboardInterrupt on ^C and EOFError on ^D
            if key in keys or key in ("\r", "\n"):
                self.out.print(key if key.strip() else "")
                return key.strip()


BAR = 20  # columns of the progress bar beside a question's title
NARROW = 60  # below this, figures are listed a line each instead of in a table


def _header(title: str, progress: tuple[int, int] | None, width: int) -> RenderableType:
    """The title, and a progress bar beside it when both fit on one line (the title says
    "question 3 of 10" already, so a narrow terminal loses nothing without the bar)."""
    shown = Text(title, style="bold")
    if progress is None or shown.cell_len + BAR + 3 > width:
        return shown
    done, total = progress
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=1)
    grid.add_column(width=BAR + 2)
    grid.add_row(shown, ProgressBar(total=max(total, 1), completed=done, width=BAR))
    return grid


@cache
def _markdown() -> type[Markdown]:
    """Rich's Markdown (slow to import: loaded once an answer is shown), with code blocks
    set off by the paragraph's own blank line rather than two more of their own."""
    from rich.markdown import CodeBlock, Markdown
    from rich.syntax import Syntax

    class Code(CodeBlock):
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            code = str(self.text).rstrip()
            yield Syntax(code, self.lexer_name, theme=self.theme, word_wrap=True, padding=(0, 1))

    class Compact(Markdown):
        elements: ClassVar[dict[str, type[MarkdownElement]]] = {
            **Markdown.elements,
            "fence": Code,
            "code_block": Code,
        }

    return Compact


def _line_editing() -> None:
    """Arrow keys, history and Ctrl-A/E while typing an answer (readline, where Python has it)."""
    with contextlib.suppress(ImportError):  # Windows has no readline
        import readline  # noqa: F401 - importing it is what turns line editing on


def _getchar() -> str:
    import typer

    return typer.getchar(echo=False)
