"""`k8squiz quiz` end to end: the real CLI, answers from a pipe or a pseudo-terminal."""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from tests._builders import TRUE_FALSE
from tests.conftest import CLI

PROMPT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"  # ends every prompt at a terminal

MINI = """
title: Mini
topic: mini
cards:
  - id: mini-apiserver-port
    question: Which TCP port does kube-apiserver listen on by default?
    answer: "6443"
    explanation: The API server serves the Kubernetes API over HTTPS on 6443.
    mistakes:
      - answer: "8080"
        reason: 8080 was the old insecure port; it was removed in v1.24.
        translations:
          pt-BR:
            reason: A 8080 era a antiga porta insegura; foi removida na v1.24.
    translations:
      pt-BR:
        question: Em qual porta TCP o kube-apiserver escuta por padrão?
        explanation: O API server serve a API do Kubernetes via HTTPS na 6443.
  - id: mini-node-agent
    question: Which agent runs on every node and starts the Pod's containers?
    answer: kubelet
    choices: [kubectl, kube-proxy, kubeadm]
    explanation: The kubelet is the node agent.
  - id: mini-etcd-ports
    question: Which TCP ports does etcd use for clients and peers?
    answer: 2379-2380
    explanation: 2379 for clients, 2380 for peers.
"""
MARKUP = """
title: Markup
topic: markup
cards:
  - id: markup-literal
    question: "[bold red]Is this[/] shown as typed? Answer \\e[31m literally."
    answer: "[yes]"
    explanation: "Deck text is data: [link=https://example.com]not a link[/link]."
"""


@pytest.fixture
def mini(write_deck: Callable[..., Path]) -> Path:
    return write_deck(MINI, "mini.yaml")


