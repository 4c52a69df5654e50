"""The command line as a whole: help, version, exit codes, errors, terminals and languages."""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from k8squiz import __version__
from k8squiz.decks.model import KUBERNETES_RELEASE
from k8squiz.env import Env, parse_lang
from k8squiz.errors import UsageError
from k8squiz.i18n import Words
from tests.conftest import CLI, ROOT

COMMANDS = ("validate", "schema", "topics", "quiz", "study", "history", "due", "stats", "progress")


class TestHelpAndVersion:
    def test_no_arguments_shows_the_help(self, cli: CLI) -> None:
        """`k8squiz` alone lists the commands instead of doing nothing."""
        run = cli()
        assert all(command in run.out + run.err for command in COMMANDS)
        assert run.code == 2  # click's convention: no command is a usage error

    def test_help_documents_the_exit_codes(self, cli: CLI) -> None:
        """--help ends with what each exit code means, as the README does."""
        run = cli("--help")
        text = " ".join(run.out.split())
        assert "0 ok, 1 failure or problems found, 2 usage error, 130 interrupted" in text

    @pytest.mark.parametrize("command", COMMANDS)
    def test_every_command_and_option_has_help(self, cli: CLI, command: str) -> None:
        """Each command's --help describes it and every one of its options."""
        run = cli(command, "--help")
        assert run.code == 0
        options = re.findall(r"^\s+(-{1,2}[\w-]+)", run.out, re.MULTILINE)
        assert options
        for line in run.out.splitlines():
            if re.match(r"^\s+--[\w-]+", line) and "--help" not in line:
                assert len(line.split(maxsplit=1)) == 2 or line.strip().endswith("]"), line

    def test_version_names_the_data_file(self, cli: CLI, home: Path) -> None:
        """--version says which k8squiz runs and where its data lives."""
        run = cli("--version")
        assert run.code == 0
        assert f"k8squiz {__version__}" in run.out
        assert str(home / "k8squiz.db") in run.out

    def test_version_and_topics_say_how_fresh_the_bundled_cards_are(self, cli: CLI) -> None:
        """--version and topics name the Kubernetes release the cards were checked against."""
        for args in (["--version"], ["topics"]):
            shown = " ".join(cli(*args).out.split())
            assert f"checked against Kubernetes {KUBERNETES_RELEASE} or later" in shown

    def test_version_speaks_the_learners_language(self, cli: CLI) -> None:
        """--version's freshness line is in pt-BR like topics'; an unknown K8SQUIZ_LANG still
        gets the version, in English."""
        shown = " ".join(cli("--version", env={"K8SQUIZ_LANG": "pt-BR"}).out.split())
        assert f"conferidos com o Kubernetes {KUBERNETES_RELEASE} ou posterior" in shown
        odd = cli("--version", env={"K8SQUIZ_LANG": "xx"})
        assert odd.code == 0
        assert f"checked against Kubernetes {KUBERNETES_RELEASE}" in odd.out

    def test_python_dash_m_runs_the_same_program(self, cli: CLI) -> None:
        """`python -m k8squiz` and the installed `k8squiz` script print the same help."""
        script = console_script()
        for args in (["--version"], ["quiz", "--help"]):
            installed = subprocess.run(
                [str(script), *args], capture_output=True, text=True, check=True, timeout=60
            )
            assert installed.stdout == cli(*args).out
            assert installed.stdout

    def test_the_readme_quick_start_runs_a_quiz(self) -> None:
        """The k8squiz command of the README's quick start, run as written (answers piped in),
        asks ten questions on a real topic and prints the score."""
        block = quick_start_commands()
        command = next(part for part in block if "bin/k8squiz " in part)
        args = shlex.split(command)[1:]
        run = subprocess.run(
            [str(console_script()), *args],
            input="?\n" * 10,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        assert "question 10 of 10" in run.stdout
        assert "Score: 0/10" in run.stdout

    def test_the_readme_scripted_quiz_gets_every_answer_right(self, cli: CLI) -> None:
        """The README's example of a quiz answered from a pipe, run as written, asks the
        questions its answers are for (it goes stale when the ports deck changes)."""
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        line = next(line for line in readme.splitlines() if line.startswith("printf '"))
        printf, command = line.split(" | ", 1)
        answers = shlex.split(printf)[1].replace("\\n", "\n")
        args = shlex.split(command)
        assert args[0] == "k8squiz"
        run = cli(*args[1:], stdin=answers)
        assert run.code == 0, run.err
        assert f"Score: {answers.count(chr(10))}/{answers.count(chr(10))} (100%)" in run.out

    def test_the_readme_test_command_is_the_one_ci_runs(self) -> None:
        """The README's second command installs the test extra and runs pytest, like .ci/run."""
        block = quick_start_commands()
        assert any('pip install ".[test]"' in part for part in block)
        assert any(part.endswith("python -m pytest") for part in block)
        assert "python -m pytest" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def console_script() -> Path:
    """The `k8squiz` script installed beside the Python running the tests."""
    folder = Path(sys.executable).parent
    script = folder / ("k8squiz.exe" if os.name == "nt" else "k8squiz")
    assert script.exists(), f"no console script at {script}: install k8squiz first"
    return script


def quick_start_commands() -> list[str]:
    """The shell commands of the README's quick start, split at `&&`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [part.strip() for block in blocks for part in block.split("&&")]


class TestCompletion:
    def test_topics_and_tags_complete_in_the_shell(self, cli: CLI) -> None:
        """Tab after --topic co offers the topics starting with co; --tag et, the etcd tags."""

        def complete(words: str) -> list[str]:
            env = {"_K8SQUIZ_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "3"}
            return cli(env=env).out.split()

        assert complete("k8squiz quiz --topic co") == [
            "commands",
            "config-storage",
            "containers",
            "control-plane",
        ]
        assert complete("k8squiz study --tag et") == ["etcd", "etcdctl"]


class TestExitCodes:
    def test_a_bad_option_is_a_usage_error(self, cli: CLI) -> None:
        """An unknown option exits 2 and says which."""
        run = cli("quiz", "--colour")
        assert run.code == 2
        assert "--colour" in run.err

    def test_an_unknown_command_is_a_usage_error(self, cli: CLI) -> None:
        """A mistyped command exits 2."""
        assert cli("quizz").code == 2

    def test_an_expected_failure_is_one_line_without_traceback(
        self, cli: CLI, tmp_path: Path
    ) -> None:
        """A missing deck path: one line on stderr that starts with k8squiz: error:, exit 1."""
        run = cli("topics", "--deck", str(tmp_path / "nowhere"))
        assert run.code == 1
        assert run.err.startswith("k8squiz: error: ")
        assert len(run.err.strip().splitlines()) == 1
        assert "Traceback" not in run.err

    def test_debug_adds_the_traceback(self, cli: CLI, tmp_path: Path) -> None:
        """--debug shows where the error came from, then the same one line."""
        run = cli("--debug", "topics", "--deck", str(tmp_path / "nowhere"))
        assert "Traceback" in run.err
        assert run.err.strip().splitlines()[-1].startswith("k8squiz: error: ")

    def test_a_broken_clock_variable_is_explained(self, cli: CLI) -> None:
        """K8SQUIZ_NOW without a timezone is refused with an example of the right form."""
        run = cli("quiz", "-n", "1", stdin="\n", env={"K8SQUIZ_NOW": "2026-01-01 09:00"})
        assert run.code == 2
        assert "K8SQUIZ_NOW" in run.err
        assert "2026-01-31T09:00:00Z" in run.err


class TestWithoutATerminal:
    def test_no_colour_codes_in_a_pipe_or_with_no_color(self, cli: CLI) -> None:
        """Output to a pipe carries no escape sequences, NO_COLOR set or not."""
        for env in ({"NO_COLOR": "1"}, {}):
            run = cli("topics", env=env)
            assert "\x1b[" not in run.out

    @pytest.mark.parametrize("width", ["40", "60"])
    def test_a_narrow_terminal_still_shows_every_topic(self, cli: CLI, width: str) -> None:
        """At 40 or 60 columns the topics table still names every topic."""
        run = cli("topics", env={"COLUMNS": width})
        assert run.code == 0
        for topic in ("config-storage", "control-plane", "containers", "workloads"):
            assert topic in run.out

    @pytest.mark.parametrize("width", [40, 60, 80, 120])
    def test_the_topics_table_fits_the_width_without_cutting_a_word(
        self, cli: CLI, width: int
    ) -> None:
        """At any width the topics table keeps whole words and every line within the width:
        when it cannot fit it leaves out the origin of bundled decks, then the titles (at 40
        columns it showed "T…" titles and "bun/dle/d" in three rows)."""
        run = cli("topics", env={"COLUMNS": str(width)})
        lines = run.out.splitlines()
        assert all(len(line) <= width for line in lines)
        assert "\N{HORIZONTAL ELLIPSIS}" not in run.out
        header = lines[0].split()
        assert "Cards" in header
        assert ("Title" in header) is (width >= 80)
        assert "From" not in header  # every deck is bundled: the column would say nothing
        assert re.search(r"^config-storage\s+│", run.out, re.M)

    @pytest.mark.parametrize("width", [40, 80])
    @pytest.mark.parametrize("lang", ["en", "pt-BR"])
    def test_due_shows_every_heading_whole(self, cli: CLI, width: int, lang: str) -> None:
        """`due` splits its table in two rather than cut a heading ("To…" at 40 columns)."""
        run = cli("due", "--lang", lang, env={"COLUMNS": str(width)})
        assert run.code == 0, run.err
        words = Words(lang)
        for key in ("due_now_col", "due_today_col", "due_week_col", "new_col"):
            assert words(key) in run.out, key
        assert "\N{HORIZONTAL ELLIPSIS}" not in run.out
        assert all(len(line) <= width for line in run.out.splitlines())

    def test_topics_names_a_user_decks_origin(self, cli: CLI, tmp_path: Path) -> None:
        """With a deck of the learner's, the From column is back and names its path."""
        folder = tmp_path / "mine"
        folder.mkdir()
        (folder / "mine.yaml").write_text(
            "title: Mine\ncards:\n  - id: m1\n    question: Q?\n    answer: a\n"
            "    explanation: E.\n",
            encoding="utf-8",
        )
        run = cli("topics", "--deck", str(folder), env={"COLUMNS": "200"})
        assert "From" in run.out.splitlines()[0]
        assert re.search(rf"^mine\s.*{re.escape(str(folder))}", run.out, re.M)

    def test_history_json_of_a_new_learner_is_empty(self, cli: CLI) -> None:
        """A learner with no history gets a valid, empty document."""
        document = json.loads(cli("history", "--json").out)
        assert document == {"version": 1, "kind": "history", "sessions": []}

    def test_due_before_any_study_lists_every_card_as_new(self, cli: CLI) -> None:
        """`due` on a fresh data folder: nothing due, every card new."""
        run = cli("due", "--topic", "ports")
        assert run.code == 0
        assert re.search(r"ports\s+.\s+0\s+.\s+0\s+.\s+0\s+.\s+26", run.out)


class TestLanguage:
    @pytest.mark.parametrize(
        ("environ", "lang"),
        [
            ({}, "en"),
            ({"LANG": "pt_BR.UTF-8"}, "pt-BR"),
            ({"LANG": "en_US.UTF-8", "LC_ALL": "pt_BR.UTF-8"}, "pt-BR"),
            ({"LANG": "pt_BR.UTF-8", "K8SQUIZ_LANG": "en"}, "en"),
            ({"LANG": "de_DE.UTF-8"}, "en"),
            ({"LANG": "C"}, "en"),
        ],
    )
    def test_the_language_follows_k8squiz_lang_then_the_locale(
        self, environ: dict[str, str], lang: str
    ) -> None:
        """K8SQUIZ_LANG wins over the locale; an unknown locale falls back to English."""
        assert Env(environ=environ).lang() == lang

    def test_the_option_wins_over_everything(self) -> None:
        """--lang overrides K8SQUIZ_LANG and the locale."""
        assert Env(environ={"K8SQUIZ_LANG": "en"}).lang("pt-BR") == "pt-BR"

    @pytest.mark.parametrize("value", ["pt_BR", "pt-br", "pt"])
    def test_spellings_of_brazilian_portuguese(self, value: str) -> None:
        """pt_BR, pt-br and pt all mean pt-BR."""
        assert parse_lang(value, strict=True) == "pt-BR"

    def test_an_unknown_language_option_is_refused(self) -> None:
        """--lang xx is a usage error listing the languages."""
        with pytest.raises(UsageError, match="pt-BR"):
            Env(environ={}).lang("xx")

    def test_topics_in_portuguese(self, cli: CLI) -> None:
        """With the Portuguese locale, headers and deck titles are in Portuguese."""
        run = cli("topics", env={"LANG": "pt_BR.UTF-8"})
        assert "Tópico" in run.out
        assert "Portas e protocolos" in run.out


class TestSchema:
    def test_schema_is_json_with_the_deck_keys(self, cli: CLI) -> None:
        """`k8squiz schema` prints a JSON Schema describing cards and their keys."""
        schema = json.loads(cli("schema").out)
        card = schema["$defs"]["Card"]
        assert set(card["required"]) == {"id", "question", "answer", "explanation"}
        assert {"accept", "choices", "mistakes", "translations", "tags", "source"} <= set(
            card["properties"]
        )


@pytest.mark.parametrize(
    "args",
    [
        ["quiz", "-c", "kcna", "-n", "1"],
        ["study", "-c", "kcna", "-n", "1"],
        ["exam", "-c", "kcna", "-n", "1"],
        ["stats", "-c", "kcna"],
        ["export", "anki", "-c", "kcna", "-o", "{tmp}/cards.apkg"],
    ],
    ids=lambda args: args[0] if args[0] != "export" else "export-anki",
)
def test_the_same_short_flags_everywhere(cli: CLI, tmp_path: Path, args: list[str]) -> None:
    """-c is --cert in every command that takes one, and -n is how many (questions, cards,
    sessions) wherever there is a count: `study -n 5` and `quiz -c kcna` used to fail."""
    run = cli(*(arg.replace("{tmp}", str(tmp_path)) for arg in args), stdin="\n1\n")
    assert run.code == 0, run.err


@pytest.mark.parametrize(
    ("args", "english", "portuguese"),
    [
        (
            ["quiz", "--topic", "port"],
            "unknown topic 'port'; did you mean 'ports'?",
            "tópico desconhecido 'port'; você quis dizer 'ports'?",
        ),
        (
            ["quiz", "--domain", "storage"],
            "--domain needs --cert (add --cert cka)",
            "--domain precisa de --cert (acrescente --cert cka)",
        ),
        (
            ["quiz", "--topic", "helm", "--tag", "etcd"],
            "no card matches these topics and tags (see 'k8squiz topics --tags')",
            "nenhum card corresponde a estes tópicos e tags (veja 'k8squiz topics --tags')",
        ),
        (
            ["stats", "--on", "2026-06-01"],
            "--on needs --cert",
            "--on precisa de --cert",
        ),
        (["quiz", "--missed"], "no missed card to quiz", "nenhum card errado para o quiz"),
    ],
    ids=["topic", "domain", "selection", "on", "missed"],
)
def test_an_error_is_in_the_learners_language(
    cli: CLI, args: list[str], english: str, portuguese: str
) -> None:
    """k8squiz's own error lines follow --lang like its other words (they were English only)."""
    for lang, expected, prefix in (("en", english, "error"), ("pt-BR", portuguese, "erro")):
        run = cli(*args, "--lang", lang)
        assert run.code in (1, 2), run.err
        assert run.err.startswith(f"k8squiz: {prefix}: "), run.err
        assert expected in run.err


def test_a_usage_error_from_click_is_in_portuguese_too(cli: CLI) -> None:
    """Click's own lines (a bad option, a bad value) follow the language of the help."""
    for args in (["quiz", "--bogus"], ["quiz", "-n", "x"], ["exam"]):
        run = cli(*args, env={"K8SQUIZ_LANG": "pt-BR"})
        assert run.code == 2
        assert run.err.startswith(f"Uso: k8squiz {args[0]}")
        assert re.search(rf"Veja 'k8squiz {args[0]} (-h|--help)' para a ajuda\.", run.err)
        assert "Erro: " in run.err
        assert "Try " not in run.err
        assert "Error: " not in run.err


def test_every_error_key_is_in_the_words() -> None:
    """Each Said("key") written in the source has its English and Portuguese words."""
    from k8squiz.i18n import MESSAGES

    keys = set()
    for module in (ROOT / "src" / "k8squiz").rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Said":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant):
                    keys.add(first.value)
    keys |= {"unknown_topic", "unknown_tag", "no_card_serves", "no_card_serves_domains"}
    assert len(keys) > 15
    assert sorted(keys - set(MESSAGES)) == []
