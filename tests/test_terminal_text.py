"""At a real terminal (a pseudo-terminal driven by pexpect), with colour on: what a learner
types is shown back escaped by the Rich screen, the only raw escape sequences k8squiz
writes are its own colours and styles, and bytes that are not UTF-8 do not stop the quiz.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests._main import raw_unsafe

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

LIST_DECK = """\
title: Terminal
topic: terminal
cards:
  - id: terminal-etcd-ports
    question: Name the two ports etcd listens on.
    answer: ["2379", "2380"]
    explanation: Clients use 2379, peers 2380.
  - id: terminal-apiserver-port
    question: Which port does kube-apiserver serve on?
    answer: "6443"
    explanation: The API server listens on 6443.
"""
PROMPT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}".encode()
# A CSI sequence: Rich's colours and styles, and readline's own modes. No OSC, no DCS.
CSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]")


def spawn(deck: Path, home: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"K8SQUIZ_HOME": str(home), "COLUMNS": "90", "LINES": "40", "TERM": "xterm"})
    return pexpect.spawn(
        sys.executable,
        ["-m", "k8squiz", "quiz", "--deck", str(deck), "--topic", "terminal", "--seed", "1"],
        env=env,
        timeout=20,
        dimensions=(40, 90),
    )


def test_typed_text_is_shown_escaped_at_a_terminal(
    write_deck: Callable[..., Path], home: Path
) -> None:
    """A list answer with a bidi override and a zero-width space, a number with an isolate:
    the verdict shows them as escapes, and apart from the terminal's own echo of the typing
    the only raw escapes are CSI sequences (Rich's colours)."""
    deck = write_deck(LIST_DECK, "terminal.yaml")
    child = spawn(deck, home)
    transcript = io.BytesIO()
    child.logfile_read = transcript
    typed = ["2379, evil\u202eitem\u200b", "64\u206643"]
    for _ in typed:
        index = child.expect([b"two ports", b"kube-apiserver"])
        child.expect(PROMPT)
        child.sendline(typed[index].encode())
    child.expect(pexpect.EOF)
    child.close()
    written = transcript.getvalue()
    for answer in typed:
        written = written.replace(answer.encode(), b"")  # what the terminal echoed as typed
    text = CSI.sub(b"", written).decode().replace("\r", "")
    assert not raw_unsafe(text), text
    assert "evil\\u202eitem\\u200b" in text
    assert "\x1b[" in written.decode()  # colour was on: this ran at a terminal
    assert child.exitstatus == 0


def test_bytes_that_are_not_utf8_at_a_terminal_do_not_stop_the_quiz(
    write_deck: Callable[..., Path], home: Path
) -> None:
    """Typed bytes that are not UTF-8 (a Latin-1 keyboard) are an answer like any other."""
    deck = write_deck(LIST_DECK, "terminal.yaml")
    child = spawn(deck, home)
    child.expect(PROMPT)
    child.send(b"caf\xe9 \xff\r")
    child.expect(b"question 2 of 2")
    child.expect(PROMPT)
    child.sendline(b"?")
    child.expect(b"Score")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert b"internal error" not in child.before
