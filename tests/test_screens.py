"""What the session screens show, in both languages, on a pipe and at a terminal."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from k8squiz.decks.model import Card, CardTranslation
from k8squiz.env import Env
from k8squiz.grading import Choice
from k8squiz.i18n import Words
from k8squiz.modes.exam import Board
from k8squiz.modes.quiz import Question
from k8squiz.terminal.exam_screen import ExamView
from k8squiz.terminal.rich_screen import RichScreen
from k8squiz.terminal.screen import PlainScreen, unwrapped
from tests._builders import TRUE_FALSE
from tests.conftest import CLI

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
CODE = Card(
    id="code",
    question="Which port?",
    answer="6443",
    explanation="The secure port.\n\n```yaml\nport: 6443\n```\nAfter the code.",
)
LIST = Card(
    id="etcd-ports",
    question="Which two ports does etcd use?",
    answer=("2379", "2380"),
    explanation="Clients and peers.",
    translations={
        "pt-BR": CardTranslation(question="Quais portas o etcd usa?", explanation="Clientes.")
    },
)


def test_a_missed_true_false_card_shows_its_answer_in_portuguese(cli: CLI, tmp_path: Path) -> None:
    """In a pt-BR quiz the missed list says `falso`, not `false`."""
    deck = tmp_path / "truths.yaml"
    deck.write_text(TRUE_FALSE.lstrip(), encoding="utf-8")
    run = cli("quiz", "--deck", str(deck), "--topic", "truths", "--lang", "pt-BR", stdin="v\n")
    assert "-> falso" in run.out
    assert "-> false" not in run.out


def test_a_true_card_translated_as_verdadeiro_is_shown_as_verdadeiro(
    cli: CLI, tmp_path: Path
) -> None:
    """A translation may spell the answer itself; the missed list still says the truth."""
    deck = tmp_path / "truths.yaml"
    deck.write_text(
        TRUE_FALSE.replace('answer: "false"', 'answer: "true"')
        .replace("Secrets são", "Pods são")
        .replace(
            "        explanation: Só em base64.",
            "        answer: verdadeiro\n        explanation: Só.",
        )
        .lstrip(),
        encoding="utf-8",
    )
    run = cli("quiz", "--deck", str(deck), "--topic", "truths", "--lang", "pt-BR", stdin="f\n")
    assert "-> verdadeiro" in run.out
    assert "-> falso" not in run.out


def test_a_pipe_shows_code_without_the_markdown_fences(cli: CLI, tmp_path: Path) -> None:
    """Plain output prints the code of an explanation, not the ``` lines around it."""
    deck = tmp_path / "truths.yaml"
    deck.write_text(TRUE_FALSE.lstrip(), encoding="utf-8")
    run = cli("quiz", "--deck", str(deck), "--topic", "truths", stdin="f\n")
    assert "kind: EncryptionConfiguration" in run.out
    assert "```" not in run.out


def test_a_code_block_in_a_panel_has_one_blank_line_around_it() -> None:
    """At a terminal, a code block is set off by one blank line, not two."""
    out = io.StringIO()
    screen = RichScreen(Env(stdout=out, environ={"NO_COLOR": "1", "COLUMNS": "60"}), Words())
    screen.out.width = 60
    screen.markdown(CODE.explanation)
    lines = [line.strip("│ ") for line in out.getvalue().splitlines()[1:-1]]
    code = lines.index("port: 6443")
    assert lines[code - 2 : code + 3] == [
        "The secure port.",
        "",
        "port: 6443",
        "",
        "After the code.",
    ]


def test_reasons_in_a_table_read_as_sentences() -> None:
    """A YAML block's line breaks are not the author's: paragraphs join into one line each."""
    reason = "8080 was the old\ninsecure port.\n\nIt is gone since\n1.24."
    assert unwrapped(reason) == "8080 was the old insecure port.\nIt is gone since 1.24."


def test_a_list_card_says_to_name_every_item() -> None:
    """A list card has no options under --choices: its prompt says to type every item."""
    out = io.StringIO()
    screen = PlainScreen(Words("pt-BR"), io.StringIO("2379, 2380\n"), out)
    question = Question(1, LIST, "ports")
    assert screen.read_answer(question) == "2379, 2380"
    assert "diga cada item, separados por vírgulas" in out.getvalue()


