"""`k8squiz exam`, `quiz --practice` and `--cert/--domain` end to end: the real CLI, answers
from a pipe or typed at a pseudo-terminal."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from k8squiz.i18n import MESSAGES
from tests._builders import count, db_path, query
from tests.conftest import CLI

PROMPT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"  # ends every prompt at a terminal
NOW = "2026-03-10T12:00:00+00:00"


def exam(cli: CLI, *args: str, stdin: str = "", home: Path | None = None) -> Any:
    env = {"K8SQUIZ_NOW": NOW, **({"K8SQUIZ_HOME": str(home)} if home else {})}
    return cli("exam", "--cert", "kcna", *args, stdin=stdin, env=env)


def paper(cli: CLI, tmp_path: Path, *args: str) -> list[dict[str, Any]]:
    """The questions a seeded exam asks (learned from a run with no answers, elsewhere)."""
    run = exam(cli, *args, "--json", home=tmp_path / "probe")
    assert run.code == 0, run.err
    answers: list[dict[str, Any]] = json.loads(run.out)["answers"]
    return answers


def asked(out: str) -> list[str]:
    """What a plain exam showed of each question: its text and its options, in order."""
    blocks = re.findall(r"^\[question \d+ of \d+ [^\n]*\]\n(.*?)^Your answer", out, re.M | re.S)
    return [block.strip() for block in blocks]


class TestFromAPipe:
    def test_right_answers_pass_and_the_result_says_so(self, cli: CLI, tmp_path: Path) -> None:
        """Every expected answer, one a line: 4/4, PASS, the domains, no missed questions."""
        questions = paper(cli, tmp_path, "-n", "4", "--seed", "11")
        stdin = "".join(q["expected"] + "\n" for q in questions)
        run = exam(cli, "-n", "4", "--seed", "11", stdin=stdin)
        assert run.code == 0, run.err
        assert "KCNA: 4/4 (100%)  PASS (pass mark 75%)" in run.lines
        assert "By domain:" in run.lines
        assert "Missed questions" not in run.out
        assert "  k8squiz study --cert kcna" in run.lines

    def test_a_piped_exam_reads_one_line_a_question_and_skips_on_empty(
        self, cli: CLI, tmp_path: Path
    ) -> None:
        """An empty line skips; the end of input submits; the skipped one is missed, unanswered."""
        questions = paper(cli, tmp_path, "-n", "3", "--seed", "4")
        stdin = questions[0]["expected"] + "\n\n" + questions[2]["expected"] + "\n"
        run = exam(cli, "-n", "3", "--seed", "4", stdin=stdin)
        assert run.code == 0, run.err
        assert "KCNA: 2/3 (67%)  FAIL (pass mark 75%)" in run.lines
        assert "Your answer: not answered" in run.lines
        assert "\x1b[" not in run.out
        assert "[question 1 of 3 · 5:00 left]" in run.lines
        assert "Next: your weakest domain is" in run.out

    def test_flag_back_and_submit_work_from_a_pipe(self, cli: CLI, tmp_path: Path) -> None:
        """:f, :b, :r, a number and :s with its confirmation, typed one a line."""
        stdin = ":f\na\n:b\nb\n:r\n3\nc\n:s\ny\n"
        run = exam(cli, "-n", "3", "--seed", "4", stdin=stdin)
        assert run.code == 0, run.err
        assert "Question 1 flagged for review." in run.lines
        assert "Your answer so far: " in run.out
        assert "Unanswered: 2-3" in run.lines
        assert "Flagged: 1" in run.lines
        assert "Submit the exam? 1 question is unanswered and counts as wrong. [y/N]: y" in (
            run.lines
        )

    def test_the_seed_hint_sits_the_same_exam_again(self, cli: CLI) -> None:
        """The summary's command for sitting an exam again keeps its size and time limit:
        run as shown, it asks the same questions in the same order, in the same minutes."""
        first = exam(cli, "-n", "3", "--minutes", "7", stdin="\n" * 3)
        hint = next(line for line in first.lines if line.startswith("seed "))
        command = shlex.split(hint.split(": ", 1)[1].removesuffix(" asks the same exam again"))
        assert command[:2] == ["k8squiz", "exam"]
        again = cli(*command[1:], stdin="\n" * 3, env={"K8SQUIZ_NOW": NOW})
        assert again.code == 0, again.err
        assert asked(again.out) == asked(first.out)
        assert len(asked(first.out)) == 3
        assert "3 questions in 7 minutes; pass mark 75%." in again.lines

    def test_one_question_in_one_minute_is_singular(self, cli: CLI) -> None:
        """The exam's format line counts in the singular too, in both languages."""
        for lang, line in (
            ("en", "1 question in 1 minute; pass mark 75%."),
            ("pt-BR", "1 questão em 1 minuto; nota mínima 75%."),
        ):
            run = exam(cli, "-n", "1", "--minutes", "1", "--lang", lang, stdin="\n")
            assert line in run.lines, run.out

    def test_a_missed_typed_answer_says_what_differs(self, cli: CLI, tmp_path: Path) -> None:
        """In a typed CKA check the review of a missed answer says what was wrong with it, as a
        quiz does (a command's differing value, a list's missing item), not just the answer."""
        args = ("exam", "--cert", "cka", "-n", "5", "--seed", "5")
        probe = cli(*args, "--json", env={"K8SQUIZ_HOME": str(tmp_path / "probe")})
        questions = json.loads(probe.out)["answers"]
        command = next(q for q in questions if q["expected"].startswith("kubectl create deploy"))
        typed = {q["number"]: "" for q in questions}
        typed[command["number"]] = command["expected"].replace(":1.27", "")
        stdin = "".join(typed[n] + "\n" for n in sorted(typed))
        run = cli(*args, stdin=stdin)
        assert run.code == 0, run.err
        assert "  --image is nginx, expected nginx:1.27" in run.lines

    def test_json_is_an_exam_document(self, cli: CLI, tmp_path: Path) -> None:
        """--json prints one exam document; the questions go to stderr."""
        run = exam(cli, "-n", "3", "--seed", "4", "--json", stdin="a\n")
        document = json.loads(run.out)
        head = ("version", "kind", "status", "questions", "answered", "time_limit")
        assert [document[k] for k in head] == [1, "exam", "submitted", 3, 1, 300]
        assert [a["given"] is None for a in document["answers"]] == [False, True, True]
        assert all(len(a["options"]) >= 2 for a in document["answers"])
        assert document["next"].startswith("k8squiz study --cert kcna")
        assert "question 1 of 3" in run.err

    def test_cka_is_a_typed_knowledge_check_and_says_so(self, cli: CLI) -> None:
        """CKA: no options, 40 questions in 60 minutes by default, and the screen says why."""
        run = cli("exam", "--cert", "cka", "--seed", "3", "--json", env={"K8SQUIZ_NOW": NOW})
        document = json.loads(run.out)
        assert (document["questions"], document["time_limit"], document["pass_mark"]) == (
            40,
            3600,
            66,
        )
        assert all(a["options"] == [] for a in document["answers"])
        assert "This is not a simulation of it" in run.err

    def test_an_exam_is_in_the_history_and_the_stats(self, cli: CLI) -> None:
        """history lists the exam with its score and verdict; stats lists the last exams."""
        exam(cli, "-n", "4", "--seed", "2", stdin="a\n")
        history = cli("history", env={"COLUMNS": "120"})
        assert any("exam" in line and "KCNA" in line and "FAIL" in line for line in history.lines)
        stats = cli("stats", env={"COLUMNS": "120"})
        assert "Mock exams" in stats.lines
        assert any(line.startswith("KCNA: ") for line in stats.lines)
        [session] = json.loads(cli("history", "--json").out)["sessions"]
        assert [session[k] for k in ("kind", "cert", "status")] == ["exam", "kcna", "submitted"]
        assert session["answers"][0]["domain"] is not None

    def test_an_exam_writes_no_review(self, cli: CLI, home: Path) -> None:
        """A piped exam saves its answers and leaves the review log and card states empty."""
        exam(cli, "-n", "3", "--seed", "4", stdin="a\nb\nc\n")
        assert count(db_path(home), "answers") == 3
        assert count(db_path(home), "reviews") == count(db_path(home), "card_states") == 0

    def test_an_exam_survives_export_and_import(
        self, cli: CLI, home: Path, tmp_path: Path
    ) -> None:
        """Exported and imported elsewhere, the exam keeps its kind, cert, status and domains."""
        exam(cli, "-n", "3", "--seed", "4", stdin="a\nb\n")
        file = tmp_path / "progress.json"
        assert cli("progress", "export", str(file)).code == 0
        other = tmp_path / "other"
        assert cli("progress", "import", str(file), env={"K8SQUIZ_HOME": str(other)}).code == 0
        sql = "SELECT kind, cert, status, pass_mark, time_limit FROM sessions"
        assert query(db_path(other), sql) == query(db_path(home), sql)
        domains = "SELECT domain FROM answers ORDER BY domain"
        assert query(db_path(other), domains) == query(db_path(home), domains)


