"""`--help` follows the learner's language: --lang, then K8SQUIZ_LANG, then the locale."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import typer.main

import k8squiz.cli
from k8squiz.cli.app import COMMAND_ORDER
from k8squiz.cli.commands import app
from k8squiz.terminal.help import HELP_PT, help_texts
from tests.conftest import CLI


def test_every_help_text_has_a_brazilian_portuguese_translation() -> None:
    """Each command's and option's help, as Typer builds it, is in the translation table."""
    missing = [
        text
        for text in help_texts(typer.main.get_command(app))
        if " ".join(text.split()) not in HELP_PT
    ]
    assert missing == []


def test_every_translation_is_of_a_help_text_k8squiz_has() -> None:
    """No translation is left behind by a help text that changed: each one is a text of the
    commands (a docstring or a help=, read from their source, since older Typer releases do
    not keep an argument's help) or one Typer adds itself."""
    shown = {" ".join(text.split()) for text in help_texts(typer.main.get_command(app))}
    written = {
        " ".join(node.value.split())
        for module in Path(k8squiz.cli.__file__).parent.glob("*.py")
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert [text for text in HELP_PT if text not in shown | written] == []


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param(["quiz", "--help", "--lang", "pt-BR"], {}, id="option"),
        pytest.param(["quiz", "--help"], {"K8SQUIZ_LANG": "pt-BR"}, id="variable"),
        pytest.param(["quiz", "--help"], {"LANG": "pt_BR.UTF-8"}, id="locale"),
    ],
)
def test_a_commands_help_is_in_portuguese(cli: CLI, args: list[str], env: dict[str, str]) -> None:
    """The command's description, every option and the frame read in pt-BR."""
    run = cli(*args, env=env)
    assert run.code == 0
    text = " ".join(run.out.split())
    assert text.startswith("Uso: k8squiz quiz")
    assert "Um quiz com nota" in text
    assert "Quantas perguntas. [padrão: 10" in text
    assert "Mostra esta mensagem e sai." in text
    assert "How many" not in text


def test_the_command_list_is_in_portuguese(cli: CLI) -> None:
    """`k8squiz --help` lists every command with a Portuguese summary, and the exit codes."""
    run = cli("--help", env={"K8SQUIZ_LANG": "pt-BR"})
    text = " ".join(run.out.split())
    assert "Comandos:" in run.out
    assert "validate Confere baralhos" in text
    assert "Códigos de saída: 0 ok" in text


def test_english_help_is_unchanged(cli: CLI) -> None:
    """Without a Portuguese setting the help stays English."""
    run = cli("quiz", "--help")
    assert run.out.startswith("Usage: k8squiz quiz")
    assert "How many questions." in run.out


def _listed(out: str) -> list[str]:
    """The rows of a help's command list."""
    section = re.search(r"^(?:Commands|Comandos):\n(.*?)(?:\n\n|\Z)", out, re.M | re.S)
    assert section is not None, out
    return section.group(1).splitlines()


@pytest.mark.parametrize("lang", ["en", "pt-BR"])
@pytest.mark.parametrize(
    "group", [[], ["progress"], ["export"]], ids=["k8squiz", "progress", "export"]
)
def test_a_command_list_shows_each_summary_whole(cli: CLI, lang: str, group: list[str]) -> None:
    """At 80 columns each command's one-line summary is whole in both languages: nine of the
    eleven used to be cut off with "..."."""
    run = cli(*group, "--help", env={"K8SQUIZ_LANG": lang, "COLUMNS": "80"})
    assert run.code == 0, run.err
    rows = _listed(run.out)
    assert rows
    assert [row for row in rows if row.endswith("...") or len(row.split()) < 3] == []


def test_the_sessions_come_first_in_the_command_list(cli: CLI) -> None:
    """A learner reads quiz, study and exam first and the deck authors' tools last; every
    command has its place in that order."""
    names = [row.split()[0] for row in _listed(cli("--help").out)]
    assert names[:3] == ["quiz", "study", "exam"]
    assert names[-2:] == ["validate", "schema"]
    assert sorted(names) == sorted(COMMAND_ORDER)


def test_schema_usage_names_its_two_choices(cli: CLI) -> None:
    """`schema --help` shows its argument as the choice it is, not as `[of]:<deck|output>`."""
    run = cli("schema", "--help")
    assert run.out.startswith("Usage: k8squiz schema [OPTIONS] [deck|output]\n")
