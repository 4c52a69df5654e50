"""Say which installed packages differ from the development lock file (never fails).

CI installs the newest releases, as a user's `pip install` does; the lock records what the
last refresh resolved. A difference is not an error, only a reason to refresh the lock once CI
passes (see the README's development section).
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(lock: Path) -> dict[str, str]:
    """The pinned version of each package the lock installs on this Python."""
    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match and (match[3] is None or Marker(match[3]).evaluate()):
            found[canonicalize_name(match[1])] = match[2]
    return found


def main(lock: Path) -> None:
    drift = []
    for name, pinned in sorted(pins(lock).items()):
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue
        if installed != pinned:
            drift.append(f"{name} {installed} (lock: {pinned})")
    if drift:
        print(f"note: installed versions differ from {lock}: " + ", ".join(drift))
        print("      refresh the lock once CI passes (README, Development)")
    else:
        print(f"the installed versions are those of {lock}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