class TestAtATerminal:
    def spawn(self, home: Path, *args: str, columns: int = 100) -> pexpect.spawn:
        # The window's size as the program sees it: the pty's, not LINES/COLUMNS inherited
        # from whatever runs the tests (pytest-xdist's workers set them).
        env = {**os.environ, "K8SQUIZ_HOME": str(home), "K8SQUIZ_NOW": NOW}
        env.update(LINES="40", COLUMNS=str(columns))
        return pexpect.spawn(
            sys.executable,
            ["-m", "k8squiz", "exam", "--cert", "kcna", *args],
            env=env,
            encoding="utf-8",
            timeout=20,
            dimensions=(40, columns),
        )

    def test_a_narrow_terminal_lists_the_domains_a_line_each(self, home: Path) -> None:
        """At 40 columns the result lists each domain on its own line, as a pipe does,
        instead of a table whose names would be cut to a few letters."""
        child = self.spawn(home, "-n", "1", "--seed", "5", columns=40)
        child.expect(PROMPT)
        child.sendline("a")
        child.expect("Review: 1 of 1 answered")
        child.expect(PROMPT)
        child.sendline("s")
        child.expect("Submit the exam")
        child.sendline("y")
        child.expect("By domain:")
        child.expect("vs pass mark")
        child.expect(pexpect.EOF)
        child.close()
        assert "Weight" not in (child.before or "")

    def test_flag_skip_review_and_submit(self, home: Path) -> None:
        """Answer 1, skip 2, flag and answer 3; the review lists 2 and 3; 2 is answered from
        there; :s asks, saying nothing is unanswered; y shows the result."""
        child = self.spawn(home, "-n", "3", "--seed", "5")
        child.expect("question 1 of 3")
        child.expect(PROMPT)
        child.sendline("a")
        child.expect("question 2 of 3")
        child.expect(PROMPT)
        child.sendline("")
        child.expect("question 3 of 3")
        child.expect(PROMPT)
        child.sendline(":f")
        child.expect("Question 3 flagged for review.")
        child.expect(PROMPT)
        child.sendline("b")
        child.expect("Unanswered: 2")
        child.expect("Flagged: 3")
        child.expect(PROMPT)
        child.sendline("2")
        child.expect("question 2 of 3")
        child.expect(PROMPT)
        child.sendline("c")
        child.expect("question 3 of 3 · flagged")
        child.expect(PROMPT)
        child.sendline(":s")
        child.expect(r"Submit the exam\? Every question is answered\. \[y/N\]")
        child.sendline("y")
        child.expect("KCNA: ")
        child.expect(r"k8squiz study --cert kcna")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        assert query(db_path(home), "SELECT kind, status FROM sessions") == [("exam", "submitted")]
        assert count(db_path(home), "answers") == 3
        assert count(db_path(home), "reviews") == 0

    def test_the_countdown_is_on_the_bottom_line(self, home: Path) -> None:
        """A scroll region keeps row 40 for the status: time left, answered, flagged."""
        child = self.spawn(home, "-n", "2", "--seed", "5")
        child.expect(r"\x1b\[1;39r")
        child.expect(r"\x1b\[40;1H\x1b\[2K")
        child.expect("KCNA · 3:00 left · 0/2 answered · 0 flagged")
        child.expect(PROMPT)
        child.sendline(":s")
        child.expect(r"\[y/N\]")
        child.sendline("y")
        child.expect(r"\x1b\[1;40r")  # the whole screen scrolls again
        child.expect(pexpect.EOF)
        child.close()

    def test_abandoning_before_any_answer_says_so(self, home: Path) -> None:
        """Ctrl-C and y at the first question: no 'after 0 answers: they are kept'."""
        child = self.spawn(home, "-n", "2", "--seed", "5")
        child.expect(PROMPT)
        child.sendintr()
        child.expect(r"Abandon the exam\?")
        child.sendline("y")
        child.expect("Exam abandoned before any answer; it is not scored.")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130

    def test_ctrl_c_asks_and_abandons_with_exit_130(self, home: Path) -> None:
        """Ctrl-C asks; n goes on; Ctrl-C and y abandon: exit 130, the answer kept, unscored."""
        child = self.spawn(home, "-n", "3", "--seed", "5")
        child.expect(PROMPT)
        child.sendline("a")
        child.expect("question 2 of 3")
        child.expect(PROMPT)
        child.sendintr()
        child.expect(r"Abandon the exam\?")
        child.sendline("n")
        child.expect("question 2 of 3")
        child.expect(PROMPT)
        child.sendintr()
        child.expect(r"Abandon the exam\?")
        child.sendline("y")
        child.expect("Exam abandoned after 1 answer")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130
        assert query(db_path(home), "SELECT status FROM sessions") == [("abandoned",)]
        assert count(db_path(home), "answers") == 1
        history = subprocess.run(
            [sys.executable, "-m", "k8squiz", "history"],
            env={**os.environ, "K8SQUIZ_HOME": str(home), "COLUMNS": "120"},
            capture_output=True,
            text=True,
            check=True,
        )
        assert "abandoned, 1 of 3 answered" in history.stdout


