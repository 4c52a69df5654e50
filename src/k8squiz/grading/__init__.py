"""Judging a learner's answer: pure, no I/O, never raises on any text.

`answers` grades words, numbers, lists and true/false, with `words` (normalising, stems,
numbers) and `reading` (what a question says, which words an answer may leave out); a
command answer is graded by what the command does (`command`), read by `commandline` with
the tool knowledge in `tools.yaml` (loaded by `tools` on first use); those modules are imported
only when a command card is graded.
"""

from k8squiz.grading.answers import (
    FALSE_WORDS,
    TRUE_WORDS,
    Choice,
    Grader,
    Verdict,
    canonical,
    equivalent,
    expected_text,
    names_no_option,
    numbers_are_answers,
    resolve_choice,
)
from k8squiz.grading.words import normalize

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "Choice",
    "Grader",
    "Verdict",
    "canonical",
    "equivalent",
    "expected_text",
    "names_no_option",
    "normalize",
    "numbers_are_answers",
    "resolve_choice",
]
