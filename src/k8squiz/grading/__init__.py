"""Judging a learner's answer: pure, no I/O, never raises on any text.

`answers` grades words, numbers, lists and true/false; a command answer is graded by what the
command does (`command`), read by `commandline` with the tool knowledge in `tools.yaml`
(loaded by `tools` on first use).
"""

from k8squiz.grading.answers import (
    FALSE_WORDS,
    TRUE_WORDS,
    Grader,
    Verdict,
    canonical,
    equivalent,
    normalize,
    resolve_choice,
)
from k8squiz.grading.command import Difference, DifferenceKind, describe

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "Difference",
    "DifferenceKind",
    "Grader",
    "Verdict",
    "canonical",
    "describe",
    "equivalent",
    "normalize",
    "resolve_choice",
]