class TestPractice:
    def test_a_practice_quiz_saves_answers_but_no_review(self, cli: CLI, home: Path) -> None:
        """quiz --practice: answers in the history, nothing in the review log or card states."""
        run = cli("quiz", "--topic", "ports", "-n", "2", "--practice", stdin="6443\n2379\n")
        assert run.code == 0, run.err
        assert "your review schedule is unchanged" in run.out
        assert count(db_path(home), "answers") == 2
        assert count(db_path(home), "reviews") == count(db_path(home), "card_states") == 0
        history = cli("history", env={"COLUMNS": "120"})
        assert any("quiz (practice)" in line for line in history.lines)

    def test_a_quiz_without_practice_still_reviews(self, cli: CLI, home: Path) -> None:
        """The same quiz without --practice writes one review per answer, as before."""
        cli("quiz", "--topic", "ports", "-n", "2", stdin="6443\n2379\n")
        assert count(db_path(home), "reviews") == 2


class TestCertAndDomain:
    def test_study_a_domain(self, cli: CLI, home: Path) -> None:
        """study --cert kcna --domain D shows only cards serving that domain."""
        run = cli(
            "study",
            "--cert",
            "kcna",
            "--domain",
            "cloud-native-architecture",
            "--limit",
            "2",
            stdin="\n3\n\n3\n",
        )
        assert run.code == 0, run.err
        studied = [row[0] for row in query(db_path(home), "SELECT card_id FROM reviews")]
        assert len(studied) == 2
        stats = json.loads(cli("stats", "--cert", "kcna", "--json").out)
        seen = {d["domain"]: d["seen"] for d in stats["domains"]}
        assert seen["cloud-native-architecture"] == 2

    def test_quiz_a_domain(self, cli: CLI) -> None:
        """quiz --cert ckad --domain D asks only that domain's cards."""
        run = cli(
            "quiz",
            "--cert",
            "ckad",
            "--domain",
            "services-networking",
            "-n",
            "3",
            "--json",
            stdin="\n\n\n",
        )
        cards = {a["card"] for a in json.loads(run.out)["answers"]}
        assert len(cards) == 3
        serving = json.loads(
            cli("stats", "--cert", "ckad", "--json").out  # every ckad card, by domain
        )
        assert serving["cert"] == "ckad"

    @pytest.mark.parametrize(
        "given",
        ["Workloads and Scheduling", "workloads & scheduling", "Workloads e agendamento"],
    )
    def test_a_domain_is_also_known_by_its_name(self, given: str) -> None:
        """--domain takes a domain's name as `stats --cert` shows it, in either language."""
        from k8squiz.curricula import domain_ids, load

        assert domain_ids(load("cka"), [given]) == ("workloads-scheduling",)

    def test_stats_shows_the_id_that_domain_takes(self, cli: CLI) -> None:
        """Each domain of the readiness table shows its id under its name."""
        run = cli("stats", "--cert", "cka")
        assert run.code == 0, run.err
        lines = [line.split("│")[0].strip() for line in run.out.splitlines()]
        assert lines[lines.index("Workloads and Scheduling") + 1] == "workloads-scheduling"

    def test_an_unknown_domain_suggests_the_closest(self, cli: CLI) -> None:
        """A misspelt domain is a usage error naming the closest one."""
        run = cli("study", "--cert", "cka", "--domain", "storge")
        assert run.code == 2
        assert "unknown cka domain 'storge'; did you mean 'storage'?" in run.err

    @pytest.mark.parametrize(
        ("domain", "cert"), [("storage", "cka"), ("kubernetes-fundamentals", "kcna")]
    )
    def test_a_domain_needs_a_certification(self, cli: CLI, domain: str, cert: str) -> None:
        """--domain alone is a usage error naming the certification that has the domain, and
        adding it works (the example used to pair kcna with a CKA domain, and failed)."""
        run = cli("quiz", "--domain", domain)
        assert run.code == 2
        assert f"--domain needs --cert (add --cert {cert})" in run.err
        assert cli("quiz", "--domain", domain, "--cert", cert, "-n", "1", stdin="?\n").code == 0


