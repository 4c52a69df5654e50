"""What the benchmark scripts share: finding k8squiz, timing whole processes, the table.

Each command is one whole process timed with `time.perf_counter` around `subprocess.run`.
The commands of a benchmark are run in rounds, each round running every command once in a
rotated order, so that a change of machine load during the benchmark hits the floor and the
measured commands alike. Every k8squiz process gets K8SQUIZ_HOME in a temporary folder, so
a benchmark never reads or writes the user's data.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

FLOOR_IMPORTS = "import typer, rich.console, yaml"
FLOOR_LABEL = f'python -c "{FLOOR_IMPORTS}"'


@dataclass(frozen=True)
class Command:
    """One process to time: what to run, in which environment, with what on stdin."""

    label: str
    argv: tuple[str, ...]
    env: Mapping[str, str]
    stdin: bytes = b""
    before: Callable[[], None] | None = None  # run untimed before each run (e.g. clear a cache)


@dataclass(frozen=True)
class Timing:
    """The wall-clock times of one command, in seconds, one per run."""

    label: str
    seconds: tuple[float, ...]
    budget: float | None = None  # the ratio to the floor this command must stay within
    note: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def min_ms(self) -> float:
        return min(self.seconds) * 1000


def k8squiz_script() -> Path:
    """The `k8squiz` console script installed next to the Python running this benchmark."""
    folder = Path(sys.executable).parent
    for name in ("k8squiz", "k8squiz.exe"):
        if (folder / name).is_file():
            return folder / name
    sys.exit(
        f"no k8squiz console script next to {sys.executable}; "
        "install k8squiz into this Python first: python -m pip install ."
    )


def k8squiz_env(home: Path) -> dict[str, str]:
    """This process's environment, with K8SQUIZ_HOME in `home` and no other K8SQUIZ_ setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("K8SQUIZ_")}
    env["K8SQUIZ_HOME"] = str(home)
    return env


def floor_command(env: Mapping[str, str]) -> Command:
    """Python starting and importing what every k8squiz command needs: typer, rich, yaml."""
    return Command(FLOOR_LABEL, (sys.executable, "-c", FLOOR_IMPORTS), env)


def run(command: Command) -> subprocess.CompletedProcess[bytes]:
    """Run `command` once, untimed, and stop the benchmark if it fails."""
    done = subprocess.run(
        command.argv, input=command.stdin, capture_output=True, env=command.env, check=False
    )
    if done.returncode != 0:
        error = done.stderr.decode(errors="replace").strip() or "(no output on stderr)"
        sys.exit(f"'{command.label}' exited with {done.returncode}:\n{error}")
    return done


def time_once(command: Command) -> float:
    """Seconds one run of `command` takes, from starting the process to its exit."""
    if command.before is not None:
        command.before()
    start = time.perf_counter()
    done = subprocess.run(
        command.argv,
        input=command.stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=command.env,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"'{command.label}' exited with {done.returncode}; run it by hand to see why")
    return elapsed


def measure(commands: Sequence[Command], runs: int) -> dict[str, tuple[float, ...]]:
    """Each command's times over `runs` rounds, after one untimed warm-up round."""
    for command in commands:
        time_once(command)  # warm the file cache and the bytecode cache
    times: dict[str, list[float]] = {command.label: [] for command in commands}
    for round_number in range(runs):
        shift = round_number % len(commands)
        for command in [*commands[shift:], *commands[:shift]]:
            times[command.label].append(time_once(command))
    return {label: tuple(seconds) for label, seconds in times.items()}


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def print_header(title: str, runs: int) -> None:
    """What was measured, with which Python, how many times."""
    print(title)
    print_setup(runs)
    if not _has_bytecode():
        print(
            "note: k8squiz has no compiled bytecode here (an editable install, or"
            " PYTHONDONTWRITEBYTECODE), so every run compiles it from source: measure a"
            " `pip install .` for numbers a user would see"
        )
    print()


def print_setup(runs: int | None = None) -> None:
    """The Python running the benchmark, how many runs (when it repeats commands), and the
    machine's load at the start."""
    print(f"Python {sys.version.split()[0]} at {sys.executable}")
    if runs is not None:
        print(f"{runs} runs per command, interleaved; times are whole processes, median and min")
    if hasattr(os, "getloadavg"):  # a busy machine stretches both sides; the ratio holds better
        print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


def _has_bytecode() -> bool:
    """Whether the installed k8squiz's modules are compiled, as `pip install .` leaves them."""
    import importlib.util

    spec = importlib.util.find_spec("k8squiz")
    origin = Path(spec.origin) if spec and spec.origin else None
    return origin is not None and any((origin.parent / "__pycache__").glob("__init__.*.pyc"))


def print_table(floor: Timing, measured: Sequence[Timing]) -> None:
    """command, median ms, min ms, ratio to the floor's median, budget, within budget."""
    rows = [floor, *measured]
    width = max(len(row.label) for row in rows)
    print(f"{'command':<{width}}  {'median ms':>9}  {'min ms':>7}  {'x floor':>7}  budget  within")
    for row in rows:
        ratio = row.median_ms / floor.median_ms
        budget = f"{row.budget:.2f}x" if row.budget else "-"
        within = ("yes" if ratio <= row.budget else "NO") if row.budget else "-"
        line = (
            f"{row.label:<{width}}  {row.median_ms:>9.1f}  {row.min_ms:>7.1f}  {ratio:>6.2f}x"
            f"  {budget:>6}  {within:>6}"
        )
        print(f"{line}  {row.note}".rstrip())
    print(f"\nfloor: {floor.label}")
