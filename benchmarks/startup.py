"""How long k8squiz takes to start, against Python importing the libraries it is built on.

Every command pays startup before it does anything, and a learner notices a slow `--help`
or `topics` at once. The floor is a fresh Python doing `import typer, rich.console, yaml`:
k8squiz cannot start faster than its own dependencies load, so its startup is budgeted as a
ratio to that floor (1.3x), which holds on a fast machine and a slow one alike.

Measured: `k8squiz --help`, and `k8squiz topics` with the deck cache in place (warm: what
every run after the first costs). The cold first run of `topics`, which checks every bundled
deck and writes the cache, is shown too, but it is not part of the budget.

Run: python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from timing import (
    FLOOR_LABEL,
    Command,
    Timing,
    floor_command,
    k8squiz_env,
    k8squiz_script,
    measure,
    positive,
    print_header,
    print_table,
    run,
)

BUDGET = 1.3
HELP = "k8squiz --help"
WARM = "k8squiz topics (warm)"
COLD = "k8squiz topics (cold, first run)"


def commands(k8squiz: Path, scratch: Path) -> list[Command]:
    """The floor, `--help`, warm `topics`, and `topics` in a data folder emptied each run."""
    warm_env = k8squiz_env(scratch / "warm")
    cold_home = scratch / "cold"
    warm = Command(WARM, (str(k8squiz), "topics"), warm_env)
    run(warm)  # creates the deck cache the warm runs read
    return [
        floor_command(warm_env),
        Command(HELP, (str(k8squiz), "--help"), warm_env),
        warm,
        Command(
            COLD,
            (str(k8squiz), "topics"),
            k8squiz_env(cold_home),
            before=lambda: shutil.rmtree(cold_home, ignore_errors=True),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive, default=15, help="runs per command (15)")
    args = parser.parse_args()
    k8squiz = k8squiz_script()
    print_header("k8squiz startup", args.runs)
    with tempfile.TemporaryDirectory(prefix="k8squiz-bench-") as scratch:
        times = measure(commands(k8squiz, Path(scratch)), args.runs)
    print_table(
        Timing(FLOOR_LABEL, times[FLOOR_LABEL]),
        [
            Timing(HELP, times[HELP], BUDGET),
            Timing(WARM, times[WARM], BUDGET),
            Timing(COLD, times[COLD], note="(not part of the budget)"),
        ],
    )


if __name__ == "__main__":
    main()