@pytest.mark.parametrize("option", ["--seed", "--count", "--minutes"])
def test_a_number_too_large_for_an_exam_is_a_usage_error(
    cli: CLI, tmp_path: Path, option: str
) -> None:
    """A huge --seed, --count or --minutes is refused before the exam starts, saving nothing."""
    run = exam(cli, option, "99999999999999999999", home=tmp_path)
    assert run.code == 2
    assert f"'{option}'" in run.err
    assert "internal error" not in run.err
    assert not db_path(tmp_path).exists() or count(db_path(tmp_path), "sessions") == 0


def test_every_message_has_the_same_placeholders_in_both_languages() -> None:
    """A Portuguese message fills exactly the values its English one does."""
    import string

    def names(text: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    uneven = [key for key, (en, pt) in MESSAGES.items() if names(en) != names(pt)]
    assert uneven == []


@pytest.mark.parametrize("cert", ["kcna", "cka", "ckad"])
def test_exam_help_says_where_the_defaults_come_from(cli: CLI, cert: str) -> None:
    """--help names the real KCNA format and says CKA and CKAD get a knowledge check."""
    run = cli("exam", "--help", env={"COLUMNS": "200"})
    assert "not a simulation" in run.out
    assert "60 questions in 90 minutes" in run.out
    assert cert in run.out


def test_a_full_kcna_mock_exam_states_its_length_once(cli: CLI) -> None:
    """At the real KCNA's 60 questions in 90 minutes, the intro says so once, not twice."""
    run = cli("exam", "--cert", "kcna", stdin="")
    intro = run.out.split("Questions per domain")[0]
    assert intro.count("60 questions in 90 minutes") == 1
