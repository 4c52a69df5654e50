"""The k8squiz command line: one short function per command, in the modules of this package.

Each command builds what it needs in one call (`prepare`, `open_store` in `common.py`), hands
it to the core or a mode, and gives the result to a screen or a report; it never formats
anything itself. The core is imported inside each command, so `--help` and quick commands
start fast. `main` runs a command: expected failures are one line, with their exit status.

- common.py    what commands share without Typer: prepare, open_store, the session's screen
- run.py       one run: the quick quiz or the Typer app, one-line failures
- quick.py     the quiz: its options as a table, its command line read without Typer, its body
- app.py       the Typer app, its root options, the option types
- commands.py  the app with every command registered, and a run of it
- decks.py     validate, schema, topics, export anki
- sessions.py  quiz, study, exam
- progress.py  history, due, stats, progress export/import/reset

Neither this module nor run.py, quick.py or common.py loads Typer: a quiz that `quick` reads
never needs it.
"""

import gc
import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run k8squiz; expected failures print one line and exit with their status.

    The cyclic garbage collector is off until start-up is over (`common.started`): the
    modules and decks loaded first are tens of thousands of objects that live as long as the
    run, and collecting among them finds nothing. Run as a program (`argv` None), the process
    ends as soon as the run has flushed its output: Python's teardown only frees what the
    system frees anyway. Together they were a seventh of a one-question quiz's time.
    Everything k8squiz writes is closed before `run` returns.
    """
    gc.disable()
    try:
        from k8squiz.cli.run import run

        status = run(sys.argv[1:] if argv is None else argv)
    finally:
        gc.enable()
    if argv is None:
        os._exit(status)
    raise SystemExit(status)