def test_an_option_that_wraps_stays_beside_its_letter() -> None:
    """At a narrow terminal a long option wraps under its own text, not under the letters,
    and a word longer than the line (a URL) is broken, never cut short."""
    out = io.StringIO()
    screen = RichScreen(Env(stdout=out, environ={"NO_COLOR": "1", "COLUMNS": "40"}), Words())
    screen.out.width = 40
    url = "https://prometheus-community.github.io/helm-charts"
    options = (
        Choice(shown="minikube stop", original="minikube stop"),
        Choice(shown=f"helm repo add prometheus-community {url}", original="helm repo add"),
    )
    screen.question(Question(1, CODE, "commands", options), total=1)
    lines = [line.strip("│").rstrip() for line in out.getvalue().splitlines()]
    first = next(i for i, line in enumerate(lines) if line.lstrip().startswith("b) "))
    indent = lines[first].index("b) ") + len("b) ")
    wrapped = lines[first + 1 : first + 4]
    assert all(line[:indent].strip() == "" and line[indent:].strip() for line in wrapped)
    assert "".join(line.strip() for line in wrapped).endswith(url)
    assert "\N{HORIZONTAL ELLIPSIS}" not in out.getvalue()


@pytest.mark.parametrize(
    ("width", "lang", "shown"),
    [
        (90, "en", " KCNA · 2:59 left · 1/2 answered · 1 flagged · :h help"),
        (40, "en", " KCNA · 2:59 left · 1/2 answered"),
        (40, "pt-BR", " KCNA · faltam 2:59 · 1/2 respondidas"),
        (20, "en", " KCNA · 2:59 left"),
    ],
)
def test_the_exam_status_line_keeps_what_matters_on_a_narrow_terminal(
    width: int, lang: str, shown: str
) -> None:
    """The countdown row drops the help key, then the flags, then the answers, never cutting
    one short, and the time left always stays (at 40 columns it used to end "0/2 respondidas
    ·" mid-word)."""
    view = ExamView(PlainScreen(Words(lang), io.StringIO(), io.StringIO()), lambda: NOW)
    view.cert = "KCNA"
    board = Board(2, frozenset({1}), frozenset({1}), timedelta(minutes=2, seconds=59))
    assert view._status_text(board)(board.left, width - 1) == shown


@pytest.mark.parametrize("width", [40, 90])
def test_a_questions_title_stays_on_one_line(width: int) -> None:
    """The topic and "question 2 of 3" stay on one line: beside the progress bar when both
    fit, alone on a narrow terminal (the bar used to push the title onto two lines)."""
    out = io.StringIO()
    screen = RichScreen(Env(stdout=out, environ={"NO_COLOR": "1", "COLUMNS": str(width)}), Words())
    screen.out.width = width
    screen.question(Question(2, CODE, "commands"), total=3)
    title = next(line for line in out.getvalue().splitlines() if line.strip())
    assert title.startswith("commands · question 2 of 3")
    assert ("━" in title) is (width >= 60)


@pytest.mark.parametrize("width", [40, 100])
def test_rating_keys_are_never_cut_in_two(width: int) -> None:
    """The four rating keys share a line when it holds them, else take one line each; a
    label ("2 Difícil · 6min") is never broken across lines."""
    out = io.StringIO()
    words = Words("pt-BR")
    screen = RichScreen(Env(stdout=out, environ={"NO_COLOR": "1"}), words)
    screen.out.width = width
    labels = ["1 De novo · 1min", "2 Difícil · 6min", "3 Bom · 10min", "4 Fácil · 3,6 meses"]
    screen.buttons([[(label, "bold")] for label in labels])
    lines = out.getvalue().splitlines()
    assert len(lines) == (1 if width == 100 else 4)
    assert all(any(label in line for line in lines) for label in labels)


def test_code_in_a_table_is_drawn_as_code_not_as_backticks() -> None:
    """A question's `code` spans in a table (the missed questions, the weakest cards) are
    drawn as code, as in the question's panel; an unmatched backtick stays as written."""
    out = io.StringIO()
    screen = RichScreen(Env(stdout=out, environ={"NO_COLOR": "1"}), Words())
    screen.out.width = 100
    screen.table("Missed", ["Question", "Answer"], [["Scale `web` to 3", "it's `odd"]])
    text = out.getvalue()
    assert "Scale web to 3" in text
    assert "it's `odd" in text