def quiz(cli: CLI, deck: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return cli("quiz", "--deck", str(deck), "--topic", "mini", *args, stdin=stdin, env=env)


def asked(out: str) -> list[str]:
    """What a plain quiz showed of each question: its text and its options, in order."""
    blocks = re.findall(r"^\[[^\n]* question \d+ of \d+\]\n(.*?)^Your answer", out, re.M | re.S)
    return [block.strip() for block in blocks]


def history(cli: CLI) -> list[dict[str, object]]:
    run = cli("history", "--json")
    assert run.code == 0, run.err
    sessions: list[dict[str, object]] = json.loads(run.out)["sessions"]
    return sessions


RIGHT = {
    "mini-apiserver-port": "6443",
    "mini-node-agent": "kubelet",
    "mini-etcd-ports": "2379 to 2380",
}


def order(cli: CLI, deck: Path, seed: int) -> list[str]:
    """The cards a seeded quiz asks, in order (learned from a throwaway run in another home)."""
    run = quiz(
        cli,
        deck,
        "--json",
        "--seed",
        str(seed),
        stdin="\n\n\n",
        env={"K8SQUIZ_HOME": str(deck.parent / "probe")},
    )
    return [a["card"] for a in json.loads(run.out)["answers"]]


def right_answers(cli: CLI, deck: Path, seed: int) -> str:
    return "".join(RIGHT[card] + "\n" for card in order(cli, deck, seed))


def answers_by_card(document: dict[str, object]) -> dict[str, dict[str, object]]:
    return {a["card"]: a for a in document["answers"]}  # type: ignore[attr-defined,index]


class TestFromAPipe:
    def test_each_answer_is_graded_and_saved(self, cli: CLI, mini: Path) -> None:
        """Three answers from a pipe are graded, summarised, and all three are in the history."""
        run = quiz(cli, mini, "--seed", "5", stdin="6443\nkubelet\n2379 to 2380\n")
        assert run.code == 0, run.err
        assert "Score:" in run.out
        [session] = history(cli)
        assert session["answered"] == 3
        assert {a["given"] for a in session["answers"]} == {"6443", "kubelet", "2379 to 2380"}  # type: ignore[attr-defined]

    def test_output_without_a_terminal_is_plain_text(self, cli: CLI, mini: Path) -> None:
        """No colour codes, no boxes: each question, the answer read, and the verdict as lines."""
        run = quiz(cli, mini, "-n", "1", stdin="6443\n", env={"NO_COLOR": ""})
        assert "\x1b[" not in run.out
        assert "╭" not in run.out
        assert "Your answer (Enter or ? shows the answer): " in run.out

    def test_the_end_of_input_ends_the_quiz_and_keeps_what_was_answered(
        self, cli: CLI, mini: Path
    ) -> None:
        """A pipe that closes after one answer: exit 0, a partial summary, one answer saved."""
        run = quiz(cli, mini, stdin="6443\n")
        assert run.code == 0, run.err
        assert "Stopped after 1 of 3" in run.out
        assert history(cli)[0]["answered"] == 1

    def test_an_empty_answer_or_a_question_mark_reveals_and_counts_wrong(
        self, cli: CLI, mini: Path
    ) -> None:
        """Enter or ? shows the answer; the card counts as missed."""
        run = quiz(cli, mini, "--json", stdin="\n?\n\n")
        document = json.loads(run.out)
        assert document["correct"] == 0
        assert all(a["revealed"] for a in document["answers"])

    def test_a_known_mistake_is_explained(self, cli: CLI, mini: Path) -> None:
        """Typing 8080 for the API server's port is wrong, and the reason is shown."""
        run = quiz(
            cli,
            mini,
            "-n",
            "3",
            "--seed",
            "1",
            "--json",
            stdin="8080/tcp\n" * 3,
        )
        document = json.loads(run.out)
        answer = answers_by_card(document)["mini-apiserver-port"]
        assert answer["correct"] is False
        assert answer["mistake"] == "8080"
        assert "old insecure port" in run.err


class TestJson:
    def test_the_result_is_one_versioned_document(self, cli: CLI, mini: Path) -> None:
        """--json prints one document with a version key and every answer."""
        run = quiz(cli, mini, "--json", "--seed", "2", stdin=right_answers(cli, mini, 2))
        document = json.loads(run.out)
        assert document["version"] == 1
        assert document["kind"] == "quiz"
        assert (document["answered"], document["planned"], document["seed"]) == (3, 3, 2)
        for answer in document["answers"]:
            assert set(answer) >= {"card", "given", "correct"}
        assert document["correct"] == 3

    def test_questions_go_to_stderr_so_stdout_stays_json(self, cli: CLI, mini: Path) -> None:
        """With --json, stdout parses as JSON and the questions are on stderr."""
        run = quiz(cli, mini, "--json", "-n", "1", stdin="x\n")
        json.loads(run.out)
        assert "question 1 of 1" in run.err


class TestSelection:
    def test_the_same_seed_asks_in_the_same_order(self, cli: CLI) -> None:
        """--seed makes a quiz repeatable, and another seed asks another quiz (10 of the 26
        ports cards: a broken seed would repeat an order by chance less than once in 10^13)."""

        def asked(seed: str) -> list[str]:
            run = cli("quiz", "--topic", "ports", "--seed", seed, "--json", stdin="\n" * 10)
            return [a["card"] for a in json.loads(run.out)["answers"]]

        first = asked("9")
        assert len(first) == 10
        assert asked("9") == first
        assert asked("10") != first

    def test_the_seed_hint_asks_the_same_questions_again(
        self, cli: CLI, write_deck: Callable[..., Path], tmp_path: Path
    ) -> None:
        """The summary's command for asking a quiz again keeps what selected the questions
        (topic, count, decks, multiple choice): pasted into a shell, it asks the same
        questions with the same options in the same order. A bare `quiz --seed N` would draw
        ten from every topic."""
        write_deck(MINI, "mini.yaml", folder=tmp_path / "my decks")
        args = ("quiz", "--deck", str(tmp_path / "my decks"), "-t", "ports", "-t", "mini")
        first = cli(*args, "-n", "4", "--choices", stdin="\n" * 4)
        hint = next(line for line in first.out.splitlines() if line.startswith("seed "))
        command = shlex.split(
            hint.split(": ", 1)[1].removesuffix(" asks the same questions again")
        )
        assert command[0] == "k8squiz"
        again = cli(*command[1:], stdin="\n" * 4)
        assert again.code == 0, again.err
        assert asked(again.out) == asked(first.out)
        assert len(asked(first.out)) == 4

    def test_count_limits_the_questions(self, cli: CLI, mini: Path) -> None:
        """-n 2 asks two questions."""
        document = json.loads(quiz(cli, mini, "-n", "2", "--json", stdin="\n\n\n").out)
        assert document["planned"] == 2

    def test_missed_asks_the_cards_missed_last_time(self, cli: CLI, mini: Path) -> None:
        """--missed quizzes exactly the cards answered wrong in the previous quiz."""
        asked = order(cli, mini, 3)
        wrong_first = "wrong\n" + "".join(RIGHT[card] + "\n" for card in asked[1:])
        quiz(cli, mini, "--json", "--seed", "3", stdin=wrong_first)
        missed = json.loads(quiz(cli, mini, "--missed", "--json", stdin="\n\n\n").out)
        assert [a["card"] for a in missed["answers"]] == [asked[0]]

    def test_choices_accept_a_letter(self, cli: CLI, mini: Path) -> None:
        """In multiple choice, the letter of the right option is a right answer."""
        run = quiz(
            cli,
            mini,
            "--choices",
            "--seed",
            "4",
            "-n",
            "3",
            stdin="a\nb\nc\n",
        )
        lines = run.out.splitlines()
        assert any(line.strip().startswith("a) ") for line in lines)
        assert run.code == 0

    def test_the_change_against_the_previous_quiz_on_the_same_selection(
        self, cli: CLI, mini: Path
    ) -> None:
        """The second quiz on a selection says how many points it gained."""
        quiz(cli, mini, "--seed", "1", stdin="wrong\nwrong\nwrong\n")
        run = quiz(cli, mini, "--seed", "1", "--json", stdin=right_answers(cli, mini, 1))
        document = json.loads(run.out)
        assert document["change"] == 100.0


PT_CHOICES = """
title: Choices
topic: choices
cards:
  - id: choices-container-is
    question: What is a container, in one word?
    answer: process
    choices: [virtual machine, kernel, image]
    explanation: A container is an isolated process on the host kernel.
    mistakes:
      - answer: virtual machine
        reason: Containers share the host kernel; a VM has its own.
        translations:
          pt-BR:
            reason: Containers compartilham o kernel do host; uma VM tem o seu.
    translations:
      pt-BR:
        question: O que é um container, numa palavra?
        answer: processo
        choices: [máquina virtual, kernel, imagem]
        explanation: Um container é um processo isolado no kernel do host.
"""


def test_a_translated_option_still_hits_its_known_mistake(
    cli: CLI, write_deck: Callable[..., Path]
) -> None:
    """Picking 'máquina virtual' in a pt-BR multiple-choice quiz gives the mistake's reason."""
    deck = write_deck(PT_CHOICES, "choices.yaml")
    run = cli(
        "quiz",
        "--deck",
        str(deck),
        "--topic",
        "choices",
        "--choices",
        "--lang",
        "pt-BR",
        "--json",
        stdin="máquina virtual\n",
    )
    document = json.loads(run.out)
    assert document["answers"][0]["mistake"] == "virtual machine"
    assert "Containers compartilham o kernel do host" in run.err


class TestLanguage:
    def test_portuguese_cards_and_words(self, cli: CLI, mini: Path) -> None:
        """--lang pt-BR shows the card and the program's words in Portuguese."""
        run = quiz(
            cli,
            mini,
            "--lang",
            "pt-BR",
            "-n",
            "3",
            "--seed",
            "1",
            stdin="6443\n\n\n",
        )
        assert "Em qual porta TCP o kube-apiserver escuta por padrão?" in run.out
        assert "Sua resposta" in run.out
        assert "pergunta 1 de 3" in run.out

    def test_the_locale_chooses_portuguese(self, cli: CLI, mini: Path) -> None:
        """LANG=pt_BR.UTF-8 is enough to get Portuguese."""
        run = quiz(cli, mini, "-n", "1", stdin="x\n", env={"LANG": "pt_BR.UTF-8"})
        assert "Sua resposta" in run.out

    def test_an_unknown_language_is_a_usage_error(self, cli: CLI, mini: Path) -> None:
        """--lang xx is refused with the list of languages."""
        run = quiz(cli, mini, "--lang", "xx", stdin="")
        assert run.code == 2
        assert "pt-BR" in run.err


class TestErrors:
    def test_unknown_topic_suggests_the_closest(self, cli: CLI) -> None:
        """A typo in a topic gets a did-you-mean and the list of topics, exit 2."""
        run = cli("quiz", "--topic", "prots")
        assert run.code == 2
        assert "unknown topic 'prots'; did you mean 'ports'?" in run.err
        assert "Traceback" not in run.err

    def test_unknown_tag(self, cli: CLI) -> None:
        """An unknown tag is a usage error too."""
        run = cli("quiz", "--tag", "etdc")
        assert run.code == 2
        assert "did you mean 'etcd'" in run.err

    @pytest.mark.parametrize("count", ["0", "-3"])
    def test_count_must_be_positive(self, cli: CLI, count: str) -> None:
        """-n 0 or a negative count is a usage error."""
        run = cli("quiz", "-n", count)
        assert run.code == 2
        assert "-n" in run.err

    @pytest.mark.parametrize("command", ["quiz", "study", "export anki"])
    def test_an_empty_selection_is_a_usage_error(
        self, cli: CLI, command: str, tmp_path: Path
    ) -> None:
        """A topic and a tag with no card in common are refused the same way by every command
        that selects cards: one line, exit 2 (study used to say "Nothing due", exit 0)."""
        args = [*command.split(), "--topic", "helm", "--tag", "etcd"]
        if command == "export anki":
            args += ["-o", str(tmp_path / "cards.apkg")]
        run = cli(*args)
        assert run.code == 2, run.err
        assert "no card matches these topics and tags" in run.err
        assert len(run.err.splitlines()) == 1

    def test_history_skips_a_quiz_with_no_answer_and_marks_a_missed_one(
        self, cli: CLI, mini: Path
    ) -> None:
        """A quiz left before its first answer is not history (it showed as "0/0"), and a
        --missed quiz says so instead of passing for a quiz on all topics."""
        quiz(cli, mini, "-n", "2", stdin="")
        quiz(cli, mini, "--seed", "1", stdin="wrong\nwrong\nwrong\n")
        quiz(cli, mini, "--missed", stdin="\n\n\n")
        assert [s["answered"] for s in history(cli)] == [3, 3]
        rows = [line for line in cli("history").out.splitlines() if " quiz" in line]
        assert len(rows) == 2
        assert "quiz (missed)" in rows[0]
        assert "(missed)" not in rows[1]

    def test_missed_with_nothing_missed_in_the_selection(self, cli: CLI, mini: Path) -> None:
        """--missed on a selection that holds none of the missed cards says exactly that (it
        used to claim no card was ever missed)."""
        quiz(cli, mini, "--seed", "1", stdin="wrong\nwrong\nwrong\n")
        run = cli("quiz", "--missed", "--topic", "helm", "--deck", str(mini))
        assert run.code == 1
        assert "none of the cards missed in the last quiz" in run.err
        assert "drop --topic" in run.err

    def test_missed_with_no_history(self, cli: CLI) -> None:
        """--missed before any quiz explains there is nothing missed yet."""
        run = cli("quiz", "--missed")
        assert run.code == 1
        assert "no missed card" in run.err

    def test_a_broken_deck_gives_the_validate_message(
        self, cli: CLI, write_deck: Callable[..., Path]
    ) -> None:
        """A deck error stops the quiz with file, line, card and how to see every problem."""
        bad = write_deck(
            "title: Bad\ncards:\n  - id: bad-card\n    question: Q?\n    answer: A\n", "bad.yaml"
        )
        run = cli("quiz", "--deck", str(bad))
        assert run.code == 1
        assert f"k8squiz: error: {bad}:3:5: " in run.err
        assert "[bad-card]" in run.err
        assert "k8squiz validate" in run.err
        assert len(run.err.strip().splitlines()) == 1

    def test_a_data_folder_that_cannot_be_created(
        self, cli: CLI, tmp_path: Path, mini: Path
    ) -> None:
        """K8SQUIZ_HOME under a file: one clear line, no traceback, exit 1."""
        blocker = tmp_path / "file"
        blocker.write_text("x")
        run = quiz(cli, mini, stdin="6443\n", env={"K8SQUIZ_HOME": str(blocker / "home")})
        assert run.code == 1
        assert "cannot create the data folder" in run.err
        assert "K8SQUIZ_HOME" in run.err
        assert "Traceback" not in run.err

    def test_a_file_that_is_not_our_database_is_left_alone(
        self, cli: CLI, home: Path, mini: Path
    ) -> None:
        """A foreign file at the database path is reported and never overwritten."""
        home.mkdir(parents=True)
        db = home / "k8squiz.db"
        db.write_text("my notes, not a database\n")
        run = quiz(cli, mini, stdin="6443\n")
        assert run.code == 1
        assert "not a k8squiz database" in run.err
        assert str(db) in run.err
        assert db.read_text() == "my notes, not a database\n"

    def test_debug_shows_the_traceback(self, cli: CLI) -> None:
        """--debug adds a traceback to the one-line error."""
        run = cli("--debug", "quiz", "--topic", "prots")
        assert "Traceback" in run.err
        assert "unknown topic" in run.err


class TestDeckTextIsData:
    def test_markup_and_escapes_in_a_user_deck(
        self, cli: CLI, write_deck: Callable[..., Path]
    ) -> None:
        """Rich markup is printed as typed; an escape sequence is refused by the build."""
        deck = write_deck(MARKUP, "markup.yaml")
        run = cli("quiz", "--deck", str(deck), "--topic", "markup", stdin="[yes]\n")
        assert run.code == 1
        assert "escape sequence" in run.err
        deck.write_text(textwrap.dedent(MARKUP).replace("\\e[31m", "red"), encoding="utf-8")
        run = cli("quiz", "--deck", str(deck), "--topic", "markup", stdin="[yes]\n")
        assert run.code == 0, run.err
        assert "[bold red]Is this[/] shown as typed?" in run.out
        assert "[link=https://example.com]not a link[/link]" in run.out


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
class TestAtATerminal:
    def spawn(self, *args: str, home: Path) -> pexpect.spawn:
        env = {**os.environ, "K8SQUIZ_HOME": str(home), "COLUMNS": "90", "LINES": "40"}
        return pexpect.spawn(
            sys.executable,
            ["-m", "k8squiz", "quiz", *args],
            env=env,
            encoding="utf-8",
            timeout=20,
            dimensions=(40, 90),
        )

    def test_ctrl_c_keeps_every_answer_and_exits_130(self, home: Path, mini: Path) -> None:
        """Ctrl-C mid-quiz prints the partial summary, exits 130 and keeps the answers given."""
        child = self.spawn("--deck", str(mini), "--topic", "mini", "--seed", "1", home=home)
        child.expect("question 1 of 3")
        child.expect(PROMPT)
        child.sendline("6443")
        child.expect("question 2 of 3")
        child.expect(PROMPT)
        child.sendintr()
        child.expect("Stopped after 1 of 3")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130

    def test_a_panel_and_a_progress_bar_at_a_terminal(self, home: Path, mini: Path) -> None:
        """At a terminal the question sits in a panel under the progress header."""
        child = self.spawn("--deck", str(mini), "--topic", "mini", "-n", "1", home=home)
        child.expect("question 1 of 1")
        child.expect("╭")
        child.expect(PROMPT)
        child.sendline("6443")
        child.expect("Score")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0

    def test_enter_alone_reveals_the_answer_on_a_line_of_its_own(
        self, home: Path, mini: Path
    ) -> None:
        """Enter on an empty answer moves to the next line before the answer is shown (with
        line editing on, the verdict used to follow the prompt on its line)."""
        child = self.spawn("--deck", str(mini), "--topic", "mini", "-n", "1", home=home)
        child.expect(PROMPT)
        child.sendline("")
        child.expect("Answer shown")
        assert "\n" in child.before
        child.expect(pexpect.EOF)

    def test_json_to_a_file_keeps_the_panels_on_the_terminal(
        self, home: Path, mini: Path, tmp_path: Path
    ) -> None:
        """`quiz --json > file` typed at a terminal shows the session on stderr as at any
        terminal (panels, each answer once) and leaves only the JSON document in the file."""
        document = tmp_path / "quiz.json"
        child = self._shell(
            f"quiz --deck {mini} --topic mini -n 1 --seed 1 --json > {document}", home
        )
        child.expect("╭")
        child.expect(PROMPT)
        child.sendline("6443")
        child.expect("Correct")
        assert child.before.count("6443") == 1  # the terminal's echo; k8squiz adds none
        child.expect(pexpect.EOF)
        assert json.loads(document.read_text(encoding="utf-8"))["answered"] == 1

    def test_an_answer_typed_at_a_terminal_is_shown_once_when_output_is_piped(
        self, home: Path, mini: Path
    ) -> None:
        """`quiz | tee log`: the terminal already shows what was typed, so the plain screen
        does not print it again (it echoes answers only when they come from a pipe)."""
        child = self._shell(f"quiz --deck {mini} --topic mini -n 1 --seed 1 | cat", home)
        child.expect("question 1 of 1")
        child.expect(r"\): ")
        child.sendline("6443")
        child.expect("Correct")
        assert child.before.count("6443") == 1  # the terminal's echo; k8squiz adds none
        child.expect(pexpect.EOF)

    def _shell(self, command: str, home: Path) -> pexpect.spawn:
        """`k8squiz COMMAND` run by a shell (for its redirections) at a pseudo-terminal."""
        env = {**os.environ, "K8SQUIZ_HOME": str(home), "COLUMNS": "90", "LINES": "40"}
        line = f"{shlex.quote(sys.executable)} -m k8squiz {command}"
        return pexpect.spawn(
            "/bin/sh", ["-c", line], env=env, encoding="utf-8", timeout=20, dimensions=(40, 90)
        )


@pytest.mark.parametrize(
    ("lang", "typed", "verdict"),
    [("pt-BR", "f", "Correto"), ("pt-BR", "v", "Errado"), ("en", "f", "Correct")],
)
def test_true_false_options_take_a_truth_letter(
    cli: CLI, write_deck: Callable[..., Path], lang: str, typed: str, verdict: str
) -> None:
    """With --choices (and in an exam), a true/false question takes f, v or t as its answer
    (they were refused as letters naming no option); any other letter is asked again with
    the two options named."""
    deck = write_deck(TRUE_FALSE, "truths.yaml")
    args = ("quiz", "--deck", str(deck), "--topic", "truths", "--choices", "--lang", lang)
    run = cli(*args, stdin=f"x\n{typed}\n")
    assert run.code == 0, run.err
    assert verdict in run.lines
    other = "responda a ou b, 1 ou 2" if lang == "pt-BR" else "answer a or b, 1 or 2"
    assert other in run.out
