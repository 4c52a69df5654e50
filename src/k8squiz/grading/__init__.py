"""Judging a learner's answer: pure, no I/O, never raises on any text.

`answers` grades words, numbers, lists and true/false; a command answer is graded by what the
command does (`command`, with the tool knowledge in `tools.yaml`).
"""

from k8squiz.grading.answers import (
    FALSE_WORDS,
    TRUE_WORDS,
    Choice,
    Grader,
    Verdict,
    canonical,
    equivalent,
    is_choice_label,
    normalize,
    resolve_choice,
)

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "Choice",
    "Grader",
    "Verdict",
    "canonical",
    "equivalent",
    "is_choice_label",
    "normalize",
    "resolve_choice",
]
