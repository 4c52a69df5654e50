"""Peak memory and time of `k8squiz progress export` and `import` as a history grows.

Two histories are built with k8squiz's own code, answer by answer as a quiz saves them
(Memory and Store: every answer with its FSRS review, 30 answers a session over 2,000
cards): 30,000 answers and 300,000 answers by default. Each is exported to a file, and the
file imported into an empty data folder, each as a whole `k8squiz` process whose peak
resident memory the kernel reports for that child alone (os.wait4's rusage).

Both directions stream, so memory must stay flat while the history grows tenfold: the
figure to watch is the ratio of the large history's peak to the small one's (budget
1.5x). The floor is `python -c "import k8squiz.cli.commands"` (the Typer app and every
command), what any k8squiz command but a quiz holds before it reads a row; the peaks above
it are printed too.

Run: python benchmarks/progress.py [--small N] [--large N]   (about 3 minutes, mostly
building the large history)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from k8squiz.progress.memory import Memory
from k8squiz.progress.records import AnswerRecord, SessionInfo
from k8squiz.progress.store import Store
from k8squiz.scheduler import Scheduler
from timing import k8squiz_env, k8squiz_script, positive, print_setup

PER_SESSION = 30
CARDS = 2_000
BUDGET = 1.5  # the large history's peak over the small one's
START = datetime(2024, 1, 1, tzinfo=timezone.utc)
FLOOR = 'python -c "import k8squiz.cli.commands"'


@dataclass(frozen=True)
class Peak:
    """One process: its peak resident memory (MB) and wall-clock time (s)."""

    mb: float
    seconds: float


def build(path: Path, answers: int) -> None:
    """A history of `answers` quiz answers, saved one by one as a quiz saves them."""
    store = Store.open(path)
    memory = Memory(store, Scheduler())
    try:
        for number in range(answers // PER_SESSION):
            at = START + timedelta(hours=number)
            info = SessionInfo("quiz", ("bench",), (), "typed", PER_SESSION, "en", seed=number)
            session = store.start_session(info, at)
            for i in range(PER_SESSION):
                n = number * PER_SESSION + i
                memory.answer(session, _answer(n, at + timedelta(seconds=i)))
            store.end_session(session, at + timedelta(seconds=PER_SESSION))
    finally:
        store.close()


def _answer(n: int, at: datetime) -> AnswerRecord:
    right = n % 3 > 0
    given = f"value {n % CARDS}" if right else f"wrong {n % CARDS}"
    return AnswerRecord(
        card_id=f"bench-{n % CARDS:05d}",
        topic="bench",
        given=given,
        correct=right,
        revealed=False,
        mistake=None if right else given,
        seconds=4.0,
        answered_at=at,
    )


def peak(argv: list[str], env: dict[str, str]) -> Peak:
    """Run `argv` once; its own peak RSS (not its parent's, not other children's)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    assert child.stderr is not None
    error = child.stderr.read().decode(errors="replace").strip()
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"'{' '.join(argv[1:])}' exited with {child.returncode}:\n{error}")
    # Linux reports kilobytes, macOS bytes.
    kilobytes = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return Peak(kilobytes / 1024, elapsed)


def measure(k8squiz: Path, scratch: Path, answers: int) -> tuple[Peak, Peak, int]:
    """Build a history of `answers`, then export it and import the file elsewhere."""
    home = scratch / f"home-{answers}"
    home.mkdir()
    started = time.perf_counter()
    build(home / "k8squiz.db", answers)
    print(f"  built {answers:,} answers in {time.perf_counter() - started:.0f} s", flush=True)
    file = scratch / f"progress-{answers}.json"
    exported = peak([str(k8squiz), "progress", "export", str(file)], k8squiz_env(home))
    imported = peak(
        [str(k8squiz), "progress", "import", str(file)], k8squiz_env(scratch / f"new-{answers}")
    )
    return exported, imported, file.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=positive, default=30_000, help="answers (30000)")
    parser.add_argument("--large", type=positive, default=300_000, help="answers (300000)")
    args = parser.parse_args()
    k8squiz = k8squiz_script()
    print("k8squiz progress export and import: peak memory as the history grows")
    print_setup()
    with tempfile.TemporaryDirectory(prefix="k8squiz-bench-") as folder:
        scratch = Path(folder)
        floor_code = "import k8squiz.cli.commands"
        floor = peak([sys.executable, "-c", floor_code], k8squiz_env(scratch))
        results = {n: measure(k8squiz, scratch, n) for n in (args.small, args.large)}
    print()
    columns = ("file MB", "export MB", "s", "import MB", "s")
    print(f"{'history':<16}" + "".join(f"  {c:>{max(len(c), 6)}}" for c in columns))
    print(f"{'floor':<16}  {'':>7}  {floor.mb:>9.1f}  {floor.seconds:>6.2f}")
    for answers, (exported, imported, size) in results.items():
        label = f"{answers:,} answers"
        print(
            f"{label:<16}  {size / 2**20:>7.1f}  {exported.mb:>9.1f}  {exported.seconds:>6.2f}"
            f"  {imported.mb:>9.1f}  {imported.seconds:>6.2f}"
        )
    small, large = results[args.small], results[args.large]
    print(f"\nfloor: {FLOOR} ({floor.mb:.1f} MB)")
    growth = args.large / args.small
    for name, index in (("export", 0), ("import", 1)):
        ratio = large[index].mb / small[index].mb
        above = (large[index].mb - floor.mb, small[index].mb - floor.mb)
        verdict = "yes" if ratio <= BUDGET else "NO"
        print(
            f"{name}: peak at {args.large:,} / at {args.small:,} answers = {ratio:.2f}x"
            f" (history {growth:.0f}x; budget {BUDGET}x) within: {verdict};"
            f" above the floor: {above[1]:.1f} MB -> {above[0]:.1f} MB"
        )


if __name__ == "__main__":
    main()
